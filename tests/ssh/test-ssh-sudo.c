/* test-ssh-sudo.c — sudo with a password, against a lab started with --sudo password
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The password is asked once per session and fed with `sudo -S -p ''` to the commands sudo
 * wants it for (never to one sudoers lets run without); stdin still reaches the command; a
 * wrong password is a clear error and never a hang; a login password is tried first.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/lab-ssh-private.h"
#include "ssh/lab-ssh-session.h"
#include "ssh-test-util.h"

typedef struct
{
  gsize    password_line_len;
  guint    password_lines;    /* secret GBytes of the password line's length, wiped */
  guint    libssh2_blocks;    /* blocks libssh2 freed through the wiping allocator */
  gboolean all_zero;
} WipeProbe;

static void
wipe_hook (gconstpointer mem,
           gsize         len,
           gboolean      from_libssh2,
           gpointer      data)
{
  WipeProbe *probe = data;
  const guchar *bytes = mem;

  for (gsize i = 0; i < len; i++)
    if (bytes[i] != 0)
      probe->all_zero = FALSE;
  if (from_libssh2)
    probe->libssh2_blocks++;
  else if (len == probe->password_line_len)
    probe->password_lines++;
}

typedef struct
{
  guint        calls;
  const char  *answer;   /* NULL = cancel */
  LabSshRequestKind kind;
} SudoProbe;

static gboolean
on_ask_secret (LabSshSession *session,
               LabSshRequest *request,
               SudoProbe     *probe)
{
  probe->calls++;
  probe->kind = lab_ssh_request_get_kind (request);
  if (probe->answer == NULL)
    lab_ssh_request_cancel (request);
  else
    lab_ssh_request_reply_secret (request, probe->answer, FALSE);
  return TRUE;
}

static LabSshSession *
key_session (LabFixture *lab,
             SudoProbe  *probe)
{
  g_autoptr(GError) error = NULL;
  LabSshSession *session = ssh_test_session (lab, NULL);

  g_signal_connect (session, "ask-secret", G_CALLBACK (on_ask_secret), probe);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (session), ==, "publickey");
  return session;
}

static void
test_sudo_password (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  SudoProbe probe = { 0, lab_fixture_get (lab, "LAB_PASSWORD") };
  g_autoptr(LabSshSession) session = key_session (lab, &probe);
  const char *id[] = { "id", "-u", NULL };
  const char *cat[] = { "cat", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("line one\nline two\n", 18);
  g_autofree char *out = NULL;
  g_autofree char *again = NULL;
  WipeProbe wipe = { strlen (lab_fixture_get (lab, "LAB_PASSWORD")) + 1, 0, 0, TRUE };

  g_assert_cmpstr (lab_fixture_get (lab, "LAB_SUDO"), ==, "password");
  _lab_ssh_secrets_set_release_hook (wipe_hook, &wipe);
  out = ssh_test_run_ok (session, id, LAB_SSH_EXEC_SUDO);
  g_assert_cmpstr (out, ==, "0\n");
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpint (probe.kind, ==, LAB_SSH_REQUEST_SUDO_PASSWORD);

  /* Asked once per session; stdin after the password line is the command's. */
  again = ssh_test_run_ok (session, id, LAB_SSH_EXEC_SUDO);
  g_assert_cmpstr (again, ==, "0\n");
  result = ssh_test_exec (session, cat, LAB_SSH_EXEC_SUDO, input, 30000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), ==, 0);
  g_assert_cmpstr (lab_ssh_exec_result_get_stdout_text (result), ==, "line one\nline two\n");
  g_assert_cmpstr (lab_ssh_exec_result_get_stderr_text (result), ==, "");
  g_assert_cmpuint (probe.calls, ==, 1);

  /* Every copy of "password\n" queued on a channel (the check, then each command) was
   * wiped once written, and libssh2's own buffers are wiped as it frees them. */
  _lab_ssh_secrets_set_release_hook (NULL, NULL);
  g_test_message ("wiped: %u password lines, %u libssh2 blocks", wipe.password_lines,
                  wipe.libssh2_blocks);
  g_assert_cmpuint (wipe.password_lines, >=, 1);
  g_assert_cmpuint (wipe.libssh2_blocks, >, 0);
  g_assert_true (wipe.all_zero);
}

/* Several sudo commands at once share one question. */
static void
test_sudo_concurrent (LabTestFixture *fixture)
{
  const char *id[] = { "id", "-u", NULL };
  LabFixture *lab = fixture->lab;
  SudoProbe probe = { 0, lab_fixture_get (lab, "LAB_PASSWORD") };
  g_autoptr(LabSshSession) session = key_session (lab, &probe);

  ssh_test_exec_many (session, id, LAB_SSH_EXEC_SUDO, 30000, 4, "0\n");
  g_assert_cmpuint (probe.calls, ==, 1);
}

static void
test_sudo_wrong_password (LabTestFixture *fixture)
{
  SudoProbe probe = { 0, "certainly not the password" };
  g_autoptr(LabSshSession) session = key_session (fixture->lab, &probe);
  const char *id[] = { "id", "-u", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  result = ssh_test_exec (session, id, LAB_SSH_EXEC_SUDO, NULL, 60000, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_SUDO_PASSWORD_WRONG);
  g_test_message ("%s (after %.1f s)", error->message,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (probe.calls, ==, 1);
  /* The session itself is fine. */
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_CONNECTED);
}

static void
test_sudo_cancelled (LabTestFixture *fixture)
{
  SudoProbe probe = { 0, NULL };
  g_autoptr(LabSshSession) session = key_session (fixture->lab, &probe);
  const char *id[] = { "id", "-u", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;

  result = ssh_test_exec (session, id, LAB_SSH_EXEC_SUDO, NULL, 60000, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_SUDO_PASSWORD_REQUIRED);
}

/* Logged in with the password: sudo tries it first and asks nothing. */
static void
test_sudo_login_password (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  SudoProbe probe = { 0, lab_fixture_get (lab, "LAB_PASSWORD") };
  g_autoptr(LabSshSession) session = ssh_test_session (lab, NULL);
  const char *id[] = { "id", "-u", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  lab_ssh_session_set_password_only (session, TRUE);
  g_signal_connect (session, "ask-secret", G_CALLBACK (on_ask_secret), &probe);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpint (probe.kind, ==, LAB_SSH_REQUEST_PASSWORD);
  out = ssh_test_run_ok (session, id, LAB_SSH_EXEC_SUDO);
  g_assert_cmpstr (out, ==, "0\n");
  g_assert_cmpuint (probe.calls, ==, 1);
}

static void
append_bytes (LabSshChannel *channel,
              GBytes        *bytes,
              GString       *out)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (out, data, (gssize) len);
}

/* A console-like PTY through sudo: the typed-ahead password is not echoed. */
static void
test_sudo_pty (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  SudoProbe probe = { 0, lab_fixture_get (lab, "LAB_PASSWORD") };
  g_autoptr(LabSshSession) session = key_session (lab, &probe);
  const char *argv[] = { "sh", "-c", "id -u; stty size", NULL };
  g_autoptr(LabSshChannel) channel = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GAsyncResult *wait = NULL;

  lab_ssh_session_open_pty_async (session, argv, LAB_SSH_EXEC_SUDO, NULL, 90, 20, NULL,
                                  lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 60000);
  channel = lab_ssh_session_open_pty_finish (session, wait, &error);
  g_clear_object (&wait);
  g_assert_no_error (error);
  g_signal_connect (channel, "stdout-data", G_CALLBACK (append_bytes), out);
  lab_ssh_channel_wait_async (channel, NULL, lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 30000);
  g_assert_cmpint (lab_ssh_channel_wait_finish (channel, wait, &error), ==, 0);
  g_clear_object (&wait);
  g_test_message ("pty output: %s", out->str);
  g_assert_nonnull (strstr (out->str, "0\r\n20 90"));
  g_assert_null (strstr (out->str, lab_fixture_get (lab, "LAB_PASSWORD")));
}

#define XEN_RULE "/etc/sudoers.d/zz-mirage-test-cat"

/* sudoers lets `cat` run without a password while everything else needs one: the password
 * must not reach cat's stdin (it would come out of cat), and other commands still get it. */
static void
test_sudo_nopasswd_command (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  SudoProbe probe = { 0, lab_fixture_get (lab, "LAB_PASSWORD") };
  g_autoptr(LabSshSession) session = key_session (lab, &probe);
  g_autofree char *rule_file = g_build_filename (lab_fixture_get (lab, "LAB_DIR"), "dom0",
                                                 "sudoers.d", "zz-mirage-test-cat", NULL);
  g_autofree char *rule = g_strdup_printf ("%s ALL=(root) NOPASSWD: /usr/bin/cat\n",
                                           lab_fixture_get (lab, "LAB_USER"));
  gboolean real_xen = g_strcmp0 (lab_fixture_kind (), "xen") == 0;
  const char *id[] = { "id", "-u", NULL };
  const char *cat[] = { "cat", NULL };
  const char *cat_fail[] = { "cat", "/nonexistent", NULL };
  g_autoptr(GBytes) input = g_bytes_new_static ("line one\nline two\n", 18);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(LabSshExecResult) failed = NULL;
  g_autofree char *out = NULL;

  /* Last match wins in sudoers: "zz-" sorts after the lab's own rule. The fast lab's dom0
   * reads its sudoers.d from the lab folder; the real-Xen lab's is in dom0 itself. */
  if (real_xen)
    {
      g_autofree char *script = g_strdup_printf ("printf '%%s\\n' '%s ALL=(root) NOPASSWD: "
                                                 "/usr/bin/cat' > " XEN_RULE " && "
                                                 "chmod 0440 " XEN_RULE,
                                                 lab_fixture_get (lab, "LAB_USER"));
      int status = -1;

      g_assert_true (lab_fixture_exec_sh (lab, script, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_cmpint (status, ==, 0);
    }
  else
    {
      g_assert_true (g_file_set_contents (rule_file, rule, -1, NULL));
      g_assert_cmpint (g_chmod (rule_file, 0440), ==, 0);
    }

  result = ssh_test_exec (session, cat, LAB_SSH_EXEC_SUDO, input, 30000, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("cat: \"%s\"", lab_ssh_exec_result_get_stdout_text (result));
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), ==, 0);
  g_assert_cmpstr (lab_ssh_exec_result_get_stdout_text (result), ==, "line one\nline two\n");
  g_assert_cmpstr (lab_ssh_exec_result_get_stderr_text (result), ==, "");
  /* The program's own failure and stderr come through as they are. */
  failed = ssh_test_exec (session, cat_fail, LAB_SSH_EXEC_SUDO, NULL, 30000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (failed), ==, 1);
  g_assert_nonnull (strstr (lab_ssh_exec_result_get_stderr_text (failed), "/nonexistent"));
  /* Commands that need the password still get it. */
  out = ssh_test_run_ok (session, id, LAB_SSH_EXEC_SUDO);
  g_assert_cmpstr (out, ==, "0\n");
  g_assert_cmpuint (probe.calls, ==, 1);

  if (real_xen)
    g_assert_true (lab_fixture_exec_sh (lab, "rm -f " XEN_RULE, NULL, NULL, NULL));
  else
    g_unlink (rule_file);
}

int
main (int   argc,
      char *argv[])
{
  lab_test_init (&argc, &argv);

  lab_test_add ("/ssh-sudo/password", "password", NULL, test_sudo_password);
  lab_test_add ("/ssh-sudo/concurrent", "password", NULL, test_sudo_concurrent);
  lab_test_add ("/ssh-sudo/wrong-password", "password", NULL, test_sudo_wrong_password);
  lab_test_add ("/ssh-sudo/cancelled", "password", NULL, test_sudo_cancelled);
  lab_test_add ("/ssh-sudo/login-password", "password", NULL, test_sudo_login_password);
  lab_test_add ("/ssh-sudo/pty", "password", NULL, test_sudo_pty);
  lab_test_add ("/ssh-sudo/nopasswd-command", "password", NULL, test_sudo_nopasswd_command);

  return lab_test_run ();
}
