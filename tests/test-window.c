/* test-window.c — the main window, its empty state and the app menu
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "lab-application.h"
#include "views/lab-check-row.h"
#include "views/lab-check-window.h"
#include "views/lab-host-details-window-private.h"
#include "views/lab-host-dialog-private.h"
#include "views/lab-host-row.h"
#include "views/lab-preferences-window.h"
#include "views/lab-window-private.h"

#include "lab-test-gtk-utils.h"
#include "views/lab-setup-window.h"

static LabApplication *app;

static LabWindow *
get_window (void)
{
  return lab_test_app_window (app);
}

static void
close_toplevels_of_type (GType type)
{
  GtkWindow *window;
  guint guard = 0;

  while ((window = lab_test_find_toplevel (type)) != NULL && guard++ < 10)
    {
      gtk_window_destroy (window);
      lab_test_run_pending ();
    }
  g_assert_null (lab_test_find_toplevel (type));
}

static gboolean
connection_failed (gpointer data)
{
  LabHost *host = lab_window_get_selected_host (data);
  LabHostConnection *connection = lab_application_get_connection (app, host);

  return lab_host_connection_get_state (connection) == LAB_CONNECTION_STATE_FAILED
         && lab_host_connection_get_message (connection) != NULL;
}

/* The widget in @root bound to @action_name: it is sensitive while the action is enabled. */
static gboolean
is_actionable_for (GtkWidget *widget,
                   gpointer   action_name)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       action_name) == 0;
}

static gboolean
details_settled (gpointer data)
{
  return !lab_host_details_window_is_busy (data);
}

/* Host Details of a host that is not connected: it says so where Xen's figures would be,
 * and the configuration folders (the host's own settings) still change there. */
static void
check_details_offline (LabWindow *window,
                       LabHost   *host)
{
  LabHostDetailsWindow *details;
  const char * const *folders;
  const char *problem;
  g_autofree char *shot = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.host-details", "s",
                                             lab_host_get_id (host)));
  details = LAB_HOST_DETAILS_WINDOW (lab_test_find_toplevel (LAB_TYPE_HOST_DETAILS_WINDOW));
  g_assert_nonnull (details);
  g_assert_true (lab_test_wait_for (details_settled, details, 10000));
  problem = lab_host_details_window_get_row_text (details, "problem");
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "Not connected"));
  g_assert_null (lab_host_details_window_get_row_text (details, "version"));

  lab_host_details_window_add_folder (details, "/home/mirage/unikernels & more");
  lab_host_details_window_add_folder (details, "relative/folder");
  folders = lab_host_get_config_folders (host);
  g_assert_nonnull (folders);
  g_assert_true (g_strv_contains (folders, "/home/mirage/unikernels & more"));
  g_assert_false (g_strv_contains (folders, "relative/folder"));
  lab_test_flush (GTK_WIDGET (details));
  shot = lab_test_save_screenshot (GTK_WIDGET (details), "host-details-offline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.remove-folder", "s",
                                             "/home/mirage/unikernels & more"));
  folders = lab_host_get_config_folders (host);
  g_assert_true (folders == NULL || !g_strv_contains (folders, "/home/mirage/unikernels & more"));
  gtk_window_destroy (GTK_WINDOW (details));
}

/* The page's own Retry, shown, for the same action as the bar's. */
static gboolean
is_offline_retry (GtkWidget *widget,
                  gpointer   user_data)
{
  return is_actionable_for (widget, (gpointer) "win.connect-host") && GTK_IS_BUTTON (widget)
         && gtk_widget_get_ancestor (widget, ADW_TYPE_STATUS_PAGE) != NULL
         && gtk_widget_is_visible (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Retry") == 0;
}

static gboolean
connect_enabled (LabWindow *window)
{
  GtkWidget *button = lab_test_find_widget (GTK_WIDGET (window), is_actionable_for,
                                            (gpointer) "win.connect-host");

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

/* The sidebar row that shows @host. */
static LabHostRow *
find_host_row (GtkWidget *root,
               LabHost   *host)
{
  if (LAB_IS_HOST_ROW (root) && lab_host_row_get_item (LAB_HOST_ROW (root)) == host)
    return LAB_HOST_ROW (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      LabHostRow *found = find_host_row (child, host);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label in @root with @css_class (an AdwActionRow's "title" or "subtitle"). */
static GtkLabel *
find_label_with_class (GtkWidget  *root,
                       const char *css_class)
{
  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, css_class))
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The check window's row that shows @result. */
static LabCheckRow *
find_check_row (GtkWidget      *root,
                LabCheckResult *result)
{
  if (LAB_IS_CHECK_ROW (root) && lab_check_row_get_item (LAB_CHECK_ROW (root)) == result)
    return LAB_CHECK_ROW (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      LabCheckRow *found = find_check_row (child, result);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label in @root showing exactly @text, if any. */
static GtkLabel *
find_label_with_text (GtkWidget  *root,
                      const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_with_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_window_empty_state (void)
{
  LabWindow *window = get_window ();
  g_autofree char *shot = NULL;
  GtkWindow *setup;

  /* No host configured: the welcome page with both first-run actions. */
  g_assert_cmpuint (g_list_model_get_n_items (lab_window_get_hosts (window)), ==, 0);
  g_assert_cmpstr (lab_window_get_visible_page (window), ==, "welcome");
  g_assert_cmpint (adw_tab_view_get_n_pages (lab_window_get_tab_view (window)), ==, 0);
  /* No host selected: nothing to connect to. */
  g_assert_false (connect_enabled (window));

  /* Start Guided Setup opens the wizard over the window (tests/setup/test-setup-window.c
   * drives it). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-setup", NULL));
  setup = lab_test_find_toplevel (LAB_TYPE_SETUP_WINDOW);
  g_assert_nonnull (setup);
  g_assert_true (gtk_window_get_transient_for (setup) == GTK_WINDOW (window));
  gtk_window_destroy (setup);
  g_assert_cmpstr (lab_window_get_visible_page (window), ==, "welcome");

  shot = lab_test_save_screenshot (GTK_WIDGET (window), "window-welcome");
}

static gboolean
file_has_text (gpointer data)
{
  const char **args = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (args[0], &contents, NULL, NULL) && strstr (contents, args[1])
         && g_str_has_suffix (contents, "}");
}

static void
test_window_hosts (void)
{
  LabWindow *window = get_window ();
  LabHostDialog *dialog;
  GtkWindow *confirm;
  LabHost *host;
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "mirage-lab", "hosts.json",
                                            NULL);
  const char *saved_args[] = { path, "lab dom0", NULL };
  const char *edited_args[] = { path, "virtualxen-with-a-much-longer-name.example.org", NULL };
  g_autofree char *shot = NULL;

  /* Add an existing host: the dialog validates, then the host appears and is selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-host", NULL));
  dialog = LAB_HOST_DIALOG (lab_test_find_toplevel (LAB_TYPE_HOST_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  lab_host_dialog_set_fields (dialog, "lab dom0", "bad address; rm -rf /", "mirage", 22);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  /* The core's host name rule: no leading "-" (an option to ssh), brackets only around an
   * IPv6 address. */
  lab_host_dialog_set_fields (dialog, "lab dom0", "-dom0", "mirage", 22);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  lab_host_dialog_set_fields (dialog, "lab dom0", "[dom0]", "mirage", 22);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  lab_host_dialog_set_fields (dialog, "lab dom0", "[fe80::1]", "mirage", 22);
  g_assert_null (lab_host_dialog_get_problem (dialog));
  lab_host_dialog_set_fields (dialog, "lab dom0", "192.168.56.5", "mirage", 70000);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  shot = lab_test_save_screenshot (GTK_WIDGET (dialog), "host-dialog-error");
  /* The bridge is passed on to commands on dom0: a device name or nothing. */
  lab_host_dialog_set_fields (dialog, "lab dom0", "192.168.56.5", "mirage", 22);
  lab_host_dialog_set_network (dialog, "-br0; reboot", TRUE);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (dialog), "host-dialog-bridge-error");
  lab_host_dialog_set_network (dialog, "br0", FALSE);
  g_assert_null (lab_host_dialog_get_problem (dialog));
  /* The core's parser reads the address: no user part, no leading '-', a port in the
   * address only when the port row does not say another. */
  lab_host_dialog_set_fields (dialog, "lab dom0", "mirage@192.168.56.5", "mirage", 0);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  lab_host_dialog_set_fields (dialog, "lab dom0", "-oProxyCommand=x", "mirage", 0);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  lab_host_dialog_set_fields (dialog, "lab dom0", "192.168.56.5:2222", "mirage", 22);
  g_assert_nonnull (lab_host_dialog_get_problem (dialog));
  lab_host_dialog_set_fields (dialog, "lab dom0", "[fe80::1]:2222", "mirage", 0);
  g_assert_null (lab_host_dialog_get_problem (dialog));
  /* Loopback with a closed port: connecting fails at once, and no traffic leaves the
   * machine. */
  lab_host_dialog_set_fields (dialog, "lab dom0", "127.0.0.1", "mirage", 9);
  g_assert_null (lab_host_dialog_get_problem (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "host.save", NULL));

  g_assert_cmpuint (g_list_model_get_n_items (lab_window_get_hosts (window)), ==, 1);
  g_assert_cmpstr (lab_window_get_visible_page (window), ==, "hosts");
  host = lab_window_get_selected_host (window);
  g_assert_nonnull (host);
  g_assert_cmpstr (lab_host_get_address (host), ==, "127.0.0.1");
  g_assert_cmpstr (lab_host_get_user (host), ==, "mirage");
  g_assert_cmpuint (lab_host_get_port (host), ==, 9);
  /* Selecting the host connects to it; while that attempt runs, Connect has nothing to do. */
  g_assert_cmpint (lab_host_connection_get_state (lab_application_get_connection (app, host)),
                   ==, LAB_CONNECTION_STATE_CONNECTING);
  g_assert_false (connect_enabled (window));
  g_assert_true (lab_test_wait_for (file_has_text, saved_args, 5000));

  /* Not connected yet: where the domains would be, the view says so (not "No Domains"). */
  g_assert_cmpstr (lab_domain_view_get_visible_page (lab_window_get_domain_view (window)), ==,
                   "offline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect-host", NULL));
  /* Nothing listens there: the bar says why, and offers to retry, as the page does. */
  g_assert_true (lab_test_wait_for (connection_failed, window, 10000));
  g_assert_true (connect_enabled (window));
  g_assert_cmpstr (lab_domain_view_get_visible_page (lab_window_get_domain_view (window)), ==,
                   "offline");
  g_assert_true (lab_test_find_widget (GTK_WIDGET (window), is_offline_retry, NULL) != NULL);
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "window-one-host");
  check_details_offline (window, host);
  /* New Domain… needs a connected host: Ctrl+N's action rests, the host menu's says why. */
  g_assert_false (gtk_widget_get_sensitive (
                    lab_test_find_widget (GTK_WIDGET (window), is_actionable_for,
                                          (gpointer) "win.new-domain")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-domain-on", "s",
                                             lab_host_get_id (host)));
  g_assert_true (g_str_has_prefix (lab_window_get_last_toast (window), "Not connected to "));

  /* Edit: the same host object, new values, saved again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-host", "s",
                                             lab_host_get_id (host)));
  dialog = LAB_HOST_DIALOG (lab_test_find_toplevel (LAB_TYPE_HOST_DIALOG));
  g_assert_nonnull (dialog);
  lab_host_dialog_set_fields (dialog, NULL, "virtualxen-with-a-much-longer-name.example.org",
                              "mirage", 2222);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "host.save", NULL));
  g_assert_true (lab_window_get_selected_host (window) == host);
  g_assert_cmpuint (lab_host_get_port (host), ==, 2222);
  /* An empty name means "call it by its address", and the title follows. */
  g_assert_cmpstr (lab_host_get_name (host), ==, "virtualxen-with-a-much-longer-name.example.org");
  g_assert_true (lab_test_wait_for (file_has_text, edited_args, 5000));
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "window-long-host-name");

  /* Remove asks first; cancel keeps it, remove takes it away and shows the welcome page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-host", "s",
                                             lab_host_get_id (host)));
  confirm = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
  g_assert_cmpuint (g_list_model_get_n_items (lab_window_get_hosts (window)), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-host", "s",
                                             lab_host_get_id (host)));
  confirm = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "remove");
  g_assert_cmpuint (g_list_model_get_n_items (lab_window_get_hosts (window)), ==, 0);
  g_assert_cmpstr (lab_window_get_visible_page (window), ==, "welcome");
  g_assert_null (lab_window_get_selected_host (window));
}

/* A host's row follows the host: a rename shows in the same row, and its menu button's
 * accessible name says the new name. */
static void
test_window_host_row_follows_host (void)
{
  LabWindow *window = get_window ();
  LabHostStore *store = lab_application_get_host_store (app);
  g_autoptr(LabHost) host = lab_host_new ("first name", "127.0.0.1");
  LabHostRow *row;
  GtkWidget *menu_button;

  /* Nothing listens on the discard port: connecting fails at once, locally. */
  lab_host_set_port (host, 9);
  lab_host_store_add (store, host);
  lab_test_flush (GTK_WIDGET (window));
  row = find_host_row (GTK_WIDGET (window), host);
  g_assert_nonnull (row);
  menu_button = lab_host_row_get_menu_button (row);
  g_assert_cmpstr (gtk_label_get_text (find_label_with_class (GTK_WIDGET (row), "title")), ==,
                   "first name");
  g_assert_cmpstr (gtk_label_get_text (find_label_with_class (GTK_WIDGET (row), "subtitle")),
                   ==, "127.0.0.1:9");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Menu of first name");

  lab_host_set_name (host, "second name");
  lab_host_set_user (host, "mirage");
  lab_test_flush (GTK_WIDGET (window));
  g_assert_true (find_host_row (GTK_WIDGET (window), host) == row);
  g_assert_true (lab_host_row_get_menu_button (row) == menu_button);
  g_assert_cmpstr (gtk_label_get_text (find_label_with_class (GTK_WIDGET (row), "title")), ==,
                   "second name");
  g_assert_cmpstr (gtk_label_get_text (find_label_with_class (GTK_WIDGET (row), "subtitle")),
                   ==, "mirage@127.0.0.1:9");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Menu of second name");

  lab_host_store_remove (store, host);
  lab_test_flush (GTK_WIDGET (window));
  g_assert_cmpstr (lab_window_get_visible_page (window), ==, "welcome");
}

/* A check's row follows its result: a finding shows in the row the list already has. */
static void
test_window_check_row_follows_result (void)
{
  LabWindow *window = get_window ();
  LabHostStore *store = lab_application_get_host_store (app);
  g_autoptr(LabHost) host = lab_host_new ("checked", "127.0.0.1");
  LabCheckWindow *check;
  LabCheckResult *result;
  LabCheckRow *row;
  GtkLabel *evidence;

  lab_host_set_port (host, 9);
  lab_host_store_add (store, host);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.check-host", "s",
                                             lab_host_get_id (host)));
  check = LAB_CHECK_WINDOW (lab_test_find_toplevel (LAB_TYPE_CHECK_WINDOW));
  g_assert_nonnull (check);
  lab_test_flush (GTK_WIDGET (check));
  result = lab_host_check_lookup (lab_check_window_get_check (check), LAB_CHECK_DNSMASQ);
  row = find_check_row (GTK_WIDGET (check), result);
  g_assert_nonnull (row);
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (row),
                                          "dnsmasq serving DHCP on the bridge"));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (row), "Checking…"));

  lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, "no dnsmasq\x1b[31m process",
                        "Start it.", "sudo systemctl start dnsmasq");
  lab_test_flush (GTK_WIDGET (check));
  g_assert_true (find_check_row (GTK_WIDGET (check), result) == row);
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (row), "Problem"));
  g_assert_null (find_label_with_text (GTK_WIDGET (row), "Checking…"));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (row), "Start it."));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (row), "sudo systemctl start dnsmasq"));
  /* What dom0 printed is shown with a picture for its control character. */
  evidence = find_label_with_text (GTK_WIDGET (row), "no dnsmasq␛[31m process");
  g_assert_nonnull (evidence);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (evidence)));

  lab_check_result_reset (result);
  lab_test_flush (GTK_WIDGET (check));
  g_assert_true (find_check_row (GTK_WIDGET (check), result) == row);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (evidence)));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (row), "Checking…"));

  gtk_window_destroy (GTK_WINDOW (check));
  lab_host_store_remove (store, host);
  lab_test_flush (GTK_WIDGET (window));
}

/* The toast shown in @root, if any (its widget type is libadwaita's own). */
static GtkWidget *
find_toast_widget (GtkWidget *root)
{
  if (g_strcmp0 (G_OBJECT_TYPE_NAME (root), "AdwToastWidget") == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toast_widget (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Toasts queue and show one at a time: none is left for the screenshots that follow. */
static void
dismiss_all_toasts (GtkWidget *root)
{
  GtkWidget *widget;
  guint guard = 0;

  while ((widget = find_toast_widget (root)) != NULL && guard++ < 100)
    {
      g_autoptr(AdwToast) toast = NULL;

      g_object_get (widget, "toast", &toast, NULL);
      adw_toast_dismiss (toast);
      lab_test_flush (root);
    }
  g_assert_null (find_toast_widget (root));
}

static gboolean
connection_settled (gpointer data)
{
  LabConnectionState state = lab_host_connection_get_state (data);

  return state == LAB_CONNECTION_STATE_FAILED || state == LAB_CONNECTION_STATE_DISCONNECTED;
}

static void
select_host_row (LabWindow *window,
                 LabHost   *host)
{
  LabHostRow *row = find_host_row (GTK_WIDGET (window), host);

  g_assert_nonnull (row);
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (GTK_WIDGET (row))),
                           GTK_LIST_BOX_ROW (row));
  g_assert_true (lab_window_get_selected_host (window) == host);
  g_assert_true (lab_window_get_connection (window) == lab_application_get_connection (app, host));
  g_assert_true (lab_test_wait_for (connection_settled, lab_window_get_connection (window), 10000));
}

/* The window follows its connection property: selecting another host moves the title, the
 * bar and the handlers to that host's connection, and the old one no longer reaches it. */
static void
test_window_connection_follows_selection (void)
{
  LabWindow *window = get_window ();
  LabHostStore *store = lab_application_get_host_store (app);
  g_autoptr(LabHost) alpha = lab_host_new ("alpha", "127.0.0.1");
  g_autoptr(LabHost) beta = lab_host_new ("beta", "127.0.0.1");
  g_autoptr(LabDomain) crashed = lab_domain_new ("guest");
  LabHostConnection *old;
  LabHostConnection *now;
  g_autofree char *toast = NULL;

  lab_host_set_port (alpha, 9);
  lab_host_set_port (beta, 9);
  lab_host_store_add (store, alpha);
  lab_host_store_add (store, beta);
  lab_test_flush (GTK_WIDGET (window));
  lab_domain_set_end (crashed, LAB_DOMAIN_END_CRASH, TRUE, TRUE);

  select_host_row (window, alpha);
  old = lab_window_get_connection (window);
  g_assert_cmpstr (adw_window_title_get_title (window->content_title), ==, "alpha");
  g_assert_cmpstr (adw_window_title_get_subtitle (window->content_title), ==,
                   lab_connection_state_to_string (lab_host_connection_get_state (old)));
  /* The selected host's domain-ended reaches the window as a toast. */
  g_signal_emit_by_name (old, "domain-ended", crashed);
  g_assert_nonnull (lab_window_get_last_toast (window));
  g_assert_nonnull (strstr (lab_window_get_last_toast (window), "guest"));

  select_host_row (window, beta);
  now = lab_window_get_connection (window);
  g_assert_true (now != old);
  g_assert_cmpstr (adw_window_title_get_title (window->content_title), ==, "beta");
  g_assert_cmpstr (adw_window_title_get_subtitle (window->content_title), ==,
                   lab_connection_state_to_string (lab_host_connection_get_state (now)));
  g_assert_true (gtk_revealer_get_reveal_child (window->connection_revealer));

  /* The old connection and its host reach nothing: no toast, no title. */
  lab_window_add_toast (window, "marker");
  g_signal_emit_by_name (old, "domain-ended", crashed);
  g_assert_cmpstr (lab_window_get_last_toast (window), ==, "marker");
  lab_host_set_name (alpha, "alpha renamed");
  g_object_notify (G_OBJECT (old), "state");
  lab_test_flush (GTK_WIDGET (window));
  g_assert_cmpstr (adw_window_title_get_title (window->content_title), ==, "beta");
  /* The selected one's do. */
  lab_host_set_name (beta, "beta renamed");
  g_assert_cmpstr (adw_window_title_get_title (window->content_title), ==, "beta renamed");
  g_signal_emit_by_name (now, "domain-ended", crashed);
  toast = g_strdup (lab_window_get_last_toast (window));
  g_assert_nonnull (strstr (toast, "guest"));

  lab_host_store_remove (store, alpha);
  lab_host_store_remove (store, beta);
  dismiss_all_toasts (GTK_WIDGET (window));
  g_assert_null (lab_window_get_connection (window));
  g_assert_cmpstr (adw_window_title_get_title (window->content_title), ==, "Domains");
  g_assert_cmpstr (adw_window_title_get_subtitle (window->content_title), ==, "");
  g_assert_cmpstr (lab_window_get_visible_page (window), ==, "welcome");
}

static void
test_window_dark_style (void)
{
  LabWindow *window = get_window ();
  GSettings *settings = lab_application_get_settings (app);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autofree char *shot = NULL;

  g_settings_set_string (settings, "color-scheme", "dark");
  g_assert_true (adw_style_manager_get_dark (style_manager));
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "window-welcome-dark");

  g_settings_set_string (settings, "color-scheme", "light");
  g_assert_false (adw_style_manager_get_dark (style_manager));
  g_settings_reset (settings, "color-scheme");
}

static void
assert_menu_has_action (GMenuModel *menu,
                        const char *action)
{
  gboolean found = FALSE;

  for (int i = 0; i < g_menu_model_get_n_items (menu) && !found; i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        {
          for (int j = 0; j < g_menu_model_get_n_items (section) && !found; j++)
            {
              g_autofree char *inner = NULL;

              if (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION,
                                                   "s", &inner))
                found = g_strcmp0 (inner, action) == 0;
            }
        }
      else if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name))
        {
          found = g_strcmp0 (name, action) == 0;
        }
    }

  if (!found)
    g_error ("primary menu has no item for %s", action);
}

static gboolean
is_drawn_menu_button (GtkWidget *widget,
                      gpointer   unused)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_widget_is_drawable (widget);
}

static void
test_window_primary_menu (void)
{
  LabWindow *window = get_window ();
  GtkMenuButton *button;
  GMenuModel *menu;
  GtkWindow *preferences;
  GtkWindow *about;
  GtkWindow *shortcuts;
  g_autofree char *shot = NULL;

  lab_test_flush (GTK_WIDGET (window));
  button = GTK_MENU_BUTTON (lab_test_find_widget (GTK_WIDGET (window), is_drawn_menu_button,
                                                  NULL));
  g_assert_nonnull (button);
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);
  assert_menu_has_action (menu, "app.preferences");
  assert_menu_has_action (menu, "win.show-help-overlay");
  assert_menu_has_action (menu, "app.about");

  /* Preferences */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = lab_test_find_toplevel (LAB_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  shot = lab_test_save_screenshot (GTK_WIDGET (preferences), "preferences");
  close_toplevels_of_type (LAB_TYPE_PREFERENCES_WINDOW);

  /* Keyboard shortcuts (GtkApplication loads gtk/help-overlay.ui from resources) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = lab_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (shortcuts), "shortcuts");
  gtk_widget_set_visible (GTK_WIDGET (shortcuts), FALSE);

  /* About */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = lab_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Mirage Lab");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_VERSION);
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (about), "about");
  close_toplevels_of_type (ADW_TYPE_ABOUT_WINDOW);
}

static void
test_preferences_bind_settings (void)
{
  GSettings *settings = lab_application_get_settings (app);
  g_autoptr(GSettings) keep = g_object_ref (settings);
  LabPreferencesWindow *preferences = lab_preferences_window_new (settings);

  /* Settings → widgets and widgets → settings, through the real bindings. */
  g_settings_set_double (settings, "refresh-interval", 5.0);
  g_settings_set_string (settings, "color-scheme", "dark");
  gtk_window_present (GTK_WINDOW (preferences));
  lab_test_flush (GTK_WIDGET (preferences));
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));

  g_settings_reset (settings, "refresh-interval");
  g_settings_reset (settings, "color-scheme");
  g_assert_cmpfloat (g_settings_get_double (settings, "refresh-interval"), ==, 2.0);
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_window_accels (void)
{
  g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_auto(GStrv) prefs = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                               "app.preferences");

  g_assert_true (g_strv_contains ((const char * const *) quit, "<Control>q"));
  g_assert_true (g_strv_contains ((const char * const *) prefs, "<Control>comma"));
}

/* The shortcuts window (Ctrl+?) lists the domain keys as the domain list binds them. */
static void
test_window_shortcuts (void)
{
  LabWindow *window = get_window ();
  GtkWindow *overlay;
  g_autoptr(GtkBuilder) builder = NULL;
  g_autofree char *shot = NULL;
  gboolean shut_down = FALSE, force_off = FALSE;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay",
                                             NULL));
  overlay = lab_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (overlay);
  lab_test_flush (GTK_WIDGET (overlay));
  shot = lab_test_save_screenshot (GTK_WIDGET (overlay), "shortcuts");

  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/gtk/help-overlay.ui");
  for (GSList *l = gtk_builder_get_objects (builder); l != NULL; l = g_slist_delete_link (l, l))
    {
      g_autofree char *title = NULL;
      g_autofree char *accel = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "title", &title, "accelerator", &accel, NULL);
      shut_down |= g_strcmp0 (title, "Shut Down") == 0 && g_strcmp0 (accel, "Delete") == 0;
      force_off |= g_strcmp0 (title, "Force Off") == 0
                   && g_strcmp0 (accel, "<Shift>Delete") == 0;
    }
  g_assert_true (shut_down);
  g_assert_true (force_off);
  gtk_window_destroy (overlay);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* The test AT context keeps what the widgets tell assistive technology, so accessible
   * names can be asserted (with "none" no widget has a context to ask). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (!lab_test_gtk_init (&argc, &argv))
    return 0;

  app = lab_test_app_new ();

  g_test_add_func ("/window/empty-state", test_window_empty_state);
  g_test_add_func ("/window/hosts", test_window_hosts);
  g_test_add_func ("/window/host-row-follows-host", test_window_host_row_follows_host);
  g_test_add_func ("/window/check-row-follows-result", test_window_check_row_follows_result);
  g_test_add_func ("/window/connection-follows-selection",
                   test_window_connection_follows_selection);
  g_test_add_func ("/window/dark-style", test_window_dark_style);
  g_test_add_func ("/window/primary-menu", test_window_primary_menu);
  g_test_add_func ("/window/accels", test_window_accels);
  g_test_add_func ("/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/preferences/bind-settings", test_preferences_bind_settings);

  ret = g_test_run ();
  lab_test_app_close (g_steal_pointer (&app));
  return ret;
}
