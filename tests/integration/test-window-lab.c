/* test-window-lab.c — the whole window against the fast lab, as a user drives it: add the lab
 * host, connect, see Domain-0 and the configs, start, pause, resume, force off, a crash, two
 * hosts at once, an error toast, Open in Browser handing the right URL to the desktop.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab-app-util.h"
#include "lab-application.h"
#include "lab-test-gtk-utils.h"
#include "views/lab-build-tab.h"
#include "views/lab-config-editor-private.h"
#include "views/lab-console-tab.h"
#include "views/lab-domain-view.h"
#include "views/lab-output-window.h"
#include "views/lab-setup-window.h"
#include "views/lab-window.h"

#define SAMPLE_NAME "guest"

static LabApplication *app;
static char *browser_log;

static GPtrArray *notifications;   /* titles of the desktop notifications sent */

/* A desktop notification server on the test's session bus (GLib's org.gtk.Notifications
 * backend), so notifications are really sent and can be checked. */
static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "<method name='RemoveNotification'><arg type='s' direction='in'/>"
  "<arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
notification_method (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) notification = g_variant_get_child_value (parameters, 2);
      const char *title = NULL;
      const char *body = NULL;

      g_variant_lookup (notification, "title", "&s", &title);
      g_variant_lookup (notification, "body", "&s", &body);
      g_ptr_array_add (notifications, g_strdup_printf ("%s: %s", title ? title : "",
                                                       body ? body : ""));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notification_method, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.gtk.Notifications", 4),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static LabWindow *
get_window (void)
{
  return lab_test_app_window (app);
}

/* A desktop "browser" that writes the URL it was given to a file, registered as the
 * default handler for http and https in the test's private XDG dirs. */
static void
install_test_browser (void)
{
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *desktop = g_build_filename (apps, "lab-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list",
                                                NULL);
  g_autofree char *entry = NULL;
  g_autoptr(GError) error = NULL;

  browser_log = g_build_filename (g_get_home_dir (), "browser.log", NULL);
  entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                           "Exec=sh -c 'printf \"%%%%s\\\\n\" \"$1\" >> %s' sh %%u\n"
                           "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
                           browser_log);
  g_mkdir_with_parents (apps, 0700);
  g_assert_true (g_file_set_contents (desktop, entry, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\n"
                                      "x-scheme-handler/http=lab-test-browser.desktop\n"
                                      "x-scheme-handler/https=lab-test-browser.desktop\n",
                                      -1, &error));
  g_assert_no_error (error);
}

static LabHost *
add_lab_host (LabFixture *lab,
              const char *name)
{
  LabHost *host = lab_app_host_new (lab, NULL);

  lab_host_set_name (host, name);
  lab_host_store_add (lab_application_get_host_store (app), host);
  return host;
}

static gboolean
connected_with_domains (gpointer data)
{
  LabHostConnection *connection = data;

  return lab_host_connection_get_state (connection) == LAB_CONNECTION_STATE_CONNECTED
         && lab_domain_store_lookup (lab_host_connection_get_domains (connection),
                                     SAMPLE_NAME) != NULL;
}

typedef struct
{
  LabDomain      *domain;
  LabDomainState  state;
} StateWait;

static gboolean
domain_in_state (gpointer data)
{
  StateWait *wait = data;

  return lab_domain_get_state (wait->domain) == wait->state
         || (wait->state == LAB_DOMAIN_STATE_RUNNING
             && lab_domain_get_state (wait->domain) == LAB_DOMAIN_STATE_BLOCKED);
}

static gboolean
host_selected (gpointer data)
{
  return lab_window_get_selected_host (get_window ()) == data;
}

static gboolean
has_web (gpointer data)
{
  return lab_domain_get_web_url (data) != NULL;
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
tab_live (gpointer data)
{
  return lab_console_tab_get_status (data) == LAB_CONSOLE_STATUS_LIVE;
}

static gboolean
toast_about_missing (gpointer data)
{
  const char *toast = lab_window_get_last_toast (data);

  return toast != NULL && g_str_has_prefix (toast, "missing: ");
}

static gboolean
has_no_web (gpointer data)
{
  return lab_domain_get_web_url (data) == NULL;
}

static gboolean
notified (gpointer data)
{
  return notifications->len > 0;
}

static gboolean
browser_called (gpointer data)
{
  return g_file_test (browser_log, G_FILE_TEST_EXISTS);
}

static void
wait_state (LabDomain      *domain,
            LabDomainState  state)
{
  StateWait wait = { domain, state };

  if (!lab_test_wait_for (domain_in_state, &wait, 90000))
    g_test_message ("%s is %s, expected %s", lab_domain_get_name (domain),
                    lab_domain_state_to_string (lab_domain_get_state (domain)),
                    lab_domain_state_to_string (state));
  g_assert_cmpint (lab_domain_get_state (domain) == state
                   || (state == LAB_DOMAIN_STATE_RUNNING
                       && lab_domain_get_state (domain) == LAB_DOMAIN_STATE_BLOCKED), ==, TRUE);
}

static void
activate (LabDomainView *view,
          const char    *name,
          const char    *action)
{
  g_assert_true (lab_domain_view_select (view, name));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), action, NULL));
}

/* Force off asks first: answered as the user would, then the domain is shut off. A clicked
 * button closes the dialog; a response emitted by code does not, so it is closed here. */
static void
force_off (LabDomainView *view,
           const char    *name,
           LabDomain     *domain)
{
  GtkWindow *confirm;

  activate (view, name, "domain.destroy");
  confirm = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "force-off");
  gtk_window_destroy (confirm);
  wait_state (domain, LAB_DOMAIN_STATE_SHUT_OFF);
}

static void
on_crashed (LabHostConnection *connection,
            LabDomain         *domain,
            guint             *count)
{
  (*count)++;
}

static void
test_window_drives_lab (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabHost) host = NULL;
  LabWindow *window = get_window ();
  LabDomainView *view = lab_window_get_domain_view (window);
  LabHostConnection *connection;
  LabDomain *guest;
  LabDomain *crasher;
  g_autofree char *shot = NULL;
  g_autofree char *crash_path = NULL;
  g_autofree char *crash_text = NULL;
  g_autofree char *urls = NULL;
  guint crashes = 0;

  lab_app_trust_lab (lab);

  /* A config that crashes three seconds after boot, kept as crashed (on_crash=preserve). */
  crash_text = g_strdup_printf ("name = 'crasher'\ntype = 'pvh'\nkernel = '%s/unikernels/www.xen'\n"
                                "memory = 64\non_crash = 'preserve'\nvif = [ 'bridge=br0' ]\n"
                                "mlab_crash_after = 3\n", lab_fixture_get (lab, "LAB_HOME"));
  crash_path = g_build_filename (lab_fixture_get (lab, "LAB_HOME"), "unikernels", "crasher.xl",
                                 NULL);
  lab_app_write_user_file (lab, crash_path, crash_text);

  /* Add the lab as a host and connect: Domain-0 and the configs appear. */
  host = add_lab_host (lab, "lab dom0");
  connection = lab_application_get_connection (app, host);
  g_signal_connect (connection, "domain-crashed", G_CALLBACK (on_crashed), &crashes);
  if (!lab_test_wait_for (host_selected, host, 5000))
    g_test_message ("hosts in window: %u, selected %p, host %p, window %p",
                    g_list_model_get_n_items (lab_window_get_hosts (window)),
                    lab_window_get_selected_host (window), host, window);
  g_assert_true (lab_window_get_selected_host (window) == host);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect-host", NULL));
  g_assert_true (lab_test_wait_for (connected_with_domains, connection, 60000));
  g_assert_true (lab_domain_view_select (view, "Domain-0"));
  guest = lab_domain_store_lookup (lab_host_connection_get_domains (connection), SAMPLE_NAME);
  g_assert_nonnull (guest);
  g_assert_cmpint (lab_domain_get_state (guest), ==, LAB_DOMAIN_STATE_SHUT_OFF);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-connected");

  /* Start → running, with its IP and web page. */
  activate (view, SAMPLE_NAME, "domain.start");
  wait_state (guest, LAB_DOMAIN_STATE_RUNNING);
  g_assert_true (lab_test_wait_for (has_web, guest, 90000));
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-running");

  /* Open in Browser hands the probed URL to the desktop's handler. */
  activate (view, SAMPLE_NAME, "domain.open-browser");
  g_assert_true (lab_test_wait_for (browser_called, NULL, 10000));
  g_assert_true (g_file_get_contents (browser_log, &urls, NULL, NULL));
  g_test_message ("browser got: %s", urls);
  {
    g_autofree char *expected = g_strdup_printf ("%s\n", lab_domain_get_web_url (guest));

    g_assert_cmpstr (urls, ==, expected);
    g_assert_true (g_str_has_prefix (urls, "http://192.168.56."));
  }

  /* Open Console: a tab in the window, live; closing it leaves the domain running. */
  activate (view, SAMPLE_NAME, "domain.open-console");
  {
    AdwTabView *tabs = lab_window_get_tab_view (window);
    AdwTabPage *page;
    LabConsoleTab *tab;

    g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 1);
    page = adw_tab_view_get_nth_page (tabs, 0);
    tab = LAB_CONSOLE_TAB (adw_tab_page_get_child (page));
    g_assert_cmpstr (lab_console_tab_get_domain_name (tab), ==, SAMPLE_NAME);
    g_assert_true (lab_test_wait_for (tab_live, tab, 30000));
    /* What the domain printed before anyone was attached is delivered on attach. */
    g_assert_true (lab_test_terminal_wait_for (lab_console_tab_get_terminal (tab),
                                               "Lease obtained!", 30000));
    g_assert_nonnull (strstr (adw_tab_page_get_title (page), SAMPLE_NAME));
    /* Asking again focuses the same tab. */
    activate (view, SAMPLE_NAME, "domain.open-console");
    g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 1);
    /* The whole boot on screen (this is the metainfo's console screenshot): the terminal
     * draws what it holds a frame or two after it holds it. */
    g_assert_true (lab_test_terminal_wait_for (lab_console_tab_get_terminal (tab),
                                               "listening for HTTP", 30000));
    lab_test_run_for (500);
    lab_test_flush (GTK_WIDGET (lab_console_tab_get_terminal (tab)));
    g_clear_pointer (&shot, g_free);
    shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-console-in-window");
    adw_tab_view_close_page (tabs, page);
    g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 0);
    g_assert_true (lab_domain_get_running (guest));
  }

  /* Copy IP Address puts the address on the clipboard. */
  activate (view, SAMPLE_NAME, "domain.copy-ip");
  {
    ClipboardRead read = { NULL, FALSE };

    gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                   clipboard_read_cb, &read);
    g_assert_true (lab_test_wait_for (clipboard_done, &read, 5000));
    g_assert_cmpstr (read.text, ==, lab_domain_get_ip (guest));
    g_free (read.text);
  }

  /* Pause and resume. */
  activate (view, SAMPLE_NAME, "domain.pause");
  wait_state (guest, LAB_DOMAIN_STATE_PAUSED);
  activate (view, SAMPLE_NAME, "domain.resume");
  wait_state (guest, LAB_DOMAIN_STATE_RUNNING);

  force_off (view, SAMPLE_NAME, guest);

  /* A crash shows as crashed (preserved), and is announced once. */
  crasher = lab_app_wait_domain (connection, "crasher", 60);
  g_assert_nonnull (crasher);
  activate (view, "crasher", "domain.start");
  wait_state (crasher, LAB_DOMAIN_STATE_CRASHED);
  g_assert_cmpuint (crashes, ==, 1);
  g_assert_true (lab_test_wait_for (notified, NULL, 5000));
  g_test_message ("notification: %s", (char *) notifications->pdata[0]);
  g_assert_nonnull (strstr (notifications->pdata[0], "crasher"));
  /* A crashed unikernel serves nothing: no web page, no Open in Browser. */
  g_assert_true (lab_test_wait_for (has_no_web, crasher, 10000));
  g_assert_false (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_OPEN_IN_BROWSER, crasher));
  g_assert_true (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DESTROY, crasher));
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-crashed");
  /* Why it ended: in the toast and in the notification. */
  g_test_message ("toast: %s", lab_window_get_last_toast (window));
  g_assert_nonnull (strstr (lab_window_get_last_toast (window), "crasher: Crashed (preserved)"));
  g_assert_nonnull (strstr (notifications->pdata[0], "Crashed (preserved)"));

  /* Start with Console from the row: created paused, attached, unpaused; the tab has the
   * boot from xl's first line, and Last Output has the same after the tab is closed. */
  activate (view, SAMPLE_NAME, "domain.start-console");
  {
    AdwTabView *tabs = lab_window_get_tab_view (window);
    AdwTabPage *page;
    LabConsoleTab *tab;
    GtkWindow *output;
    LabTerminal *output_terminal;
    g_autofree char *text = NULL;

    g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 1);
    page = adw_tab_view_get_nth_page (tabs, 0);
    tab = LAB_CONSOLE_TAB (adw_tab_page_get_child (page));
    g_assert_true (lab_test_wait_for (tab_live, tab, 60000));
    g_assert_true (lab_test_terminal_wait_for (lab_console_tab_get_terminal (tab),
                                               "Lease obtained!", 60000));
    text = lab_terminal_dup_contents (lab_console_tab_get_terminal (tab));
    g_assert_true (g_str_has_prefix (text, "Parsing config from "));
    wait_state (guest, LAB_DOMAIN_STATE_RUNNING);
    adw_tab_view_close_page (tabs, page);

    activate (view, SAMPLE_NAME, "domain.show-output");
    output = lab_test_find_toplevel (LAB_TYPE_OUTPUT_WINDOW);
    g_assert_nonnull (output);
    output_terminal = lab_output_window_get_terminal (LAB_OUTPUT_WINDOW (output));
    g_assert_true (lab_test_terminal_wait_for (output_terminal, "Lease obtained!", 10000));
    g_clear_pointer (&shot, g_free);
    shot = lab_test_save_screenshot (GTK_WIDGET (output), "lab-last-output");
    gtk_window_destroy (output);

    force_off (view, SAMPLE_NAME, guest);
    g_assert_cmpint (lab_domain_get_end_reason (guest), ==, LAB_DOMAIN_END_DESTROYED_BY_USER);
  }
  /* A classic builder='linux' config: Start explains it and offers the fix; Fix and Start
   * rewrites it on dom0 and starts the domain once the fixed config is back. */
  {
    g_autoptr(GRegex) type_line = g_regex_new ("^type\\s*=.*$", G_REGEX_MULTILINE, 0, NULL);
    g_autoptr(GRegex) name_line = g_regex_new ("^name\\s*=.*$", G_REGEX_MULTILINE, 0, NULL);
    g_autofree char *typed = g_regex_replace_literal (
      type_line, lab_xl_config_get_text (lab_domain_get_config (guest)), -1, 0,
      "builder = 'linux'", 0, NULL);
    g_autofree char *legacy = g_regex_replace_literal (name_line, typed, -1, 0,
                                                       "name = 'classic'", 0, NULL);
    g_autofree char *path = g_build_filename (lab_fixture_get (lab, "LAB_HOME"), "unikernels",
                                              "classic-test.xl", NULL);
    LabDomain *classic;
    GtkWindow *offer;

    lab_app_write_user_file (lab, path, legacy);
    classic = lab_app_wait_domain (connection, "classic", 60);
    g_assert_nonnull (classic);
    activate (view, "classic", "domain.start");
    g_assert_true (lab_test_wait_for (message_dialog_shown, NULL, 10000));
    offer = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (offer)), ==,
                     "Old-Style Configuration");
    g_clear_pointer (&shot, g_free);
    shot = lab_test_save_screenshot (GTK_WIDGET (offer), "lab-legacy-offer");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (offer), "fix");
    gtk_window_destroy (offer);
    wait_state (classic, LAB_DOMAIN_STATE_RUNNING);
    g_assert_false (lab_xl_config_has_legacy_builder (lab_domain_get_config (classic)));
    force_off (view, "classic", classic);
  }

  /* A config whose kernel is missing: xl's own error reaches the user as a toast. */
  activate (view, "missing", "domain.start");
  g_assert_true (lab_test_wait_for (toast_about_missing, window, 30000));
  g_test_message ("toast: %s", lab_window_get_last_toast (window));
  g_assert_nonnull (strstr (lab_window_get_last_toast (window), "missing"));
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-error-toast");

  force_off (view, "crasher", crasher);
}

static gboolean
unwanted_gone (gpointer data)
{
  return lab_domain_store_lookup (lab_host_connection_get_domains (data), "unwanted") == NULL;
}

static gboolean
toast_about_deleted (gpointer data)
{
  const char *toast = lab_window_get_last_toast (data);

  return toast != NULL && g_str_has_prefix (toast, "unwanted deleted: its files are in ");
}

/* Delete… asks first, naming the config and offering to take the kernel image along; the
 * row goes and a toast says where the files are now. */
static void
test_delete (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabWindow *window = get_window ();
  LabDomainView *view = lab_window_get_domain_view (window);
  LabHostConnection *connection;
  const char *home = lab_fixture_get (lab, "LAB_HOME");
  g_autofree char *path = g_build_filename (home, "unikernels", "unwanted.xl", NULL);
  g_autofree char *kernel = g_build_filename (home, "unikernels", "unwanted.xen", NULL);
  g_autofree char *shot = NULL;
  GtkWindow *confirm;
  GtkWidget *check;

  connection = lab_application_get_connection (app, lab_window_get_selected_host (window));
  lab_app_write_user_file (lab, kernel, "not really a kernel\n");
  lab_app_write_user_file (lab, path, "name = 'unwanted'\ntype = 'pvh'\n"
                                      "kernel = 'unwanted.xen'\nmemory = 32\n");
  lab_host_connection_poll_now (connection);
  g_assert_nonnull (lab_app_wait_domain (connection, "unwanted", 60));

  activate (view, "unwanted", "domain.delete");
  g_assert_true (lab_test_wait_for (message_dialog_shown, NULL, 10000));
  confirm = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirm)), ==,
                   "Delete Domain?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)), path));
  check = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (confirm));
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  g_assert_nonnull (strstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), kernel));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  shot = lab_test_save_screenshot (GTK_WIDGET (confirm), "lab-delete-confirm");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "delete");
  gtk_window_destroy (confirm);

  g_assert_true (lab_test_wait_for (unwanted_gone, connection, 60000));
  g_assert_true (lab_test_wait_for (toast_about_deleted, window, 10000));
  g_test_message ("toast: %s", lab_window_get_last_toast (window));
  {
    g_autofree char *script = g_strdup_printf ("test -e '%s' || test -e '%s' || echo both-moved",
                                               path, kernel);
    g_autofree char *out = NULL;

    g_assert_true (lab_fixture_exec_sh (lab, script, &out, NULL, NULL));
    g_assert_nonnull (strstr (out, "both-moved"));
  }
}

static gboolean
toast_about_copy (gpointer data)
{
  const char *toast = lab_window_get_last_toast (data);

  return toast != NULL && g_str_has_prefix (toast, "orig-copy saved as ");
}

/* Duplicate… suggests a free name, refuses one in use or unsafe (saying why), and saves the
 * copy beside the original with a new MAC; it shows in the list. */
static void
test_duplicate (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabWindow *window = get_window ();
  LabDomainView *view = lab_window_get_domain_view (window);
  LabHostConnection *connection;
  const char *home = lab_fixture_get (lab, "LAB_HOME");
  g_autofree char *path = g_build_filename (home, "unikernels", "orig.xl", NULL);
  g_autofree char *copy = g_build_filename (home, "unikernels", "orig-copy.xl", NULL);
  g_autofree char *script = g_strdup_printf ("cat -- '%s'; rm -f -- '%s' '%s'", copy, copy,
                                             path);
  g_autofree char *out = NULL;
  g_autofree char *shot = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *box, *entry, *problem;

  connection = lab_application_get_connection (app, lab_window_get_selected_host (window));
  lab_app_write_user_file (lab, path, "name = 'orig'\ntype = 'pvh'\nkernel = 'orig.xen'\n"
                                      "memory = 32\nvif = [ 'mac=00:16:3e:01:02:03' ]\n"
                                      "disk = [ 'file:/tmp/orig.img,xvda,w' ]\n");
  lab_host_connection_poll_now (connection);
  g_assert_nonnull (lab_app_wait_domain (connection, "orig", 60));

  activate (view, "orig", "domain.duplicate");
  g_assert_true (lab_test_wait_for (message_dialog_shown, NULL, 10000));
  dialog = ADW_MESSAGE_DIALOG (lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Duplicate Domain");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "same disks"));
  box = adw_message_dialog_get_extra_child (dialog);
  entry = gtk_widget_get_first_child (box);
  problem = gtk_widget_get_next_sibling (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "orig-2");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "duplicate"));
  g_assert_false (gtk_widget_get_visible (problem));

  gtk_editable_set_text (GTK_EDITABLE (entry), "orig");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "duplicate"));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (problem)), ==,
                   "There is already a domain named orig.");
  gtk_editable_set_text (GTK_EDITABLE (entry), "<b>x</b>");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "duplicate"));
  shot = lab_test_save_screenshot (GTK_WIDGET (dialog), "lab-duplicate-refused");
  gtk_editable_set_text (GTK_EDITABLE (entry), "orig-copy");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "duplicate"));
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (dialog), "lab-duplicate");
  adw_message_dialog_response (dialog, "duplicate");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_nonnull (lab_app_wait_domain (connection, "orig-copy", 60));
  g_assert_true (lab_test_wait_for (toast_about_copy, window, 10000));
  g_test_message ("toast: %s", lab_window_get_last_toast (window));
  g_assert_true (lab_fixture_exec_sh (lab, script, &out, NULL, NULL));
  g_test_message ("%s", out);
  g_assert_true (g_str_has_prefix (out, "name = 'orig-copy'\ntype = 'pvh'\n"));
  g_assert_nonnull (strstr (out, "vif = [ 'mac=00:16:3e:"));
  g_assert_null (strstr (out, "00:16:3e:01:02:03"));
}

static gboolean
toast_about_edit (gpointer data)
{
  const char *toast = lab_window_get_last_toast (data);

  return toast != NULL && g_str_has_prefix (toast, "tuned saved; the old text is in ");
}

static gboolean
editor_checked_or_clean (gpointer data)
{
  const char *problems = lab_config_editor_get_problems (data);

  return problems == NULL || !g_str_has_prefix (problems, "Checking");
}

static gboolean
editor_shown (gpointer data)
{
  return lab_test_find_toplevel (LAB_TYPE_CONFIG_EDITOR) != NULL;
}

/* Edit…: the form's change, reviewed as a diff and saved over the config on dom0, with the
 * old text kept beside it; the list shows the new memory. */
static void
test_edit (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabWindow *window = get_window ();
  LabDomainView *view = lab_window_get_domain_view (window);
  LabHostConnection *connection;
  const char *home = lab_fixture_get (lab, "LAB_HOME");
  g_autofree char *path = g_build_filename (home, "unikernels", "tuned.xl", NULL);
  g_autofree char *script = g_strdup_printf ("cat -- '%s' '%s.mirage-lab.bak'; rm -f -- '%s'*",
                                             path, path, path);
  g_autofree char *out = NULL;
  LabConfigEditor *editor;
  LabDomain *tuned;

  connection = lab_application_get_connection (app, lab_window_get_selected_host (window));
  lab_app_write_user_file (lab, path, "# tuned by hand\nname = 'tuned'\ntype = 'pvh'\n"
                                      "kernel = 'tuned.xen'\nmemory = 32 # small\n");
  lab_host_connection_poll_now (connection);
  tuned = lab_app_wait_domain (connection, "tuned", 60);
  g_assert_nonnull (tuned);

  activate (view, "tuned", "domain.edit");
  g_assert_true (lab_test_wait_for (editor_shown, NULL, 10000));
  editor = LAB_CONFIG_EDITOR (lab_test_find_toplevel (LAB_TYPE_CONFIG_EDITOR));
  gtk_spin_button_set_value (lab_config_editor_get_memory_spin (editor), 48);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.review", NULL);
  g_assert_cmpstr (lab_config_editor_get_page (editor), ==, "review");
  /* Its kernel was never built: said before saving, and saving is against the advice. */
  g_assert_true (lab_test_wait_for (editor_checked_or_clean, editor, 30000));
  g_test_message ("check: %s", lab_config_editor_get_problems (editor));
  g_assert_nonnull (strstr (lab_config_editor_get_problems (editor),
                            "/unikernels/tuned.xen, is not on dom0."));
  g_assert_cmpstr (lab_config_editor_get_save_label (editor), ==, "Save _Anyway");
  {
    g_autofree char *shot = lab_test_save_screenshot (GTK_WIDGET (editor), "lab-edit-review");
  }
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (lab_test_wait_for (toast_about_edit, window, 60000));
  g_test_message ("toast: %s", lab_window_get_last_toast (window));
  g_assert_null (lab_test_find_toplevel (LAB_TYPE_CONFIG_EDITOR));
  g_assert_true (lab_xl_config_get_number (lab_domain_get_config (tuned), "memory", NULL));
  g_assert_cmpint (lab_domain_get_memory_mib (tuned), ==, 48);

  g_assert_true (lab_fixture_exec_sh (lab, script, &out, NULL, NULL));
  g_assert_cmpstr (out, ==,
                   "# tuned by hand\nname = 'tuned'\ntype = 'pvh'\nkernel = 'tuned.xen'\n"
                   "memory = 48 # small\n"
                   "# tuned by hand\nname = 'tuned'\ntype = 'pvh'\nkernel = 'tuned.xen'\n"
                   "memory = 32 # small\n");
}

static gboolean
upload_done (gpointer data)
{
  const char *status = lab_config_editor_get_upload_status (data);

  return status != NULL && g_str_has_prefix (status, "Copied to ");
}

/* An image on this computer, copied next to the new config: the kernel setting follows,
 * and dom0's copy has the same bytes. */
static void
upload_image (LabTestFixture  *fixture,
              LabConfigEditor *editor)
{
  g_autofree char *local = g_build_filename (g_get_tmp_dir (), "fresh-image.xen", NULL);
  g_autofree char *want = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (local);
  g_autoptr(GBytes) bytes = NULL;
  guint8 *data = g_malloc (3 * 1024 * 1024);

  for (gsize i = 0; i < 3 * 1024 * 1024; i++)
    data[i] = g_random_int () & 0xff;
  bytes = g_bytes_new_take (data, 3 * 1024 * 1024);
  g_assert_true (g_file_set_contents (local, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
  want = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  lab_config_editor_upload (editor, file);
  g_assert_true (lab_test_wait_for (upload_done, editor, 120000));
  g_test_message ("upload: %s", lab_config_editor_get_upload_status (editor));
  remote = g_build_filename (lab_fixture_get (fixture->lab, "LAB_HOME"), "unikernels",
                             "fresh-image.xen", NULL);
  g_assert_cmpstr (gtk_editable_get_text (lab_config_editor_get_domain_entry (editor, "kernel")),
                   ==, remote);
  script = g_strdup_printf ("sha256sum < '%s'; rm -f -- '%s'", remote, remote);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, script, &out, NULL, NULL));
  g_assert_true (g_str_has_prefix (out, want));
  g_unlink (local);
}

static gboolean
fresh_running (gpointer data)
{
  LabDomain *fresh = lab_domain_store_lookup (lab_host_connection_get_domains (data), "fresh");

  return fresh != NULL && lab_domain_get_running (fresh);
}

/* New Domain… (Ctrl+N): a form with a free name, a MAC of Xen's range and the host's bridge;
 * the user names it, points it at a kernel on dom0, adds lines in the text view; the check
 * finds nothing wrong; saved in the host's first config folder, it starts with its console. */
static void
test_new_domain (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabWindow *window = get_window ();
  LabHostConnection *connection;
  const char *home = lab_fixture_get (lab, "LAB_HOME");
  g_autofree char *path = g_build_filename (home, "unikernels", "fresh.xl", NULL);
  g_autofree char *script = g_strdup_printf ("cat -- '%s'", path);
  g_autofree char *out = NULL;
  g_autofree char *shot = NULL;
  LabConfigEditor *editor;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  LabDomain *fresh;

  connection = lab_application_get_connection (app, lab_window_get_selected_host (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-domain", NULL));
  g_assert_true (lab_test_wait_for (editor_shown, NULL, 10000));
  editor = LAB_CONFIG_EDITOR (lab_test_find_toplevel (LAB_TYPE_CONFIG_EDITOR));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "New Domain");
  g_assert_cmpstr (gtk_editable_get_text (lab_config_editor_get_domain_entry (editor, "name")),
                   ==, "unikernel");
  g_assert_cmpstr (gtk_editable_get_text (lab_config_editor_get_domain_entry (editor, "bridge")),
                   ==, "br0");
  lab_test_flush (GTK_WIDGET (editor));
  shot = lab_test_save_screenshot (GTK_WIDGET (editor), "lab-new-domain");

  gtk_editable_set_text (lab_config_editor_get_domain_entry (editor, "name"), "fresh");
  upload_image (fixture, editor);
  gtk_editable_set_text (lab_config_editor_get_domain_entry (editor, "kernel"),
                         "/home/mirage/unikernels/guest-vmlinuz");
  adw_combo_row_set_selected (lab_config_editor_get_type_row (editor), 1);
  gtk_spin_button_set_value (lab_config_editor_get_memory_spin (editor), 128);
  lab_config_editor_show_view (editor, "text");
  buffer = lab_config_editor_get_text (editor);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "ramdisk = '/home/mirage/unikernels/guest-initrd.gz'\n"
                                        "extra = 'console=hvc0 quiet xenlab.name=fresh'\n", -1);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.review", NULL);
  g_assert_cmpstr (lab_config_editor_get_page (editor), ==, "review");
  g_assert_true (lab_test_wait_for (editor_checked_or_clean, editor, 30000));
  g_test_message ("check: %s", lab_config_editor_get_problems (editor) ?: "(nothing)");
  g_assert_null (lab_config_editor_get_problems (editor));
  g_assert_cmpstr (lab_config_editor_get_save_label (editor), ==, "_Save");
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (editor), "lab-new-domain-review");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);

  g_assert_true (lab_test_wait_for (fresh_running, connection, 90000));
  fresh = lab_domain_store_lookup (lab_host_connection_get_domains (connection), "fresh");
  g_assert_null (lab_test_find_toplevel (LAB_TYPE_CONFIG_EDITOR));
  g_assert_true (g_str_has_prefix (lab_window_get_last_toast (window), "fresh saved as "));
  g_assert_true (lab_fixture_exec_sh (lab, script, &out, NULL, NULL));
  g_test_message ("%s", out);
  g_assert_true (g_str_has_prefix (out, "# Made with Mirage Lab\nname = 'fresh'\n"
                                        "type = 'pv'\n"));
  g_assert_nonnull (strstr (out, "vif = [ 'bridge=br0,mac=00:16:3e:"));
  force_off (lab_window_get_domain_view (window), "fresh", fresh);
}

/* A second host at once: the same lab under another name, both connected, each its list. */
static void
test_two_hosts (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabHost) second = NULL;
  LabHostConnection *first_connection;
  LabHostConnection *second_connection;
  LabWindow *window = get_window ();
  g_autofree char *shot = NULL;

  first_connection = lab_application_get_connection (app, lab_window_get_selected_host (window));
  second = add_lab_host (lab, "same lab, second entry");
  second_connection = lab_application_get_connection (app, second);
  g_assert_true (first_connection != second_connection);
  lab_host_connection_connect (second_connection);
  g_assert_true (lab_test_wait_for (connected_with_domains, second_connection, 60000));
  g_assert_cmpint (lab_host_connection_get_state (first_connection), ==,
                   LAB_CONNECTION_STATE_CONNECTED);
  g_assert_true (lab_host_connection_get_domains (first_connection)
                 != lab_host_connection_get_domains (second_connection));
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-two-hosts");
}

/* ---- Rebuild and Restart ------------------------------------------------------------- */

typedef struct
{
  LabWindow  *window;
  const char *domain_name;
  GType       type;
} TabWait;

static GtkWidget *
find_tab (LabWindow  *window,
          GType       type,
          const char *domain_name)
{
  AdwTabView *tabs = lab_window_get_tab_view (window);

  for (int i = 0; i < adw_tab_view_get_n_pages (tabs); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (tabs, i));

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && g_strcmp0 (LAB_IS_BUILD_TAB (child)
                        ? lab_build_tab_get_domain_name (LAB_BUILD_TAB (child))
                        : lab_console_tab_get_domain_name (LAB_CONSOLE_TAB (child)),
                        domain_name) == 0)
        return child;
    }
  return NULL;
}

static gboolean
build_ended (gpointer data)
{
  LabBuildStatus status = lab_build_tab_get_status (data);

  return status != LAB_BUILD_STATUS_LOCATING && status != LAB_BUILD_STATUS_RUNNING
         && status != LAB_BUILD_STATUS_IDLE;
}

typedef struct
{
  LabWindow  *window;
  const char *text;
} ConsoleText;

static gboolean
console_shows (gpointer data)
{
  ConsoleText *wait = data;
  GtkWidget *tab = find_tab (wait->window, LAB_TYPE_CONSOLE_TAB, "website");
  g_autofree char *text = NULL;

  if (tab == NULL)
    return FALSE;
  text = lab_terminal_dup_contents (lab_console_tab_get_terminal (LAB_CONSOLE_TAB (tab)));
  return strstr (text, wait->text) != NULL;
}

typedef struct
{
  LabDomain *domain;
  int        old_domid;
} Restarted;

static gboolean
domain_restarted (gpointer data)
{
  Restarted *wait = data;

  return lab_domain_get_running (wait->domain)
         && lab_domain_get_domid (wait->domain) != wait->old_domid;
}

/* VTE shows what it was given on its own schedule: wait (bounded) for @text. */
static void
assert_terminal_shows (LabTerminal *terminal,
                       const char  *text)
{
  g_assert_true (lab_test_terminal_wait_for (terminal, text, 10000));
}

static LabBuildTab *
rebuild (LabWindow     *window,
         LabDomainView *view,
         const char    *name)
{
  LabBuildTab *tab;

  activate (view, name, "domain.rebuild");
  tab = LAB_BUILD_TAB (find_tab (window, LAB_TYPE_BUILD_TAB, name));
  g_assert_nonnull (tab);
  g_assert_true (lab_test_wait_for (build_ended, tab, 120000));
  g_test_message ("build of %s: %s", name, lab_build_tab_get_message (tab));
  return tab;
}

/* A Mirage project on dom0 (tests/lab/home/unikernels/website: `make build` writes a new
 * image whose boot log says which build it is): Rebuild and Restart builds it in a tab, with
 * progress, then destroys and recreates the domain with its console from the first line.
 * A failing build leaves the running domain alone; a config outside a project says so. */
static void
test_rebuild_and_restart (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabWindow *window = get_window ();
  LabDomainView *view = lab_window_get_domain_view (window);
  LabHostConnection *connection;
  LabDomain *website;
  LabBuildTab *tab;
  int domid;
  g_autofree char *shot = NULL;
  g_autofree char *break_path = NULL;
  ConsoleText first = { window, "[application] website build 1" };
  ConsoleText second = { window, "[application] website build 2" };
  Restarted restarted = { NULL, -1 };

  connection = lab_application_get_connection (app, lab_window_get_selected_host (window));
  website = lab_app_wait_domain (connection, "website", 60);
  g_assert_nonnull (website);
  g_assert_false (lab_domain_get_running (website));

  /* Not running yet: build, then start with the console. */
  tab = rebuild (window, view, "website");
  g_assert_cmpint (lab_build_tab_get_status (tab), ==, LAB_BUILD_STATUS_SUCCEEDED);
  g_assert_true (g_str_has_suffix (lab_build_tab_get_project (tab), "/unikernels/website"));
  g_assert_cmpfloat (lab_build_tab_get_fraction (tab), ==, 1.0);
  assert_terminal_shows (lab_build_tab_get_terminal (tab), "unikernels/website$ make build");
  assert_terminal_shows (lab_build_tab_get_terminal (tab), "Done: 100% (4/4, 0 left)");
  assert_terminal_shows (lab_build_tab_get_terminal (tab),
                         "Your unikernel binary is now ready in ./dist/website.xen");
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-build-succeeded");
  g_assert_true (lab_test_wait_for (console_shows, &first, 60000));
  wait_state (website, LAB_DOMAIN_STATE_RUNNING);
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-rebuilt-console");

  /* Running: the next build replaces it (a new domain ID) and its boot log shows. */
  domid = lab_domain_get_domid (website);
  restarted.domain = website;
  restarted.old_domid = domid;
  tab = rebuild (window, view, "website");
  g_assert_cmpint (lab_build_tab_get_status (tab), ==, LAB_BUILD_STATUS_SUCCEEDED);
  g_assert_true (find_tab (window, LAB_TYPE_BUILD_TAB, "website") == GTK_WIDGET (tab));
  g_assert_true (lab_test_wait_for (domain_restarted, &restarted, 60000));
  g_assert_true (lab_test_wait_for (console_shows, &second, 60000));

  /* A compile error: the build fails, the domain keeps running as it was. */
  domid = lab_domain_get_domid (website);
  break_path = g_build_filename (lab_fixture_get (lab, "LAB_HOME"), "unikernels", "website",
                                 "BREAK", NULL);
  lab_app_write_user_file (lab, break_path, "");
  tab = rebuild (window, view, "website");
  g_assert_cmpint (lab_build_tab_get_status (tab), ==, LAB_BUILD_STATUS_FAILED);
  g_assert_nonnull (strstr (lab_build_tab_get_message (tab), "status 2"));
  assert_terminal_shows (lab_build_tab_get_terminal (tab), "Error: Unbound value start");
  g_assert_cmpstr (lab_window_get_last_toast (window), ==, "Build of website failed");
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-build-failed");
  /* Polls later, still the same domain. */
  lab_host_connection_poll_now (connection);
  g_assert_true (lab_domain_get_running (website));
  g_assert_cmpint (lab_domain_get_domid (website), ==, domid);

  /* A config that is not in a Mirage project. */
  tab = rebuild (window, view, SAMPLE_NAME);
  g_assert_cmpint (lab_build_tab_get_status (tab), ==, LAB_BUILD_STATUS_FAILED);
  g_assert_true (g_str_has_prefix (lab_build_tab_get_message (tab), "No Mirage project found"));
}

static gboolean
first_tab_live (gpointer data)
{
  GtkWidget *tab = find_tab (data, LAB_TYPE_CONSOLE_TAB, "first");

  return tab != NULL && lab_console_tab_get_status (LAB_CONSOLE_TAB (tab))
                        == LAB_CONSOLE_STATUS_LIVE;
}

/* The setup wizard's last step: the unikernel it built (here a copy of the static
 * sample in a folder of its own, as mirage-skeleton's dist/ would be) starts from the main
 * window on the host the wizard set up, with its console in a tab, its address found and
 * Open in Browser offered. */
static void
test_setup_starts_unikernel (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabWindow *window = get_window ();
  LabSetupWindow *setup;
  LabHost *host;
  LabHostConnection *connection;
  LabDomain *first;
  int status = -1;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *shot = NULL;
  const char * const *folders;
  gboolean listed = FALSE;

  g_assert_true (lab_fixture_exec_sh (lab, "mkdir -p /home/mirage/first/dist && sed "
                                      "\"s/^name = 'static'/name = 'first'/\" "
                                      "/home/mirage/unikernels/static.xl > "
                                      "/home/mirage/first/dist/first.xl && "
                                      "chown -R mirage: /home/mirage/first", &out, &status,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);

  /* The host names another bridge than the wizard's network step used: the wizard's wins. */
  lab_host_set_bridge (lab_window_get_selected_host (window), "xenbr9");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start-setup", NULL);
  setup = LAB_SETUP_WINDOW (lab_test_find_toplevel (LAB_TYPE_SETUP_WINDOW));
  g_assert_nonnull (setup);
  lab_setup_state_set_setting (lab_setup_window_get_state (setup), "bridge", "br0");
  g_signal_emit_by_name (setup, "start-unikernel", lab_fixture_get (lab, "LAB_HOST"),
                         (guint) atoi (lab_fixture_get (lab, "LAB_PORT")),
                         lab_fixture_get (lab, "LAB_USER"), "first/dist/first.xl");

  /* The host the wizard set up is the listed one: its folders gain the unikernel's. */
  host = lab_window_get_selected_host (window);
  g_assert_nonnull (host);
  g_assert_cmpstr (lab_host_get_address (host), ==, lab_fixture_get (lab, "LAB_HOST"));
  g_assert_cmpstr (lab_host_get_bridge (host), ==, "br0");
  folders = lab_host_get_config_folders (host);
  for (guint i = 0; folders[i] != NULL; i++)
    listed |= g_str_equal (folders[i], "first/dist");
  g_assert_true (listed);

  g_assert_true (lab_test_wait_for (first_tab_live, window, 60000));
  connection = lab_application_get_connection (app, host);
  first = lab_domain_store_lookup (lab_host_connection_get_domains (connection), "first");
  g_assert_nonnull (first);
  g_assert_true (lab_test_wait_for (lab_app_domain_running, first, 60000));
  g_assert_true (lab_test_wait_for (has_web, first, 90000));
  g_test_message ("first unikernel at %s", lab_domain_get_web_url (first));
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "lab-setup-first-unikernel");
  gtk_window_destroy (GTK_WINDOW (setup));
  g_assert_null (lab_app_run_action (connection, first, LAB_DOMAIN_ACTION_DESTROY));
}

/* Before the lab goes: the window's connections end while dom0 is still there. */
static void
close_app (gpointer unused)
{
  lab_test_app_close (g_steal_pointer (&app));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!lab_test_gtk_init (&argc, &argv))
    return 0;
  install_test_browser ();
  start_notification_server ();

  app = lab_test_app_new ();

  lab_test_add ("/window-lab/drives-lab", "nopasswd", NULL, test_window_drives_lab);
  lab_test_add ("/window-lab/two-hosts", "nopasswd", NULL, test_two_hosts);
  lab_test_add ("/window-lab/delete", "nopasswd", NULL, test_delete);
  lab_test_add ("/window-lab/duplicate", "nopasswd", NULL, test_duplicate);
  lab_test_add ("/window-lab/edit", "nopasswd", NULL, test_edit);
  lab_test_add ("/window-lab/new-domain", "nopasswd", NULL, test_new_domain);
  lab_test_add ("/window-lab/rebuild-and-restart", "nopasswd", NULL,
                test_rebuild_and_restart);
  lab_test_add ("/window-lab/setup-starts-unikernel", "nopasswd", NULL,
                test_setup_starts_unikernel);

  lab_test_at_end (close_app, NULL);
  ret = lab_test_run ();

  g_free (browser_log);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  return ret;
}
