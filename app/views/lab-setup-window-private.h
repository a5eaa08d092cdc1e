/* lab-setup-window-private.h — what the guided setup window's files share
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is split by job: lab-setup-window.c runs the steps, lab-setup-window-log.c
 * keeps and shows each step's log, lab-setup-window-steps.c keeps the list of steps.
 */

#pragma once

#include <adwaita.h>

#include "setup/lab-setup-connect.h"
#include "setup/lab-setup-logs.h"
#include "setup/lab-setup-recipe.h"
#include "setup/lab-setup-runner.h"
#include "setup/lab-setup-state.h"
#include "setup/lab-vbox.h"
#include "views/lab-setup-settings-group.h"
#include "views/lab-setup-window.h"
#include "views/lab-terminal.h"

G_BEGIN_DECLS

struct _LabSetupWindow
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkListBox *steps_list;
  GtkWidget *page_scroller;
  GtkLabel *step_title;
  GtkLabel *step_explanation;
  AdwPreferencesGroup *vbox_group;
  AdwComboRow *vm_row;
  AdwEntryRow *host_ip_row;
  AdwPreferencesGroup *connect_group;
  AdwEntryRow *host_row;
  AdwEntryRow *user_row;
  AdwPasswordEntryRow *password_row;
  GtkSwitch *key_switch;
  AdwComboRow *recipe_row;
  GtkButton *plan_button;
  GtkButton *apply_button;
  GtkButton *cancel_button;
  GtkSpinner *spinner;
  GtkLabel *status_label;
  GtkProgressBar *progress_bar;
  GtkBox *failure_box;
  GtkLabel *failure_title;
  GtkLabel *failure_meaning;
  GtkLabel *failure_command;
  GtkLabel *failure_output;
  GtkBox *fix_box;
  GtkLabel *fix_command;
  GtkButton *shutdown_button;
  GtkLabel *plan_heading;
  GtkFrame *plan_frame;
  GtkTextView *plan_view;
  GtkFrame *log_frame;
  LabSetupSettingsGroup *settings_group;
  AdwPreferencesGroup *unikernel_group;
  AdwActionRow *unikernel_row;
  LabTerminal *log;
  LabSetupLogs *logs;        /* each step's output; the log shows the current step's */
  char *log_step;            /* the step whose output the log shows */

  char *state_path;
  LabSetupState *state;
  LabSetupRecipe *recipe;
  LabVbox *vbox;
  LabSetupConnect *connect;      /* the Connect step's chain, and the session it made */
  gboolean connecting;           /* the chain runs for the Connect step's Apply */
  LabSetupRunner *runner;
  GCancellable *cancellable;
  GHashTable *failed;        /* step ids that failed in this run of the wizard */
  GListStore *steps;         /* LabSetupStepItem: the recipe's steps, where each stands */
  int current;               /* step index */
  gboolean busy;
};

/* current is always a valid index: set from the list rows or clamped on load. */
const LabSetupStep *_lab_setup_window_current_step    (LabSetupWindow *self);

/* lab-setup-window-log.c */
void                _lab_setup_window_log             (LabSetupWindow *self,
                                                       const char     *text);
void                _lab_setup_window_output_cb       (GObject        *source,
                                                       const char     *text,
                                                       gpointer        user_data);
void                _lab_setup_window_show_log_of     (LabSetupWindow *self,
                                                       const char     *step_id);

/* lab-setup-window-steps.c */
void                _lab_setup_window_update_steps    (LabSetupWindow *self);
void                _lab_setup_window_focus_step      (LabSetupWindow *self);
GtkWidget          *_lab_setup_window_create_step_row (gpointer        item,
                                                       gpointer        user_data);

G_END_DECLS
