/* lab-host-connection.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-connection"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "net/lab-lease.h"
#include "net/lab-static-ip.h"
#include "lab-xl-commands.h"

#include "lab-host-connection-internal.h"
#include "lab-host-connection-private.h"
#include "lab-host-connection.h"

G_DEFINE_ENUM_TYPE (LabConnectionState, lab_connection_state,
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_FAILED, "failed"))


typedef struct
{
  double       mtime;
  LabXlConfig *config;
} CachedConfig;

static guint signals[N_SIGNALS];

static void lab_host_connection_schedule_poll (LabHostConnection *self);

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
state_from_session (LabSshState state)
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
set_poll_error (LabHostConnection *self,
                const char        *message)
{
  if (g_strcmp0 (self->poll_error, message) == 0)
    return;
  g_free (self->poll_error);
  self->poll_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_ERROR]);
}

static void
stop_polling (LabHostConnection *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
}

static void
on_session_state (LabHostConnection *self,
                  GParamSpec        *pspec,
                  LabSshSession     *session)
{
  LabSshState ssh_state = lab_ssh_session_get_state (session);
  LabConnectionState state = state_from_session (ssh_state);
  const char *message = NULL;

  /* Until the first poll after connecting has worked, "connected" is what connect_cb
   * announces; the session's own transitions after that (lost, back) go straight through. */
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
    stop_polling (self);
}

static gboolean
on_session_request (LabHostConnection *self,
                    LabSshRequest     *request)
{
  /* The UI answers; if nobody does, the request is cancelled when it is finalized and the
   * session fails the step with a clear error. */
  g_signal_emit (self, signals[REQUEST], 0, request);
  return TRUE;
}

static LabSshSession *
create_session (LabHostConnection *self)
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

  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_session_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "verify-host-key", G_CALLBACK (on_session_request), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "ask-secret", G_CALLBACK (on_session_request), self,
                           G_CONNECT_SWAPPED);
  return session;
}

static void
parse_xl_info (LabHostConnection *self,
               const char        *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (lines[i], ":", 2);

      if (kv[0] == NULL || kv[1] == NULL)
        continue;
      g_strstrip (kv[0]);
      if (g_str_equal (kv[0], "xen_major"))
        self->xen_major = atoi (kv[1]);
      else if (g_str_equal (kv[0], "xen_minor"))
        self->xen_minor = atoi (kv[1]);
    }
}

static void
xl_info_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LabHostConnection) self = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0)
    parse_xl_info (self, lab_ssh_exec_result_get_stdout_text (exec));
  else
    g_debug ("xl info failed: %s", error ? error->message : "exit status");
}

static void
home_cb (GObject      *source,
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
                              self->cancellable, xl_info_cb, g_object_ref (self));
  _lab_host_connection_read_bridge_networks (self);
  self->polls_since_discovery = DISCOVERY_EVERY_N_POLLS;
  lab_host_connection_poll_now (self);
}

static void
connect_cb (GObject      *source,
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
                              self->cancellable, home_cb, g_object_ref (self));
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
  self->session = create_session (self);
  lab_host_connection_set_state (self, LAB_CONNECTION_STATE_CONNECTING, NULL);
  lab_ssh_session_connect_async (self->session, self->cancellable, connect_cb,
                                 g_object_ref (self));
}

void
lab_host_connection_disconnect (LabHostConnection *self)
{
  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  stop_polling (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      lab_ssh_session_close (self->session);
      g_clear_object (&self->session);
    }
  self->poll_running = FALSE;
  self->poll_again = FALSE;
  _lab_host_connection_probe_reset (self);
  set_poll_error (self, NULL);
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

void
lab_host_connection_set_refresh_interval (LabHostConnection *self,
                                          guint              interval_ms)
{
  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  self->refresh_interval_ms = CLAMP (interval_ms, 250, 60000);
  if (self->poll_source != 0)
    {
      stop_polling (self);
      lab_host_connection_schedule_poll (self);
    }
}

/* ---- polling ------------------------------------------------------------------------ */

typedef enum
{
  POLL_LIST,
  POLL_LIST_LONG,
  POLL_UPTIME,
  POLL_LEASES,
  POLL_FIND,
  N_POLL_PARTS
} PollPart;

typedef struct
{
  LabHostConnection *self;
  GCancellable      *cancellable;
  guint              pending;
  LabSshExecResult  *results[N_POLL_PARTS];
  GError            *errors[N_POLL_PARTS];
  gboolean           discover;
  GPtrArray         *to_read;      /* LabXlConfigFile whose text must be (re)read */
  GPtrArray         *found;        /* LabXlConfigFile found this time */
} Poll;

static void
poll_free (Poll *poll)
{
  for (guint i = 0; i < N_POLL_PARTS; i++)
    {
      g_clear_pointer (&poll->results[i], lab_ssh_exec_result_free);
      g_clear_error (&poll->errors[i]);
    }
  g_clear_pointer (&poll->to_read, g_ptr_array_unref);
  g_clear_pointer (&poll->found, g_ptr_array_unref);
  g_clear_object (&poll->cancellable);
  g_clear_object (&poll->self);
  g_free (poll);
}

static void
cached_config_free (CachedConfig *cached)
{
  g_clear_object (&cached->config);
  g_free (cached);
}

static gboolean
succeeded (Poll     *poll,
           PollPart  part)
{
  return poll->results[part] != NULL
         && lab_ssh_exec_result_get_exit_status (poll->results[part]) == 0;
}

static void
update_ips (LabHostConnection *self,
            GPtrArray         *leases)
{
  GListModel *model = G_LIST_MODEL (self->domains);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LabDomain) domain = g_list_model_get_item (model, i);
      LabIpInfo *info = lab_domain_get_ip_info (domain);
      const char * const *macs = lab_domain_get_macs (domain);
      const char *lease_ip = NULL;
      g_autofree char *static_ip = NULL;
      LabXlConfig *config = lab_domain_get_config (domain);

      if (!lab_domain_get_running (domain))
        continue;

      for (guint m = 0; leases != NULL && macs != NULL && macs[m] != NULL && !lease_ip; m++)
        {
          LabLease *lease = lab_lease_find_for_mac (leases, macs[m], now);

          if (lease != NULL)
            lease_ip = lease->ip;
        }
      if (leases != NULL)
        lab_ip_info_update_lease (info, lease_ip);

      if (lab_domain_get_cmdline (domain) != NULL)
        lab_static_ip_from_cmdline (lab_domain_get_cmdline (domain), &static_ip, NULL);
      else if (config != NULL)
        lab_static_ip_from_xl_config (lab_xl_config_get_text (config), &static_ip, NULL);
      lab_ip_info_update_static (info, static_ip);
    }
}

static GBytes *
poll_output (Poll     *poll,
             PollPart  part)
{
  return succeeded (poll, part) ? lab_ssh_exec_result_get_stdout (poll->results[part]) : NULL;
}

static void
poll_fail (Poll       *poll,
           const char *message)
{
  LabHostConnection *self = poll->self;

  set_poll_error (self, message);
  poll_free (poll);
  lab_host_connection_schedule_poll (self);
}

static void
poll_parsed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Poll *poll = user_data;
  LabHostConnection *self = poll->self;
  g_autoptr(GPtrArray) running = NULL;
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *lease_bytes;

  running = lab_xl_parse_poll_finish (result, &error);
  if (g_cancellable_is_cancelled (poll->cancellable))
    {
      poll_free (poll);
      return;
    }
  self->poll_running = FALSE;
  if (running == NULL)
    {
      /* A parser that fails without saying why must not take the app down with it. */
      g_autofree char *message = g_strdup_printf (_("Could not read xl's domain list: %s"),
                                                  error != NULL ? error->message
                                                                : _("unknown error"));

      poll_fail (poll, message);
      return;
    }

  if (poll->discover && poll->found != NULL)
    {
      g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
      GHashTableIter iter;
      const char *path;

      configs = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < poll->found->len; i++)
        {
          LabXlConfigFile *file = g_ptr_array_index (poll->found, i);
          CachedConfig *cached = g_hash_table_lookup (self->config_cache, file->path);

          g_hash_table_add (keep, file->path);
          if (cached != NULL && cached->config != NULL)
            g_ptr_array_add (configs, g_object_ref (cached->config));
        }
      g_hash_table_iter_init (&iter, self->config_cache);
      while (g_hash_table_iter_next (&iter, (gpointer *) &path, NULL))
        if (!g_hash_table_contains (keep, path))
          g_hash_table_iter_remove (&iter);
    }

  lab_domain_store_update (self->domains, running, configs, g_get_monotonic_time ());

  lease_bytes = poll_output (poll, POLL_LEASES);
  if (lease_bytes != NULL)
    {
      gsize len;
      const char *text = g_bytes_get_data (lease_bytes, &len);

      lab_lease_file_parse (text, len, &leases, NULL);
    }
  update_ips (self, leases);
  _lab_host_connection_probe_domains (self);

  set_poll_error (self, NULL);
  poll_free (poll);

  if (self->poll_again)
    {
      self->poll_again = FALSE;
      lab_host_connection_poll_now (self);
    }
  else
    lab_host_connection_schedule_poll (self);
}

static void
poll_finish (Poll *poll)
{
  /* A cancelled poll belongs to a closed session: the flag is the next session's. */
  if (g_cancellable_is_cancelled (poll->cancellable))
    {
      poll_free (poll);
      return;
    }

  if (!succeeded (poll, POLL_LIST))
    {
      g_autofree char *why =
        _lab_host_connection_describe_failure (poll->results[POLL_LIST], poll->errors[POLL_LIST]);
      g_autofree char *message = g_strdup_printf (_("Could not list the domains: %s"), why);

      poll->self->poll_running = FALSE;
      poll_fail (poll, message);
      return;
    }

  lab_xl_parse_poll_async (poll_output (poll, POLL_LIST), poll_output (poll, POLL_LIST_LONG),
                           poll_output (poll, POLL_UPTIME), poll->cancellable,
                           poll_parsed_cb, poll);
}

static void
poll_part_done (Poll *poll)
{
  g_assert (poll->pending > 0);
  if (--poll->pending == 0)
    poll_finish (poll);
}

typedef struct
{
  Poll     *poll;
  PollPart  part;
} PollStep;

static void
poll_part_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PollStep *step = user_data;

  step->poll->results[step->part] =
    lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result,
                                 &step->poll->errors[step->part]);
  poll_part_done (step->poll);
  g_free (step);
}

static void poll_config_read_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data);

/* The configs are read one after the other (to_read's first is the one under way); the
 * poll's part is done when none is left. */
static void
poll_read_next_config (Poll *poll)
{
  LabXlConfigFile *file;
  g_auto(GStrv) argv = NULL;

  if (poll->to_read == NULL || poll->to_read->len == 0
      || g_cancellable_is_cancelled (poll->cancellable))
    {
      poll_part_done (poll);
      return;
    }
  file = g_ptr_array_index (poll->to_read, 0);
  argv = lab_xl_read_config_argv (file->path);
  lab_ssh_session_exec_async (poll->self->session, (const char * const *) argv,
                              LAB_SSH_EXEC_NONE, NULL, POLL_TIMEOUT_MS, poll->cancellable,
                              poll_config_read_cb, poll);
}

static void
poll_config_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Poll *poll = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  LabXlConfigFile *file;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  /* The reads are done one after the other: to_read's first file is this one. */
  file = g_ptr_array_index (poll->to_read, 0);

  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0)
    {
      g_autoptr(GError) parse_error = NULL;
      CachedConfig *cached = g_new0 (CachedConfig, 1);
      gsize len;
      const char *text = g_bytes_get_data (lab_ssh_exec_result_get_stdout (exec), &len);

      cached->mtime = file->mtime;
      cached->config = lab_xl_config_new_from_data (file->path, text, len, &parse_error);
      if (cached->config == NULL)
        g_debug ("%s: %s", file->path, parse_error->message);
      g_hash_table_replace (poll->self->config_cache, g_strdup (file->path), cached);
    }
  else
    g_debug ("could not read %s", file->path);

  g_ptr_array_remove_index (poll->to_read, 0);
  poll_read_next_config (poll);
}

static void
poll_find_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Poll *poll = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  /* find exits 1 when a folder is missing: what it printed still counts. */
  if (exec != NULL)
    {
      gsize len;
      const char *text = g_bytes_get_data (lab_ssh_exec_result_get_stdout (exec), &len);

      poll->found = lab_xl_parse_find_output (text, len);
      poll->to_read = g_ptr_array_new ();
      for (guint i = 0; i < poll->found->len; i++)
        {
          LabXlConfigFile *file = g_ptr_array_index (poll->found, i);
          CachedConfig *cached = g_hash_table_lookup (poll->self->config_cache, file->path);

          if (cached == NULL || cached->mtime != file->mtime)
            g_ptr_array_add (poll->to_read, file);
        }
    }
  else
    g_debug ("config search failed: %s", error->message);

  poll_read_next_config (poll);
}

static void
poll_start_part (Poll               *poll,
                 PollPart            part,
                 const char * const *argv,
                 LabSshExecFlags     flags)
{
  PollStep *step = g_new0 (PollStep, 1);

  step->poll = poll;
  step->part = part;
  poll->pending++;
  lab_ssh_session_exec_async (poll->self->session, argv, flags, NULL, POLL_TIMEOUT_MS,
                              poll->cancellable, poll_part_cb, step);
}

void
lab_host_connection_poll_now (LabHostConnection *self)
{
  static const char * const list[] = { "xl", "list", NULL };
  static const char * const list_long[] = { "xl", "list", "-l", NULL };
  static const char * const uptime[] = { "xl", "uptime", NULL };
  /* A lease file is a line per lease: 4 MiB is tens of thousands, and a path that leads to
   * something endless (/dev/zero) costs no more than that. */
  const char *leases[] = { "head", "-c", "4194304", "--", NULL, NULL };
  Poll *poll;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  if (self->session == NULL || self->home == NULL
      || lab_ssh_session_get_state (self->session) != LAB_SSH_STATE_CONNECTED)
    return;
  if (self->poll_running)
    {
      self->poll_again = TRUE;
      return;
    }
  if (self->list_held)
    return;
  stop_polling (self);

  poll = g_new0 (Poll, 1);
  poll->self = g_object_ref (self);
  poll->cancellable = g_object_ref (self->cancellable);
  poll->discover = self->polls_since_discovery >= DISCOVERY_EVERY_N_POLLS;
  self->polls_since_discovery = poll->discover ? 0 : self->polls_since_discovery + 1;
  self->poll_running = TRUE;

  /* One more pending count held while starting, so a part that fails at once cannot
   * finish the poll before the others are started. */
  poll->pending = 1;
  poll_start_part (poll, POLL_LIST, list, LAB_SSH_EXEC_SUDO);
  poll_start_part (poll, POLL_LIST_LONG, list_long, LAB_SSH_EXEC_SUDO);
  poll_start_part (poll, POLL_UPTIME, uptime, LAB_SSH_EXEC_SUDO);
  leases[4] = lab_host_get_leases_path (self->host);
  if (leases[4] != NULL && *leases[4] != '\0')
    poll_start_part (poll, POLL_LEASES, leases, LAB_SSH_EXEC_NONE);
  if (poll->discover)
    {
      g_auto(GStrv) find = lab_xl_find_configs_argv (lab_host_get_config_folders (self->host),
                                                     self->home);

      if (find != NULL)
        {
          poll->pending++;
          lab_ssh_session_exec_async (self->session, (const char * const *) find,
                                      LAB_SSH_EXEC_NONE, NULL, POLL_TIMEOUT_MS,
                                      poll->cancellable, poll_find_cb, poll);
        }
      else
        poll->found = g_ptr_array_new ();
    }
  poll_part_done (poll);
}

void
lab_host_connection_hold_list (LabHostConnection *self,
                               gboolean           hold)
{
  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  self->list_held = hold;
  if (!hold)
    lab_host_connection_poll_now (self);
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  LabHostConnection *self = user_data;

  self->poll_source = 0;
  lab_host_connection_poll_now (self);
  return G_SOURCE_REMOVE;
}

static void
lab_host_connection_schedule_poll (LabHostConnection *self)
{
  if (self->poll_source != 0 || self->session == NULL
      || lab_ssh_session_get_state (self->session) != LAB_SSH_STATE_CONNECTED)
    return;
  self->poll_source = g_timeout_add (self->refresh_interval_ms, poll_timeout_cb, self);
}

static void
lab_host_connection_finalize (GObject *object)
{
  LabHostConnection *self = LAB_HOST_CONNECTION (object);

  lab_host_connection_disconnect (self);
  g_clear_pointer (&self->home, g_free);
  g_clear_pointer (&self->poll_error, g_free);
  g_clear_pointer (&self->config_cache, g_hash_table_unref);
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
on_host_changed (LabHostConnection *self,
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

  g_signal_connect_object (self->host, "notify", G_CALLBACK (on_host_changed), self,
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
  self->refresh_interval_ms = 2000;
  self->config_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) cached_config_free);
  _lab_host_connection_probe_init (self);
  _lab_host_connection_ends_init (self);
}
