/* lab-setup-runner-actions.c: the runner's executor for each kind of action (run a
 * command, install packages, edit a file, reboot), in each mode of the job
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-runner-actions"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ssh/lab-remote-file.h"
#include "lab-setup-diff.h"
#include "lab-setup-facts.h"
#include "lab-setup-runner-private.h"

/* What a failure report keeps of a command's output: the end, where the error is. */
#define OUTPUT_KEEP (64 * 1024)

/* ---- commands ---- */

static char *
lab_setup_runner_shown_command (const LabSetupAction *action,
                                char                **argv)
{
  g_autofree char *line = lab_setup_format_argv ((const char * const *) argv);

  return action->root ? g_strconcat ("sudo ", line, NULL) : g_steal_pointer (&line);
}

static void
lab_setup_runner_reconnected_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lab_setup_runner_wait_for_host_finish (LAB_SETUP_RUNNER (source), result, &error))
    {
      _lab_setup_runner_job_fail (task, error, NULL, job->command);
      return;
    }
  _lab_setup_runner_next_action (task);
}

static void
lab_setup_runner_remote_exec_closed_cb (GObject      *source,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  int status;

  status = lab_ssh_channel_wait_finish (LAB_SSH_CHANNEL (source), result, &error);
  g_cancellable_disconnect (g_task_get_cancellable (task), job->cancel_id);
  job->cancel_id = 0;
  g_clear_object (&job->channel);
  /* A step that may take the link down (the bridge takes over the adapter the connection
   * runs on): reconnect, then run the action again, once; its commands are idempotent. */
  if (error != NULL && g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED)
      && job->mode == MODE_APPLY && job->step->reconnect && job->reconnected != job->index + 1)
    {
      LabSetupRunner *self = g_task_get_source_object (task);
      GCancellable *cancellable = g_task_get_cancellable (task);

      job->reconnected = job->index + 1;
      g_clear_error (&error);
      _lab_setup_runner_emit_output (self, _("The connection dropped; reconnecting to run "
                                             "that again…\n"));
      lab_setup_runner_wait_for_host_async (self, 8, 1000, cancellable,
                                            lab_setup_runner_reconnected_cb,
                                            g_steal_pointer (&task));
      return;
    }
  if (error != NULL)
    {
      g_autofree char *meaning = NULL;

      if (g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT))
        meaning = g_strdup (_("The command did not finish in time and was stopped."));
      else if (g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED))
        meaning = g_strdup (_("The connection to the host was lost while the command ran. "
                              "Wait until the host answers again and retry."));
      _lab_setup_runner_job_fail (task, error, meaning, job->command);
      return;
    }
  if (status != 0 && job->mode == MODE_APPLY)
    {
      g_autofree char *meaning = NULL;
      g_autofree char *fix = NULL;

      /* Causes the user can act on (no network, opam's sandbox, a busy dpkg) are named;
       * otherwise the output says why. */
      if (lab_setup_diagnose_output (job->output->str, &meaning, &fix) == LAB_SETUP_CAUSE_NONE)
        {
          g_clear_pointer (&meaning, g_free);
          g_clear_pointer (&fix, g_free);
          meaning = g_strdup_printf (_("The command failed (exit status %d). Its output "
                                       "above says why."), status);
        }
      _lab_setup_runner_job_fail (task,
                                  g_error_new (LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                                               _("“%s” failed (exit status %d)"),
                                               job->command, status),
                                  meaning, fix != NULL ? fix : job->command);
      return;
    }
  _lab_setup_runner_action_done (task, status == 0);
}

static void
lab_setup_runner_channel_data_cb (LabSshChannel *channel,
                                  GBytes        *data,
                                  gpointer       user_data)
{
  GTask *task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  gsize size;
  const char *bytes = g_bytes_get_data (data, &size);
  g_autofree char *text = g_utf8_make_valid (bytes, size);

  g_string_append (job->output, text);
  if (job->output->len > OUTPUT_KEEP)
    g_string_erase (job->output, 0, job->output->len - OUTPUT_KEEP);
  _lab_setup_runner_emit_output (self, text);
}

static void
lab_setup_runner_cancelled_cb (GCancellable *cancellable,
                               gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("Cancelled"));

  /* Closing the channel ends the remote command's stdin/stdout; the wait fails with it. */
  if (job->channel != NULL)
    lab_ssh_channel_abort (job->channel, error);
}

static void
lab_setup_runner_remote_exec_started_cb (GObject      *source,
                                         GAsyncResult *result,
                                         gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lab_ssh_channel_start_finish (LAB_SSH_CHANNEL (source), result, &error))
    {
      g_clear_object (&job->channel);
      _lab_setup_runner_job_fail (task, error, NULL, job->command);
      return;
    }
  g_signal_connect_object (source, "stdout-data",
                           G_CALLBACK (lab_setup_runner_channel_data_cb), task, 0);
  if (g_task_get_cancellable (task) != NULL)
    job->cancel_id = g_cancellable_connect (g_task_get_cancellable (task),
                                            G_CALLBACK (lab_setup_runner_cancelled_cb), job, NULL);
  lab_ssh_channel_wait_async (LAB_SSH_CHANNEL (source), NULL,
                              lab_setup_runner_remote_exec_closed_cb, task);
}

static void
lab_setup_runner_local_exec_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *out = NULL;
  GError *error = NULL;
  int status;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, NULL,
                                             &error))
    {
      _lab_setup_runner_job_fail (task, error, NULL, job->command);
      return;
    }
  if (out != NULL)
    {
      g_string_append (job->output, out);
      _lab_setup_runner_emit_output (self, out);
    }
  status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
           ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  if (status != 0 && job->mode == MODE_APPLY)
    {
      _lab_setup_runner_job_fail (task,
                                  g_error_new (LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                                               _("“%s” failed (exit status %d)"),
                                               job->command, status),
                                  _("The command failed on this computer. Its output above "
                                    "says why."),
                                  job->command);
      return;
    }
  _lab_setup_runner_action_done (task, status == 0);
}

/* Runs @argv (already expanded) for a run action or for what another action needs run. */
static void
lab_setup_runner_run_argv (GTask      *task,
                           char      **argv,
                           gboolean    root,
                           gboolean    local,
                           guint       timeout_s)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *note = NULL;

  note = g_strdup_printf ("$ %s\n", job->command);
  _lab_setup_runner_emit_output (self, note);
  if (local)
    {
      GError *error = NULL;
      g_autoptr(GSubprocess) process = NULL;

      process = g_subprocess_newv ((const char * const *) argv,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
      if (process == NULL)
        {
          _lab_setup_runner_job_fail (task,
                                      g_error_new (LAB_SETUP_ERROR, LAB_SETUP_ERROR_NOT_FOUND,
                                                   "%s", error->message),
                                      error->message, NULL);
          g_error_free (error);
          return;
        }
      g_subprocess_communicate_utf8_async (process, NULL, g_task_get_cancellable (task),
                                           lab_setup_runner_local_exec_cb, g_object_ref (task));
      return;
    }

  job->channel = lab_ssh_session_create_exec_channel (self->session,
                                                      (const char * const *) argv,
                                                      (root ? LAB_SSH_EXEC_SUDO : 0)
                                                      | LAB_SSH_EXEC_MERGE_STDERR);
  if (timeout_s > 0)
    lab_ssh_channel_set_timeout (job->channel, timeout_s * 1000);
  lab_ssh_channel_start_async (job->channel, g_task_get_cancellable (task),
                               lab_setup_runner_remote_exec_started_cb, g_object_ref (task));
}

void
_lab_setup_runner_run_action (GTask                *task,
                              const LabSetupAction *action)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_auto(GStrv) argv = _lab_setup_runner_expand_argv (self, action->argv);

  g_free (job->command);
  job->command = lab_setup_runner_shown_command (action, argv);
  if (job->mode == MODE_PLAN)
    {
      if (action->description != NULL)
        g_string_append_printf (job->plan, "# %s\n", action->description);
      g_string_append_printf (job->plan, action->local ? "%s  %s\n" : "$ %s\n",
                              job->command, action->local ? _("(on this computer)") : "");
      job->index++;
      _lab_setup_runner_next_action (task);
      return;
    }
  lab_setup_runner_run_argv (task, argv, action->root, action->local, action->timeout_s);
}

/* ---- packages ---- */

/* Prints the names (its arguments) of the packages that are not installed. */
static const char missing_packages_script[] =
  "for p; do\n"
  "  s=$(dpkg-query -W -f='${Status}' \"$p\" 2>/dev/null) || s=\n"
  "  [ \"$s\" = 'install ok installed' ] || echo \"$p\"\n"
  "done\n";

/* apt-get update first: a fresh system may have no package lists at all. */
static const char install_packages_script[] =
  "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \"$@\"\n";

static void
lab_setup_runner_packages_listed_cb (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  const LabSetupAction *action = job->actions->pdata[job->index];
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GStrvBuilder) install = g_strv_builder_new ();
  g_auto(GStrv) missing = NULL;
  g_auto(GStrv) argv = NULL;
  GError *error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      _lab_setup_runner_job_fail (task, error, NULL, job->command);
      return;
    }
  missing = g_strsplit (g_strstrip ((char *) lab_ssh_exec_result_get_stdout_text (exec)),
                        "\n", -1);
  if (missing[0] == NULL || *missing[0] == '\0')
    g_clear_pointer (&missing, g_strfreev);

  switch (job->mode)
    {
    case MODE_CHECK:
    case MODE_VERIFY:
      _lab_setup_runner_action_done (task, missing == NULL);
      return;

    case MODE_PLAN:
    case MODE_APPLY:
      if (missing == NULL)
        {
          if (job->mode == MODE_PLAN)
            {
              g_autofree char *names = g_strjoinv (" ", action->argv);

              g_string_append_printf (job->plan, _("# installed already: %s\n"), names);
            }
          job->index++;
          _lab_setup_runner_next_action (task);
          return;
        }
      g_strv_builder_addv (install, (const char **) missing);
      argv = g_strv_builder_end (install);
      {
        g_autofree char *names = g_strjoinv (" ", argv);

        g_free (job->command);
        job->command = g_strdup_printf ("sudo apt-get update && sudo apt-get install -y %s",
                                        names);
      }
      if (job->mode == MODE_PLAN)
        {
          g_string_append_printf (job->plan, "$ %s\n", job->command);
          job->index++;
          _lab_setup_runner_next_action (task);
          return;
        }
      {
        g_autoptr(GStrvBuilder) full = g_strv_builder_new ();
        g_auto(GStrv) script_argv = NULL;

        g_strv_builder_add_many (full, "sh", "-c", install_packages_script, "sh", NULL);
        g_strv_builder_addv (full, (const char **) argv);
        script_argv = g_strv_builder_end (full);
        /* Downloads can be long: an hour at most. */
        lab_setup_runner_run_argv (task, script_argv, TRUE, FALSE, 3600);
      }
      return;
    }
}

void
_lab_setup_runner_packages_action (GTask                *task,
                                   const LabSetupAction *action)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *names = g_strjoinv (" ", action->argv);

  g_free (job->command);
  job->command = g_strdup_printf ("dpkg-query -W %s", names);
  g_strv_builder_add_many (builder, "sh", "-c", missing_packages_script, "sh", NULL);
  g_strv_builder_addv (builder, (const char **) action->argv);
  argv = g_strv_builder_end (builder);
  lab_ssh_session_exec_async (self->session, (const char * const *) argv, LAB_SSH_EXEC_NONE,
                              NULL, 60000, g_task_get_cancellable (task),
                              lab_setup_runner_packages_listed_cb, g_object_ref (task));
}

/* ---- files ---- */

static char *
lab_setup_runner_wanted_text (Job                  *job,
                              const LabSetupAction *action,
                              const char           *text)
{
  if (action->kind == LAB_SETUP_ACTION_ENSURE_FILE)
    return g_strcmp0 (job->old_text, text) == 0 && job->old_exists ? NULL : g_strdup (text);
  if (action->kind == LAB_SETUP_ACTION_ENSURE_BLOCK)
    return lab_setup_ensure_block (job->old_text, text);
  if (action->replaces != NULL)
    return lab_setup_ensure_setting (job->old_text, text, action->replaces);
  return lab_setup_ensure_line (job->old_text, text);
}

static void
lab_setup_runner_replace_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *backup = NULL;
  g_autofree char *note = NULL;
  GError *error = NULL;

  backup = lab_remote_file_replace_finish (LAB_SSH_SESSION (source), result, &error);
  if (backup == NULL)
    {
      _lab_setup_runner_job_fail (task, error, NULL, NULL);
      return;
    }
  job->changed = TRUE;
  note = *backup != '\0' ? g_strdup_printf (_("Saved a backup as %s\n"), backup)
                         : g_strdup (_("Created the file\n"));
  _lab_setup_runner_emit_output (self, note);
  job->index++;
  _lab_setup_runner_next_action (task);
}

static void
lab_setup_runner_file_read_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const LabSetupAction *action = job->actions->pdata[job->index];
  g_autofree char *path = lab_setup_runner_expand (self, action->path);
  g_autofree char *text = lab_setup_runner_expand (self, action->text);
  g_autofree char *wanted = NULL;
  GError *error = NULL;

  g_clear_pointer (&job->old_text, g_free);
  if (!lab_remote_file_read_finish (LAB_SSH_SESSION (source), result, &job->old_text, &error))
    {
      _lab_setup_runner_job_fail (task, error, NULL, NULL);
      return;
    }
  /* Two changes to one file in a plan: the second one starts from the first's result. */
  if (job->mode == MODE_PLAN && g_hash_table_contains (job->planned, path))
    {
      g_free (job->old_text);
      job->old_text = g_strdup (g_hash_table_lookup (job->planned, path));
    }
  job->old_exists = job->old_text != NULL;
  wanted = lab_setup_runner_wanted_text (job, action, text);
  if (job->mode == MODE_PLAN && wanted != NULL)
    g_hash_table_insert (job->planned, g_strdup (path), g_strdup (wanted));

  switch (job->mode)
    {
    case MODE_CHECK:
    case MODE_VERIFY:
      _lab_setup_runner_action_done (task, wanted == NULL);
      return;

    case MODE_PLAN:
      if (wanted != NULL)
        {
          g_autofree char *diff = lab_setup_diff (path, job->old_text, wanted);

          g_string_append (job->plan, diff);
        }
      else
        g_string_append_printf (job->plan, _("# %s: already as it should be\n"), path);
      job->index++;
      _lab_setup_runner_next_action (task);
      return;

    case MODE_APPLY:
      if (wanted == NULL)
        {
          job->index++;
          _lab_setup_runner_next_action (task);
          return;
        }
      {
        g_autofree char *diff = lab_setup_diff (path, job->old_text, wanted);

        _lab_setup_runner_emit_output (self, diff);
      }
      /* The contents just read are the guard: if someone edits the file between this read
       * and the write, nothing is written. */
      lab_remote_file_replace_full_async (self->session, path, job->old_text, wanted,
                                          action->mode, action->validate,
                                          action->root ? LAB_SSH_EXEC_SUDO : 0,
                                          g_task_get_cancellable (task),
                                          lab_setup_runner_replace_cb, g_object_ref (task));
      return;
    }
}

void
_lab_setup_runner_file_action (GTask                *task,
                               const LabSetupAction *action)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *path = lab_setup_runner_expand (self, action->path);

  g_free (job->command);
  if (action->kind == LAB_SETUP_ACTION_ENSURE_LINE)
    job->command = g_strdup_printf (_("make sure %s has the line “%s”"), path, action->text);
  else if (action->kind == LAB_SETUP_ACTION_ENSURE_BLOCK)
    job->command = g_strdup_printf (_("make sure %s has the lines shown"), path);
  else
    job->command = g_strdup_printf (_("write %s"), path);
  lab_remote_file_read_async (self->session, path, action->root ? LAB_SSH_EXEC_SUDO : 0,
                              g_task_get_cancellable (task), lab_setup_runner_file_read_cb,
                              g_object_ref (task));
}

/* ---- reboot ---- */

/* Detached, so that the command returns (and its channel closes) before the host goes
 * down; systemd's reboot where systemd runs, else the classic one. */
static const char reboot_script[] =
  "cat /proc/sys/kernel/random/boot_id\n"
  "if [ -d /run/systemd/system ]; then set -- systemctl reboot; else set -- reboot; fi\n"
  "nohup sh -c 'sleep 2; exec \"$@\"' sh \"$@\" </dev/null >/dev/null 2>&1 &\n"
  "echo \"$*\"\n";

static void
lab_setup_runner_reboot_started_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  GError *error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  /* The link may drop before the answer: that is the reboot happening. */
  if (exec == NULL && !g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED))
    {
      _lab_setup_runner_job_fail (task, error, NULL, job->command);
      return;
    }
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) != 0)
    {
      g_autofree char *said = g_strdup (lab_ssh_exec_result_get_stderr_text (exec));

      g_string_append (job->output, said);
      _lab_setup_runner_job_fail (task,
                                  g_error_new (LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND,
                                               _("The host refused to reboot: %s"),
                                               g_strstrip (said)),
                                  NULL, job->command);
      return;
    }
  g_clear_error (&error);
  /* Waiting for the host is only over once another boot answers: for a moment after this
   * the old one still does. */
  g_clear_pointer (&self->boot_id, g_free);
  if (exec != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (lab_ssh_exec_result_get_stdout_text (exec), "\n", 2);

      if (lines[0] != NULL && strlen (g_strstrip (lines[0])) == 36)
        self->boot_id = g_strdup (lines[0]);
    }
  _lab_setup_runner_emit_output (self, _("The host is rebooting.\n"));
  job->changed = TRUE;
  job->index++;
  _lab_setup_runner_next_action (task);
}

void
_lab_setup_runner_reboot_action (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const char *argv[] = { "sh", "-c", reboot_script, "sh", NULL };

  g_free (job->command);
  job->command = g_strdup ("sudo reboot");
  if (job->mode == MODE_PLAN)
    {
      g_string_append_printf (job->plan, "$ %s   %s\n", job->command,
                              _("(then Mirage Lab waits for the host to come back)"));
      job->index++;
      _lab_setup_runner_next_action (task);
      return;
    }
  if (job->mode != MODE_APPLY)
    {
      job->index++;
      _lab_setup_runner_next_action (task);
      return;
    }
  {
    g_autofree char *note = g_strdup_printf ("$ %s\n", job->command);
    _lab_setup_runner_emit_output (self, note);
  }
  lab_ssh_session_exec_async (self->session, argv, LAB_SSH_EXEC_SUDO, NULL, 60000,
                              g_task_get_cancellable (task), lab_setup_runner_reboot_started_cb,
                              g_object_ref (task));
}
