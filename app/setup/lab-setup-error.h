/* lab-setup-error.h — errors of the guided setup, and what to tell the user about them
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LabSetupError:
 * @LAB_SETUP_ERROR_FAILED: generic failure
 * @LAB_SETUP_ERROR_RECIPE: a recipe file is malformed
 * @LAB_SETUP_ERROR_COMMAND: a command exited with a failure status
 * @LAB_SETUP_ERROR_VERIFY: the step ran but its verification did not pass
 * @LAB_SETUP_ERROR_STATE: the saved state could not be read or written
 * @LAB_SETUP_ERROR_NOT_FOUND: a program, VM or file the step needs does not exist
 * @LAB_SETUP_ERROR_VM_RUNNING: the VM must be powered off for this change
 * @LAB_SETUP_ERROR_UNREACHABLE: the host did not come back (SSH) in time
 */
typedef enum
{
  LAB_SETUP_ERROR_FAILED,
  LAB_SETUP_ERROR_RECIPE,
  LAB_SETUP_ERROR_COMMAND,
  LAB_SETUP_ERROR_VERIFY,
  LAB_SETUP_ERROR_STATE,
  LAB_SETUP_ERROR_NOT_FOUND,
  LAB_SETUP_ERROR_VM_RUNNING,
  LAB_SETUP_ERROR_UNREACHABLE,
} LabSetupError;

#define LAB_SETUP_ERROR (lab_setup_error_quark ())
GQuark lab_setup_error_quark (void);

/* Everything the failure panel shows: what ran, what it printed, what that means and what
 * the user can do about it. @fix_command is the exact command to run by hand (may be NULL). */
typedef struct
{
  char *command;
  char *output;
  char *meaning;
  char *fix_command;
  gboolean can_skip;
} LabSetupFailure;

LabSetupFailure *lab_setup_failure_new  (const char            *command,
                                         const char            *output,
                                         const char            *meaning,
                                         const char            *fix_command);
LabSetupFailure *lab_setup_failure_copy (const LabSetupFailure *failure);
void             lab_setup_failure_free (LabSetupFailure       *failure);

#define LAB_TYPE_SETUP_FAILURE (lab_setup_failure_get_type ())
GType lab_setup_failure_get_type (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSetupFailure, lab_setup_failure_free)

G_END_DECLS
