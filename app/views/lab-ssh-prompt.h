/* lab-ssh-prompt.h — asking the user what the SSH session needs to know
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ssh/lab-ssh-request.h"

G_BEGIN_DECLS

/* Shows the dialog for @request (trust a new host key; a password, passphrase or sudo
 * password, with "remember" in the keyring) over @parent and replies to the request with the
 * user's answer. Closing the dialog cancels the request. */
void lab_ssh_prompt_present (GtkWindow     *parent,
                             LabSshRequest *request);

G_END_DECLS
