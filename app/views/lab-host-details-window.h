/* lab-host-details-window.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

#define LAB_TYPE_HOST_DETAILS_WINDOW (lab_host_details_window_get_type ())

G_DECLARE_FINAL_TYPE (LabHostDetailsWindow, lab_host_details_window, LAB, HOST_DETAILS_WINDOW,
                      AdwWindow)

/* What @connection's dom0 says about itself (Xen, memory, CPUs, bridges), asked when the
 * window opens, and the host's configuration folders, which can be added and removed here. */
LabHostDetailsWindow *lab_host_details_window_new (GtkWindow         *parent,
                                                   LabHostConnection *connection);

G_END_DECLS
