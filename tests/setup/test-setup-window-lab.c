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

#include "lab-app-util.h"
#include "lab-test-gtk-utils.h"
#include "views/lab-setup-window.h"

static gboolean
start_sshd (gpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_fixture_sshd_start (data, &error));
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

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

static GtkWidget *
find_row (GtkWidget  *root,
          GType       type,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && gtk_widget_get_mapped (child)
          && (title == NULL
              || (ADW_IS_PREFERENCES_ROW (child)
                  && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                                title) == 0)
              || (GTK_IS_BUTTON (child)
                  && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), title) == 0)))
        return child;
      if ((found = find_row (child, type, title)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
host_key_asked (gpointer data)
{
  GtkWindow *ask = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return ask != NULL && gtk_widget_get_visible (GTK_WIDGET (ask));
}

static void
test_connect (void)
{
  g_autoptr(LabFixture) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSetupState) saved = NULL;
  g_autoptr(LabSshSession) check = NULL;
  g_autoptr(GAsyncResult) connected = NULL;
  g_autofree char *dir = g_dir_make_tmp ("setup-lab-XXXXXX", NULL);
  g_autofree char *state_path = g_build_filename (dir, "setup.json", NULL);
  g_autofree char *key = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *json = NULL;
  LabSetupWindow *window;
  GtkWidget *apply;

  if (!lab_fixture_available (&reason))
    {
      lab_fixture_skip_or_fail (reason);
      return;
    }
  lab = lab_fixture_up ("password", &error);
  g_assert_no_error (error);
  /* The lab's host key is not trusted yet: first contact asks, with its fingerprint. */

  /* Resume at the connect step, as after the VirtualBox step. */
  g_assert_true (g_file_set_contents (state_path,
                                      "{ \"version\": 1, \"step\": \"connect\", "
                                      "\"done\": [\"virtualbox\"] }", -1, NULL));
  window = lab_setup_window_new (NULL, state_path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  lab_test_flush (GTK_WIDGET (window));

  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW,
                                                 "_Host")),
                         lab_fixture_get (lab, "LAB_HOST"));
  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW,
                                                 "_User")),
                         lab_fixture_get (lab, "LAB_USER"));
  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (window),
                                                 ADW_TYPE_PASSWORD_ENTRY_ROW, NULL)),
                         lab_fixture_get (lab, "LAB_PASSWORD"));
  apply = find_row (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Apply");
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
  key = g_build_filename (g_get_home_dir (), ".ssh", "id_ed25519", NULL);
  g_assert_true (g_file_test (key, G_FILE_TEST_EXISTS));
  check = lab_ssh_session_new (lab_fixture_get (lab, "LAB_HOST"));
  lab_ssh_session_set_user (check, lab_fixture_get (lab, "LAB_USER"));
  lab_ssh_session_set_identity_file (check, key);
  {
    const char *methods[] = { "publickey", NULL };
    lab_ssh_session_set_auth_methods (check, methods);
  }
  lab_ssh_session_connect_async (check, NULL, lab_test_result_cb, &connected);
  g_assert_true (lab_ssh_session_connect_finish (check, lab_test_wait_result (&connected, 0),
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (check), ==, "publickey");
  lab_ssh_session_close (check);

  /* Resume after a reboot: the wizard opens on a state with a pending reboot while dom0's
   * sshd is down, waits, reconnects with the saved host and user (and the new key) when it
   * is back 3 s later, and verifies the step. */
  lab_setup_state_set_step (saved, "connect");
  lab_setup_state_set_step_status (saved, "connect", LAB_SETUP_STEP_STATUS_TODO);
  lab_setup_state_set_pending_reboot (saved, TRUE);
  g_assert_true (lab_setup_state_save (saved, state_path, &error));
  g_assert_true (lab_fixture_sshd_stop (lab, &error));
  g_assert_no_error (error);
  g_timeout_add_seconds (3, start_sshd, lab);
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
  g_test_add_func ("/setup-window-lab/connect", test_connect);
  return g_test_run ();
}
