/* lab-tab.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-tab"

#include "config.h"

#include "lab-display-text.h"

#include "lab-tab.h"

typedef struct
{
  LabHostConnection *connection;
  char              *domain_name;
  char              *title;
  LabTerminal       *terminal;   /* a child of the tab kind's template */
} LabTabPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (LabTab, lab_tab, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_DOMAIN_NAME,
  PROP_TITLE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

LabHostConnection *
lab_tab_get_connection (LabTab *self)
{
  LabTabPrivate *priv = lab_tab_get_instance_private (self);

  g_return_val_if_fail (LAB_IS_TAB (self), NULL);
  return priv->connection;
}

const char *
lab_tab_get_domain_name (LabTab *self)
{
  LabTabPrivate *priv = lab_tab_get_instance_private (self);

  g_return_val_if_fail (LAB_IS_TAB (self), NULL);
  return priv->domain_name;
}

const char *
lab_tab_get_title (LabTab *self)
{
  LabTabPrivate *priv = lab_tab_get_instance_private (self);

  g_return_val_if_fail (LAB_IS_TAB (self), NULL);
  return priv->title;
}

const char *
lab_tab_get_message (LabTab *self)
{
  LabTabClass *klass;

  g_return_val_if_fail (LAB_IS_TAB (self), NULL);

  klass = LAB_TAB_GET_CLASS (self);
  return klass->get_message != NULL ? klass->get_message (self) : NULL;
}

LabTerminal *
lab_tab_get_terminal (LabTab *self)
{
  LabTabPrivate *priv = lab_tab_get_instance_private (self);

  g_return_val_if_fail (LAB_IS_TAB (self), NULL);
  return priv->terminal;
}

void
lab_tab_connect_terminal (LabTab       *self,
                          LabTerminal  *terminal,
                          GtkScrollbar *scrollbar)
{
  LabTabPrivate *priv = lab_tab_get_instance_private (self);

  g_return_if_fail (LAB_IS_TAB (self));
  g_return_if_fail (LAB_IS_TERMINAL (terminal));
  g_return_if_fail (GTK_IS_SCROLLBAR (scrollbar));

  priv->terminal = terminal;
  gtk_scrollbar_set_adjustment (scrollbar,
                                gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (terminal)));
}

void
lab_tab_notify_message (LabTab *self)
{
  g_return_if_fail (LAB_IS_TAB (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
lab_tab_constructed (GObject *object)
{
  LabTab *self = LAB_TAB (object);
  LabTabPrivate *priv = lab_tab_get_instance_private (self);
  g_autofree char *name = NULL;

  G_OBJECT_CLASS (lab_tab_parent_class)->constructed (object);

  g_assert (LAB_TAB_GET_CLASS (self)->format_title != NULL);

  /* The title goes into the tab, its tooltip and the window title: one bounded line. */
  name = lab_text_for_display (priv->domain_name, LAB_DISPLAY_NAME_MAX);
  priv->title = LAB_TAB_GET_CLASS (self)->format_title (self, name);
}

static void
lab_tab_dispose (GObject *object)
{
  LabTab *self = LAB_TAB (object);
  LabTabPrivate *priv = lab_tab_get_instance_private (self);
  GtkWidget *child;

  /* The tab kind has disposed of its template by now; the template's outer box is not a
   * bound child, so it is ours to unparent, and the terminal goes with it. */
  priv->terminal = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lab_tab_parent_class)->dispose (object);
}

static void
lab_tab_finalize (GObject *object)
{
  LabTab *self = LAB_TAB (object);
  LabTabPrivate *priv = lab_tab_get_instance_private (self);

  g_clear_object (&priv->connection);
  g_clear_pointer (&priv->domain_name, g_free);
  g_clear_pointer (&priv->title, g_free);

  G_OBJECT_CLASS (lab_tab_parent_class)->finalize (object);
}

static void
lab_tab_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  LabTab *self = LAB_TAB (object);
  LabTabPrivate *priv = lab_tab_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONNECTION: g_value_set_object (value, priv->connection); break;
    case PROP_DOMAIN_NAME: g_value_set_string (value, priv->domain_name); break;
    case PROP_TITLE: g_value_set_string (value, priv->title); break;
    case PROP_MESSAGE: g_value_set_string (value, lab_tab_get_message (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_tab_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  LabTab *self = LAB_TAB (object);
  LabTabPrivate *priv = lab_tab_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      priv->connection = g_value_dup_object (value);
      break;
    case PROP_DOMAIN_NAME:
      priv->domain_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_tab_class_init (LabTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lab_tab_constructed;
  object_class->dispose = lab_tab_dispose;
  object_class->finalize = lab_tab_finalize;
  object_class->get_property = lab_tab_get_property;
  object_class->set_property = lab_tab_set_property;

  properties[PROP_CONNECTION] = g_param_spec_object ("connection", NULL, NULL,
                                                     LAB_TYPE_HOST_CONNECTION, co);
  properties[PROP_DOMAIN_NAME] = g_param_spec_string ("domain-name", NULL, NULL, NULL, co);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Each tab kind's template is one box, which fills the tab. */
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  g_type_ensure (LAB_TYPE_TERMINAL);
}

static void
lab_tab_init (LabTab *self)
{
}
