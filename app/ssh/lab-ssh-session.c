/* lab-ssh-session.c: the session object, the connection's life (teardown, failure,
 * reconnecting) and the questions to the user
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-known-hosts.h"
#include "lab-ssh-secrets.h"
#include "lab-ssh-session-private.h"

#include "lab-ssh-session.h"

#define DEFAULT_KEEPALIVE_INTERVAL 15
#define MAX_RECONNECT_DELAY_MS 30000

G_DEFINE_FINAL_TYPE (LabSshSession, lab_ssh_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_HOSTNAME,
  PROP_PORT,
  PROP_USER,
  PROP_IDENTITY_FILES,
  PROP_CONNECT_TIMEOUT,
  PROP_KEEPALIVE_INTERVAL,
  PROP_SSH_CONFIG_FILE,
  PROP_KNOWN_HOSTS_FILE,
  PROP_APP_KNOWN_HOSTS_FILE,
  PROP_USE_AGENT,
  PROP_AGENT_SOCKET,
  PROP_USE_SECRET_STORE,
  PROP_AUTO_RECONNECT,
  PROP_RECONNECT_DELAY,
  PROP_RECONNECT_MAX_ATTEMPTS,
  PROP_AUTH_METHODS,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_HOST_KEY_FINGERPRINT,
  PROP_HOST_KEY_TYPE,
  PROP_SERVER_BANNER,
  PROP_RSA_KEY_REJECTED,
  PROP_AUTH_METHOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  VERIFY_HOST_KEY,
  ASK_SECRET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

gboolean
_lab_ssh_rc_is_fatal (int rc)
{
  switch (rc)
    {
    case LIBSSH2_ERROR_SOCKET_NONE:
    case LIBSSH2_ERROR_BANNER_RECV:
    case LIBSSH2_ERROR_BANNER_SEND:
    case LIBSSH2_ERROR_INVALID_MAC:
    case LIBSSH2_ERROR_KEX_FAILURE:
    case LIBSSH2_ERROR_SOCKET_SEND:
    case LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE:
    case LIBSSH2_ERROR_TIMEOUT:
    case LIBSSH2_ERROR_DECRYPT:
    case LIBSSH2_ERROR_SOCKET_DISCONNECT:
    case LIBSSH2_ERROR_PROTO:
    case LIBSSH2_ERROR_SOCKET_TIMEOUT:
    case LIBSSH2_ERROR_BAD_SOCKET:
    case LIBSSH2_ERROR_SOCKET_RECV:
    case LIBSSH2_ERROR_ENCRYPT:
    case LIBSSH2_ERROR_OUT_OF_BOUNDARY:
      return TRUE;
    default:
      return FALSE;
    }
}

const char *
_lab_ssh_session_last_error_text (LabSshSession *self)
{
  char *msg = NULL;

  if (self->raw == NULL)
    return "";
  libssh2_session_last_error (self->raw, &msg, NULL, 0);
  return msg != NULL ? msg : "";
}

static void
set_state (LabSshSession *self,
           LabSshState    state)
{
  if (self->state == state)
    return;
  g_debug ("%s: %s -> %s", self->host, lab_ssh_state_to_string (self->state),
           lab_ssh_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error_message (LabSshSession *self,
                   const char    *message)
{
  if (g_set_str_compat (&self->error_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
secret_clear (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static const char *
display_name (LabSshSession *self)
{
  return self->hostname != NULL ? self->hostname : self->host;
}

/* ------------------------------------------------------------------------------------------ */
/* Teardown, failure and reconnecting                                                         */

static GError *
make_disconnected_error (LabSshSession *self,
                         const char    *why)
{
  if (why != NULL)
    return g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED,
                        _("The connection to %s was lost: %s"), display_name (self), why);
  return g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED,
                      _("Not connected to %s."), display_name (self));
}

/* Drops the libssh2 session and the socket; channels and waiting sudo callers fail with
 * @error. Never blocks: the socket is shut down before libssh2 frees its channels, so no
 * close message can wait for the network. */
static void
teardown (LabSshSession *self,
          const GError  *error,
          gboolean       polite)
{
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) default_error = NULL;

  if (error == NULL)
    error = default_error = make_disconnected_error (self, NULL);

  if (self->dispatching)
    {
      /* Called from a signal handler inside a dispatch (lab-ssh-dispatch.c): libssh2 is
       * still on the stack. */
      self->teardown_pending = TRUE;
      return;
    }

  g_clear_handle_id (&self->kick_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  _lab_ssh_session_clear_watch (self);

  if (self->attempt_cancellable != NULL)
    {
      g_cancellable_cancel (self->attempt_cancellable);
      g_clear_object (&self->attempt_cancellable);
    }
  if (self->pending_request != NULL)
    {
      _lab_ssh_request_detach (self->pending_request);
      g_clear_object (&self->pending_request);
    }
  self->waiting = FALSE;
  self->step = STEP_NONE;
  self->open_owner = NULL;

  channels = _lab_ssh_session_copy_channels (self);
  for (guint i = 0; i < channels->len; i++)
    _lab_ssh_channel_lost (g_ptr_array_index (channels, i), error);
  g_ptr_array_set_size (self->channels, 0);

  if (self->agent != NULL)
    {
      libssh2_agent_disconnect (self->agent);
      libssh2_agent_free (self->agent);
      self->agent = NULL;
      self->agent_identity = NULL;
    }
  if (self->raw != NULL)
    {
      if (polite)
        libssh2_session_disconnect (self->raw, "Closed by Mirage Lab");
      if (self->socket != NULL)
        g_socket_shutdown (self->socket, TRUE, TRUE, NULL);
      /* Now whatever a client still sends fails at once: it frees its libssh2 objects
       * without waiting for the server. */
      _lab_ssh_session_clients_lost (self, error);
      self->keeper = NULL;
      /* libssh2_session_free() frees the abandoned channels too. */
      g_ptr_array_set_size (self->closing, 0);
      libssh2_session_free (self->raw);
      self->raw = NULL;
    }
  if (self->connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
      g_clear_object (&self->connection);
    }
  g_clear_object (&self->socket);
  g_clear_pointer (&self->auth_list, g_free);
  g_clear_pointer (&self->key_file, g_free);
  secret_clear (&self->passphrase);

  /* sudo state belongs to the login: a new connection checks again. */
  self->sudo_mode = LAB_SSH_SUDO_UNKNOWN;
  self->sudo_busy = FALSE;
  _lab_ssh_sudo_fail_all (self, error);
}

static void
complete_connect_tasks (LabSshSession *self,
                        const GError  *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->connect_tasks);

  self->connect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* A new attempt starts from scratch: nothing of the previous one is left. */
static void
start_attempt (LabSshSession *self)
{
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  teardown (self, NULL, FALSE);
  _lab_ssh_connect_start (self);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  LabSshSession *self = user_data;

  self->reconnect_id = 0;
  start_attempt (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (LabSshSession *self)
{
  guint delay = MAX (self->reconnect_delay, 1);

  for (guint i = 0; i < self->reconnect_attempt && delay < MAX_RECONNECT_DELAY_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_RECONNECT_DELAY_MS);
  self->reconnect_attempt++;
  g_debug ("%s: reconnect attempt %u in %u ms", self->host, self->reconnect_attempt, delay);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  self->reconnect_id = g_timeout_add (delay, reconnect_cb, self);
}

/* The link died while connected: fail what is pending, then reconnect with backoff. */
void
_lab_ssh_session_connection_lost (LabSshSession *self,
                                  const char    *why)
{
  g_autoptr(GError) error = make_disconnected_error (self, why);

  g_debug ("%s: %s", self->host, error->message);
  teardown (self, error, FALSE);
  if (self->teardown_pending)
    return;
  set_error_message (self, error->message);
  if (self->auto_reconnect && self->reconnect_max_attempts > 0)
    {
      self->reconnect_attempt = 0;
      set_state (self, LAB_SSH_STATE_RECONNECTING);
      schedule_reconnect (self);
    }
  else
    set_state (self, LAB_SSH_STATE_FAILED);
}

static gboolean
error_is_transient (const GError *error)
{
  if (error->domain == LAB_SSH_ERROR)
    return error->code == LAB_SSH_ERROR_DISCONNECTED || error->code == LAB_SSH_ERROR_TIMEOUT
           || error->code == LAB_SSH_ERROR_PROTOCOL;
  if (error->domain == G_IO_ERROR)
    return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;
  return FALSE;
}

/* Takes @error. The current attempt is over. */
static void
attempt_failed (LabSshSession *self,
                GError        *error)
{
  g_autoptr(GError) owned = error;
  gboolean reconnecting = self->state == LAB_SSH_STATE_RECONNECTING;

  g_debug ("%s: connection attempt failed: %s", self->host, error->message);
  teardown (self, error, TRUE);
  set_error_message (self, error->message);

  if (reconnecting && self->auto_reconnect && error_is_transient (error)
      && self->reconnect_attempt < self->reconnect_max_attempts)
    {
      schedule_reconnect (self);
      return;
    }
  set_state (self, LAB_SSH_STATE_FAILED);
  complete_connect_tasks (self, error);
}

static void
fail_rc (LabSshSession *self,
         int            rc,
         const char    *what)
{
  LabSshError code = rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV
                     || rc == LIBSSH2_ERROR_SOCKET_SEND
                     ? LAB_SSH_ERROR_DISCONNECTED : LAB_SSH_ERROR_PROTOCOL;

  attempt_failed (self, g_error_new (LAB_SSH_ERROR, code, "%s (%s, %d)", what,
                                     _lab_ssh_session_last_error_text (self), rc));
}

/* The keeper channel is open: the attempt succeeded. */
void
_lab_ssh_session_connected (LabSshSession *self)
{
  set_error_message (self, NULL);
  if (self->rsa_key_rejected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RSA_KEY_REJECTED]);
  set_state (self, LAB_SSH_STATE_CONNECTED);
  complete_connect_tasks (self, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests to the user                                                                       */

void
_lab_ssh_session_resume (LabSshSession *self)
{
  self->waiting = FALSE;
  self->last_recv = g_get_monotonic_time ();
  _lab_ssh_session_kick (self);
}

static void
request_cb (LabSshRequest         *request,
            gboolean               cancelled,
            LabSshHostKeyDecision  decision,
            const char            *secret,
            gboolean               remember,
            gpointer               user_data)
{
  LabSshSession *self = user_data;
  LabSshRequestKind kind = lab_ssh_request_get_kind (request);

  if (request != self->pending_request)
    return;

  self->ask_cancelled = cancelled;
  if (kind == LAB_SSH_REQUEST_HOST_KEY)
    {
      if (cancelled || decision == LAB_SSH_HOST_KEY_REJECT)
        {
          g_clear_object (&self->pending_request);
          self->waiting = FALSE;
          attempt_failed (self, g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_UNKNOWN,
                                             _("The host key of %s was not accepted."),
                                             display_name (self)));
          return;
        }
      if (decision == LAB_SSH_HOST_KEY_ACCEPT_SAVE)
        {
          size_t len = 0;
          int type = 0;
          const char *key = libssh2_session_hostkey (self->raw, &len, &type);
          g_autoptr(GError) error = NULL;

          if (!lab_known_hosts_add (self->app_known_hosts_file, self->hostname,
                                    (guint16) self->port, type, (const guchar *) key, len,
                                    &error))
            g_warning ("Could not save the host key: %s", error->message);
        }
      g_ptr_array_add (self->accepted_keys,
                       g_strdup_printf ("%s:%u %s", self->hostname, self->port,
                                        self->fingerprint));
      self->step = STEP_AUTH_LIST;
    }
  else if (!cancelled && secret != NULL)
    {
      if (kind == LAB_SSH_REQUEST_PASSPHRASE)
        {
          secret_clear (&self->passphrase);
          self->passphrase = g_strdup (secret);
          self->passphrase_remember = remember;
        }
      else if (kind == LAB_SSH_REQUEST_PASSWORD)
        {
          secret_clear (&self->password);
          self->password = g_strdup (secret);
          self->password_remember = remember;
        }
      else if (kind == LAB_SSH_REQUEST_SUDO_PASSWORD)
        {
          secret_clear (&self->sudo_password);
          self->sudo_password = g_strdup (secret);
          self->sudo_remember = remember;
        }
    }

  g_clear_object (&self->pending_request);
  _lab_ssh_session_resume (self);
}

/* Emits @signal_id with @request; the answer arrives in request_cb (maybe right away). */
static void
ask_user (LabSshSession *self,
          guint          signal_id,
          LabSshRequest *request)
{
  gboolean handled = FALSE;

  g_clear_object (&self->pending_request);
  self->pending_request = g_object_ref (request);
  self->waiting = TRUE;
  self->ask_cancelled = FALSE;
  _lab_ssh_request_set_callback (request, request_cb, self);
  g_signal_emit (self, signals[signal_id], 0, request, &handled);
  /* A handler that kept a reference answers later even if it did not say so; the caller's
   * and our pending_request account for two references. */
  if (!handled && !lab_ssh_request_get_replied (request)
      && g_atomic_int_get (&G_OBJECT (request)->ref_count) <= 2)
    lab_ssh_request_cancel (request);
}

void
_lab_ssh_session_ask_secret (LabSshSession *self,
                             LabSshRequest *request)
{
  ask_user (self, ASK_SECRET, request);
}

void
_lab_ssh_session_verify_host_key (LabSshSession *self,
                                  LabSshRequest *request)
{
  ask_user (self, VERIFY_HOST_KEY, request);
}

/* For the other pieces (lab-ssh-session-private.h) */

const char *
_lab_ssh_session_display_name (LabSshSession *self)
{
  return display_name (self);
}

void
_lab_ssh_session_secret_clear (char **secret)
{
  secret_clear (secret);
}

void
_lab_ssh_session_attempt_failed (LabSshSession *self,
                                 GError        *error)
{
  attempt_failed (self, error);
}

void
_lab_ssh_session_fail_rc (LabSshSession *self,
                          int            rc,
                          const char    *what)
{
  fail_rc (self, rc, what);
}

void
_lab_ssh_session_teardown (LabSshSession *self,
                           const GError  *error,
                           gboolean       polite)
{
  teardown (self, error, polite);
}

gboolean
_lab_ssh_session_emit_ask_secret (LabSshSession *self,
                                  LabSshRequest *request)
{
  gboolean handled = FALSE;

  g_signal_emit (self, signals[ASK_SECRET], 0, request, &handled);
  return handled;
}

void
_lab_ssh_session_store_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!lab_ssh_secrets_store_finish (result, &error))
    g_message ("Could not save the secret in the keyring: %s", error->message);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
lab_ssh_session_dispose (GObject *object)
{
  LabSshSession *self = LAB_SSH_SESSION (object);

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  self->dispatching = FALSE;
  teardown (self, NULL, TRUE);

  G_OBJECT_CLASS (lab_ssh_session_parent_class)->dispose (object);
}

static void
lab_ssh_session_finalize (GObject *object)
{
  LabSshSession *self = LAB_SSH_SESSION (object);

  g_free (self->host);
  g_free (self->hostname_prop);
  g_free (self->user_prop);
  g_strfreev (self->identity_files_prop);
  g_free (self->ssh_config_file);
  g_free (self->known_hosts_file);
  g_free (self->app_known_hosts_file);
  g_free (self->agent_socket);
  g_strfreev (self->auth_methods);
  g_free (self->hostname);
  g_free (self->user);
  g_strfreev (self->identities);
  g_free (self->error_message);
  g_free (self->fingerprint);
  g_free (self->host_key_type);
  g_free (self->banner);
  g_clear_pointer (&self->connect_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->accepted_keys, g_ptr_array_unref);
  g_clear_pointer (&self->passphrases, g_hash_table_unref);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  g_clear_pointer (&self->closing, g_ptr_array_unref);
  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->sudo_tasks, g_ptr_array_unref);
  g_free (self->buffer);
  g_free (self->auth_note);
  secret_clear (&self->password);
  secret_clear (&self->sudo_password);

  G_OBJECT_CLASS (lab_ssh_session_parent_class)->finalize (object);
}

static void
lab_ssh_session_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LabSshSession *self = LAB_SSH_SESSION (object);

  switch (prop_id)
    {
    case PROP_HOST: g_value_set_string (value, self->host); break;
    case PROP_HOSTNAME: g_value_set_string (value, lab_ssh_session_get_hostname (self)); break;
    case PROP_PORT: g_value_set_uint (value, lab_ssh_session_get_port (self)); break;
    case PROP_USER: g_value_set_string (value, lab_ssh_session_get_user (self)); break;
    case PROP_IDENTITY_FILES: g_value_set_boxed (value, self->identity_files_prop); break;
    case PROP_CONNECT_TIMEOUT: g_value_set_uint (value, self->connect_timeout_prop); break;
    case PROP_KEEPALIVE_INTERVAL: g_value_set_uint (value, self->keepalive_interval); break;
    case PROP_SSH_CONFIG_FILE: g_value_set_string (value, self->ssh_config_file); break;
    case PROP_KNOWN_HOSTS_FILE: g_value_set_string (value, self->known_hosts_file); break;
    case PROP_APP_KNOWN_HOSTS_FILE: g_value_set_string (value, self->app_known_hosts_file); break;
    case PROP_USE_AGENT: g_value_set_boolean (value, self->use_agent); break;
    case PROP_AGENT_SOCKET: g_value_set_string (value, self->agent_socket); break;
    case PROP_USE_SECRET_STORE: g_value_set_boolean (value, self->use_secret_store); break;
    case PROP_AUTO_RECONNECT: g_value_set_boolean (value, self->auto_reconnect); break;
    case PROP_RECONNECT_DELAY: g_value_set_uint (value, self->reconnect_delay); break;
    case PROP_RECONNECT_MAX_ATTEMPTS: g_value_set_uint (value, self->reconnect_max_attempts);
      break;
    case PROP_AUTH_METHODS: g_value_set_boxed (value, self->auth_methods); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_HOST_KEY_FINGERPRINT: g_value_set_string (value, self->fingerprint); break;
    case PROP_HOST_KEY_TYPE: g_value_set_string (value, self->host_key_type); break;
    case PROP_SERVER_BANNER: g_value_set_string (value, self->banner); break;
    case PROP_RSA_KEY_REJECTED: g_value_set_boolean (value, self->rsa_key_rejected); break;
    case PROP_AUTH_METHOD: g_value_set_string (value, self->auth_method); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_ssh_session_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LabSshSession *self = LAB_SSH_SESSION (object);

  switch (prop_id)
    {
    case PROP_HOST: g_set_str_compat (&self->host, g_value_get_string (value)); break;
    case PROP_HOSTNAME:
      g_set_str_compat (&self->hostname_prop, g_value_get_string (value));
      break;
    case PROP_PORT: self->port_prop = g_value_get_uint (value); break;
    case PROP_USER: g_set_str_compat (&self->user_prop, g_value_get_string (value)); break;
    case PROP_IDENTITY_FILES:
      g_strfreev (self->identity_files_prop);
      self->identity_files_prop = g_value_dup_boxed (value);
      break;
    case PROP_CONNECT_TIMEOUT: self->connect_timeout_prop = g_value_get_uint (value); break;
    case PROP_KEEPALIVE_INTERVAL: self->keepalive_interval = g_value_get_uint (value); break;
    case PROP_SSH_CONFIG_FILE:
      g_set_str_compat (&self->ssh_config_file, g_value_get_string (value));
      break;
    case PROP_KNOWN_HOSTS_FILE:
      g_set_str_compat (&self->known_hosts_file, g_value_get_string (value));
      break;
    case PROP_APP_KNOWN_HOSTS_FILE:
      g_set_str_compat (&self->app_known_hosts_file, g_value_get_string (value));
      break;
    case PROP_USE_AGENT: self->use_agent = g_value_get_boolean (value); break;
    case PROP_AGENT_SOCKET:
      g_set_str_compat (&self->agent_socket, g_value_get_string (value));
      break;
    case PROP_USE_SECRET_STORE: self->use_secret_store = g_value_get_boolean (value); break;
    case PROP_AUTO_RECONNECT: self->auto_reconnect = g_value_get_boolean (value); break;
    case PROP_RECONNECT_DELAY: self->reconnect_delay = g_value_get_uint (value); break;
    case PROP_RECONNECT_MAX_ATTEMPTS:
      self->reconnect_max_attempts = g_value_get_uint (value);
      break;
    case PROP_AUTH_METHODS:
      g_strfreev (self->auth_methods);
      self->auth_methods = g_value_dup_boxed (value);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_ssh_session_class_init (LabSshSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lab_ssh_session_dispose;
  object_class->finalize = lab_ssh_session_finalize;
  object_class->get_property = lab_ssh_session_get_property;
  object_class->set_property = lab_ssh_session_set_property;

  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                               | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOSTNAME] = g_param_spec_string ("hostname", NULL, NULL, NULL, rw);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, rw);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, rw);
  properties[PROP_IDENTITY_FILES] = g_param_spec_boxed ("identity-files", NULL, NULL,
                                                        G_TYPE_STRV, rw);
  properties[PROP_CONNECT_TIMEOUT] = g_param_spec_uint ("connect-timeout", NULL, NULL,
                                                        0, 3600, 0, rw);
  properties[PROP_KEEPALIVE_INTERVAL] = g_param_spec_uint ("keepalive-interval", NULL, NULL,
                                                           1, 3600,
                                                           DEFAULT_KEEPALIVE_INTERVAL, rw);
  properties[PROP_SSH_CONFIG_FILE] = g_param_spec_string ("ssh-config-file", NULL, NULL, NULL,
                                                          rw);
  properties[PROP_KNOWN_HOSTS_FILE] = g_param_spec_string ("known-hosts-file", NULL, NULL,
                                                           NULL, rw);
  properties[PROP_APP_KNOWN_HOSTS_FILE] = g_param_spec_string ("app-known-hosts-file", NULL,
                                                               NULL, NULL, rw);
  properties[PROP_USE_AGENT] = g_param_spec_boolean ("use-agent", NULL, NULL, TRUE, rw);
  properties[PROP_AGENT_SOCKET] = g_param_spec_string ("agent-socket", NULL, NULL, NULL, rw);
  properties[PROP_USE_SECRET_STORE] = g_param_spec_boolean ("use-secret-store", NULL, NULL,
                                                            TRUE, rw);
  properties[PROP_AUTO_RECONNECT] = g_param_spec_boolean ("auto-reconnect", NULL, NULL, TRUE,
                                                          rw);
  properties[PROP_RECONNECT_DELAY] = g_param_spec_uint ("reconnect-delay", NULL, NULL,
                                                        1, MAX_RECONNECT_DELAY_MS, 1000, rw);
  properties[PROP_RECONNECT_MAX_ATTEMPTS] = g_param_spec_uint ("reconnect-max-attempts", NULL,
                                                               NULL, 0, 1000, 10, rw);
  properties[PROP_AUTH_METHODS] = g_param_spec_boxed ("auth-methods", NULL, NULL, G_TYPE_STRV,
                                                      rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LAB_TYPE_SSH_STATE,
                                              LAB_SSH_STATE_DISCONNECTED, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_HOST_KEY_FINGERPRINT] = g_param_spec_string ("host-key-fingerprint", NULL,
                                                               NULL, NULL, ro);
  properties[PROP_HOST_KEY_TYPE] = g_param_spec_string ("host-key-type", NULL, NULL, NULL, ro);
  properties[PROP_SERVER_BANNER] = g_param_spec_string ("server-banner", NULL, NULL, NULL, ro);
  properties[PROP_RSA_KEY_REJECTED] = g_param_spec_boolean ("rsa-key-rejected", NULL, NULL,
                                                            FALSE, ro);
  properties[PROP_AUTH_METHOD] = g_param_spec_string ("auth-method", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[VERIFY_HOST_KEY] = g_signal_new ("verify-host-key", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0,
                                           g_signal_accumulator_true_handled, NULL, NULL,
                                           G_TYPE_BOOLEAN, 1, LAB_TYPE_SSH_REQUEST);
  signals[ASK_SECRET] = g_signal_new ("ask-secret", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0,
                                      g_signal_accumulator_true_handled, NULL, NULL,
                                      G_TYPE_BOOLEAN, 1, LAB_TYPE_SSH_REQUEST);
}

static void
lab_ssh_session_init (LabSshSession *self)
{
  lab_ssh_library_init ();

  self->keepalive_interval = DEFAULT_KEEPALIVE_INTERVAL;
  self->use_agent = TRUE;
  self->use_secret_store = TRUE;
  self->auto_reconnect = TRUE;
  self->reconnect_delay = 1000;
  self->reconnect_max_attempts = 10;
  self->connect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->accepted_keys = g_ptr_array_new_with_free_func (g_free);
  self->passphrases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) lab_ssh_secret_free);
  self->channels = g_ptr_array_new_with_free_func (g_object_unref);
  self->closing = g_ptr_array_new ();
  self->sudo_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

LabSshSession *
lab_ssh_session_new (const char *host)
{
  g_return_val_if_fail (host != NULL && *host != '\0', NULL);

  return g_object_new (LAB_TYPE_SSH_SESSION, "host", host, NULL);
}

void
lab_ssh_session_connect_async (LabSshSession       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LAB_IS_SSH_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_ssh_session_connect_async);
  g_task_set_check_cancellable (task, TRUE);

  if (self->state == LAB_SSH_STATE_CONNECTED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->connect_tasks, g_steal_pointer (&task));
  if (self->state == LAB_SSH_STATE_CONNECTING || self->state == LAB_SSH_STATE_RECONNECTING)
    return;

  set_error_message (self, NULL);
  self->reconnect_attempt = 0;
  set_state (self, LAB_SSH_STATE_CONNECTING);
  start_attempt (self);
}

gboolean
lab_ssh_session_connect_finish (LabSshSession  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lab_ssh_session_close (LabSshSession *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LAB_IS_SSH_SESSION (self));

  error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED, "%s",
                       _("The connection was closed."));
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  teardown (self, error, TRUE);
  secret_clear (&self->sudo_password);
  self->sudo_login_tried = FALSE;
  self->sudo_lookup_done = FALSE;
  set_state (self, LAB_SSH_STATE_DISCONNECTED);
  complete_connect_tasks (self, error);
}

LabSshChannel *
lab_ssh_session_create_exec_channel (LabSshSession      *self,
                                     const char * const *argv,
                                     LabSshExecFlags     flags)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  return _lab_ssh_channel_new (self, argv, flags, FALSE, NULL, 0, 0);
}

LabSshChannel *
lab_ssh_session_create_pty_channel (LabSshSession      *self,
                                    const char * const *argv,
                                    LabSshExecFlags     flags,
                                    const char         *term,
                                    guint               cols,
                                    guint               rows)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);

  return _lab_ssh_channel_new (self, argv, flags & ~LAB_SSH_EXEC_MERGE_STDERR, TRUE, term,
                               cols, rows);
}

LabSshChannel *
lab_ssh_session_create_tcpip_channel (LabSshSession *self,
                                      const char    *host,
                                      guint          port)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);
  g_return_val_if_fail (host != NULL && port > 0 && port < 65536, NULL);

  return _lab_ssh_channel_new_tcpip (self, host, port);
}

void
lab_ssh_session_set_port (LabSshSession *self,
                          guint          port)
{
  g_return_if_fail (LAB_IS_SSH_SESSION (self));
  g_object_set (self, "port", port, NULL);
}

void
lab_ssh_session_set_user (LabSshSession *self,
                          const char    *user)
{
  g_return_if_fail (LAB_IS_SSH_SESSION (self));
  g_object_set (self, "user", user, NULL);
}

void
lab_ssh_session_set_identity_file (LabSshSession *self,
                                   const char    *path)
{
  const char *files[] = { path, NULL };

  g_return_if_fail (LAB_IS_SSH_SESSION (self));
  g_object_set (self, "identity-files", path != NULL ? files : NULL, NULL);
}

void
lab_ssh_session_set_password_only (LabSshSession *self,
                                   gboolean       password_only)
{
  const char * const methods[] = { "keyboard-interactive", "password", NULL };

  g_return_if_fail (LAB_IS_SSH_SESSION (self));
  lab_ssh_session_set_auth_methods (self, password_only ? methods : NULL);
}

void
lab_ssh_session_set_auth_methods (LabSshSession      *self,
                                  const char * const *methods)
{
  g_return_if_fail (LAB_IS_SSH_SESSION (self));
  g_object_set (self, "auth-methods", methods, NULL);
}

void
lab_ssh_session_set_ssh_config_file (LabSshSession *self,
                                     const char    *path)
{
  g_return_if_fail (LAB_IS_SSH_SESSION (self));
  g_object_set (self, "ssh-config-file", path, NULL);
}

void
lab_ssh_session_set_password (LabSshSession *self,
                              const char    *password)
{
  g_return_if_fail (LAB_IS_SSH_SESSION (self));

  secret_clear (&self->password);
  self->password = g_strdup (password);
  self->sudo_login_tried = FALSE;
}

LabSshState
lab_ssh_session_get_state (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), LAB_SSH_STATE_DISCONNECTED);
  return self->state;
}

const char *
lab_ssh_session_get_host (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);
  return self->host;
}

const char *
lab_ssh_session_get_hostname (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);
  return self->hostname != NULL ? self->hostname : self->hostname_prop;
}

guint
lab_ssh_session_get_port (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), 0);
  return self->port != 0 ? self->port : self->port_prop;
}

const char *
lab_ssh_session_get_user (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);
  return self->user != NULL ? self->user : self->user_prop;
}

const char *
lab_ssh_session_get_error_message (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);
  return self->error_message;
}

const char *
lab_ssh_session_get_host_key_fingerprint (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);
  return self->fingerprint;
}

gboolean
lab_ssh_session_get_rsa_key_rejected (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), FALSE);
  return self->rsa_key_rejected;
}

const char *
lab_ssh_session_get_auth_method (LabSshSession *self)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (self), NULL);
  return self->auth_method;
}
