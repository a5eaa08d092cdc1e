/* lab-ssh-session-exec.c: running a command to completion, opening a terminal
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-ssh-private.h"

#include "lab-ssh-session.h"

typedef struct
{
  LabSshChannel *channel;
  GByteArray    *out;
  GByteArray    *err;
  GCancellable  *cancellable;
  gulong         cancel_id;
  gboolean       too_much;
} ExecData;

/* What a command may print before it is stopped: far more than any xl, find or cat of a
 * config the app runs prints, far less than would hurt (a hostile dom0, a lease path that
 * is /dev/zero). Streaming callers use exec channels, which have no such limit. */
#define EXEC_STDOUT_MAX (64 * 1024 * 1024)
#define EXEC_STDERR_MAX (1024 * 1024)

static gboolean
exec_too_much_idle (gpointer user_data)
{
  LabSshChannel *channel = user_data;
  g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                         _("The command printed more than Mirage Lab reads "
                                           "(%d MiB); it was stopped."),
                                         EXEC_STDOUT_MAX / (1024 * 1024));

  lab_ssh_channel_abort (channel, error);
  return G_SOURCE_REMOVE;
}

/* Keeps @buf of @array unless that passes @max: then nothing more is kept and the channel
 * is stopped (from an idle: not inside its own signal). */
static void
exec_keep (ExecData     *data,
           GByteArray   *array,
           const guint8 *buf,
           gsize         len,
           gsize         max)
{
  if (data->too_much)
    return;
  if (len > max - MIN (array->len, max))
    {
      data->too_much = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, exec_too_much_idle, g_object_ref (data->channel),
                       g_object_unref);
      return;
    }
  g_byte_array_append (array, buf, (guint) len);
}

static void
exec_data_free (ExecData *data)
{
  if (data->cancel_id != 0)
    g_cancellable_disconnect (data->cancellable, data->cancel_id);
  g_clear_object (&data->cancellable);
  if (data->channel != NULL)
    g_signal_handlers_disconnect_by_data (data->channel, data);
  g_clear_object (&data->channel);
  g_byte_array_unref (data->out);
  g_byte_array_unref (data->err);
  g_free (data);
}

static void
exec_out_cb (LabSshChannel *channel,
             GBytes        *bytes,
             gpointer       user_data)
{
  ExecData *data = user_data;
  gsize len;
  const guint8 *buf = g_bytes_get_data (bytes, &len);

  exec_keep (data, data->out, buf, len, EXEC_STDOUT_MAX);
}

static void
exec_err_cb (LabSshChannel *channel,
             GBytes        *bytes,
             gpointer       user_data)
{
  ExecData *data = user_data;
  gsize len;
  const guint8 *buf = g_bytes_get_data (bytes, &len);

  exec_keep (data, data->err, buf, len, EXEC_STDERR_MAX);
}


static void
exec_closed_cb (LabSshChannel *channel,
                int            status,
                gpointer       user_data)
{
  GTask *task = user_data;
  ExecData *data = g_task_get_task_data (task);
  const GError *error = lab_ssh_channel_get_error (channel);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  LabSshExecResult *result;

  g_signal_handlers_disconnect_by_data (channel, data);
  g_signal_handlers_disconnect_by_data (channel, task);
  if (error != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return;
    }
  out = g_byte_array_free_to_bytes (g_steal_pointer (&data->out));
  err = g_byte_array_free_to_bytes (g_steal_pointer (&data->err));
  data->out = g_byte_array_new ();
  data->err = g_byte_array_new ();
  result = _lab_ssh_exec_result_new (status, lab_ssh_channel_get_exit_signal (channel), out, err);
  g_task_return_pointer (task, result, (GDestroyNotify) lab_ssh_exec_result_free);
  g_object_unref (task);
}

static gboolean
exec_cancel_idle (gpointer user_data)
{
  LabSshChannel *channel = user_data;

  lab_ssh_channel_abort (channel, NULL);
  return G_SOURCE_REMOVE;
}

static void
exec_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  ExecData *data = user_data;

  /* Not from inside the cancelled handler: disconnecting it there would deadlock. */
  g_idle_add_full (G_PRIORITY_DEFAULT, exec_cancel_idle, g_object_ref (data->channel),
                   g_object_unref);
}

void
lab_ssh_session_exec_async (LabSshSession       *self,
                            const char * const  *argv,
                            LabSshExecFlags      flags,
                            GBytes              *stdin_bytes,
                            guint                timeout_ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  lab_ssh_session_exec_in_async (self, NULL, argv, flags, stdin_bytes, timeout_ms, cancellable,
                                 callback, user_data);
}

void
lab_ssh_session_exec_in_async (LabSshSession       *self,
                               const char          *directory,
                               const char * const  *argv,
                               LabSshExecFlags      flags,
                               GBytes              *stdin_bytes,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  ExecData *data;

  g_return_if_fail (LAB_IS_SSH_SESSION (self));
  g_return_if_fail (argv != NULL && argv[0] != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  /* One tag for both: exec_finish checks it. */
  g_task_set_source_tag (task, lab_ssh_session_exec_async);
  data = g_new0 (ExecData, 1);
  data->channel = lab_ssh_session_create_exec_channel (self, argv, flags);
  lab_ssh_channel_set_directory (data->channel, directory);
  data->out = g_byte_array_new ();
  data->err = g_byte_array_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) exec_data_free);

  g_signal_connect (data->channel, "stdout-data", G_CALLBACK (exec_out_cb), data);
  g_signal_connect (data->channel, "stderr-data", G_CALLBACK (exec_err_cb), data);
  /* The task reference is dropped in exec_closed_cb, which always runs once. */
  g_signal_connect (data->channel, "closed", G_CALLBACK (exec_closed_cb), task);
  if (stdin_bytes != NULL)
    lab_ssh_channel_write (data->channel, stdin_bytes);
  lab_ssh_channel_send_eof (data->channel);
  lab_ssh_channel_set_timeout (data->channel, timeout_ms);
  if (cancellable != NULL)
    {
      data->cancellable = g_object_ref (cancellable);
      data->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (exec_cancelled_cb),
                                               data, NULL);
    }
  lab_ssh_channel_start_async (data->channel, NULL, NULL, NULL);
}

LabSshExecResult *
lab_ssh_session_exec_finish (LabSshSession  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
pty_started_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!lab_ssh_channel_start_finish (LAB_SSH_CHANNEL (object), result, &error))
    g_task_return_error (task, error);
  else
    {
      /* The caller connects its signals in its callback: hold the output until then. */
      _lab_ssh_channel_hold_delivery (LAB_SSH_CHANNEL (object), task);
      g_task_return_pointer (task, g_object_ref (object), g_object_unref);
    }
}

void
lab_ssh_session_open_pty_async (LabSshSession       *self,
                                const char * const  *argv,
                                LabSshExecFlags      flags,
                                const char          *term,
                                guint                cols,
                                guint                rows,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(LabSshChannel) channel = NULL;
  GTask *task;

  g_return_if_fail (LAB_IS_SSH_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_ssh_session_open_pty_async);
  channel = lab_ssh_session_create_pty_channel (self, argv, flags, term, cols, rows);
  lab_ssh_channel_start_async (channel, cancellable, pty_started_cb, task);
}

LabSshChannel *
lab_ssh_session_open_pty_finish (LabSshSession  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
