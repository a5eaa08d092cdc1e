/* lab-window-domains.c: what the window does to domains (consoles, rebuild and restart,
 * the legacy-config fix)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-window-domains"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"

#include "views/lab-build-tab.h"
#include "views/lab-console-tab.h"
#include "views/lab-domain-toasts.h"
#include "views/lab-output-window.h"
#include "views/lab-plain-text.h"
#include "views/lab-tab.h"

#include "lab-window-private.h"

/* ---- tabs --------------------------------------------------------------------------- */

/* The open tab of @type (a console or a build) of @domain_name on @connection, if any. */
static LabTab *
lab_window_domains_find_tab (LabWindow         *self,
                             GType              type,
                             LabHostConnection *connection,
                             const char        *domain_name)
{
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && lab_tab_get_connection (LAB_TAB (child)) == connection
          && g_strcmp0 (lab_tab_get_domain_name (LAB_TAB (child)), domain_name) == 0)
        return LAB_TAB (child);
    }
  return NULL;
}

/* A page for a new @tab: its terminal follows the preferences, the page has its title. */
static AdwTabPage *
lab_window_domains_append_tab (LabWindow *self,
                               LabTab    *tab)
{
  LabApplication *app = _lab_window_get_lab_application (self);
  AdwTabPage *page;

  if (app != NULL && lab_application_get_settings (app) != NULL)
    lab_terminal_set_settings (lab_tab_get_terminal (tab), lab_application_get_settings (app));
  page = adw_tab_view_append (self->tab_view, GTK_WIDGET (tab));
  adw_tab_page_set_title (page, lab_tab_get_title (tab));
  return page;
}

/* ---- consoles ----------------------------------------------------------------------- */

static void
lab_window_domains_update_tab_page_cb (AdwTabPage    *page,
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
  tooltip = g_strdup_printf ("%s (%s)", lab_tab_get_title (LAB_TAB (tab)), words);
  lab_plain_set_tab_tooltip (page, tooltip);
}

static LabConsoleTab *
lab_window_domains_add_console (LabWindow         *self,
                                LabHostConnection *connection,
                                const char        *domain_name)
{
  LabConsoleTab *tab = lab_console_tab_new (connection, domain_name);
  AdwTabPage *page = lab_window_domains_append_tab (self, LAB_TAB (tab));

  g_signal_connect_object (tab, "notify::status",
                           G_CALLBACK (lab_window_domains_update_tab_page_cb), page,
                           G_CONNECT_SWAPPED);
  lab_window_domains_update_tab_page_cb (page, NULL, tab);
  adw_tab_view_set_selected_page (self->tab_view, page);
  return tab;
}

/* Opens (or shows) the console of @domain; with @config_path the domain is created paused,
 * the console attached, then the domain unpaused, so nothing of its boot is missed. */
static void
lab_window_domains_open_console (LabWindow  *self,
                                 LabDomain  *domain,
                                 const char *config_path)
{
  const char *name = lab_domain_get_name (domain);
  LabConsoleTab *tab = LAB_CONSOLE_TAB (lab_window_domains_find_tab (self, LAB_TYPE_CONSOLE_TAB,
                                                                     self->connection, name));

  if (tab == NULL)
    tab = lab_window_domains_add_console (self, self->connection, name);
  else
    adw_tab_view_set_selected_page (self->tab_view,
                                    adw_tab_view_get_page (self->tab_view, GTK_WIDGET (tab)));

  if (config_path != NULL)
    lab_console_tab_create_and_attach (tab, config_path);
  else if (lab_console_tab_get_status (tab) != LAB_CONSOLE_STATUS_LIVE
           && lab_console_tab_get_status (tab) != LAB_CONSOLE_STATUS_CONNECTING)
    lab_console_tab_attach (tab);
  gtk_widget_grab_focus (GTK_WIDGET (lab_tab_get_terminal (LAB_TAB (tab))));
}

/* ---- domain actions ----------------------------------------------------------------- */

typedef struct
{
  LabWindow       *self;
  LabDomain       *domain;
  LabDomainAction  action;
} ActionData;

static void
lab_window_domains_action_data_free (ActionData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->domain);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, lab_window_domains_action_data_free)

static void
lab_window_domains_action_data_closure_free (gpointer  data,
                                             GClosure *closure)
{
  lab_window_domains_action_data_free (data);
}

static void
lab_window_domains_legacy_fixed_cb (GObject      *source,
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
  /* The fix completes once the domain has the fixed config: the start uses it. */
  _lab_window_run_domain_action (data->self, data->domain, data->action);
}

static void
lab_window_domains_legacy_response_cb (AdwMessageDialog *dialog,
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
                                                   lab_window_domains_legacy_fixed_cb, copy);
    }
}

static void
lab_window_domains_offer_legacy_fix (LabWindow       *self,
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
  g_signal_connect_data (dialog, "response", G_CALLBACK (lab_window_domains_legacy_response_cb),
                         data, lab_window_domains_action_data_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- rebuild and restart ------------------------------------------------------------ */

static void
lab_window_domains_update_build_page_cb (AdwTabPage  *page,
                                         GParamSpec  *pspec,
                                         LabBuildTab *tab)
{
  LabBuildStatus status = lab_build_tab_get_status (tab);
  const char *message = lab_tab_get_message (LAB_TAB (tab));
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *tooltip = NULL;

  adw_tab_page_set_loading (page, status == LAB_BUILD_STATUS_LOCATING
                                  || status == LAB_BUILD_STATUS_RUNNING);
  if (status == LAB_BUILD_STATUS_FAILED)
    icon = g_themed_icon_new ("dialog-error-symbolic");
  adw_tab_page_set_indicator_icon (page, icon);
  tooltip = g_strdup_printf ("%s\n%s", lab_tab_get_title (LAB_TAB (tab)), message ? message : "");
  lab_plain_set_tab_tooltip (page, tooltip);
}

static void
lab_window_domains_restart_stopped_cb (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_host_connection_stop_for_restart_finish (LAB_HOST_CONNECTION (source), result,
                                                    &error))
    {
      g_autofree char *name = _lab_window_shown_name (lab_domain_get_name (data->domain));
      g_autofree char *message = g_strdup_printf (_("Could not stop %s to restart it: %s"),
                                                  name, error->message);

      lab_window_add_toast (data->self, message);
      return;
    }
  _lab_window_run_domain_action (data->self, data->domain, data->action);
}

/* The build succeeded: the old domain goes, the new image starts with its console. */
static void
lab_window_domains_build_finished_cb (LabBuildTab *tab,
                                      gboolean     success,
                                      LabWindow   *self)
{
  LabHostConnection *connection = lab_tab_get_connection (LAB_TAB (tab));
  const char *name = lab_tab_get_domain_name (LAB_TAB (tab));
  LabDomain *domain;
  ActionData *data;
  g_autofree char *message = NULL;

  if (!success)
    {
      if (lab_build_tab_get_status (tab) == LAB_BUILD_STATUS_FAILED)
        {
          g_autofree char *shown = _lab_window_shown_name (name);

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

  data = g_new0 (ActionData, 1);
  data->self = g_object_ref (self);
  data->domain = g_object_ref (domain);
  data->action = LAB_DOMAIN_ACTION_START_WITH_CONSOLE;
  lab_host_connection_stop_for_restart_async (connection, domain, NULL,
                                              lab_window_domains_restart_stopped_cb, data);
}


/* Rebuild and Restart: the build in a tab of its own, then a fresh start of the domain. */
static void
lab_window_domains_rebuild (LabWindow *self,
                            LabDomain *domain)
{
  const char *name = lab_domain_get_name (domain);
  LabBuildTab *tab = LAB_BUILD_TAB (lab_window_domains_find_tab (self, LAB_TYPE_BUILD_TAB,
                                                                 self->connection, name));
  AdwTabPage *page;

  if (tab == NULL)
    {
      tab = lab_build_tab_new (self->connection, name, lab_domain_get_config_path (domain));
      page = lab_window_domains_append_tab (self, LAB_TAB (tab));
      g_signal_connect_object (tab, "notify::status",
                               G_CALLBACK (lab_window_domains_update_build_page_cb), page,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (tab, "notify::message",
                               G_CALLBACK (lab_window_domains_update_build_page_cb), page,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (tab, "finished", G_CALLBACK (lab_window_domains_build_finished_cb),
                               self, 0);
    }
  else
    page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (tab));

  adw_tab_view_set_selected_page (self->tab_view, page);
  lab_build_tab_start (tab);
}

static void
lab_window_domains_action_done_cb (GObject      *source,
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
          lab_window_domains_offer_legacy_fix (self, data->domain, data->action, error->message);
          return;
        }
      _lab_window_show_toast (self, lab_domain_toast_new_failed (data->domain, error->message));
      return;
    }

  if (data->action == LAB_DOMAIN_ACTION_SHUTDOWN)
    _lab_window_show_toast (self, lab_domain_toast_new_shutdown_asked (data->domain));
}

static void
lab_window_domains_browser_launched_cb (GObject      *source,
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
lab_window_domains_open_in_browser (LabWindow *self,
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
  g_app_info_launch_default_for_uri_async (url, context, NULL,
                                           lab_window_domains_browser_launched_cb,
                                           g_object_ref (self));
}

void
_lab_window_show_output (LabWindow  *self,
                         const char *name)
{
  LabConsoleLog *log;
  LabOutputWindow *window;

  if (self->connection == NULL)
    return;
  log = lab_host_connection_lookup_console_log (self->connection, name);
  if (log == NULL)
    {
      g_autofree char *shown = _lab_window_shown_name (name);
      g_autofree char *message = g_strdup_printf (_("No output of %s was kept"), shown);

      lab_window_add_toast (self, message);
      return;
    }
  window = lab_output_window_new (GTK_WINDOW (self), log,
                                  lab_domain_store_lookup (
                                    lab_host_connection_get_domains (self->connection), name));
  gtk_window_present (GTK_WINDOW (window));
}

/* A domain ended by itself (not at the user's request): say how, with its last words. */
void
_lab_window_domain_ended (LabWindow         *self,
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
  _lab_window_show_toast (self, lab_domain_toast_new_ended (domain, output_kept));
}

/* ---- delete ---------------------------------------------------------------------------- */

static void
lab_window_domains_deleted_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = _lab_window_shown_name (lab_domain_get_name (data->domain));
  g_autofree char *message = NULL;

  folder = lab_host_connection_delete_config_finish (LAB_HOST_CONNECTION (source), result,
                                                     &error);
  if (folder == NULL)
    message = g_strdup_printf (_("Could not delete %s: %s"), name, error->message);
  else
    message = g_strdup_printf (_("%s deleted: its files are in %s on dom0"), name, folder);
  lab_window_add_toast (data->self, message);
}

static void
lab_window_domains_delete_response_cb (AdwMessageDialog *dialog,
                                       const char       *response,
                                       ActionData       *data)
{
  GtkCheckButton *kernel = GTK_CHECK_BUTTON (adw_message_dialog_get_extra_child (dialog));
  ActionData *copy;

  if (g_strcmp0 (response, "delete") != 0
      || !lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DELETE, data->domain))
    return;
  copy = g_new0 (ActionData, 1);
  copy->self = g_object_ref (data->self);
  copy->domain = g_object_ref (data->domain);
  copy->action = LAB_DOMAIN_ACTION_DELETE;
  lab_host_connection_delete_config_async (data->self->connection, data->domain,
                                           kernel != NULL && gtk_check_button_get_active (kernel),
                                           NULL, lab_window_domains_deleted_cb, copy);
}

/* Delete asks first, naming the config and the kernel image it would take along. */
static void
lab_window_domains_confirm_delete (LabWindow *self,
                                   LabDomain *domain)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Delete Domain?"), NULL);
  LabXlConfig *config = lab_domain_get_config (domain);
  g_autofree char *kernel = config != NULL ? lab_xl_config_dup_kernel_path (config) : NULL;
  g_autofree char *name = _lab_window_shown_name (lab_domain_get_name (domain));
  g_autofree char *path = lab_text_for_display (lab_domain_get_config_path (domain),
                                                LAB_DISPLAY_LINE_MAX);
  ActionData *data = g_new0 (ActionData, 1);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The configuration of “%s”, %s, moves to a new folder "
                                    "in ~/.local/share/mirage-lab/deleted on dom0, from where "
                                    "it can be put back."), name, path);
  if (kernel != NULL)
    {
      g_autofree char *shown = lab_text_for_display (kernel, LAB_DISPLAY_LINE_MAX);
      g_autofree char *label = g_strdup_printf (_("Also move its kernel image, %s"), shown);
      GtkWidget *check = gtk_check_button_new_with_label (label);

      gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), check);
    }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  data->self = g_object_ref (self);
  data->domain = g_object_ref (domain);
  data->action = LAB_DOMAIN_ACTION_DELETE;
  g_signal_connect_data (dialog, "response", G_CALLBACK (lab_window_domains_delete_response_cb),
                         data, lab_window_domains_action_data_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_lab_window_run_domain_action (LabWindow       *self,
                               LabDomain       *domain,
                               LabDomainAction  action)
{
  ActionData *data;

  if (action == LAB_DOMAIN_ACTION_SHOW_OUTPUT)
    {
      _lab_window_show_output (self, lab_domain_get_name (domain));
      return;
    }
  if (action == LAB_DOMAIN_ACTION_DELETE)
    {
      lab_window_domains_confirm_delete (self, domain);
      return;
    }
  if (action == LAB_DOMAIN_ACTION_DUPLICATE)
    {
      _lab_window_confirm_duplicate (self, domain);
      return;
    }
  if (action == LAB_DOMAIN_ACTION_EDIT)
    {
      _lab_window_edit_config (self, domain);
      return;
    }
  /* A console is open for it: starting is starting with that console, so its boot log
   * lands there instead of being lost. */
  if (action == LAB_DOMAIN_ACTION_START
      && lab_window_domains_find_tab (self, LAB_TYPE_CONSOLE_TAB, self->connection,
                                      lab_domain_get_name (domain)) != NULL
      && !lab_host_connection_needs_legacy_fix (self->connection, domain))
    action = LAB_DOMAIN_ACTION_START_WITH_CONSOLE;

  if (action == LAB_DOMAIN_ACTION_OPEN_CONSOLE)
    {
      lab_window_domains_open_console (self, domain, NULL);
      return;
    }
  if (action == LAB_DOMAIN_ACTION_OPEN_IN_BROWSER)
    {
      lab_window_domains_open_in_browser (self, domain);
      return;
    }
  if (action == LAB_DOMAIN_ACTION_REBUILD)
    {
      lab_window_domains_rebuild (self, domain);
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
          lab_window_domains_offer_legacy_fix (self, domain, action,
                                               _("This configuration uses builder='linux', which "
                                                 "Xen 4.10 and later no longer understand. The fix "
                                                 "is type = \"pv\" in its place."));
          return;
        }
      if (path != NULL)
        lab_window_domains_open_console (self, domain, path);
      return;
    }

  data = g_new0 (ActionData, 1);
  data->self = g_object_ref (self);
  data->domain = g_object_ref (domain);
  data->action = action;
  lab_domain_set_busy (domain, TRUE);
  lab_host_connection_run_action_async (self->connection, domain, action, NULL,
                                        lab_window_domains_action_done_cb, data);
}
