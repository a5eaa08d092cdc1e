/* lab-check-window.h — "Check this host": one row per classic failure, evidence and fix
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-host-check.h"
#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

#define LAB_TYPE_CHECK_WINDOW (lab_check_window_get_type ())
G_DECLARE_FINAL_TYPE (LabCheckWindow, lab_check_window, LAB, CHECK_WINDOW, AdwWindow)

/* Checks the host of @connection as soon as it is shown (and again on check.rerun); when
 * the connection is down it says so and offers to connect (check.connect), then checks. */
LabCheckWindow *lab_check_window_new       (GtkWindow          *parent,
                                            LabHostConnection  *connection);
LabHostCheck   *lab_check_window_get_check (LabCheckWindow     *self);
/* "results", or "error" (not connected, or the check could not run). */
const char     *lab_check_window_get_page  (LabCheckWindow     *self);

G_END_DECLS
