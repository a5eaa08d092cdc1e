/* test-setup-window.c — the guided setup wizard under Xvfb, VirtualBox from the stand-in
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lab-test-gtk-utils.h"
#include "views/lab-setup-step-row.h"
#include "views/lab-setup-window.h"

static char *dir;
static char *state_path;
static char *vbox_state;
static char *vbox_log;

static const char vbox_running[] =
  "{ \"os\": \"Linux\", \"nested\": true,"
  "  \"vms\": { \"Xen\": { \"uuid\": \"6f1a\", \"state\": \"running\", \"nic2\": \"nat\","
  "                       \"guestproperties\": {"
  "                         \"/VirtualBox/GuestInfo/Net/1/V4/IP\": \"192.168.56.5\" } },"
  "            \"Windows 11\": { \"uuid\": \"77aa\", \"state\": \"poweroff\" } },"
  "  \"hostonlyifs\": [ { \"name\": \"vboxnet0\", \"ip\": \"192.168.56.1\","
  "                       \"mask\": \"255.255.255.0\" } ],"
  "  \"dhcpservers\": [ { \"network\": \"HostInterfaceNetworking-vboxnet0\","
  "                       \"ip\": \"192.168.56.100\", \"lower\": \"192.168.56.101\","
  "                       \"upper\": \"192.168.56.254\", \"enabled\": true } ] }";

static gboolean
not_busy (gpointer data)
{
  return !lab_setup_window_get_busy (data);
}

/* The list's row of step @id. */
static LabSetupStepRow *
find_step_row (GtkWidget  *root,
               const char *id)
{
  if (LAB_IS_SETUP_STEP_ROW (root)
      && g_strcmp0 (lab_setup_step_item_get_id (
                      lab_setup_step_row_get_item (LAB_SETUP_STEP_ROW (root))), id) == 0)
    return LAB_SETUP_STEP_ROW (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      LabSetupStepRow *found = find_step_row (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
click (LabSetupWindow *window,
       const char     *label)
{
  GtkWidget *button = lab_test_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static char *
text_of_all_labels (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *inner = NULL;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child))
        g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (child)));
      if (GTK_IS_TEXT_VIEW (child) && gtk_widget_get_mapped (child))
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child));
          GtkTextIter start, end;
          g_autofree char *text = NULL;

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
          g_string_append_printf (out, "%s\n", text);
        }
      inner = text_of_all_labels (child);
      g_string_append (out, inner);
    }
  return g_string_free (out, FALSE);
}

static LabSetupWindow *
open_wizard (void)
{
  LabSetupWindow *window = lab_setup_window_new (NULL, state_path);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (lab_test_wait_for (not_busy, window, 10000));
  lab_test_flush (GTK_WIDGET (window));
  return window;
}

static gboolean
host_is_vm_address (gpointer data)
{
  GtkWidget *entry = lab_test_find_mapped (GTK_WIDGET (data), ADW_TYPE_ENTRY_ROW, NULL);

  return entry != NULL
         && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "192.168.56.5") == 0;
}

static gboolean
log_shows_vboxmanage (gpointer data)
{
  g_autofree char *text = lab_terminal_dup_contents (lab_setup_window_get_log (data));

  return strstr (text, "VBoxManage") != NULL;
}

static void
test_virtualbox (void)
{
  LabSetupWindow *window;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *calls = NULL;
  g_autoptr(LabSetupState) saved = NULL;

  g_assert_true (g_file_set_contents (vbox_state, vbox_running, -1, NULL));
  window = open_wizard ();

  /* Plan first: the exact commands, nothing run yet. */
  click (window, "_Show Plan");
  g_assert_true (lab_test_wait_for (not_busy, window, 10000));
  lab_test_flush (GTK_WIDGET (window));
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "$ VBoxManage dhcpserver modify --interface=vboxnet0 "
                                  "--disable"));
  g_assert_nonnull (strstr (text, "--nic-promisc2=allow-all --nested-hw-virt=on"));
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-virtualbox-plan");

  /* Apply: the VM runs, so the failure panel offers to shut it down. */
  click (window, "_Apply");
  g_assert_true (lab_test_wait_for (not_busy, window, 10000));
  lab_test_flush (GTK_WIDGET (window));
  g_free (text);
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "must be powered off"));
  g_assert_nonnull (strstr (text, "VBoxManage controlvm Xen acpipowerbutton"));
  g_assert_nonnull (lab_test_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                          "Shut _Down the VM"));
  g_free (shot);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-virtualbox-failure");

  click (window, "Shut _Down the VM");
  g_assert_true (lab_test_wait_for (not_busy, window, 20000));
  /* The apply that follows the shutdown. */
  g_assert_true (lab_test_wait_for (not_busy, window, 20000));
  lab_test_flush (GTK_WIDGET (window));
  g_assert_true (g_file_get_contents (vbox_log, &calls, NULL, NULL));
  g_assert_nonnull (strstr (calls, "modifyvm Xen --nic2=hostonly"));
  g_assert_nonnull (strstr (calls, "startvm Xen --type=headless"));
  g_assert_cmpint (lab_setup_state_get_step_status (lab_setup_window_get_state (window),
                                                    "virtualbox"), ==,
                   LAB_SETUP_STEP_STATUS_DONE);
  g_free (text);
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Mirage Lab talks to dom0 over SSH"));
  /* The host is the address the VM reports (guest additions), not the default name. */
  g_assert_true (lab_test_wait_for (host_is_vm_address, window, 10000));
  g_free (shot);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-connect");

  /* Each step's page shows its own log: VirtualBox's commands (the VM's address asked on
   * this page included) stay on the VirtualBox step's. */
  g_assert_false (lab_test_wait_for (log_shows_vboxmanage, window, 1000));
  lab_setup_window_select_step (window, "virtualbox");
  g_assert_true (lab_test_wait_for (log_shows_vboxmanage, window, 10000));
  lab_setup_window_select_step (window, "connect");
  g_assert_false (lab_test_wait_for (log_shows_vboxmanage, window, 1000));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Saved: an app restart resumes at the connect step with the VM remembered, and the MAC
   * of its host-only adapter for the network step. */
  saved = lab_setup_state_load (state_path, NULL);
  g_assert_cmpstr (lab_setup_state_get_vm (saved), ==, "Xen");
  g_assert_cmpstr (lab_setup_state_get_setting (saved, "nic-mac"), ==, "0800274455AA");
  g_assert_cmpstr (lab_setup_state_get_step (saved), ==, "connect");
}

static void
test_connect_failure_dark (void)
{
  LabSetupWindow *window;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;
  GtkWidget *entry;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  window = open_wizard ();
  /* Resumed at the connect step (state of the previous test). */
  entry = lab_test_find_mapped (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW, NULL);
  g_assert_nonnull (entry);
  /* A name ssh would take for an option: refused by the core's host name rule before it is
   * saved or anything is sent. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "-oProxyCommand");
  click (window, "_Apply");
  lab_test_flush (GTK_WIDGET (window));
  g_assert_false (lab_setup_window_get_busy (window));
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "start with “-”"));
  g_assert_cmpstr (lab_setup_state_get_host (lab_setup_window_get_state (window)), !=,
                   "-oProxyCommand");
  g_clear_pointer (&text, g_free);
  /* What the core's parser refuses never starts a connection; the status line says why. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "root@127.0.0.1");
  click (window, "_Apply");
  g_assert_false (lab_setup_window_get_busy (window));
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "leave “user@” out"));
  g_clear_pointer (&text, g_free);
  /* Loopback, a closed port: refused at once, and nothing leaves the machine (a made-up
   * name would send a DNS query out). */
  gtk_editable_set_text (GTK_EDITABLE (entry), "127.0.0.1:9");
  click (window, "_Apply");
  g_assert_true (lab_test_wait_for (not_busy, window, 30000));
  lab_test_flush (GTK_WIDGET (window));
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Check the host name or address"));
  g_assert_cmpint (lab_setup_state_get_step_status (lab_setup_window_get_state (window),
                                                    "connect"), ==,
                   LAB_SETUP_STEP_STATUS_TODO);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-connect-failure-dark");
  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
startvm_running (gpointer data)
{
  g_autofree char *calls = NULL;

  return g_file_get_contents (vbox_log, &calls, NULL, NULL) && strstr (calls, "startvm");
}

static void
test_cancel (void)
{
  LabSetupWindow *window;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;
  gint64 start;

  g_remove (state_path);
  g_assert_true (g_file_set_contents (vbox_state,
                                      "{ \"os\": \"Linux\", \"vms\": { \"Xen\": "
                                      "{ \"uuid\": \"1\", \"state\": \"poweroff\" } } }",
                                      -1, NULL));
  g_setenv ("VBOXMANAGE_STANDIN_SLOW", "30", TRUE);
  window = open_wizard ();
  g_remove (vbox_log);
  click (window, "_Apply");
  /* Cancel while the slow command (startvm) runs. */
  g_assert_true (lab_test_wait_for (startvm_running, NULL, 10000));
  lab_test_flush (GTK_WIDGET (window));
  g_assert_true (lab_setup_window_get_busy (window));
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-virtualbox-running");
  start = g_get_monotonic_time ();
  click (window, "_Cancel");
  g_assert_true (lab_test_wait_for (not_busy, window, 10000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  lab_test_flush (GTK_WIDGET (window));
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Cancelled"));
  g_assert_cmpint (lab_setup_state_get_step_status (lab_setup_window_get_state (window),
                                                    "virtualbox"), ==,
                   LAB_SETUP_STEP_STATUS_TODO);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("VBOXMANAGE_STANDIN_SLOW");
}

static void
test_not_installed (void)
{
  LabSetupWindow *window;
  LabSetupStepRow *row;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;

  g_remove (state_path);
  g_setenv ("MIRAGE_LAB_VBOXMANAGE", "/nonexistent/VBoxManage", TRUE);
  window = open_wizard ();
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "https://www.virtualbox.org"));
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-virtualbox-missing");

  /* Skip with a warning: the step is marked skipped (saved) and the wizard moves on; its
   * row, failed until now, says so in place. */
  row = find_step_row (GTK_WIDGET (window), "virtualbox");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Failed");
  click (window, "S_kip This Step");
  lab_test_flush (GTK_WIDGET (window));
  g_assert_true (find_step_row (GTK_WIDGET (window), "virtualbox") == row);
  g_assert_cmpint (lab_setup_step_item_get_status (lab_setup_step_row_get_item (row)), ==,
                   LAB_SETUP_STEP_ITEM_SKIPPED);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Skipped");
  g_assert_true (gtk_list_box_row_is_selected (
                   GTK_LIST_BOX_ROW (find_step_row (GTK_WIDGET (window), "connect"))));
  g_free (text);
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "later steps that need it may fail"));
  g_assert_nonnull (strstr (text, "Mirage Lab talks to dom0 over SSH"));
  gtk_window_destroy (GTK_WINDOW (window));
  {
    g_autoptr(LabSetupState) saved = lab_setup_state_load (state_path, NULL);

    g_assert_cmpint (lab_setup_state_get_step_status (saved, "virtualbox"), ==,
                     LAB_SETUP_STEP_STATUS_SKIPPED);
  }
}

static AdwEntryRow *
entry_row (LabSetupWindow *window,
           const char     *title)
{
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *widget = root;

  /* Depth-first over the whole tree, for a mapped entry row with this title. */
  while (widget != NULL)
    {
      if (ADW_IS_ENTRY_ROW (widget) && gtk_widget_get_mapped (widget)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
        return ADW_ENTRY_ROW (widget);
      if (gtk_widget_get_first_child (widget) != NULL)
        widget = gtk_widget_get_first_child (widget);
      else
        {
          while (widget != root && gtk_widget_get_next_sibling (widget) == NULL)
            widget = gtk_widget_get_parent (widget);
          widget = widget == root ? NULL : gtk_widget_get_next_sibling (widget);
        }
    }
  g_error ("no entry row “%s”", title);
  return NULL;
}

/* The dom0 steps (issue 10): their settings, checked before anything runs, saved for the
 * next time; the reboot said on the button; the last step names the unikernel it starts. */
static void
test_dom0_steps (void)
{
  LabSetupWindow *window = open_wizard ();
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;
  g_autoptr(LabSetupState) saved = NULL;

  lab_setup_window_select_step (window, "xen");
  lab_test_flush (GTK_WIDGET (window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_row (window, "_Memory for dom0 "
                                                                   "(dom0__mem)"))), ==, "1024M");
  g_assert_nonnull (lab_test_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                          "Apply and _Reboot"));
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-xen");

  lab_setup_window_select_step (window, "network");
  lab_test_flush (GTK_WIDGET (window));
  text = text_of_all_labels (GTK_WIDGET (window));
  /* The explanation names the settings' values. */
  g_assert_nonnull (strstr (text, "the bridge br0 on the host-only adapter"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_row (window, "dom0’s _address on "
                                                                   "the bridge"))), ==,
                   "192.168.56.5/24");
  /* A range outside the bridge's network: said at once, nothing runs. */
  gtk_editable_set_text (GTK_EDITABLE (entry_row (window, "_First address for unikernels")),
                         "192.168.57.150");
  click (window, "_Show Plan");
  lab_test_flush (GTK_WIDGET (window));
  g_free (text);
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "The DHCP range 192.168.57.150"));
  g_free (shot);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-network-bad-range");

  gtk_editable_set_text (GTK_EDITABLE (entry_row (window, "_First address for unikernels")),
                         "192.168.56.160");
  gtk_editable_set_text (GTK_EDITABLE (entry_row (window, "Lease _time")), "2h");
  click (window, "_Show Plan");
  lab_test_flush (GTK_WIDGET (window));
  g_free (text);
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Connect to the host first."));
  saved = lab_setup_state_load (state_path, NULL);
  g_assert_cmpstr (lab_setup_state_get_setting (saved, "dhcp-start"), ==, "192.168.56.160");
  g_assert_cmpstr (lab_setup_state_get_setting (saved, "dhcp-lease"), ==, "2h");

  lab_setup_window_select_step (window, "run");
  lab_test_flush (GTK_WIDGET (window));
  g_free (text);
  text = text_of_all_labels (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "~/mirage-skeleton/applications/static_website_tls/dist/"
                                  "https.xl"));
  g_assert_nonnull (lab_test_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Start"));
  g_free (shot);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-first-unikernel");
  gtk_window_destroy (GTK_WINDOW (window));

  /* Opened again: the settings are what was chosen. */
  window = open_wizard ();
  lab_setup_window_select_step (window, "network");
  lab_test_flush (GTK_WIDGET (window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_row (window, "_First address "
                                                                   "for unikernels"))), ==,
                   "192.168.56.160");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  lab_test_flush (GTK_WIDGET (window));
  g_free (shot);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-network-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *standin = NULL;
  int status;

  if (!lab_test_gtk_init (&argc, &argv))
    return g_test_run ();
  dir = g_dir_make_tmp ("setup-window-XXXXXX", NULL);
  state_path = g_build_filename (dir, "setup.json", NULL);
  vbox_state = g_build_filename (dir, "vbox.json", NULL);
  vbox_log = g_build_filename (dir, "calls.log", NULL);
  standin = g_build_filename (g_getenv ("MIRAGE_LAB_SRCDIR"), "tests", "setup", "VBoxManage",
                              NULL);
  g_setenv ("MIRAGE_LAB_VBOXMANAGE", standin, TRUE);
  g_setenv ("VBOXMANAGE_STANDIN_STATE", vbox_state, TRUE);
  g_setenv ("VBOXMANAGE_STANDIN_LOG", vbox_log, TRUE);

  g_test_add_func ("/setup-window/virtualbox", test_virtualbox);
  g_test_add_func ("/setup-window/connect-failure-dark", test_connect_failure_dark);
  g_test_add_func ("/setup-window/cancel", test_cancel);
  g_test_add_func ("/setup-window/not-installed", test_not_installed);
  g_test_add_func ("/setup-window/dom0-steps", test_dom0_steps);
  status = g_test_run ();

  g_remove (state_path);
  g_remove (vbox_state);
  g_remove (vbox_log);
  g_rmdir (dir);
  return status;
}
