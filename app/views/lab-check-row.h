/* lab-check-row.h — one check of "Check this host" in its list: status, evidence and fix
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-check-result.h"

G_BEGIN_DECLS

#define LAB_TYPE_CHECK_ROW (lab_check_row_get_type ())

G_DECLARE_FINAL_TYPE (LabCheckRow, lab_check_row, LAB, CHECK_ROW, GtkListBoxRow)

/* A row that follows @result: a new status, evidence or fix shows in place. Its copy
 * button activates check.copy with the fix command. */
GtkWidget      *lab_check_row_new      (LabCheckResult *result);
LabCheckResult *lab_check_row_get_item (LabCheckRow    *self);

G_END_DECLS
