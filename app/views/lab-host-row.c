/* lab-host-row.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"

#include "lab-host-row.h"

struct _LabHostRow
{
  AdwActionRow       parent_instance;

  LabHost           *item;
  LabHostConnection *connection;
  /* Bound to the host and its connection for as long as the row shows them, so a rename,
   * a new address or a state change shows in place. */
  GBindingGroup     *host_bindings;
  GSignalGroup      *host_signals;
  GBindingGroup     *connection_bindings;

  /* Template widgets */
  GtkImage          *state_icon;
  GtkMenuButton     *menu_button;
};

G_DEFINE_FINAL_TYPE (LabHostRow, lab_host_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A name or an address from the user or a config file: one line, bounded. */
static gboolean
lab_host_row_transform_shown (GBinding     *binding,
                              const GValue *from,
                              GValue       *to,
                              gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_take_string (to, lab_text_for_display (text != NULL ? text : "?",
                                                 LAB_DISPLAY_NAME_MAX));
  return TRUE;
}

static gboolean
lab_host_row_transform_state_icon (GBinding     *binding,
                                   const GValue *from,
                                   GValue       *to,
                                   gpointer      user_data)
{
  g_value_set_string (to, lab_connection_state_get_icon_name (g_value_get_enum (from)));
  return TRUE;
}

static gboolean
lab_host_row_transform_state_tooltip (GBinding     *binding,
                                      const GValue *from,
                                      GValue       *to,
                                      gpointer      user_data)
{
  g_value_set_string (to, lab_connection_state_to_string (g_value_get_enum (from)));
  return TRUE;
}

/* user@address:port says three properties at once, so it follows their notifies. */
static void
lab_host_row_update_subtitle_cb (LabHostRow *self)
{
  g_autofree char *address = lab_host_dup_display_address (self->item);
  g_autofree char *subtitle = lab_text_for_display (address, LAB_DISPLAY_NAME_MAX);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
}

/* A screen reader says which host's menu this is (the tooltip is only seen); accessible
 * properties are not GObject properties, so this follows the name's notify. */
static void
lab_host_row_update_menu_label_cb (LabHostRow *self)
{
  g_autofree char *label = g_strdup_printf (_("Menu of %s"), lab_host_get_name (self->item));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* The menu's actions carry the host's id, which never changes: made once per host. */
static void
lab_host_row_host_bound_cb (LabHostRow   *self,
                            GObject      *instance,
                            GSignalGroup *group)
{
  const char *id = lab_host_get_id (LAB_HOST (instance));
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) edit = g_menu_item_new (_("_Edit…"), NULL);
  g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Remove…"), NULL);
  g_autoptr(GMenuItem) check = g_menu_item_new (_("_Check Host…"), NULL);
  g_autoptr(GMenuItem) details = g_menu_item_new (_("_Details…"), NULL);
  g_autoptr(GMenuItem) new_domain = g_menu_item_new (_("New _Domain…"), NULL);

  g_menu_item_set_action_and_target_value (edit, "win.edit-host", g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (remove, "win.remove-host", g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (check, "win.check-host", g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (details, "win.host-details",
                                           g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (new_domain, "win.new-domain-on",
                                           g_variant_new_string (id));
  g_menu_append_item (menu, new_domain);
  g_menu_append_item (menu, details);
  g_menu_append_item (menu, check);
  g_menu_append_item (menu, edit);
  g_menu_append_item (menu, remove);
  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (menu));

  lab_host_row_update_subtitle_cb (self);
  lab_host_row_update_menu_label_cb (self);
}

GtkWidget *
lab_host_row_new (LabHost           *host,
                  LabHostConnection *connection)
{
  g_return_val_if_fail (LAB_IS_HOST (host), NULL);
  g_return_val_if_fail (connection == NULL || LAB_IS_HOST_CONNECTION (connection), NULL);

  return g_object_new (LAB_TYPE_HOST_ROW,
                       "item", host,
                       "connection", connection,
                       NULL);
}

LabHost *
lab_host_row_get_item (LabHostRow *self)
{
  g_return_val_if_fail (LAB_IS_HOST_ROW (self), NULL);

  return self->item;
}

LabHostConnection *
lab_host_row_get_connection (LabHostRow *self)
{
  g_return_val_if_fail (LAB_IS_HOST_ROW (self), NULL);

  return self->connection;
}

GtkWidget *
lab_host_row_get_menu_button (LabHostRow *self)
{
  g_return_val_if_fail (LAB_IS_HOST_ROW (self), NULL);

  return GTK_WIDGET (self->menu_button);
}

static void
lab_host_row_set_item (LabHostRow *self,
                       LabHost    *item)
{
  if (!g_set_object (&self->item, item))
    return;

  g_binding_group_set_source (self->host_bindings, item);
  g_signal_group_set_target (self->host_signals, item);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

static void
lab_host_row_set_connection (LabHostRow        *self,
                             LabHostConnection *connection)
{
  if (!g_set_object (&self->connection, connection))
    return;

  g_binding_group_set_source (self->connection_bindings, connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

static void
lab_host_row_dispose (GObject *object)
{
  LabHostRow *self = LAB_HOST_ROW (object);

  g_clear_object (&self->host_bindings);
  g_clear_object (&self->host_signals);
  g_clear_object (&self->connection_bindings);
  g_clear_object (&self->item);
  g_clear_object (&self->connection);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_HOST_ROW);

  G_OBJECT_CLASS (lab_host_row_parent_class)->dispose (object);
}

static void
lab_host_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LabHostRow *self = LAB_HOST_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LabHostRow *self = LAB_HOST_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      lab_host_row_set_item (self, g_value_get_object (value));
      break;

    case PROP_CONNECTION:
      lab_host_row_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_row_class_init (LabHostRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_host_row_dispose;
  object_class->get_property = lab_host_row_get_property;
  object_class->set_property = lab_host_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, LAB_TYPE_HOST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, LAB_TYPE_HOST_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/lab-host-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LabHostRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, LabHostRow, menu_button);
}

static void
lab_host_row_init (LabHostRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->host_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->host_bindings, "name", self, "title",
                             G_BINDING_SYNC_CREATE, lab_host_row_transform_shown,
                             NULL, NULL, NULL);
  g_binding_group_bind_full (self->host_bindings, "address", self, "tooltip-text",
                             G_BINDING_SYNC_CREATE, lab_host_row_transform_shown,
                             NULL, NULL, NULL);

  self->host_signals = g_signal_group_new (LAB_TYPE_HOST);
  g_signal_connect_object (self->host_signals, "bind",
                           G_CALLBACK (lab_host_row_host_bound_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->host_signals, "notify::name",
                                 G_CALLBACK (lab_host_row_update_menu_label_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->host_signals, "notify::user",
                                 G_CALLBACK (lab_host_row_update_subtitle_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->host_signals, "notify::address",
                                 G_CALLBACK (lab_host_row_update_subtitle_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->host_signals, "notify::port",
                                 G_CALLBACK (lab_host_row_update_subtitle_cb), self,
                                 G_CONNECT_SWAPPED);

  self->connection_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->connection_bindings, "state", self->state_icon, "icon-name",
                             G_BINDING_SYNC_CREATE, lab_host_row_transform_state_icon,
                             NULL, NULL, NULL);
  g_binding_group_bind_full (self->connection_bindings, "state", self->state_icon,
                             "tooltip-text", G_BINDING_SYNC_CREATE,
                             lab_host_row_transform_state_tooltip, NULL, NULL, NULL);
}
