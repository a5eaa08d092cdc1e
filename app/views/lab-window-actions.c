/* lab-window-actions.c: the win.* actions
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-window-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "views/lab-check-window.h"
#include "views/lab-host-details-window.h"
#include "views/lab-host-dialog.h"
#include "views/lab-setup-window.h"

#include "lab-window-private.h"

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
lab_window_actions_pending_start_free (PendingStart *pending)
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
lab_window_actions_pending_start_try (PendingStart *pending)
{
  LabDomain *domain = lab_domain_store_lookup (lab_host_connection_get_domains (
                                                 pending->connection), pending->name);

  if (domain == NULL)
    return FALSE;
  if (pending->self->connection != pending->connection)
    return TRUE;    /* another host is shown now: the user went elsewhere */
  if (lab_domain_get_running (domain))
    {
      g_autofree char *name = _lab_window_shown_name (pending->name);
      g_autofree char *message = g_strdup_printf (_("%s is running already"), name);

      lab_window_add_toast (pending->self, message);
      return TRUE;
    }
  _lab_window_run_domain_action (pending->self, domain, LAB_DOMAIN_ACTION_START_WITH_CONSOLE);
  return TRUE;
}

static void
lab_window_actions_pending_start_changed_cb (PendingStart *pending)
{
  if (lab_window_actions_pending_start_try (pending))
    lab_window_actions_pending_start_free (pending);
}

static gboolean
lab_window_actions_pending_start_timeout_cb (gpointer user_data)
{
  PendingStart *pending = user_data;
  g_autofree char *name = _lab_window_shown_name (pending->name);
  g_autofree char *message = g_strdup_printf (_("%s did not appear in the host’s list"), name);

  pending->timeout_id = 0;
  lab_window_add_toast (pending->self, message);
  lab_window_actions_pending_start_free (pending);
  return G_SOURCE_REMOVE;
}

static void
lab_window_actions_start_unikernel_cb (LabWindow      *self,
                                       const char     *address,
                                       guint           port,
                                       const char     *user,
                                       const char     *config,
                                       LabSetupWindow *setup)
{
  LabApplication *app = _lab_window_get_lab_application (self);
  g_autoptr(LabHost) host = NULL;
  g_autofree char *folder = g_path_get_dirname (config);
  g_autofree char *base = g_path_get_basename (config);
  g_autoptr(GStrvBuilder) folders = g_strv_builder_new ();
  g_auto(GStrv) new_folders = NULL;
  gboolean has_folder = FALSE;
  const char *bridge;
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
  /* The bridge the wizard's network step made is the one this host's checks and probes
   * look at. */
  bridge = lab_setup_state_get_setting (lab_setup_window_get_state (setup), "bridge");
  if (lab_host_parse_bridge (bridge, NULL))
    lab_host_set_bridge (host, bridge);
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

  _lab_window_show_home (self);
  _lab_window_select_host (self, host);
  gtk_window_present (GTK_WINDOW (self));
  if (app == NULL || self->connection == NULL)
    return;
  pending = g_new0 (PendingStart, 1);
  pending->self = g_object_ref (self);
  pending->connection = g_object_ref (self->connection);
  pending->name = g_str_has_suffix (base, ".xl") ? g_strndup (base, strlen (base) - 3)
                                                 : g_strdup (base);
  if (lab_window_actions_pending_start_try (pending))
    {
      lab_window_actions_pending_start_free (pending);
      return;
    }
  pending->changed_id =
    g_signal_connect_swapped (lab_host_connection_get_domains (self->connection),
                              "items-changed",
                              G_CALLBACK (lab_window_actions_pending_start_changed_cb), pending);
  lab_host_connection_poll_now (self->connection);
  pending->timeout_id = g_timeout_add_seconds (120, lab_window_actions_pending_start_timeout_cb,
                                               pending);
}

static void
lab_window_actions_start_setup_cb (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  LabSetupWindow *setup = lab_setup_window_new (GTK_WINDOW (widget), NULL);

  g_signal_connect_object (setup, "start-unikernel",
                           G_CALLBACK (lab_window_actions_start_unikernel_cb), widget,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (setup));
}

static void
lab_window_actions_host_saved_cb (LabWindow     *self,
                                  LabHost       *host,
                                  LabHostDialog *dialog)
{
  if (lab_host_store_lookup (self->hosts, lab_host_get_id (host)) == NULL)
    lab_host_store_add (self->hosts, host);

  _lab_window_show_home (self);
  _lab_window_select_host (self, host);
}

static LabHostDialog *
lab_window_actions_open_host_dialog (LabWindow *self,
                                     LabHost   *host)
{
  LabHostDialog *dialog = lab_host_dialog_new (GTK_WINDOW (self), host);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (lab_window_actions_host_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
lab_window_actions_add_host_cb (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  lab_window_actions_open_host_dialog (LAB_WINDOW (widget), NULL);
}

static void
lab_window_actions_edit_host_cb (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabHost *host = lab_host_store_lookup (self->hosts, g_variant_get_string (parameter, NULL));

  if (host != NULL)
    lab_window_actions_open_host_dialog (self, host);
}

static void
lab_window_actions_host_details_cb (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabApplication *app = _lab_window_get_lab_application (self);
  LabHost *host = lab_host_store_lookup (self->hosts, g_variant_get_string (parameter, NULL));
  LabHostDetailsWindow *details;

  if (host == NULL || app == NULL)
    return;
  details = lab_host_details_window_new (GTK_WINDOW (self),
                                         lab_application_get_connection (app, host));
  gtk_window_present (GTK_WINDOW (details));
}

static void
lab_window_actions_check_host_cb (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabApplication *app = _lab_window_get_lab_application (self);
  LabHost *host = lab_host_store_lookup (self->hosts, g_variant_get_string (parameter, NULL));
  LabCheckWindow *check;

  if (host == NULL || app == NULL)
    return;
  check = lab_check_window_new (GTK_WINDOW (self), lab_application_get_connection (app, host));
  gtk_window_present (GTK_WINDOW (check));
}

static void
lab_window_actions_remove_host_response_cb (AdwMessageDialog *dialog,
                                            const char       *response,
                                            LabWindow        *self)
{
  LabHost *host = g_object_get_data (G_OBJECT (dialog), "lab-host");

  if (g_strcmp0 (response, "remove") != 0 || host == NULL)
    return;

  if (self->connection != NULL && lab_host_connection_get_host (self->connection) == host)
    _lab_window_set_connection (self, NULL);
  lab_host_store_remove (self->hosts, host);
}

static void
lab_window_actions_remove_host_cb (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabHost *host = lab_host_store_lookup (self->hosts, g_variant_get_string (parameter, NULL));
  GtkWidget *dialog;
  g_autofree char *name = NULL;

  if (host == NULL)
    return;

  name = _lab_window_shown_name (lab_host_get_name (host));
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
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (lab_window_actions_remove_host_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lab_window_actions_connect_host_cb (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (self->connection != NULL)
    lab_host_connection_connect (self->connection);
}

static void
lab_window_actions_go_home_cb (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  _lab_window_show_home (LAB_WINDOW (widget));
}

static void
lab_window_actions_new_domain_cb (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);

  _lab_window_new_domain (self, self->connection);
}

/* From a host's menu: that host, selected or not. */
static void
lab_window_actions_new_domain_on_cb (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabApplication *app = _lab_window_get_lab_application (self);
  LabHost *host = lab_host_store_lookup (self->hosts, g_variant_get_string (parameter, NULL));

  if (host != NULL && app != NULL)
    _lab_window_new_domain (self, lab_application_get_connection (app, host));
}

static void
lab_window_actions_show_output_cb (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  _lab_window_show_output (LAB_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
lab_window_actions_force_off_cb (GtkWidget  *widget,
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
    _lab_window_run_domain_action (self, domain, LAB_DOMAIN_ACTION_DESTROY);
}

void
_lab_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.start-setup", NULL,
                                   lab_window_actions_start_setup_cb);
  gtk_widget_class_install_action (widget_class, "win.add-host", NULL,
                                   lab_window_actions_add_host_cb);
  gtk_widget_class_install_action (widget_class, "win.edit-host", "s",
                                   lab_window_actions_edit_host_cb);
  gtk_widget_class_install_action (widget_class, "win.remove-host", "s",
                                   lab_window_actions_remove_host_cb);
  gtk_widget_class_install_action (widget_class, "win.check-host", "s",
                                   lab_window_actions_check_host_cb);
  gtk_widget_class_install_action (widget_class, "win.host-details", "s",
                                   lab_window_actions_host_details_cb);
  gtk_widget_class_install_action (widget_class, "win.connect-host", NULL,
                                   lab_window_actions_connect_host_cb);
  gtk_widget_class_install_action (widget_class, "win.force-off", "s",
                                   lab_window_actions_force_off_cb);
  gtk_widget_class_install_action (widget_class, "win.show-output", "s",
                                   lab_window_actions_show_output_cb);
  gtk_widget_class_install_action (widget_class, "win.go-home", NULL,
                                   lab_window_actions_go_home_cb);
  gtk_widget_class_install_action (widget_class, "win.new-domain", NULL,
                                   lab_window_actions_new_domain_cb);
  gtk_widget_class_install_action (widget_class, "win.new-domain-on", "s",
                                   lab_window_actions_new_domain_on_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-domain", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.add-host", NULL);
}

/* The one place that says which win.* actions are enabled. An action is disabled exactly
 * when its handler would do nothing whatever its parameter; the handlers keep their own
 * checks, since a parameter (a host's id, a domain's name) can name something gone. */
void
_lab_window_actions_update (LabWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LabConnectionState state = LAB_CONNECTION_STATE_DISCONNECTED;
  gboolean has_connection = self->connection != NULL;

  g_assert (LAB_IS_WINDOW (self));

  if (has_connection)
    state = lab_host_connection_get_state (self->connection);

  /* Dialogs and pages of the window's own, or a host found by the id the action carries. */
  gtk_widget_action_set_enabled (widget, "win.start-setup", TRUE);
  gtk_widget_action_set_enabled (widget, "win.add-host", TRUE);
  gtk_widget_action_set_enabled (widget, "win.edit-host", TRUE);
  gtk_widget_action_set_enabled (widget, "win.remove-host", TRUE);
  gtk_widget_action_set_enabled (widget, "win.go-home", TRUE);
  /* The check and the details run over the application's connection to the host. */
  gtk_widget_action_set_enabled (widget, "win.check-host",
                                 _lab_window_get_lab_application (self) != NULL);
  gtk_widget_action_set_enabled (widget, "win.host-details",
                                 _lab_window_get_lab_application (self) != NULL);
  gtk_widget_action_set_enabled (widget, "win.new-domain-on",
                                 _lab_window_get_lab_application (self) != NULL);
  /* A connection starts a new attempt only from rest, not while one runs or holds. */
  gtk_widget_action_set_enabled (widget, "win.connect-host",
                                 has_connection
                                 && (state == LAB_CONNECTION_STATE_DISCONNECTED
                                     || state == LAB_CONNECTION_STATE_FAILED));
  /* The toasts' buttons: a domain of the selected host, by name. */
  /* A new domain's config is written to dom0, and its folder needs dom0's home. */
  gtk_widget_action_set_enabled (widget, "win.new-domain",
                                 has_connection && state == LAB_CONNECTION_STATE_CONNECTED);
  gtk_widget_action_set_enabled (widget, "win.force-off", has_connection);
  gtk_widget_action_set_enabled (widget, "win.show-output", has_connection);
}
