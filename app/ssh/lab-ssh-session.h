/* lab-ssh-session.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lab-ssh-channel.h"
#include "lab-ssh-error.h"
#include "lab-ssh-exec-result.h"
#include "lab-ssh-request.h"

G_BEGIN_DECLS

/* One SSH connection to one host, libssh2 in non-blocking mode driven by a GSource on the
 * socket in the global default main context (use it from the main thread only). Nothing
 * blocks; every operation is async (GTask + GCancellable). Many channels share the session.
 *
 * Configuration (set before connecting; NULL/0 = from ~/.ssh/config, then defaults):
 *   host (construct-only; may be a ~/.ssh/config alias), hostname, port, user,
 *   identity-files (strv; default: config IdentityFile, else ~/.ssh/id_ed25519, id_ecdsa,
 *   id_rsa), connect-timeout (s; default ConnectTimeout or 30), keepalive-interval (s,
 *   default 15; a dead link is reported within it), ssh-config-file (default ~/.ssh/config,
 *   "" = none), known-hosts-file (default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts;
 *   "" = none),
 *   app-known-hosts-file (default g_get_user_config_dir()/mirage-lab/known_hosts; keys
 *   accepted with ACCEPT_SAVE are saved there),
 *   use-agent (default TRUE), agent-socket (default $SSH_AUTH_SOCK), use-secret-store
 *   (libsecret; default TRUE), auto-reconnect (default TRUE), reconnect-delay (ms, first
 *   backoff step, default 1000, doubling up to 30 s), reconnect-max-attempts (default 10),
 *   auth-methods (strv, see lab_ssh_session_set_auth_methods). The ssh config file can also
 *   be overridden with the environment variable MIRAGE_LAB_SSH_CONFIG (tests).
 *
 * Read-only state for UI bindings: state (LabSshState), error-message, host-key-fingerprint,
 * host-key-type, server-banner, rsa-key-rejected (an RSA key was refused because libssh2 1.10
 * can only sign with ssh-rsa/SHA-1: offer lab_ssh_keygen_* to create and install ed25519).
 *
 * Signals:
 *   verify-host-key (LabSshRequest *) -> gboolean handled: first contact with a host key.
 *     Unhandled (FALSE returned and no reference kept) = reject. A *changed* key never
 *     prompts: connect fails with HOST_KEY_CHANGED and nothing is sent; nor does a key
 *     marked @revoked (HOST_KEY_REVOKED). A key of a type new for a known host prompts with
 *     other-types-known set, which handlers must present as a possible attack.
 *   ask-secret (LabSshRequest *) -> gboolean handled: password / passphrase / sudo password.
 *     Unhandled = cancel. The request's reply can ask to remember the secret (libsecret).
 *
 * Lifetime: open channels keep their session alive (and it keeps them running); call
 * lab_ssh_session_close() to end everything before dropping the last reference.
 */
#define LAB_TYPE_SSH_SESSION (lab_ssh_session_get_type ())
G_DECLARE_FINAL_TYPE (LabSshSession, lab_ssh_session, LAB, SSH_SESSION, GObject)

LabSshSession *lab_ssh_session_new                 (const char           *host);

void           lab_ssh_session_connect_async       (LabSshSession        *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean       lab_ssh_session_connect_finish      (LabSshSession        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
/* Closes the connection (channels fail with DISCONNECTED); state becomes DISCONNECTED. */
void           lab_ssh_session_close               (LabSshSession        *self);

/* Channels: see lab-ssh-channel.h. @argv is quoted with lab_ssh_command_build(). */
LabSshChannel *lab_ssh_session_create_exec_channel (LabSshSession        *self,
                                                    const char * const   *argv,
                                                    LabSshExecFlags       flags);
/* @argv NULL = login shell. @term NULL = "xterm-256color". */
LabSshChannel *lab_ssh_session_create_pty_channel  (LabSshSession        *self,
                                                    const char * const   *argv,
                                                    LabSshExecFlags       flags,
                                                    const char           *term,
                                                    guint                 cols,
                                                    guint                 rows);

/* A TCP connection from dom0 to @host:@port (libssh2 direct-tcpip), e.g. to a domain's web
 * server on a bridge only dom0 reaches. Start it like the others; stdout-data is what the
 * peer sends, write() sends to it, send_eof() half-closes. See LabSshForward. */
LabSshChannel *lab_ssh_session_create_tcpip_channel (LabSshSession        *self,
                                                     const char           *host,
                                                     guint                 port);

/* Runs @argv to completion, collecting stdout and stderr. @stdin_bytes may be NULL (EOF is
 * sent right away). @timeout_ms 0 = none. Cancelling (or the timeout) closes the channel and
 * fails at once; the remote program gets EOF/SIGPIPE but one that ignores both keeps running
 * (libssh2 1.10 cannot send a "signal" request after exec). Streaming callers
 * use create_exec_channel() instead. */
void               lab_ssh_session_exec_async      (LabSshSession        *self,
                                                    const char * const   *argv,
                                                    LabSshExecFlags       flags,
                                                    GBytes               *stdin_bytes,
                                                    guint                 timeout_ms,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
/* The same, run in @directory on the host (NULL: the login's home). Finish with
 * lab_ssh_session_exec_finish(). */
void               lab_ssh_session_exec_in_async   (LabSshSession        *self,
                                                    const char           *directory,
                                                    const char * const   *argv,
                                                    LabSshExecFlags       flags,
                                                    GBytes               *stdin_bytes,
                                                    guint                 timeout_ms,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LabSshExecResult  *lab_ssh_session_exec_finish     (LabSshSession        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* Creates and starts a PTY channel; resolves to the running channel (output is delivered
 * only after the callback returned, so connect the signals there). */
void               lab_ssh_session_open_pty_async  (LabSshSession        *self,
                                                    const char * const   *argv,
                                                    LabSshExecFlags       flags,
                                                    const char           *term,
                                                    guint                 cols,
                                                    guint                 rows,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LabSshChannel     *lab_ssh_session_open_pty_finish (LabSshSession        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* Setters for the configuration properties (before connecting; the next connection
 * attempt uses them). NULL/0 = from ~/.ssh/config, then the defaults. */
void               lab_ssh_session_set_port          (LabSshSession        *self,
                                                      guint                 port);
void               lab_ssh_session_set_user          (LabSshSession        *self,
                                                      const char           *user);
/* One IdentityFile instead of config's / the default ones. */
void               lab_ssh_session_set_identity_file (LabSshSession        *self,
                                                      const char           *path);
/* TRUE: only keyboard-interactive and password (no agent, no key files). Same as setting
 * auth-methods to { "keyboard-interactive", "password" }. */
void               lab_ssh_session_set_password_only (LabSshSession        *self,
                                                      gboolean              password_only);
/* Which of "agent", "publickey", "keyboard-interactive", "password" may be tried, in that
 * fixed order; NULL = all. */
void               lab_ssh_session_set_auth_methods  (LabSshSession        *self,
                                                      const char * const   *methods);
void               lab_ssh_session_set_ssh_config_file (LabSshSession      *self,
                                                        const char         *path);

/* The password used for password/keyboard-interactive auth (memory only; it is also tried
 * first for sudo). Normally obtained through ask-secret. */
void               lab_ssh_session_set_password    (LabSshSession        *self,
                                                    const char           *password);

LabSshState        lab_ssh_session_get_state       (LabSshSession        *self);
const char        *lab_ssh_session_get_host        (LabSshSession        *self);
/* Effective values once connecting started (config resolved). */
const char        *lab_ssh_session_get_hostname    (LabSshSession        *self);
guint              lab_ssh_session_get_port        (LabSshSession        *self);
const char        *lab_ssh_session_get_user        (LabSshSession        *self);
const char        *lab_ssh_session_get_error_message (LabSshSession      *self);
const char        *lab_ssh_session_get_host_key_fingerprint (LabSshSession *self);
gboolean           lab_ssh_session_get_rsa_key_rejected (LabSshSession   *self);
/* How the last connect authenticated: "agent", "publickey", "keyboard-interactive",
 * "password" or NULL. */
const char        *lab_ssh_session_get_auth_method (LabSshSession        *self);

G_END_DECLS
