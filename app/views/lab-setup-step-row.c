/* lab-setup-step-row.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-step-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-setup-step-row.h"

struct _LabSetupStepRow
{
  AdwActionRow      parent_instance;

  LabSetupStepItem *item;
  /* Bound to the step for as long as the row shows it, so a new status shows in place. */
  GBindingGroup    *bindings;
  GSignalGroup     *signals;

  /* Template widgets */
  GtkImage         *icon;
};

G_DEFINE_FINAL_TYPE (LabSetupStepRow, lab_setup_step_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
lab_setup_step_row_transform_icon (GBinding     *binding,
                                   const GValue *from,
                                   GValue       *to,
                                   gpointer      user_data)
{
  switch ((LabSetupStepItemStatus) g_value_get_enum (from))
    {
    case LAB_SETUP_STEP_ITEM_DONE:
      g_value_set_string (to, "emblem-ok-symbolic");
      break;
    case LAB_SETUP_STEP_ITEM_FAILED:
      g_value_set_string (to, "dialog-error-symbolic");
      break;
    case LAB_SETUP_STEP_ITEM_REBOOT:
      g_value_set_string (to, "system-reboot-symbolic");
      break;
    case LAB_SETUP_STEP_ITEM_SKIPPED:
      g_value_set_string (to, "dialog-warning-symbolic");
      break;
    case LAB_SETUP_STEP_ITEM_TODO:
    default:
      g_value_set_string (to, "content-loading-symbolic");
      break;
    }
  return TRUE;
}

static gboolean
lab_setup_step_row_transform_subtitle (GBinding     *binding,
                                       const GValue *from,
                                       GValue       *to,
                                       gpointer      user_data)
{
  switch ((LabSetupStepItemStatus) g_value_get_enum (from))
    {
    case LAB_SETUP_STEP_ITEM_DONE:
      g_value_set_string (to, _("Done"));
      break;
    case LAB_SETUP_STEP_ITEM_FAILED:
      g_value_set_string (to, _("Failed"));
      break;
    case LAB_SETUP_STEP_ITEM_REBOOT:
      g_value_set_string (to, _("Needs reboot"));
      break;
    case LAB_SETUP_STEP_ITEM_SKIPPED:
      g_value_set_string (to, _("Skipped"));
      break;
    case LAB_SETUP_STEP_ITEM_TODO:
    default:
      g_value_set_string (to, _("To do"));
      break;
    }
  return TRUE;
}

/* Style classes are not properties: they follow the status's notify. */
static void
lab_setup_step_row_update_icon_style_cb (LabSetupStepRow *self)
{
  LabSetupStepItemStatus status = lab_setup_step_item_get_status (self->item);
  GtkWidget *icon = GTK_WIDGET (self->icon);

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_remove_css_class (icon, "warning");
  if (status == LAB_SETUP_STEP_ITEM_DONE)
    gtk_widget_add_css_class (icon, "success");
  else if (status == LAB_SETUP_STEP_ITEM_FAILED)
    gtk_widget_add_css_class (icon, "error");
  else if (status != LAB_SETUP_STEP_ITEM_TODO)
    gtk_widget_add_css_class (icon, "warning");
}

GtkWidget *
lab_setup_step_row_new (LabSetupStepItem *step)
{
  g_return_val_if_fail (LAB_IS_SETUP_STEP_ITEM (step), NULL);

  return g_object_new (LAB_TYPE_SETUP_STEP_ROW, "item", step, NULL);
}

LabSetupStepItem *
lab_setup_step_row_get_item (LabSetupStepRow *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_STEP_ROW (self), NULL);

  return self->item;
}

static void
lab_setup_step_row_set_item (LabSetupStepRow  *self,
                             LabSetupStepItem *item)
{
  if (!g_set_object (&self->item, item))
    return;

  g_binding_group_set_source (self->bindings, item);
  g_signal_group_set_target (self->signals, item);
  if (item != NULL)
    {
      /* A step's number and title never change. */
      g_autofree char *title = g_strdup_printf ("%u. %s", lab_setup_step_item_get_number (item),
                                                lab_setup_step_item_get_title (item));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
      lab_setup_step_row_update_icon_style_cb (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

static void
lab_setup_step_row_dispose (GObject *object)
{
  LabSetupStepRow *self = LAB_SETUP_STEP_ROW (object);

  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_SETUP_STEP_ROW);

  G_OBJECT_CLASS (lab_setup_step_row_parent_class)->dispose (object);
}

static void
lab_setup_step_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LabSetupStepRow *self = LAB_SETUP_STEP_ROW (object);

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
lab_setup_step_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LabSetupStepRow *self = LAB_SETUP_STEP_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      lab_setup_step_row_set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_setup_step_row_class_init (LabSetupStepRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_setup_step_row_dispose;
  object_class->get_property = lab_setup_step_row_get_property;
  object_class->set_property = lab_setup_step_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, LAB_TYPE_SETUP_STEP_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-setup-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LabSetupStepRow, icon);
}

static void
lab_setup_step_row_init (LabSetupStepRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->bindings, "status", self->icon, "icon-name",
                             G_BINDING_SYNC_CREATE, lab_setup_step_row_transform_icon,
                             NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "status", self, "subtitle",
                             G_BINDING_SYNC_CREATE, lab_setup_step_row_transform_subtitle,
                             NULL, NULL, NULL);

  self->signals = g_signal_group_new (LAB_TYPE_SETUP_STEP_ITEM);
  g_signal_group_connect_object (self->signals, "notify::status",
                                 G_CALLBACK (lab_setup_step_row_update_icon_style_cb), self,
                                 G_CONNECT_SWAPPED);
}
