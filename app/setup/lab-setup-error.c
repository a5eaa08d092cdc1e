/* lab-setup-error.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lab-setup-error.h"

G_DEFINE_QUARK (lab-setup-error-quark, lab_setup_error)

G_DEFINE_BOXED_TYPE (LabSetupFailure, lab_setup_failure,
                     lab_setup_failure_copy, lab_setup_failure_free)

LabSetupFailure *
lab_setup_failure_new (const char *command,
                       const char *output,
                       const char *meaning,
                       const char *fix_command)
{
  LabSetupFailure *failure = g_new0 (LabSetupFailure, 1);

  failure->command = g_strdup (command);
  failure->output = g_strdup (output);
  failure->meaning = g_strdup (meaning);
  failure->fix_command = g_strdup (fix_command);
  failure->can_skip = TRUE;
  return failure;
}

LabSetupFailure *
lab_setup_failure_copy (const LabSetupFailure *failure)
{
  LabSetupFailure *copy;

  if (failure == NULL)
    return NULL;
  copy = lab_setup_failure_new (failure->command, failure->output, failure->meaning,
                                failure->fix_command);
  copy->can_skip = failure->can_skip;
  return copy;
}

void
lab_setup_failure_free (LabSetupFailure *failure)
{
  if (failure == NULL)
    return;
  g_free (failure->command);
  g_free (failure->output);
  g_free (failure->meaning);
  g_free (failure->fix_command);
  g_free (failure);
}
