/* lab-host-row.h — a dom0 host in the window's sidebar: its name, address and connection
 * state, and its menu
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-host-connection.h"
#include "xen/lab-host.h"

G_BEGIN_DECLS

#define LAB_TYPE_HOST_ROW (lab_host_row_get_type ())

G_DECLARE_FINAL_TYPE (LabHostRow, lab_host_row, LAB, HOST_ROW, AdwActionRow)

/* A row that follows @host (a rename or a new address shows in place) and, when given,
 * the state of @connection. */
GtkWidget         *lab_host_row_new            (LabHost           *host,
                                                LabHostConnection *connection);
LabHost           *lab_host_row_get_item       (LabHostRow        *self);
LabHostConnection *lab_host_row_get_connection (LabHostRow        *self);
/* The button that opens the host's menu (Check, Edit, Remove). */
GtkWidget         *lab_host_row_get_menu_button (LabHostRow       *self);

G_END_DECLS
