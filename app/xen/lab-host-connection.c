/* lab-host-connection.c — a dom0 host at run time: the object, its properties and signals,
 * and its SSH session from connect to disconnect. The domain list (-poll.c), the web pages
 * (-probe.c), the actions (-actions.c) and why domains ended (-ends.c) are parts of their
 * own that share lab-host-connection-internal.h.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-connection"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "lab-xl-commands.h"

#include "lab-host-connection-internal.h"
#include "lab-host-connection.h"

G_DEFINE_ENUM_TYPE (LabConnectionState, lab_connection_state,
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_FAILED, "failed"))

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LabHostConnection, lab_host_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_DOMAINS,
  PROP_STATE,
  PROP_MESSAGE,
  PROP_POLL_ERROR,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
lab_connection_state_to_string (LabConnectionState state)
{
  switch (state)
    {
    case LAB_CONNECTION_STATE_DISCONNECTED:
      return _("Not connected");
    case LAB_CONNECTION_STATE_CONNECTING:
      return _("Connecting…");
    case LAB_CONNECTION_STATE_CONNECTED:
      return _("Connected");
    case LAB_CONNECTION_STATE_RECONNECTING:
      return _("Connection lost, reconnecting…");
    case LAB_CONNECTION_STATE_FAILED:
      return _("Connection failed");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
lab_connection_state_get_icon_name (LabConnectionState state)
{
  switch (state)
    {
    case LAB_CONNECTION_STATE_DISCONNECTED:
      return "network-offline-symbolic";
    case LAB_CONNECTION_STATE_CONNECTING:
    case LAB_CONNECTION_STATE_RECONNECTING:
      return "network-no-route-symbolic";
    case LAB_CONNECTION_STATE_CONNECTED:
      return "network-transmit-receive-symbolic";
    case LAB_CONNECTION_STATE_FAILED:
      return "network-error-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

LabHostConnection *
lab_host_connection_new (LabHost *host)
{
  g_return_val_if_fail (LAB_IS_HOST (host), NULL);

  return g_object_new (LAB_TYPE_HOST_CONNECTION, "host", host, NULL);
}

LabHost *
lab_host_connection_get_host (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  return self->host;
}

LabDomainStore *
lab_host_connection_get_domains (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  return self->domains;
}

LabConnectionState
lab_host_connection_get_state (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), LAB_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

const char *
lab_host_connection_get_message (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  return self->message;
}

void
lab_host_connection_set_state (LabHostConnection  *self,
                               LabConnectionState  state,
                               const char         *message)
{
  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
}

/* ---- for the other parts (lab-host-connection-internal.h) --------------------------- */

void
_lab_host_connection_emit_domain (LabHostConnection       *self,
                                  LabHostConnectionSignal  signal,
                                  LabDomain               *domain)
{
  g_assert (signal == DOMAIN_CRASHED || signal == DOMAIN_LOST || signal == DOMAIN_ENDED);

  g_signal_emit (self, signals[signal], 0, domain);
}

void
_lab_host_connection_set_poll_error (LabHostConnection *self,
                                     const char        *message)
{
  if (g_strcmp0 (self->poll_error, message) == 0)
    return;
  g_free (self->poll_error);
  self->poll_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_ERROR]);
}

char *
_lab_host_connection_describe_failure (LabSshExecResult *result,
                                       const GError     *error)
{
  const char *err;

  if (error != NULL)
    return g_strdup (error->message);
  err = lab_ssh_exec_result_get_stderr_text (result);
  if (err != NULL && *err != '\0')
    return g_strstrip (g_strdup (err));
  return g_strdup_printf (_("The command failed with exit status %d."),
                          lab_ssh_exec_result_get_exit_status (result));
}

/* ---- the SSH session ---------------------------------------------------------------- */

static LabConnectionState
lab_host_connection_state_from_session (LabSshState state)
{
  switch (state)
    {
    case LAB_SSH_STATE_CONNECTING:
      return LAB_CONNECTION_STATE_CONNECTING;
    case LAB_SSH_STATE_CONNECTED:
      return LAB_CONNECTION_STATE_CONNECTED;
    case LAB_SSH_STATE_RECONNECTING:
      return LAB_CONNECTION_STATE_RECONNECTING;
    case LAB_SSH_STATE_FAILED:
      return LAB_CONNECTION_STATE_FAILED;
    case LAB_SSH_STATE_DISCONNECTED:
    default:
      return LAB_CONNECTION_STATE_DISCONNECTED;
    }
}

static void
lab_host_connection_session_state_cb (LabHostConnection *self,
                                      GParamSpec        *pspec,
                                      LabSshSession     *session)
{
  LabSshState ssh_state = lab_ssh_session_get_state (session);
  LabConnectionState state = lab_host_connection_state_from_session (ssh_state);
  const char *message = NULL;

  /* Until the first poll after connecting has worked, "connected" is what
   * lab_host_connection_home_cb announces (once dom0's home is known); the session's own
   * transitions after that (lost, back) go straight through. */
  if (self->state == LAB_CONNECTION_STATE_CONNECTING && state == LAB_CONNECTION_STATE_CONNECTED)
    return;

  if (state == LAB_CONNECTION_STATE_FAILED || state == LAB_CONNECTION_STATE_RECONNECTING)
    message = lab_ssh_session_get_error_message (session);

  g_debug ("%s: session state %s", lab_host_get_name (self->host),
           lab_ssh_state_to_string (ssh_state));
  lab_host_connection_set_state (self, state, message);

  if (state == LAB_CONNECTION_STATE_CONNECTED)
    lab_host_connection_poll_now (self);
  else
    _lab_host_connection_poll_stop (self);
}

static gboolean
lab_host_connection_session_request_cb (LabHostConnection *self,
                                        LabSshRequest     *request)
{
  /* The UI answers; if nobody does, the request is cancelled when it is finalized and the
   * session fails the step with a clear error. */
  g_signal_emit (self, signals[REQUEST], 0, request);
  return TRUE;
}

static LabSshSession *
lab_host_connection_create_session (LabHostConnection *self)
{
  LabSshSession *session = lab_ssh_session_new (lab_host_get_address (self->host));

  lab_ssh_session_set_port (session, lab_host_get_port (self->host));
  if (lab_host_get_user (self->host) != NULL && *lab_host_get_user (self->host) != '\0')
    lab_ssh_session_set_user (session, lab_host_get_user (self->host));
  if (lab_host_get_identity_file (self->host) != NULL
      && *lab_host_get_identity_file (self->host) != '\0')
    lab_ssh_session_set_identity_file (session, lab_host_get_identity_file (self->host));
  switch (lab_host_get_auth (self->host))
    {
    case LAB_HOST_AUTH_KEY:
      {
        static const char * const key_only[] = { "publickey", NULL };

        lab_ssh_session_set_auth_methods (session, key_only);
      }
      break;
    case LAB_HOST_AUTH_PASSWORD:
      lab_ssh_session_set_password_only (session, TRUE);
      break;
    case LAB_HOST_AUTH_AUTOMATIC:
    default:
      break;
    }

  g_signal_connect_object (session, "notify::state",
                           G_CALLBACK (lab_host_connection_session_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "verify-host-key",
                           G_CALLBACK (lab_host_connection_session_request_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "ask-secret",
                           G_CALLBACK (lab_host_connection_session_request_cb), self,
                           G_CONNECT_SWAPPED);
  return session;
}

static void
lab_host_connection_parse_xl_info (LabHostConnection *self,
                                   const char        *text)
{
  g_autofree char *major = lab_xl_info_field (text, "xen_major");
  g_autofree char *minor = lab_xl_info_field (text, "xen_minor");

  if (major != NULL)
    self->xen_major = atoi (major);
  if (minor != NULL)
    self->xen_minor = atoi (minor);
}

static void
lab_host_connection_xl_info_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(LabHostConnection) self = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0)
    lab_host_connection_parse_xl_info (self, lab_ssh_exec_result_get_stdout_text (exec));
  else
    g_debug ("xl info failed: %s", error ? error->message : "exit status");
}

static void
lab_host_connection_home_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(LabHostConnection) self = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "xl", "info", NULL };

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lab_host_connection_set_state (self, LAB_CONNECTION_STATE_FAILED, error->message);
      return;
    }

  g_free (self->home);
  self->home = g_strstrip (g_strdup (lab_ssh_exec_result_get_stdout_text (exec)));
  if (!g_path_is_absolute (self->home))
    {
      g_free (self->home);
      self->home = g_strdup ("/");
    }

  lab_host_connection_set_state (self, LAB_CONNECTION_STATE_CONNECTED, NULL);
  lab_ssh_session_exec_async (self->session, argv, LAB_SSH_EXEC_SUDO, NULL, POLL_TIMEOUT_MS,
                              self->cancellable, lab_host_connection_xl_info_cb,
                              g_object_ref (self));
  _lab_host_connection_probe_read_bridge_networks (self);
  self->polls_since_discovery = DISCOVERY_EVERY_N_POLLS;
  lab_host_connection_poll_now (self);
}

static void
lab_host_connection_connect_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(LabHostConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  /* The login's cwd is its home; `pwd` needs no environment and no shell features. */
  const char *argv[] = { "pwd", NULL };

  if (!lab_ssh_session_connect_finish (LAB_SSH_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lab_host_connection_set_state (self, LAB_CONNECTION_STATE_FAILED, error->message);
      return;
    }

  lab_ssh_session_exec_async (self->session, argv, LAB_SSH_EXEC_NONE, NULL, POLL_TIMEOUT_MS,
                              self->cancellable, lab_host_connection_home_cb, g_object_ref (self));
}

void
lab_host_connection_connect (LabHostConnection *self)
{
  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  if (self->state == LAB_CONNECTION_STATE_CONNECTING
      || self->state == LAB_CONNECTION_STATE_CONNECTED
      || self->state == LAB_CONNECTION_STATE_RECONNECTING)
    return;

  lab_host_connection_disconnect (self);
  self->cancellable = g_cancellable_new ();
  self->session = lab_host_connection_create_session (self);
  lab_host_connection_set_state (self, LAB_CONNECTION_STATE_CONNECTING, NULL);
  lab_ssh_session_connect_async (self->session, self->cancellable, lab_host_connection_connect_cb,
                                 g_object_ref (self));
}

void
lab_host_connection_disconnect (LabHostConnection *self)
{
  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  _lab_host_connection_poll_stop (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      lab_ssh_session_close (self->session);
      g_clear_object (&self->session);
    }
  _lab_host_connection_poll_reset (self);
  _lab_host_connection_probe_reset (self);
  _lab_host_connection_set_poll_error (self, NULL);
  lab_host_connection_set_state (self, LAB_CONNECTION_STATE_DISCONNECTED, NULL);
}

LabSshSession *
lab_host_connection_get_session (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  return self->session;
}

const char *
lab_host_connection_get_poll_error (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  return self->poll_error;
}

static void
lab_host_connection_finalize (GObject *object)
{
  LabHostConnection *self = LAB_HOST_CONNECTION (object);

  lab_host_connection_disconnect (self);
  g_clear_pointer (&self->home, g_free);
  g_clear_pointer (&self->poll_error, g_free);
  g_clear_pointer (&self->config_cache, g_hash_table_unref);
  g_clear_pointer (&self->folder_stamp, g_bytes_unref);
  g_clear_pointer (&self->configs, g_ptr_array_unref);
  g_clear_pointer (&self->probes, g_hash_table_unref);
  g_clear_pointer (&self->forwards, g_hash_table_unref);
  g_clear_pointer (&self->bridge_networks, g_strfreev);
  g_clear_pointer (&self->bridge, g_free);
  g_clear_object (&self->host);
  g_clear_object (&self->domains);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->expected_ends, g_hash_table_unref);
  g_clear_pointer (&self->console_logs, g_hash_table_unref);

  G_OBJECT_CLASS (lab_host_connection_parent_class)->finalize (object);
}

static void
lab_host_connection_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LabHostConnection *self = LAB_HOST_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST: g_value_set_object (value, self->host); break;
    case PROP_DOMAINS: g_value_set_object (value, self->domains); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_POLL_ERROR: g_value_set_string (value, self->poll_error); break;
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_connection_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LabHostConnection *self = LAB_HOST_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_object (value);
      _lab_host_connection_probe_follow_host (self);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The address, port, user or sign-in of the host changed: a session made with the old
 * ones is of no use; one under way starts again with the new ones. */
static void
lab_host_connection_host_changed_cb (LabHostConnection *self,
                                     GParamSpec        *pspec,
                                     LabHost           *host)
{
  static const char * const connection_properties[] = {
    "address", "port", "user", "auth", "identity-file", NULL
  };
  gboolean active = self->state == LAB_CONNECTION_STATE_CONNECTING
                    || self->state == LAB_CONNECTION_STATE_CONNECTED
                    || self->state == LAB_CONNECTION_STATE_RECONNECTING;

  if (!active || !g_strv_contains (connection_properties, pspec->name))
    return;
  g_debug ("%s: %s changed, connecting again", lab_host_get_name (host), pspec->name);
  lab_host_connection_disconnect (self);
  lab_host_connection_connect (self);
}

static void
lab_host_connection_constructed (GObject *object)
{
  LabHostConnection *self = LAB_HOST_CONNECTION (object);

  G_OBJECT_CLASS (lab_host_connection_parent_class)->constructed (object);

  g_signal_connect_object (self->host, "notify",
                           G_CALLBACK (lab_host_connection_host_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
lab_host_connection_class_init (LabHostConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lab_host_connection_constructed;
  object_class->finalize = lab_host_connection_finalize;
  object_class->get_property = lab_host_connection_get_property;
  object_class->set_property = lab_host_connection_set_property;

  properties[PROP_HOST] =
    g_param_spec_object ("host", NULL, NULL, LAB_TYPE_HOST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAINS] = g_param_spec_object ("domains", NULL, NULL,
                                                  LAB_TYPE_DOMAIN_STORE, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LAB_TYPE_CONNECTION_STATE,
                                              LAB_CONNECTION_STATE_DISCONNECTED, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_POLL_ERROR] = g_param_spec_string ("poll-error", NULL, NULL, NULL, ro);
  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, LAB_TYPE_SSH_SESSION,
                                                  ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DOMAIN_CRASHED] =
    g_signal_new ("domain-crashed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_DOMAIN);
  /* A domain's run ended, for whatever reason (its :end-summary says which); also for ends
   * the user asked for. Once per run: a preserved crash destroyed later is not news. */
  signals[DOMAIN_ENDED] =
    g_signal_new ("domain-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_DOMAIN);
  signals[DOMAIN_LOST] =
    g_signal_new ("domain-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_DOMAIN);
  /* The SSH session needs the user: a host key to trust, a password, a passphrase. */
  signals[REQUEST] =
    g_signal_new ("request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_SSH_REQUEST);
}

static void
lab_host_connection_init (LabHostConnection *self)
{
  self->domains = lab_domain_store_new ();
  self->xen_major = -1;
  self->xen_minor = -1;
  _lab_host_connection_poll_init (self);
  _lab_host_connection_probe_init (self);
  _lab_host_connection_ends_init (self);
}
