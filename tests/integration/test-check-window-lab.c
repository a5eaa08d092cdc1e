/* test-check-window-lab.c — the "Check Host" window against the fast lab, looked at
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the window on a host that is not connected (it says so and offers to connect), then
 * on the fast lab when healthy and with failures provoked (xenconsoled and dnsmasq stopped,
 * promiscuous mode denied with a leased domain), in light and dark style, and Host Details
 * of the fast lab; screenshots in G_TEST_BUILDDIR/screenshots/check-*.png and host-details*.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "lab-app-util.h"
#include "lab-test-gtk-utils.h"
#include "views/lab-check-window.h"
#include "views/lab-host-details-window-private.h"

static gboolean
check_done (gpointer data)
{
  LabHostCheck *check = lab_check_window_get_check (data);
  g_autoptr(LabCheckResult) first = g_list_model_get_item (lab_host_check_get_results (check),
                                                           0);

  return !lab_host_check_get_running (check)
         && lab_check_result_get_status (first) != LAB_CHECK_STATUS_PENDING;
}

static LabCheckStatus
status_of (LabCheckWindow *window,
           const char     *id)
{
  return lab_check_result_get_status (lab_host_check_lookup (lab_check_window_get_check (window),
                                                             id));
}

static void
shoot (gpointer    window,
       const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  lab_test_flush (GTK_WIDGET (window));
  light = lab_test_save_screenshot (GTK_WIDGET (window), name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  lab_test_flush (GTK_WIDGET (window));
  dark = lab_test_save_screenshot (GTK_WIDGET (window), dark_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("screenshots: %s %s", light, dark);
  g_assert_nonnull (light);
  g_assert_nonnull (dark);
}

static void
test_not_connected (void)
{
  g_autoptr(LabHost) host = lab_host_new ("Lab VM", "192.0.2.200");
  g_autoptr(LabHostConnection) offline = lab_host_connection_new (host);
  LabCheckWindow *window = lab_check_window_new (NULL, offline);

  gtk_window_present (GTK_WINDOW (window));
  lab_test_flush (GTK_WIDGET (window));
  g_assert_cmpstr (lab_check_window_get_page (window), ==, "error");
  g_assert_false (lab_host_check_get_running (lab_check_window_get_check (window)));
  shoot (window, "check-not-connected");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_ip (gpointer user_data)
{
  return lab_domain_get_ip (user_data) != NULL;
}

static LabDomain *
start_guest (LabHostConnection *connection)
{
  LabDomain *guest = lab_app_wait_domain (connection, "guest", 60);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (guest);
  error = lab_app_run_action (connection, guest, LAB_DOMAIN_ACTION_START);
  g_assert_no_error (error);
  lab_test_wait_for (has_ip, guest, 300000);
  g_assert_nonnull (lab_domain_get_ip (guest));
  return g_object_ref (guest);
}

static void
test_lab (LabTestFixture *fixture)
{
  LabCheckWindow *window;
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  g_autoptr(LabDomain) guest = NULL;
  g_autoptr(GError) error = NULL;

  guest = start_guest (connection);

  window = lab_check_window_new (NULL, connection);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (lab_test_wait_for (check_done, window, 60000));
  g_assert_cmpstr (lab_check_window_get_page (window), ==, "results");
  g_assert_cmpint (status_of (window, LAB_CHECK_XENCONSOLED), ==, LAB_CHECK_STATUS_OK);
  g_assert_cmpint (status_of (window, LAB_CHECK_PROMISC), ==, LAB_CHECK_STATUS_OK);
  shoot (window, "check-healthy");

  lab_test_lab_command (lab, "service", "stop", "xenconsoled");
  lab_test_lab_command (lab, "service", "stop", "dnsmasq");
  lab_test_lab_command (lab, "promisc", "deny", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "check.rerun", NULL);
  g_assert_true (lab_host_check_get_running (lab_check_window_get_check (window)));
  lab_test_flush (GTK_WIDGET (window));
  g_free (lab_test_save_screenshot (GTK_WIDGET (window), "check-running"));
  g_assert_true (lab_test_wait_for (check_done, window, 60000));
  g_assert_cmpint (status_of (window, LAB_CHECK_XENCONSOLED), ==, LAB_CHECK_STATUS_FAILED);
  g_assert_cmpint (status_of (window, LAB_CHECK_DNSMASQ), ==, LAB_CHECK_STATUS_FAILED);
  g_assert_cmpint (status_of (window, LAB_CHECK_PROMISC), ==, LAB_CHECK_STATUS_FAILED);
  shoot (window, "check-failures");
  /* every row at once, to look at the lower ones too */
  gtk_window_set_default_size (GTK_WINDOW (window), 680, 1700);
  lab_test_flush (GTK_WIDGET (window));
  g_free (lab_test_save_screenshot (GTK_WIDGET (window), "check-failures-all"));
  gtk_window_set_default_size (GTK_WINDOW (window), 680, 760);

  /* the fix command goes to the clipboard */
  gtk_widget_activate_action (GTK_WIDGET (window), "check.copy", "s",
                              "sudo /etc/init.d/xen start");
  lab_test_flush (GTK_WIDGET (window));

  lab_test_lab_command (lab, "promisc", "allow-all", NULL);
  lab_test_lab_command (lab, "service", "start", "dnsmasq");
  lab_test_lab_command (lab, "service", "start", "xenconsoled");
  gtk_window_destroy (GTK_WINDOW (window));
  error = lab_app_run_action (connection, guest, LAB_DOMAIN_ACTION_DESTROY);
  g_assert_no_error (error);
}

static gboolean
details_settled (gpointer data)
{
  return !lab_host_details_window_is_busy (data);
}

/* Host Details of the fast lab: what its `xl info` says, its bridge, in light and dark. */
static void
test_host_details (LabTestFixture *fixture)
{
  LabHostDetailsWindow *window = lab_host_details_window_new (NULL, fixture->connection);
  GListModel *bridges = lab_host_details_window_get_bridges (window);
  gboolean has_bridge = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (lab_host_details_window_is_busy (window));
  g_assert_true (lab_test_wait_for (details_settled, window, 60000));
  g_assert_null (lab_host_details_window_get_row_text (window, "problem"));
  g_test_message ("Xen %s, %s, %s CPUs, %s",
                  lab_host_details_window_get_row_text (window, "version"),
                  lab_host_details_window_get_row_text (window, "memory"),
                  lab_host_details_window_get_row_text (window, "cpus"),
                  lab_host_details_window_get_row_text (window, "caps"));
  g_assert_true (g_str_has_prefix (lab_host_details_window_get_row_text (window, "version"),
                                   "4."));
  g_assert_nonnull (strstr (lab_host_details_window_get_row_text (window, "memory"),
                            " MiB free of "));
  g_assert_nonnull (strstr (lab_host_details_window_get_row_text (window, "caps"),
                            "PVH unikernels can run"));
  for (guint i = 0; i < g_list_model_get_n_items (bridges); i++)
    {
      g_autoptr(GtkStringObject) bridge = g_list_model_get_item (bridges, i);

      has_bridge |= g_str_equal (gtk_string_object_get_string (bridge),
                                 lab_fixture_get (fixture->lab, "LAB_BRIDGE"));
    }
  g_assert_true (has_bridge);
  shoot (window, "host-details");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_gtk_init (&argc, &argv))
    return 0;
  adw_init ();
  {
    /* What AdwApplication loads by itself in the app */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/check-window/not-connected", test_not_connected);
  lab_app_add ("/check-window/lab", NULL, test_lab);
  lab_app_add ("/check-window/host-details", NULL, test_host_details);

  return lab_test_run ();
}
