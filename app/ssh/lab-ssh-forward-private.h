/* lab-ssh-forward-private.h — what tests may see of a forward's back-pressure
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ssh/lab-ssh-forward.h"

G_BEGIN_DECLS

/* Past this many bytes queued for its local client, a connection pauses its channel's
 * output; the chunk that crosses the line is still queued. */
#define LAB_SSH_FORWARD_QUEUE_MAX (1024 * 1024)

/* The most bytes any connection of @self has had queued for its local client at once. */
gsize lab_ssh_forward_get_max_queued (LabSshForward *self);

G_END_DECLS
