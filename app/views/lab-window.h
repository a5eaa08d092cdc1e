/* lab-window.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lab-application.h"
#include "views/lab-domain-view.h"

G_BEGIN_DECLS

#define LAB_TYPE_WINDOW (lab_window_get_type ())

G_DECLARE_FINAL_TYPE (LabWindow, lab_window, LAB, WINDOW, AdwApplicationWindow)

LabWindow   *lab_window_new               (LabApplication *application);
GListModel  *lab_window_get_hosts         (LabWindow      *self);
AdwTabView  *lab_window_get_tab_view      (LabWindow      *self);
LabDomainView *lab_window_get_domain_view (LabWindow      *self);
LabHost     *lab_window_get_selected_host (LabWindow      *self);
/* The connection of the selected host (the window's connection property), or NULL. */
LabHostConnection *lab_window_get_connection (LabWindow   *self);
const char  *lab_window_get_visible_page  (LabWindow      *self);
/* The text of the last toast shown (what a screen reader announced; tests read it). */
const char  *lab_window_get_last_toast    (LabWindow      *self);
void         lab_window_add_toast         (LabWindow      *self,
                                           const char     *message);

G_END_DECLS
