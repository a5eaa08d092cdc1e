/* lab-ssh-channel.c: the channel object, how it ends, and its API (start, wait, write, close)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-channel"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-ssh-channel-private.h"
#include "lab-ssh-command.h"
#include "lab-ssh-secrets.h"

#include "lab-ssh-channel.h"

G_DEFINE_FINAL_TYPE (LabSshChannel, lab_ssh_channel, G_TYPE_OBJECT)

enum {
  STDOUT_DATA,
  STDERR_DATA,
  EOF_SIGNAL,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
lab_ssh_channel_dispose (GObject *object)
{
  LabSshChannel *self = LAB_SSH_CHANNEL (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  G_OBJECT_CLASS (lab_ssh_channel_parent_class)->dispose (object);
}

static void
lab_ssh_channel_finalize (GObject *object)
{
  LabSshChannel *self = LAB_SSH_CHANNEL (object);

  /* A channel is only freed once closed or lost: the session owns the libssh2 side. */
  g_queue_clear_full (&self->write_queue, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&self->replay_queue, (GDestroyNotify) g_bytes_unref);
  lab_ssh_secret_free (self->sudo_password);
  if (self->held_out != NULL)
    g_string_free (self->held_out, TRUE);
  if (self->held_err != NULL)
    g_string_free (self->held_err, TRUE);
  g_clear_object (&self->session);
  g_strfreev (self->argv);
  g_free (self->command);
  g_free (self->term);
  g_free (self->tcpip_host);
  g_free (self->directory);
  g_free (self->exit_signal);
  g_clear_error (&self->error);
  g_clear_object (&self->start_task);
  g_clear_pointer (&self->wait_tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (lab_ssh_channel_parent_class)->finalize (object);
}

static void
lab_ssh_channel_class_init (LabSshChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lab_ssh_channel_dispose;
  object_class->finalize = lab_ssh_channel_finalize;

  signals[STDOUT_DATA] = g_signal_new ("stdout-data", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[STDERR_DATA] = g_signal_new ("stderr-data", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[EOF_SIGNAL] = g_signal_new ("eof", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 0);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
lab_ssh_channel_init (LabSshChannel *self)
{
  g_queue_init (&self->write_queue);
  g_queue_init (&self->replay_queue);
  self->wait_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->exit_status = -1;
}

LabSshChannel *
_lab_ssh_channel_new (LabSshSession      *session,
                      const char * const *argv,
                      LabSshExecFlags     flags,
                      gboolean            pty,
                      const char         *term,
                      guint               cols,
                      guint               rows)
{
  LabSshChannel *self = g_object_new (LAB_TYPE_SSH_CHANNEL, NULL);

  self->session = g_object_ref (session);
  self->argv = g_strdupv ((char **) argv);
  self->flags = flags;
  self->pty = pty;
  self->term = g_strdup (term != NULL ? term : "xterm-256color");
  self->cols = cols > 0 ? cols : 80;
  self->rows = rows > 0 ? rows : 24;
  if (argv != NULL && argv[0] != NULL)
    self->command = lab_ssh_command_build (argv);
  return self;
}

LabSshChannel *
_lab_ssh_channel_new_tcpip (LabSshSession *session,
                            const char    *host,
                            guint          port)
{
  LabSshChannel *self = g_object_new (LAB_TYPE_SSH_CHANNEL, NULL);

  self->session = g_object_ref (session);
  self->tcpip_host = g_strdup (host);
  self->tcpip_port = port;
  return self;
}

LabSshChannel *
_lab_ssh_channel_new_raw (LabSshSession *session,
                          const char    *command)
{
  LabSshChannel *self = g_object_new (LAB_TYPE_SSH_CHANNEL, NULL);

  self->session = g_object_ref (session);
  self->command = g_strdup (command);
  self->internal = TRUE;
  return self;
}

/* Everything that ends a channel goes through here, exactly once. */
static void
finish (LabSshChannel *self)
{
  g_autoptr(LabSshChannel) hold = g_object_ref (self);
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GTask) start_task = NULL;

  if (self->phase == PHASE_CLOSED)
    return;

  self->phase = PHASE_CLOSED;
  self->raw = NULL;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_queue_clear_full (&self->write_queue, (GDestroyNotify) g_bytes_unref);
  g_queue_init (&self->write_queue);
  g_queue_clear_full (&self->replay_queue, (GDestroyNotify) g_bytes_unref);
  g_queue_init (&self->replay_queue);
  g_clear_pointer (&self->sudo_password, lab_ssh_secret_free);
  if (self->error != NULL)
    self->exit_status = -1;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) == FALSE)
    {
      /* Escaped: command lines may hold newlines and bytes that are not UTF-8. */
      g_autofree char *escaped = g_strescape (self->command ? self->command : "(shell)", NULL);

      g_debug ("channel \"%s\" closed: status %d%s%s", escaped, self->exit_status,
               self->error ? ", " : "", self->error ? self->error->message : "");
    }

  _lab_ssh_session_remove_channel (self->session, self);

  start_task = g_steal_pointer (&self->start_task);
  if (start_task != NULL)
    {
      if (self->error != NULL)
        g_task_return_error (start_task, g_error_copy (self->error));
      else
        g_task_return_new_error (start_task, LAB_SSH_ERROR, LAB_SSH_ERROR_CHANNEL, "%s",
                                 _("The command ended before it started."));
    }

  g_signal_emit (self, signals[CLOSED], 0, self->exit_status);

  waiters = g_steal_pointer (&self->wait_tasks);
  self->wait_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_int (task, self->exit_status);
    }
}

static void
set_error (LabSshChannel *self,
           GError        *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

/* For the other pieces (lab-ssh-channel-private.h) */

void
_lab_ssh_channel_finish (LabSshChannel *self)
{
  finish (self);
}

void
_lab_ssh_channel_set_error (LabSshChannel *self,
                            GError        *error)
{
  set_error (self, error);
}

void
_lab_ssh_channel_lost (LabSshChannel *self,
                       const GError  *error)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));

  if (self->phase == PHASE_CLOSED)
    return;
  if (error != NULL)
    set_error (self, g_error_copy (error));
  _lab_ssh_session_release_open (self->session, self);
  finish (self);
}

gboolean
_lab_ssh_channel_has_raw (LabSshChannel *self)
{
  return self->raw != NULL;
}

void
_lab_ssh_channel_slot_freed (LabSshChannel *self)
{
  self->waiting_slot = FALSE;
}

gboolean
_lab_ssh_channel_is_reading (LabSshChannel *self)
{
  return self->phase >= PHASE_OPENING && self->phase < PHASE_CLOSED;
}

void
_lab_ssh_channel_emit_bytes (LabSshChannel *self,
                             int            stream,
                             const guchar  *buf,
                             gsize          len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (buf, len);

  g_signal_emit (self, signals[stream == 0 ? STDOUT_DATA : STDERR_DATA], 0, bytes);
}

void
_lab_ssh_channel_emit_eof (LabSshChannel *self)
{
  g_signal_emit (self, signals[EOF_SIGNAL], 0);
}

static gboolean
timeout_cb (gpointer user_data)
{
  LabSshChannel *self = user_data;
  g_autoptr(GError) error = NULL;

  self->timeout_id = 0;
  error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT,
                       _("The command “%s” did not finish within %u seconds."),
                       self->argv != NULL && self->argv[0] != NULL ? self->argv[0] : "shell",
                       (self->timeout_ms + 999) / 1000);
  lab_ssh_channel_abort (self, error);
  return G_SOURCE_REMOVE;
}

static void
hold_released_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  LabSshChannel *self = user_data;

  if (!g_task_get_completed (G_TASK (object)) || self->delivery_holds == 0)
    return;
  g_signal_handlers_disconnect_by_func (object, hold_released_cb, self);
  self->delivery_holds--;
  _lab_ssh_session_kick (self->session);
}

void
lab_ssh_channel_set_output_paused (LabSshChannel *self,
                                   gboolean       paused)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));

  paused = !!paused;
  if (self->output_paused == paused)
    return;
  g_debug ("%s a channel's output", paused ? "pausing" : "resuming");
  self->output_paused = paused;
  if (!paused && self->session != NULL)
    _lab_ssh_session_kick (self->session);
}

gboolean
lab_ssh_channel_get_output_paused (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), FALSE);

  return self->output_paused;
}

void
_lab_ssh_channel_hold_delivery (LabSshChannel *self,
                                GTask         *task)
{
  if (g_task_get_completed (task))
    return;
  self->delivery_holds++;
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (hold_released_cb), self, 0);
}

void
_lab_ssh_channel_begin_opening (LabSshChannel *self)
{
  self->phase = PHASE_OPENING;
  if (self->timeout_ms > 0 && self->timeout_id == 0)
    self->timeout_id = g_timeout_add (self->timeout_ms, timeout_cb, self);
  _lab_ssh_session_add_channel (self->session, self);
  _lab_ssh_session_kick (self->session);
}

void
lab_ssh_channel_start_async (LabSshChannel       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_ssh_channel_start_async);

  if (self->phase != PHASE_NEW)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "%s",
                               _("The channel was already started."));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      self->phase = PHASE_CLOSED;
      return;
    }
  if (!_lab_ssh_session_is_connected (self->session))
    {
      set_error (self, g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED, "%s",
                                    _("Not connected to the host.")));
      self->start_task = g_steal_pointer (&task);
      finish (self);
      return;
    }
  if (self->command == NULL && !self->pty && self->tcpip_host == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("No command to run."));
      self->phase = PHASE_CLOSED;
      return;
    }

  self->start_task = g_steal_pointer (&task);
  /* Logged in as root (some dom0s allow only that): sudo is neither needed nor installed. */
  if ((self->flags & LAB_SSH_EXEC_SUDO) && !self->internal
      && g_strcmp0 (lab_ssh_session_get_user (self->session), "root") != 0)
    {
      _lab_ssh_channel_sudo_start (self, cancellable);
      return;
    }
  _lab_ssh_channel_begin_opening (self);
}

gboolean
lab_ssh_channel_start_finish (LabSshChannel  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lab_ssh_channel_wait_async (LabSshChannel       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_ssh_channel_wait_async);
  g_task_set_check_cancellable (task, TRUE);

  if (self->phase == PHASE_CLOSED)
    {
      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_int (task, self->exit_status);
      return;
    }
  g_ptr_array_add (self->wait_tasks, g_steal_pointer (&task));
}

int
lab_ssh_channel_wait_finish (LabSshChannel  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  GError *local_error = NULL;
  gssize status;

  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  status = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  return (int) status;
}

void
lab_ssh_channel_write (LabSshChannel *self,
                       GBytes        *bytes)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));
  g_return_if_fail (bytes != NULL);

  if (self->phase == PHASE_CLOSED || self->eof_requested || g_bytes_get_size (bytes) == 0)
    return;
  g_queue_push_tail (&self->write_queue, g_bytes_ref (bytes));
  if (self->phase == PHASE_RUNNING)
    _lab_ssh_session_kick (self->session);
}

void
lab_ssh_channel_write_data (LabSshChannel *self,
                            const void    *data,
                            gsize          len)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));
  g_return_if_fail (data != NULL || len == 0);

  bytes = g_bytes_new (data, len);
  lab_ssh_channel_write (self, bytes);
}

void
lab_ssh_channel_send_eof (LabSshChannel *self)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));

  if (self->eof_requested)
    return;
  self->eof_requested = TRUE;
  if (self->phase == PHASE_RUNNING)
    _lab_ssh_session_kick (self->session);
}

void
lab_ssh_channel_resize (LabSshChannel *self,
                        guint          cols,
                        guint          rows)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));
  g_return_if_fail (cols > 0 && rows > 0);

  if (!self->pty || (cols == self->cols && rows == self->rows))
    return;
  self->cols = cols;
  self->rows = rows;
  /* Before the pty request the new size simply goes into it. */
  if (self->phase >= PHASE_EXEC && self->phase < PHASE_DRAINING)
    {
      self->resize_pending = TRUE;
      _lab_ssh_session_kick (self->session);
    }
}

void
lab_ssh_channel_close (LabSshChannel *self)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));

  if (self->phase == PHASE_CLOSED || self->close_requested)
    return;
  self->close_requested = TRUE;
  if (self->phase == PHASE_NEW || self->phase == PHASE_PREPARING)
    {
      finish (self);
      return;
    }
  _lab_ssh_session_kick (self->session);
}

void
lab_ssh_channel_abort (LabSshChannel *self,
                       const GError  *error)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));

  if (self->phase == PHASE_CLOSED)
    return;
  if (error != NULL)
    set_error (self, g_error_copy (error));
  else
    set_error (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("The command was cancelled.")));
  lab_ssh_channel_close (self);
}

void
lab_ssh_channel_set_directory (LabSshChannel *self,
                               const char    *directory)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));
  g_return_if_fail (directory == NULL || *directory != '\0');

  g_free (self->directory);
  self->directory = g_strdup (directory);
}

void
lab_ssh_channel_set_timeout (LabSshChannel *self,
                             guint          timeout_ms)
{
  g_return_if_fail (LAB_IS_SSH_CHANNEL (self));
  self->timeout_ms = timeout_ms;
}

const char *
lab_ssh_channel_get_command (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), NULL);
  return self->command;
}

gboolean
lab_ssh_channel_get_is_pty (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), FALSE);
  return self->pty;
}

gboolean
lab_ssh_channel_get_is_running (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), FALSE);
  return self->phase == PHASE_RUNNING;
}

gboolean
lab_ssh_channel_get_is_closed (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), FALSE);
  return self->phase == PHASE_CLOSED;
}

int
lab_ssh_channel_get_exit_status (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), -1);
  return self->exit_status;
}

const char *
lab_ssh_channel_get_exit_signal (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), NULL);
  return self->exit_signal;
}

const GError *
lab_ssh_channel_get_error (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), NULL);
  return self->error;
}

guint
lab_ssh_channel_get_cols (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), 0);
  return self->cols;
}

guint
lab_ssh_channel_get_rows (LabSshChannel *self)
{
  g_return_val_if_fail (LAB_IS_SSH_CHANNEL (self), 0);
  return self->rows;
}
