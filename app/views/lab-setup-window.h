/* lab-setup-window.h — the guided setup wizard
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "views/lab-terminal.h"
#include "xen/lab-host-check.h"

#include "setup/lab-setup-state.h"

G_BEGIN_DECLS

/* The wizard: the recipe's steps on the left with their status (done, to do, failed, needs
 * reboot), the selected step on the right with its explanation, its form (VirtualBox: the
 * VM; Connect: host, user, password, key, recipe), the plan before applying, Apply with a
 * live log, progress and Cancel, and a failure panel (what ran, its output, what it means,
 * retry / skip / the command to run by hand). Where it stands is saved
 * (lab_setup_state_default_path()) and restored when it opens again. */
#define LAB_TYPE_SETUP_WINDOW (lab_setup_window_get_type ())
G_DECLARE_FINAL_TYPE (LabSetupWindow, lab_setup_window, LAB, SETUP_WINDOW, AdwWindow)

/* @state_path NULL = the default file. */
LabSetupWindow *lab_setup_window_new          (GtkWindow      *parent,
                                               const char     *state_path);
/* For tests: select the step with this id. */
void            lab_setup_window_select_step  (LabSetupWindow *self,
                                               const char     *id);
LabSetupState  *lab_setup_window_get_state    (LabSetupWindow *self);
/* TRUE while a step runs. */
gboolean        lab_setup_window_get_busy     (LabSetupWindow *self);
/* For tests: the log, and the host checks run once connected (NULL before). */
LabTerminal    *lab_setup_window_get_log      (LabSetupWindow *self);
LabHostCheck   *lab_setup_window_get_host_check (LabSetupWindow *self);

G_END_DECLS
