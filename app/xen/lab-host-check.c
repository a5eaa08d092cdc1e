/* lab-host-check.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "net/lab-local-net.h"
#include "net/lab-static-ip.h"
#include "lab-check-evidence.h"
#include "lab-xl-config.h"

#include "lab-host-check.h"

struct _LabHostCheck
{
  GObject     parent_instance;

  GListStore *results;
  gboolean    running;

  char       *bridge;
  char       *leases_path;
  guint       lease_timeout_s;
  gboolean    direct_probes;
};

G_DEFINE_FINAL_TYPE (LabHostCheck, lab_host_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The scripts read a few small files; a dom0 that takes longer is not answering. */
#define SCRIPT_TIMEOUT_MS 30000
/* A TCP connection attempt from this computer: a live peer answers (SYN-ACK or RST) within
 * milliseconds on a host-only network. */
#define PROBE_TIMEOUT_S 3
#define PROBE_RETRY_MS 300
#define DOMAIN_PORT 80
#define DOM0_PORT 22

LabHostCheck *
lab_host_check_new (void)
{
  return g_object_new (LAB_TYPE_HOST_CHECK, NULL);
}

GListModel *
lab_host_check_get_results (LabHostCheck *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CHECK (self), NULL);
  return G_LIST_MODEL (self->results);
}

LabCheckResult *
lab_host_check_lookup (LabHostCheck *self,
                       const char   *id)
{
  g_return_val_if_fail (LAB_IS_HOST_CHECK (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->results)); i++)
    {
      g_autoptr(LabCheckResult) result = g_list_model_get_item (G_LIST_MODEL (self->results),
                                                                i);

      if (g_strcmp0 (lab_check_result_get_id (result), id) == 0)
        return result;   /* the store keeps its reference */
    }
  return NULL;
}

gboolean
lab_host_check_get_running (LabHostCheck *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CHECK (self), FALSE);
  return self->running;
}

void
lab_host_check_set_bridge (LabHostCheck *self,
                           const char   *bridge)
{
  g_return_if_fail (LAB_IS_HOST_CHECK (self));
  g_free (self->bridge);
  self->bridge = g_strdup (bridge != NULL && *bridge != '\0' ? bridge : "br0");
}

void
lab_host_check_set_leases_path (LabHostCheck *self,
                                const char   *path)
{
  g_return_if_fail (LAB_IS_HOST_CHECK (self));
  g_free (self->leases_path);
  self->leases_path = g_strdup (path);
}

void
lab_host_check_set_lease_timeout (LabHostCheck *self,
                                  guint         seconds)
{
  g_return_if_fail (LAB_IS_HOST_CHECK (self));
  self->lease_timeout_s = seconds;
}

void
lab_host_check_set_direct_probes (LabHostCheck *self,
                                  gboolean      direct_probes)
{
  g_return_if_fail (LAB_IS_HOST_CHECK (self));
  self->direct_probes = !!direct_probes;
}

static void
set_running (LabHostCheck *self,
             gboolean      running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* ---- a run --------------------------------------------------------------------------- */

typedef struct
{
  LabCheckEvidence *evidence;
  LabSshSession    *session;
  guint             pending;
} Run;

static void
run_free (Run *run)
{
  g_clear_pointer (&run->evidence, lab_check_evidence_free);
  g_clear_object (&run->session);
  g_free (run);
}

static void
run_finish (GTask *task)
{
  LabHostCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GListModel *model = G_LIST_MODEL (self->results);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LabCheckResult) result = g_list_model_get_item (model, i);

      lab_check_evidence_evaluate (run->evidence, result);
    }
  set_running (self, FALSE);
  g_task_return_boolean (task, TRUE);
}

static void
run_part_done (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_assert (run->pending > 0);
  if (--run->pending > 0)
    return;
  if (g_task_return_error_if_cancelled (task))
    {
      set_running (g_task_get_source_object (task), FALSE);
      return;
    }
  run_finish (task);
}

/* One TCP connection attempt from this computer, on a plain non-blocking GSocket (GLib
 * 2.74's GSocketClient leaks its attempt when cancelled, which a time limit does). */
typedef struct
{
  GTask        *task;
  char         *address;
  GSocketAddress *socket_address;
  gint64        deadline;      /* monotonic µs */
  guint         retry_source;
  GSocket      *socket;
  GSource      *source;
  GCancellable *cancellable;   /* cancelled by the run's cancellable or the time limit */
  guint         timeout_source;
  gulong        cancelled_id;
} Probe;

static void
probe_free (Probe *probe)
{
  GCancellable *outer = g_task_get_cancellable (probe->task);

  g_clear_handle_id (&probe->timeout_source, g_source_remove);
  g_clear_handle_id (&probe->retry_source, g_source_remove);
  g_clear_object (&probe->socket_address);
  if (probe->source != NULL)
    {
      g_source_destroy (probe->source);
      g_clear_pointer (&probe->source, g_source_unref);
    }
  if (outer != NULL && probe->cancelled_id != 0)
    g_cancellable_disconnect (outer, probe->cancelled_id);
  if (probe->socket != NULL)
    g_socket_close (probe->socket, NULL);
  g_clear_object (&probe->socket);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->task);
  g_free (probe->address);
  g_free (probe);
}

static gboolean
probe_timeout_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timeout_source = 0;
  g_cancellable_cancel (probe->cancellable);
  return G_SOURCE_REMOVE;
}

static void
probe_outer_cancelled (GCancellable *outer,
                       gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
probe_done (Probe        *probe,
            const GError *error)
{
  Run *run = g_task_get_task_data (probe->task);
  GTask *task = g_object_ref (probe->task);
  /* A refused connection came back from the peer: packets flow both ways. */
  LabCheckReach reach = error == NULL
                        || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
                        ? LAB_CHECK_REACH_YES : LAB_CHECK_REACH_NO;

  g_debug ("%s: %s", probe->address,
           reach == LAB_CHECK_REACH_YES ? "answers" : error ? error->message : "?");
  g_hash_table_replace (run->evidence->reach, g_strdup (probe->address),
                        GINT_TO_POINTER (reach));
  probe_free (probe);
  run_part_done (task);
  g_object_unref (task);
}

static void probe_connect (Probe *probe);

static gboolean
probe_retry_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->retry_source = 0;
  probe_connect (probe);
  return G_SOURCE_REMOVE;
}

/* "No route to host" comes back at once while the kernel's neighbour entry for the address
 * is still failed from an earlier attempt (e.g. before promiscuous mode was allowed): try
 * again until the time is up rather than conclude from a stale entry. */
static void
probe_failed (Probe        *probe,
              const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
      && !g_cancellable_is_cancelled (probe->cancellable)
      && probe->deadline - g_get_monotonic_time () > PROBE_RETRY_MS * 1000)
    {
      g_debug ("%s: %s, trying again", probe->address, error->message);
      if (probe->source != NULL)
        {
          g_source_destroy (probe->source);
          g_clear_pointer (&probe->source, g_source_unref);
        }
      if (probe->socket != NULL)
        g_socket_close (probe->socket, NULL);
      g_clear_object (&probe->socket);
      probe->retry_source = g_timeout_add (PROBE_RETRY_MS, probe_retry_cb, probe);
      return;
    }
  probe_done (probe, error);
}

static gboolean
probe_ready_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_set_error_if_cancelled (probe->cancellable, &error)
      || !g_socket_check_connect_result (socket, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "?");
      probe_failed (probe, error);
      return G_SOURCE_REMOVE;
    }
  probe_done (probe, NULL);
  return G_SOURCE_REMOVE;
}

static void
probe_connect (Probe *probe)
{
  g_autoptr(GError) error = NULL;
  GSocketFamily family = g_socket_address_get_family (probe->socket_address);

  probe->socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  if (probe->socket != NULL)
    {
      g_socket_set_blocking (probe->socket, FALSE);
      if (g_socket_connect (probe->socket, probe->socket_address, NULL, &error))
        {
          probe_done (probe, NULL);   /* connected at once */
          return;
        }
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    {
      probe_failed (probe, error);
      return;
    }
  probe->source = g_socket_create_source (probe->socket, G_IO_OUT, probe->cancellable);
  g_source_set_callback (probe->source, G_SOURCE_FUNC (probe_ready_cb), probe, NULL);
  g_source_attach (probe->source, NULL);
}

static void
start_probe (GTask      *task,
             const char *address,
             guint16     port)
{
  Run *run = g_task_get_task_data (task);
  GCancellable *outer = g_task_get_cancellable (task);
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = NULL;
  Probe *probe;

  /* Only literal addresses from dom0's own bridge and lease file: no name lookups. */
  if (inet == NULL || g_hash_table_contains (run->evidence->reach, address))
    return;
  /* Off this computer's links, a connection would go out through the default route and
   * whatever answers there says nothing about dom0's bridge. */
  if (!lab_local_net_is_on_link (address, NULL))
    {
      g_debug ("%s: not on a link of this computer, not tried", address);
      g_hash_table_replace (run->evidence->reach, g_strdup (address),
                            GINT_TO_POINTER (LAB_CHECK_REACH_NOT_LOCAL));
      return;
    }
  g_hash_table_replace (run->evidence->reach, g_strdup (address),
                        GINT_TO_POINTER (LAB_CHECK_REACH_UNKNOWN));
  socket_address = g_inet_socket_address_new (inet, port);

  probe = g_new0 (Probe, 1);
  probe->task = g_object_ref (task);
  probe->address = g_strdup (address);
  probe->socket_address = g_steal_pointer (&socket_address);
  probe->cancellable = g_cancellable_new ();
  probe->deadline = g_get_monotonic_time () + PROBE_TIMEOUT_S * G_USEC_PER_SEC;
  run->pending++;
  if (outer != NULL)
    probe->cancelled_id = g_cancellable_connect (outer, G_CALLBACK (probe_outer_cancelled),
                                                 g_object_ref (probe->cancellable),
                                                 g_object_unref);
  probe->timeout_source = g_timeout_add_seconds (PROBE_TIMEOUT_S, probe_timeout_cb, probe);
  probe_connect (probe);
}

static char *
describe_exec_failure (LabSshExecResult *exec,
                       const GError     *error)
{
  const char *err;

  if (error != NULL)
    return g_strdup (error->message);
  err = lab_ssh_exec_result_get_stderr_text (exec);
  if (err != NULL && *err != '\0')
    return g_strstrip (g_strdup (err));
  return g_strdup_printf (_("The command failed with exit status %d."),
                          lab_ssh_exec_result_get_exit_status (exec));
}

static void
root_script_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabHostCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL || lab_ssh_exec_result_get_exit_status (exec) != 0)
    {
      run->evidence->root_error = describe_exec_failure (exec, error);
      g_debug ("root script: %s", run->evidence->root_error);
    }
  else
    {
      run->evidence->root = lab_check_parse_sections (lab_ssh_exec_result_get_stdout_text (exec));
      if (self->direct_probes && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_auto(GStrv) addresses = lab_check_evidence_bridge_addresses (run->evidence);
          g_autoptr(GHashTable) leased = lab_check_evidence_leased_ips (run->evidence);
          GHashTableIter iter;
          const char *ip;

          /* dom0 on its bridge (sshd), and every leased domain (a web server, or a RST). */
          for (guint i = 0; addresses[i] != NULL; i++)
            start_probe (task, addresses[i], DOM0_PORT);
          g_hash_table_iter_init (&iter, leased);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &ip))
            start_probe (task, ip, DOMAIN_PORT);
        }
    }
  run_part_done (task);
}

static void
user_script_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL || lab_ssh_exec_result_get_exit_status (exec) != 0)
    run->evidence->user_error = describe_exec_failure (exec, error);
  else
    run->evidence->user = lab_check_parse_sections (lab_ssh_exec_result_get_stdout_text (exec));
  run_part_done (task);
}

static void
collect_domains (LabCheckEvidence *evidence,
                 LabDomainStore   *domains)
{
  GListModel *model = G_LIST_MODEL (domains);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LabDomain) domain = g_list_model_get_item (model, i);
      LabXlConfig *config = lab_domain_get_config (domain);

      if (config != NULL)
        {
          evidence->n_configs++;
          if (lab_xl_config_has_legacy_builder (config))
            g_ptr_array_add (evidence->legacy_configs,
                             g_strdup (lab_xl_config_get_path (config)));
        }

      if (lab_domain_get_running (domain) && lab_domain_get_domid (domain) != 0)
        {
          const char *cmdline = lab_domain_get_cmdline (domain);
          g_autofree char *static_ip = NULL;

          if (cmdline != NULL)
            lab_static_ip_from_cmdline (cmdline, &static_ip, NULL);
          else if (config != NULL)
            lab_static_ip_from_xl_config (lab_xl_config_get_text (config), &static_ip, NULL);
          g_ptr_array_add (evidence->domains,
                           lab_check_domain_new (lab_domain_get_name (domain),
                                                 lab_domain_get_macs (domain),
                                                 lab_domain_get_uptime (domain),
                                                 static_ip != NULL));
        }
    }
}

void
lab_host_check_run_async (LabHostCheck        *self,
                          LabSshSession       *session,
                          LabDomainStore      *domains,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GListModel *model;
  Run *run;
  const char *root_argv[] = { "sh", "-c", lab_check_root_script, "sh", NULL, NULL, NULL };
  const char *user_argv[] = { "sh", "-c", lab_check_user_script, NULL };

  g_return_if_fail (LAB_IS_HOST_CHECK (self));
  g_return_if_fail (session == NULL || LAB_IS_SSH_SESSION (session));
  g_return_if_fail (domains == NULL || LAB_IS_DOMAIN_STORE (domains));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_check_run_async);

  if (session == NULL || lab_ssh_session_get_state (session) != LAB_SSH_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _("Not connected to the host: connect first, then check "
                                 "it."));
      return;
    }
  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "%s",
                               _("The host is being checked already."));
      return;
    }

  model = G_LIST_MODEL (self->results);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LabCheckResult) result = g_list_model_get_item (model, i);

      lab_check_result_reset (result);
    }
  set_running (self, TRUE);

  run = g_new0 (Run, 1);
  run->session = g_object_ref (session);
  run->evidence = lab_check_evidence_new ();
  g_free (run->evidence->bridge);
  run->evidence->bridge = g_strdup (self->bridge);
  run->evidence->leases_path = g_strdup (self->leases_path);
  run->evidence->lease_timeout_s = self->lease_timeout_s;
  run->evidence->direct_probes = self->direct_probes;
  if (domains != NULL)
    collect_domains (run->evidence, domains);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  root_argv[4] = self->bridge;
  root_argv[5] = self->leases_path != NULL ? self->leases_path : "";
  /* Counted while starting, so that a part failing at once cannot end the run early. */
  run->pending = 3;
  lab_ssh_session_exec_async (session, root_argv, LAB_SSH_EXEC_SUDO, NULL, SCRIPT_TIMEOUT_MS,
                              cancellable, root_script_cb, g_object_ref (task));
  lab_ssh_session_exec_async (session, user_argv, LAB_SSH_EXEC_NONE, NULL, SCRIPT_TIMEOUT_MS,
                              cancellable, user_script_cb, g_object_ref (task));
  run_part_done (task);
}

gboolean
lab_host_check_run_finish (LabHostCheck  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lab_host_check_finalize (GObject *object)
{
  LabHostCheck *self = LAB_HOST_CHECK (object);

  g_clear_object (&self->results);
  g_free (self->bridge);
  g_free (self->leases_path);

  G_OBJECT_CLASS (lab_host_check_parent_class)->finalize (object);
}

static void
lab_host_check_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LabHostCheck *self = LAB_HOST_CHECK (object);

  switch (prop_id)
    {
    case PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_check_class_init (LabHostCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_host_check_finalize;
  object_class->get_property = lab_host_check_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_host_check_init (LabHostCheck *self)
{
  const char * const *ids = lab_check_result_all_ids ();

  self->results = g_list_store_new (LAB_TYPE_CHECK_RESULT);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(LabCheckResult) result = lab_check_result_new (ids[i]);

      g_list_store_append (self->results, result);
    }
  self->bridge = g_strdup ("br0");
  self->leases_path = g_strdup ("/var/lib/misc/dnsmasq.leases");
  self->lease_timeout_s = 30;
  self->direct_probes = TRUE;
}
