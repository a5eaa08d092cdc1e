/* test-ssh-keyring.c — "remember" keeps passwords in the keyring (libsecret), nowhere else
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run through with-keyring.sh (private session bus, throwaway gnome-keyring).
 */

#include <gio/gio.h>
#include <string.h>

#include "ssh/lab-ssh-secrets.h"
#include "ssh/lab-ssh-session.h"
#include "ssh-test-util.h"

typedef struct
{
  guint        calls;
  const char  *answer;
} Probe;

static gboolean
on_ask_secret (LabSshSession *session,
               LabSshRequest *request,
               Probe         *probe)
{
  probe->calls++;
  if (probe->answer == NULL)
    lab_ssh_request_cancel (request);
  else
    lab_ssh_request_reply_secret (request, probe->answer, TRUE);
  return TRUE;
}

static char *
lookup_sync (LabSshSecretKind  kind,
             LabFixture       *lab,
             const char       *key_file)
{
  GAsyncResult *wait = NULL;
  char *secret;

  lab_ssh_secrets_lookup_async (kind, lab_fixture_get (lab, "LAB_USER"),
                                lab_fixture_get (lab, "LAB_HOST"),
                                (guint) atoi (lab_fixture_get (lab, "LAB_PORT")), key_file,
                                NULL, lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 20000);
  secret = lab_ssh_secrets_lookup_finish (wait, NULL);
  g_object_unref (wait);
  return secret;
}

/* Waits until the (asynchronous) store landed. */
static char *
wait_stored (LabSshSecretKind  kind,
             LabFixture       *lab,
             const char       *key_file)
{
  for (int i = 0; i < 50; i++)
    {
      char *secret = lookup_sync (kind, lab, key_file);

      if (secret != NULL)
        return secret;
      g_usleep (100 * 1000);
    }
  return NULL;
}

static void
assert_not_in_files (const char *dir,
                     const char *secret)
{
  const char *argv[] = { "grep", "-rqaF", "--", secret, dir, NULL };

  /* grep exits 1 when nothing matched. */
  g_assert_cmpint (lab_test_spawn (argv, NULL, NULL, NULL), ==, 1);
}

static LabSshSession *
keyring_session (LabFixture *lab,
                 const char *key)
{
  LabSshSession *session = ssh_test_session (lab, key);

  g_object_set (session, "use-secret-store", TRUE, NULL);
  return session;
}

static void
test_password_remembered (LabTestFixture *fixture)
{
  Probe probe = { 0, NULL };
  LabFixture *lab = fixture->lab;
  g_autofree char *stored = NULL;
  g_autoptr(LabSshSession) first = NULL;
  g_autoptr(LabSshSession) second = NULL;
  g_autoptr(GError) error = NULL;

  probe.answer = lab_fixture_get (lab, "LAB_PASSWORD");
  first = keyring_session (lab, NULL);
  lab_ssh_session_set_password_only (first, TRUE);
  g_signal_connect (first, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_true (ssh_test_connect (first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  stored = wait_stored (LAB_SSH_SECRET_PASSWORD, lab, NULL);
  g_assert_cmpstr (stored, ==, probe.answer);

  /* A new session finds it in the keyring and asks nothing. */
  second = keyring_session (lab, NULL);
  lab_ssh_session_set_password_only (second, TRUE);
  g_signal_connect (second, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_true (ssh_test_connect (second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (second), ==, "keyboard-interactive");

  /* Nowhere in our files (the test's HOME holds config, known_hosts, keys). */
  assert_not_in_files (g_get_home_dir (), probe.answer);
  lab_ssh_secret_free (g_steal_pointer (&stored));
}

static void
test_passphrase_remembered (LabTestFixture *fixture)
{
  Probe probe = { 0, NULL };
  const char *key;
  g_autofree char *stored = NULL;
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSshSession) first = NULL;
  g_autoptr(LabSshSession) second = NULL;
  g_autoptr(GError) error = NULL;

  key = lab_fixture_get (lab, "LAB_KEY_PASSPHRASE_PATH");
  if (key == NULL)
    {
      g_test_skip ("this lab has no key with a passphrase");
      return;
    }
  probe.answer = lab_fixture_get (lab, "LAB_KEY_PASSPHRASE");
  first = keyring_session (lab, key);
  g_signal_connect (first, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_true (ssh_test_connect (first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  stored = wait_stored (LAB_SSH_SECRET_PASSPHRASE, lab, key);
  g_assert_cmpstr (stored, ==, probe.answer);

  second = keyring_session (lab, key);
  g_signal_connect (second, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_true (ssh_test_connect (second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  assert_not_in_files (g_get_home_dir (), probe.answer);
  lab_ssh_secret_free (g_steal_pointer (&stored));
}

int
main (int   argc,
      char *argv[])
{
  lab_test_init (&argc, &argv);
  lab_test_add ("/ssh-keyring/password", "nopasswd", NULL, test_password_remembered);
  lab_test_add ("/ssh-keyring/passphrase", "nopasswd", NULL, test_passphrase_remembered);
  return lab_test_run ();
}
