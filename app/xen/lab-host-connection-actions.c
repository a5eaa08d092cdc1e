/* lab-host-connection-actions.c — what the user does to a host's domains: xl commands
 * (start, shut down, …, or any xl argv), making way for a restart, and the fix for a
 * config Xen no longer reads
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-connection-actions"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ssh/lab-remote-file.h"
#include "lab-domain-wait.h"
#include "lab-xl-commands.h"

#include "lab-host-connection-internal.h"
#include "lab-host-connection.h"

#define ACTION_TIMEOUT_MS 60000

/* What an xl command's run means for the caller: its output, or xl's error as one line. */
static void
lab_host_connection_actions_xl_done_cb (GObject      *source,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabHostConnection *self = g_task_get_source_object (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  LabDomain *domain = g_task_get_task_data (task);

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);

  /* A plain start runs the domain as xl returns: its run is timed from here. */
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0 && domain != NULL
      && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "lab-action"))
         == LAB_DOMAIN_ACTION_START)
    lab_domain_mark_started (domain, g_get_real_time ());

  /* Whatever happened, the list shows it best. */
  self->polls_since_discovery = DISCOVERY_EVERY_N_POLLS;
  lab_host_connection_poll_now (self);

  if (exec == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (lab_ssh_exec_result_get_exit_status (exec) != 0)
    {
      g_autofree char *why = lab_xl_describe_error (lab_ssh_exec_result_get_stderr_text (exec));

      if (why == NULL)
        why = _lab_host_connection_describe_failure (exec, NULL);

      g_task_return_new_error (task, LAB_XL_ERROR, LAB_XL_ERROR_FAILED, "%s", why);
    }
  else
    {
      /* What xl said ("Parsing config from …"), for a console that shows the start. */
      const char *out = lab_ssh_exec_result_get_stdout_text (exec);
      const char *err = lab_ssh_exec_result_get_stderr_text (exec);

      g_task_return_pointer (task, g_strconcat (err ? err : "", out ? out : "", NULL), g_free);
    }
}

static void
lab_host_connection_actions_exec_xl (LabHostConnection  *self,
                                     GTask              *task,
                                     const char * const *argv,
                                     const char         *directory)
{
  if (self->session == NULL || self->state != LAB_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."), lab_host_get_name (self->host));
      g_object_unref (task);
      return;
    }

  g_debug ("%s: %s", lab_host_get_name (self->host), argv[1]);
  lab_ssh_session_exec_in_async (self->session, directory, argv, LAB_SSH_EXEC_SUDO, NULL,
                                 ACTION_TIMEOUT_MS, g_task_get_cancellable (task),
                                 lab_host_connection_actions_xl_done_cb, task);
}

void
lab_host_connection_run_xl_async (LabHostConnection   *self,
                                  const char * const  *argv,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (argv != NULL && g_strcmp0 (argv[0], "xl") == 0 && argv[1] != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_connection_run_xl_async);
  lab_host_connection_actions_exec_xl (self, task, argv, NULL);
}

char *
lab_host_connection_run_xl_finish (LabHostConnection  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
lab_host_connection_needs_legacy_fix (LabHostConnection *self,
                                      LabDomain         *domain)
{
  LabXlConfig *config;

  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), FALSE);
  g_return_val_if_fail (LAB_IS_DOMAIN (domain), FALSE);

  config = lab_domain_get_config (domain);
  if (config == NULL || !lab_xl_config_has_legacy_builder (config))
    return FALSE;
  /* Xen 4.4 (the classic recipe) still knows builder='linux'; 4.10 dropped it. Unknown
   * versions are treated as new: that is what every supported distribution ships. */
  return self->xen_major < 0 || self->xen_major > 4
         || (self->xen_major == 4 && self->xen_minor >= 10);
}

/* Like the user in a terminal, xl create runs in the config's folder: xl opens a relative
 * kernel path (mirage's kernel = "NAME.xen") from its working directory. */
static void
lab_host_connection_actions_create (LabHostConnection  *self,
                                    GTask              *task,
                                    const char * const *argv)
{
  LabDomain *domain = g_task_get_task_data (task);
  g_autofree char *directory = g_path_get_dirname (lab_domain_get_config_path (domain));

  lab_host_connection_actions_exec_xl (self, task, argv, directory);
}

static void
lab_host_connection_actions_memory_cb (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  GTask *task = user_data;
  LabHostConnection *self = g_task_get_source_object (task);
  LabDomain *domain = g_task_get_task_data (task);
  const char * const *argv = g_object_get_data (G_OBJECT (task), "lab-argv");
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  guint64 free_mib = 0;
  int needs = lab_domain_get_memory_mib (domain);

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* What cannot be read is left to xl create, which says it in its own words. */
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0
      && lab_xl_parse_free_memory (lab_ssh_exec_result_get_stdout_text (exec), &free_mib)
      && needs > 0 && (guint64) needs > free_mib)
    {
      g_autofree char *free_text = g_strdup_printf ("%" G_GUINT64_FORMAT, free_mib);

      /* Translators: "guest needs 256 MiB, and Xen has 180 MiB free. …" */
      g_task_return_new_error (task, LAB_XL_ERROR, LAB_XL_ERROR_NO_MEMORY,
                               _("%s needs %d MiB, and Xen has %s MiB free. Stop another "
                                 "domain, or give %s less memory in its configuration."),
                               lab_domain_get_name (domain), needs, free_text,
                               lab_domain_get_name (domain));
      g_object_unref (task);
      return;
    }
  if (exec == NULL)
    g_debug ("xl info before a start: %s", error->message);
  lab_host_connection_actions_create (self, task, argv);
}

/* Before every start: does the domain fit in what Xen has free? xl would say so too, but
 * only after building part of the domain, and in words meant for Xen's developers. */
static void
lab_host_connection_actions_check_memory (LabHostConnection *self,
                                          GTask             *task,
                                          GStrv              argv)
{
  static const char * const info[] = { "xl", "info", NULL };

  g_object_set_data_full (G_OBJECT (task), "lab-argv", argv, (GDestroyNotify) g_strfreev);
  lab_ssh_session_exec_async (self->session, info, LAB_SSH_EXEC_SUDO, NULL, ACTION_TIMEOUT_MS,
                              g_task_get_cancellable (task),
                              lab_host_connection_actions_memory_cb, task);
}

void
lab_host_connection_run_action_async (LabHostConnection   *self,
                                      LabDomain           *domain,
                                      LabDomainAction      action,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (LAB_IS_DOMAIN (domain));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_connection_run_action_async);
  g_task_set_task_data (task, g_object_ref (domain), g_object_unref);
  g_object_set_data (G_OBJECT (task), "lab-action", GINT_TO_POINTER (action));

  if (self->session == NULL || self->state != LAB_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."), lab_host_get_name (self->host));
      return;
    }

  if ((action == LAB_DOMAIN_ACTION_START || action == LAB_DOMAIN_ACTION_START_WITH_CONSOLE)
      && lab_host_connection_needs_legacy_fix (self, domain))
    {
      g_task_return_new_error (task, LAB_XL_ERROR, LAB_XL_ERROR_LEGACY_CONFIG,
                               _("%s uses builder='linux', which Xen %d.%d no longer "
                                 "understands (it was removed in Xen 4.10). The fix is "
                                 "type = \"pv\" in its place."),
                               lab_xl_config_get_path (lab_domain_get_config (domain)),
                               MAX (self->xen_major, 4), self->xen_minor);
      return;
    }

  argv = lab_xl_action_argv (action, domain, &error);
  if (argv == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (action == LAB_DOMAIN_ACTION_START || action == LAB_DOMAIN_ACTION_START_WITH_CONSOLE)
    {
      lab_host_connection_actions_check_memory (self, g_steal_pointer (&task),
                                                g_steal_pointer (&argv));
      return;
    }

  if (action == LAB_DOMAIN_ACTION_SHUTDOWN || action == LAB_DOMAIN_ACTION_DESTROY
      || action == LAB_DOMAIN_ACTION_REBOOT)
    lab_host_connection_expect_end_for (self, lab_domain_get_name (domain), action);

  lab_host_connection_actions_exec_xl (self, g_steal_pointer (&task), (const char * const *) argv,
                                       NULL);
}

gboolean
lab_host_connection_run_action_finish (LabHostConnection  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  return lab_host_connection_run_action_finish_output (self, result, NULL, error);
}

gboolean
lab_host_connection_run_action_finish_output (LabHostConnection  *self,
                                              GAsyncResult       *result,
                                              char              **output,
                                              GError            **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  text = g_task_propagate_pointer (G_TASK (result), error);
  if (text == NULL)
    return FALSE;
  if (output != NULL)
    *output = g_steal_pointer (&text);
  return TRUE;
}

/* ---- making way for a restart ------------------------------------------------------ */

/* The domain list shows what an action waited for: the action is done. Its answer was kept
 * on the task for this moment (the legacy fix's backup path), or it is just "done". */
static void
lab_host_connection_actions_waited_cb (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *answer;

  if (!lab_domain_wait_finish (LAB_DOMAIN (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  answer = g_object_steal_data (G_OBJECT (task), "lab-answer");
  if (answer != NULL)
    g_task_return_pointer (task, answer, g_free);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lab_host_connection_actions_destroyed_cb (GObject      *source,
                                          GAsyncResult *result,
                                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabHostConnection *self = LAB_HOST_CONNECTION (source);
  LabDomain *domain = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  lab_domain_set_busy (domain, FALSE);
  if (!lab_host_connection_run_action_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The same name cannot be created twice: done once the list no longer shows it running,
   * which the poll asked for now tells. */
  lab_domain_wait_async (domain, "running", lab_domain_is_stopped, NULL, ACTION_TIMEOUT_MS,
                         g_task_get_cancellable (task), lab_host_connection_actions_waited_cb,
                         g_object_ref (task));
  lab_host_connection_poll_now (self);
}

void
lab_host_connection_stop_for_restart_async (LabHostConnection   *self,
                                            LabDomain           *domain,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (LAB_IS_DOMAIN (domain));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_connection_stop_for_restart_async);
  g_task_set_task_data (task, g_object_ref (domain), g_object_unref);
  if (!lab_domain_get_running (domain))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  lab_domain_set_busy (domain, TRUE);
  lab_host_connection_run_action_async (self, domain, LAB_DOMAIN_ACTION_DESTROY, cancellable,
                                        lab_host_connection_actions_destroyed_cb,
                                        g_steal_pointer (&task));
}

gboolean
lab_host_connection_stop_for_restart_finish (LabHostConnection  *self,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- deleting a config ----------------------------------------------------------------- */

/* The config (and the kernel when it is there) go into a new folder under the user's
 * ~/.local/share/mirage-lab/deleted on dom0; nothing is removed. A fixed script: the stamp
 * and the paths are its arguments. */
static const char delete_script[] =
  "set -e\n"
  "d=\"$HOME/.local/share/mirage-lab/deleted/$1\"\n"
  "mkdir -p -- \"$d\"\n"
  "mv -- \"$2\" \"$d\"/\n"
  "if [ -n \"$3\" ] && [ -e \"$3\" ]; then mv -- \"$3\" \"$d\"/; fi\n"
  "printf '%s\\n' \"$d\"\n";

static void
lab_host_connection_actions_deleted_cb (GObject      *source,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabHostConnection *self = g_task_get_source_object (task);
  const char *stamp = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  folder = g_strstrip (g_strdup (lab_ssh_exec_result_get_stdout_text (exec)));
  /* dom0 says where the files went: only a folder ending in our stamp is believed. */
  if (lab_ssh_exec_result_get_exit_status (exec) != 0 || !g_path_is_absolute (folder)
      || !g_str_has_suffix (folder, stamp) || strchr (folder, '\n') != NULL)
    {
      g_autofree char *said = g_strstrip (g_strdup (lab_ssh_exec_result_get_stderr_text (exec)));

      g_task_return_new_error (task, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                               _("The configuration could not be moved: %s"), said);
      return;
    }
  self->polls_since_discovery = DISCOVERY_EVERY_N_POLLS;
  lab_host_connection_poll_now (self);
  g_task_return_pointer (task, g_steal_pointer (&folder), g_free);
}

void
lab_host_connection_delete_config_async (LabHostConnection   *self,
                                         LabDomain           *domain,
                                         gboolean             with_kernel,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *stamp = g_strdup_printf ("%s-%08x", time, g_random_int ());
  g_autofree char *kernel = NULL;
  const char *path;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (LAB_IS_DOMAIN (domain));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_connection_delete_config_async);
  path = lab_domain_get_config_path (domain);
  if (self->session == NULL || self->state != LAB_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."), lab_host_get_name (self->host));
      return;
    }
  if (!lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DELETE, domain)
      || !g_path_is_absolute (path))
    {
      g_task_return_new_error (task, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                               _("%s cannot be deleted while it runs, or without a "
                                 "configuration file."), lab_domain_get_name (domain));
      return;
    }
  if (with_kernel && lab_domain_get_config (domain) != NULL)
    kernel = lab_xl_config_dup_kernel_path (lab_domain_get_config (domain));
  g_task_set_task_data (task, g_strdup (stamp), g_free);
  {
    const char *argv[] = { "sh", "-c", delete_script, "sh", stamp, path,
                           kernel != NULL ? kernel : "", NULL };

    /* The user owns the configs of their mirage projects: no sudo. */
    lab_ssh_session_exec_async (self->session, argv, LAB_SSH_EXEC_NONE, NULL,
                                ACTION_TIMEOUT_MS, cancellable,
                                lab_host_connection_actions_deleted_cb,
                                g_steal_pointer (&task));
  }
}

char *
lab_host_connection_delete_config_finish (LabHostConnection  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- writing configs ------------------------------------------------------------------ */

static gboolean
lab_host_connection_actions_has_text (LabDomain     *domain,
                                      gconstpointer  text)
{
  LabXlConfig *config = lab_domain_get_config (domain);

  return config != NULL && g_strcmp0 (lab_xl_config_get_text (config), text) == 0;
}

/* ---- waiting for a new config's domain in the list ---- */

typedef struct
{
  GTask *task;
  char  *name;
  gulong changed_id;
  guint  timeout_id;
} Listed;

static void
lab_host_connection_actions_listed_end (Listed    *listed,
                                        LabDomain *domain)
{
  LabHostConnection *self = g_task_get_source_object (listed->task);

  g_clear_signal_handler (&listed->changed_id, self->domains);
  g_clear_handle_id (&listed->timeout_id, g_source_remove);
  if (domain != NULL)
    g_task_return_pointer (listed->task, g_object_ref (domain), g_object_unref);
  else
    g_task_return_new_error (listed->task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _("%s was saved, but the domain list did not show it in time."),
                             listed->name);
  g_object_unref (listed->task);
  g_free (listed->name);
  g_free (listed);
}

static void
lab_host_connection_actions_listed_cb (GListModel *model,
                                       guint       position,
                                       guint       removed,
                                       guint       added,
                                       Listed     *listed)
{
  LabDomain *domain = lab_domain_store_lookup (LAB_DOMAIN_STORE (model), listed->name);

  if (domain != NULL)
    lab_host_connection_actions_listed_end (listed, domain);
}

static gboolean
lab_host_connection_actions_listed_timeout_cb (gpointer user_data)
{
  Listed *listed = user_data;

  listed->timeout_id = 0;
  lab_host_connection_actions_listed_end (listed, NULL);
  return G_SOURCE_REMOVE;
}

/* Completes @task with the domain of the config it made once the list shows it, at the
 * poll asked for now (the folder's search runs at once). */
static void
lab_host_connection_actions_wait_listed (LabHostConnection *self,
                                         GTask             *task)
{
  Listed *listed = g_new0 (Listed, 1);
  LabDomain *domain;

  listed->task = task;
  listed->name = g_strdup (g_task_get_task_data (task));
  /* A poll may have found the file between its writing and this answer. */
  domain = lab_domain_store_lookup (self->domains, listed->name);
  if (domain != NULL)
    {
      lab_host_connection_actions_listed_end (listed, domain);
      return;
    }
  listed->changed_id = g_signal_connect (self->domains, "items-changed",
                                         G_CALLBACK (lab_host_connection_actions_listed_cb),
                                         listed);
  listed->timeout_id = g_timeout_add (ACTION_TIMEOUT_MS,
                                      lab_host_connection_actions_listed_timeout_cb, listed);
  self->polls_since_discovery = DISCOVERY_EVERY_N_POLLS;
  lab_host_connection_poll_now (self);
}

/* A config was written: a new one is done when the list has its domain, a changed one
 * when its domain has the new text. */
static void
lab_host_connection_actions_written_cb (GObject      *source,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabHostConnection *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;

  backup = lab_remote_file_replace_finish (LAB_SSH_SESSION (source), result, &error);
  if (backup == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_get_source_tag (task) == lab_host_connection_create_config_async)
    {
      lab_host_connection_actions_wait_listed (self, g_steal_pointer (&task));
      return;
    }
  /* Done once the domain has the new text, which the store puts into it in place at the
   * poll asked for now: a start from then on uses the new config. */
  g_object_set_data_full (G_OBJECT (task), "lab-answer", g_steal_pointer (&backup), g_free);
  lab_domain_wait_async (g_task_get_task_data (task), "config",
                         lab_host_connection_actions_has_text,
                         g_object_get_data (G_OBJECT (task), "lab-text"), ACTION_TIMEOUT_MS,
                         g_task_get_cancellable (task), lab_host_connection_actions_waited_cb,
                         g_object_ref (task));
  self->polls_since_discovery = DISCOVERY_EVERY_N_POLLS;
  lab_host_connection_poll_now (self);
}

void
lab_host_connection_save_config_async (LabHostConnection   *self,
                                       LabDomain           *domain,
                                       const char          *expected,
                                       const char          *text,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LabXlConfig *config;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (LAB_IS_DOMAIN (domain));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_connection_save_config_async);
  g_task_set_task_data (task, g_object_ref (domain), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "lab-text", g_strdup (text), g_free);

  config = lab_domain_get_config (domain);
  if (self->session == NULL || self->state != LAB_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."), lab_host_get_name (self->host));
      return;
    }
  if (config == NULL)
    {
      g_task_return_new_error (task, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                               _("%s has no configuration file."),
                               lab_domain_get_name (domain));
      return;
    }

  /* The user owns the configs of their mirage projects: no sudo. What was read is what
   * must still be there, or someone else's edit would be lost. */
  lab_remote_file_replace_async (self->session, lab_xl_config_get_path (config),
                                 expected != NULL ? expected : lab_xl_config_get_text (config),
                                 text, LAB_SSH_EXEC_NONE,
                                 cancellable, lab_host_connection_actions_written_cb,
                                 g_steal_pointer (&task));
}

char *
lab_host_connection_save_config_finish (LabHostConnection  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lab_host_connection_fix_legacy_config_async (LabHostConnection   *self,
                                             LabDomain           *domain,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  LabXlConfig *config;
  g_autofree char *fixed = NULL;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (LAB_IS_DOMAIN (domain));

  config = lab_domain_get_config (domain);
  if (config == NULL || !lab_xl_config_has_legacy_builder (config))
    {
      g_task_report_new_error (self, callback, user_data,
                               lab_host_connection_fix_legacy_config_async,
                               LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                               _("There is nothing to fix in this configuration."));
      return;
    }
  fixed = lab_xl_config_fix_legacy_builder (config);
  lab_host_connection_save_config_async (self, domain, NULL, fixed, cancellable, callback,
                                         user_data);
}

char *
lab_host_connection_fix_legacy_config_finish (LabHostConnection  *self,
                                              GAsyncResult       *result,
                                              GError            **error)
{
  return lab_host_connection_save_config_finish (self, result, error);
}

char *
lab_host_connection_dup_new_config_folder (LabHostConnection *self)
{
  const char * const *folders;

  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);

  folders = lab_host_get_config_folders (self->host);
  for (guint i = 0; self->home != NULL && folders != NULL && folders[i] != NULL; i++)
    {
      const char *folder = folders[i];

      if (strpbrk (folder, "*?[") != NULL)
        continue;
      if (g_str_equal (folder, "~") || g_str_has_prefix (folder, "~/"))
        return g_build_filename (self->home, folder + 1, NULL);
      if (g_path_is_absolute (folder))
        return g_strdup (folder);
    }
  return NULL;
}

gboolean
lab_host_connection_check_new_name (LabHostConnection  *self,
                                    const char         *name,
                                    GError            **error)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), FALSE);

  if (!lab_xl_name_is_plain (name))
    {
      g_set_error_literal (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                           _("A new domain's name is made of letters, digits, “-”, “_” "
                             "and “.”, starts with a letter or digit, is not only digits "
                             "and has at most 64 characters."));
      return FALSE;
    }
  if (lab_domain_store_lookup (self->domains, name) != NULL)
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                   _("There is already a domain named %s."), name);
      return FALSE;
    }
  return TRUE;
}

void
lab_host_connection_create_config_async (LabHostConnection   *self,
                                         LabXlConfig         *config,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (LAB_IS_XL_CONFIG (config));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_connection_create_config_async);
  path = lab_xl_config_get_path (config);
  if (self->session == NULL || self->state != LAB_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."), lab_host_get_name (self->host));
      return;
    }
  if (!lab_host_connection_check_new_name (self, lab_xl_config_get_name (config), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, g_strdup (lab_xl_config_get_name (config)), g_free);
  lab_remote_file_replace_async (self->session, path, LAB_REMOTE_FILE_NEW,
                                 lab_xl_config_get_text (config), LAB_SSH_EXEC_NONE,
                                 cancellable, lab_host_connection_actions_written_cb,
                                 g_steal_pointer (&task));
}

LabDomain *
lab_host_connection_create_config_finish (LabHostConnection  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
