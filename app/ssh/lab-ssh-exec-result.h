/* lab-ssh-exec-result.h: what a command run to completion left behind.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The exit status or signal and the output of lab_ssh_session_exec_async(). */
typedef struct _LabSshExecResult LabSshExecResult;

gint               lab_ssh_exec_result_get_exit_status (const LabSshExecResult *result);
const char        *lab_ssh_exec_result_get_exit_signal (const LabSshExecResult *result);
GBytes            *lab_ssh_exec_result_get_stdout      (const LabSshExecResult *result);
GBytes            *lab_ssh_exec_result_get_stderr      (const LabSshExecResult *result);
/* stdout and stderr as valid UTF-8 text, for parsing and showing: invalid sequences and NUL
 * bytes read as U+FFFD. get_stdout/get_stderr give the exact bytes (file contents). */
const char        *lab_ssh_exec_result_get_stdout_text (const LabSshExecResult *result);
const char        *lab_ssh_exec_result_get_stderr_text (const LabSshExecResult *result);
void               lab_ssh_exec_result_free            (LabSshExecResult       *result);

#define LAB_TYPE_SSH_EXEC_RESULT (lab_ssh_exec_result_get_type ())
GType              lab_ssh_exec_result_get_type        (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSshExecResult, lab_ssh_exec_result_free)

G_END_DECLS
