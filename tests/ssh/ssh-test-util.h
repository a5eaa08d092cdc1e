/* ssh-test-util.h — helpers for the SSH core's lab tests (header only)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab-test-util.h"
#include "ssh/lab-ssh-session.h"

/* Every test program gets a private HOME and XDG dirs (so ~/.ssh/config, known_hosts and
 * the app's known_hosts are the test's own). Must run before anything reads them. */
static char *ssh_test_home;

G_GNUC_UNUSED static void
ssh_test_init_home (void)
{
  g_autofree char *config = NULL;
  g_autofree char *ssh_dir = NULL;

  ssh_test_home = g_dir_make_tmp ("mirage-lab-ssh-test-XXXXXX", NULL);
  g_assert_nonnull (ssh_test_home);
  config = g_build_filename (ssh_test_home, ".config", NULL);
  ssh_dir = g_build_filename (ssh_test_home, ".ssh", NULL);
  g_mkdir_with_parents (config, 0700);
  g_mkdir_with_parents (ssh_dir, 0700);
  g_setenv ("HOME", ssh_test_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_unsetenv ("SSH_AUTH_SOCK");
  g_unsetenv ("MIRAGE_LAB_SSH_CONFIG");
}

G_GNUC_UNUSED static void
ssh_test_cleanup_home (void)
{
  const char *argv[] = { "rm", "-rf", ssh_test_home, NULL };

  if (ssh_test_home != NULL && g_str_has_prefix (ssh_test_home, g_get_tmp_dir ()))
    lab_test_run (argv, NULL, NULL, NULL);
  g_clear_pointer (&ssh_test_home, g_free);
}

G_GNUC_UNUSED static char *
ssh_test_path (const char *name)
{
  return g_build_filename (ssh_test_home, name, NULL);
}

/* A session to the lab's login user: the lab's known_hosts, the given key (NULL: LAB_KEY),
 * no agent, no keyring; short keepalive so tests notice dead links fast. */
G_GNUC_UNUSED static LabSshSession *
ssh_test_session (LabFixture *lab,
                  const char *key)
{
  LabSshSession *session = lab_ssh_session_new (lab_fixture_get (lab, "LAB_HOST"));
  const char *keys[] = { key != NULL ? key : lab_fixture_get (lab, "LAB_KEY"), NULL };
  g_autofree char *app_kh = ssh_test_path ("app_known_hosts");

  g_object_set (session,
                "port", (guint) atoi (lab_fixture_get (lab, "LAB_PORT")),
                "user", lab_fixture_get (lab, "LAB_USER"),
                "identity-files", keys,
                "known-hosts-file", lab_fixture_get (lab, "LAB_KNOWN_HOSTS"),
                "app-known-hosts-file", app_kh,
                "ssh-config-file", "",
                "use-agent", FALSE,
                "use-secret-store", FALSE,
                "connect-timeout", 20u,
                NULL);
  return session;
}

typedef struct
{
  GAsyncResult *result;
} SshTestWait;

G_GNUC_UNUSED static void
ssh_test_store_result (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  SshTestWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
ssh_test_tick (gpointer unused)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until wait->result is set, at most @timeout_s seconds. */
G_GNUC_UNUSED static void
ssh_test_wait (SshTestWait *wait,
               guint        timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, ssh_test_tick, NULL);

  while (wait->result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_nonnull (wait->result);
}

G_GNUC_UNUSED static gboolean
ssh_test_connect (LabSshSession  *session,
                  GError        **error)
{
  SshTestWait wait = { NULL };
  gboolean ok;

  lab_ssh_session_connect_async (session, NULL, ssh_test_store_result, &wait);
  ssh_test_wait (&wait, 60);
  ok = lab_ssh_session_connect_finish (session, wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

G_GNUC_UNUSED static LabSshExecResult *
ssh_test_exec (LabSshSession      *session,
               const char * const *argv,
               LabSshExecFlags     flags,
               GBytes             *input,
               guint               timeout_ms,
               GCancellable       *cancellable,
               GError            **error)
{
  SshTestWait wait = { NULL };
  LabSshExecResult *result;

  lab_ssh_session_exec_async (session, argv, flags, input, timeout_ms, cancellable,
                              ssh_test_store_result, &wait);
  ssh_test_wait (&wait, 120);
  result = lab_ssh_session_exec_finish (session, wait.result, error);
  g_object_unref (wait.result);
  return result;
}

/* Runs a short command and returns its stdout; asserts success. */
G_GNUC_UNUSED static char *
ssh_test_run_ok (LabSshSession      *session,
                 const char * const *argv,
                 LabSshExecFlags     flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = ssh_test_exec (session, argv, flags, NULL, 30000, NULL,
                                                      &error);

  g_assert_no_error (error);
  if (lab_ssh_exec_result_get_exit_status (result) != 0)
    g_test_message ("stderr: %s", lab_ssh_exec_result_get_stderr_text (result));
  g_assert_cmpint (lab_ssh_exec_result_get_exit_status (result), ==, 0);
  return g_strdup (lab_ssh_exec_result_get_stdout_text (result));
}

/* Iterates the main loop until @session reaches @state, at most @timeout_s seconds. */
G_GNUC_UNUSED static gboolean
ssh_test_wait_state (LabSshSession *session,
                     LabSshState    state,
                     guint          timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, ssh_test_tick, NULL);

  while (lab_ssh_session_get_state (session) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return lab_ssh_session_get_state (session) == state;
}
