/* lab-setup-step-row.h — a step of the guided setup in its list: number, title and status
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  LAB_SETUP_STEP_ROW_TODO,
  LAB_SETUP_STEP_ROW_DONE,
  LAB_SETUP_STEP_ROW_FAILED,
  LAB_SETUP_STEP_ROW_REBOOT,
  LAB_SETUP_STEP_ROW_SKIPPED,
} LabSetupStepRowStatus;

#define LAB_TYPE_SETUP_STEP_ROW (lab_setup_step_row_get_type ())

G_DECLARE_FINAL_TYPE (LabSetupStepRow, lab_setup_step_row, LAB, SETUP_STEP_ROW, AdwActionRow)

/* @title is text, not markup; @status shows as an icon and a subtitle. */
GtkWidget *lab_setup_step_row_new (const char            *title,
                                   LabSetupStepRowStatus  status);

G_END_DECLS
