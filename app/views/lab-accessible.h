/* lab-accessible.h — what screen readers are told where GTK 4.8 and libadwaita 1.2 say it
 * wrong or not at all
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void  lab_accessible_init                  (void);
void  lab_accessible_focus_on_map          (GtkWindow           *window,
                                            GtkWidget           *widget);
void  lab_accessible_name_split_button     (AdwSplitButton      *button);
void  lab_accessible_name_column_view      (GtkColumnView       *view,
                                            const char          *header_label,
                                            const char          *list_label);
void  lab_accessible_name_row_cb           (GtkInscription      *inscription);
void  lab_accessible_name_shortcuts_window (GtkShortcutsWindow  *window);
void  lab_accessible_name_icon_button      (GtkWidget           *root,
                                            const char          *icon_name,
                                            const char          *label);
void  lab_accessible_name_tabs             (AdwTabBar           *bar);
void  lab_accessible_name_group            (AdwPreferencesGroup *group,
                                            const char          *label);

G_END_DECLS
