/* lab-window.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-window.h"

struct _LabWindow
{
  AdwApplicationWindow  parent_instance;

  /* The saved dom0 hosts. Until the host store lands this is an empty list,
   * which is exactly the first-run state the welcome page is for. */
  GListModel           *hosts;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *placeholder_page;
  GtkListBox           *host_list;
  AdwTabView           *tab_view;
  GtkWidget            *console_area;
};

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_HOSTS,
  PROP_VISIBLE_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

LabWindow *
lab_window_new (LabApplication *application)
{
  return g_object_new (LAB_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

GListModel *
lab_window_get_hosts (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->hosts;
}

AdwTabView *
lab_window_get_tab_view (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->tab_view;
}

const char *
lab_window_get_visible_page (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

void
lab_window_add_toast (LabWindow  *self,
                      const char *message)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
lab_window_show_page (LabWindow  *self,
                      const char *name)
{
  gtk_stack_set_visible_child_name (self->main_stack, name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

static void
lab_window_show_home (LabWindow *self)
{
  gboolean has_hosts = g_list_model_get_n_items (self->hosts) > 0;

  lab_window_show_page (self, has_hosts ? "hosts" : "welcome");
}

static void
lab_window_hosts_changed (LabWindow  *self,
                          guint       position,
                          guint       removed,
                          guint       added,
                          GListModel *model)
{
  const char *page = gtk_stack_get_visible_child_name (self->main_stack);

  /* Only move between the two home pages; a page the user opened stays. */
  if (g_strcmp0 (page, "welcome") == 0 || g_strcmp0 (page, "hosts") == 0)
    lab_window_show_home (self);
}

static void
lab_window_show_placeholder (LabWindow  *self,
                             const char *icon_name,
                             const char *title,
                             const char *description)
{
  adw_status_page_set_icon_name (self->placeholder_page, icon_name);
  adw_status_page_set_title (self->placeholder_page, title);
  adw_status_page_set_description (self->placeholder_page, description);
  lab_window_show_page (self, "placeholder");
}

static void
lab_window_start_setup_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);

  lab_window_show_placeholder (self,
                               "system-run-symbolic",
                               _("Guided Setup"),
                               _("The guided setup will walk you through VirtualBox, Xen, "
                                 "the bridge and DHCP network, opam and Mirage, "
                                 "and your first unikernel. It is not available yet "
                                 "in this version."));
}

static void
lab_window_add_host_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);

  lab_window_show_placeholder (self,
                               "network-server-symbolic",
                               _("Add an Existing Host"),
                               _("Connecting to a Xen dom0 you already have over SSH "
                                 "is not available yet in this version."));
}

static void
lab_window_go_home_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  lab_window_show_home (LAB_WINDOW (widget));
}

static void
lab_window_update_console_area (LabWindow *self)
{
  /* The console pane only takes room once a console is open. */
  gtk_widget_set_visible (self->console_area, adw_tab_view_get_n_pages (self->tab_view) > 0);
}

static void
lab_window_constructed (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);
  LabApplication *app;

  G_OBJECT_CLASS (lab_window_parent_class)->constructed (object);

  app = LAB_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (app != NULL && lab_application_get_settings (app) != NULL)
    {
      GSettings *settings = lab_application_get_settings (app);

      g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
    }

  lab_window_show_home (self);
}

static void
lab_window_dispose (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_WINDOW);
  g_clear_object (&self->hosts);

  G_OBJECT_CLASS (lab_window_parent_class)->dispose (object);
}

static void
lab_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LabWindow *self = LAB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_HOSTS:
      g_value_set_object (value, self->hosts);
      break;

    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, lab_window_get_visible_page (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_window_class_init (LabWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lab_window_constructed;
  object_class->dispose = lab_window_dispose;
  object_class->get_property = lab_window_get_property;

  properties[PROP_HOSTS] =
    g_param_spec_object ("hosts", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/lab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, placeholder_page);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, host_list);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, console_area);

  gtk_widget_class_install_action (widget_class, "win.start-setup", NULL,
                                   lab_window_start_setup_action);
  gtk_widget_class_install_action (widget_class, "win.add-host", NULL,
                                   lab_window_add_host_action);
  gtk_widget_class_install_action (widget_class, "win.go-home", NULL,
                                   lab_window_go_home_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-host", NULL);
}

static void
lab_window_init (LabWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->hosts = G_LIST_MODEL (g_list_store_new (G_TYPE_OBJECT));
  g_signal_connect_object (self->hosts, "items-changed",
                           G_CALLBACK (lab_window_hosts_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->tab_view, "notify::n-pages",
                           G_CALLBACK (lab_window_update_console_area), self, G_CONNECT_SWAPPED);
  lab_window_update_console_area (self);
}
