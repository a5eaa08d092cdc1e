/* lab-setup-step-item.h — a step of the guided setup as the wizard's list shows it: which
 * step, and where it stands in this run
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  LAB_SETUP_STEP_ITEM_TODO,
  LAB_SETUP_STEP_ITEM_DONE,
  LAB_SETUP_STEP_ITEM_FAILED,     /* failed in this run of the wizard */
  LAB_SETUP_STEP_ITEM_REBOOT,     /* applied; waits for the host's reboot */
  LAB_SETUP_STEP_ITEM_SKIPPED,
} LabSetupStepItemStatus;

GType lab_setup_step_item_status_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_SETUP_STEP_ITEM_STATUS (lab_setup_step_item_status_get_type ())

#define LAB_TYPE_SETUP_STEP_ITEM (lab_setup_step_item_get_type ())
G_DECLARE_FINAL_TYPE (LabSetupStepItem, lab_setup_step_item, LAB, SETUP_STEP_ITEM, GObject)

/* Step @id of a recipe, its @number (from 1) and @title; the status is set as it changes,
 * with a notify only when it does. */
LabSetupStepItem       *lab_setup_step_item_new        (const char             *id,
                                                        guint                   number,
                                                        const char             *title);
const char             *lab_setup_step_item_get_id     (LabSetupStepItem       *self);
guint                   lab_setup_step_item_get_number (LabSetupStepItem       *self);
const char             *lab_setup_step_item_get_title  (LabSetupStepItem       *self);
LabSetupStepItemStatus  lab_setup_step_item_get_status (LabSetupStepItem       *self);
void                    lab_setup_step_item_set_status (LabSetupStepItem       *self,
                                                        LabSetupStepItemStatus  status);

G_END_DECLS
