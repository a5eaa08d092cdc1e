/* lab-ssh-keygen.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lab-ssh-session.h"

G_BEGIN_DECLS

/* libssh2 1.10 cannot sign with RSA keys in a way OpenSSH >= 8.8 accepts, so the app offers
 * to create an ed25519 key and install it with the password, once.
 *
 * lab_ssh_keygen_create_async: runs `ssh-keygen -t ed25519` (the only program the SSH core
 * ever spawns; never `ssh`) to create @path (0600) and @path.pub without a passphrase.
 * Fails with G_IO_ERROR_EXISTS instead of overwriting. Resolves to the public key line. */
void      lab_ssh_keygen_create_async    (const char           *path,
                                          const char           *comment,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char     *lab_ssh_keygen_create_finish   (GAsyncResult         *result,
                                          GError              **error);

/* ~/.ssh/id_ed25519. */
char     *lab_ssh_keygen_default_path    (void);

/* Appends @public_key ("ssh-ed25519 AAAA... comment", one line) to ~/.ssh/authorized_keys of
 * the logged-in user over @session, unless it is already there; ~/.ssh is 0700 and the file
 * 0600 afterwards. Idempotent. */
void      lab_ssh_keygen_install_async   (LabSshSession        *session,
                                          const char           *public_key,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  lab_ssh_keygen_install_finish  (LabSshSession        *session,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
