/* lab-ssh-session-private.h: what the pieces of LabSshSession share (lab-ssh-session.c, the
 * object and the connection's life; lab-ssh-connect.c, reaching the server and keeping the
 * link alive; lab-ssh-auth.c, logging in; lab-ssh-dispatch.c, the main loop and channel I/O;
 * lab-ssh-sudo.c, sudo).
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-ssh-private.h"

G_BEGIN_DECLS

typedef enum
{
  STEP_NONE,
  STEP_TCP,
  STEP_HANDSHAKE,
  STEP_HOSTKEY,
  STEP_HOSTKEY_WAIT,
  STEP_AUTH_LIST,
  STEP_AUTH_AGENT_INIT,
  STEP_AUTH_AGENT_NEXT,
  STEP_AUTH_AGENT_TRY,
  STEP_AUTH_KEY_NEXT,
  STEP_AUTH_KEY_SECRET,
  STEP_AUTH_KEY_TRY,
  STEP_AUTH_PASSWORD_NEXT,
  STEP_AUTH_KBDINT_TRY,
  STEP_AUTH_PASSWORD_TRY,
  STEP_KEEPER_OPEN,
  STEP_READY,
} LabSshSessionStep;

struct _LabSshSession
{
  GObject            parent_instance;

  /* Configuration */
  char              *host;
  char              *hostname_prop;
  guint              port_prop;
  char              *user_prop;
  GStrv              identity_files_prop;
  guint              connect_timeout_prop;
  guint              keepalive_interval;
  char              *ssh_config_file;
  char              *known_hosts_file;
  char              *app_known_hosts_file;
  gboolean           use_agent;
  char              *agent_socket;
  gboolean           use_secret_store;
  gboolean           auto_reconnect;
  guint              reconnect_delay;
  guint              reconnect_max_attempts;
  GStrv              auth_methods;

  /* Effective values of the current attempt */
  char              *hostname;
  guint              port;
  char              *user;
  GStrv              identities;
  guint              connect_timeout;

  /* State for bindings */
  LabSshState        state;
  char              *error_message;
  char              *fingerprint;
  char              *host_key_type;
  char              *banner;
  gboolean           rsa_key_rejected;
  const char        *auth_method;

  /* The connection */
  LabSshSessionStep  step;
  gboolean           waiting;            /* on the user or the keyring */
  GCancellable      *attempt_cancellable;
  GSocketConnection *connection;
  GSocket           *socket;
  LIBSSH2_SESSION   *raw;
  LIBSSH2_CHANNEL   *keeper;             /* idle channel that pumps the transport */
  LIBSSH2_AGENT     *agent;
  struct libssh2_agent_publickey *agent_identity;
  GSource           *socket_source;
  GIOCondition       watched;
  guint              kick_id;
  guint              tick_id;
  guint              reconnect_id;
  gint64             last_recv;          /* monotonic µs */
  gint64             last_keepalive;
  gint64             keepalive_pending;  /* first keepalive sent since the last answer */
  guint              reconnect_attempt;
  GPtrArray         *connect_tasks;
  LabSshRequest     *pending_request;
  GPtrArray         *accepted_keys;      /* "name fingerprint" accepted once */

  /* Authentication */
  char              *auth_list;
  guint              key_index;
  char              *key_file;
  gboolean           key_encrypted;
  gboolean           key_is_rsa;
  guint              passphrase_attempt;
  char              *passphrase;
  gboolean           passphrase_remember;
  gboolean           passphrase_lookup_done;
  GHashTable        *passphrases;        /* key file -> passphrase (memory only) */
  char              *password;
  gboolean           password_remember;
  gboolean           password_lookup_done;
  guint              password_attempt;
  gboolean           use_kbdint;
  gboolean           ask_cancelled;
  char              *auth_note;          /* why the previous attempt failed, for the prompt */

  /* Channels */
  GPtrArray         *channels;
  GPtrArray         *closing;            /* LIBSSH2_CHANNEL, abandoned, being freed */
  GPtrArray         *clients;            /* not channels, e.g. SFTP (lab-ssh-dispatch.c) */
  gpointer           open_owner;
  guchar            *buffer;
  gboolean           dispatching;
  gboolean           teardown_pending;

  /* sudo */
  LabSshSudoMode     sudo_mode;
  char              *sudo_password;
  gboolean           sudo_remember;
  gboolean           sudo_busy;
  gboolean           sudo_login_tried;
  gboolean           sudo_lookup_done;
  GPtrArray         *sudo_tasks;
};

/* What a step of the connection state machine leaves to do. */
typedef enum
{
  LAB_SSH_STEP_GO_ON,   /* the next step (self->step) can run now */
  LAB_SSH_STEP_WAIT,    /* wait for the socket or the user, or the attempt is over */
} LabSshStepResult;

typedef LabSshStepResult (*LabSshStepFunc) (LabSshSession *self);

/* Session services for the other pieces */
const char      *_lab_ssh_session_display_name    (LabSshSession   *self);
/* libssh2's text for its last error, or "". */
const char      *_lab_ssh_session_last_error_text (LabSshSession   *self);
/* Overwrites and frees *@secret. */
void             _lab_ssh_session_secret_clear    (char           **secret);
/* Takes @error. The current attempt is over. */
void             _lab_ssh_session_attempt_failed  (LabSshSession   *self,
                                                   GError          *error);
void             _lab_ssh_session_fail_rc         (LabSshSession   *self,
                                                   int              rc,
                                                   const char      *what);
/* The keeper channel is open: the session is connected. */
void             _lab_ssh_session_connected       (LabSshSession   *self);
/* The link died while connected: fail what is pending, then reconnect with backoff. */
void             _lab_ssh_session_connection_lost (LabSshSession   *self,
                                                   const char      *why);
/* Drops the libssh2 session and the socket; channels and waiting sudo callers fail with
 * @error (NULL: "not connected"). Inside a dispatch, only marks it pending. */
void             _lab_ssh_session_teardown        (LabSshSession   *self,
                                                   const GError    *error,
                                                   gboolean         polite);
/* Emits ask-secret or verify-host-key with @request; the answer arrives in the session
 * (maybe right away) and goes into the session's fields. */
void             _lab_ssh_session_ask_secret      (LabSshSession   *self,
                                                   LabSshRequest   *request);
void             _lab_ssh_session_verify_host_key (LabSshSession   *self,
                                                   LabSshRequest   *request);
/* Emits ask-secret for a request whose callback the caller set; returns handled. */
gboolean         _lab_ssh_session_emit_ask_secret (LabSshSession   *self,
                                                   LabSshRequest   *request);
/* The user or the keyring answered: the state machine goes on. */
void             _lab_ssh_session_resume          (LabSshSession   *self);
/* Logs a secret the keyring could not store. */
void             _lab_ssh_session_store_cb        (GObject         *object,
                                                   GAsyncResult    *result,
                                                   gpointer         user_data);

/* The main loop (lab-ssh-dispatch.c) */
/* Watch what libssh2 is blocked on; once connected, always notice incoming data. */
void             _lab_ssh_session_update_watch    (LabSshSession   *self);
void             _lab_ssh_session_clear_watch     (LabSshSession   *self);
/* A copy of the channel list holding a reference on each, to walk while channels come and
 * go. */
GPtrArray       *_lab_ssh_session_copy_channels   (LabSshSession   *self);
/* The connection is gone (the socket already shut down): every client's lost() runs. */
void             _lab_ssh_session_clients_lost    (LabSshSession   *self,
                                                   const GError    *error);

/* Connecting (lab-ssh-connect.c) */
/* Reads ssh_config and opens the TCP connection; the state machine goes on from there. */
void             _lab_ssh_connect_start           (LabSshSession   *self);
/* Runs the connection state machine until it must wait for the socket or the user. */
void             _lab_ssh_connect_run             (LabSshSession   *self);

/* Authentication steps (lab-ssh-auth.c) */
LabSshStepResult _lab_ssh_auth_step_list          (LabSshSession   *self);
LabSshStepResult _lab_ssh_auth_step_agent_init    (LabSshSession   *self);
LabSshStepResult _lab_ssh_auth_step_agent_next    (LabSshSession   *self);
LabSshStepResult _lab_ssh_auth_step_agent_try     (LabSshSession   *self);
LabSshStepResult _lab_ssh_auth_step_key_next      (LabSshSession   *self);
LabSshStepResult _lab_ssh_auth_step_key_secret    (LabSshSession   *self);
LabSshStepResult _lab_ssh_auth_step_key_try       (LabSshSession   *self);
LabSshStepResult _lab_ssh_auth_step_password_next (LabSshSession   *self);
LabSshStepResult _lab_ssh_auth_step_password_try  (LabSshSession   *self);

/* sudo (lab-ssh-sudo.c): fails every caller waiting for sudo_prepare. */
void             _lab_ssh_sudo_fail_all           (LabSshSession   *self,
                                                   const GError    *error);

G_END_DECLS
