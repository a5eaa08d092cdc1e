/* lab-remote-file.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-remote-file"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-display-text.h"

#include "lab-remote-file.h"

/* ---- reading ---- */

/* The path is $1 of a fixed script: exit 100 = no such file. */
static const char read_script[] =
  "if [ -e \"$1\" ]; then exec cat -- \"$1\"; else exit 100; fi";

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  GError *error = NULL;
  int status;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  status = lab_ssh_exec_result_get_exit_status (exec);
  if (status == 100)
    g_task_return_pointer (task, NULL, NULL);
  else if (status != 0)
    {
      /* What the host said, on one bounded line. */
      g_autofree char *said = lab_text_for_display (lab_ssh_exec_result_get_stderr_text (exec),
                                                    LAB_DISPLAY_LINE_MAX);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not read %s: %s"),
                               (char *) g_task_get_task_data (task), g_strstrip (said));
    }
  else
    {
      /* The file's own bytes, not the UTF-8 text form: they are edited and written back,
       * and they are the guard that nobody changed the file in between. */
      gsize len;
      const char *data = g_bytes_get_data (lab_ssh_exec_result_get_stdout (exec), &len);

      g_task_return_pointer (task, g_strndup (data != NULL ? data : "", len), g_free);
    }
}

void
lab_remote_file_read_async (LabSshSession       *session,
                            const char          *path,
                            LabSshExecFlags      flags,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  const char *argv[] = { "sh", "-c", read_script, "sh", path, NULL };
  GTask *task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lab_remote_file_read_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  lab_ssh_session_exec_async (session, argv, flags, NULL, 60000, cancellable, read_cb, task);
}

gboolean
lab_remote_file_read_finish (LabSshSession  *session,
                             GAsyncResult   *result,
                             char          **contents,
                             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  char *text;

  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);
  text = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *contents = text;
  return TRUE;
}

/* ---- replacing ---- */

/* The path, the expected checksum, the new size, the mode ("-" = keep, or octal) and the
 * check to run on the new text ("-" or "visudo") are positional parameters ($1 … $5) of a
 * fixed script: nothing that came from the user or the host is ever part of the code.
 * Exit status 3 means "changed meanwhile", 4 "the new contents did not all arrive", 5 "the
 * check refused the new text", 6 "not a file we can edit", 7 "not writable"; whatever the
 * status, nothing is left behind but the finished edit and its backup.
 *
 * A symlink is edited through: the link stays, its target (made if missing) gets the text.
 * The new file starts as a copy of the old one (cp -p: mode, owner where allowed, ACLs) and
 * replaces it by rename, atomically; where a rename would lose something it is written in
 * place after the backup: other hard links to the file, an owner this user cannot give
 * (a file of another user's that we may write), a mount point.
 *
 * Backups of files in a drop-in folder (NAME.d) go to /var/backups/mirage-lab/ when root
 * writes them: dnsmasq and ifupdown read every file of /etc/dnsmasq.d and
 * /etc/network/interfaces.d, so a backup beside the file would be read as configuration.
 * A second backup in the same second gets a number rather than replacing the first. */
const char LAB_REMOTE_FILE_NEW[] = "";

static const char replace_script[] =
  "set -eu\n"
  "f=$1\n"
  "if [ -L \"$f\" ]; then\n"
  "  t=$(readlink -f -- \"$f\") || { echo \"$f: the link cannot be followed\" >&2; exit 6; }\n"
  "  f=$t\n"
  "fi\n"
  "d=$(dirname -- \"$f\")\n"
  "if [ -e \"$f\" ] && [ ! -f \"$f\" ]; then\n"
  "  echo \"$f is not a regular file\" >&2; exit 6\n"
  "fi\n"
  "if [ -e \"$f\" ] && [ ! -w \"$f\" ]; then echo \"$f is read-only\" >&2; exit 7; fi\n"
  "if [ ! -w \"$d\" ]; then echo \"$d is read-only\" >&2; exit 7; fi\n"
  "made= done=\n"
  "tmp=$(mktemp \"$d/.mirage-lab.XXXXXX\")\n"
  "trap 'rm -f -- \"$tmp\" \"$tmp.err\"\n"
  "  [ -n \"$done\" ] || [ -z \"$made\" ] || rm -f -- \"$made\"' EXIT\n"
  "b=\n"
  "if [ \"$2\" = new ] && { [ -e \"$f\" ] || [ -L \"$1\" ]; }; then exit 3; fi\n"
  "if [ -e \"$f\" ]; then\n"
  "  if [ \"$2\" != - ]; then\n"
  "    cur=$(sha256sum < \"$f\")\n"
  "    [ \"${cur%% *}\" = \"$2\" ] || exit 3\n"
  "  fi\n"
  "  base=$f.mirage-lab.bak\n"
  "  case $d in *.d) if [ \"$(id -u)\" = 0 ]; then\n"
  "    mkdir -p -m 700 \"/var/backups/mirage-lab$d\"\n"
  "    base=/var/backups/mirage-lab$f.mirage-lab.bak\n"
  "  fi ;; esac\n"
  "  b=$base\n"
  "  if [ -e \"$b\" ]; then\n"
  "    b=$base.$(date +%Y%m%d-%H%M%S) n=1\n"
  "    while [ -e \"$b\" ]; do b=$base.$(date +%Y%m%d-%H%M%S).$n n=$((n + 1)); done\n"
  "  fi\n"
  "  cp -p -- \"$f\" \"$b\"\n"
  "  made=$b\n"
  "  cp -p -- \"$f\" \"$tmp\"\n"
  "else\n"
  "  chmod 644 \"$tmp\"\n"
  "fi\n"
  "[ \"$4\" = - ] || chmod \"$4\" \"$tmp\"\n"
  "cat > \"$tmp\"\n"
  /* A cancelled or broken transfer ends stdin early: never rename a partial file. */
  "[ \"$(wc -c < \"$tmp\")\" -eq \"$3\" ] || exit 4\n"
  "case $5 in\n"
  "  visudo) visudo -cf \"$tmp\" >&2 || exit 5 ;;\n"
  /* netplan reads the whole folder: a copy of it, with the new file in its place, in a
   * root of its own, so that nothing of the real configuration changes when it refuses. */
  "  netplan) r=$(mktemp -d) && mkdir -p \"$r/etc/netplan\" || exit 1\n"
  "    for y in \"$d\"/*.yaml; do [ -e \"$y\" ] && cp -p -- \"$y\" \"$r/etc/netplan/\"; done\n"
  "    cp -- \"$tmp\" \"$r/etc/netplan/$(basename -- \"$f\")\"\n"
  "    s=0; netplan generate --root-dir \"$r\" >&2 || s=$?\n"
  "    rm -rf -- \"$r\"; [ $s = 0 ] || exit 5 ;;\n"
  "esac\n"
  /* A new file: a hard link is made only where no name is, so one that appeared meanwhile
   * is never replaced. */
  "if [ \"$2\" = new ]; then ln -- \"$tmp\" \"$f\" 2>/dev/null || exit 3; done=1; exit 0; fi\n"
  "inplace=\n"
  "if [ -e \"$f\" ]; then\n"
  "  [ \"$(stat -c %h -- \"$f\")\" -le 1 ] || inplace=1\n"
  "  [ \"$(stat -c %u -- \"$f\")\" = \"$(stat -c %u -- \"$tmp\")\" ] || inplace=1\n"
  "fi\n"
  "if [ -z \"$inplace\" ] && ! LC_ALL=C mv -f -- \"$tmp\" \"$f\" 2>\"$tmp.err\"; then\n"
  "  grep -q 'Device or resource busy' \"$tmp.err\" || { cat \"$tmp.err\" >&2; exit 1; }\n"
  "  inplace=1\n"
  "fi\n"
  "if [ -n \"$inplace\" ]; then\n"
  "  cat -- \"$tmp\" > \"$f\"\n"
  "  [ \"$4\" = - ] || chmod \"$4\" \"$f\"\n"
  "fi\n"
  "done=1\n"
  "printf '%s' \"$b\"\n";

typedef struct
{
  char     *path;
  gboolean  create;
} ReplaceData;

static void
replace_data_free (ReplaceData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
replace_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReplaceData *data = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = lab_ssh_exec_result_get_exit_status (exec);
  if (status == 3 && data->create)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                             _("%s already exists; nothing was written."), data->path);
  else if (status == 3)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG,
                             _("%s was changed on the host since it was read; nothing "
                               "was written. Look at it again and retry."), data->path);
  else if (status == 4)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                             _("The new contents of %s did not arrive completely; nothing "
                               "was changed."), data->path);
  else if (status == 5)
    {
      g_autofree char *why = g_strstrip (g_strdup (lab_ssh_exec_result_get_stderr_text (exec)));

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The new contents of %s were refused by its check (%s); "
                                 "nothing was changed."), data->path, why);
    }
  else if (status == 6 || status == 7)
    {
      g_autofree char *why = g_strstrip (g_strdup (lab_ssh_exec_result_get_stderr_text (exec)));

      g_task_return_new_error (task, G_IO_ERROR,
                               status == 7 ? G_IO_ERROR_PERMISSION_DENIED
                                           : G_IO_ERROR_NOT_REGULAR_FILE,
                               _("%s cannot be changed (%s); nothing was changed."),
                               data->path, why);
    }
  else if (status != 0)
    {
      g_autofree char *why = g_strstrip (g_strdup (lab_ssh_exec_result_get_stderr_text (exec)));

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not write %s: %s"), data->path,
                               *why ? why : _("unknown error"));
    }
  else
    g_task_return_pointer (task, g_strdup (lab_ssh_exec_result_get_stdout_text (exec)), g_free);
}

void
lab_remote_file_replace_async (LabSshSession       *session,
                               const char          *path,
                               const char          *expected,
                               const char          *contents,
                               LabSshExecFlags      flags,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  lab_remote_file_replace_full_async (session, path, expected, contents, 0,
                                      LAB_REMOTE_FILE_CHECK_NONE, flags, cancellable,
                                      callback, user_data);
}

void
lab_remote_file_replace_full_async (LabSshSession       *session,
                                    const char          *path,
                                    const char          *expected,
                                    const char          *contents,
                                    guint                mode,
                                    LabRemoteFileCheck   check,
                                    LabSshExecFlags      flags,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  static const char * const check_names[] = { "-", "visudo", "netplan" };
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autofree char *checksum = NULL;
  ReplaceData *data;
  g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, strlen (contents));
  g_autofree char *mode_text = mode != 0 ? g_strdup_printf ("%o", mode & 07777) : g_strdup ("-");
  const char *argv[] = { "sh", "-c", replace_script, "lab-remote-file", path, "-", size,
                         mode_text, check_names[check],
                         NULL };

  g_return_if_fail (LAB_IS_SSH_SESSION (session));
  g_return_if_fail (path != NULL && contents != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_remote_file_replace_full_async);
  data = g_new0 (ReplaceData, 1);
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) replace_data_free);

  if (!g_path_is_absolute (path))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                               _("%s is not an absolute path."), path);
      return;
    }

  if (expected == LAB_REMOTE_FILE_NEW)
    {
      data->create = TRUE;
      argv[5] = "new";
    }
  else if (expected != NULL)
    {
      checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, expected, -1);
      argv[5] = checksum;
    }

  input = g_bytes_new (contents, strlen (contents));
  lab_ssh_session_exec_async (session, argv, flags, input, 60000, cancellable, replace_cb,
                              g_steal_pointer (&task));
}

char *
lab_remote_file_replace_finish (LabSshSession  *session,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
