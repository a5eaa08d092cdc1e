/* test-ssh-lab.c — the SSH core against the lab's real OpenSSH sshd
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Host keys, every authentication method, exec (large output, stderr, exit codes, hostile
 * arguments, timeout, cancel), sudo NOPASSWD, PTY resize, a forwarded port's back-pressure,
 * and losing sshd mid-command.
 * Runs against the fast lab, or the real-Xen lab with MIRAGE_LAB_KIND=xen.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/lab-ssh-forward-private.h"
#include "ssh/lab-ssh-keygen.h"
#include "ssh/lab-ssh-private.h"
#include "ssh/lab-ssh-session.h"
#include "ssh-test-util.h"

/* ---------------------------------------------------------------------------------------- */
/* Host keys                                                                                */

typedef struct
{
  guint             calls;
  LabSshHostKeyDecision decision;
  char             *fingerprint;
  char             *key_type;
  gboolean          other_types_known;
} HostKeyProbe;

static gboolean
on_verify_host_key (LabSshSession *session,
                    LabSshRequest *request,
                    HostKeyProbe  *probe)
{
  probe->calls++;
  g_free (probe->fingerprint);
  probe->fingerprint = g_strdup (lab_ssh_request_get_fingerprint (request));
  g_free (probe->key_type);
  probe->key_type = g_strdup (lab_ssh_request_get_key_type (request));
  probe->other_types_known = lab_ssh_request_get_other_types_known (request);
  g_assert_cmpint (lab_ssh_request_get_kind (request), ==, LAB_SSH_REQUEST_HOST_KEY);
  lab_ssh_request_reply_host_key (request, probe->decision);
  return TRUE;
}

static void
host_key_probe_clear (HostKeyProbe *probe)
{
  g_clear_pointer (&probe->fingerprint, g_free);
  g_clear_pointer (&probe->key_type, g_free);
}

static guint
count_auth_lines (LabFixture *lab)
{
  g_autofree char *log = NULL;
  const char *path = lab_fixture_get (lab, "LAB_SSHD_LOG");
  guint n = 0;

  /* Only the fast lab exposes sshd's log; elsewhere this check is skipped (0 == 0). */
  if (path == NULL || !g_file_get_contents (path, &log, NULL, NULL))
    return 0;
  for (const char *p = log; (p = strstr (p, "\n")) != NULL; p++)
    {
      if (g_str_has_prefix (p + 1, "Accepted") || g_str_has_prefix (p + 1, "Failed")
          || g_str_has_prefix (p + 1, "Postponed"))
        n++;
      else
        {
          const char *eol = strchr (p + 1, '\n');
          g_autofree char *line = g_strndup (p + 1, eol ? (gsize) (eol - p - 1) : strlen (p + 1));

          if (strstr (line, "Accepted ") || strstr (line, "Failed ")
              || strstr (line, "Postponed "))
            n++;
        }
    }
  return n;
}

static void
test_host_key_new_accept (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *app_kh = lab_test_home_file ("accepted_known_hosts");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  HostKeyProbe probe = { 0, LAB_SSH_HOST_KEY_ACCEPT_SAVE };
  g_autofree char *expected_name = NULL;

  g_unlink (app_kh);
  for (int round = 0; round < 2; round++)
    {
      g_autoptr(LabSshSession) session = ssh_test_session (lab, NULL);

      g_object_set (session, "known-hosts-file", "", "app-known-hosts-file", app_kh, NULL);
      g_signal_connect (session, "verify-host-key", G_CALLBACK (on_verify_host_key), &probe);
      g_assert_true (ssh_test_connect (session, &error));
      g_assert_no_error (error);
      g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_CONNECTED);
      /* First contact asks; afterwards the saved key is known. */
      g_assert_cmpuint (probe.calls, ==, 1);
    }
  g_assert_cmpstr (probe.fingerprint, ==, lab_fixture_get (lab, "LAB_HOSTKEY_SHA256"));
  g_assert_cmpstr (probe.key_type, ==, "ssh-ed25519");
  g_assert_false (probe.other_types_known);

  g_assert_true (g_file_get_contents (app_kh, &contents, NULL, NULL));
  if (g_str_equal (lab_fixture_get (lab, "LAB_PORT"), "22"))
    expected_name = g_strdup_printf ("%s ssh-ed25519 ", lab_fixture_get (lab, "LAB_HOST"));
  else
    expected_name = g_strdup_printf ("[%s]:%s ssh-ed25519 ", lab_fixture_get (lab, "LAB_HOST"),
                                     lab_fixture_get (lab, "LAB_PORT"));
  g_assert_true (g_str_has_prefix (contents, expected_name));
  host_key_probe_clear (&probe);
}

static void
test_host_key_reject (LabTestFixture *fixture)
{
  g_autofree char *app_kh = lab_test_home_file ("rejected_known_hosts");
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (fixture->lab, NULL);
  HostKeyProbe probe = { 0, LAB_SSH_HOST_KEY_REJECT };

  g_unlink (app_kh);
  g_object_set (session, "known-hosts-file", "", "app-known-hosts-file", app_kh, NULL);
  g_signal_connect (session, "verify-host-key", G_CALLBACK (on_verify_host_key), &probe);
  g_assert_false (ssh_test_connect (session, &error));
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_UNKNOWN);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_FAILED);
  g_assert_false (g_file_test (app_kh, G_FILE_TEST_EXISTS));
  host_key_probe_clear (&probe);
}

static void
test_host_key_known (LabTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (fixture->lab, NULL);
  HostKeyProbe probe = { 0, LAB_SSH_HOST_KEY_REJECT };

  g_signal_connect (session, "verify-host-key", G_CALLBACK (on_verify_host_key), &probe);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 0);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (session), ==, "publickey");
}

static char *
known_hosts_name (LabFixture *lab)
{
  if (g_str_equal (lab_fixture_get (lab, "LAB_PORT"), "22"))
    return g_strdup (lab_fixture_get (lab, "LAB_HOST"));
  return g_strdup_printf ("[%s]:%s", lab_fixture_get (lab, "LAB_HOST"),
                          lab_fixture_get (lab, "LAB_PORT"));
}

/* A different ed25519 key on file: refused before any authentication is attempted. */
static void
test_host_key_changed (LabTestFixture *fixture)
{
  guint auth_before;
  LabFixture *lab = fixture->lab;
  g_autofree char *kh = lab_test_home_file ("changed_known_hosts");
  g_autofree char *other = lab_test_home_file ("other_hostkey");
  g_autofree char *other_pub = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *line = NULL;
  g_autofree char *name = known_hosts_name (lab);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (lab, NULL);
  HostKeyProbe probe = { 0, LAB_SSH_HOST_KEY_ACCEPT_SAVE };
  const char *keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other, NULL };
  g_auto(GStrv) parts = NULL;

  g_unlink (other);
  other_pub = g_strconcat (other, ".pub", NULL);
  g_unlink (other_pub);
  g_assert_cmpint (lab_test_spawn (keygen, NULL, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (other_pub, &pub, NULL, NULL));
  parts = g_strsplit (pub, " ", 3);
  line = g_strdup_printf ("# a comment\n%s %s %s\n", name, parts[0], parts[1]);
  g_assert_true (g_file_set_contents (kh, line, -1, NULL));

  /* One normal login first, so that the log is known to show authentications. */
  {
    g_autoptr(LabSshSession) normal = ssh_test_session (lab, NULL);

    g_assert_true (ssh_test_connect (normal, &error));
    g_assert_no_error (error);
  }
  g_usleep (300 * 1000);
  auth_before = count_auth_lines (lab);
  g_test_message ("authentications in sshd's log: %u", auth_before);
  if (lab_fixture_get (lab, "LAB_SSHD_LOG") != NULL)
    g_assert_cmpuint (auth_before, >, 0);
  g_object_set (session, "known-hosts-file", kh, NULL);
  g_signal_connect (session, "verify-host-key", G_CALLBACK (on_verify_host_key), &probe);
  g_assert_false (ssh_test_connect (session, &error));
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_CHANGED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Nothing was sent"));
  g_assert_nonnull (strstr (error->message, kh));
  g_assert_cmpuint (probe.calls, ==, 0);
  /* sshd logged no authentication attempt for this connection. */
  g_usleep (300 * 1000);
  g_assert_cmpuint (count_auth_lines (lab), ==, auth_before);
}

/* The lab's OpenSSH still accepts a connection, and what it negotiated is not CBC. */
static void
test_cipher_negotiated (LabTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (fixture->lab, NULL);
  LIBSSH2_SESSION *raw;
  const char *cs, *sc;

  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  raw = _lab_ssh_session_get_raw (session);
  g_assert_nonnull (raw);
  cs = libssh2_session_methods (raw, LIBSSH2_METHOD_CRYPT_CS);
  sc = libssh2_session_methods (raw, LIBSSH2_METHOD_CRYPT_SC);
  g_test_message ("negotiated %s / %s", cs, sc);
  g_assert_nonnull (cs);
  g_assert_nonnull (sc);
  g_assert_null (strstr (cs, "cbc"));
  g_assert_null (strstr (sc, "cbc"));
}

/* The server's real key, marked @revoked for every host in one file and trusted in another:
 * refused without a prompt, and the trust in the other file does not win. */
static void
test_host_key_revoked (LabTestFixture *fixture)
{
  HostKeyProbe probe = { 0, LAB_SSH_HOST_KEY_ACCEPT_SAVE };
  LabFixture *lab = fixture->lab;
  g_autofree char *kh = lab_test_home_file ("revoked_known_hosts");
  g_autofree char *app_kh = lab_test_home_file ("revoked_app_known_hosts");
  g_autofree char *contents = NULL;
  g_autofree char *revoked = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;

  g_unlink (app_kh);
  {
    g_autoptr(LabSshSession) first = ssh_test_session (lab, NULL);

    g_object_set (first, "known-hosts-file", "", "app-known-hosts-file", app_kh, NULL);
    g_signal_connect (first, "verify-host-key", G_CALLBACK (on_verify_host_key), &probe);
    g_assert_true (ssh_test_connect (first, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (probe.calls, ==, 1);
    host_key_probe_clear (&probe);
  }
  g_assert_true (g_file_get_contents (app_kh, &contents, NULL, NULL));
  parts = g_strsplit (g_strstrip (contents), " ", 3);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  revoked = g_strdup_printf ("@revoked * %s %s\n", parts[1], parts[2]);
  g_assert_true (g_file_set_contents (kh, revoked, -1, NULL));

  {
    g_autoptr(LabSshSession) session = ssh_test_session (lab, NULL);

    probe.calls = 0;
    g_object_set (session, "known-hosts-file", kh, "app-known-hosts-file", app_kh, NULL);
    g_signal_connect (session, "verify-host-key", G_CALLBACK (on_verify_host_key), &probe);
    g_assert_false (ssh_test_connect (session, &error));
    g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_HOST_KEY_REVOKED);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, kh));
    g_assert_cmpuint (probe.calls, ==, 0);
    host_key_probe_clear (&probe);
  }
}

/* Only keys of types the server does not have are on file: a new key, not a changed one. */
static void
test_host_key_other_type (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *kh = lab_test_home_file ("other_type_known_hosts");
  g_autofree char *app_kh = lab_test_home_file ("other_type_app_known_hosts");
  g_autofree char *name = known_hosts_name (lab);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (lab, NULL);
  HostKeyProbe probe = { 0, LAB_SSH_HOST_KEY_ACCEPT_ONCE };

  /* A (made-up) nistp521 key: the lab's sshd has none, so another type is negotiated. */
  line = g_strdup_printf ("%s ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1"
                          "MjEAAACFBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n", name);
  g_assert_true (g_file_set_contents (kh, line, -1, NULL));
  g_unlink (app_kh);
  g_object_set (session, "known-hosts-file", kh, "app-known-hosts-file", app_kh, NULL);
  g_signal_connect (session, "verify-host-key", G_CALLBACK (on_verify_host_key), &probe);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_true (probe.other_types_known);
  /* Accepted once: nothing saved. */
  g_assert_false (g_file_test (app_kh, G_FILE_TEST_EXISTS));
  host_key_probe_clear (&probe);
}

/* ---------------------------------------------------------------------------------------- */
/* Authentication                                                                           */

typedef struct
{
  guint              calls;
  LabSshRequestKind  kind;
  const char * const *answers;   /* one per call; NULL entry = cancel */
  guint              last_attempt;
  gboolean           remember;
} SecretProbe;

static gboolean
on_ask_secret (LabSshSession *session,
               LabSshRequest *request,
               SecretProbe   *probe)
{
  const char *answer = probe->answers[probe->calls];

  probe->calls++;
  probe->kind = lab_ssh_request_get_kind (request);
  probe->last_attempt = lab_ssh_request_get_attempt (request);
  g_test_message ("ask-secret: %s (attempt %u)", lab_ssh_request_get_message (request),
                  probe->last_attempt);
  if (answer == NULL)
    lab_ssh_request_cancel (request);
  else
    lab_ssh_request_reply_secret (request, answer, probe->remember);
  return TRUE;
}

static void
test_auth_agent (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *sock = lab_test_home_file ("agent.sock");
  g_autofree char *env_sock = g_strdup_printf ("SSH_AUTH_SOCK=%s", sock);
  g_autoptr(GSubprocess) agent = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (lab, "/nonexistent/key");
  const char *add[] = { "env", env_sock, "ssh-add", "-q", lab_fixture_get (lab, "LAB_KEY"),
                        NULL };

  g_unlink (sock);
  agent = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "ssh-agent", "-D", "-a",
                            sock, NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 100 && !g_file_test (sock, G_FILE_TEST_EXISTS); i++)
    g_usleep (20 * 1000);
  g_assert_cmpint (lab_test_spawn (add, NULL, NULL, NULL), ==, 0);

  g_object_set (session, "use-agent", TRUE, "agent-socket", sock, NULL);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (session), ==, "agent");
  g_subprocess_force_exit (agent);
  g_subprocess_wait (agent, NULL, NULL);
}

/* A session with the lab's extra key in @key_variable, or NULL (the test skipped with
 * @skip_reason) when this lab has none. */
static LabSshSession *
extra_key_session (LabFixture *lab,
                   const char *key_variable,
                   const char *skip_reason)
{
  const char *key = lab_fixture_get (lab, key_variable);

  if (key == NULL)
    {
      g_test_skip (skip_reason);
      return NULL;
    }
  return ssh_test_session (lab, key);
}

static void
test_auth_ecdsa (LabTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = extra_key_session (fixture->lab, "LAB_KEY_ECDSA",
                                                        "this lab has no ECDSA key");

  if (session == NULL)
    return;
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (session), ==, "publickey");
}

static void
test_auth_passphrase (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  const char *answers[] = { "not the passphrase", lab_fixture_get (lab, "LAB_KEY_PASSPHRASE"),
                            NULL };
  SecretProbe probe = { 0, 0, answers };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = extra_key_session (lab, "LAB_KEY_PASSPHRASE_PATH",
                                                        "this lab has no key with a passphrase");

  if (session == NULL)
    return;
  g_signal_connect (session, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 2);
  g_assert_cmpint (probe.kind, ==, LAB_SSH_REQUEST_PASSPHRASE);
  g_assert_cmpuint (probe.last_attempt, ==, 2);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (session), ==, "publickey");
}

static void
run_password_auth (LabFixture *lab,
                   const char *method)
{
  const char *answers[] = { "wrong password", lab_fixture_get (lab, "LAB_PASSWORD"), NULL };
  const char *methods[] = { method, NULL };
  SecretProbe probe = { 0, 0, answers };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (lab, NULL);
  g_autofree char *out = NULL;
  const char *whoami[] = { "id", "-un", NULL };

  lab_ssh_session_set_auth_methods (session, methods);
  g_signal_connect (session, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 2);
  g_assert_cmpint (probe.kind, ==, LAB_SSH_REQUEST_PASSWORD);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (session), ==, method);
  out = ssh_test_run_ok (session, whoami, LAB_SSH_EXEC_NONE);
  g_assert_true (g_str_has_prefix (out, lab_fixture_get (lab, "LAB_USER")));
}

static void
test_auth_password (LabTestFixture *fixture)
{
  run_password_auth (fixture->lab, "password");
}

static void
test_auth_kbdint (LabTestFixture *fixture)
{
  run_password_auth (fixture->lab, "keyboard-interactive");
}

static void
test_auth_cancelled (LabTestFixture *fixture)
{
  const char *answers[] = { NULL };
  const char *methods[] = { "password", NULL };
  SecretProbe probe = { 0, 0, answers };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (fixture->lab, NULL);

  lab_ssh_session_set_auth_methods (session, methods);
  g_signal_connect (session, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_false (ssh_test_connect (session, &error));
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_AUTH_FAILED);
  g_assert_cmpuint (probe.calls, ==, 1);
}

static void
test_auth_rsa (LabTestFixture *fixture)
{
  const char *methods[] = { "publickey", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = extra_key_session (fixture->lab, "LAB_KEY_RSA",
                                                        "this lab has no RSA key");

  if (session == NULL)
    return;
  lab_ssh_session_set_auth_methods (session, methods);
  g_assert_false (ssh_test_connect (session, &error));
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_RSA_UNSUPPORTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "ed25519"));
  g_assert_true (lab_ssh_session_get_rsa_key_rejected (session));
}

static void
keygen_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  lab_test_result_cb (object, result, user_data);
}

/* Create an ed25519 key locally and install it with the password, twice (idempotent). */
static void
test_keygen_install (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  const char *answers[] = { lab_fixture_get (lab, "LAB_PASSWORD"), NULL };
  SecretProbe probe = { 0, 0, answers };
  g_autofree char *key = lab_test_home_file ("generated_ed25519");
  g_autofree char *key_pub = g_strconcat (key, ".pub", NULL);
  g_autofree char *pub = NULL;
  g_autofree char *count = NULL;
  g_autofree char *modes = NULL;
  g_autofree char *expected_count = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = ssh_test_session (lab, NULL);
  g_autoptr(LabSshSession) by_key = NULL;
  GAsyncResult *wait = NULL;

  g_unlink (key);
  g_unlink (key_pub);
  lab_ssh_keygen_create_async (key, "mirage-lab-test", NULL, keygen_cb, &wait);
  lab_test_wait_result (&wait, 30000);
  pub = lab_ssh_keygen_create_finish (wait, &error);
  g_clear_object (&wait);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pub, "ssh-ed25519 "));

  /* Never overwrites. */
  lab_ssh_keygen_create_async (key, NULL, NULL, keygen_cb, &wait);
  lab_test_wait_result (&wait, 30000);
  g_assert_null (lab_ssh_keygen_create_finish (wait, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&wait);

  lab_ssh_session_set_password_only (session, TRUE);
  g_signal_connect (session, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);

  for (int i = 0; i < 2; i++)
    {
      lab_ssh_keygen_install_async (session, pub, NULL, keygen_cb, &wait);
      lab_test_wait_result (&wait, 30000);
      g_assert_true (lab_ssh_keygen_install_finish (session, wait, &error));
      g_assert_no_error (error);
      g_clear_object (&wait);
    }
  {
    g_autofree char *stripped = g_strstrip (g_strdup (pub));
    const char *grep[] = { "grep", "-cxF", "--", stripped, ".ssh/authorized_keys", NULL };
    const char *stat[] = { "stat", "-c", "%a", ".ssh", ".ssh/authorized_keys", NULL };

    count = ssh_test_run_ok (session, grep, LAB_SSH_EXEC_NONE);
    modes = ssh_test_run_ok (session, stat, LAB_SSH_EXEC_NONE);
  }
  g_assert_cmpstr (count, ==, "1\n");
  g_assert_cmpstr (modes, ==, "700\n600\n");

  by_key = ssh_test_session (lab, key);
  g_assert_true (ssh_test_connect (by_key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (by_key), ==, "publickey");
  expected_count = NULL;
}

/* ~/.ssh/config: an alias with HostName, User, Port and IdentityFile. */
static void
test_ssh_config_alias (LabTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  LabFixture *lab = fixture->lab;
  g_autofree char *config_path = lab_test_home_file ("ssh_config");
  g_autofree char *config = NULL;
  g_autoptr(LabSshSession) session = lab_ssh_session_new ("mirage-dom0");
  g_autofree char *app_kh = lab_test_home_file ("app_known_hosts");

  config = g_strdup_printf ("Host other\n  User nobody\n\n"
                            "Host mirage-* !mirage-other\n"
                            "  HostName %s\n  User %s\n  Port %s\n  IdentityFile %s\n"
                            "  ConnectTimeout 10\n\n"
                            "Host *\n  User root\n  Port 2\n  IdentityFile ~/.ssh/nothing\n",
                            lab_fixture_get (lab, "LAB_HOST"), lab_fixture_get (lab, "LAB_USER"),
                            lab_fixture_get (lab, "LAB_PORT"), lab_fixture_get (lab, "LAB_KEY"));
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  g_object_set (session,
                "known-hosts-file", lab_fixture_get (lab, "LAB_KNOWN_HOSTS"),
                "app-known-hosts-file", app_kh,
                "use-agent", FALSE, "use-secret-store", FALSE, NULL);
  lab_ssh_session_set_ssh_config_file (session, config_path);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_ssh_session_get_hostname (session), ==, lab_fixture_get (lab, "LAB_HOST"));
  g_assert_cmpstr (lab_ssh_session_get_user (session), ==, lab_fixture_get (lab, "LAB_USER"));
  g_assert_cmpuint (lab_ssh_session_get_port (session), ==,
                    (guint) atoi (lab_fixture_get (lab, "LAB_PORT")));
}

/* ---------------------------------------------------------------------------------------- */
/* Exec                                                                                     */

static LabSshSession *
connected_session (LabFixture *lab)
{
  g_autoptr(GError) error = NULL;
  LabSshSession *session = ssh_test_session (lab, NULL);

  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  return session;
}

static void
test_exec_large (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSshSession) session = connected_session (lab);
  const char *make[] = { "sh", "-c",
                         "head -c 12000000 /dev/urandom > /tmp/mirage-lab-big && "
                         "sha256sum < /tmp/mirage-lab-big | cut -d' ' -f1", NULL };
  const char *cat[] = { "cat", "/tmp/mirage-lab-big", NULL };
  g_autofree char *remote_sum = ssh_test_run_ok (session, make, LAB_SSH_EXEC_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autofree char *local_sum = NULL;
  GBytes *out;

  result = ssh_test_exec (session, cat, LAB_SSH_EXEC_NONE, NULL, 120000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), ==, 0);
  out = lab_ssh_exec_result_get_stdout (result);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 12000000);
  local_sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, out);
  g_strstrip (remote_sum);
  g_assert_cmpstr (local_sum, ==, remote_sum);
}

/* A host that prints without end (a hostile dom0, a path that is /dev/zero) gets a clear
 * error past the exec's limit, on stdout and on stderr; the session goes on. */
static void
test_exec_too_much (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *out[] = { "head", "-c", "80000000", "/dev/zero", NULL };
  const char *err[] = { "sh", "-c", "head -c 3000000 /dev/zero >&2", NULL };
  const char *after[] = { "echo", "still here", NULL };
  g_autofree char *still = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabSshExecResult) result = NULL;

      result = ssh_test_exec (session, i == 0 ? out : err, LAB_SSH_EXEC_NONE, NULL, 120000,
                              NULL, &error);
      g_assert_null (result);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
      g_test_message ("%s", error->message);
    }
  still = ssh_test_run_ok (session, after, LAB_SSH_EXEC_NONE);
  g_assert_cmpstr (still, ==, "still here\n");
}

typedef struct
{
  GString *events;
} StreamProbe;

/* "stdout-data" and "stderr-data" alike: each chunk as O:… or E:…, in arrival order. */
static void
on_stream (LabSshChannel *channel,
           GBytes        *bytes,
           StreamProbe   *probe)
{
  GSignalInvocationHint *hint = g_signal_get_invocation_hint (channel);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append (probe->events,
                   g_str_equal (g_signal_name (hint->signal_id), "stdout-data") ? "O:" : "E:");
  g_string_append_len (probe->events, data, (gssize) len);
}

static void
test_exec_stderr_status (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
  const char *stream[] = { "sh", "-c", "echo one; sleep 0.3; echo two >&2; sleep 0.3; "
                           "echo three; exit 7", NULL };
  const char *missing[] = { "/nonexistent/program", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(LabSshChannel) channel = NULL;
  StreamProbe probe = { g_string_new (NULL) };
  GAsyncResult *wait = NULL;

  result = ssh_test_exec (session, argv, LAB_SSH_EXEC_NONE, NULL, 30000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), ==, 3);
  g_assert_cmpstr (lab_ssh_exec_result_get_stdout_text (result), ==, "out\n");
  g_assert_cmpstr (lab_ssh_exec_result_get_stderr_text (result), ==, "err\n");
  g_clear_pointer (&result, lab_ssh_exec_result_free);

  result = ssh_test_exec (session, missing, LAB_SSH_EXEC_NONE, NULL, 30000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), ==, 127);
  g_clear_pointer (&result, lab_ssh_exec_result_free);

  /* Streamed as it arrives, stdout and stderr apart, in order. */
  channel = lab_ssh_session_create_exec_channel (session, stream, LAB_SSH_EXEC_NONE);
  g_signal_connect (channel, "stdout-data", G_CALLBACK (on_stream), &probe);
  g_signal_connect (channel, "stderr-data", G_CALLBACK (on_stream), &probe);
  lab_ssh_channel_send_eof (channel);
  lab_ssh_channel_start_async (channel, NULL, NULL, NULL);
  lab_ssh_channel_wait_async (channel, NULL, lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 30000);
  g_assert_cmpint (lab_ssh_channel_wait_finish (channel, wait, &error), ==, 7);
  g_assert_no_error (error);
  g_clear_object (&wait);
  g_assert_cmpstr (probe.events->str, ==, "O:one\nE:two\nO:three\n");
  g_string_free (probe.events, TRUE);
}

/* The command exited with status 0 and printed exactly @expected. */
static void
assert_printed (LabSshExecResult *result,
                GByteArray       *expected)
{
  GBytes *out;

  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), ==, 0);
  out = lab_ssh_exec_result_get_stdout (result);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                   expected->data, expected->len);
}

/* Every argument reaches the remote program byte for byte, and nothing else runs. */
static void
test_exec_hostile_arguments (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSshSession) session = connected_session (lab);
  const char *canary = "/tmp/mirage-lab-canary";
  const char *args[] = {
    "printf", "%s\\0",
    "plain", "two words", "", " ", "'", "\"", "''\"'\"", "\\", "\\'",
    "$(touch /tmp/mirage-lab-canary)", "`touch /tmp/mirage-lab-canary`",
    "; touch /tmp/mirage-lab-canary", "&& touch /tmp/mirage-lab-canary #",
    "| touch /tmp/mirage-lab-canary", "\ntouch /tmp/mirage-lab-canary\n",
    "> /tmp/mirage-lab-canary", "$HOME", "${PATH}", "*", "?", "~", "-n", "--", "!",
    "\t\r\n", "\xff\xfe invalid \xc3\x28 utf-8", "\xe2\x82\xac \xf0\x9f\x90\xab",
    NULL,
  };
  const char *check[] = { "sh", "-c", "test -e /tmp/mirage-lab-canary && echo FOUND; true",
                          NULL };
  const char *rm[] = { "rm", "-f", canary, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autofree char *found = NULL;
  g_autofree char *removed = ssh_test_run_ok (session, rm, LAB_SSH_EXEC_NONE);

  for (guint i = 2; args[i] != NULL; i++)
    g_byte_array_append (expected, (const guint8 *) args[i], (guint) strlen (args[i]) + 1);

  result = ssh_test_exec (session, args, LAB_SSH_EXEC_NONE, NULL, 30000, NULL, &error);
  g_assert_no_error (error);
  assert_printed (result, expected);
  found = ssh_test_run_ok (session, check, LAB_SSH_EXEC_NONE);
  g_assert_cmpstr (found, ==, "");
}

/* Rewrites the lab user's login shell in dom0's /etc/passwd, in place: the file is bind
 * mounted into dom0, so a new file (rename) would not be seen there. */
static void
set_login_shell (LabFixture *lab,
                 const char *shell)
{
  g_autofree char *passwd = g_build_filename (lab_fixture_get (lab, "LAB_DIR"), "dom0", "etc",
                                              "passwd", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *prefix = g_strconcat (lab_fixture_get (lab, "LAB_USER"), ":", NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) updated = g_string_new (NULL);
  FILE *f;

  g_assert_true (g_file_get_contents (passwd, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], prefix))
        {
          char *colon = strrchr (lines[i], ':');

          g_assert_nonnull (colon);
          g_string_append_len (updated, lines[i], colon + 1 - lines[i]);
          g_string_append (updated, shell);
        }
      else
        g_string_append (updated, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (updated, '\n');
    }
  f = fopen (passwd, "w");
  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (updated->str, 1, updated->len, f), ==, updated->len);
  g_assert_cmpint (fclose (f), ==, 0);
}

/* Commands are POSIX sh: a user whose login shell is fish or tcsh still gets exactly the
 * argv, through sudo too (each parses quotes, "\", "!", "$" and newlines its own way). */
static void
test_exec_login_shells (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  const char *shells[] = { "/usr/bin/fish", "/usr/bin/tcsh", NULL };
  const char *args[] = {
    "printf", "%s\\0",
    "plain", "two words", "", " ", "'", "\"", "''\"'\"", "\\", "\\\\", "\\'", "'\\''",
    "$HOME", "${PATH}", "$status", "`touch /tmp/mirage-lab-canary`",
    "$(touch /tmp/mirage-lab-canary)", "; touch /tmp/mirage-lab-canary",
    "\ntouch /tmp/mirage-lab-canary\n", "!", "!!", "a!b", "!$", "-n", "-", "--", "*", "~",
    "{a,b}", "%1", "line one\nline two", "\t\r\n", "\xff\xfe invalid \xc3\x28 utf-8",
    "\xe2\x82\xac",
    NULL,
  };
  g_autoptr(GByteArray) expected = g_byte_array_new ();

  if (g_strcmp0 (lab_fixture_get (lab, "LAB_KIND"), "fast") != 0)
    {
      g_test_skip ("needs the fast lab's /etc/passwd");
      return;
    }
  for (guint i = 2; args[i] != NULL; i++)
    g_byte_array_append (expected, (const guint8 *) args[i], (guint) strlen (args[i]) + 1);

  for (guint s = 0; shells[s] != NULL; s++)
    {
      const LabSshExecFlags flags[] = { LAB_SSH_EXEC_NONE, LAB_SSH_EXEC_SUDO };
      const char *check[] = { "sh", "-c", "test -e /tmp/mirage-lab-canary && echo FOUND; true",
                              NULL };
      g_autoptr(LabSshSession) session = NULL;
      g_autofree char *found = NULL;

      if (!g_file_test (shells[s], G_FILE_TEST_IS_EXECUTABLE))
        {
          g_test_message ("%s is not installed (build-aux/dev.sh test packages)", shells[s]);
          g_test_fail ();
          continue;
        }
      set_login_shell (lab, shells[s]);
      session = connected_session (lab);
      for (guint f = 0; f < G_N_ELEMENTS (flags); f++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(LabSshExecResult) result = NULL;

          g_test_message ("%s, flags %u", shells[s], (guint) flags[f]);
          result = ssh_test_exec (session, args, flags[f], NULL, 30000, NULL, &error);
          g_assert_no_error (error);
          g_test_message ("stderr: %s", lab_ssh_exec_result_get_stderr_text (result));
          assert_printed (result, expected);
        }
      found = ssh_test_run_ok (session, check, LAB_SSH_EXEC_NONE);
      g_assert_cmpstr (found, ==, "");
      lab_ssh_session_close (session);
    }
  set_login_shell (lab, "/bin/bash");
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* The command that began at @start was stopped with @domain/@code, within 5 s, and the
 * session still runs commands. */
static void
assert_stopped_in_time (LabSshSession    *session,
                        LabSshExecResult *result,
                        const GError     *error,
                        GQuark            domain,
                        int               code,
                        gint64            start)
{
  const char *echo[] = { "echo", "still here", NULL };
  g_autofree char *out = NULL;

  g_assert_null (result);
  g_assert_error (error, domain, code);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  out = ssh_test_run_ok (session, echo, LAB_SSH_EXEC_NONE);
  g_assert_cmpstr (out, ==, "still here\n");
}

static void
test_exec_timeout (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *argv[] = { "sleep", "30", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  result = ssh_test_exec (session, argv, LAB_SSH_EXEC_NONE, NULL, 500, NULL, &error);
  assert_stopped_in_time (session, result, error, LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT, start);
}

static void
test_exec_cancel (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *argv[] = { "sh", "-c", "echo started; sleep 31", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (500, cancel_later, cancellable);
  result = ssh_test_exec (session, argv, LAB_SSH_EXEC_NONE, NULL, 0, cancellable, &error);
  assert_stopped_in_time (session, result, error, G_IO_ERROR, G_IO_ERROR_CANCELLED, start);
}

static void
test_exec_stdin (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *argv[] = { "sha256sum", NULL };
  const char *head[] = { "head", "-c", "10", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autofree guchar *data = g_malloc (3 * 1024 * 1024 + 7);
  g_autofree char *sum = NULL;

  for (gsize i = 0; i < 3 * 1024 * 1024 + 7; i++)
    data[i] = (guchar) (i * 7 + i / 251);
  input = g_bytes_new (data, 3 * 1024 * 1024 + 7);
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, input);
  result = ssh_test_exec (session, argv, LAB_SSH_EXEC_NONE, input, 60000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (lab_ssh_exec_result_get_stdout_text (result), sum));
  g_clear_pointer (&result, lab_ssh_exec_result_free);

  /* A program that reads 10 bytes of the 3 MB and exits: no error, its status. */
  result = ssh_test_exec (session, head, LAB_SSH_EXEC_NONE, input, 60000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (lab_ssh_exec_result_get_stdout (result)), ==, 10);
}

/* More commands at once than sshd's MaxSessions: the extra ones wait for a free session. */
static void
test_exec_many (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *argv[] = { "sh", "-c", "sleep 0.5; echo done", NULL };

  ssh_test_exec_many (session, argv, LAB_SSH_EXEC_NONE, 60000, 32, "done\n");
}

static void
test_sudo_nopasswd (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *argv[] = { "id", "-u", NULL };
  const char *answers[] = { NULL };
  SecretProbe probe = { 0, 0, answers };
  g_autofree char *out = NULL;
  g_autofree char *again = NULL;

  g_signal_connect (session, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  out = ssh_test_run_ok (session, argv, LAB_SSH_EXEC_SUDO);
  g_assert_cmpstr (out, ==, "0\n");
  again = ssh_test_run_ok (session, argv, LAB_SSH_EXEC_SUDO);
  g_assert_cmpstr (again, ==, "0\n");
  g_assert_cmpuint (probe.calls, ==, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* PTY                                                                                      */

typedef struct
{
  GString *out;
} PtyProbe;

static void
on_pty_data (LabSshChannel *channel,
             GBytes        *bytes,
             PtyProbe      *probe)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (probe->out, data, (gssize) len);
}

typedef struct
{
  PtyProbe   *probe;
  const char *needle;
} OutputWait;

static gboolean
output_arrived (gpointer user_data)
{
  OutputWait *wait = user_data;

  return strstr (wait->probe->out->str, wait->needle) != NULL;
}

static gboolean
wait_for_output (PtyProbe   *probe,
                 const char *needle,
                 guint       timeout_s)
{
  OutputWait wait = { probe, needle };

  return lab_test_wait_for (output_arrived, &wait, timeout_s * 1000);
}

static void
test_pty_resize (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *argv[] = { "sh", NULL };
  g_autoptr(LabSshChannel) channel = NULL;
  g_autoptr(GError) error = NULL;
  PtyProbe probe = { g_string_new (NULL) };
  GAsyncResult *wait = NULL;

  lab_ssh_session_open_pty_async (session, argv, LAB_SSH_EXEC_NONE, "xterm-256color", 80, 24,
                                  NULL, lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 30000);
  channel = lab_ssh_session_open_pty_finish (session, wait, &error);
  g_clear_object (&wait);
  g_assert_no_error (error);
  g_assert_true (lab_ssh_channel_get_is_pty (channel));
  g_signal_connect (channel, "stdout-data", G_CALLBACK (on_pty_data), &probe);

  lab_ssh_channel_write_data (channel, "stty size; echo T$TERM\r", 23);
  g_assert_true (wait_for_output (&probe, "24 80", 10));
  g_assert_true (wait_for_output (&probe, "Txterm-256color", 10));

  lab_ssh_channel_resize (channel, 100, 30);
  g_string_truncate (probe.out, 0);
  lab_ssh_channel_write_data (channel, "stty size\r", 10);
  g_assert_true (wait_for_output (&probe, "30 100", 10));
  g_assert_cmpuint (lab_ssh_channel_get_cols (channel), ==, 100);

  lab_ssh_channel_write_data (channel, "exit 5\r", 7);
  lab_ssh_channel_wait_async (channel, NULL, lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 10000);
  g_assert_cmpint (lab_ssh_channel_wait_finish (channel, wait, &error), ==, 5);
  g_assert_no_error (error);
  g_clear_object (&wait);
  g_assert_true (lab_ssh_channel_get_is_closed (channel));
  g_string_free (probe.out, TRUE);
}

/* Output of a program that prints at once is held until the open callback has returned:
 * signals connected in the callback (as lab-ssh-channel.h says to) see everything. */
typedef struct
{
  PtyProbe       probe;
  LabSshChannel *channel;
  GError        *error;
  gboolean       opened;
} EarlyOpen;

static void
early_opened (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  EarlyOpen *open = user_data;

  open->channel = lab_ssh_session_open_pty_finish (LAB_SSH_SESSION (source), result,
                                                   &open->error);
  if (open->channel != NULL)
    g_signal_connect (open->channel, "stdout-data", G_CALLBACK (on_pty_data), &open->probe);
  open->opened = TRUE;
}

static gboolean
early_open_done (gpointer user_data)
{
  return ((EarlyOpen *) user_data)->opened;
}

static void
test_pty_early_output (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *argv[] = { "echo", "early-output", NULL };
  g_autoptr(GError) error = NULL;
  EarlyOpen open = { { g_string_new (NULL) }, NULL, NULL, FALSE };
  GAsyncResult *wait = NULL;

  lab_ssh_session_open_pty_async (session, argv, LAB_SSH_EXEC_NONE, NULL, 80, 24, NULL,
                                  early_opened, &open);
  g_assert_true (lab_test_wait_for (early_open_done, &open, 30000));
  g_assert_no_error (open.error);
  lab_ssh_channel_wait_async (open.channel, NULL, lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 10000);
  g_assert_cmpint (lab_ssh_channel_wait_finish (open.channel, wait, &error), ==, 0);
  g_clear_object (&wait);
  g_assert_cmpstr (open.probe.out->str, ==, "early-output\r\n");
  g_string_free (open.probe.out, TRUE);
  g_clear_object (&open.channel);
}

/* Flow control: a paused channel gets no data and the remote program blocks once the window
 * is full (it cannot finish); the session and its other channels go on; after resuming,
 * every byte arrives. */
typedef struct
{
  LabSshChannel *channel;
  gsize          bytes;
  gsize          at_pause;
  gboolean       closed;
} FlowProbe;

static void
flow_data (LabSshChannel *channel,
           GBytes        *bytes,
           FlowProbe     *probe)
{
  probe->bytes += g_bytes_get_size (bytes);
  if (probe->at_pause == 0)
    {
      lab_ssh_channel_set_output_paused (channel, TRUE);
      probe->at_pause = probe->bytes;
    }
}

static void
flow_closed (LabSshChannel *channel,
             int            status,
             FlowProbe     *probe)
{
  probe->closed = TRUE;
}

static gboolean
flow_paused (gpointer user_data)
{
  return ((FlowProbe *) user_data)->at_pause > 0;
}

static gboolean
flow_ended (gpointer user_data)
{
  return ((FlowProbe *) user_data)->closed;
}

static void
test_pty_output_paused (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSshSession) session = connected_session (lab);
  const char *flood[] = { "sh", "-c", "rm -f /tmp/mirage-lab-flow; "
                          "head -c 20000000 /dev/zero | tr '\\0' x; "
                          "echo finished > /tmp/mirage-lab-flow", NULL };
  const char *probe_file[] = { "cat", "/tmp/mirage-lab-flow", NULL };
  const char *echo[] = { "echo", "still-here", NULL };
  g_autoptr(LabSshChannel) channel = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  FlowProbe probe = { NULL };

  channel = lab_ssh_session_create_pty_channel (session, flood, LAB_SSH_EXEC_NONE, NULL, 80,
                                                24);
  g_signal_connect (channel, "stdout-data", G_CALLBACK (flow_data), &probe);
  g_signal_connect (channel, "closed", G_CALLBACK (flow_closed), &probe);
  lab_ssh_channel_start_async (channel, NULL, NULL, NULL);

  lab_test_wait_for (flow_paused, &probe, 30000);
  g_assert_cmpuint (probe.at_pause, >, 0);
  g_assert_true (lab_ssh_channel_get_output_paused (channel));

  /* Paused for 2 s: nothing delivered, the remote program has not finished, and the same
   * session still runs other commands. */
  lab_test_run_for (2000);
  g_assert_cmpuint (probe.bytes, ==, probe.at_pause);
  g_assert_false (probe.closed);
  out = ssh_test_run_ok (session, echo, LAB_SSH_EXEC_NONE);
  g_assert_cmpstr (out, ==, "still-here\n");
  result = ssh_test_exec (session, probe_file, LAB_SSH_EXEC_NONE, NULL, 30000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), !=, 0);
  g_assert_cmpuint (probe.bytes, ==, probe.at_pause);

  lab_ssh_channel_set_output_paused (channel, FALSE);
  g_assert_true (lab_test_wait_for (flow_ended, &probe, 120000));
  g_assert_cmpint (lab_ssh_channel_get_exit_status (channel), ==, 0);
  g_assert_cmpuint (probe.bytes, >=, 20000000);
  g_clear_pointer (&out, g_free);
  out = ssh_test_run_ok (session, probe_file, LAB_SSH_EXEC_NONE);
  g_assert_cmpstr (out, ==, "finished\n");
}

/* ---------------------------------------------------------------------------------------- */
/* Port forwarding                                                                          */

#define FORWARD_FILE "/tmp/mirage-lab-forward"
#define FORWARD_SIZE 33554432      /* 32 MiB */

/* Serves FORWARD_FILE once on dom0's own loopback: prints the port once it listens (so the
 * forward is never tried before), then exits 0 only when every byte went out. */
static const char forward_server[] =
  "import socket, sys\n"
  "s = socket.socket()\n"
  "s.bind(('127.0.0.1', 0))\n"
  "s.listen(1)\n"
  "s.settimeout(60)\n"
  "print(s.getsockname()[1], flush=True)\n"
  "c, _ = s.accept()\n"
  "c.settimeout(120)\n"
  "with open(sys.argv[1], 'rb') as f:\n"
  "    c.sendfile(f)\n"
  "c.close()\n";

static gboolean
forward_queue_full (gpointer user_data)
{
  return lab_ssh_forward_get_max_queued (user_data) > LAB_SSH_FORWARD_QUEUE_MAX;
}

/* One read from the local end of the forward, on the main loop; 0 at EOF. */
static gssize
forward_read (GInputStream  *in,
              guchar        *buf,
              gsize          len,
              GCancellable  *cancellable,
              GError       **error)
{
  GAsyncResult *wait = NULL;
  gssize n;

  g_input_stream_read_async (in, buf, len, G_PRIORITY_DEFAULT, cancellable,
                             lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 30000);
  n = g_input_stream_read_finish (in, wait, error);
  g_object_unref (wait);
  return n;
}

/* One read, added to @checksum and counted in @received; TRUE at EOF. */
static gboolean
forward_read_into (GInputStream *in,
                   guchar       *buf,
                   gsize         len,
                   GCancellable *cancellable,
                   GChecksum    *checksum,
                   gsize        *received)
{
  g_autoptr(GError) error = NULL;
  gssize n = forward_read (in, buf, len, cancellable, &error);

  g_assert_no_error (error);
  g_checksum_update (checksum, buf, n);
  *received += (gsize) n;
  return n == 0;
}

/* A local client that stalls, then reads slowly, then fast: the forward's queue for it stays
 * bounded (the channel is paused and SSH's window holds dom0's sender back), and every byte
 * arrives once, in order. */
static void
test_forward_back_pressure (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = connected_session (fixture->lab);
  const char *which[] = { "sh", "-c", "command -v python3", NULL };
  const char *make[] = { "sh", "-c",
                         "head -c " G_STRINGIFY (FORWARD_SIZE) " /dev/urandom > "
                         FORWARD_FILE " && "
                         "sha256sum < " FORWARD_FILE " | cut -d' ' -f1", NULL };
  const char *serve[] = { "python3", "-c", forward_server, FORWARD_FILE, NULL };
  const char *rm[] = { "rm", "-f", FORWARD_FILE, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(LabSshExecResult) found = NULL;
  g_autoptr(LabSshChannel) server = NULL;
  g_autoptr(LabSshForward) forward = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_sum = NULL;
  g_autofree char *removed = NULL;
  g_autofree guchar *buf = g_malloc (256 * 1024);
  PtyProbe port_out = { g_string_new (NULL) };
  GAsyncResult *wait = NULL;
  GInputStream *in;
  guint64 port;
  gsize chunk;
  gsize received = 0;
  gint64 start, deadline;
  gboolean eof = FALSE;

  found = ssh_test_exec (session, which, LAB_SSH_EXEC_NONE, NULL, 30000, NULL, &error);
  g_assert_no_error (error);
  if (lab_ssh_exec_result_get_exit_status (found) != 0)
    {
      g_test_skip ("dom0 has no python3 to serve the stream");
      g_string_free (port_out.out, TRUE);
      return;
    }
  remote_sum = ssh_test_run_ok (session, make, LAB_SSH_EXEC_NONE);
  g_strstrip (remote_sum);

  server = lab_ssh_session_create_exec_channel (session, serve, LAB_SSH_EXEC_NONE);
  lab_ssh_channel_set_timeout (server, 300000);
  g_signal_connect (server, "stdout-data", G_CALLBACK (on_pty_data), &port_out);
  lab_ssh_channel_start_async (server, cancellable, NULL, NULL);
  g_assert_true (wait_for_output (&port_out, "\n", 30));
  g_assert_true (g_ascii_string_to_unsigned (g_strstrip (port_out.out->str), 10, 1, 65535,
                                             &port, &error));
  g_assert_no_error (error);

  /* As the app does for a domain's web page, with dom0's loopback as the far end. */
  forward = lab_ssh_forward_new (session, "127.0.0.1", (guint) port, &error);
  g_assert_no_error (error);
  client = g_socket_client_new ();
  /* Straight to the forward's port: no proxy from the environment in between. */
  g_socket_client_set_enable_proxy (client, FALSE);
  address = g_inet_socket_address_new (loopback,
                                       (guint16) lab_ssh_forward_get_local_port (forward));
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), cancellable,
                                 lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 30000);
  connection = g_socket_client_connect_finish (client, wait, &error);
  g_clear_object (&wait);
  g_assert_no_error (error);
  /* The client never closes its own side first (as a browser reading an HTTP/1.0 answer
   * does not): the end of the stream must reach it as EOF from dom0, passed on. */
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  start = g_get_monotonic_time ();

  /* Reading nothing, the socket buffers fill and the queue reaches its limit, so what
   * follows tests the paused channel; then 2 s more, in which an unbounded queue would take
   * in most of the stream. */
  lab_test_wait_for (forward_queue_full, forward, 60000);
  g_test_message ("queue past its limit after %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (lab_ssh_forward_get_max_queued (forward), >, LAB_SSH_FORWARD_QUEUE_MAX);
  lab_test_run_for (2000);
  g_test_message ("after the stall: %" G_GSIZE_FORMAT " bytes queued at most, server %s",
                  lab_ssh_forward_get_max_queued (forward),
                  lab_ssh_channel_get_is_closed (server) ? "done" : "held back");
  /* The sender is still blocked: the socket buffers and the SSH window on the way hold a
   * few MiB, far less than the stream. */
  g_assert_false (lab_ssh_channel_get_is_closed (server));

  /* Slowly for 3 s, small reads with pauses: the queue drains and refills around its limit,
   * so the channel is resumed and paused again many times. */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (!eof && g_get_monotonic_time () < deadline)
    {
      eof = forward_read_into (in, buf, 16 * 1024, cancellable, checksum, &received);
      lab_test_run_for (5);
    }
  g_test_message ("read slowly: %" G_GSIZE_FORMAT " bytes", received);

  /* Then as fast as the forward goes, to the end. */
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!eof && g_get_monotonic_time () < deadline)
    {
      eof = forward_read_into (in, buf, 256 * 1024, cancellable, checksum, &received);
      g_assert_cmpuint (received, <=, FORWARD_SIZE);
    }
  g_assert_true (eof);
  g_test_message ("%" G_GSIZE_FORMAT " bytes in %.2f s; at most %" G_GSIZE_FORMAT
                  " queued for the client", received,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  lab_ssh_forward_get_max_queued (forward));

  /* A channel hands over at most one read buffer per signal, and the link pauses it after
   * the one that crosses the limit. */
  _lab_ssh_session_get_buffer (session, &chunk);
  g_assert_cmpuint (lab_ssh_forward_get_max_queued (forward), <=,
                    LAB_SSH_FORWARD_QUEUE_MAX + chunk);
  g_assert_cmpuint (received, ==, FORWARD_SIZE);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, remote_sum);

  /* The server sent everything and exited cleanly. */
  lab_ssh_channel_wait_async (server, cancellable, lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 30000);
  g_assert_cmpint (lab_ssh_channel_wait_finish (server, wait, &error), ==, 0);
  g_assert_no_error (error);
  g_clear_object (&wait);

  lab_ssh_forward_close (forward);
  removed = ssh_test_run_ok (session, rm, LAB_SSH_EXEC_NONE);
  g_string_free (port_out.out, TRUE);
}

/* ---------------------------------------------------------------------------------------- */
/* Losing the connection                                                                    */

static void
record_state (LabSshSession *session,
              GParamSpec    *pspec,
              GString       *states)
{
  g_string_append_printf (states, "%s ",
                          lab_ssh_state_to_string (lab_ssh_session_get_state (session)));
}

/* A session to the lab's user with these keepalive and reconnect settings, connected. */
static LabSshSession *
reconnecting_session (LabFixture *lab,
                      guint       keepalive,
                      guint       reconnect_delay,
                      guint       reconnect_max_attempts)
{
  g_autoptr(GError) error = NULL;
  LabSshSession *session = ssh_test_session (lab, NULL);

  g_object_set (session, "keepalive-interval", keepalive, "reconnect-delay", reconnect_delay,
                "reconnect-max-attempts", reconnect_max_attempts, NULL);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  return session;
}

static void
test_connection_lost (LabTestFixture *fixture)
{
  const guint keepalive = 3;
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSshSession) session = reconnecting_session (lab, keepalive, 200, 100);
  const char *argv[] = { "sleep", "60", NULL };
  const char *echo[] = { "echo", "back", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(GString) states = g_string_new (NULL);
  g_autofree char *out = NULL;
  GAsyncResult *wait = NULL;
  gint64 start;

  g_signal_connect (session, "notify::state", G_CALLBACK (record_state), states);

  lab_ssh_session_exec_async (session, argv, LAB_SSH_EXEC_NONE, NULL, 0, NULL,
                              lab_test_result_cb, &wait);
  /* Let the command start, then kill sshd (listener and per-connection processes). */
  lab_test_run_for (500);
  g_assert_true (lab_fixture_sshd_stop (lab, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  lab_test_wait_result (&wait, (keepalive + 5) * 1000);
  result = lab_ssh_session_exec_finish (session, wait, &error);
  g_clear_object (&wait);
  g_assert_null (result);
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED);
  g_test_message ("failed after %.1f s: %s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, error->message);
  g_assert_cmpint (g_get_monotonic_time () - start, <=, (keepalive + 1) * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_RECONNECTING);

  /* New work while reconnecting fails at once instead of hanging. */
  result = ssh_test_exec (session, echo, LAB_SSH_EXEC_NONE, NULL, 0, NULL, &error);
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED);
  g_clear_error (&error);

  g_assert_true (lab_fixture_sshd_start (lab, &error));
  g_assert_no_error (error);
  g_assert_true (ssh_test_wait_state (session, LAB_SSH_STATE_CONNECTED, 30));
  g_test_message ("states: %s", states->str);
  g_assert_true (g_str_has_prefix (states->str, "reconnecting "));
  out = ssh_test_run_ok (session, echo, LAB_SSH_EXEC_NONE);
  g_assert_cmpstr (out, ==, "back\n");
}

/* A main loop that was busy for longer than the keepalive interval is no lost link. */
static void
test_connection_busy_loop (LabTestFixture *fixture)
{
  g_autoptr(LabSshSession) session = ssh_test_session (fixture->lab, NULL);
  g_autoptr(GError) error = NULL;
  const char *echo[] = { "echo", "alive", NULL };
  g_autofree char *out = NULL;

  g_object_set (session, "keepalive-interval", 1u, NULL);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_usleep (3 * G_USEC_PER_SEC);
  out = ssh_test_run_ok (session, echo, LAB_SSH_EXEC_NONE);
  g_assert_cmpstr (out, ==, "alive\n");
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_CONNECTED);
}

/* sshd stays away: a bounded number of attempts, then FAILED; connect_async works again
 * once it is back. */
static void
test_connection_gives_up (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSshSession) session = reconnecting_session (lab, 3, 100, 3);
  g_autoptr(GError) error = NULL;
  gint64 start;

  g_assert_true (lab_fixture_sshd_stop (lab, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_true (ssh_test_wait_state (session, LAB_SSH_STATE_RECONNECTING, 5));
  /* 0.1 + 0.2 + 0.4 s of backoff, each attempt refused at once. */
  g_assert_true (ssh_test_wait_state (session, LAB_SSH_STATE_FAILED, 10));
  g_test_message ("gave up after %.1f s: %s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  lab_ssh_session_get_error_message (session));
  g_assert_nonnull (lab_ssh_session_get_error_message (session));
  g_assert_true (lab_fixture_sshd_start (lab, &error));
  g_assert_no_error (error);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_CONNECTED);
}

/* A link that goes silent (no FIN, no RST) is noticed by the keepalive. */
static void
test_connection_silent (LabTestFixture *fixture)
{
  const guint keepalive = 2;
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSshSession) session = reconnecting_session (lab, keepalive, 200, 100);
  gint64 start;
  g_autofree char *out = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *stop = NULL;
  g_autofree char *resume = NULL;
  const char *user;

  /* Freeze (SIGSTOP) this connection's sshd processes: the socket stays open, silent. */
  /* "[m]irage": the pattern must not match the shell running pkill. */
  user = lab_fixture_get (lab, "LAB_USER");
  pattern = g_strdup_printf ("'sshd: [%c]%s'", user[0], user + 1);
  stop = g_strdup_printf ("pkill -STOP -f %s; echo stopped", pattern);
  resume = g_strdup_printf ("pkill -CONT -f %s; pkill -f %s; true", pattern, pattern);
  out = lab_test_root_sh (lab, stop);
  start = g_get_monotonic_time ();
  g_assert_true (ssh_test_wait_state (session, LAB_SSH_STATE_RECONNECTING, keepalive + 3));
  g_test_message ("noticed after %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_free (lab_test_root_sh (lab, resume));
  g_assert_true (ssh_test_wait_state (session, LAB_SSH_STATE_CONNECTED, 30));
}

int
main (int   argc,
      char *argv[])
{
  lab_test_init (&argc, &argv);

  lab_test_add ("/ssh/host-key/new-accept-persist", "nopasswd", NULL, test_host_key_new_accept);
  lab_test_add ("/ssh/host-key/reject", "nopasswd", NULL, test_host_key_reject);
  lab_test_add ("/ssh/host-key/known", "nopasswd", NULL, test_host_key_known);
  lab_test_add ("/ssh/host-key/changed", "nopasswd", NULL, test_host_key_changed);
  lab_test_add ("/ssh/host-key/other-type", "nopasswd", NULL, test_host_key_other_type);
  lab_test_add ("/ssh/host-key/revoked", "nopasswd", NULL, test_host_key_revoked);
  lab_test_add ("/ssh/cipher/negotiated", "nopasswd", NULL, test_cipher_negotiated);
  lab_test_add ("/ssh/auth/agent", "nopasswd", NULL, test_auth_agent);
  lab_test_add ("/ssh/auth/ecdsa", "nopasswd", NULL, test_auth_ecdsa);
  lab_test_add ("/ssh/auth/passphrase", "nopasswd", NULL, test_auth_passphrase);
  lab_test_add ("/ssh/auth/password", "nopasswd", NULL, test_auth_password);
  lab_test_add ("/ssh/auth/keyboard-interactive", "nopasswd", NULL, test_auth_kbdint);
  lab_test_add ("/ssh/auth/cancelled", "nopasswd", NULL, test_auth_cancelled);
  lab_test_add ("/ssh/auth/rsa", "nopasswd", NULL, test_auth_rsa);
  lab_test_add ("/ssh/auth/keygen-install", "nopasswd", NULL, test_keygen_install);
  lab_test_add ("/ssh/config/alias", "nopasswd", NULL, test_ssh_config_alias);
  lab_test_add ("/ssh/exec/large", "nopasswd", NULL, test_exec_large);
  lab_test_add ("/ssh/exec/too-much", "nopasswd", NULL, test_exec_too_much);
  lab_test_add ("/ssh/exec/stderr-status", "nopasswd", NULL, test_exec_stderr_status);
  lab_test_add ("/ssh/exec/hostile-arguments", "nopasswd", NULL, test_exec_hostile_arguments);
  lab_test_add ("/ssh/exec/login-shells", "nopasswd", NULL, test_exec_login_shells);
  lab_test_add ("/ssh/exec/stdin", "nopasswd", NULL, test_exec_stdin);
  lab_test_add ("/ssh/exec/timeout", "nopasswd", NULL, test_exec_timeout);
  lab_test_add ("/ssh/exec/cancel", "nopasswd", NULL, test_exec_cancel);
  lab_test_add ("/ssh/exec/many", "nopasswd", NULL, test_exec_many);
  lab_test_add ("/ssh/sudo/nopasswd", "nopasswd", NULL, test_sudo_nopasswd);
  lab_test_add ("/ssh/pty/resize", "nopasswd", NULL, test_pty_resize);
  lab_test_add ("/ssh/pty/early-output", "nopasswd", NULL, test_pty_early_output);
  lab_test_add ("/ssh/pty/output-paused", "nopasswd", NULL, test_pty_output_paused);
  lab_test_add ("/ssh/forward/back-pressure", "nopasswd", NULL, test_forward_back_pressure);
  lab_test_add ("/ssh/connection/lost", "nopasswd", NULL, test_connection_lost);
  lab_test_add ("/ssh/connection/silent", "nopasswd", NULL, test_connection_silent);
  lab_test_add ("/ssh/connection/gives-up", "nopasswd", NULL, test_connection_gives_up);
  lab_test_add ("/ssh/connection/busy-loop", "nopasswd", NULL, test_connection_busy_loop);

  return lab_test_run ();
}
