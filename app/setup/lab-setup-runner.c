/* lab-setup-runner.c: the job that walks a step's actions (check, plan, apply, verify)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-setup-runner-private.h"

G_DEFINE_FINAL_TYPE (LabSetupRunner, lab_setup_runner, G_TYPE_OBJECT)

enum { SIGNAL_OUTPUT, SIGNAL_PROGRESS, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
lab_setup_runner_job_free (Job *job)
{
  g_clear_pointer (&job->actions, g_ptr_array_unref);
  if (job->plan != NULL)
    g_string_free (job->plan, TRUE);
  g_string_free (job->output, TRUE);
  g_free (job->command);
  g_free (job->old_text);
  g_clear_pointer (&job->planned, g_hash_table_unref);
  g_clear_object (&job->channel);
  g_free (job);
}

static void
lab_setup_runner_finalize (GObject *object)
{
  LabSetupRunner *self = LAB_SETUP_RUNNER (object);

  g_clear_object (&self->session);
  g_hash_table_unref (self->variables);
  g_hash_table_unref (self->lists);
  g_free (self->boot_id);
  lab_setup_failure_free (self->failure);
  G_OBJECT_CLASS (lab_setup_runner_parent_class)->finalize (object);
}

static void
lab_setup_runner_class_init (LabSetupRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_setup_runner_finalize;

  signals[SIGNAL_OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_DOUBLE);
}

static void
lab_setup_runner_init (LabSetupRunner *self)
{
  self->variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_strfreev);
  /* The recipes' settings, as in the 2015 recipe; the wizard may change them. */
  lab_setup_runner_set_network (self, "br0", "192.168.56.5", 24, "192.168.56.150",
                                "192.168.56.200", "1h", NULL);
  lab_setup_runner_set_variable (self, "dom0-mem", "1024M");
  lab_setup_runner_set_variable (self, "switch", "mirage");
  /* ocaml-solo5 1.2.1 and later accept OCaml 5.4.1 (setup-recipes.md §1.10). */
  lab_setup_runner_set_variable (self, "ocaml", "5.4.1");
  lab_setup_runner_set_variable (self, "skeleton-url",
                                 "https://github.com/mirage/mirage-skeleton.git");
}

LabSetupRunner *
lab_setup_runner_new (LabSshSession *session)
{
  LabSetupRunner *self = g_object_new (LAB_TYPE_SETUP_RUNNER, NULL);

  g_return_val_if_fail (session == NULL || LAB_IS_SSH_SESSION (session), NULL);
  self->session = session != NULL ? g_object_ref (session) : NULL;
  return self;
}

LabSshSession *
lab_setup_runner_get_session (LabSetupRunner *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_RUNNER (self), NULL);
  return self->session;
}

const LabSetupFailure *
lab_setup_runner_get_failure (LabSetupRunner *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_RUNNER (self), NULL);
  return self->failure;
}

void
_lab_setup_runner_emit_output (LabSetupRunner *self,
                               const char     *text)
{
  g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, text);
}

void
_lab_setup_runner_set_failure (LabSetupRunner *self,
                               const char     *command,
                               const char     *output,
                               const char     *meaning,
                               const char     *fix)
{
  lab_setup_failure_free (self->failure);
  self->failure = lab_setup_failure_new (command, output, meaning, fix);
}

void
_lab_setup_runner_job_fail (GTask      *task,
                            GError     *error,
                            const char *meaning,
                            const char *fix)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _lab_setup_runner_set_failure (self, job->command, job->output->str,
                                   meaning != NULL ? meaning : error->message, fix);
  g_task_return_error (task, error);
}

/* ---- walking the actions ---- */

void
_lab_setup_runner_action_done (GTask    *task,
                               gboolean  holds)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const LabSetupAction *action = job->actions->pdata[job->index];

  if (!holds && (job->mode == MODE_CHECK || job->mode == MODE_VERIFY))
    {
      job->holds = FALSE;
      if (job->mode == MODE_VERIFY)
        {
          g_autofree char *meaning = NULL;

          if (action->description != NULL)
            meaning = g_strdup (action->description);
          else if (action->kind == LAB_SETUP_ACTION_RUN)
            meaning = g_strdup_printf (_("The step ran, but its verification failed: “%s” "
                                         "did not succeed."), job->command);
          else
            meaning = g_strdup_printf (_("The step ran, but %s does not hold what it "
                                         "should."), action->path);
          _lab_setup_runner_set_failure (self, job->command, job->output->str, meaning,
                                         job->command);
          g_task_return_new_error (task, LAB_SETUP_ERROR, LAB_SETUP_ERROR_VERIFY,
                                   "%s", meaning);
          return;
        }
      /* One check that does not hold is enough to know the step is not done. */
      job->index = job->actions->len;
    }
  else
    job->index++;
  _lab_setup_runner_next_action (task);
}

static void
lab_setup_runner_already_done (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);

  _lab_setup_runner_emit_output (self, _("Already done: nothing to change.\n"));
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, 1.0);
  g_task_return_boolean (task, TRUE);
}

static void
lab_setup_runner_phase_finished (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  switch (job->op)
    {
    case OP_CHECK:
    case OP_VERIFY:
      g_task_return_boolean (task, job->holds);
      return;

    case OP_PLAN:
      g_task_return_pointer (task, g_string_free (g_steal_pointer (&job->plan), FALSE),
                             g_free);
      return;

    case OP_APPLY:
      if (job->mode == MODE_CHECK && job->holds && job->step->verify->len > 0)
        {
          /* Done already, but a step that verifies more than it checks (the Xen step's
           * hvm and hap) verifies now too: a host that cannot run unikernels stops at
           * this step, not after the long ones that follow. */
          job->was_done = TRUE;
          job->mode = MODE_VERIFY;
          g_ptr_array_unref (job->actions);
          job->actions = lab_setup_step_get_verify (job->step);
        }
      else if (job->mode == MODE_CHECK && job->holds)
        {
          lab_setup_runner_already_done (task);
          return;
        }
      else if (job->mode == MODE_CHECK)
        {
          job->mode = MODE_APPLY;
          g_ptr_array_unref (job->actions);
          job->actions = g_ptr_array_ref (job->step->apply);
        }
      else if (job->mode == MODE_APPLY && !job->step->reboot_after)
        {
          job->mode = MODE_VERIFY;
          job->holds = TRUE;
          g_ptr_array_unref (job->actions);
          job->actions = lab_setup_step_get_verify (job->step);
        }
      else if (job->was_done)
        {
          lab_setup_runner_already_done (task);
          return;
        }
      else
        {
          g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, 1.0);
          g_task_return_boolean (task, TRUE);
          return;
        }
      job->index = 0;
      job->when_passed = 0;
      _lab_setup_runner_next_action (task);
      return;
    }
}

static void
lab_setup_runner_when_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  GError *error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      _lab_setup_runner_job_fail (task, error, NULL, job->command);
      return;
    }
  if (lab_ssh_exec_result_get_exit_status (exec) == 0)
    job->when_passed = job->index + 1;
  else
    {
      g_debug ("skipping action %u: its condition “%s” does not hold", job->index,
               job->command);
      job->index++;
    }
  _lab_setup_runner_next_action (task);
}

void
_lab_setup_runner_next_action (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const LabSetupAction *action;
  g_autofree char *variable = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (job->index >= job->actions->len)
    {
      lab_setup_runner_phase_finished (task);
      return;
    }
  action = job->actions->pdata[job->index];
  g_string_truncate (job->output, 0);
  if (job->mode == MODE_APPLY)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0,
                   (double) job->index / job->actions->len);
  if (self->session == NULL && !(action->kind == LAB_SETUP_ACTION_RUN && action->local))
    {
      g_task_return_new_error (task, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                               _("Not connected to a host"));
      return;
    }
  if ((variable = _lab_setup_runner_unset_variable (self, action)) != NULL)
    {
      _lab_setup_runner_resolve_variable (task, variable);
      return;
    }
  if (action->when != NULL && job->when_passed != job->index + 1)
    {
      g_auto(GStrv) argv = _lab_setup_runner_expand_argv (self, action->when);

      g_free (job->command);
      job->command = lab_setup_format_argv ((const char * const *) argv);
      lab_ssh_session_exec_async (self->session, (const char * const *) argv,
                                  LAB_SSH_EXEC_NONE, NULL, 30000,
                                  g_task_get_cancellable (task), lab_setup_runner_when_cb,
                                  g_object_ref (task));
      return;
    }
  if (action->kind == LAB_SETUP_ACTION_RUN)
    _lab_setup_runner_run_action (task, action);
  else if (action->kind == LAB_SETUP_ACTION_REBOOT)
    _lab_setup_runner_reboot_action (task);
  else if (action->kind == LAB_SETUP_ACTION_ENSURE_PACKAGES)
    _lab_setup_runner_packages_action (task, action);
  else
    _lab_setup_runner_file_action (task, action);
}

static void
lab_setup_runner_start_job (LabSetupRunner      *self,
                            const LabSetupStep  *step,
                            Op                   op,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data,
                            gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, source_tag);
  job->step = step;
  job->op = op;
  job->holds = TRUE;
  job->output = g_string_new (NULL);
  switch (op)
    {
    case OP_CHECK:
    case OP_APPLY:
      job->mode = MODE_CHECK;
      job->actions = lab_setup_step_get_check (step);
      break;
    case OP_PLAN:
      job->mode = MODE_PLAN;
      job->plan = g_string_new (NULL);
      job->planned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      job->actions = g_ptr_array_ref (step->apply);
      break;
    case OP_VERIFY:
      job->mode = MODE_VERIFY;
      job->actions = lab_setup_step_get_verify (step);
      break;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) lab_setup_runner_job_free);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  g_debug ("step %s: %s", step->id,
           op == OP_CHECK ? "check" : op == OP_PLAN ? "plan" : op == OP_APPLY ? "apply"
                                                                              : "verify");
  if (op == OP_APPLY)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, -1.0);

  _lab_setup_runner_learn_home (task);
}

void
lab_setup_runner_check_async (LabSetupRunner      *self,
                              const LabSetupStep  *step,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  lab_setup_runner_start_job (self, step, OP_CHECK, cancellable, callback, user_data,
                              lab_setup_runner_check_async);
}

gboolean
lab_setup_runner_check_finish (LabSetupRunner  *self,
                               GAsyncResult    *result,
                               gboolean        *done,
                               GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean holds;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  holds = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *done = holds;
  return TRUE;
}

void
lab_setup_runner_plan_async (LabSetupRunner      *self,
                             const LabSetupStep  *step,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  lab_setup_runner_start_job (self, step, OP_PLAN, cancellable, callback, user_data,
                              lab_setup_runner_plan_async);
}

char *
lab_setup_runner_plan_finish (LabSetupRunner  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lab_setup_runner_apply_async (LabSetupRunner      *self,
                              const LabSetupStep  *step,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  lab_setup_runner_start_job (self, step, OP_APPLY, cancellable, callback, user_data,
                              lab_setup_runner_apply_async);
}

gboolean
lab_setup_runner_apply_finish (LabSetupRunner  *self,
                               GAsyncResult    *result,
                               gboolean        *changed,
                               GError         **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  job = g_task_get_task_data (G_TASK (result));
  if (changed != NULL)
    *changed = job->changed || (job->mode != MODE_CHECK && !job->was_done);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lab_setup_runner_verify_async (LabSetupRunner      *self,
                               const LabSetupStep  *step,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  lab_setup_runner_start_job (self, step, OP_VERIFY, cancellable, callback, user_data,
                              lab_setup_runner_verify_async);
}

gboolean
lab_setup_runner_verify_finish (LabSetupRunner  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
