/* lab-setup-logs.h — what each step of the guided setup printed, kept per step
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LAB_TYPE_SETUP_LOGS (lab_setup_logs_get_type ())
G_DECLARE_FINAL_TYPE (LabSetupLogs, lab_setup_logs, LAB, SETUP_LOGS, GObject)

/* Each step keeps at most @max_per_step bytes: the newest, from a line start on. */
LabSetupLogs *lab_setup_logs_new    (gsize         max_per_step);
void          lab_setup_logs_append (LabSetupLogs *self,
                                     const char   *step_id,
                                     const char   *text,
                                     gsize         length);
/* What @step_id printed so far (never %NULL; empty when nothing). */
const char   *lab_setup_logs_get    (LabSetupLogs *self,
                                     const char   *step_id,
                                     gsize        *length);

G_END_DECLS
