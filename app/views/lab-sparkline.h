/* lab-sparkline.h — a small live line chart of recent values (0–100)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAB_TYPE_SPARKLINE (lab_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (LabSparkline, lab_sparkline, LAB, SPARKLINE, GtkWidget)

GtkWidget *lab_sparkline_new        (void);
/* Copies @n_values samples, oldest first; values are clamped to 0–100. */
void       lab_sparkline_set_values (LabSparkline *self,
                                     const double *values,
                                     guint         n_values);
guint      lab_sparkline_get_n_values (LabSparkline *self);

G_END_DECLS
