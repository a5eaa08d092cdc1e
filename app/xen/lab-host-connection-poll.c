/* lab-host-connection-poll.c — a host's domain list kept up to date: xl list, xl list -l,
 * xl uptime and the DHCP leases every refresh interval, the config folders searched now
 * and then, all parsed off the main thread into the domain store
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-connection-poll"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "net/lab-lease.h"
#include "net/lab-static-ip.h"
#include "lab-xl-commands.h"

#include "lab-host-connection-internal.h"
#include "lab-host-connection-private.h"
#include "lab-host-connection.h"

typedef struct
{
  double       mtime;
  LabXlConfig *config;
} CachedConfig;

static void lab_host_connection_poll_schedule (LabHostConnection *self);

typedef enum
{
  POLL_LIST,
  POLL_LIST_LONG,
  POLL_UPTIME,
  POLL_LEASES,
  POLL_STAMP,
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
lab_host_connection_poll_free (Poll *poll)
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
lab_host_connection_poll_cached_config_free (CachedConfig *cached)
{
  g_clear_object (&cached->config);
  g_free (cached);
}

static gboolean
lab_host_connection_poll_succeeded (Poll     *poll,
                                    PollPart  part)
{
  return poll->results[part] != NULL
         && lab_ssh_exec_result_get_exit_status (poll->results[part]) == 0;
}

static void
lab_host_connection_poll_update_ips (LabHostConnection *self,
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
lab_host_connection_poll_output (Poll     *poll,
                                 PollPart  part)
{
  return lab_host_connection_poll_succeeded (poll, part)
         ? lab_ssh_exec_result_get_stdout (poll->results[part]) : NULL;
}

static void
lab_host_connection_poll_fail (Poll       *poll,
                               const char *message)
{
  LabHostConnection *self = poll->self;

  _lab_host_connection_set_poll_error (self, message);
  lab_host_connection_poll_free (poll);
  lab_host_connection_poll_schedule (self);
}

static void
lab_host_connection_poll_parsed_cb (GObject      *source,
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
      lab_host_connection_poll_free (poll);
      return;
    }
  self->poll_running = FALSE;
  if (running == NULL)
    {
      /* A parser that fails without saying why must not take the app down with it. */
      g_autofree char *message = g_strdup_printf (_("Could not read xl's domain list: %s"),
                                                  error != NULL ? error->message
                                                                : _("unknown error"));

      lab_host_connection_poll_fail (poll, message);
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
  self->n_polls++;

  lease_bytes = lab_host_connection_poll_output (poll, POLL_LEASES);
  if (lease_bytes != NULL)
    {
      gsize len;
      const char *text = g_bytes_get_data (lease_bytes, &len);

      lab_lease_file_parse (text, len, &leases, NULL);
    }
  lab_host_connection_poll_update_ips (self, leases);
  _lab_host_connection_probe_domains (self);

  _lab_host_connection_set_poll_error (self, NULL);
  lab_host_connection_poll_free (poll);

  if (self->poll_again)
    {
      self->poll_again = FALSE;
      lab_host_connection_poll_now (self);
    }
  else
    lab_host_connection_poll_schedule (self);
}

static void
lab_host_connection_poll_finish (Poll *poll)
{
  /* A cancelled poll belongs to a closed session: the flag is the next session's. */
  if (g_cancellable_is_cancelled (poll->cancellable))
    {
      lab_host_connection_poll_free (poll);
      return;
    }

  if (!lab_host_connection_poll_succeeded (poll, POLL_LIST))
    {
      g_autofree char *why =
        _lab_host_connection_describe_failure (poll->results[POLL_LIST], poll->errors[POLL_LIST]);
      g_autofree char *message = g_strdup_printf (_("Could not list the domains: %s"), why);

      poll->self->poll_running = FALSE;
      lab_host_connection_poll_fail (poll, message);
      return;
    }

  lab_xl_parse_poll_async (lab_host_connection_poll_output (poll, POLL_LIST),
                           lab_host_connection_poll_output (poll, POLL_LIST_LONG),
                           lab_host_connection_poll_output (poll, POLL_UPTIME), poll->cancellable,
                           lab_host_connection_poll_parsed_cb, poll);
}

static void
lab_host_connection_poll_part_done (Poll *poll)
{
  g_assert (poll->pending > 0);
  if (--poll->pending == 0)
    lab_host_connection_poll_finish (poll);
}

typedef struct
{
  Poll     *poll;
  PollPart  part;
} PollStep;

static void
lab_host_connection_poll_part_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  PollStep *step = user_data;

  step->poll->results[step->part] =
    lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result,
                                 &step->poll->errors[step->part]);
  lab_host_connection_poll_part_done (step->poll);
  g_free (step);
}

static void lab_host_connection_poll_config_read_cb (GObject      *source,
                                                     GAsyncResult *result,
                                                     gpointer      user_data);

/* The configs are read one after the other (to_read's first is the one under way); the
 * poll's part is done when none is left. */
static void
lab_host_connection_poll_read_next_config (Poll *poll)
{
  LabXlConfigFile *file;
  g_auto(GStrv) argv = NULL;

  if (poll->to_read == NULL || poll->to_read->len == 0
      || g_cancellable_is_cancelled (poll->cancellable))
    {
      lab_host_connection_poll_part_done (poll);
      return;
    }
  file = g_ptr_array_index (poll->to_read, 0);
  argv = lab_xl_read_config_argv (file->path);
  lab_ssh_session_exec_async (poll->self->session, (const char * const *) argv,
                              LAB_SSH_EXEC_NONE, NULL, POLL_TIMEOUT_MS, poll->cancellable,
                              lab_host_connection_poll_config_read_cb, poll);
}

static void
lab_host_connection_poll_config_read_cb (GObject      *source,
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
  lab_host_connection_poll_read_next_config (poll);
}

static void
lab_host_connection_poll_find_cb (GObject      *source,
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

  lab_host_connection_poll_read_next_config (poll);
}

static void
lab_host_connection_poll_start_part (Poll               *poll,
                                     PollPart            part,
                                     const char * const *argv,
                                     LabSshExecFlags     flags)
{
  PollStep *step = g_new0 (PollStep, 1);

  step->poll = poll;
  step->part = part;
  poll->pending++;
  lab_ssh_session_exec_async (poll->self->session, argv, flags, NULL, POLL_TIMEOUT_MS,
                              poll->cancellable, lab_host_connection_poll_part_cb, step);
}

static void
lab_host_connection_poll_start_find (Poll *poll)
{
  LabHostConnection *self = poll->self;
  g_auto(GStrv) find = lab_xl_find_configs_argv (lab_host_get_config_folders (self->host),
                                                 self->home);

  poll->discover = TRUE;
  if (find == NULL)
    {
      poll->found = g_ptr_array_new ();
      return;
    }
  poll->pending++;
  lab_ssh_session_exec_async (self->session, (const char * const *) find, LAB_SSH_EXEC_NONE,
                              NULL, POLL_TIMEOUT_MS, poll->cancellable,
                              lab_host_connection_poll_find_cb, poll);
}

/* The folders' times against the last look: a file made or removed since then is searched
 * for in this very poll, not in the next regular search. */
static void
lab_host_connection_poll_stamp_cb (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  Poll *poll = user_data;
  LabHostConnection *self = poll->self;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *stamp;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  /* find exits 1 when a folder is missing: what it printed still counts. */
  if (exec != NULL && !g_cancellable_is_cancelled (poll->cancellable))
    {
      stamp = lab_ssh_exec_result_get_stdout (exec);
      if (self->folder_stamp != NULL && !g_bytes_equal (stamp, self->folder_stamp)
          && !poll->discover)
        {
          g_debug ("a config folder changed: searching now");
          lab_host_connection_poll_start_find (poll);
        }
      g_clear_pointer (&self->folder_stamp, g_bytes_unref);
      self->folder_stamp = g_bytes_ref (stamp);
    }
  else if (error != NULL)
    g_debug ("config folder times: %s", error->message);
  lab_host_connection_poll_part_done (poll);
}

static void
lab_host_connection_poll_start_stamp (Poll *poll)
{
  LabHostConnection *self = poll->self;
  g_auto(GStrv) stamp = lab_xl_config_folders_stamp_argv (lab_host_get_config_folders (self->host),
                                                          self->home);

  if (stamp == NULL)
    return;
  poll->pending++;
  lab_ssh_session_exec_async (self->session, (const char * const *) stamp, LAB_SSH_EXEC_NONE,
                              NULL, POLL_TIMEOUT_MS, poll->cancellable,
                              lab_host_connection_poll_stamp_cb, poll);
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
  _lab_host_connection_poll_stop (self);

  poll = g_new0 (Poll, 1);
  poll->self = g_object_ref (self);
  poll->cancellable = g_object_ref (self->cancellable);
  poll->discover = self->polls_since_discovery >= DISCOVERY_EVERY_N_POLLS;
  self->polls_since_discovery = poll->discover ? 0 : self->polls_since_discovery + 1;
  self->poll_running = TRUE;

  /* One more pending count held while starting, so a part that fails at once cannot
   * finish the poll before the others are started. */
  poll->pending = 1;
  lab_host_connection_poll_start_part (poll, POLL_LIST, list, LAB_SSH_EXEC_SUDO);
  lab_host_connection_poll_start_part (poll, POLL_LIST_LONG, list_long, LAB_SSH_EXEC_SUDO);
  lab_host_connection_poll_start_part (poll, POLL_UPTIME, uptime, LAB_SSH_EXEC_SUDO);
  leases[4] = lab_host_get_leases_path (self->host);
  if (leases[4] != NULL && *leases[4] != '\0')
    lab_host_connection_poll_start_part (poll, POLL_LEASES, leases, LAB_SSH_EXEC_NONE);
  lab_host_connection_poll_start_stamp (poll);
  if (poll->discover)
    lab_host_connection_poll_start_find (poll);
  lab_host_connection_poll_part_done (poll);
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
lab_host_connection_poll_timeout_cb (gpointer user_data)
{
  LabHostConnection *self = user_data;

  self->poll_source = 0;
  lab_host_connection_poll_now (self);
  return G_SOURCE_REMOVE;
}

static void
lab_host_connection_poll_schedule (LabHostConnection *self)
{
  if (self->poll_source != 0 || self->session == NULL
      || lab_ssh_session_get_state (self->session) != LAB_SSH_STATE_CONNECTED)
    return;
  self->poll_source = g_timeout_add (self->refresh_interval_ms,
                                     lab_host_connection_poll_timeout_cb, self);
}

void
_lab_host_connection_poll_stop (LabHostConnection *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
}

void
lab_host_connection_set_refresh_interval (LabHostConnection *self,
                                          guint              interval_ms)
{
  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  self->refresh_interval_ms = CLAMP (interval_ms, 250, 60000);
  if (self->poll_source != 0)
    {
      _lab_host_connection_poll_stop (self);
      lab_host_connection_poll_schedule (self);
    }
}

guint
lab_host_connection_get_n_polls (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), 0);

  return self->n_polls;
}

void
_lab_host_connection_poll_init (LabHostConnection *self)
{
  self->refresh_interval_ms = 2000;
  self->config_cache =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                           (GDestroyNotify) lab_host_connection_poll_cached_config_free);
}

void
_lab_host_connection_poll_reset (LabHostConnection *self)
{
  self->poll_running = FALSE;
  self->poll_again = FALSE;
}
