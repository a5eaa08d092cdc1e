/* lab-host-details-window-private.h — for the tests
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-host-details-window.h"

G_BEGIN_DECLS

/* TRUE while dom0 is being asked. */
gboolean    lab_host_details_window_is_busy        (LabHostDetailsWindow *self);
/* What a row of the Xen group says (its subtitle): "version", "memory", "cpus", "caps", or
 * "problem" (the row shown when dom0 could not be asked; NULL while hidden). */
const char *lab_host_details_window_get_row_text   (LabHostDetailsWindow *self,
                                                    const char           *row);
/* The bridges shown, as a model of strings. */
GListModel *lab_host_details_window_get_bridges    (LabHostDetailsWindow *self);
/* Adds @folder as the entry row's apply would. */
void        lab_host_details_window_add_folder     (LabHostDetailsWindow *self,
                                                    const char           *folder);

G_END_DECLS
