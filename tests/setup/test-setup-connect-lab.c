/* test-setup-connect-lab.c — the Connect step's chain (LabSetupConnect) on the fast lab's
 * real sshd, without a display: a refused port and the retry, the host key asked for,
 * the ed25519 key made and installed, the recipe from /etc/os-release, the host's checks
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "setup/lab-setup-connect.h"
#include "setup/lab-setup-recipe.h"
#include "setup-test-util.h"

typedef struct
{
  LabSetupConnect *connect;
  LabFixture      *lab;
  GString         *log;
  GArray          *states;       /* every state a "changed" showed, repeats folded */
  guint            host_keys;    /* host-key requests seen */
  guint            secrets;      /* password and passphrase requests seen */
  gboolean         trust;        /* how to answer a host key */
} Run;

static void
run_output_cb (LabSetupConnect *connect,
               const char      *text,
               Run             *run)
{
  g_string_append (run->log, text);
}

static void
run_changed_cb (LabSetupConnect *connect,
                Run             *run)
{
  LabSetupConnectState state = lab_setup_connect_get_state (connect);

  if (run->states->len == 0
      || g_array_index (run->states, LabSetupConnectState, run->states->len - 1) != state)
    g_array_append_val (run->states, state);
}

static void
run_request_cb (LabSetupConnect *connect,
                LabSshRequest   *request,
                Run             *run)
{
  if (lab_ssh_request_get_kind (request) == LAB_SSH_REQUEST_HOST_KEY)
    {
      run->host_keys++;
      /* The fingerprint the lab announces: what a user would compare. */
      g_assert_cmpstr (lab_ssh_request_get_fingerprint (request), ==,
                       lab_fixture_get (run->lab, "LAB_HOSTKEY_SHA256"));
      lab_ssh_request_reply_host_key (request, run->trust ? LAB_SSH_HOST_KEY_ACCEPT_SAVE
                                                          : LAB_SSH_HOST_KEY_REJECT);
      return;
    }
  /* Without a password given up front: sudo's (for the checks), or the login's. */
  run->secrets++;
  if (lab_ssh_request_get_kind (request) == LAB_SSH_REQUEST_PASSPHRASE)
    lab_ssh_request_cancel (request);
  else
    lab_ssh_request_reply_secret (request, lab_fixture_get (run->lab, "LAB_PASSWORD"), FALSE);
}

static gboolean
not_busy (gpointer data)
{
  return !lab_setup_connect_get_busy (data)
         && lab_setup_connect_get_state (data) != LAB_SETUP_CONNECT_STATE_IDLE;
}

static gboolean
finished (gpointer data)
{
  LabSetupConnectState state = lab_setup_connect_get_state (data);

  return state == LAB_SETUP_CONNECT_STATE_DONE || state == LAB_SETUP_CONNECT_STATE_FAILED;
}

static void
run_reset (Run *run)
{
  g_string_truncate (run->log, 0);
  g_array_set_size (run->states, 0);
  run->host_keys = 0;
  run->secrets = 0;
}

static Run *
run_new (LabFixture *lab)
{
  Run *run = g_new0 (Run, 1);

  run->lab = lab;
  run->connect = lab_setup_connect_new ();
  run->log = g_string_new (NULL);
  run->states = g_array_new (FALSE, FALSE, sizeof (LabSetupConnectState));
  run->trust = TRUE;
  g_signal_connect (run->connect, "output", G_CALLBACK (run_output_cb), run);
  g_signal_connect (run->connect, "changed", G_CALLBACK (run_changed_cb), run);
  g_signal_connect (run->connect, "request", G_CALLBACK (run_request_cb), run);
  return run;
}

static void
run_free (Run *run)
{
  lab_setup_connect_close (run->connect);
  g_object_unref (run->connect);
  g_string_free (run->log, TRUE);
  g_array_unref (run->states);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static char *
lab_address (LabFixture *lab,
             const char *port)
{
  return g_strdup_printf ("%s:%s", lab_fixture_get (lab, "LAB_HOST"),
                          port != NULL ? port : lab_fixture_get (lab, "LAB_PORT"));
}

static void
assert_states (Run                        *run,
               const LabSetupConnectState *expected,
               guint                       n)
{
  g_assert_cmpuint (run->states->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (run->states, LabSetupConnectState, i), ==, expected[i]);
}

static void
test_refused_then_retry (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(Run) run = run_new (lab);
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong = lab_address (lab, "1");
  g_autofree char *right = lab_address (lab, NULL);
  const LabSetupFailure *failure;
  const GError *failed;
  LabHostCheck *check;
  const LabSetupConnectState chain[] = {
    LAB_SETUP_CONNECT_STATE_CONNECTING, LAB_SETUP_CONNECT_STATE_MAKING_KEY,
    LAB_SETUP_CONNECT_STATE_INSTALLING_KEY, LAB_SETUP_CONNECT_STATE_READING_OS_RELEASE,
    LAB_SETUP_CONNECT_STATE_CHECKING_HOST, LAB_SETUP_CONNECT_STATE_DONE,
  };

  /* Port 1 of dom0 is closed: refused at once, and the failure says what to check. */
  g_assert_true (lab_setup_connect_start (run->connect, wrong, lab_fixture_get (lab, "LAB_USER"),
                                          lab_fixture_get (lab, "LAB_PASSWORD"), TRUE,
                                          &error));
  g_assert_no_error (error);
  g_assert_true (lab_setup_connect_get_busy (run->connect));
  g_assert_true (lab_test_wait_for (finished, run->connect, 60000));
  g_assert_cmpint (lab_setup_connect_get_state (run->connect), ==,
                   LAB_SETUP_CONNECT_STATE_FAILED);
  failed = lab_setup_connect_get_error (run->connect);
  g_assert_nonnull (failed);
  g_test_message ("refused: %s", failed->message);
  g_assert_false (g_error_matches (failed, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_cmpstr (lab_setup_connect_get_message (run->connect), ==, failed->message);
  failure = lab_setup_connect_get_failure (run->connect);
  g_assert_nonnull (failure);
  g_assert_nonnull (strstr (failure->meaning, "Check the host name or address"));
  g_assert_nonnull (strstr (failure->command, "ssh -p 1 "));
  g_assert_cmpuint (lab_setup_connect_get_port (run->connect), ==, 1);
  g_assert_null (lab_setup_connect_get_host_check (run->connect));
  g_assert_cmpuint (run->host_keys, ==, 0);

  /* The retry with the right port: first contact asks about the host key, then the chain
   * runs to its end. */
  run_reset (run);
  g_assert_true (lab_setup_connect_start (run->connect, right, lab_fixture_get (lab, "LAB_USER"),
                                          lab_fixture_get (lab, "LAB_PASSWORD"), TRUE,
                                          &error));
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (not_busy, run->connect, 60000));
  g_assert_cmpint (lab_setup_connect_get_state (run->connect), ==,
                   LAB_SETUP_CONNECT_STATE_CHECKING_HOST);
  g_assert_null (lab_setup_connect_get_error (run->connect));
  g_assert_cmpuint (run->host_keys, ==, 1);
  g_assert_cmpuint (run->secrets, ==, 0);
  /* The fast lab runs Debian 12: the modern recipe, as lab_setup_pick_recipe says. */
  g_assert_cmpstr (lab_setup_connect_get_recipe (run->connect), ==, "modern");
  g_assert_nonnull (strstr (lab_setup_connect_get_os_description (run->connect), "Debian"));
  g_assert_nonnull (strstr (lab_setup_connect_get_message (run->connect), "modern recipe"));

  g_assert_true (lab_test_wait_for (finished, run->connect, 120000));
  g_assert_cmpint (lab_setup_connect_get_state (run->connect), ==,
                   LAB_SETUP_CONNECT_STATE_DONE);
  assert_states (run, chain, G_N_ELEMENTS (chain));
  check = lab_setup_connect_get_host_check (run->connect);
  g_assert_nonnull (check);
  g_assert_false (lab_host_check_get_running (check));
  g_assert_cmpint (lab_check_result_get_status (lab_host_check_lookup (check,
                                                                       LAB_CHECK_BRIDGE)),
                   ==, LAB_CHECK_STATUS_OK);
  g_assert_cmpint (lab_check_result_get_status (lab_host_check_lookup (check,
                                                                       LAB_CHECK_DNSMASQ)),
                   ==, LAB_CHECK_STATUS_OK);

  /* The log reads like the commands one would type, in order, then the checks. */
  g_test_message ("log:\n%s", run->log->str);
  {
    const char *words[] = { "$ ssh mirage@", "$ ssh-keygen -t ed25519\n",
                            "Installed the key in ~/.ssh/authorized_keys",
                            "$ cat /etc/os-release\n", "Connected. The host runs Debian",
                            "Checking what the host already has", "What the host already has",
                            "✓ ", " pass" };
    const char *at = run->log->str;

    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      {
        const char *found = strstr (at, words[i]);

        g_assert_nonnull (found);
        at = found + strlen (words[i]);
      }
  }
  setup_test_assert_new_key_signs_in (lab);
}

/* Rejecting the host key ends the chain before anything is sent; nothing is made. */
static void
test_host_key_rejected (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(Run) run = run_new (lab);
  g_autoptr(GError) error = NULL;
  g_autofree char *right = lab_address (lab, NULL);
  g_autofree char *key = g_build_filename (g_get_home_dir (), ".ssh", "id_ed25519", NULL);
  const LabSetupConnectState chain[] = {
    LAB_SETUP_CONNECT_STATE_CONNECTING, LAB_SETUP_CONNECT_STATE_FAILED,
  };

  run->trust = FALSE;
  g_assert_true (lab_setup_connect_start (run->connect, right, lab_fixture_get (lab, "LAB_USER"),
                                          lab_fixture_get (lab, "LAB_PASSWORD"), TRUE,
                                          &error));
  g_assert_true (lab_test_wait_for (finished, run->connect, 60000));
  g_assert_cmpuint (run->host_keys, ==, 1);
  assert_states (run, chain, G_N_ELEMENTS (chain));
  g_test_message ("rejected: %s", lab_setup_connect_get_error (run->connect)->message);
  g_assert_nonnull (lab_setup_connect_get_failure (run->connect));
  g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));
  g_assert_null (lab_setup_connect_get_recipe (run->connect));
}

/* Connected before: the host key is known, the key exists and signs in, sudo's password is
 * asked for through ::request, and the recipe chosen by hand wins over os-release. */
static void
test_again (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(Run) run = run_new (lab);
  g_autoptr(GError) error = NULL;

  lab_setup_connect_set_recipe_override (run->connect, "classic");
  g_assert_true (lab_setup_connect_start (run->connect, lab_fixture_get (lab, "LAB_HOST"),
                                          lab_fixture_get (lab, "LAB_USER"), NULL, TRUE,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_setup_connect_get_port (run->connect), ==, 0);
  g_assert_true (lab_test_wait_for (finished, run->connect, 120000));
  g_test_message ("log:\n%s", run->log->str);
  g_assert_cmpint (lab_setup_connect_get_state (run->connect), ==,
                   LAB_SETUP_CONNECT_STATE_DONE);
  g_assert_cmpuint (run->host_keys, ==, 0);
  g_assert_cmpuint (run->secrets, >=, 1);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (lab_setup_connect_get_session
                                                      (run->connect)), ==, "publickey");
  g_assert_cmpstr (lab_setup_connect_get_recipe (run->connect), ==, "classic");
  g_assert_nonnull (strstr (run->log->str, "the classic recipe"));
  g_assert_nonnull (strstr (run->log->str, "Installed the key"));
}

/* Stopped while connecting: FAILED as cancelled at once, and the run's late answers move
 * nothing. Bad input starts nothing. */
static gboolean
two_seconds_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_cancel_and_bad_input (LabTestFixture *fixture)
{
  gboolean waited = FALSE;
  LabFixture *lab = fixture->lab;
  g_autoptr(Run) run = run_new (lab);
  g_autoptr(GError) error = NULL;
  g_autofree char *right = lab_address (lab, NULL);
  const LabSetupConnectState chain[] = {
    LAB_SETUP_CONNECT_STATE_CONNECTING, LAB_SETUP_CONNECT_STATE_FAILED,
  };
  const char *bad[] = { "", "root@" , "-oProxyCommand=sh", "host:0", "my host", NULL };

  g_assert_true (lab_setup_connect_start (run->connect, right, lab_fixture_get (lab, "LAB_USER"),
                                          lab_fixture_get (lab, "LAB_PASSWORD"), TRUE,
                                          &error));
  lab_setup_connect_cancel (run->connect);
  g_assert_error (lab_setup_connect_get_error (run->connect), G_IO_ERROR,
                  G_IO_ERROR_CANCELLED);
  g_timeout_add_seconds (2, two_seconds_cb, &waited);
  lab_test_wait_for (flag_set, &waited, 10000);
  assert_states (run, chain, G_N_ELEMENTS (chain));
  g_assert_cmpint (lab_ssh_session_get_state (lab_setup_connect_get_session (run->connect)),
                   !=, LAB_SSH_STATE_CONNECTED);

  run_reset (run);
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *address = g_strconcat (bad[i], bad[i][0] == 'r' ? "host" : "", NULL);

      g_assert_false (lab_setup_connect_start (run->connect, address,
                                               lab_fixture_get (lab, "LAB_USER"), NULL, TRUE,
                                               &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_assert_false (lab_setup_connect_start (run->connect, right, "", NULL, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (run->states->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  lab_test_init (&argc, &argv);
  /* sudo asks for the password, as on a fresh install; the host key is not trusted yet.
   * In this order: each starts from what the one before left (trusted key, made key). */
  lab_test_add ("/setup-connect-lab/host-key-rejected", "password", NULL,
                test_host_key_rejected);
  lab_test_add ("/setup-connect-lab/refused-then-retry", "password", NULL,
                test_refused_then_retry);
  lab_test_add ("/setup-connect-lab/again", "password", NULL, test_again);
  lab_test_add ("/setup-connect-lab/cancel-and-bad-input", "password", NULL,
                test_cancel_and_bad_input);
  return lab_test_run ();
}
