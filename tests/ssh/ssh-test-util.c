/* ssh-test-util.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ssh-test-util"

#include <stdlib.h>

#include "ssh-test-util.h"

LabSshSession *
ssh_test_session (LabFixture *lab,
                  const char *key)
{
  LabSshSession *session = lab_ssh_session_new (lab_fixture_get (lab, "LAB_HOST"));
  const char *keys[] = { key != NULL ? key : lab_fixture_get (lab, "LAB_KEY"), NULL };
  g_autofree char *app_kh = lab_test_home_file ("app_known_hosts");

  /* A short connect timeout, so that tests notice dead links fast. */
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

gboolean
ssh_test_connect (LabSshSession  *session,
                  GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lab_ssh_session_connect_async (session, NULL, lab_test_result_cb, &result);
  return lab_ssh_session_connect_finish (session, lab_test_wait_result (&result, 60000), error);
}

LabSshExecResult *
ssh_test_exec (LabSshSession      *session,
               const char * const *argv,
               LabSshExecFlags     flags,
               GBytes             *input,
               guint               timeout_ms,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lab_ssh_session_exec_async (session, argv, flags, input, timeout_ms, cancellable,
                              lab_test_result_cb, &result);
  return lab_ssh_session_exec_finish (session, lab_test_wait_result (&result, 120000), error);
}

char *
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

void
ssh_test_exec_many (LabSshSession      *session,
                    const char * const *argv,
                    LabSshExecFlags     flags,
                    guint               timeout_ms,
                    guint               n,
                    const char         *expected)
{
  g_autofree GAsyncResult **waits = g_new0 (GAsyncResult *, n);

  for (guint i = 0; i < n; i++)
    lab_ssh_session_exec_async (session, argv, flags, NULL, timeout_ms, NULL,
                                lab_test_result_cb, &waits[i]);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabSshExecResult) result = NULL;

      lab_test_wait_result (&waits[i], 60000);
      result = lab_ssh_session_exec_finish (session, waits[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (lab_ssh_exec_result_get_stdout_text (result), ==, expected);
      g_clear_object (&waits[i]);
    }
}

typedef struct
{
  LabSshSession *session;
  LabSshState    state;
} SshTestStateWait;

static gboolean
ssh_test_in_state (gpointer user_data)
{
  SshTestStateWait *wait = user_data;

  return lab_ssh_session_get_state (wait->session) == wait->state;
}

gboolean
ssh_test_wait_state (LabSshSession *session,
                     LabSshState    state,
                     guint          timeout_s)
{
  SshTestStateWait wait = { session, state };

  return lab_test_wait_for (ssh_test_in_state, &wait, timeout_s * 1000);
}
