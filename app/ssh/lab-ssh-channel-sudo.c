/* lab-ssh-channel-sudo.c: a command under sudo runs as `sudo -n` first; only if sudo says
 * it needs a password does it run again, with the password on its input
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-channel-sudo"

#include "config.h"

#include "lab-ssh-channel-private.h"
#include "lab-ssh-command.h"
#include "lab-ssh-secrets.h"

/* What `LC_ALL=C sudo -n` says (LAB_SSH_SUDO_PASSWORD_REQUIRED_MESSAGE), and exits 1 with,
 * when the command needs a password. On a PTY the terminal turns "\n" into "\r\n":
 * carriage returns are not compared. */
#define SUDO_PASSWORD_REQUIRED LAB_SSH_SUDO_PASSWORD_REQUIRED_MESSAGE

gboolean
_lab_ssh_channel_sudo_trying (LabSshChannel *self)
{
  return self->sudo_password != NULL && !self->sudo_retry;
}

/* 0: @held is not what sudo says, 1: a beginning of it, 2: all of it. */
static int
lab_ssh_channel_sudo_message_match (GString *held)
{
  gsize j = 0;

  for (gsize i = 0; i < held->len; i++)
    {
      if (held->str[i] == '\r')
        continue;
      if (SUDO_PASSWORD_REQUIRED[j] == '\0' || held->str[i] != SUDO_PASSWORD_REQUIRED[j])
        return 0;
      j++;
    }
  return SUDO_PASSWORD_REQUIRED[j] == '\0' ? 2 : 1;
}

/* The program runs without the password: it never gets it, and what was kept back goes
 * out. */
static void
lab_ssh_channel_sudo_try_ran (LabSshChannel *self)
{
  g_autoptr(GString) out = g_steal_pointer (&self->held_out);
  g_autoptr(GString) err = g_steal_pointer (&self->held_err);

  g_clear_pointer (&self->sudo_password, lab_ssh_secret_free);
  g_queue_clear_full (&self->replay_queue, (GDestroyNotify) g_bytes_unref);
  g_queue_init (&self->replay_queue);
  g_debug ("sudo ran the command without a password");
  if (out != NULL && out->len > 0)
    _lab_ssh_channel_emit_bytes (self, 0, (const guchar *) out->str, out->len);
  if (err != NULL && err->len > 0 && self->phase != PHASE_CLOSED)
    _lab_ssh_channel_emit_bytes (self, 1, (const guchar *) err->str, err->len);
}

gboolean
_lab_ssh_channel_sudo_hold_output (LabSshChannel *self,
                                   int            stream,
                                   const guchar  *buf,
                                   gsize          len)
{
  /* sudo reports on stderr, or on the terminal for a PTY (or merged output). */
  int report_stream = self->pty || (self->flags & LAB_SSH_EXEC_MERGE_STDERR) ? 0 : 1;
  GString **held = stream == 0 ? &self->held_out : &self->held_err;

  if (!_lab_ssh_channel_sudo_trying (self))
    return FALSE;
  if (*held == NULL)
    *held = g_string_new (NULL);
  g_string_append_len (*held, (const char *) buf, (gssize) len);
  if (stream != report_stream || lab_ssh_channel_sudo_message_match (*held) == 0)
    lab_ssh_channel_sudo_try_ran (self);
  return TRUE;
}

/* Decided once the `sudo -n` try has exited: did sudo refuse for want of a password? */
void
_lab_ssh_channel_sudo_try_exited (LabSshChannel *self)
{
  int report_stream = self->pty || (self->flags & LAB_SSH_EXEC_MERGE_STDERR) ? 0 : 1;
  GString *report = report_stream == 0 ? self->held_out : self->held_err;
  GString *other = report_stream == 0 ? self->held_err : self->held_out;

  if (self->exit_status == 1 && self->exit_signal == NULL && report != NULL
      && lab_ssh_channel_sudo_message_match (report) == 2 && (other == NULL || other->len == 0))
    {
      g_debug ("sudo needs the password for this command: running it again with it");
      self->sudo_retry = TRUE;
    }
  else
    lab_ssh_channel_sudo_try_ran (self);
}

/* The `sudo -n` try was refused for want of a password: the same command again, with the
 * password ahead of everything the caller wrote (the try's input is replayed). */
void
_lab_ssh_channel_sudo_retry_start (LabSshChannel *self)
{
  char *line = g_strconcat (self->sudo_password, "\n", NULL);
  GBytes *written;

  g_clear_pointer (&self->command, g_free);
  if (self->pty)
    {
      /* The password is typed ahead into a terminal whose echo is off (pty modes), and
       * the program gets its echo back once sudo has read it. */
      g_autoptr(GPtrArray) wrapped = g_ptr_array_new ();

      g_ptr_array_add (wrapped, (char *) "sh");
      g_ptr_array_add (wrapped, (char *) "-c");
      g_ptr_array_add (wrapped, (char *) "stty echo 2>/dev/null; exec \"$@\"");
      g_ptr_array_add (wrapped, (char *) "sh");
      for (guint i = 0; self->argv[i] != NULL; i++)
        g_ptr_array_add (wrapped, self->argv[i]);
      g_ptr_array_add (wrapped, NULL);
      self->command = lab_ssh_command_build_sudo_stdin ((const char * const *) wrapped->pdata);
    }
  else
    self->command = lab_ssh_command_build_sudo_stdin ((const char * const *) self->argv);

  while ((written = g_queue_pop_tail (&self->replay_queue)) != NULL)
    g_queue_push_head (&self->write_queue, written);
  /* Wiped once written (or dropped). */
  g_queue_push_head (&self->write_queue, lab_ssh_secret_bytes_new (line, strlen (line)));
  lab_ssh_secret_free (line);
  g_clear_pointer (&self->sudo_password, lab_ssh_secret_free);
  self->sudo_retry = FALSE;
  self->typed_password = self->pty;
  self->write_offset = 0;
  self->eof_sent = FALSE;
  self->eof_emitted = FALSE;
  self->exit_status = -1;
  if (self->held_out != NULL)
    g_string_truncate (self->held_out, 0);
  if (self->held_err != NULL)
    g_string_truncate (self->held_err, 0);
  self->phase = PHASE_OPENING;
  _lab_ssh_session_kick (self->session);
}

static void
lab_ssh_channel_sudo_prepared_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(LabSshChannel) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = NULL;
  LabSshSudoMode mode;

  mode = _lab_ssh_session_sudo_prepare_finish (LAB_SSH_SESSION (object), result, &password,
                                               &error);
  if (self->phase != PHASE_PREPARING)
    goto out;

  if (mode == LAB_SSH_SUDO_UNKNOWN)
    {
      _lab_ssh_channel_set_error (self, g_steal_pointer (&error));
      _lab_ssh_channel_finish (self);
      goto out;
    }

  g_clear_pointer (&self->command, g_free);
  /* Always `sudo -n` first: sudoers may let this command run without a password even
   * though others need one, and a password on its stdin would then be the program's
   * input (or typed into its terminal). */
  self->command = lab_ssh_command_build_sudo_nopasswd ((const char * const *) self->argv);
  if (mode == LAB_SSH_SUDO_NEEDS_PASSWORD)
    self->sudo_password = g_steal_pointer (&password);
  _lab_ssh_channel_begin_opening (self);

out:
  /* Every path, including a channel closed while sudo was being prepared. */
  lab_ssh_secret_free (password);
}

void
_lab_ssh_channel_sudo_start (LabSshChannel *self,
                             GCancellable  *cancellable)
{
  if (self->argv == NULL || self->argv[0] == NULL)
    {
      const char * const shell[] = { "-i", NULL };

      /* A root login shell: `sudo -i`. */
      g_strfreev (self->argv);
      self->argv = g_strdupv ((char **) shell);
    }
  self->phase = PHASE_PREPARING;
  _lab_ssh_session_sudo_prepare_async (self->session, cancellable,
                                       lab_ssh_channel_sudo_prepared_cb, g_object_ref (self));
}
