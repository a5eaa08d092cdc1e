/* lab-test-gtk-utils.h — helpers for UI tests under Xvfb
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lab-test-utils.h"

G_BEGIN_DECLS

/* TRUE when a display is there; otherwise the test is skipped with a reason
 * (or fails when MIRAGE_LAB_REQUIRE_DISPLAY=1, as in CI). */
gboolean   lab_test_gtk_init              (int              *argc,
                                           char           ***argv);
void       lab_test_flush                 (GtkWidget        *widget);
char      *lab_test_save_screenshot       (GtkWidget        *widget,
                                           const char       *name);
GtkWindow *lab_test_find_toplevel         (GType             type);

G_END_DECLS
