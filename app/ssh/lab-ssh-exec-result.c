/* lab-ssh-exec-result.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh"

#include "config.h"

#include "lab-ssh-private.h"

#include "lab-ssh-exec-result.h"

struct _LabSshExecResult
{
  int     exit_status;
  char   *exit_signal;
  GBytes *out;
  GBytes *err;
  char   *out_text;
  char   *err_text;
};

static LabSshExecResult *lab_ssh_exec_result_copy_internal (const LabSshExecResult *result);

G_DEFINE_BOXED_TYPE (LabSshExecResult, lab_ssh_exec_result, lab_ssh_exec_result_copy_internal,
                     lab_ssh_exec_result_free)

/* The text forms are for reading: parsers, messages, GErrors and GTK all need UTF-8, and a
 * host's programs write whatever bytes their locale and files hold. Invalid sequences and
 * NUL bytes become U+FFFD; the GBytes keep the exact bytes for those who need them (file
 * contents that are written back). */
static char *
bytes_to_text (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_utf8_make_valid (data != NULL ? data : "", len);
}

LabSshExecResult *
_lab_ssh_exec_result_new (int         exit_status,
                          const char *exit_signal,
                          GBytes     *out,
                          GBytes     *err)
{
  LabSshExecResult *result;

  g_return_val_if_fail (out != NULL && err != NULL, NULL);

  result = g_new0 (LabSshExecResult, 1);
  result->exit_status = exit_status;
  result->exit_signal = g_strdup (exit_signal);
  result->out = g_bytes_ref (out);
  result->err = g_bytes_ref (err);
  result->out_text = bytes_to_text (out);
  result->err_text = bytes_to_text (err);
  return result;
}

static LabSshExecResult *
lab_ssh_exec_result_copy_internal (const LabSshExecResult *result)
{
  LabSshExecResult *copy = g_new0 (LabSshExecResult, 1);

  copy->exit_status = result->exit_status;
  copy->exit_signal = g_strdup (result->exit_signal);
  copy->out = g_bytes_ref (result->out);
  copy->err = g_bytes_ref (result->err);
  copy->out_text = g_strdup (result->out_text);
  copy->err_text = g_strdup (result->err_text);
  return copy;
}

gint
lab_ssh_exec_result_get_exit_status (const LabSshExecResult *result)
{
  g_return_val_if_fail (result != NULL, -1);
  return result->exit_status;
}

const char *
lab_ssh_exec_result_get_exit_signal (const LabSshExecResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->exit_signal;
}

GBytes *
lab_ssh_exec_result_get_stdout (const LabSshExecResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->out;
}

GBytes *
lab_ssh_exec_result_get_stderr (const LabSshExecResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->err;
}

const char *
lab_ssh_exec_result_get_stdout_text (const LabSshExecResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->out_text;
}

const char *
lab_ssh_exec_result_get_stderr_text (const LabSshExecResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->err_text;
}

void
lab_ssh_exec_result_free (LabSshExecResult *result)
{
  if (result == NULL)
    return;
  g_free (result->exit_signal);
  g_clear_pointer (&result->out, g_bytes_unref);
  g_clear_pointer (&result->err, g_bytes_unref);
  g_free (result->out_text);
  g_free (result->err_text);
  g_free (result);
}
