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
#include "ssh/lab-ssh-secrets.h"
#include "ssh/lab-ssh-session.h"
#include "lab-test-utils.h"

/* What the release hook saw in test_secret_wipe(). */
typedef struct
{
  guint    calls;
  guint    libssh2_calls;
  gsize    last_len;
  gboolean all_zero;
} WipeProbe;

static LabSshSession *
local_session (guint16 port)
{
  LabSshSession *session = lab_ssh_session_new ("127.0.0.1");
  g_autofree char *app_kh = lab_test_home_file ("app_known_hosts");

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
  g_autoptr(GAsyncResult) result = NULL;

  lab_ssh_session_connect_async (session, NULL, lab_test_result_cb, &result);
  return lab_ssh_session_connect_finish (session, lab_test_wait_result (&result, max_s * 1000),
                                         error);
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

/* Connects with @timeout_s to a local server that accepts and sends @reply (NULL: nothing);
 * the connection must fail. Returns the failed session and sets @error. */
static LabSshSession *
connect_to_local_server (const char  *reply,
                         guint        timeout_s,
                         GError     **error)
{
  guint16 port;
  g_autoptr(GSocketListener) listener = listen_local (&port);
  LabSshSession *session = local_session (port);

  g_socket_listener_accept_async (listener, NULL, accepted_cb, (gpointer) reply);
  g_object_set (session, "connect-timeout", timeout_s, NULL);
  g_assert_false (connect_sync (session, 10, error));
  g_assert_cmpint (lab_ssh_session_get_state (session), ==, LAB_SSH_STATE_FAILED);
  g_clear_object (&accepted);
  return session;
}

static void
test_silent_server (void)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session = connect_to_local_server (NULL, 2, &error);

  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT);
  g_test_message ("%s after %.1f s", error->message,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
}

static void
test_not_ssh (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshSession) session =
    connect_to_local_server ("HTTP/1.1 400 Bad Request\r\n\r\n", 5, &error);

  g_test_message ("%s", error->message);
  g_assert_true (error->domain == LAB_SSH_ERROR);
}

/* Exec before connecting fails at once with DISCONNECTED. */
static void
test_exec_unconnected (void)
{
  g_autoptr(LabSshSession) session = local_session (22);
  const char *argv[] = { "true", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  lab_ssh_session_exec_async (session, argv, LAB_SSH_EXEC_SUDO, NULL, 0, NULL,
                              lab_test_result_cb, &done);
  result = lab_ssh_session_exec_finish (session, lab_test_wait_result (&done, 0), &error);
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

static gboolean
is_weak_cipher (const char *name)
{
  return strstr (name, "cbc") != NULL || g_str_has_prefix (name, "arcfour")
         || g_str_has_prefix (name, "blowfish") || g_str_has_prefix (name, "cast")
         || g_str_has_prefix (name, "3des");
}

/* The preference string: only AEAD and CTR ciphers, and never empty with libssh2 1.10. */
static void
test_cipher_preference (void)
{
  LIBSSH2_SESSION *raw;
  g_autofree char *pref = NULL;
  g_auto(GStrv) names = NULL;

  lab_ssh_library_init ();
  raw = libssh2_session_init ();
  pref = _lab_ssh_cipher_preference (raw);
  g_test_message ("%s", pref);
  g_assert_nonnull (pref);
  names = g_strsplit (pref, ",", -1);
  g_assert_cmpuint (g_strv_length (names), >, 0);
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_true (g_str_has_suffix (names[i], "-ctr") || strstr (names[i], "-gcm@") != NULL
                   || g_str_has_prefix (names[i], "chacha20-poly1305"));
  g_assert_true (g_strv_contains ((const char * const *) names, "aes128-ctr"));
  g_assert_true (g_strv_contains ((const char * const *) names, "aes256-ctr"));
  /* libssh2 takes it (it would refuse names it does not know). */
  g_assert_cmpint (libssh2_session_method_pref (raw, LIBSSH2_METHOD_CRYPT_CS, pref), ==, 0);
  libssh2_session_free (raw);
}

typedef struct
{
  GSocketListener *listener;
  char            *ciphers_cs;
  char            *ciphers_sc;
} KexProbe;

static gboolean
read_exact (GInputStream *in,
            void         *buf,
            gsize         len)
{
  gsize got = 0;

  return g_input_stream_read_all (in, buf, len, &got, NULL, NULL) && got == len;
}

static char *
take_name_list (const guchar **p,
                const guchar  *end)
{
  guint32 len;
  char *list;

  if (end - *p < 4)
    return NULL;
  memcpy (&len, *p, 4);
  len = GUINT32_FROM_BE (len);
  if ((gsize) (end - *p - 4) < len)
    return NULL;
  list = g_strndup ((const char *) *p + 4, len);
  *p += 4 + len;
  return list;
}

/* A server that says hello and reads the client's KEXINIT, which is sent in the clear:
 * what the client offers, not only what one server happened to pick. */
static gpointer
kexinit_server_thread (gpointer data)
{
  KexProbe *probe = data;
  g_autoptr(GSocketConnection) conn = g_socket_listener_accept (probe->listener, NULL, NULL,
                                                                NULL);
  const char banner[] = "SSH-2.0-OpenSSH_9.2 mirage-test\r\n";
  g_autofree guchar *packet = NULL;
  const guchar *p, *end;
  GInputStream *in;
  guint32 len;
  char c;

  if (conn == NULL)
    return NULL;
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), banner,
                             strlen (banner), NULL, NULL, NULL);
  do
    if (!read_exact (in, &c, 1))
      return NULL;
  while (c != '\n');
  if (!read_exact (in, &len, 4))
    return NULL;
  len = GUINT32_FROM_BE (len);
  if (len < 18 || len > 65536)
    return NULL;
  packet = g_malloc (len);
  if (!read_exact (in, packet, len) || packet[1] != 20 /* SSH_MSG_KEXINIT */)
    return NULL;
  p = packet + 2 + 16;
  end = packet + len;
  g_free (take_name_list (&p, end));   /* kex */
  g_free (take_name_list (&p, end));   /* host key */
  probe->ciphers_cs = take_name_list (&p, end);
  probe->ciphers_sc = take_name_list (&p, end);
  return NULL;
}

static void
test_cipher_offer (void)
{
  guint16 port;
  KexProbe probe = { NULL, };
  g_autoptr(LabSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;
  g_auto(GStrv) cs = NULL;
  g_auto(GStrv) sc = NULL;

  probe.listener = listen_local (&port);
  session = local_session (port);
  thread = g_thread_new ("kexinit-server", kexinit_server_thread, &probe);
  g_object_set (session, "connect-timeout", 5u, NULL);
  /* The server hangs up after the KEXINIT: the connection itself fails. */
  g_assert_false (connect_sync (session, 10, &error));
  g_thread_join (thread);
  g_test_message ("offered: %s / %s", probe.ciphers_cs, probe.ciphers_sc);
  g_assert_nonnull (probe.ciphers_cs);
  g_assert_nonnull (probe.ciphers_sc);
  cs = g_strsplit (probe.ciphers_cs, ",", -1);
  sc = g_strsplit (probe.ciphers_sc, ",", -1);
  g_assert_cmpuint (g_strv_length (cs), >, 0);
  for (guint i = 0; cs[i] != NULL; i++)
    g_assert_false (is_weak_cipher (cs[i]));
  for (guint i = 0; sc[i] != NULL; i++)
    g_assert_false (is_weak_cipher (sc[i]));
  g_free (probe.ciphers_cs);
  g_free (probe.ciphers_sc);
  g_object_unref (probe.listener);
}

static void
wipe_hook (gconstpointer mem,
           gsize         len,
           gboolean      from_libssh2,
           gpointer      data)
{
  WipeProbe *probe = (WipeProbe *) data;

  if (from_libssh2)
    probe->libssh2_calls++;
  else
    probe->calls++;
  probe->last_len = len;
  if (!lab_test_is_zeroed (mem, len))
    probe->all_zero = FALSE;
}

/* Secret copies are overwritten before they are freed: the GBytes a channel queues, and
 * every block libssh2 frees (it copies passwords and keyboard-interactive answers). */
static void
test_secret_wipe (void)
{
  WipeProbe probe = { 0, 0, 0, TRUE };
  GBytes *bytes;
  char *block;

  _lab_ssh_secrets_set_release_hook (wipe_hook, &probe);

  bytes = lab_ssh_secret_bytes_new ("hunter2\n", 8);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hunter2\n", 8);
  g_bytes_unref (bytes);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpuint (probe.last_len, ==, 8);
  g_assert_true (probe.all_zero);

  block = _lab_ssh_wiping_alloc (32, NULL);
  memset (block, 'x', 32);
  /* Grown: the old block is wiped, the contents move. */
  block = _lab_ssh_wiping_realloc (block, 4096, NULL);
  g_assert_cmpuint (probe.libssh2_calls, ==, 1);
  g_assert_cmpuint (probe.last_len, >=, 32);
  g_assert_true (probe.all_zero);
  g_assert_cmpint (block[31], ==, 'x');
  _lab_ssh_wiping_free (block, NULL);
  g_assert_cmpuint (probe.libssh2_calls, ==, 2);
  g_assert_cmpuint (probe.last_len, >=, 4096);
  g_assert_true (probe.all_zero);

  _lab_ssh_secrets_set_release_hook (NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  lab_test_init (&argc, &argv);
  g_test_add_func ("/ssh-local/refused", test_refused);
  g_test_add_func ("/ssh-local/silent-server", test_silent_server);
  g_test_add_func ("/ssh-local/not-ssh", test_not_ssh);
  g_test_add_func ("/ssh-local/exec-unconnected", test_exec_unconnected);
  g_test_add_func ("/ssh-local/exec-result-text", test_exec_result_text);
  g_test_add_func ("/ssh-local/cipher-preference", test_cipher_preference);
  g_test_add_func ("/ssh-local/cipher-offer", test_cipher_offer);
  g_test_add_func ("/ssh-local/secret-wipe", test_secret_wipe);
  return lab_test_run ();
}
