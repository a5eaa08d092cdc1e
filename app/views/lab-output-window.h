/* lab-output-window.h — a domain's kept console output, read-only, to read and save
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "views/lab-terminal.h"
#include "xen/lab-console-log.h"
#include "xen/lab-domain.h"

G_BEGIN_DECLS

#define LAB_TYPE_OUTPUT_WINDOW (lab_output_window_get_type ())

G_DECLARE_FINAL_TYPE (LabOutputWindow, lab_output_window, LAB, OUTPUT_WINDOW, AdwWindow)

/* Shows @log (and what it gets from now on); @domain, when given, for how it ended. */
LabOutputWindow *lab_output_window_new          (GtkWindow       *parent,
                                                 LabConsoleLog   *log,
                                                 LabDomain       *domain);
LabTerminal     *lab_output_window_get_terminal (LabOutputWindow *self);
/* The line above the output: how the domain ended, what was dropped. */
const char      *lab_output_window_get_info     (LabOutputWindow *self);

G_END_DECLS
