/* lab-preferences-window.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-preferences-window.h"

struct _LabPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwComboRow          *color_scheme_row;
  GtkSpinButton        *refresh_interval_spin;
  GtkSwitch            *system_font_switch;
  AdwEntryRow          *custom_font_row;
  GtkSpinButton        *scrollback_spin;
  GtkSwitch            *reattach_switch;
};

G_DEFINE_FINAL_TYPE (LabPreferencesWindow, lab_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Order of the rows in the "Style" combo; the schema stores the nick. */
static const char * const color_schemes[] = { "default", "light", "dark" };

static gboolean
color_scheme_get_mapping (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    {
      if (g_strcmp0 (scheme, color_schemes[i]) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
color_scheme_set_mapping (const GValue       *value,
                          const GVariantType *expected_type,
                          gpointer            user_data)
{
  guint index = g_value_get_uint (value);

  if (index >= G_N_ELEMENTS (color_schemes))
    return NULL;

  return g_variant_new_string (color_schemes[index]);
}

LabPreferencesWindow *
lab_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (LAB_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}

static void
lab_preferences_window_constructed (GObject *object)
{
  LabPreferencesWindow *self = LAB_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (lab_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                color_scheme_get_mapping, color_scheme_set_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "refresh-interval",
                   self->refresh_interval_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "console-use-system-font",
                   self->system_font_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "console-font",
                   self->custom_font_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "console-use-system-font",
                   self->custom_font_row, "sensitive",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_INVERT_BOOLEAN);
  g_settings_bind (self->settings, "console-scrollback-lines",
                   self->scrollback_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "console-reattach",
                   self->reattach_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
lab_preferences_window_dispose (GObject *object)
{
  LabPreferencesWindow *self = LAB_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lab_preferences_window_parent_class)->dispose (object);
}

static void
lab_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LabPreferencesWindow *self = LAB_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  LabPreferencesWindow *self = LAB_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_preferences_window_class_init (LabPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lab_preferences_window_constructed;
  object_class->dispose = lab_preferences_window_dispose;
  object_class->get_property = lab_preferences_window_get_property;
  object_class->set_property = lab_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, LabPreferencesWindow,
                                        refresh_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, LabPreferencesWindow, system_font_switch);
  gtk_widget_class_bind_template_child (widget_class, LabPreferencesWindow, custom_font_row);
  gtk_widget_class_bind_template_child (widget_class, LabPreferencesWindow, scrollback_spin);
  gtk_widget_class_bind_template_child (widget_class, LabPreferencesWindow, reattach_switch);
}

static void
lab_preferences_window_init (LabPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
