/* lab-setup-runner-wait.c: waiting for the host to answer again, after a reboot or a lost
 * link
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-runner-wait"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-setup-runner-private.h"

#define MAX_BACKOFF_MS 30000

typedef struct
{
  guint attempts_left;
  guint delay_ms;
  guint timeout_id;
  gulong cancel_id;
} WaitData;

static void lab_setup_runner_try_connect (GTask *task);

static gboolean
lab_setup_runner_retry_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);

  data->timeout_id = 0;
  g_cancellable_disconnect (g_task_get_cancellable (task), data->cancel_id);
  data->cancel_id = 0;
  lab_setup_runner_try_connect (task);
  return G_SOURCE_REMOVE;
}

static void
lab_setup_runner_wait_cancelled_cb (GCancellable *cancellable,
                                    gpointer      user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);

  /* Runs from g_cancellable_cancel on the main thread: finish the sleeping task now. */
  if (data->timeout_id != 0)
    {
      /* The timeout's reference on the task moves to the idle. */
      g_clear_handle_id (&data->timeout_id, g_source_remove);
      g_idle_add (lab_setup_runner_retry_timeout_cb, task);
    }
}

/* Another try later, or the end of waiting: @error says why this try failed. */
static void
lab_setup_runner_retry_or_fail (GTask  *task_in,
                                GError *error_in)
{
  g_autoptr(GTask) task = task_in;
  g_autoptr(GError) error = error_in;
  LabSetupRunner *self = g_task_get_source_object (task);
  WaitData *data = g_task_get_task_data (task);
  g_autofree char *note = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_CHANGED)
      || g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_REVOKED)
      || g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_UNKNOWN)
      || g_error_matches (error, LAB_SSH_ERROR, LAB_SSH_ERROR_AUTH_FAILED))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _lab_setup_runner_set_failure (self, NULL, error->message, error->message, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->attempts_left == 0)
    {
      g_autofree char *meaning = g_strdup_printf (
        _("The host did not answer over SSH (%s). If it is still starting, wait and retry; "
          "otherwise look at its console in VirtualBox."), error->message);

      _lab_setup_runner_set_failure (self, NULL, error->message, meaning, NULL);
      g_task_return_new_error (task, LAB_SETUP_ERROR, LAB_SETUP_ERROR_UNREACHABLE,
                               "%s", meaning);
      return;
    }
  note = g_strdup_printf (_("Waiting for the host (%s); next try in %u s…\n"),
                          error->message, (data->delay_ms + 999) / 1000);
  _lab_setup_runner_emit_output (self, note);
  data->timeout_id = g_timeout_add (data->delay_ms, lab_setup_runner_retry_timeout_cb, task);
  if (g_task_get_cancellable (task) != NULL)
    data->cancel_id = g_cancellable_connect (g_task_get_cancellable (task),
                                             G_CALLBACK (lab_setup_runner_wait_cancelled_cb),
                                             g_object_ref (task), g_object_unref);
  data->delay_ms = MIN (data->delay_ms * 2, MAX_BACKOFF_MS);
  g_steal_pointer (&task);
}

static void
lab_setup_runner_boot_id_read_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  GError *error = NULL;
  g_autofree char *boot_id = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      lab_setup_runner_retry_or_fail (g_steal_pointer (&task), error);
      return;
    }
  boot_id = g_strstrip (g_strdup (lab_ssh_exec_result_get_stdout_text (exec)));
  if (g_strcmp0 (boot_id, self->boot_id) == 0)
    {
      lab_setup_runner_retry_or_fail (g_steal_pointer (&task),
                                      g_error_new_literal (LAB_SETUP_ERROR,
                                                           LAB_SETUP_ERROR_UNREACHABLE,
                                                           _("it has not restarted yet")));
      return;
    }
  g_clear_pointer (&self->boot_id, g_free);
  _lab_setup_runner_emit_output (self, _("The host answers again, after its reboot.\n"));
  g_task_return_boolean (task, TRUE);
}

static void
lab_setup_runner_connect_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabSetupRunner *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (lab_ssh_session_connect_finish (LAB_SSH_SESSION (source), result, &error))
    {
      static const char *const argv[] = { "cat", "/proc/sys/kernel/random/boot_id", NULL };
      GCancellable *cancellable = g_task_get_cancellable (task);

      if (self->boot_id == NULL)
        {
          _lab_setup_runner_emit_output (self, _("The host answers again.\n"));
          g_task_return_boolean (task, TRUE);
          return;
        }
      lab_ssh_session_exec_async (LAB_SSH_SESSION (source), argv, LAB_SSH_EXEC_NONE, NULL,
                                  30000, cancellable, lab_setup_runner_boot_id_read_cb,
                                  g_steal_pointer (&task));
      return;
    }
  lab_setup_runner_retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error));
}

static void
lab_setup_runner_try_connect (GTask *task)
{
  LabSetupRunner *self = g_task_get_source_object (task);
  WaitData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  data->attempts_left--;
  /* A fresh connection every time: after a reboot the old one is dead even when no
   * keepalive noticed it yet, and only a new handshake proves the host is back. */
  lab_ssh_session_close (self->session);
  lab_ssh_session_connect_async (self->session, g_task_get_cancellable (task),
                                 lab_setup_runner_connect_cb, task);
}

void
lab_setup_runner_wait_for_host_async (LabSetupRunner      *self,
                                      guint                max_attempts,
                                      guint                first_delay_ms,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  WaitData *data;

  g_return_if_fail (LAB_IS_SETUP_RUNNER (self));
  g_return_if_fail (self->session != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_setup_runner_wait_for_host_async);
  data = g_new0 (WaitData, 1);
  data->attempts_left = MAX (max_attempts, 1);
  data->delay_ms = MAX (first_delay_ms, 100);
  g_task_set_task_data (task, data, g_free);
  g_clear_pointer (&self->failure, lab_setup_failure_free);
  lab_setup_runner_try_connect (task);
}

gboolean
lab_setup_runner_wait_for_host_finish (LabSetupRunner  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
