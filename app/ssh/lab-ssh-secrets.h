/* lab-ssh-secrets.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Passwords and passphrases the user asked to remember, in the desktop keyring (libsecret,
 * schema "io.github.miragelab.MirageLab.Password"). Nothing is ever written elsewhere. */

typedef enum
{
  LAB_SSH_SECRET_PASSWORD,     /* login password: user, host, port */
  LAB_SSH_SECRET_PASSPHRASE,   /* key passphrase: key-file */
  LAB_SSH_SECRET_SUDO,         /* sudo password: user, host, port */
} LabSshSecretKind;

#define LAB_SSH_SECRET_SCHEMA_NAME "io.github.miragelab.MirageLab.Password"

/* Resolves to a newly allocated secret (free with lab_ssh_secret_free) or NULL when nothing
 * is stored or no keyring is reachable (never an error: the caller just asks the user). */
void     lab_ssh_secrets_lookup_async  (LabSshSecretKind     kind,
                                        const char          *user,
                                        const char          *host,
                                        guint                port,
                                        const char          *key_file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char    *lab_ssh_secrets_lookup_finish (GAsyncResult        *result,
                                        GError             **error);

void     lab_ssh_secrets_store_async   (LabSshSecretKind     kind,
                                        const char          *user,
                                        const char          *host,
                                        guint                port,
                                        const char          *key_file,
                                        const char          *secret,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean lab_ssh_secrets_store_finish  (GAsyncResult        *result,
                                        GError             **error);

void     lab_ssh_secrets_clear_async   (LabSshSecretKind     kind,
                                        const char          *user,
                                        const char          *host,
                                        guint                port,
                                        const char          *key_file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean lab_ssh_secrets_clear_finish  (GAsyncResult        *result,
                                        GError             **error);

/* Overwrites then frees a secret string. */
void     lab_ssh_secret_free           (char                *secret);
/* A copy of @data (a password, or a line holding one) that is overwritten when the last
 * reference goes, e.g. once a channel has written it. */
GBytes  *lab_ssh_secret_bytes_new      (const void          *data,
                                        gsize                len);

G_END_DECLS
