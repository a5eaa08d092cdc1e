/* lab-build-tab.h — a Mirage project's build on dom0, streamed into a tab
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "views/lab-tab.h"
#include "views/lab-terminal.h"
#include "xen/lab-build-job.h"
#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

#define LAB_TYPE_BUILD_TAB (lab_build_tab_get_type ())

G_DECLARE_FINAL_TYPE (LabBuildTab, lab_build_tab, LAB, BUILD_TAB, LabTab)

/* The build of the project that @config_path (of domain @domain_name) belongs to; a
 * LabBuildJob runs it, the tab shows it. */
LabBuildTab       *lab_build_tab_new             (LabHostConnection *connection,
                                                  const char        *domain_name,
                                                  const char        *config_path);
/* Finds the project and runs its build (again); ::finished tells how it went. */
void               lab_build_tab_start           (LabBuildTab       *self);
/* Stops the build (hangs up its terminal); the tab stays. */
void               lab_build_tab_cancel          (LabBuildTab       *self);

LabBuildStatus     lab_build_tab_get_status      (LabBuildTab       *self);
/* The project folder on dom0, once found. */
const char        *lab_build_tab_get_project     (LabBuildTab       *self);
/* dune's progress, 0..1, or -1 while unknown. */
double             lab_build_tab_get_fraction    (LabBuildTab       *self);

/* Shorthands for the LabTab getters, which the tests use (the message is what the status
 * bar says); the connection and the title are read through LabTab only. */
const char        *lab_build_tab_get_domain_name (LabBuildTab       *self);
const char        *lab_build_tab_get_message     (LabBuildTab       *self);
LabTerminal       *lab_build_tab_get_terminal    (LabBuildTab       *self);

G_END_DECLS
