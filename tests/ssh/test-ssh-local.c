/* test-ssh-local.c — connection failures that need no sshd (127.0.0.1 only)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A port nobody listens on, a server that accepts and never speaks (ConnectTimeout), and a
 * server that speaks something else than SSH: each a clear error, FAILED, and no hang.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ssh/lab-ssh-private.h"
#include "ssh/lab-ssh-session.h"

static char *home;

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
store (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static gboolean
tick (gpointer unused)
{
  return G_SOURCE_CONTINUE;
}

static LabSshSession *
local_session (guint16 port)
{
  LabSshSession *session = lab_ssh_session_new ("127.0.0.1");
  g_autofree char *app_kh = g_build_filename (home, "app_known_hosts", NULL);

  g_object_set (session, "port", (guint) port, "user", "nobody", "ssh-config-file", "",
                "known-hosts-file", "", "app-known-hosts-file", app_kh, "use-agent", FALSE,
                "use-secret-store", FALSE, NULL);
  return session;
}

static gboolean
connect_sync (LabSshSession  *session,
              guint           max_s,
              GError        **error)
{
  Wait wait = { NULL };
  gint64 deadline = g_get_monotonic_time () + max_s * G_USEC_PER_SEC;
  guint id = g_timeout_add (50, tick, NULL);
  gboolean ok;

  lab_ssh_session_connect_async (session, NULL, store, &wait);
  while (wait.result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_nonnull (wait.result);
  ok = lab_ssh_session_connect_finish (session, wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

static GSocketListener *
listen_local (guint16 *port)
{
  GSocketListener *listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_listener_add_address (listener, addr, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return listener;
}

static void
test_refused (void)
{
  g_autoptr(GSocketListener) listener = NULL;
  g_autoptr(LabSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was just free. */
  listener = listen_local (&port);
  g_socket_listener_close (listener);
  session = local_session (port);
  g_assert_false (connect_sync (session, 10, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_FAILED);
  g_assert_cmpstr (lab_ssh_session_get_error_message (session), ==, error->message);
}

static GSocketConnection *accepted;

static void
accepted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  accepted = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL, NULL);
  if (user_data != NULL && accepted != NULL)
    {
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (accepted));

      g_output_stream_write_all (out, user_data, strlen (user_data), NULL, NULL, NULL);
    }
}

static void
test_silent_server (void)
{
  guint16 port;
  g_autoptr(GSocketListener) listener = listen_local (&port);
  g_autoptr(LabSshSession) session = local_session (port);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_socket_listener_accept_async (listener, NULL, accepted_cb, NULL);
  g_object_set (session, "connect-timeout", 2u, NULL);
  g_assert_false (connect_sync (session, 10, &error));
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT);
  g_test_message ("%s after %.1f s", error->message,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_FAILED);
  g_clear_object (&accepted);
}

static void
test_not_ssh (void)
{
  guint16 port;
  g_autoptr(GSocketListener) listener = listen_local (&port);
  g_autoptr(LabSshSession) session = local_session (port);
  g_autoptr(GError) error = NULL;

  g_socket_listener_accept_async (listener, NULL, accepted_cb,
                                  (gpointer) "HTTP/1.1 400 Bad Request\r\n\r\n");
  g_object_set (session, "connect-timeout", 5u, NULL);
  g_assert_false (connect_sync (session, 10, &error));
  g_test_message ("%s", error->message);
  g_assert_true (error->domain == LAB_SSH_ERROR);
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_FAILED);
  g_clear_object (&accepted);
}

/* Exec before connecting fails at once with DISCONNECTED. */
static void
test_exec_unconnected (void)
{
  g_autoptr(LabSshSession) session = local_session (22);
  const char *argv[] = { "true", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  Wait wait = { NULL };

  lab_ssh_session_exec_async (session, argv, LAB_SSH_EXEC_SUDO, NULL, 0, NULL, store, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = lab_ssh_session_exec_finish (session, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_null (result);
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED);
}

/* A host's programs write whatever bytes they like (a Latin-1 locale, a NUL): the text
 * getters are valid UTF-8 for parsers, GErrors and GTK, the GBytes stay exact. */
static void
test_exec_result_text (void)
{
  static const char out_bytes[] = "ok \xff\xfe\n\0tail";
  static const char err_bytes[] = "caf\xe9: \xc3";
  g_autoptr(GBytes) out = g_bytes_new_static (out_bytes, sizeof out_bytes - 1);
  g_autoptr(GBytes) err = g_bytes_new_static (err_bytes, sizeof err_bytes - 1);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(LabSshExecResult) result = _lab_ssh_exec_result_new (1, NULL, out, err);
  g_autoptr(LabSshExecResult) copy = g_boxed_copy (LAB_TYPE_SSH_EXEC_RESULT, result);
  g_autoptr(LabSshExecResult) nothing = _lab_ssh_exec_result_new (0, NULL, empty, empty);

  g_assert_true (g_utf8_validate (lab_ssh_exec_result_get_stdout_text (result), -1, NULL));
  g_assert_true (g_utf8_validate (lab_ssh_exec_result_get_stderr_text (result), -1, NULL));
  g_assert_cmpstr (lab_ssh_exec_result_get_stdout_text (result), ==,
                   "ok \xef\xbf\xbd\xef\xbf\xbd\n\xef\xbf\xbdtail");
  g_assert_cmpstr (lab_ssh_exec_result_get_stderr_text (result), ==,
                   "caf\xef\xbf\xbd: \xef\xbf\xbd");
  g_assert_true (g_bytes_equal (lab_ssh_exec_result_get_stdout (result), out));
  g_assert_true (g_bytes_equal (lab_ssh_exec_result_get_stderr (result), err));
  g_assert_cmpstr (lab_ssh_exec_result_get_stdout_text (copy), ==,
                   lab_ssh_exec_result_get_stdout_text (result));

  g_assert_cmpstr (lab_ssh_exec_result_get_stdout_text (nothing), ==, "");
  g_assert_cmpstr (lab_ssh_exec_result_get_stderr_text (nothing), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  home = g_dir_make_tmp ("ssh-local-XXXXXX", NULL);
  g_setenv ("HOME", home, TRUE);
  g_unsetenv ("SSH_AUTH_SOCK");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ssh-local/refused", test_refused);
  g_test_add_func ("/ssh-local/silent-server", test_silent_server);
  g_test_add_func ("/ssh-local/not-ssh", test_not_ssh);
  g_test_add_func ("/ssh-local/exec-unconnected", test_exec_unconnected);
  g_test_add_func ("/ssh-local/exec-result-text", test_exec_result_text);
  ret = g_test_run ();
  g_rmdir (home);
  g_free (home);
  return ret;
}
