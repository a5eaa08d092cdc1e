/* lab-window.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"

#include "views/lab-accessible.h"
#include "views/lab-domain-view.h"
#include "views/lab-host-row.h"
#include "views/lab-plain-text.h"

#include "lab-window-private.h"

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_VISIBLE_PAGE,
  PROP_CONNECTION,
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

  return G_LIST_MODEL (self->hosts);
}

AdwTabView *
lab_window_get_tab_view (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->tab_view;
}

LabDomainView *
lab_window_get_domain_view (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->domain_view;
}

LabHost *
lab_window_get_selected_host (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->connection ? lab_host_connection_get_host (self->connection) : NULL;
}

LabHostConnection *
lab_window_get_connection (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->connection;
}

const char *
lab_window_get_visible_page (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

/* Toasts come from lab_plain_toast_new(); what is kept is the text shown, not its markup. */
void
_lab_window_show_toast (LabWindow *self,
                        AdwToast  *toast)
{
  g_autofree char *shown = NULL;

  if (!pango_parse_markup (adw_toast_get_title (toast), -1, 0, NULL, &shown, NULL, NULL))
    g_critical ("toast title is not valid markup: %s", adw_toast_get_title (toast));
  g_free (self->last_toast);
  self->last_toast = g_steal_pointer (&shown);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
lab_window_get_last_toast (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->last_toast;
}

void
lab_window_add_toast (LabWindow  *self,
                      const char *message)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  _lab_window_show_toast (self, lab_plain_toast_new (message));
}

/* A name from dom0, a unikernel or the user, for a message: one line, bounded. The message
 * as a whole is escaped where it meets markup. */
char *
_lab_window_shown_name (const char *name)
{
  return lab_text_for_display (name != NULL ? name : "?", LAB_DISPLAY_NAME_MAX);
}

LabApplication *
_lab_window_get_lab_application (LabWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return LAB_IS_APPLICATION (app) ? LAB_APPLICATION (app) : NULL;
}

/* Where the keyboard starts on a page just shown: the welcome page's suggested action; on
 * the hosts page, the selected host (the first until one is selected), whose domains the
 * rest of the page shows. Without this, the focus is left on the page hidden, or lands on
 * the header bar's first button. */
static void
lab_window_focus_page (LabWindow  *self,
                       const char *name)
{
  if (g_strcmp0 (name, "welcome") == 0)
    gtk_widget_grab_focus (self->start_setup_button);
  else if (g_strcmp0 (name, "hosts") == 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->host_list);

      if (row == NULL)
        row = gtk_list_box_get_row_at_index (self->host_list, 0);
      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static void
lab_window_show_page (LabWindow  *self,
                      const char *name)
{
  gboolean changed = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                                name) != 0;

  gtk_stack_set_visible_child_name (self->main_stack, name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
  if (changed)
    lab_window_focus_page (self, name);
}

void
_lab_window_show_home (LabWindow *self)
{
  gboolean has_hosts = g_list_model_get_n_items (G_LIST_MODEL (self->hosts)) > 0;

  lab_window_show_page (self, has_hosts ? "hosts" : "welcome");
}

static gboolean
lab_window_transform_shown_name (GBinding     *binding,
                                 const GValue *from,
                                 GValue       *to,
                                 gpointer      user_data)
{
  g_value_take_string (to, _lab_window_shown_name (g_value_get_string (from)));
  return TRUE;
}

static gboolean
lab_window_transform_state_text (GBinding     *binding,
                                 const GValue *from,
                                 GValue       *to,
                                 gpointer      user_data)
{
  g_value_set_string (to, lab_connection_state_to_string (g_value_get_enum (from)));
  return TRUE;
}

static gboolean
lab_window_transform_state_icon (GBinding     *binding,
                                 const GValue *from,
                                 GValue       *to,
                                 gpointer      user_data)
{
  g_value_set_string (to, lab_connection_state_get_icon_name (g_value_get_enum (from)));
  return TRUE;
}

/* With no connection there is no list to be empty: the domain view says what the bar
 * says, where the domains would be, with the same Connect or Retry. */
static void
lab_window_update_offline_page (LabWindow          *self,
                                LabConnectionState  state)
{
  LabDomainView *view = self->domain_view;
  LabHost *host = lab_host_connection_get_host (self->connection);
  g_autofree char *name = _lab_window_shown_name (lab_host_get_name (host));
  g_autofree char *text = NULL;

  switch (state)
    {
    case LAB_CONNECTION_STATE_CONNECTED:
      lab_domain_view_set_offline (view, NULL, NULL, NULL);
      break;
    case LAB_CONNECTION_STATE_CONNECTING:
      text = g_strdup_printf (_("Its domains appear here once %s answers."), name);
      lab_domain_view_set_offline (view, _("Connecting…"), text, NULL);
      break;
    case LAB_CONNECTION_STATE_FAILED:
      text = g_strdup_printf (_("Mirage Lab could not connect to %s; the bar above says why. "
                                "Its domains appear here once it is connected."), name);
      lab_domain_view_set_offline (view, _("Not Connected"), text, _("_Retry"));
      break;
    case LAB_CONNECTION_STATE_DISCONNECTED:
    default:
      text = g_strdup_printf (_("Connect to %s to see its domains."), name);
      lab_domain_view_set_offline (view, _("Not Connected"), text, _("_Connect"));
      break;
    }
}

/* The bar shown when the selected host is not connected (or its polls fail), with what to
 * do about it: it says state and message at once, so it follows their notifies. */
static void
lab_window_update_connection_bar_cb (LabWindow *self)
{
  LabConnectionState state;
  const char *message;
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;

  if (self->connection == NULL)
    {
      gtk_revealer_set_reveal_child (self->connection_revealer, FALSE);
      return;
    }

  state = lab_host_connection_get_state (self->connection);
  message = lab_host_connection_get_message (self->connection);
  if (state == LAB_CONNECTION_STATE_CONNECTED)
    message = lab_host_connection_get_poll_error (self->connection);

  if (message != NULL)
    text = g_strdup_printf ("%s: %s", lab_connection_state_to_string (state), message);
  else
    text = g_strdup (lab_connection_state_to_string (state));
  /* The message can hold what the SSH server or dom0 said. */
  shown = lab_text_for_display_lines (text, LAB_DISPLAY_MESSAGE_MAX);
  gtk_label_set_label (self->connection_label, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->connect_button),
                          state == LAB_CONNECTION_STATE_DISCONNECTED
                          || state == LAB_CONNECTION_STATE_FAILED);
  gtk_button_set_label (self->connect_button, state == LAB_CONNECTION_STATE_FAILED
                                              ? _("_Retry") : _("_Connect"));
  gtk_revealer_set_reveal_child (self->connection_revealer,
                                 state != LAB_CONNECTION_STATE_CONNECTED || message != NULL);
  lab_window_update_offline_page (self, state);
}

void
_lab_window_set_connection (LabWindow         *self,
                            LabHostConnection *connection)
{
  if (!g_set_object (&self->connection, connection))
    return;

  /* Bindings and handlers move to the new connection; none is left on the old one. */
  g_binding_group_set_source (self->connection_bindings, connection);
  g_binding_group_set_source (self->host_bindings,
                              connection ? lab_host_connection_get_host (connection) : NULL);
  g_signal_group_set_target (self->connection_signals, connection);
  if (connection == NULL)
    {
      adw_window_title_set_title (self->content_title, _("Domains"));
      adw_window_title_set_subtitle (self->content_title, NULL);
    }
  lab_domain_view_set_model (self->domain_view,
                             connection ? G_LIST_MODEL (lab_host_connection_get_domains (
                                                          connection))
                                        : NULL);
  lab_window_update_connection_bar_cb (self);
  _lab_window_actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

static void
lab_window_host_selected_cb (LabWindow     *self,
                             GtkListBoxRow *row,
                             GtkListBox    *list)
{
  LabApplication *app = _lab_window_get_lab_application (self);
  LabHost *host = row ? lab_host_row_get_item (LAB_HOST_ROW (row)) : NULL;

  _lab_window_set_connection (self, host && app ? lab_application_get_connection (app, host)
                                                : NULL);
  /* Looking at a host means wanting its domains: connect, unless an attempt failed (then
   * the bar offers Retry, and nothing keeps prompting). */
  if (self->connection != NULL
      && lab_host_connection_get_state (self->connection) == LAB_CONNECTION_STATE_DISCONNECTED)
    lab_host_connection_connect (self->connection);
}

gboolean
_lab_window_select_host (LabWindow *self,
                         LabHost   *host)
{
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->host_list, i);

      if (row == NULL)
        return FALSE;
      if (lab_host_row_get_item (LAB_HOST_ROW (row)) == host)
        {
          gtk_list_box_select_row (self->host_list, row);
          return TRUE;
        }
    }
}

/* The row follows its host and the host's connection by itself. */
static GtkWidget *
lab_window_create_host_row (gpointer item,
                            gpointer user_data)
{
  LabApplication *app = _lab_window_get_lab_application (LAB_WINDOW (user_data));

  return lab_host_row_new (LAB_HOST (item),
                           app != NULL ? lab_application_get_connection (app, item) : NULL);
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
    _lab_window_show_home (self);

  if (gtk_list_box_get_selected_row (self->host_list) == NULL)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->host_list, 0);

      if (first != NULL)
        gtk_list_box_select_row (self->host_list, first);
      else
        _lab_window_set_connection (self, NULL);
    }
}

static AdwTabView *
lab_window_create_window_cb (LabWindow  *self,
                             AdwTabView *view)
{
  LabApplication *app = _lab_window_get_lab_application (self);
  LabWindow *window;

  /* Torn-off consoles get a window of their own, with the same hosts. */
  if (app == NULL)
    return NULL;
  window = lab_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  return window->tab_view;
}

static void
lab_window_domain_action (LabWindow       *self,
                          LabDomain       *domain,
                          LabDomainAction  action,
                          LabDomainView   *view)
{
  g_autofree char *message = NULL;

  if (self->connection == NULL
      || lab_host_connection_get_state (self->connection) != LAB_CONNECTION_STATE_CONNECTED)
    {
      LabHost *host = self->connection ? lab_host_connection_get_host (self->connection) : NULL;
      g_autofree char *name = _lab_window_shown_name (host ? lab_host_get_name (host) : NULL);

      message = g_strdup_printf (_("Not connected to %s"), name);
      lab_window_add_toast (self, message);
      return;
    }

  _lab_window_run_domain_action (self, domain, action);
}

static gboolean
lab_window_name_tabs_cb (gpointer data)
{
  LabWindow *self = data;

  if (self->tab_bar != NULL)
    lab_accessible_name_tabs (self->tab_bar);
  return G_SOURCE_REMOVE;
}

static void
lab_window_update_console_area (LabWindow *self)
{
  /* The console pane only takes room once a console is open. */
  gtk_widget_set_visible (self->console_area, adw_tab_view_get_n_pages (self->tab_view) > 0);
  /* Once the tab bar has made the new page's tab. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, lab_window_name_tabs_cb, g_object_ref (self),
                   g_object_unref);
}

static void
lab_window_set_hosts (LabWindow    *self,
                      LabHostStore *hosts)
{
  if (self->hosts == hosts)
    return;

  if (self->hosts != NULL)
    g_signal_handlers_disconnect_by_func (self->hosts, lab_window_hosts_changed, self);
  _lab_window_set_connection (self, NULL);
  g_set_object (&self->hosts, hosts);
  gtk_list_box_bind_model (self->host_list, G_LIST_MODEL (self->hosts),
                           lab_window_create_host_row, self, NULL);
  g_signal_connect_object (self->hosts, "items-changed",
                           G_CALLBACK (lab_window_hosts_changed), self, G_CONNECT_SWAPPED);
  lab_window_hosts_changed (self, 0, 0, 0, G_LIST_MODEL (self->hosts));
}

/* GtkWindow:application is not a construct property: it is set after constructed(), so
 * everything that comes from the application is taken when it arrives. */
static void
lab_window_application_changed (LabWindow *self)
{
  LabApplication *app = _lab_window_get_lab_application (self);
  GSettings *settings;

  _lab_window_actions_update (self);
  if (app == NULL || self->hosts == lab_application_get_host_store (app))
    return;

  settings = lab_application_get_settings (app);
  if (settings != NULL)
    {
      g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
    }

  /* Loaded by GtkApplication when the window joined it. */
  if (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) != NULL)
    lab_accessible_name_shortcuts_window (
      gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)));
  lab_window_set_hosts (self, lab_application_get_host_store (app));
  if (lab_application_get_load_error (app) != NULL)
    lab_window_add_toast (self, lab_application_get_load_error (app));
  _lab_window_show_home (self);
}

static void
lab_window_constructed (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  G_OBJECT_CLASS (lab_window_parent_class)->constructed (object);

  /* Until an application brings its hosts (and for windows without one, in tests). */
  {
    g_autoptr(LabHostStore) standalone = lab_host_store_new (NULL);

    lab_window_set_hosts (self, standalone);
  }
  g_signal_connect (self, "notify::application", G_CALLBACK (lab_window_application_changed),
                    NULL);
  lab_window_application_changed (self);
  _lab_window_show_home (self);
  lab_window_focus_page (self, gtk_stack_get_visible_child_name (self->main_stack));
}

static void
lab_window_dispose (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  if (self->connection_signals != NULL)
    _lab_window_set_connection (self, NULL);
  g_clear_object (&self->connection_bindings);
  g_clear_object (&self->host_bindings);
  g_clear_object (&self->connection_signals);
  if (self->host_list != NULL)
    gtk_list_box_bind_model (self->host_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_WINDOW);
  g_clear_object (&self->hosts);
  g_clear_pointer (&self->last_toast, g_free);

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
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, lab_window_get_visible_page (self));
      break;

    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LabWindow *self = LAB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      _lab_window_set_connection (self, g_value_get_object (value));
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
  object_class->set_property = lab_window_set_property;

  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, LAB_TYPE_HOST_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAB_TYPE_DOMAIN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/lab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, start_setup_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, placeholder_page);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, host_list);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, domain_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, connection_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, console_area);
  gtk_widget_class_bind_template_callback (widget_class, lab_window_domain_action);

  _lab_window_class_actions_init (widget_class);
}

static void
lab_window_init (LabWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _lab_window_actions_update (self);

  /* What follows the connection property: the title says the host and its state, the bar
   * what is wrong, the actions what can be done; domain-ended toasts come from it alone. */
  self->host_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->host_bindings, "name", self->content_title, "title",
                             G_BINDING_SYNC_CREATE, lab_window_transform_shown_name,
                             NULL, NULL, NULL);
  self->connection_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->connection_bindings, "state", self->content_title,
                             "subtitle", G_BINDING_SYNC_CREATE, lab_window_transform_state_text,
                             NULL, NULL, NULL);
  g_binding_group_bind_full (self->connection_bindings, "state", self->connection_icon,
                             "icon-name", G_BINDING_SYNC_CREATE,
                             lab_window_transform_state_icon, NULL, NULL, NULL);
  self->connection_signals = g_signal_group_new (LAB_TYPE_HOST_CONNECTION);
  g_signal_group_connect_object (self->connection_signals, "notify::state",
                                 G_CALLBACK (lab_window_update_connection_bar_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::message",
                                 G_CALLBACK (lab_window_update_connection_bar_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::poll-error",
                                 G_CALLBACK (lab_window_update_connection_bar_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::state",
                                 G_CALLBACK (_lab_window_actions_update), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "domain-ended",
                                 G_CALLBACK (_lab_window_domain_ended), self,
                                 G_CONNECT_SWAPPED);

  g_signal_connect_object (self->host_list, "row-selected",
                           G_CALLBACK (lab_window_host_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "create-window",
                           G_CALLBACK (lab_window_create_window_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "notify::n-pages",
                           G_CALLBACK (lab_window_update_console_area), self, G_CONNECT_SWAPPED);
  lab_window_update_console_area (self);
}
