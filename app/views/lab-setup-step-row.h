/* lab-setup-step-row.h — a step of the guided setup in its list: number, title and status
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "setup/lab-setup-step-item.h"

G_BEGIN_DECLS

#define LAB_TYPE_SETUP_STEP_ROW (lab_setup_step_row_get_type ())

G_DECLARE_FINAL_TYPE (LabSetupStepRow, lab_setup_step_row, LAB, SETUP_STEP_ROW, AdwActionRow)

/* A row that follows @step: its status shows as an icon and a subtitle, in place. */
GtkWidget        *lab_setup_step_row_new      (LabSetupStepItem *step);
LabSetupStepItem *lab_setup_step_row_get_item (LabSetupStepRow  *self);

G_END_DECLS
