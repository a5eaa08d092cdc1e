/* lab-test-gtk-utils.h — helpers for UI tests under Xvfb
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lab-application.h"
#include "lab-test-utils.h"
#include "views/lab-terminal.h"
#include "views/lab-window.h"

G_BEGIN_DECLS

/* TRUE when a display is there; otherwise the test is skipped with a reason
 * (or fails when MIRAGE_LAB_REQUIRE_DISPLAY=1, as in CI). */
gboolean   lab_test_gtk_init              (int              *argc,
                                           char           ***argv);
void       lab_test_flush                 (GtkWidget        *widget);
char      *lab_test_save_screenshot       (GtkWidget        *widget,
                                           const char       *name);
GtkWindow *lab_test_find_toplevel         (GType             type);

typedef gboolean (*LabTestWidgetMatch) (GtkWidget *widget,
                                        gpointer   user_data);
/* The first widget @match accepts in @root's tree, @root included, depth first; NULL when
 * none does. */
GtkWidget *lab_test_find_widget           (GtkWidget          *root,
                                           LabTestWidgetMatch  match,
                                           gpointer            user_data);

/* VTE shows what it is given on its own schedule: waits (as lab_test_wait_for) until
 * @terminal shows @text; on a timeout the test's log gets what it shows instead. */
gboolean   lab_test_terminal_wait_for     (LabTerminal        *terminal,
                                           const char         *text,
                                           guint               timeout_ms);

/* The first mapped widget of @type in @root's tree whose title (a preferences row) or label
 * (a button) is @title, or any such widget when @title is NULL. */
GtkWidget *lab_test_find_mapped           (GtkWidget          *root,
                                           GType               type,
                                           const char         *title);

/* The app as a user starts it (not unique, so tests never reach a running copy):
 * registered and activated, its window open. */
LabApplication *lab_test_app_new          (void);
/* Its window (asserted to be a LabWindow). */
LabWindow      *lab_test_app_window       (LabApplication   *app);
/* Closes the window and drops the app. */
void            lab_test_app_close        (LabApplication   *app);

G_END_DECLS
