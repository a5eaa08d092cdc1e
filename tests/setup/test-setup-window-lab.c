/* test-setup-window-lab.c — the wizard's Connect step against the fast lab's real sshd
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
#include "setup-test-util.h"
#include "views/lab-setup-window.h"

static gboolean
host_checked (gpointer data)
{
  LabHostCheck *check = lab_setup_window_get_host_check (data);
  g_autofree char *log = NULL;

  if (check == NULL || lab_host_check_get_running (check))
    return FALSE;
  log = lab_terminal_dup_contents (lab_setup_window_get_log (data));
  return strstr (log, "checks pass.") != NULL || strstr (log, "check passes.") != NULL;
}

static gboolean
not_busy (gpointer data)
{
  return !lab_setup_window_get_busy (data);
}

static gboolean
host_key_asked (gpointer data)
{
  GtkWindow *ask = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return ask != NULL && gtk_widget_get_visible (GTK_WIDGET (ask));
}

static void
test_connect (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSetupState) saved = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setup-lab-XXXXXX", NULL);
  g_autofree char *state_path = g_build_filename (dir, "setup.json", NULL);
  g_autofree char *shot = NULL;
  g_autofree char *json = NULL;
  LabSetupWindow *window;
  GtkWidget *apply;

  /* The lab's host key is not trusted yet: first contact asks, with its fingerprint. */

  /* Resume at the connect step, as after the VirtualBox step. */
  g_assert_true (g_file_set_contents (state_path,
                                      "{ \"version\": 1, \"step\": \"connect\", "
                                      "\"done\": [\"virtualbox\"] }", -1, NULL));
  window = lab_setup_window_new (NULL, state_path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  lab_test_flush (GTK_WIDGET (window));

  gtk_editable_set_text (GTK_EDITABLE (lab_test_find_mapped (GTK_WIDGET (window),
                                                             ADW_TYPE_ENTRY_ROW, "_Host")),
                         lab_fixture_get (lab, "LAB_HOST"));
  gtk_editable_set_text (GTK_EDITABLE (lab_test_find_mapped (GTK_WIDGET (window),
                                                             ADW_TYPE_ENTRY_ROW, "_User")),
                         lab_fixture_get (lab, "LAB_USER"));
  gtk_editable_set_text (GTK_EDITABLE (lab_test_find_mapped (GTK_WIDGET (window),
                                                             ADW_TYPE_PASSWORD_ENTRY_ROW,
                                                             NULL)),
                         lab_fixture_get (lab, "LAB_PASSWORD"));
  apply = lab_test_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Apply");
  g_signal_emit_by_name (apply, "clicked");
  g_assert_true (lab_test_wait_for (host_key_asked, NULL, 60000));
  {
    GtkWindow *ask = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

    GtkWidget *fingerprint = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (ask));

    /* The fingerprint the lab announces, to compare; and where to read it on the host. */
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (fingerprint)), ==,
                     lab_fixture_get (lab, "LAB_HOSTKEY_SHA256"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (ask)),
                              "/etc/ssh/ssh_host_ed25519_key.pub"));
    lab_test_flush (GTK_WIDGET (ask));
    shot = lab_test_save_screenshot (GTK_WIDGET (ask), "setup-connect-host-key");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask), "trust");
    gtk_window_destroy (ask);
  }
  g_assert_true (lab_test_wait_for (not_busy, window, 60000));
  lab_test_flush (GTK_WIDGET (window));
  g_free (shot);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-connect-lab-done");

  g_assert_cmpint (lab_setup_state_get_step_status (lab_setup_window_get_state (window),
                                                    "connect"), ==,
                   LAB_SETUP_STEP_STATUS_DONE);

  /* Connected, the wizard looks at what the host already has with Check Host's checks. */
  g_assert_true (lab_test_wait_for (host_checked, window, 60000));
  {
    LabHostCheck *host_check = lab_setup_window_get_host_check (window);
    g_autofree char *log = lab_terminal_dup_contents (lab_setup_window_get_log (window));

    g_assert_cmpint (lab_check_result_get_status (lab_host_check_lookup (host_check,
                                                                         LAB_CHECK_BRIDGE)),
                     ==, LAB_CHECK_STATUS_OK);
    g_assert_cmpint (lab_check_result_get_status (lab_host_check_lookup (host_check,
                                                                         LAB_CHECK_DNSMASQ)),
                     ==, LAB_CHECK_STATUS_OK);
    g_assert_nonnull (strstr (log, "What the host already has"));
    g_assert_nonnull (strstr (log, "✓ "));
    g_free (shot);
    shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-connect-host-checked");
  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* Saved: host, user, the recipe picked from /etc/os-release; never the password. */
  saved = lab_setup_state_load (state_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lab_setup_state_get_host (saved), ==, lab_fixture_get (lab, "LAB_HOST"));
  g_assert_cmpstr (lab_setup_state_get_user (saved), ==, lab_fixture_get (lab, "LAB_USER"));
  g_assert_cmpstr (lab_setup_state_get_recipe (saved), ==, "modern");
  g_assert_true (g_file_get_contents (state_path, &json, NULL, NULL));
  g_assert_null (strstr (json, lab_fixture_get (lab, "LAB_PASSWORD")));

  /* Trusting saved the key in Mirage Lab's own known_hosts. */
  {
    g_autofree char *known_path = g_build_filename (g_get_user_config_dir (), "mirage-lab",
                                                    "known_hosts", NULL);
    g_autofree char *known = NULL;

    g_assert_true (g_file_get_contents (known_path, &known, NULL, NULL));
    g_assert_nonnull (strstr (known, "ssh-ed25519 "));
  }

  /* The new ed25519 key was created here and installed there: it alone signs in now. */
  setup_test_assert_new_key_signs_in (lab);

  /* Resume after a reboot: the wizard opens on a state with a pending reboot while dom0's
   * sshd is down, waits, reconnects with the saved host and user (and the new key) when it
   * is back 3 s later, and verifies the step. */
  lab_setup_state_set_step (saved, "connect");
  lab_setup_state_set_step_status (saved, "connect", LAB_SETUP_STEP_STATUS_TODO);
  lab_setup_state_set_pending_reboot (saved, TRUE);
  g_assert_true (lab_setup_state_save (saved, state_path, &error));
  g_assert_true (lab_fixture_sshd_stop (lab, &error));
  g_assert_no_error (error);
  lab_test_sshd_start_later (lab, 3);
  window = lab_setup_window_new (NULL, state_path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  lab_test_flush (GTK_WIDGET (window));
  g_assert_true (lab_setup_window_get_busy (window));
  g_free (shot);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-resume-waiting");
  g_assert_true (lab_test_wait_for (not_busy, window, 90000));
  lab_test_flush (GTK_WIDGET (window));
  g_free (shot);
  shot = lab_test_save_screenshot (GTK_WIDGET (window), "setup-resume-done");
  g_assert_false (lab_setup_state_get_pending_reboot (lab_setup_window_get_state (window)));
  g_assert_cmpint (lab_setup_state_get_step_status (lab_setup_window_get_state (window),
                                                    "connect"), ==,
                   LAB_SETUP_STEP_STATUS_DONE);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&saved);
  saved = lab_setup_state_load (state_path, &error);
  g_assert_false (lab_setup_state_get_pending_reboot (saved));

  g_remove (state_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_gtk_init (&argc, &argv))
    return g_test_run ();
  lab_test_add ("/setup-window-lab/connect", "password", NULL, test_connect);
  return lab_test_run ();
}
