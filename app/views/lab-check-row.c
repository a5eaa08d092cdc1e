/* lab-check-row.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-check-row"

#include "config.h"

#include "lab-display-text.h"

#include "lab-check-row.h"

struct _LabCheckRow
{
  GtkListBoxRow   parent_instance;

  LabCheckResult *item;
  /* Bound to the result for as long as the row shows it, so a run's findings show in
   * place. */
  GBindingGroup  *bindings;
  GSignalGroup   *signals;

  /* Template widgets */
  GtkImage       *icon;
  GtkLabel       *status;
  GtkLabel       *evidence;
  GtkLabel       *fix;
  GtkWidget      *command_box;
  GtkLabel       *command;
  GtkButton      *copy_button;
};

G_DEFINE_FINAL_TYPE (LabCheckRow, lab_check_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Evidence quotes what dom0 printed, a few lines of it: more room than a message, but a
 * runaway command's output still does not reach the label whole. */
#define EVIDENCE_MAX (4 * LAB_DISPLAY_MESSAGE_MAX)

static const char *
lab_check_row_status_css_class (LabCheckStatus status)
{
  switch (status)
    {
    case LAB_CHECK_STATUS_OK:
      return "success";
    case LAB_CHECK_STATUS_WARNING:
      return "warning";
    case LAB_CHECK_STATUS_FAILED:
      return "error";
    case LAB_CHECK_STATUS_PENDING:
    case LAB_CHECK_STATUS_SKIPPED:
    default:
      return "dim-label";
    }
}

static gboolean
lab_check_row_transform_status_icon (GBinding     *binding,
                                     const GValue *from,
                                     GValue       *to,
                                     gpointer      user_data)
{
  g_value_set_string (to, lab_check_status_get_icon_name (g_value_get_enum (from)));
  return TRUE;
}

static gboolean
lab_check_row_transform_status_text (GBinding     *binding,
                                     const GValue *from,
                                     GValue       *to,
                                     gpointer      user_data)
{
  g_value_set_string (to, lab_check_status_to_string (g_value_get_enum (from)));
  return TRUE;
}

/* What dom0 said, made fit to be shown: valid, bounded, without control characters. */
static gboolean
lab_check_row_transform_shown (GBinding     *binding,
                               const GValue *from,
                               GValue       *to,
                               gpointer      user_data)
{
  char *shown = lab_text_for_display_lines (g_value_get_string (from), EVIDENCE_MAX);

  g_value_take_string (to, shown != NULL ? shown : g_strdup (""));
  return TRUE;
}

/* A label shows only when it has something to say. */
static gboolean
lab_check_row_transform_has_text (GBinding     *binding,
                                  const GValue *from,
                                  GValue       *to,
                                  gpointer      user_data)
{
  g_autofree char *shown = lab_text_for_display_lines (g_value_get_string (from), EVIDENCE_MAX);

  g_value_set_boolean (to, shown != NULL && *shown != '\0');
  return TRUE;
}

static gboolean
lab_check_row_transform_is_set (GBinding     *binding,
                                const GValue *from,
                                GValue       *to,
                                gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_string (from) != NULL);
  return TRUE;
}

/* The copy button's check.copy target: the command, or "" (copies nothing). */
static gboolean
lab_check_row_transform_copy_target (GBinding     *binding,
                                     const GValue *from,
                                     GValue       *to,
                                     gpointer      user_data)
{
  const char *command = g_value_get_string (from);

  g_value_set_variant (to, g_variant_new_string (command != NULL ? command : ""));
  return TRUE;
}

/* Style classes and accessible names are not GObject properties: they follow the status's
 * notify. */
static void
lab_check_row_update_status_cb (LabCheckRow *self)
{
  static const char * const classes[] = { "success", "warning", "error", "dim-label", NULL };
  LabCheckStatus state = lab_check_result_get_status (self->item);

  for (guint i = 0; classes[i] != NULL; i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), classes[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->status), classes[i]);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->icon), lab_check_row_status_css_class (state));
  gtk_widget_add_css_class (GTK_WIDGET (self->status), lab_check_row_status_css_class (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  lab_check_status_to_string (state), -1);
  /* Focused, the row is read as its check and how it came out. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  lab_check_result_get_title (self->item),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  lab_check_status_to_string (state), -1);
}

GtkWidget *
lab_check_row_new (LabCheckResult *result)
{
  g_return_val_if_fail (LAB_IS_CHECK_RESULT (result), NULL);

  return g_object_new (LAB_TYPE_CHECK_ROW, "item", result, NULL);
}

LabCheckResult *
lab_check_row_get_item (LabCheckRow *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_ROW (self), NULL);

  return self->item;
}

static void
lab_check_row_set_item (LabCheckRow    *self,
                        LabCheckResult *item)
{
  if (!g_set_object (&self->item, item))
    return;

  g_binding_group_set_source (self->bindings, item);
  g_signal_group_set_target (self->signals, item);
  if (item != NULL)
    lab_check_row_update_status_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

static void
lab_check_row_bind (LabCheckRow           *self,
                    const char            *property,
                    gpointer               target,
                    const char            *target_property,
                    GBindingTransformFunc  transform)
{
  g_binding_group_bind_full (self->bindings, property, target, target_property,
                             G_BINDING_SYNC_CREATE, transform, NULL, NULL, NULL);
}

static void
lab_check_row_dispose (GObject *object)
{
  LabCheckRow *self = LAB_CHECK_ROW (object);

  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_CHECK_ROW);

  G_OBJECT_CLASS (lab_check_row_parent_class)->dispose (object);
}

static void
lab_check_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabCheckRow *self = LAB_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_check_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabCheckRow *self = LAB_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      lab_check_row_set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_check_row_class_init (LabCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_check_row_dispose;
  object_class->get_property = lab_check_row_get_property;
  object_class->set_property = lab_check_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, LAB_TYPE_CHECK_RESULT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/lab-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LabCheckRow, icon);
  gtk_widget_class_bind_template_child (widget_class, LabCheckRow, status);
  gtk_widget_class_bind_template_child (widget_class, LabCheckRow, evidence);
  gtk_widget_class_bind_template_child (widget_class, LabCheckRow, fix);
  gtk_widget_class_bind_template_child (widget_class, LabCheckRow, command_box);
  gtk_widget_class_bind_template_child (widget_class, LabCheckRow, command);
  gtk_widget_class_bind_template_child (widget_class, LabCheckRow, copy_button);
}

static void
lab_check_row_init (LabCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bindings = g_binding_group_new ();
  lab_check_row_bind (self, "status", self->icon, "icon-name",
                      lab_check_row_transform_status_icon);
  lab_check_row_bind (self, "status", self->status, "label",
                      lab_check_row_transform_status_text);
  lab_check_row_bind (self, "evidence", self->evidence, "label", lab_check_row_transform_shown);
  lab_check_row_bind (self, "evidence", self->evidence, "visible",
                      lab_check_row_transform_has_text);
  lab_check_row_bind (self, "fix", self->fix, "label", lab_check_row_transform_shown);
  lab_check_row_bind (self, "fix", self->fix, "visible", lab_check_row_transform_has_text);
  lab_check_row_bind (self, "fix-command", self->command, "label",
                      lab_check_row_transform_shown);
  lab_check_row_bind (self, "fix-command", self->command, "visible",
                      lab_check_row_transform_has_text);
  lab_check_row_bind (self, "fix-command", self->command_box, "visible",
                      lab_check_row_transform_is_set);
  lab_check_row_bind (self, "fix-command", self->copy_button, "action-target",
                      lab_check_row_transform_copy_target);

  self->signals = g_signal_group_new (LAB_TYPE_CHECK_RESULT);
  g_signal_group_connect_object (self->signals, "notify::status",
                                 G_CALLBACK (lab_check_row_update_status_cb), self,
                                 G_CONNECT_SWAPPED);
}
