/* lab-window.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-display-text.h"

#include "views/lab-build-tab.h"
#include "views/lab-check-window.h"
#include "views/lab-console-tab.h"
#include "views/lab-domain-toasts.h"
#include "views/lab-domain-view.h"
#include "views/lab-host-dialog.h"
#include "views/lab-output-window.h"
#include "views/lab-plain-text.h"
#include "views/lab-setup-window.h"

#include "lab-window.h"

struct _LabWindow
{
  AdwApplicationWindow  parent_instance;

  LabHostStore         *hosts;
  LabHostConnection    *connection;   /* of the selected host */
  char                 *last_toast;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *placeholder_page;
  GtkListBox           *host_list;
  AdwWindowTitle       *content_title;
  LabDomainView        *domain_view;
  GtkRevealer          *connection_revealer;
  GtkImage             *connection_icon;
  GtkLabel             *connection_label;
  GtkButton            *connect_button;
  AdwTabView           *tab_view;
  GtkWidget            *console_area;
};

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
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

const char *
lab_window_get_visible_page (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

/* Toasts come from lab_plain_toast_new(); what is kept is the text shown, not its markup. */
static void
lab_window_show_toast (LabWindow *self,
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

  lab_window_show_toast (self, lab_plain_toast_new (message));
}

/* A name from dom0, a unikernel or the user, for a message: one line, bounded. The message
 * as a whole is escaped where it meets markup. */
static char *
shown_name (const char *name)
{
  return lab_text_for_display (name != NULL ? name : "?", LAB_DISPLAY_NAME_MAX);
}

static LabApplication *
lab_window_get_lab_application (LabWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return LAB_IS_APPLICATION (app) ? LAB_APPLICATION (app) : NULL;
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
  gboolean has_hosts = g_list_model_get_n_items (G_LIST_MODEL (self->hosts)) > 0;

  lab_window_show_page (self, has_hosts ? "hosts" : "welcome");
}

/* Connection state of the selected host: title subtitle, and a bar when it is not
 * connected, with what to do about it. */
static void
lab_window_update_connection (LabWindow *self)
{
  LabConnectionState state;
  const char *message;
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *name = NULL;
  LabHost *host;

  if (self->connection == NULL)
    {
      adw_window_title_set_title (self->content_title, _("Domains"));
      adw_window_title_set_subtitle (self->content_title, NULL);
      gtk_revealer_set_reveal_child (self->connection_revealer, FALSE);
      return;
    }

  host = lab_host_connection_get_host (self->connection);
  state = lab_host_connection_get_state (self->connection);
  message = lab_host_connection_get_message (self->connection);
  if (state == LAB_CONNECTION_STATE_CONNECTED)
    message = lab_host_connection_get_poll_error (self->connection);

  name = shown_name (lab_host_get_name (host));
  adw_window_title_set_title (self->content_title, name);
  adw_window_title_set_subtitle (self->content_title, lab_connection_state_to_string (state));

  gtk_image_set_from_icon_name (self->connection_icon, lab_connection_state_get_icon_name (state));
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
}

static void lab_window_domain_ended (LabWindow         *self,
                                     LabDomain         *domain,
                                     LabHostConnection *connection);

static void
lab_window_set_connection (LabWindow         *self,
                           LabHostConnection *connection)
{
  if (self->connection == connection)
    return;

  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->connection, lab_window_update_connection, self);
      g_signal_handlers_disconnect_by_func (self->connection, lab_window_domain_ended, self);
      g_signal_handlers_disconnect_by_func (lab_host_connection_get_host (self->connection),
                                            lab_window_update_connection, self);
    }
  g_set_object (&self->connection, connection);

  if (connection != NULL)
    {
      g_signal_connect_object (connection, "notify::state",
                               G_CALLBACK (lab_window_update_connection), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (connection, "notify::message",
                               G_CALLBACK (lab_window_update_connection), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (lab_host_connection_get_host (connection), "notify::name",
                               G_CALLBACK (lab_window_update_connection), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (connection, "notify::poll-error",
                               G_CALLBACK (lab_window_update_connection), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (connection, "domain-ended",
                               G_CALLBACK (lab_window_domain_ended), self, G_CONNECT_SWAPPED);
      lab_domain_view_set_model (self->domain_view,
                                 G_LIST_MODEL (lab_host_connection_get_domains (connection)));
    }
  else
    lab_domain_view_set_model (self->domain_view, NULL);

  lab_window_update_connection (self);
}

static void
lab_window_host_selected (LabWindow     *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  LabApplication *app = lab_window_get_lab_application (self);
  LabHost *host = row ? g_object_get_data (G_OBJECT (row), "lab-host") : NULL;

  lab_window_set_connection (self, host && app ? lab_application_get_connection (app, host)
                                               : NULL);
  /* Looking at a host means wanting its domains: connect, unless an attempt failed (then
   * the bar offers Retry, and nothing keeps prompting). */
  if (self->connection != NULL
      && lab_host_connection_get_state (self->connection) == LAB_CONNECTION_STATE_DISCONNECTED)
    lab_host_connection_connect (self->connection);
}

static gboolean
lab_window_select_host (LabWindow *self,
                        LabHost   *host)
{
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->host_list, i);

      if (row == NULL)
        return FALSE;
      if (g_object_get_data (G_OBJECT (row), "lab-host") == host)
        {
          gtk_list_box_select_row (self->host_list, row);
          return TRUE;
        }
    }
}

static void
update_host_row (GtkWidget *row,
                 GParamSpec *pspec,
                 LabHost   *host)
{
  g_autofree char *address = lab_host_dup_display_address (host);
  g_autofree char *title = shown_name (lab_host_get_name (host));
  g_autofree char *subtitle = lab_text_for_display (address, LAB_DISPLAY_NAME_MAX);

  /* Plain text: the row is made with use-markup off. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

static gboolean
transform_state_icon (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_string (to, lab_connection_state_get_icon_name (g_value_get_enum (from)));
  return TRUE;
}

static gboolean
transform_state_tooltip (GBinding     *binding,
                         const GValue *from,
                         GValue       *to,
                         gpointer      user_data)
{
  g_value_set_string (to, lab_connection_state_to_string (g_value_get_enum (from)));
  return TRUE;
}

static GtkWidget *
lab_window_create_host_row (gpointer item,
                            gpointer user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  LabHost *host = LAB_HOST (item);
  LabApplication *app = lab_window_get_lab_application (self);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state_icon = gtk_image_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) edit = g_menu_item_new (_("_Edit…"), NULL);
  g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Remove…"), NULL);
  g_autoptr(GMenuItem) check = g_menu_item_new (_("_Check Host…"), NULL);
  g_autofree char *address = NULL;

  g_object_set_data_full (G_OBJECT (row), "lab-host", g_object_ref (host), g_object_unref);
  /* Rows read titles and subtitles as markup unless told not to; a host's name is the
   * user's own text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Long names and addresses ellipsize instead of wrapping mid-address. */
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  address = lab_text_for_display (lab_host_get_address (host), LAB_DISPLAY_NAME_MAX);
  gtk_widget_set_tooltip_text (row, address);

  if (app != NULL)
    {
      LabHostConnection *connection = lab_application_get_connection (app, host);

      g_object_bind_property_full (connection, "state", state_icon, "icon-name",
                                   G_BINDING_SYNC_CREATE, transform_state_icon, NULL, NULL, NULL);
      g_object_bind_property_full (connection, "state", state_icon, "tooltip-text",
                                   G_BINDING_SYNC_CREATE, transform_state_tooltip,
                                   NULL, NULL, NULL);
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), state_icon);

  g_menu_item_set_action_and_target_value (edit, "win.edit-host",
                                           g_variant_new_string (lab_host_get_id (host)));
  g_menu_item_set_action_and_target_value (remove, "win.remove-host",
                                           g_variant_new_string (lab_host_get_id (host)));
  g_menu_item_set_action_and_target_value (check, "win.check-host",
                                           g_variant_new_string (lab_host_get_id (host)));
  g_menu_append_item (menu, check);
  g_menu_append_item (menu, edit);
  g_menu_append_item (menu, remove);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Host Menu"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);

  update_host_row (row, NULL, host);
  g_signal_connect_object (host, "notify", G_CALLBACK (update_host_row), row, G_CONNECT_SWAPPED);

  return row;
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

  if (gtk_list_box_get_selected_row (self->host_list) == NULL)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->host_list, 0);

      if (first != NULL)
        gtk_list_box_select_row (self->host_list, first);
      else
        lab_window_set_connection (self, NULL);
    }
}

static void lab_window_run_domain_action (LabWindow       *self,
                                          LabDomain       *domain,
                                          LabDomainAction  action);

/* The wizard's last step: the unikernel it built starts here, as if chosen from the list,
 * once the host's list shows its config. */
typedef struct
{
  LabWindow *self;
  LabHostConnection *connection;
  char *name;
  gulong changed_id;
  guint timeout_id;
} PendingStart;

static void
pending_start_free (PendingStart *pending)
{
  g_clear_signal_handler (&pending->changed_id,
                          lab_host_connection_get_domains (pending->connection));
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  g_object_unref (pending->self);
  g_object_unref (pending->connection);
  g_free (pending->name);
  g_free (pending);
}

static gboolean
pending_start_try (PendingStart *pending)
{
  LabDomain *domain = lab_domain_store_lookup (lab_host_connection_get_domains (
                                                 pending->connection), pending->name);

  if (domain == NULL)
    return FALSE;
  if (pending->self->connection != pending->connection)
    return TRUE;    /* another host is shown now: the user went elsewhere */
  if (lab_domain_get_running (domain))
    {
      g_autofree char *name = shown_name (pending->name);
      g_autofree char *message = g_strdup_printf (_("%s is running already"), name);

      lab_window_add_toast (pending->self, message);
      return TRUE;
    }
  lab_window_run_domain_action (pending->self, domain, LAB_DOMAIN_ACTION_START_WITH_CONSOLE);
  return TRUE;
}

static void
pending_start_changed (PendingStart *pending)
{
  if (pending_start_try (pending))
    pending_start_free (pending);
}

static gboolean
pending_start_timeout (gpointer user_data)
{
  PendingStart *pending = user_data;
  g_autofree char *name = shown_name (pending->name);
  g_autofree char *message = g_strdup_printf (_("%s did not appear in the host’s list"), name);

  pending->timeout_id = 0;
  lab_window_add_toast (pending->self, message);
  pending_start_free (pending);
  return G_SOURCE_REMOVE;
}

static void
setup_start_unikernel (LabWindow      *self,
                       const char     *address,
                       guint           port,
                       const char     *user,
                       const char     *config,
                       LabSetupWindow *setup)
{
  LabApplication *app = lab_window_get_lab_application (self);
  g_autoptr(LabHost) host = NULL;
  g_autofree char *folder = g_path_get_dirname (config);
  g_autofree char *base = g_path_get_basename (config);
  g_autoptr(GStrvBuilder) folders = g_strv_builder_new ();
  g_auto(GStrv) new_folders = NULL;
  gboolean has_folder = FALSE;
  PendingStart *pending;

  /* The wizard saves no port when it is SSH's own. */
  if (port == 0)
    port = LAB_HOST_DEFAULT_PORT;
  /* The host the wizard set up: the one already listed with that address, or a new one. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->hosts)); i++)
    {
      g_autoptr(LabHost) item = g_list_model_get_item (G_LIST_MODEL (self->hosts), i);

      if (g_strcmp0 (lab_host_get_address (item), address) == 0
          && g_strcmp0 (lab_host_get_user (item), user) == 0
          && lab_host_get_port (item) == port)
        {
          host = g_steal_pointer (&item);
          break;
        }
    }
  if (host == NULL)
    {
      host = lab_host_new (address, address);
      lab_host_set_user (host, user);
      lab_host_set_port (host, port);
      lab_host_store_add (self->hosts, host);
    }
  for (const char * const *f = lab_host_get_config_folders (host); f != NULL && *f; f++)
    {
      g_strv_builder_add (folders, *f);
      has_folder |= g_strcmp0 (*f, folder) == 0;
    }
  if (!has_folder)
    {
      g_strv_builder_add (folders, folder);
      new_folders = g_strv_builder_end (folders);
      lab_host_set_config_folders (host, (const char * const *) new_folders);
    }

  lab_window_show_home (self);
  lab_window_select_host (self, host);
  gtk_window_present (GTK_WINDOW (self));
  if (app == NULL || self->connection == NULL)
    return;
  pending = g_new0 (PendingStart, 1);
  pending->self = g_object_ref (self);
  pending->connection = g_object_ref (self->connection);
  pending->name = g_str_has_suffix (base, ".xl") ? g_strndup (base, strlen (base) - 3)
                                                 : g_strdup (base);
  if (pending_start_try (pending))
    {
      pending_start_free (pending);
      return;
    }
  pending->changed_id = g_signal_connect_swapped (lab_host_connection_get_domains (
                                                    self->connection), "items-changed",
                                                  G_CALLBACK (pending_start_changed), pending);
  lab_host_connection_poll_now (self->connection);
  pending->timeout_id = g_timeout_add_seconds (120, pending_start_timeout, pending);
}

static void
lab_window_start_setup_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  LabSetupWindow *setup = lab_setup_window_new (GTK_WINDOW (widget), NULL);

  g_signal_connect_object (setup, "start-unikernel", G_CALLBACK (setup_start_unikernel),
                           widget, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (setup));
}

static void
host_dialog_saved (LabWindow     *self,
                   LabHost       *host,
                   LabHostDialog *dialog)
{
  if (lab_host_store_lookup (self->hosts, lab_host_get_id (host)) == NULL)
    lab_host_store_add (self->hosts, host);

  lab_window_show_home (self);
  lab_window_select_host (self, host);
}

static LabHostDialog *
lab_window_open_host_dialog (LabWindow *self,
                             LabHost   *host)
{
  LabHostDialog *dialog = lab_host_dialog_new (GTK_WINDOW (self), host);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (host_dialog_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
lab_window_add_host_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  lab_window_open_host_dialog (LAB_WINDOW (widget), NULL);
}

static void
lab_window_edit_host_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabHost *host = lab_host_store_lookup (self->hosts, g_variant_get_string (parameter, NULL));

  if (host != NULL)
    lab_window_open_host_dialog (self, host);
}

static void
lab_window_check_host_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabApplication *app = lab_window_get_lab_application (self);
  LabHost *host = lab_host_store_lookup (self->hosts, g_variant_get_string (parameter, NULL));
  LabCheckWindow *check;

  if (host == NULL || app == NULL)
    return;
  check = lab_check_window_new (GTK_WINDOW (self), lab_application_get_connection (app, host));
  gtk_window_present (GTK_WINDOW (check));
}

static void
remove_host_response (AdwMessageDialog *dialog,
                      const char       *response,
                      LabWindow        *self)
{
  LabHost *host = g_object_get_data (G_OBJECT (dialog), "lab-host");

  if (g_strcmp0 (response, "remove") != 0 || host == NULL)
    return;

  if (self->connection != NULL && lab_host_connection_get_host (self->connection) == host)
    lab_window_set_connection (self, NULL);
  lab_host_store_remove (self->hosts, host);
}

static void
lab_window_remove_host_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabHost *host = lab_host_store_lookup (self->hosts, g_variant_get_string (parameter, NULL));
  GtkWidget *dialog;
  g_autofree char *name = NULL;

  if (host == NULL)
    return;

  name = shown_name (lab_host_get_name (host));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove Host?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” is removed from Mirage Lab. Nothing on the host "
                                    "changes, and its domains keep running."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "lab-host", g_object_ref (host), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_host_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lab_window_connect_host_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (self->connection != NULL)
    lab_host_connection_connect (self->connection);
}

static void
lab_window_go_home_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  lab_window_show_home (LAB_WINDOW (widget));
}

/* ---- consoles ----------------------------------------------------------------------- */

static LabConsoleTab *
lab_window_find_console (LabWindow         *self,
                         LabHostConnection *connection,
                         const char        *domain_name)
{
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);
      GtkWidget *child = adw_tab_page_get_child (page);

      if (LAB_IS_CONSOLE_TAB (child)
          && lab_console_tab_get_connection (LAB_CONSOLE_TAB (child)) == connection
          && g_strcmp0 (lab_console_tab_get_domain_name (LAB_CONSOLE_TAB (child)),
                        domain_name) == 0)
        return LAB_CONSOLE_TAB (child);
    }
  return NULL;
}

static void
update_tab_page (AdwTabPage    *page,
                 GParamSpec    *pspec,
                 LabConsoleTab *tab)
{
  LabConsoleStatus status = lab_console_tab_get_status (tab);
  const char *icon = NULL;
  const char *words = NULL;
  g_autofree char *tooltip = NULL;
  g_autoptr(GIcon) gicon = NULL;

  switch (status)
    {
    case LAB_CONSOLE_STATUS_CONNECTING:
      words = _("attaching");
      break;
    case LAB_CONSOLE_STATUS_LIVE:
      words = _("live");
      break;
    case LAB_CONSOLE_STATUS_DETACHED:
      icon = "network-offline-symbolic";
      words = _("detached");
      break;
    case LAB_CONSOLE_STATUS_DOMAIN_GONE:
      icon = "system-shutdown-symbolic";
      words = _("domain stopped");
      break;
    case LAB_CONSOLE_STATUS_FAILED:
      icon = "dialog-error-symbolic";
      words = _("failed");
      break;
    default:
      g_assert_not_reached ();
    }

  adw_tab_page_set_loading (page, status == LAB_CONSOLE_STATUS_CONNECTING);
  if (icon != NULL)
    gicon = g_themed_icon_new (icon);
  adw_tab_page_set_indicator_icon (page, gicon);
  tooltip = g_strdup_printf ("%s (%s)", lab_console_tab_get_title (tab), words);
  lab_plain_set_tab_tooltip (page, tooltip);
}

static LabConsoleTab *
lab_window_add_console (LabWindow         *self,
                        LabHostConnection *connection,
                        const char        *domain_name)
{
  LabConsoleTab *tab = lab_console_tab_new (connection, domain_name);
  LabApplication *app = lab_window_get_lab_application (self);
  AdwTabPage *page;

  if (app != NULL && lab_application_get_settings (app) != NULL)
    lab_terminal_set_settings (lab_console_tab_get_terminal (tab),
                               lab_application_get_settings (app));
  page = adw_tab_view_append (self->tab_view, GTK_WIDGET (tab));
  adw_tab_page_set_title (page, lab_console_tab_get_title (tab));
  g_signal_connect_object (tab, "notify::status", G_CALLBACK (update_tab_page), page,
                           G_CONNECT_SWAPPED);
  update_tab_page (page, NULL, tab);
  adw_tab_view_set_selected_page (self->tab_view, page);
  return tab;
}

/* Opens (or shows) the console of @domain; with @config_path the domain is created paused,
 * the console attached, then the domain unpaused, so nothing of its boot is missed. */
static void
lab_window_open_console (LabWindow  *self,
                         LabDomain  *domain,
                         const char *config_path)
{
  const char *name = lab_domain_get_name (domain);
  LabConsoleTab *tab = lab_window_find_console (self, self->connection, name);

  if (tab == NULL)
    tab = lab_window_add_console (self, self->connection, name);
  else
    adw_tab_view_set_selected_page (self->tab_view,
                                    adw_tab_view_get_page (self->tab_view, GTK_WIDGET (tab)));

  if (config_path != NULL)
    lab_console_tab_create_and_attach (tab, config_path);
  else if (lab_console_tab_get_status (tab) != LAB_CONSOLE_STATUS_LIVE
           && lab_console_tab_get_status (tab) != LAB_CONSOLE_STATUS_CONNECTING)
    lab_console_tab_attach (tab);
  gtk_widget_grab_focus (GTK_WIDGET (lab_console_tab_get_terminal (tab)));
}

static AdwTabView *
lab_window_create_window (LabWindow  *self,
                          AdwTabView *view)
{
  LabApplication *app = lab_window_get_lab_application (self);
  LabWindow *window;

  /* Torn-off consoles get a window of their own, with the same hosts. */
  if (app == NULL)
    return NULL;
  window = lab_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  return window->tab_view;
}

/* ---- domain actions ----------------------------------------------------------------- */

typedef gboolean (*LabDomainReady) (LabDomain *domain);

typedef struct
{
  LabWindow       *self;
  LabDomain       *domain;
  LabDomainAction  action;
  LabDomainReady   ready;      /* run_when_ready: whether the action may run now */
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->domain);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, action_data_free)

static void
action_data_closure_free (gpointer  data,
                          GClosure *closure)
{
  action_data_free (data);
}

static void lab_window_run_domain_action (LabWindow       *self,
                                          LabDomain       *domain,
                                          LabDomainAction  action);

static void
ready_changed (LabDomain  *domain,
               GParamSpec *pspec,
               ActionData *data)
{
  if (!data->ready (domain))
    return;
  /* Once: the handler goes (and frees @data) before the action runs. */
  g_object_ref (data->self);
  {
    g_autoptr(LabWindow) self = data->self;
    LabDomainAction action = data->action;

    g_signal_handlers_disconnect_by_func (domain, ready_changed, data);
    lab_window_run_domain_action (self, domain, action);
  }
}

/* Runs @data's action on its domain once @property changes and @ready says it may (the
 * domain list updates domains in place, after a poll). Takes @data. */
static void
run_when_ready (ActionData     *data,
                const char     *property,
                LabDomainReady  ready)
{
  g_autofree char *signal = g_strconcat ("notify::", property, NULL);

  data->ready = ready;
  g_signal_connect_data (data->domain, signal, G_CALLBACK (ready_changed), data,
                         action_data_closure_free, 0);
}

static gboolean
config_is_fixed (LabDomain *domain)
{
  LabXlConfig *config = lab_domain_get_config (domain);

  return config != NULL && !lab_xl_config_has_legacy_builder (config);
}

static gboolean
is_stopped (LabDomain *domain)
{
  return !lab_domain_get_running (domain);
}

static void
legacy_fixed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *message = NULL;

  backup = lab_host_connection_fix_legacy_config_finish (LAB_HOST_CONNECTION (source), result,
                                                         &error);
  if (backup == NULL)
    {
      message = g_strdup_printf (_("Could not fix the configuration: %s"), error->message);
      lab_window_add_toast (data->self, message);
      return;
    }

  message = g_strdup_printf (_("Configuration fixed; the original is kept as %s"), backup);
  lab_window_add_toast (data->self, message);
  /* The fixed text reaches the domain with the poll the fix asked for (the store updates
   * the domain's config in place); the start waits for it, so it uses the new config. */
  run_when_ready (g_steal_pointer (&data), "config", config_is_fixed);
}

static void
legacy_response (AdwMessageDialog *dialog,
                 const char       *response,
                 ActionData       *data)
{
  if (g_strcmp0 (response, "fix") == 0)
    {
      ActionData *copy = g_new0 (ActionData, 1);

      copy->self = g_object_ref (data->self);
      copy->domain = g_object_ref (data->domain);
      copy->action = data->action;
      lab_host_connection_fix_legacy_config_async (data->self->connection, data->domain, NULL,
                                                   legacy_fixed_cb, copy);
    }
}

static void
lab_window_offer_legacy_fix (LabWindow       *self,
                             LabDomain       *domain,
                             LabDomainAction  action,
                             const char      *explanation)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                              _("Old-Style Configuration"), NULL);
  ActionData *data = g_new0 (ActionData, 1);
  /* What the config parser said, quoting the file: plain text, bounded. */
  g_autofree char *shown = lab_text_for_display_lines (explanation, LAB_DISPLAY_MESSAGE_MAX);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s\n\nMirage Lab can make this change for you. A backup "
                                    "of the file is kept next to it."), shown);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "fix", _("_Fix and Start"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "fix",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "fix");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  data->self = g_object_ref (self);
  data->domain = g_object_ref (domain);
  data->action = action;
  g_signal_connect_data (dialog, "response", G_CALLBACK (legacy_response), data,
                         action_data_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- rebuild and restart ------------------------------------------------------------ */

static LabBuildTab *
lab_window_find_build (LabWindow         *self,
                       LabHostConnection *connection,
                       const char        *domain_name)
{
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));

      if (LAB_IS_BUILD_TAB (child)
          && lab_build_tab_get_connection (LAB_BUILD_TAB (child)) == connection
          && g_strcmp0 (lab_build_tab_get_domain_name (LAB_BUILD_TAB (child)),
                        domain_name) == 0)
        return LAB_BUILD_TAB (child);
    }
  return NULL;
}

static void
update_build_page (AdwTabPage  *page,
                   GParamSpec  *pspec,
                   LabBuildTab *tab)
{
  LabBuildStatus status = lab_build_tab_get_status (tab);
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *tooltip = NULL;

  adw_tab_page_set_loading (page, status == LAB_BUILD_STATUS_LOCATING
                                  || status == LAB_BUILD_STATUS_RUNNING);
  if (status == LAB_BUILD_STATUS_FAILED)
    icon = g_themed_icon_new ("dialog-error-symbolic");
  adw_tab_page_set_indicator_icon (page, icon);
  tooltip = g_strdup_printf ("%s\n%s", lab_build_tab_get_title (tab),
                             lab_build_tab_get_message (tab) ? lab_build_tab_get_message (tab)
                                                             : "");
  lab_plain_set_tab_tooltip (page, tooltip);
}

static void
restart_destroyed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;

  lab_domain_set_busy (data->domain, FALSE);
  if (!lab_host_connection_run_action_finish (LAB_HOST_CONNECTION (source), result, &error))
    {
      g_autofree char *name = shown_name (lab_domain_get_name (data->domain));
      g_autofree char *message = g_strdup_printf (_("Could not stop %s to restart it: %s"),
                                                  name, error->message);

      lab_window_add_toast (data->self, message);
      return;
    }
  /* The start waits until the list no longer shows the old domain running (the same
   * name cannot be created twice); the poll asked for now tells. */
  if (lab_domain_get_running (data->domain))
    {
      data->action = LAB_DOMAIN_ACTION_START_WITH_CONSOLE;
      run_when_ready (g_steal_pointer (&data), "running", is_stopped);
      lab_host_connection_poll_now (LAB_HOST_CONNECTION (source));
      return;
    }
  lab_window_run_domain_action (data->self, data->domain,
                                LAB_DOMAIN_ACTION_START_WITH_CONSOLE);
}

/* The build succeeded: the old domain goes, the new image starts with its console. */
static void
build_finished (LabBuildTab *tab,
                gboolean     success,
                LabWindow   *self)
{
  LabHostConnection *connection = lab_build_tab_get_connection (tab);
  const char *name = lab_build_tab_get_domain_name (tab);
  LabDomain *domain;
  g_autofree char *message = NULL;

  if (!success)
    {
      if (lab_build_tab_get_status (tab) == LAB_BUILD_STATUS_FAILED)
        {
          g_autofree char *shown = shown_name (name);

          message = g_strdup_printf (_("Build of %s failed"), shown);
          lab_window_add_toast (self, message);
        }
      return;
    }
  if (connection != self->connection)
    return;   /* the window shows another host now: nothing to restart here */
  domain = lab_domain_store_lookup (lab_host_connection_get_domains (connection), name);
  if (domain == NULL)
    return;

  if (lab_domain_get_running (domain))
    {
      ActionData *data = g_new0 (ActionData, 1);

      data->self = g_object_ref (self);
      data->domain = g_object_ref (domain);
      data->action = LAB_DOMAIN_ACTION_DESTROY;
      lab_host_connection_expect_end (connection, name);
      lab_domain_set_busy (domain, TRUE);
      lab_host_connection_run_action_async (connection, domain, LAB_DOMAIN_ACTION_DESTROY,
                                            NULL, restart_destroyed_cb, data);
    }
  else
    lab_window_run_domain_action (self, domain, LAB_DOMAIN_ACTION_START_WITH_CONSOLE);
}

/* Rebuild and Restart: the build in a tab of its own, then a fresh start of the domain. */
static void
lab_window_rebuild (LabWindow *self,
                    LabDomain *domain)
{
  const char *name = lab_domain_get_name (domain);
  LabBuildTab *tab = lab_window_find_build (self, self->connection, name);
  AdwTabPage *page;

  if (tab == NULL)
    {
      LabApplication *app = lab_window_get_lab_application (self);

      tab = lab_build_tab_new (self->connection, name, lab_domain_get_config_path (domain));
      if (app != NULL && lab_application_get_settings (app) != NULL)
        lab_terminal_set_settings (lab_build_tab_get_terminal (tab),
                                   lab_application_get_settings (app));
      page = adw_tab_view_append (self->tab_view, GTK_WIDGET (tab));
      adw_tab_page_set_title (page, lab_build_tab_get_title (tab));
      g_signal_connect_object (tab, "notify::status", G_CALLBACK (update_build_page), page,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (tab, "notify::message", G_CALLBACK (update_build_page), page,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (tab, "finished", G_CALLBACK (build_finished), self, 0);
    }
  else
    page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (tab));

  adw_tab_view_set_selected_page (self->tab_view, page);
  lab_build_tab_start (tab);
}

static void
action_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  LabWindow *self = data->self;
  g_autoptr(GError) error = NULL;

  lab_domain_set_busy (data->domain, FALSE);

  if (!lab_host_connection_run_action_finish (LAB_HOST_CONNECTION (source), result, &error))
    {
      if (g_error_matches (error, LAB_XL_ERROR, LAB_XL_ERROR_LEGACY_CONFIG))
        {
          lab_window_offer_legacy_fix (self, data->domain, data->action, error->message);
          return;
        }
      lab_window_show_toast (self, lab_domain_toast_new_failed (data->domain, error->message));
      return;
    }

  if (data->action == LAB_DOMAIN_ACTION_SHUTDOWN)
    lab_window_show_toast (self, lab_domain_toast_new_shutdown_asked (data->domain));
}

static void
browser_launched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LabWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the browser: %s"),
                                                  error->message);

      lab_window_add_toast (self, message);
    }
}

static void
lab_window_open_in_browser (LabWindow *self,
                            LabDomain *domain)
{
  g_autofree char *url = NULL;
  g_autoptr(GAppLaunchContext) context = NULL;

  /* What the row shows: where the probe ended up on the domain's own address (after the
   * static_website_tls redirect to HTTPS), never an address or redirect nobody checked. */
  if (lab_domain_get_web_url (domain) == NULL)
    return;
  url = g_strdup (lab_domain_get_web_url (domain));

  /* A forwarded local port (the domain is not reachable from here) is worth saying. */
  if (g_str_has_prefix (url, "http://127.0.0.1:"))
    {
      g_autofree char *message = g_strdup_printf (_("Opening %s through a port forwarded "
                                                    "over SSH"), lab_domain_get_ip (domain));

      lab_window_add_toast (self, message);
    }

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (
    gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (url, context, NULL, browser_launched_cb,
                                           g_object_ref (self));
}

static void
lab_window_show_output (LabWindow  *self,
                        const char *name)
{
  LabConsoleLog *log;
  LabOutputWindow *window;

  if (self->connection == NULL)
    return;
  log = lab_host_connection_lookup_console_log (self->connection, name);
  if (log == NULL)
    {
      g_autofree char *shown = shown_name (name);
      g_autofree char *message = g_strdup_printf (_("No output of %s was kept"), shown);

      lab_window_add_toast (self, message);
      return;
    }
  window = lab_output_window_new (GTK_WINDOW (self), log,
                                  lab_domain_store_lookup (
                                    lab_host_connection_get_domains (self->connection), name));
  gtk_window_present (GTK_WINDOW (window));
}

static void
lab_window_show_output_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  lab_window_show_output (LAB_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* A domain ended by itself (not at the user's request): say how, with its last words. */
static void
lab_window_domain_ended (LabWindow         *self,
                         LabDomain         *domain,
                         LabHostConnection *connection)
{
  LabDomainEnd end = lab_domain_get_end_reason (domain);
  gboolean output_kept;

  if (end == LAB_DOMAIN_END_NONE || end == LAB_DOMAIN_END_SHUT_DOWN_BY_USER
      || end == LAB_DOMAIN_END_REBOOTED_BY_USER || end == LAB_DOMAIN_END_DESTROYED_BY_USER)
    return;
  output_kept = lab_host_connection_lookup_console_log (connection,
                                                        lab_domain_get_name (domain)) != NULL;
  lab_window_show_toast (self, lab_domain_toast_new_ended (domain, output_kept));
}

static void
lab_window_run_domain_action (LabWindow       *self,
                              LabDomain       *domain,
                              LabDomainAction  action)
{
  ActionData *data;

  if (action == LAB_DOMAIN_ACTION_SHOW_OUTPUT)
    {
      lab_window_show_output (self, lab_domain_get_name (domain));
      return;
    }
  /* A console is open for it: starting is starting with that console, so its boot log
   * lands there instead of being lost. */
  if (action == LAB_DOMAIN_ACTION_START
      && lab_window_find_console (self, self->connection, lab_domain_get_name (domain)) != NULL
      && !lab_host_connection_needs_legacy_fix (self->connection, domain))
    action = LAB_DOMAIN_ACTION_START_WITH_CONSOLE;

  if (action == LAB_DOMAIN_ACTION_OPEN_CONSOLE)
    {
      lab_window_open_console (self, domain, NULL);
      return;
    }
  if (action == LAB_DOMAIN_ACTION_OPEN_IN_BROWSER)
    {
      lab_window_open_in_browser (self, domain);
      return;
    }
  if (action == LAB_DOMAIN_ACTION_REBUILD)
    {
      lab_window_rebuild (self, domain);
      return;
    }
  if (action == LAB_DOMAIN_ACTION_COPY_IP)
    {
      g_autofree char *message = g_strdup_printf (_("Copied %s"), lab_domain_get_ip (domain));

      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                              lab_domain_get_ip (domain));
      lab_window_add_toast (self, message);
      return;
    }
  if (action == LAB_DOMAIN_ACTION_START_WITH_CONSOLE)
    {
      const char *path = lab_domain_get_config_path (domain);

      if (lab_host_connection_needs_legacy_fix (self->connection, domain))
        {
          lab_window_offer_legacy_fix (self, domain, action,
                                       _("This configuration uses builder='linux', which "
                                         "Xen 4.10 and later no longer understand. The fix "
                                         "is type = \"pv\" in its place."));
          return;
        }
      if (path != NULL)
        lab_window_open_console (self, domain, path);
      return;
    }

  data = g_new0 (ActionData, 1);
  data->self = g_object_ref (self);
  data->domain = g_object_ref (domain);
  data->action = action;
  lab_domain_set_busy (domain, TRUE);
  lab_host_connection_run_action_async (self->connection, domain, action, NULL,
                                        action_done_cb, data);
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
      g_autofree char *name = shown_name (host ? lab_host_get_name (host) : NULL);

      message = g_strdup_printf (_("Not connected to %s"), name);
      lab_window_add_toast (self, message);
      return;
    }

  lab_window_run_domain_action (self, domain, action);
}

static void
lab_window_force_off_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabDomain *domain;

  if (self->connection == NULL)
    return;
  domain = lab_domain_store_lookup (lab_host_connection_get_domains (self->connection),
                                    g_variant_get_string (parameter, NULL));
  if (domain != NULL && lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DESTROY, domain))
    lab_window_run_domain_action (self, domain, LAB_DOMAIN_ACTION_DESTROY);
}

static void
lab_window_update_console_area (LabWindow *self)
{
  /* The console pane only takes room once a console is open. */
  gtk_widget_set_visible (self->console_area, adw_tab_view_get_n_pages (self->tab_view) > 0);
}

static void
lab_window_set_hosts (LabWindow    *self,
                      LabHostStore *hosts)
{
  if (self->hosts == hosts)
    return;

  if (self->hosts != NULL)
    g_signal_handlers_disconnect_by_func (self->hosts, lab_window_hosts_changed, self);
  lab_window_set_connection (self, NULL);
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
  LabApplication *app = lab_window_get_lab_application (self);
  GSettings *settings;

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

  lab_window_set_hosts (self, lab_application_get_host_store (app));
  if (lab_application_get_load_error (app) != NULL)
    lab_window_add_toast (self, lab_application_get_load_error (app));
  lab_window_show_home (self);
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
  lab_window_show_home (self);
}

static void
lab_window_dispose (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  lab_window_set_connection (self, NULL);
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

  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAB_TYPE_DOMAIN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/lab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, placeholder_page);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, host_list);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, domain_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, connection_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, console_area);
  gtk_widget_class_bind_template_callback (widget_class, lab_window_domain_action);

  gtk_widget_class_install_action (widget_class, "win.start-setup", NULL,
                                   lab_window_start_setup_action);
  gtk_widget_class_install_action (widget_class, "win.add-host", NULL,
                                   lab_window_add_host_action);
  gtk_widget_class_install_action (widget_class, "win.edit-host", "s",
                                   lab_window_edit_host_action);
  gtk_widget_class_install_action (widget_class, "win.remove-host", "s",
                                   lab_window_remove_host_action);
  gtk_widget_class_install_action (widget_class, "win.check-host", "s",
                                   lab_window_check_host_action);
  gtk_widget_class_install_action (widget_class, "win.connect-host", NULL,
                                   lab_window_connect_host_action);
  gtk_widget_class_install_action (widget_class, "win.force-off", "s",
                                   lab_window_force_off_action);
  gtk_widget_class_install_action (widget_class, "win.show-output", "s",
                                   lab_window_show_output_action);
  gtk_widget_class_install_action (widget_class, "win.go-home", NULL,
                                   lab_window_go_home_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-host", NULL);
}

static void
lab_window_init (LabWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->host_list, "row-selected",
                           G_CALLBACK (lab_window_host_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "create-window",
                           G_CALLBACK (lab_window_create_window), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "notify::n-pages",
                           G_CALLBACK (lab_window_update_console_area), self, G_CONNECT_SWAPPED);
  lab_window_update_console_area (self);
}
