/* lab-ssh-private.h: internal glue between the SSH core's objects.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libssh2.h>
#include <string.h>

#include "lab-ssh-channel.h"
#include "lab-ssh-request.h"
#include "lab-ssh-session.h"

G_BEGIN_DECLS

/* g_set_str() needs GLib 2.76. */
static inline gboolean
g_set_str_compat (char       **str_pointer,
                  const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || (*str_pointer && new_str && strcmp (*str_pointer, new_str) == 0))
    return FALSE;
  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;
  return TRUE;
}

/* Allocation functions for libssh2_session_init_ex(): libssh2 copies passwords and
 * keyboard-interactive answers into buffers it frees itself, so every block it frees is
 * overwritten first. */
void           *_lab_ssh_wiping_alloc            (size_t                 count,
                                                  void                 **abstract);
void           *_lab_ssh_wiping_realloc          (void                  *ptr,
                                                  size_t                 count,
                                                  void                 **abstract);
void            _lab_ssh_wiping_free             (void                  *ptr,
                                                  void                 **abstract);

/* Tests: called with every secret buffer after it was overwritten and before it is freed
 * (@from_libssh2: a block of the wiping allocator, else lab_ssh_secret_bytes_new's); NULL
 * to stop. */
typedef void (*LabSshSecretReleaseHook) (gconstpointer mem,
                                         gsize         len,
                                         gboolean      from_libssh2,
                                         gpointer      data);
void            _lab_ssh_secrets_set_release_hook (LabSshSecretReleaseHook hook,
                                                   gpointer                data);

/* Requests */
typedef void (*LabSshRequestCallback) (LabSshRequest         *request,
                                       gboolean               cancelled,
                                       LabSshHostKeyDecision  decision,
                                       const char            *secret,
                                       gboolean               remember,
                                       gpointer               user_data);

LabSshRequest *_lab_ssh_request_new             (LabSshRequestKind      kind,
                                                 const char            *host,
                                                 guint                  port,
                                                 const char            *user);
void           _lab_ssh_request_set_host_key    (LabSshRequest         *self,
                                                 const char            *key_type,
                                                 const char            *fingerprint,
                                                 gboolean               other_types_known);
void           _lab_ssh_request_set_secret_info (LabSshRequest         *self,
                                                 const char            *message,
                                                 const char            *key_file,
                                                 guint                  attempt);
void           _lab_ssh_request_set_callback    (LabSshRequest         *self,
                                                 LabSshRequestCallback  callback,
                                                 gpointer               data);
void           _lab_ssh_request_detach          (LabSshRequest         *self);

/* What `sudo -n true` told us, cached per session. */
typedef enum
{
  LAB_SSH_SUDO_UNKNOWN,
  LAB_SSH_SUDO_NOPASSWD,
  LAB_SSH_SUDO_NEEDS_PASSWORD,
} LabSshSudoMode;

/* libssh2 return codes after which the whole connection is unusable. */
gboolean         _lab_ssh_rc_is_fatal            (int              rc);

/* An exec's result from what the channel gathered (@out and @err are referenced). */
LabSshExecResult *_lab_ssh_exec_result_new       (int              exit_status,
                                                  const char      *exit_signal,
                                                  GBytes          *out,
                                                  GBytes          *err);

/* Channel <-> session */
LabSshChannel   *_lab_ssh_channel_new            (LabSshSession   *session,
                                                  const char * const *argv,
                                                  LabSshExecFlags  flags,
                                                  gboolean         pty,
                                                  const char      *term,
                                                  guint            cols,
                                                  guint            rows);
/* Internal channels (sudo probes) run a ready-made command line and never use sudo. */
/* direct-tcpip: a TCP connection that the server opens to HOST:PORT for us. */
LabSshChannel   *_lab_ssh_channel_new_tcpip      (LabSshSession   *session,
                                                  const char      *host,
                                                  guint            port);
LabSshChannel   *_lab_ssh_channel_new_raw        (LabSshSession   *session,
                                                  const char      *command);
/* One non-blocking pass. Returns TRUE on progress. Returns a libssh2 error in *fatal_rc
 * when the connection itself broke (the session then fails every channel). */
gboolean         _lab_ssh_channel_step           (LabSshChannel   *self,
                                                  gsize           *read_budget,
                                                  int             *fatal_rc);
/* The connection is gone: fail without touching libssh2 (the session frees it). */
void             _lab_ssh_channel_lost           (LabSshChannel   *self,
                                                  const GError    *error);
gboolean         _lab_ssh_channel_is_reading     (LabSshChannel   *self);
gboolean         _lab_ssh_channel_has_raw        (LabSshChannel   *self);
/* Another channel closed: a channel refused for lack of server sessions may try again. */
void             _lab_ssh_channel_slot_freed     (LabSshChannel   *self);
gboolean         _lab_ssh_session_has_other_channels (LabSshSession *self,
                                                      LabSshChannel *channel);
/* No output is delivered until @task's callback has run (notify::completed). */
void             _lab_ssh_channel_hold_delivery  (LabSshChannel   *self,
                                                  GTask           *task);

LIBSSH2_SESSION *_lab_ssh_session_get_raw        (LabSshSession   *self);
/* The ciphers to offer, most preferred first: the AEAD and CTR ciphers that @raw's libssh2
 * supports, never CBC (or arcfour, blowfish, cast, 3DES); NULL if it supports none. */
char            *_lab_ssh_cipher_preference      (LIBSSH2_SESSION *raw);
/* Schedules a dispatch pass soon (from an idle), e.g. after queueing output. */
void             _lab_ssh_session_kick           (LabSshSession   *self);
/* libssh2 can open only one channel at a time on a session. */
gboolean         _lab_ssh_session_claim_open     (LabSshSession   *self,
                                                  gpointer         owner);
void             _lab_ssh_session_release_open   (LabSshSession   *self,
                                                  gpointer         owner);
void             _lab_ssh_session_add_channel    (LabSshSession   *self,
                                                  LabSshChannel   *channel);
void             _lab_ssh_session_remove_channel (LabSshSession   *self,
                                                  LabSshChannel   *channel);
/* Takes a channel whose close is under way; freed once the server confirms it. */
void             _lab_ssh_session_adopt_closing  (LabSshSession   *self,
                                                  LIBSSH2_CHANNEL *raw);
guchar          *_lab_ssh_session_get_buffer     (LabSshSession   *self,
                                                  gsize           *len);
gboolean         _lab_ssh_session_is_connected   (LabSshSession   *self);

/* Clients: what drives libssh2 on the session besides channels (an SFTP upload). While the
 * session is connected, every dispatch pass runs @step once: one non-blocking go at the
 * client's libssh2 calls, TRUE when it got anywhere (another pass follows), a libssh2 error
 * that broke the connection in *fatal_rc. When the connection goes, @lost runs once, after
 * the socket was shut down and before libssh2 frees the session: whatever the client still
 * sends fails at once, so it can free its libssh2 objects without waiting; then it is no
 * longer a client. The session keeps a reference on @client meanwhile. */
typedef gboolean (*LabSshClientStep) (GObject      *client,
                                      int          *fatal_rc);
typedef void     (*LabSshClientLost) (GObject      *client,
                                      const GError *error);

void             _lab_ssh_session_add_client     (LabSshSession   *self,
                                                  GObject         *client,
                                                  LabSshClientStep step,
                                                  LabSshClientLost lost);
/* Safe inside @step. */
void             _lab_ssh_session_remove_client  (LabSshSession   *self,
                                                  GObject         *client);

/* Resolves once the sudo mode is known and, when needed, a verified sudo password is at hand
 * (asked once per session). Returns the mode; *password is set for NEEDS_PASSWORD. */
void             _lab_ssh_session_sudo_prepare_async  (LabSshSession       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
LabSshSudoMode   _lab_ssh_session_sudo_prepare_finish (LabSshSession       *self,
                                                       GAsyncResult        *result,
                                                       char               **password,
                                                       GError             **error);

G_END_DECLS
