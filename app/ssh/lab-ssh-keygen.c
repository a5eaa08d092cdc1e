/* lab-ssh-keygen.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-keygen"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "lab-ssh-error.h"

#include "lab-ssh-keygen.h"

#define INSTALL_TIMEOUT_MS 30000

char *
lab_ssh_keygen_default_path (void)
{
  return g_build_filename (g_get_home_dir (), ".ssh", "id_ed25519", NULL);
}

static void
keygen_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GSubprocess *proc = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *pub_path = NULL;
  const char *path = g_task_get_task_data (task);

  if (!g_subprocess_communicate_utf8_finish (proc, result, NULL, &err, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_subprocess_get_successful (proc))
    {
      g_task_return_new_error (task, LAB_SSH_ERROR, LAB_SSH_ERROR_KEYGEN,
                               _("ssh-keygen could not create %s: %s"), path,
                               err != NULL ? g_strstrip (err) : "");
      return;
    }
  pub_path = g_strconcat (path, ".pub", NULL);
  if (!g_file_get_contents (pub_path, &pub, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_strdup (g_strstrip (pub)), g_free);
}

void
lab_ssh_keygen_create_async (const char          *path,
                             const char          *comment,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pub_path = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_ssh_keygen_create_async);
  g_task_set_task_data (task, g_strdup (path), g_free);

  pub_path = g_strconcat (path, ".pub", NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (pub_path, G_FILE_TEST_EXISTS))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               _("%s already exists; it was not overwritten."), path);
      return;
    }
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_task_return_new_error (task, LAB_SSH_ERROR, LAB_SSH_ERROR_KEYGEN,
                               _("Could not create the folder %s."), dir);
      return;
    }

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                           | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           "ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                           "-C", comment != NULL ? comment : "mirage-lab",
                           "-f", path, NULL);
  if (proc == NULL)
    {
      g_task_return_new_error (task, LAB_SSH_ERROR, LAB_SSH_ERROR_KEYGEN,
                               _("Could not run ssh-keygen: %s"), error->message);
      return;
    }
  g_subprocess_communicate_utf8_async (proc, NULL, cancellable, keygen_done_cb,
                                       g_steal_pointer (&task));
}

char *
lab_ssh_keygen_create_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Run by the remote login shell with the key as $1: never interpolated into the script. */
static const char install_script[] =
  "umask 077; d=\"$HOME/.ssh\"; f=\"$d/authorized_keys\"; "
  "mkdir -p \"$d\" && chmod 700 \"$d\" && touch \"$f\" && chmod 600 \"$f\" || exit 1; "
  "grep -qxF -- \"$1\" \"$f\" && exit 0; "
  "if [ -s \"$f\" ] && [ -n \"$(tail -c 1 \"$f\")\" ]; then echo >> \"$f\"; fi; "
  "printf '%s\\n' \"$1\" >> \"$f\"";

static void
install_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) res = NULL;

  res = lab_ssh_session_exec_finish (LAB_SSH_SESSION (object), result, &error);
  if (res == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (lab_ssh_exec_result_get_exit_status (res) != 0)
    {
      g_autofree char *why = g_strstrip (g_strdup (lab_ssh_exec_result_get_stderr_text (res)));

      g_task_return_new_error (task, LAB_SSH_ERROR, LAB_SSH_ERROR_KEYGEN,
                               _("Could not add the key to ~/.ssh/authorized_keys on the host: "
                                 "%s"), why);
    }
  else
    g_task_return_boolean (task, TRUE);
}

void
lab_ssh_keygen_install_async (LabSshSession       *session,
                              const char          *public_key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = { "sh", "-c", install_script, "sh", NULL, NULL };

  g_return_if_fail (LAB_IS_SSH_SESSION (session));
  g_return_if_fail (public_key != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_ssh_keygen_install_async);

  line = g_strstrip (g_strdup (public_key));
  if (*line == '\0' || strchr (line, '\n') != NULL || strchr (line, '\r') != NULL
      || !(g_str_has_prefix (line, "ssh-") || g_str_has_prefix (line, "ecdsa-")))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("This is not an OpenSSH public key line."));
      return;
    }
  argv[4] = line;
  lab_ssh_session_exec_async (session, argv, LAB_SSH_EXEC_NONE, NULL, INSTALL_TIMEOUT_MS,
                              cancellable, install_done_cb, g_steal_pointer (&task));
}

gboolean
lab_ssh_keygen_install_finish (LabSshSession  *session,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
