/* test-http-probe.c — the HTTP probe against real servers on 127.0.0.1
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-http-probe"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lab-core.h"
#include "lab-test-utils.h"
#include "net/lab-http-probe.h"

/* The servers are python3's http.server (plain, HTTPS with a self-signed certificate made
 * by openssl at run time, a 301 redirector) and a socket that listens but never accepts,
 * all started by tests/net/probe-server.py on 127.0.0.1 with free ports. Nothing else is
 * contacted. Without python3 or openssl the server tests are skipped. */

#define STARTUP_TIMEOUT_MS 20000

typedef struct
{
  GSubprocess *process;
  guint16      port;
} Server;

static struct
{
  char    *tmpdir;
  char    *skip_reason;
  Server   plain;
  Server   https;
  Server   redirect;
  Server   offsite;
  Server   silent;
  Server   stall;
} fx;

typedef struct
{
  gboolean  done;
  GError   *error;
  char     *line;
} LineWait;

static void
on_line (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  LineWait *w = data;

  w->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), res, NULL,
                                                       &w->error);
  w->done = TRUE;
}

static void
on_wait_check (GObject      *source,
               GAsyncResult *res,
               gpointer      data)
{
  LineWait *w = data;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), res, &w->error);
  w->done = TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Servers */

static gboolean
server_start (Server              *server,
              const char * const  *argv,
              GError             **error)
{
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LineWait w = { 0 };
  guint64 port;

  server->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                             G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (server->process == NULL)
    return FALSE;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, cancellable, on_line, &w);
  if (!lab_test_wait_flag (&w.done, STARTUP_TIMEOUT_MS))
    {
      g_cancellable_cancel (cancellable);
      lab_test_wait_flag (&w.done, 5000);
      g_clear_error (&w.error);
      g_free (w.line);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s did not start", argv[2]);
      return FALSE;
    }
  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }

  if (w.line == NULL || !g_str_has_prefix (w.line, "PORT ") ||
      !g_ascii_string_to_unsigned (w.line + 5, 10, 1, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s said “%s”", argv[2],
                   w.line != NULL ? w.line : "(nothing)");
      g_free (w.line);
      return FALSE;
    }

  g_free (w.line);
  server->port = (guint16) port;
  g_test_message ("%s server on 127.0.0.1:%u", argv[2], server->port);
  return TRUE;
}

static void
server_stop (Server *server)
{
  LineWait w = { 0 };

  if (server->process == NULL)
    return;

  g_output_stream_close (g_subprocess_get_stdin_pipe (server->process), NULL, NULL);
  g_subprocess_force_exit (server->process);
  g_subprocess_wait_check_async (server->process, NULL, on_wait_check, &w);
  lab_test_wait_flag (&w.done, 5000);
  g_clear_error (&w.error);
  g_clear_object (&server->process);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

static gboolean
make_certificate (const char  *openssl,
                  const char  *cert,
                  const char  *key,
                  GError     **error)
{
  const char *argv[] = {
    openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=mirage-lab-probe-test",
    NULL
  };
  g_autoptr(GSubprocess) process = NULL;
  LineWait w = { 0 };

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
  if (process == NULL)
    return FALSE;

  g_subprocess_wait_check_async (process, NULL, on_wait_check, &w);
  if (!lab_test_wait_flag (&w.done, STARTUP_TIMEOUT_MS))
    {
      g_subprocess_force_exit (process);
      lab_test_wait_flag (&w.done, 5000);
      g_clear_error (&w.error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "openssl took too long");
      return FALSE;
    }
  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  return TRUE;
}

static void
setup_servers (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "net", "probe-server.py", NULL);
  g_autofree char *plain_dir = NULL;
  g_autofree char *https_dir = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *https_url = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (python == NULL || openssl == NULL)
    {
      fx.skip_reason = g_strdup ("python3 and openssl are needed for the probe servers");
      return;
    }

  fx.tmpdir = g_dir_make_tmp ("lab-http-probe-XXXXXX", &error);
  g_assert_no_error (error);
  plain_dir = g_build_filename (fx.tmpdir, "plain", NULL);
  https_dir = g_build_filename (fx.tmpdir, "https", NULL);
  g_assert_cmpint (g_mkdir (plain_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (https_dir, 0700), ==, 0);

  write_file (plain_dir, "index.html",
              "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
              "<title>Hello &amp; Mirage</title></head>\n"
              "<body><h1>Hello Mirage World!</h1></body></html>\n", -1);
  write_file (https_dir, "index.html",
              "<html><HEAD><TITLE lang=\"en\">\n   Secure &lt;Mirage&gt;\n  &#39;TLS&#x27; "
              "</TITLE></HEAD><body>https</body></html>\n", -1);

  /* 1 MiB page with its title first; and one whose title is past the 64 KiB read */
  g_string_append (big, "<html><head><title>Big page</title></head><body>\n");
  while (big->len < 1024 * 1024)
    g_string_append (big, "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n");
  g_string_append (big, "</body></html>\n");
  write_file (plain_dir, "big.html", big->str, (gssize) big->len);
  g_string_truncate (big, 0);
  g_string_append (big, "<html><head><!-- ");
  while (big->len < 70 * 1024)
    g_string_append (big, "padding padding padding padding padding padding padding\n");
  g_string_append (big, " --><title>Too late</title></head></html>\n");
  write_file (plain_dir, "late.html", big->str, (gssize) big->len);

  cert = g_build_filename (fx.tmpdir, "cert.pem", NULL);
  key = g_build_filename (fx.tmpdir, "key.pem", NULL);
  if (!make_certificate (openssl, cert, key, &error))
    {
      fx.skip_reason = g_strdup_printf ("cannot make a certificate: %s", error->message);
      return;
    }

  {
    const char *plain_argv[] = { python, script, "plain", plain_dir, NULL };
    const char *https_argv[] = { python, script, "https", https_dir, cert, key, NULL };
    const char *silent_argv[] = { python, script, "silent", NULL };
    const char *stall_argv[] = { python, script, "stall", NULL };

    if (!server_start (&fx.plain, plain_argv, &error) ||
        !server_start (&fx.https, https_argv, &error) ||
        !server_start (&fx.silent, silent_argv, &error) ||
        !server_start (&fx.stall, stall_argv, &error))
      {
        fx.skip_reason = g_strdup_printf ("probe servers did not start: %s", error->message);
        return;
      }
  }

  https_url = g_strdup_printf ("https://127.0.0.1:%u/", fx.https.port);
  {
    const char *redirect_argv[] = { python, script, "redirect", https_url, NULL };

    /* 127.0.0.2 is loopback too, but another host by its address: nothing listens there */
    g_autofree char *offsite_url = g_strdup_printf ("http://127.0.0.2:%u/", fx.plain.port);
    const char *offsite_argv[] = { python, script, "redirect", offsite_url, NULL };

    if (!server_start (&fx.redirect, redirect_argv, &error) ||
        !server_start (&fx.offsite, offsite_argv, &error))
      {
        fx.skip_reason = g_strdup_printf ("probe servers did not start: %s", error->message);
        return;
      }
  }
}

static void
teardown_servers (void)
{
  server_stop (&fx.plain);
  server_stop (&fx.https);
  server_stop (&fx.redirect);
  server_stop (&fx.offsite);
  server_stop (&fx.silent);
  server_stop (&fx.stall);

  if (fx.tmpdir != NULL)
    {
      const char *sub[] = { "plain/index.html", "plain/big.html", "plain/late.html",
                            "https/index.html", "cert.pem", "key.pem", "plain", "https" };

      for (guint i = 0; i < G_N_ELEMENTS (sub); i++)
        {
          g_autofree char *path = g_build_filename (fx.tmpdir, sub[i], NULL);

          g_remove (path);
        }
      g_rmdir (fx.tmpdir);
    }
  g_clear_pointer (&fx.tmpdir, g_free);
  g_clear_pointer (&fx.skip_reason, g_free);
}

static gboolean
require_servers (void)
{
  if (fx.skip_reason != NULL)
    {
      g_test_skip (fx.skip_reason);
      return FALSE;
    }
  return TRUE;
}

/* A port on 127.0.0.1 where nothing listens: bound, then closed. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

/* ------------------------------------------------------------------------------------ */
/* Running a probe */

typedef struct
{
  gboolean             done;
  LabHttpProbeResult  *result;
  GError              *error;
} ProbeWait;

static void
on_probe_done (GObject      *source,
               GAsyncResult *res,
               gpointer      data)
{
  ProbeWait *w = data;

  g_assert_null (source);
  w->result = lab_http_probe_finish (res, &w->error);
  w->done = TRUE;
}

static LabHttpProbeResult *
run_probe (const char    *url,
           guint          timeout_ms,
           GCancellable  *cancellable,
           GError       **error,
           double        *elapsed)
{
  ProbeWait w = { 0 };
  gint64 start = g_get_monotonic_time ();

  lab_http_probe_async (url, timeout_ms, cancellable, on_probe_done, &w);
  if (!lab_test_wait_flag (&w.done, timeout_ms + 15000))
    g_error ("the probe of %s did not finish within its timeout (+15 s)", url);

  if (elapsed != NULL)
    *elapsed = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_test_message ("probe %s: %.3f s, %s", url, (double) (g_get_monotonic_time () - start) / 1e6,
                  w.error != NULL ? w.error->message : "ok");

  g_assert_true ((w.result == NULL) != (w.error == NULL));
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.result;
}

/* A probe that worked and got @status. */
static LabHttpProbeResult *
probe_ok (const char *url,
          guint       timeout_ms,
          guint       status)
{
  g_autoptr(GError) error = NULL;
  LabHttpProbeResult *result = run_probe (url, timeout_ms, NULL, &error, NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, status);
  return result;
}

static char *
url_for (const char *scheme,
         guint16     port,
         const char *path)
{
  return g_strdup_printf ("%s://127.0.0.1:%u%s", scheme, port, path);
}

/* One probe of a test server: its URL, what run_probe() gave and how long it took. */
typedef struct
{
  GCancellable       *cancellable;   /* for the probe, unowned; may be NULL */
  char               *url;
  LabHttpProbeResult *result;
  GError             *error;
  double              elapsed;
} ServerProbe;

static void
server_probe_clear (ServerProbe *probe)
{
  g_clear_pointer (&probe->url, g_free);
  g_clear_pointer (&probe->result, lab_http_probe_result_free);
  g_clear_error (&probe->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ServerProbe, server_probe_clear)

/* Probes @url (taken) with @timeout_ms; FALSE (the test skipped) without the servers. A
 * @status other than 0 is the one the probe must have got, without an error. */
static gboolean
probe_server (ServerProbe *probe,
              char        *url,
              guint        timeout_ms,
              guint        status)
{
  probe->url = url;
  if (!require_servers ())
    return FALSE;
  probe->result = run_probe (url, timeout_ms, probe->cancellable, &probe->error,
                             &probe->elapsed);
  if (status != 0)
    {
      g_assert_no_error (probe->error);
      g_assert_cmpuint (probe->result->status, ==, status);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Tests without servers */

static void
test_probe_normalize_url (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "192.168.56.150", "http://192.168.56.150/" },
    { "  192.168.56.150\n", "http://192.168.56.150/" },
    { "127.0.0.1:8080", "http://127.0.0.1:8080/" },
    { "127.0.0.1:8080/status?x=1", "http://127.0.0.1:8080/status?x=1" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080/" },
    { "https://192.168.56.150", "https://192.168.56.150/" },
    { "HTTPS://192.168.56.150/a/b", "https://192.168.56.150/a/b" },
    { "fe80::1", "http://[fe80::1]/" },
    { "http://[fd00::2]:8080/", "http://[fd00::2]:8080/" },
    { "unikernel.local", "http://unikernel.local/" },
    { "", NULL },
    { "   ", NULL },
    { "ftp://192.168.56.150/", NULL },
    { "file:///etc/passwd", NULL },
    { "http://", NULL },
    { "javascript:alert(1)", NULL },
    { "127.0.0.1:99999", NULL },
    { "http://127.0.0.1:80:80/", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = lab_http_probe_normalize_url (cases[i].in, &error);

      g_test_message ("url: “%s”", cases[i].in);
      g_assert_cmpstr (url, ==, cases[i].out);
      if (cases[i].out == NULL)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      else
        g_assert_no_error (error);
    }
}

static void
test_probe_title (void)
{
  static const struct { const char *body; const char *charset; const char *title; } cases[] = {
    { "<title>Hello &amp; Mirage</title>", NULL, "Hello & Mirage" },
    { "<html><head><title>A &lt;b&gt; &quot;c&quot; &#39;d&#39; &apos;e&apos;</title>",
      NULL, "A <b> \"c\" 'd' 'e'" },
    { "<TITLE>\n\t  spaced \n\n  out\t</TITLE>", NULL, "spaced out" },
    { "<title lang=\"en\">attrs</title>", NULL, "attrs" },
    { "<titles>no</titles><title>yes</title>", NULL, "yes" },
    { "<title>&#x4D;irage &#77;irage &#xe9;t&eacute;</title>", NULL, "Mirage Mirage ét&eacute;" },
    { "<title>a&nbsp;b &amp c &#0; &#1114112; &#xD800;</title>", NULL,
      "a b &amp c \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd" },
    { "<title>caf\xe9</title>", "iso-8859-1", "café" },
    { "<title>caf\xe9</title>", NULL, "caf\xef\xbf\xbd" },
    { "<title>caf\xe9</title>", "no-such-charset", "caf\xef\xbf\xbd" },
    { "<title>   </title>", NULL, NULL },
    { "<title></title>", NULL, NULL },
    { "<title>never closed", NULL, NULL },
    { "<title", NULL, NULL },
    { "no title here", NULL, NULL },
    { "", NULL, NULL },
  };
  g_autoptr(GString) long_title = g_string_new ("<title>");
  g_autofree char *title = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *t = lab_http_probe_extract_title (cases[i].body, strlen (cases[i].body),
                                                         cases[i].charset);
      g_autofree char *shown = g_strescape (cases[i].body, NULL);

      g_test_message ("body: %s", shown);
      g_assert_cmpstr (t, ==, cases[i].title);
    }

  /* NUL bytes and length limits: the body is not a C string */
  title = lab_http_probe_extract_title ("<title>a\0b</title>xx", 18, NULL);
  g_assert_cmpstr (title, ==, "a\xef\xbf\xbd" "b");
  g_clear_pointer (&title, g_free);
  title = lab_http_probe_extract_title ("<title>cut</title>", 12, NULL);
  g_assert_null (title);

  for (guint i = 0; i < 1000; i++)
    g_string_append (long_title, "word ");
  g_string_append (long_title, "</title>");
  title = lab_http_probe_extract_title (long_title->str, long_title->len, NULL);
  g_assert_cmpint (g_utf8_strlen (title, -1), ==, 256);
  g_assert_true (g_str_has_suffix (title, "…"));
}

static void
test_probe_invalid_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabHttpProbeResult) result = NULL;

  result = run_probe ("ftp://127.0.0.1/", 1000, NULL, &error, NULL);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_probe_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabHttpProbeResult) result = NULL;
  g_autofree char *url = url_for ("http", closed_port (), "/");
  double elapsed;

  result = run_probe (url, 5000, NULL, &error, &elapsed);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpfloat (elapsed, <, 4.0);
}

static void
test_probe_cancelled_before (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LabHttpProbeResult) result = NULL;
  g_autofree char *url = url_for ("http", closed_port (), "/");

  g_cancellable_cancel (cancellable);
  result = run_probe (url, 5000, cancellable, &error, NULL);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ------------------------------------------------------------------------------------ */
/* Tests against the servers */

static void
test_probe_plain (void)
{
  g_auto(ServerProbe) probe = { 0 };
  g_autoptr(LabHttpProbeResult) result = NULL;
  g_autofree char *bare = NULL;

  if (!probe_server (&probe, url_for ("http", fx.plain.port, "/"), 5000, 200))
    return;
  g_assert_cmpstr (probe.result->reason_phrase, ==, "OK");
  g_assert_cmpstr (probe.result->url, ==, probe.url);
  g_assert_cmpstr (probe.result->final_url, ==, probe.url);
  g_assert_false (probe.result->redirected);
  g_assert_cmpstr (probe.result->title, ==, "Hello & Mirage");
  g_assert_false (probe.result->tls);
  g_assert_false (probe.result->tls_self_signed);
  g_assert_cmpuint (probe.result->tls_errors, ==, 0);
  g_assert_null (probe.result->error_message);

  /* A bare "host:port", as the SSH tunnel gives */
  bare = g_strdup_printf ("127.0.0.1:%u", fx.plain.port);
  result = probe_ok (bare, 5000, 200);
  g_assert_cmpstr (result->url, ==, probe.url);
  g_assert_cmpstr (result->title, ==, "Hello & Mirage");
}

/* Any HTTP status is a result, not an error. */
static void
test_probe_not_found (void)
{
  g_auto(ServerProbe) probe = { 0 };

  if (probe_server (&probe, url_for ("http", fx.plain.port, "/missing.html"), 5000, 404))
    g_assert_cmpstr (probe.result->title, ==, "Error response");   /* python's error page */
}

/* static_website_tls: http answers 301 to https with a self-signed certificate. */
static void
test_probe_redirect_to_https (void)
{
  g_auto(ServerProbe) probe = { 0 };
  g_autofree char *https_url = NULL;

  if (!probe_server (&probe, url_for ("http", fx.redirect.port, "/"), 10000, 200))
    return;
  https_url = url_for ("https", fx.https.port, "/");
  g_assert_cmpstr (probe.result->url, ==, probe.url);
  g_assert_cmpstr (probe.result->final_url, ==, https_url);
  g_assert_true (probe.result->redirected);
  g_assert_true (probe.result->tls);
  g_assert_true (probe.result->tls_self_signed);
  g_assert_true (probe.result->tls_errors & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_cmpstr (probe.result->title, ==, "Secure <Mirage> 'TLS'");
}

/* A redirect to another host is reported, not followed: the result is the redirect. */
static void
test_probe_redirect_offsite (void)
{
  g_auto(ServerProbe) probe = { 0 };
  g_autofree char *target = g_strdup_printf ("http://127.0.0.2:%u/", fx.plain.port);

  if (!probe_server (&probe, url_for ("http", fx.offsite.port, "/"), 10000, 301))
    return;
  g_assert_cmpstr (probe.result->url, ==, probe.url);
  g_assert_cmpstr (probe.result->final_url, ==, probe.url);
  g_assert_false (probe.result->redirected);
  g_assert_cmpstr (probe.result->offsite_redirect, ==, target);
  g_assert_null (probe.result->title);
}

static void
test_probe_same_host_rule (void)
{
  static const struct { const char *from, *to; gboolean follow; } cases[] = {
    { "http://192.168.56.150/", "https://192.168.56.150/", TRUE },
    { "http://192.168.56.150/", "https://192.168.56.150:8443/x", TRUE },
    { "http://127.0.0.1:8080/", "http://127.0.0.1:9090/", TRUE },
    { "http://Www.Example/", "http://www.example/", TRUE },
    { "http://192.168.56.150/", "http://192.168.56.151/", FALSE },
    { "http://127.0.0.1:8080/", "http://127.0.0.2:8080/", FALSE },
    { "http://192.168.56.150/", "https://portal.example/login", FALSE },
    { "http://192.168.56.150/", "ftp://192.168.56.150/", FALSE },
    { "http://192.168.56.150/", "javascript:alert(1)", FALSE },
    { "http://192.168.56.150/", "not a url", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s -> %s", cases[i].from, cases[i].to);
      g_assert_cmpint (lab_http_probe_same_host (cases[i].from, cases[i].to), ==,
                       cases[i].follow);
    }
}

static void
on_plain_request_done (GObject      *source,
                       GAsyncResult *res,
                       gpointer      data)
{
  ProbeWait *w = data;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &w->error);
  w->done = TRUE;
}

/* The certificate is accepted for the probe's own message only: a plain session that
 * asks the same server afterwards still refuses it. */
static void
test_probe_self_signed_not_global (void)
{
  g_auto(ServerProbe) probe = { 0 };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  ProbeWait w = { 0 };

  if (!probe_server (&probe, url_for ("https", fx.https.port, "/"), 10000, 200))
    return;
  g_assert_false (probe.result->redirected);
  g_assert_true (probe.result->tls_self_signed);

  session = soup_session_new ();
  soup_session_set_proxy_resolver (session, NULL);
  message = soup_message_new ("GET", probe.url);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_plain_request_done, &w);
  g_assert_true (lab_test_wait_flag (&w.done, 10000));
  g_assert_nonnull (w.error);
  g_test_message ("plain session: %s", w.error->message);
  g_assert_true (w.error->domain == G_TLS_ERROR);
  g_clear_error (&w.error);
}

/* A server that never answers: the probe fails within its timeout. */
static void
test_probe_timeout (void)
{
  g_auto(ServerProbe) probe = { 0 };

  if (!probe_server (&probe, url_for ("http", fx.silent.port, "/"), 500, 0))
    return;
  g_assert_null (probe.result);
  g_assert_error (probe.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpfloat (probe.elapsed, >=, 0.45);
  g_assert_cmpfloat (probe.elapsed, <, 3.0);
}

/* Headers and the start of the page arrive, then nothing: the probe still reports the
 * status and the title it saw, and says that reading the page timed out. */
static void
test_probe_stalled_body (void)
{
  g_auto(ServerProbe) probe = { 0 };

  if (!probe_server (&probe, url_for ("http", fx.stall.port, "/"), 700, 200))
    return;
  g_assert_cmpstr (probe.result->title, ==, "Stalled");
  g_assert_cmpstr (probe.result->error_message, ==, "No answer within 700 ms");
  g_assert_cmpfloat (probe.elapsed, >=, 0.65);
  g_assert_cmpfloat (probe.elapsed, <, 3.0);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_REMOVE;
}

static void
test_probe_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(ServerProbe) probe = { .cancellable = cancellable };

  if (!require_servers ())
    return;

  g_timeout_add (200, cancel_later, cancellable);
  probe_server (&probe, url_for ("http", fx.silent.port, "/"), 20000, 0);
  g_assert_null (probe.result);
  g_assert_error (probe.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (probe.elapsed, <, 5.0);
}

/* Only the first 64 KiB are read: a big page is quick, a title past the limit is lost. */
static void
test_probe_bounded_body (void)
{
  g_auto(ServerProbe) big = { 0 };
  g_auto(ServerProbe) late = { 0 };

  if (!probe_server (&big, url_for ("http", fx.plain.port, "/big.html"), 5000, 200))
    return;
  g_assert_cmpstr (big.result->title, ==, "Big page");
  g_assert_null (big.result->error_message);

  probe_server (&late, url_for ("http", fx.plain.port, "/late.html"), 5000, 200);
  g_assert_null (late.result->title);
}

/* Several probes at once, each with its own session. */
static void
test_probe_concurrent (void)
{
  g_autofree char *plain = NULL;
  g_autofree char *https = NULL;
  g_autofree char *silent = NULL;
  ProbeWait w[3] = { { 0 } };
  gboolean all_done = FALSE;

  if (!require_servers ())
    return;

  plain = url_for ("http", fx.plain.port, "/");
  https = url_for ("https", fx.https.port, "/");
  silent = url_for ("http", fx.silent.port, "/");
  lab_http_probe_async (silent, 700, NULL, on_probe_done, &w[0]);
  lab_http_probe_async (plain, 5000, NULL, on_probe_done, &w[1]);
  lab_http_probe_async (https, 5000, NULL, on_probe_done, &w[2]);

  for (guint round = 0; round < 3 && !all_done; round++)
    {
      for (guint i = 0; i < 3; i++)
        lab_test_wait_flag (&w[i].done, 10000);
      all_done = w[0].done && w[1].done && w[2].done;
    }
  g_assert_true (all_done);

  g_assert_error (w[0].error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_no_error (w[1].error);
  g_assert_cmpstr (w[1].result->title, ==, "Hello & Mirage");
  g_assert_no_error (w[2].error);
  g_assert_cmpstr (w[2].result->title, ==, "Secure <Mirage> 'TLS'");

  for (guint i = 0; i < 3; i++)
    {
      g_clear_error (&w[i].error);
      g_clear_pointer (&w[i].result, lab_http_probe_result_free);
    }
}

static void
test_probe_result_boxed (void)
{
  LabHttpProbeResult result = {
    .status = 200, .url = (char *) "http://a/", .final_url = (char *) "https://a/",
    .title = (char *) "t", .tls = TRUE, .tls_self_signed = TRUE,
    .offsite_redirect = (char *) "http://b/",
  };
  g_autoptr(LabHttpProbeResult) copy = g_boxed_copy (LAB_TYPE_HTTP_PROBE_RESULT, &result);

  g_assert_cmpuint (copy->status, ==, 200);
  g_assert_cmpstr (copy->final_url, ==, "https://a/");
  g_assert_true (copy->final_url != result.final_url);
  g_assert_true (copy->tls_self_signed);
  g_assert_null (copy->reason_phrase);
  g_assert_cmpstr (copy->offsite_redirect, ==, "http://b/");
  g_assert_true (copy->offsite_redirect != result.offsite_redirect);
}

static guint
count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* LeakSanitizer in Debian 12 (GCC 12) crashes at exit ("Tracer caught signal 11", a bogus
 * DTLS range) on a live thread that holds dynamic TLS of a dlopen()ed module: here GnuTLS,
 * used by glib-networking's handshake, which runs in GTask's thread pool. GLib parks idle
 * pool threads as "unused" after half a second; stop them before the leak check runs.
 * Bounded: at most 5 s. */
static void
stop_idle_pool_threads (void)
{
  guint last = 0;

  g_thread_pool_set_max_unused_threads (0);
  for (guint i = 0; i < 50; i++)
    {
      guint n;

      g_usleep (G_USEC_PER_SEC / 10);
      g_thread_pool_stop_unused_threads ();
      n = count_threads ();
      if (i >= 7 && n == last && g_thread_pool_get_num_unused_threads () == 0)
        break;
      last = n;
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  lab_core_init ();

  g_test_add_func ("/net/http-probe/normalize-url", test_probe_normalize_url);
  g_test_add_func ("/net/http-probe/title", test_probe_title);
  g_test_add_func ("/net/http-probe/result-boxed", test_probe_result_boxed);
  g_test_add_func ("/net/http-probe/invalid-url", test_probe_invalid_url);
  g_test_add_func ("/net/http-probe/refused", test_probe_refused);
  g_test_add_func ("/net/http-probe/cancelled-before", test_probe_cancelled_before);
  g_test_add_func ("/net/http-probe/plain", test_probe_plain);
  g_test_add_func ("/net/http-probe/not-found", test_probe_not_found);
  g_test_add_func ("/net/http-probe/redirect-to-https", test_probe_redirect_to_https);
  g_test_add_func ("/net/http-probe/redirect-offsite", test_probe_redirect_offsite);
  g_test_add_func ("/net/http-probe/same-host-rule", test_probe_same_host_rule);
  g_test_add_func ("/net/http-probe/self-signed-not-global", test_probe_self_signed_not_global);
  g_test_add_func ("/net/http-probe/timeout", test_probe_timeout);
  g_test_add_func ("/net/http-probe/stalled-body", test_probe_stalled_body);
  g_test_add_func ("/net/http-probe/cancel", test_probe_cancel);
  g_test_add_func ("/net/http-probe/bounded-body", test_probe_bounded_body);
  g_test_add_func ("/net/http-probe/concurrent", test_probe_concurrent);

  setup_servers ();
  ret = g_test_run ();
  teardown_servers ();
  stop_idle_pool_threads ();

  return ret;
}
