/* lab-sparkline.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-sparkline"

#include "config.h"

#include "lab-sparkline.h"

/* Enough for the domain history; a longer array keeps only its newest samples. */
#define MAX_VALUES 64

struct _LabSparkline
{
  GtkWidget  parent_instance;

  double     values[MAX_VALUES];
  guint      n_values;
};

G_DEFINE_FINAL_TYPE (LabSparkline, lab_sparkline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SAMPLES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
lab_sparkline_new (void)
{
  return g_object_new (LAB_TYPE_SPARKLINE, NULL);
}

void
lab_sparkline_set_values (LabSparkline *self,
                          const double *values,
                          guint         n_values)
{
  g_return_if_fail (LAB_IS_SPARKLINE (self));
  g_return_if_fail (values != NULL || n_values == 0);

  if (n_values > MAX_VALUES)
    {
      values += n_values - MAX_VALUES;
      n_values = MAX_VALUES;
    }

  for (guint i = 0; i < n_values; i++)
    self->values[i] = CLAMP (values[i], 0.0, 100.0);
  self->n_values = n_values;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
lab_sparkline_get_n_values (LabSparkline *self)
{
  g_return_val_if_fail (LAB_IS_SPARKLINE (self), 0);
  return self->n_values;
}

static void
lab_sparkline_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LabSparkline *self = LAB_SPARKLINE (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  GdkRGBA color;
  cairo_t *cr;
  float step;

  if (self->n_values < 2 || width < 2 || height < 2)
    return;

  /* The widget's CSS colour (GTK 4.8 has no gtk_widget_get_color yet), so light, dark
   * and selected rows all read well. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  step = (width - 1) / (float) (MAX (self->n_values, 2) - 1);

  cairo_move_to (cr, 0.5, height - 0.5);
  for (guint i = 0; i < self->n_values; i++)
    cairo_line_to (cr, 0.5 + i * step, 0.5 + (height - 1) * (1.0 - self->values[i] / 100.0));
  cairo_line_to (cr, 0.5 + (self->n_values - 1) * step, height - 0.5);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.18);
  cairo_fill (cr);

  for (guint i = 0; i < self->n_values; i++)
    {
      double x = 0.5 + i * step;
      double y = 0.5 + (height - 1) * (1.0 - self->values[i] / 100.0);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.85);
  cairo_set_line_width (cr, 1.25);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);

  cairo_destroy (cr);
}

static void
lab_sparkline_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 32 : 12;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 64 : 18;
}

static void
lab_sparkline_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabSparkline *self = LAB_SPARKLINE (object);
  GBytes *samples;
  gsize size = 0;
  const double *values;

  switch (prop_id)
    {
    case PROP_SAMPLES:
      samples = g_value_get_boxed (value);
      values = samples != NULL ? g_bytes_get_data (samples, &size) : NULL;
      lab_sparkline_set_values (self, values, size / sizeof (double));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_sparkline_class_init (LabSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = lab_sparkline_set_property;

  /* The samples as doubles, oldest first (for a binding; see lab_sparkline_set_values). */
  properties[PROP_SAMPLES] = g_param_spec_boxed ("samples", NULL, NULL, G_TYPE_BYTES,
                                                 G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->snapshot = lab_sparkline_snapshot;
  widget_class->measure = lab_sparkline_measure;
  gtk_widget_class_set_css_name (widget_class, "labsparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lab_sparkline_init (LabSparkline *self)
{
}
