/* lab-ssh-channel-phase.c: one non-blocking pass over a channel (_lab_ssh_channel_step): open
 * it, ask for a terminal, start the command, move input and output, then wait for the exit
 * status, close and free it; one function per phase
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-channel-phase"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-ssh-channel-private.h"
#include "lab-ssh-command.h"

/* Each channel may buffer this much unread output on the server side: big enough for
 * throughput on a fast link, small enough to bound memory per channel. */
#define CHANNEL_WINDOW (4 * 1024 * 1024)

static void
lab_ssh_channel_phase_fail_with_rc (LabSshChannel *self,
                                    int            rc,
                                    const char    *what)
{
  char *msg = NULL;
  LIBSSH2_SESSION *raw_session = _lab_ssh_session_get_raw (self->session);

  if (raw_session != NULL)
    libssh2_session_last_error (raw_session, &msg, NULL, 0);
  _lab_ssh_channel_set_error (self, g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_CHANNEL,
                                                 _("The server refused to %s: %s"), what,
                                                 msg != NULL && *msg != '\0'
                                                 ? msg : _("unknown error")));
}

static void
lab_ssh_channel_phase_emit_data (LabSshChannel *self,
                                 int            stream,
                                 const guchar  *buf,
                                 gsize          len)
{
  if (_lab_ssh_channel_sudo_hold_output (self, stream, buf, len))
    return;
  _lab_ssh_channel_emit_bytes (self, stream, buf, len);
}

/* A channel request was refused (the channel gets closed) or the connection broke. */
static gboolean
lab_ssh_channel_phase_request_failed (LabSshChannel *self,
                                      int            rc,
                                      const char    *what,
                                      int           *fatal_rc)
{
  if (_lab_ssh_rc_is_fatal (rc))
    *fatal_rc = rc;
  else
    {
      lab_ssh_channel_phase_fail_with_rc (self, rc, what);
      self->phase = PHASE_CLOSING;
    }
  return TRUE;
}

/* Drains one stream until libssh2 has nothing more for it. */
static gboolean
lab_ssh_channel_phase_read_stream (LabSshChannel *self,
                                   int            stream,
                                   gsize         *budget,
                                   int           *fatal_rc)
{
  gboolean progress = FALSE;
  gsize buf_len;
  guchar *buf = _lab_ssh_session_get_buffer (self->session, &buf_len);

  /* A handler of the data may pause the output: nothing more after that chunk. */
  while (*budget > 0 && self->raw != NULL && self->phase == PHASE_RUNNING
         && !self->output_paused)
    {
      ssize_t n = libssh2_channel_read_ex (self->raw, stream, (char *) buf,
                                           MIN (buf_len, *budget));

      if (n == LIBSSH2_ERROR_EAGAIN || n == 0)
        break;
      if (n < 0)
        {
          if (_lab_ssh_rc_is_fatal ((int) n))
            *fatal_rc = (int) n;
          else
            lab_ssh_channel_phase_fail_with_rc (self, (int) n, _("deliver the command's output"));
          return TRUE;
        }
      progress = TRUE;
      *budget -= MIN ((gsize) n, *budget);
      lab_ssh_channel_phase_emit_data (self, stream, buf, (gsize) n);
    }
  return progress;
}

static gboolean
lab_ssh_channel_phase_write_pending (LabSshChannel *self,
                                     int           *fatal_rc)
{
  gboolean progress = FALSE;

  while (self->raw != NULL && self->phase == PHASE_RUNNING
         && !g_queue_is_empty (&self->write_queue))
    {
      GBytes *head = g_queue_peek_head (&self->write_queue);
      gsize len;
      const guchar *data = g_bytes_get_data (head, &len);
      ssize_t n;

      if (self->write_offset >= len)
        {
          GBytes *done = g_queue_pop_head (&self->write_queue);

          if (_lab_ssh_channel_sudo_trying (self))
            g_queue_push_tail (&self->replay_queue, done);
          else
            g_bytes_unref (done);
          self->write_offset = 0;
          continue;
        }

      n = libssh2_channel_write_ex (self->raw, 0, (const char *) data + self->write_offset,
                                    len - self->write_offset);
      if (n == LIBSSH2_ERROR_EAGAIN)
        break;
      if (n == LIBSSH2_ERROR_CHANNEL_CLOSED || n == LIBSSH2_ERROR_CHANNEL_EOF_SENT)
        {
          /* The program stopped reading (`head -c 1`): its exit status tells the rest.
           * While sudo -n is tried, that can be sudo refusing: keep the input for the
           * second run. */
          if (_lab_ssh_channel_sudo_trying (self))
            {
              GBytes *pending;

              while ((pending = g_queue_pop_head (&self->write_queue)) != NULL)
                g_queue_push_tail (&self->replay_queue, pending);
            }
          g_queue_clear_full (&self->write_queue, (GDestroyNotify) g_bytes_unref);
          g_queue_init (&self->write_queue);
          self->write_offset = 0;
          self->eof_sent = TRUE;
          return TRUE;
        }
      if (n < 0)
        {
          if (_lab_ssh_rc_is_fatal ((int) n))
            *fatal_rc = (int) n;
          else
            lab_ssh_channel_phase_fail_with_rc (self, (int) n, _("accept input"));
          return TRUE;
        }
      self->write_offset += (gsize) n;
      progress = TRUE;
    }

  if (self->raw != NULL && self->phase == PHASE_RUNNING && self->eof_requested
      && !self->eof_sent && g_queue_is_empty (&self->write_queue))
    {
      int rc = libssh2_channel_send_eof (self->raw);

      if (rc == 0)
        {
          self->eof_sent = TRUE;
          progress = TRUE;
        }
      else if (rc != LIBSSH2_ERROR_EAGAIN)
        {
          if (_lab_ssh_rc_is_fatal (rc))
            *fatal_rc = rc;
          else
            {
              /* The remote end already closed its side: nothing left to tell it. */
              self->eof_sent = TRUE;
            }
          progress = TRUE;
        }
    }
  return progress;
}

/* PTY modes: ECHO off while sudo reads its password from the terminal (see
 * _lab_ssh_channel_sudo_retry_start). */
static const unsigned char pty_modes_no_echo[] = { 53, 0, 0, 0, 0, 0 };

/* What a phase of _lab_ssh_channel_step leaves to do. */
typedef enum
{
  PHASE_GO_ON,   /* the channel is in its next phase, which can run now */
  PHASE_STOP,    /* the step is over: it returns *progress */
} PhaseResult;

typedef PhaseResult (*PhaseFunc) (LabSshChannel   *self,
                                  LIBSSH2_SESSION *raw_session,
                                  gsize           *read_budget,
                                  int             *fatal_rc,
                                  gboolean        *progress);

/* New, waiting for the session's sudo preparation, or closed: nothing to do. */
static PhaseResult
lab_ssh_channel_phase_idle (LabSshChannel   *self,
                            LIBSSH2_SESSION *raw_session,
                            gsize           *read_budget,
                            int             *fatal_rc,
                            gboolean        *progress)
{
  *progress = FALSE;
  return PHASE_STOP;
}

static PhaseResult
lab_ssh_channel_phase_opening (LabSshChannel   *self,
                               LIBSSH2_SESSION *raw_session,
                               gsize           *read_budget,
                               int             *fatal_rc,
                               gboolean        *progress)
{
  LIBSSH2_CHANNEL *ch;
  int rc;

  if (self->waiting_slot || !_lab_ssh_session_claim_open (self->session, self))
    {
      *progress = FALSE;
      return PHASE_STOP;
    }
  /* A forwarded TCP connection is opened by the server on our behalf; the origin
   * is only informational. */
  if (self->tcpip_host != NULL)
    ch = libssh2_channel_direct_tcpip_ex (raw_session, self->tcpip_host,
                                          (int) self->tcpip_port, "127.0.0.1", 0);
  else
    ch = libssh2_channel_open_ex (raw_session, "session", sizeof "session" - 1,
                                  CHANNEL_WINDOW, LIBSSH2_CHANNEL_PACKET_DEFAULT,
                                  NULL, 0);
  if (ch == NULL)
    {
      rc = libssh2_session_last_errno (raw_session);
      if (rc == LIBSSH2_ERROR_EAGAIN)
        {
          *progress = FALSE;
          return PHASE_STOP;
        }
      _lab_ssh_session_release_open (self->session, self);
      if (_lab_ssh_rc_is_fatal (rc))
        *fatal_rc = rc;
      else if (rc == LIBSSH2_ERROR_CHANNEL_FAILURE && self->tcpip_host == NULL
               && _lab_ssh_session_has_other_channels (self->session, self))
        {
          /* "administratively prohibited": sshd's MaxSessions (10 by default) is
           * reached. Wait for one of ours to close rather than fail. */
          g_debug ("no free session on the server; waiting for a channel to close");
          self->waiting_slot = TRUE;
          *progress = FALSE;
          return PHASE_STOP;
        }
      else
        {
          lab_ssh_channel_phase_fail_with_rc (self, rc, _("open a channel"));
          _lab_ssh_channel_finish (self);
        }
      *progress = TRUE;
      return PHASE_STOP;
    }
  _lab_ssh_session_release_open (self->session, self);
  self->raw = ch;
  if (self->flags & LAB_SSH_EXEC_MERGE_STDERR)
    libssh2_channel_handle_extended_data2 (ch, LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE);
  self->phase = self->pty ? PHASE_PTY : PHASE_EXEC;
  *progress = TRUE;
  return PHASE_GO_ON;
}

static PhaseResult
lab_ssh_channel_phase_pty (LabSshChannel   *self,
                           LIBSSH2_SESSION *raw_session,
                           gsize           *read_budget,
                           int             *fatal_rc,
                           gboolean        *progress)
{
  gboolean no_echo = self->typed_password;
  int rc;

  rc = libssh2_channel_request_pty_ex (self->raw, self->term, strlen (self->term),
                                       no_echo ? (const char *) pty_modes_no_echo : NULL,
                                       no_echo ? sizeof pty_modes_no_echo : 0,
                                       (int) self->cols, (int) self->rows, 0, 0);
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return PHASE_STOP;
  if (rc != 0)
    {
      *progress = lab_ssh_channel_phase_request_failed (self, rc, _("allocate a terminal"),
                                                        fatal_rc);
      return PHASE_STOP;
    }
  self->resize_pending = FALSE;
  self->phase = PHASE_EXEC;
  *progress = TRUE;
  return PHASE_GO_ON;
}

static PhaseResult
lab_ssh_channel_phase_exec (LabSshChannel   *self,
                            LIBSSH2_SESSION *raw_session,
                            gsize           *read_budget,
                            int             *fatal_rc,
                            gboolean        *progress)
{
  int rc;

  if (self->tcpip_host != NULL)
    rc = 0;   /* nothing to start: the connection is the channel */
  else if (self->command != NULL)
    {
      g_autofree char *posix = NULL;
      g_autofree char *line = NULL;

      /* The shell changes directory; sudo and the program inherit it. */
      if (self->directory != NULL)
        {
          g_autofree char *quoted = g_shell_quote (self->directory);

          posix = g_strdup_printf ("cd %s && %s", quoted, self->command);
        }
      /* Commands are POSIX sh; the user's login shell may not be. */
      line = lab_ssh_command_for_login_shell (posix != NULL ? posix : self->command);
      rc = libssh2_channel_process_startup (self->raw, "exec", 4, line, strlen (line));
    }
  else
    rc = libssh2_channel_process_startup (self->raw, "shell", 5, NULL, 0);
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return PHASE_STOP;
  if (rc != 0)
    {
      *progress = lab_ssh_channel_phase_request_failed (self, rc, _("start the command"), fatal_rc);
      return PHASE_STOP;
    }
  self->phase = PHASE_RUNNING;
  self->started = TRUE;
  *progress = TRUE;
  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

      /* Returning may be deferred to an idle: output waits for the callback (see
       * lab-ssh-channel.h), which notify::completed tells us about. */
      _lab_ssh_channel_hold_delivery (self, task);
      g_task_return_boolean (task, TRUE);
    }
  if (self->delivery_holds > 0 || self->raw == NULL)
    {
      *progress = TRUE;
      return PHASE_STOP;
    }
  return PHASE_GO_ON;
}

static PhaseResult
lab_ssh_channel_phase_running (LabSshChannel   *self,
                               LIBSSH2_SESSION *raw_session,
                               gsize           *read_budget,
                               int             *fatal_rc,
                               gboolean        *progress)
{
  int rc;

  if (self->delivery_holds > 0)
    return PHASE_STOP;

  if (self->resize_pending && self->pty)
    {
      rc = libssh2_channel_request_pty_size (self->raw, (int) self->cols,
                                             (int) self->rows);
      if (rc == 0 || (rc != LIBSSH2_ERROR_EAGAIN && !_lab_ssh_rc_is_fatal (rc)))
        {
          self->resize_pending = FALSE;
          *progress = TRUE;
        }
      else if (rc != LIBSSH2_ERROR_EAGAIN)
        {
          *fatal_rc = rc;
          *progress = TRUE;
          return PHASE_STOP;
        }
    }

  *progress |= lab_ssh_channel_phase_write_pending (self, fatal_rc);
  if (*fatal_rc != 0 || self->error != NULL)
    {
      if (self->error != NULL)
        self->phase = PHASE_CLOSING;
      *progress = TRUE;
      return PHASE_STOP;
    }

  /* While paused, nothing is read: the channel's window fills and the server stops
   * sending, so the remote program blocks (nothing is lost). */
  if (self->output_paused)
    return PHASE_STOP;
  *progress |= lab_ssh_channel_phase_read_stream (self, 0, read_budget, fatal_rc);
  if (*fatal_rc == 0 && self->error == NULL && !(self->flags & LAB_SSH_EXEC_MERGE_STDERR))
    *progress |= lab_ssh_channel_phase_read_stream (self, 1, read_budget, fatal_rc);
  if (*fatal_rc != 0)
    {
      *progress = TRUE;
      return PHASE_STOP;
    }
  if (self->error != NULL)
    {
      self->phase = PHASE_CLOSING;
      *progress = TRUE;
      return PHASE_STOP;
    }
  if (self->phase != PHASE_RUNNING || self->raw == NULL)
    {
      *progress = TRUE;
      return PHASE_STOP;
    }
  if (self->output_paused)
    return PHASE_STOP;

  if (*read_budget > 0 && libssh2_channel_eof (self->raw))
    {
      self->phase = PHASE_DRAINING;
      *progress = TRUE;
      /* While sudo -n is tried, the end of output is told once it is known to be
       * the program's (DRAINING). */
      if (!self->eof_emitted && !_lab_ssh_channel_sudo_trying (self))
        {
          self->eof_emitted = TRUE;
          _lab_ssh_channel_emit_eof (self);
          if (self->phase != PHASE_DRAINING)
            {
              *progress = TRUE;
              return PHASE_STOP;
            }
        }
    }
  else
    return PHASE_STOP;
  return PHASE_GO_ON;
}

static PhaseResult
lab_ssh_channel_phase_draining (LabSshChannel   *self,
                                LIBSSH2_SESSION *raw_session,
                                gsize           *read_budget,
                                int             *fatal_rc,
                                gboolean        *progress)
{
  char *signame = NULL;
  int rc;

  rc = libssh2_channel_wait_closed (self->raw);
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return PHASE_STOP;
  if (rc != 0 && _lab_ssh_rc_is_fatal (rc))
    {
      *fatal_rc = rc;
      *progress = TRUE;
      return PHASE_STOP;
    }
  self->exit_status = libssh2_channel_get_exit_status (self->raw);
  if (libssh2_channel_get_exit_signal (self->raw, &signame, NULL, NULL, NULL, NULL,
                                       NULL) == 0 && signame != NULL)
    {
      g_free (self->exit_signal);
      self->exit_signal = g_strdup (signame);
      self->exit_status = -1;
    }
  if (signame != NULL)
    libssh2_free (raw_session, signame);
  self->phase = PHASE_CLOSING;
  *progress = TRUE;
  if (_lab_ssh_channel_sudo_trying (self))
    {
      _lab_ssh_channel_sudo_try_exited (self);
      if (!self->sudo_retry && !self->eof_emitted && self->phase == PHASE_CLOSING)
        {
          self->eof_emitted = TRUE;
          _lab_ssh_channel_emit_eof (self);
        }
      if (self->phase != PHASE_CLOSING)
        {
          *progress = TRUE;
          return PHASE_STOP;
        }
    }
  return PHASE_GO_ON;
}

static PhaseResult
lab_ssh_channel_phase_closing (LabSshChannel   *self,
                               LIBSSH2_SESSION *raw_session,
                               gsize           *read_budget,
                               int             *fatal_rc,
                               gboolean        *progress)
{
  int rc;

  /* A remote program that ignores its closed stdin (`sleep 1000`) outlives a
   * cancelled exec channel: libssh2 1.10 cannot send the "signal" request after
   * "exec" (libssh2_channel_signal_ex is 1.11). PTY channels hang it up. */
  rc = libssh2_channel_close (self->raw);
  if (rc == LIBSSH2_ERROR_EAGAIN && self->close_requested)
    {
      /* sshd answers our close only once the remote program is gone. The caller
       * asked to be done with it now: the session finishes the close on its own. */
      _lab_ssh_session_adopt_closing (self->session, self->raw);
      self->raw = NULL;
      _lab_ssh_channel_finish (self);
      *progress = TRUE;
      return PHASE_STOP;
    }
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return PHASE_STOP;
  if (rc != 0 && _lab_ssh_rc_is_fatal (rc))
    {
      *fatal_rc = rc;
      *progress = TRUE;
      return PHASE_STOP;
    }
  self->phase = PHASE_FREEING;
  *progress = TRUE;
  return PHASE_GO_ON;
}

static PhaseResult
lab_ssh_channel_phase_freeing (LabSshChannel   *self,
                               LIBSSH2_SESSION *raw_session,
                               gsize           *read_budget,
                               int             *fatal_rc,
                               gboolean        *progress)
{
  int rc;

  rc = libssh2_channel_free (self->raw);
  if (rc == LIBSSH2_ERROR_EAGAIN)
    return PHASE_STOP;
  if (rc != 0 && _lab_ssh_rc_is_fatal (rc))
    {
      *fatal_rc = rc;
      *progress = TRUE;
      return PHASE_STOP;
    }
  self->raw = NULL;
  if (self->sudo_retry && !self->close_requested && self->error == NULL)
    {
      _lab_ssh_channel_sudo_retry_start (self);
      *progress = TRUE;
      return PHASE_STOP;
    }
  _lab_ssh_channel_finish (self);
  *progress = TRUE;
  return PHASE_STOP;
}

static const PhaseFunc phase_steps[] = {
  [PHASE_NEW] = lab_ssh_channel_phase_idle,
  [PHASE_PREPARING] = lab_ssh_channel_phase_idle,
  [PHASE_OPENING] = lab_ssh_channel_phase_opening,
  [PHASE_PTY] = lab_ssh_channel_phase_pty,
  [PHASE_EXEC] = lab_ssh_channel_phase_exec,
  [PHASE_RUNNING] = lab_ssh_channel_phase_running,
  [PHASE_DRAINING] = lab_ssh_channel_phase_draining,
  [PHASE_CLOSING] = lab_ssh_channel_phase_closing,
  [PHASE_FREEING] = lab_ssh_channel_phase_freeing,
  [PHASE_CLOSED] = lab_ssh_channel_phase_idle,
};

G_STATIC_ASSERT (G_N_ELEMENTS (phase_steps) == PHASE_CLOSED + 1);

gboolean
_lab_ssh_channel_step (LabSshChannel *self,
                       gsize         *read_budget,
                       int           *fatal_rc)
{
  LIBSSH2_SESSION *raw_session = _lab_ssh_session_get_raw (self->session);
  gboolean progress = FALSE;

  g_assert (LAB_IS_SSH_CHANNEL (self));

  if (raw_session == NULL || self->phase == PHASE_CLOSED)
    return FALSE;

  if (self->close_requested && self->phase < PHASE_CLOSING)
    {
      _lab_ssh_session_release_open (self->session, self);
      if (self->raw == NULL)
        {
          _lab_ssh_channel_finish (self);
          return TRUE;
        }
      self->phase = PHASE_CLOSING;
    }

  /* A phase that is done moves the channel on, and the next one runs at once. */
  while (phase_steps[self->phase] (self, raw_session, read_budget, fatal_rc, &progress)
         == PHASE_GO_ON)
    continue;
  return progress;
}
