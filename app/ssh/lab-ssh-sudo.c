/* lab-ssh-sudo.c: whether sudo needs a password, and which one
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-ssh-command.h"
#include "lab-ssh-secrets.h"
#include "lab-ssh-session-private.h"

#define SUDO_CHECK_TIMEOUT_MS 30000

static void sudo_next (LabSshSession *self);

void
_lab_ssh_sudo_fail_all (LabSshSession *self,
                        const GError  *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->sudo_tasks);

  self->sudo_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->sudo_busy = FALSE;
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    g_task_return_error (g_ptr_array_index (tasks, i), g_error_copy (error));
}

static void
sudo_complete_all (LabSshSession *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->sudo_tasks);

  self->sudo_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->sudo_busy = FALSE;
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_int (g_ptr_array_index (tasks, i), self->sudo_mode);
}

typedef struct
{
  LabSshSession *self;
  GString       *err;
  char          *candidate;
  gboolean       asked;
  gboolean       remember;
} SudoCheck;

static void
sudo_check_free (SudoCheck *check)
{
  g_object_unref (check->self);
  g_string_free (check->err, TRUE);
  _lab_ssh_session_secret_clear (&check->candidate);
  g_free (check);
}

static void
sudo_stderr_cb (LabSshChannel *channel,
                GBytes        *bytes,
                gpointer       user_data)
{
  SudoCheck *check = user_data;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (check->err->len < 4096)
    g_string_append_len (check->err, data, (gssize) len);
}

static void
run_sudo_check (LabSshSession *self,
                const char    *command,
                const char    *password,
                GCallback      closed_cb,
                SudoCheck     *check)
{
  g_autoptr(LabSshChannel) channel = _lab_ssh_channel_new_raw (self, command);

  g_signal_connect (channel, "stderr-data", G_CALLBACK (sudo_stderr_cb), check);
  g_signal_connect_data (channel, "closed", closed_cb, check,
                         (GClosureNotify) (void (*) (void)) sudo_check_free, 0);
  if (password != NULL)
    {
      char *line = g_strconcat (password, "\n", NULL);
      g_autoptr(GBytes) bytes = lab_ssh_secret_bytes_new (line, strlen (line));

      /* The write queue holds the secret copy until it is sent, then wipes it. */
      lab_ssh_channel_write (channel, bytes);
      lab_ssh_secret_free (line);
    }
  lab_ssh_channel_send_eof (channel);
  lab_ssh_channel_set_timeout (channel, SUDO_CHECK_TIMEOUT_MS);
  lab_ssh_channel_start_async (channel, NULL, NULL, NULL);
}

static void
sudo_validate_closed_cb (LabSshChannel *channel,
                         int            status,
                         gpointer       user_data)
{
  SudoCheck *check = user_data;
  LabSshSession *self = check->self;
  const GError *error = lab_ssh_channel_get_error (channel);

  if (error != NULL)
    {
      _lab_ssh_sudo_fail_all (self, error);
      return;
    }
  if (status == 0)
    {
      g_debug ("%s: sudo password accepted", self->host);
      _lab_ssh_session_secret_clear (&self->sudo_password);
      self->sudo_password = g_strdup (check->candidate);
      if (check->remember && self->use_secret_store)
        lab_ssh_secrets_store_async (LAB_SSH_SECRET_SUDO, self->user, self->hostname,
                                     self->port, NULL, self->sudo_password, NULL,
                                     _lab_ssh_session_store_cb, NULL);
      sudo_complete_all (self);
      return;
    }
  if (strstr (check->err->str, "may not run sudo") != NULL
      || strstr (check->err->str, "not in the sudoers") != NULL)
    {
      g_autoptr(GError) denied = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_SUDO_PASSWORD_REQUIRED,
                                              _("%s may not use sudo on %s."), self->user,
                                              _lab_ssh_session_display_name (self));
      _lab_ssh_sudo_fail_all (self, denied);
      return;
    }
  if (check->asked)
    {
      g_autoptr(GError) wrong = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_SUDO_PASSWORD_WRONG,
                                             _("The sudo password for %s@%s was not "
                                               "accepted."), self->user,
                                             _lab_ssh_session_display_name (self));
      _lab_ssh_sudo_fail_all (self, wrong);
      return;
    }
  /* The login or stored password was not the sudo password: ask the user. */
  self->sudo_busy = TRUE;
  sudo_next (self);
}

static void
sudo_validate (LabSshSession *self,
               const char    *password,
               gboolean       asked,
               gboolean       remember)
{
  SudoCheck *check = g_new0 (SudoCheck, 1);
  g_autofree char *command = lab_ssh_command_build_sudo_validate ();

  check->self = g_object_ref (self);
  check->err = g_string_new (NULL);
  check->candidate = g_strdup (password);
  check->asked = asked;
  check->remember = remember;
  run_sudo_check (self, command, password, G_CALLBACK (sudo_validate_closed_cb), check);
}

static void
sudo_keyring_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LabSshSession) self = user_data;
  char *secret = lab_ssh_secrets_lookup_finish (result, NULL);

  if (!self->sudo_busy)
    {
      lab_ssh_secret_free (secret);
      return;
    }
  if (secret != NULL)
    sudo_validate (self, secret, FALSE, FALSE);
  else
    sudo_next (self);
  lab_ssh_secret_free (secret);
}

static void
sudo_request_cb (LabSshRequest         *request,
                 gboolean               cancelled,
                 LabSshHostKeyDecision  decision,
                 const char            *secret,
                 gboolean               remember,
                 gpointer               user_data)
{
  g_autoptr(LabSshSession) self = user_data;

  if (!self->sudo_busy)
    return;
  if (cancelled || secret == NULL)
    {
      g_autoptr(GError) error = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_SUDO_PASSWORD_REQUIRED,
                                             _("sudo on %s needs a password, and none was "
                                               "given."), _lab_ssh_session_display_name (self));
      _lab_ssh_sudo_fail_all (self, error);
      return;
    }
  sudo_validate (self, secret, TRUE, remember);
}

/* Finds a sudo password to try: the login password, then the keyring, then the user. */
static void
sudo_next (LabSshSession *self)
{
  if (!self->sudo_login_tried && self->password != NULL)
    {
      self->sudo_login_tried = TRUE;
      sudo_validate (self, self->password, FALSE, FALSE);
      return;
    }
  if (self->use_secret_store && !self->sudo_lookup_done)
    {
      self->sudo_lookup_done = TRUE;
      lab_ssh_secrets_lookup_async (LAB_SSH_SECRET_SUDO, self->user, self->hostname, self->port,
                                    NULL, NULL, sudo_keyring_cb, g_object_ref (self));
      return;
    }
  {
    g_autoptr(LabSshRequest) request =
      _lab_ssh_request_new (LAB_SSH_REQUEST_SUDO_PASSWORD, self->hostname, self->port,
                            self->user);
    g_autofree char *message = g_strdup_printf (_("sudo password for %s on %s"), self->user,
                                                _lab_ssh_session_display_name (self));
    gboolean handled = FALSE;

    _lab_ssh_request_set_secret_info (request, message, NULL, 1);
    _lab_ssh_request_set_callback (request, sudo_request_cb, g_object_ref (self));
    handled = _lab_ssh_session_emit_ask_secret (self, request);
    if (!handled && !lab_ssh_request_get_replied (request)
        && g_atomic_int_get (&G_OBJECT (request)->ref_count) <= 1)
      lab_ssh_request_cancel (request);
  }
}

static void
sudo_probe_closed_cb (LabSshChannel *channel,
                      int            status,
                      gpointer       user_data)
{
  SudoCheck *check = user_data;
  LabSshSession *self = check->self;
  const GError *error = lab_ssh_channel_get_error (channel);

  if (error != NULL)
    {
      _lab_ssh_sudo_fail_all (self, error);
      return;
    }
  if (status == 0)
    {
      g_debug ("%s: sudo needs no password", self->host);
      self->sudo_mode = LAB_SSH_SUDO_NOPASSWD;
      sudo_complete_all (self);
      return;
    }
  if (strstr (check->err->str, "command not found") != NULL
      || strstr (check->err->str, "not found") != NULL)
    {
      g_autoptr(GError) missing = g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_FAILED,
                                               _("sudo is not installed on %s."),
                                               _lab_ssh_session_display_name (self));
      _lab_ssh_sudo_fail_all (self, missing);
      return;
    }
  g_debug ("%s: sudo needs a password", self->host);
  self->sudo_mode = LAB_SSH_SUDO_NEEDS_PASSWORD;
  if (self->sudo_password != NULL)
    {
      sudo_complete_all (self);
      return;
    }
  sudo_next (self);
}

void
_lab_ssh_session_sudo_prepare_async (LabSshSession       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, _lab_ssh_session_sudo_prepare_async);
  if (!_lab_ssh_session_is_connected (self))
    {
      g_task_return_new_error (task, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED,
                               _("Not connected to %s."), _lab_ssh_session_display_name (self));
      return;
    }
  if (self->sudo_mode == LAB_SSH_SUDO_NOPASSWD
      || (self->sudo_mode == LAB_SSH_SUDO_NEEDS_PASSWORD && self->sudo_password != NULL))
    {
      g_task_return_int (task, self->sudo_mode);
      return;
    }
  g_ptr_array_add (self->sudo_tasks, g_steal_pointer (&task));
  if (self->sudo_busy)
    return;
  self->sudo_busy = TRUE;

  if (self->sudo_mode == LAB_SSH_SUDO_UNKNOWN)
    {
      SudoCheck *check = g_new0 (SudoCheck, 1);

      check->self = g_object_ref (self);
      check->err = g_string_new (NULL);
      run_sudo_check (self, "LC_ALL=C sudo -n true", NULL, G_CALLBACK (sudo_probe_closed_cb),
                      check);
    }
  else
    sudo_next (self);
}

LabSshSudoMode
_lab_ssh_session_sudo_prepare_finish (LabSshSession  *self,
                                      GAsyncResult   *result,
                                      char          **password,
                                      GError        **error)
{
  GError *local_error = NULL;
  gssize mode = g_task_propagate_int (G_TASK (result), &local_error);

  *password = NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return LAB_SSH_SUDO_UNKNOWN;
    }
  if (mode == LAB_SSH_SUDO_NEEDS_PASSWORD)
    {
      if (self->sudo_password == NULL)
        {
          g_set_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_SUDO_PASSWORD_REQUIRED,
                       _("sudo on %s needs a password, and none was given."),
                       _lab_ssh_session_display_name (self));
          return LAB_SSH_SUDO_UNKNOWN;
        }
      *password = g_strdup (self->sudo_password);
    }
  return (LabSshSudoMode) mode;
}
