/* lab-http-probe.c — is a unikernel's web server answering, and with which page?
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-http-probe"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "net/lab-http-probe.h"

/* One GET with libsoup 3, in its own SoupSession so that nothing it allows leaks into
 * other requests:
 * - it follows redirects within the same host only (MirageOS' static_website_tls answers
 *   http with a 301 to https on the same address). A redirect to another host is reported,
 *   not followed: what answers there is not the unikernel, and the app would otherwise
 *   show that page as the domain's and open it;
 * - it accepts an untrusted certificate through SoupMessage::accept-certificate, on this
 *   message only. That is fine for a probe: it sends nothing secret and only reports what
 *   answered; tls_self_signed tells the UI to say so. The session keeps the system
 *   certificate database, so a trusted certificate is still checked as usual;
 * - it uses no proxy: unikernels sit on the dom0's host-only network or behind an SSH
 *   tunnel on 127.0.0.1, which a desktop proxy cannot reach;
 * - one timeout covers everything (connect, TLS, redirects, headers, body), and the
 *   caller's cancellable aborts it. Both go through an internal cancellable;
 * - it reads at most LAB_HTTP_PROBE_MAX_BODY bytes of the page for its <title>. */

#define MAX_TITLE_CHARS 256
/* libsoup's own limit */
#define MAX_REDIRECTS 20

G_DEFINE_BOXED_TYPE (LabHttpProbeResult, lab_http_probe_result,
                     lab_http_probe_result_copy, lab_http_probe_result_free)

LabHttpProbeResult *
lab_http_probe_result_copy (const LabHttpProbeResult *result)
{
  LabHttpProbeResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (LabHttpProbeResult, 1);
  *copy = *result;
  copy->reason_phrase = g_strdup (result->reason_phrase);
  copy->url = g_strdup (result->url);
  copy->final_url = g_strdup (result->final_url);
  copy->title = g_strdup (result->title);
  copy->error_message = g_strdup (result->error_message);
  copy->offsite_redirect = g_strdup (result->offsite_redirect);

  return copy;
}

void
lab_http_probe_result_free (LabHttpProbeResult *result)
{
  if (result == NULL)
    return;

  g_free (result->reason_phrase);
  g_free (result->url);
  g_free (result->final_url);
  g_free (result->title);
  g_free (result->error_message);
  g_free (result->offsite_redirect);
  g_free (result);
}

/* ------------------------------------------------------------------------------------ */
/* URLs */

/**
 * lab_http_probe_normalize_url:
 * @url_or_ip: "http://…" or "https://…" URL, or a bare host with an optional port and
 *   path ("192.168.56.150", "127.0.0.1:8080", "fe80::1")
 * @error: return location for a #GError (%G_IO_ERROR_INVALID_ARGUMENT)
 *
 * Returns: (transfer full) (nullable): an absolute http or https URL
 */
char *
lab_http_probe_normalize_url (const char  *url_or_ip,
                              GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *candidate = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url_or_ip != NULL, NULL);

  text = g_strstrip (g_strdup (url_or_ip));
  if (text[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("No address to open"));
      return NULL;
    }

  if (strstr (text, "://") != NULL)
    candidate = g_strdup (text);
  else if (strchr (text, ':') != NULL && g_hostname_is_ip_address (text))
    candidate = g_strdup_printf ("http://[%s]/", text);   /* bare IPv6 literal */
  else
    candidate = g_strdup_printf ("http://%s", text);

  uri = g_uri_parse (candidate, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || host[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address"), shown);
      return NULL;
    }

  if (g_uri_get_path (uri)[0] == '\0')
    {
      g_autoptr(GUri) with_path = NULL;

      with_path = g_uri_build (g_uri_get_flags (uri), scheme, g_uri_get_userinfo (uri), host,
                               g_uri_get_port (uri), "/", g_uri_get_query (uri),
                               g_uri_get_fragment (uri));
      return g_uri_to_string (with_path);
    }

  return g_uri_to_string (uri);
}

/**
 * lab_http_probe_same_host:
 * @from_url: the URL that answered with a redirect
 * @to_url: where it points, absolute
 *
 * The redirect rule: a redirect is followed when it stays on the same host, compared
 * without case; a change of scheme (http to https) or of port is fine. Anything that is
 * not an http or https URL is another place.
 *
 * Returns: %TRUE if @to_url may be followed from @from_url
 */
gboolean
lab_http_probe_same_host (const char *from_url,
                          const char *to_url)
{
  g_autoptr(GUri) from = NULL;
  g_autoptr(GUri) to = NULL;
  const char *to_scheme;

  g_return_val_if_fail (from_url != NULL, FALSE);
  g_return_val_if_fail (to_url != NULL, FALSE);

  from = g_uri_parse (from_url, SOUP_HTTP_URI_FLAGS, NULL);
  to = g_uri_parse (to_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (from == NULL || to == NULL)
    return FALSE;

  to_scheme = g_uri_get_scheme (to);
  if (to_scheme == NULL
      || (g_ascii_strcasecmp (to_scheme, "http") != 0
          && g_ascii_strcasecmp (to_scheme, "https") != 0))
    return FALSE;
  if (g_uri_get_host (from) == NULL || g_uri_get_host (to) == NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_host (from), g_uri_get_host (to)) == 0;
}

/* ------------------------------------------------------------------------------------ */
/* <title> */

static const char *
find_ci (const char *haystack,
         gsize       len,
         const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_strncasecmp (haystack + i, needle, n) == 0)
      return haystack + i;

  return NULL;
}

static void
append_unichar (GString  *out,
                gunichar  c)
{
  char buf[6];
  int n;

  if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
    c = 0xfffd;
  n = g_unichar_to_utf8 (c, buf);
  g_string_append_len (out, buf, n);
}

/* Decodes the character references a title realistically holds: the XML five, &nbsp;
 * (as a space, since titles are collapsed anyway) and numeric &#NNN; / &#xHH;. Anything
 * else, or a reference without its ';', is kept as written. */
static char *
decode_entities (const char *text)
{
  static const struct { const char *name; gunichar c; } named[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
    { "nbsp", ' ' },
  };
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      const char *semi;
      gsize name_len;
      gboolean done = FALSE;

      if (*p != '&' || (semi = strchr (p + 1, ';')) == NULL || semi - p - 1 > 10)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      name_len = (gsize) (semi - p - 1);
      if (name_len >= 2 && p[1] == '#')
        {
          const char *digits = p + 2;
          gboolean hex = digits[0] == 'x' || digits[0] == 'X';
          const char *q = hex ? digits + 1 : digits;
          guint64 v = 0;

          if (q < semi)
            {
              done = TRUE;
              for (; q < semi && done; q++)
                {
                  if (hex ? !g_ascii_isxdigit (*q) : !g_ascii_isdigit (*q))
                    done = FALSE;
                  else
                    v = MIN (v * (hex ? 16 : 10) +
                             (guint64) (hex ? g_ascii_xdigit_value (*q)
                                            : g_ascii_digit_value (*q)),
                             (guint64) 0x110000);
                }
              if (done)
                append_unichar (out, (gunichar) v);
            }
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (named) && !done; i++)
            if (strlen (named[i].name) == name_len &&
                strncmp (p + 1, named[i].name, name_len) == 0)
              {
                append_unichar (out, named[i].c);
                done = TRUE;
              }
        }

      if (done)
        p = semi + 1;
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/* Collapses runs of white space and control characters into one space and trims. */
static char *
collapse_whitespace (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * lab_http_probe_extract_title:
 * @body: (array length=len): the start of an HTML page, any bytes
 * @len: length of @body
 * @charset: (nullable): the charset of the Content-Type header, if any
 *
 * Finds the first <title>…</title> (tag names in any case, attributes allowed), converts
 * it from @charset to UTF-8 (invalid bytes become U+FFFD), decodes character references,
 * collapses white space and trims it. Long titles are cut to 256 characters with "…".
 *
 * Returns: (transfer full) (nullable): the title, or %NULL if there is none (or it is
 *   empty, or its closing tag is not within @body)
 */
char *
lab_http_probe_extract_title (const char *body,
                              gsize       len,
                              const char *charset)
{
  const char *p = body;
  const char *end = body + len;
  const char *content = NULL;
  const char *close;
  g_autofree char *utf8 = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (body != NULL || len == 0, NULL);

  while (p < end)
    {
      const char *open = find_ci (p, (gsize) (end - p), "<title");
      const char *after;

      if (open == NULL)
        return NULL;
      after = open + strlen ("<title");
      if (after < end && (*after == '>' || g_ascii_isspace (*after) || *after == '/'))
        {
          const char *gt = memchr (after, '>', (gsize) (end - after));

          if (gt == NULL)
            return NULL;
          content = gt + 1;
          break;
        }
      p = after;
    }
  if (content == NULL)
    return NULL;

  close = find_ci (content, (gsize) (end - content), "</title");
  if (close == NULL)
    return NULL;

  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "utf8") != 0)
    {
      g_autofree char *converted = g_convert (content, close - content, "UTF-8", charset,
                                              NULL, NULL, NULL);

      if (converted != NULL)
        utf8 = g_utf8_make_valid (converted, -1);
    }
  if (utf8 == NULL)
    utf8 = g_utf8_make_valid (content, close - content);

  decoded = decode_entities (utf8);
  title = collapse_whitespace (decoded);

  if (title[0] == '\0')
    return NULL;

  if (g_utf8_strlen (title, -1) > MAX_TITLE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (title, 0, MAX_TITLE_CHARS - 1);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&title);
}

/* ------------------------------------------------------------------------------------ */
/* The probe */

typedef struct
{
  SoupSession         *session;
  SoupMessage         *message;
  GInputStream        *body;
  GCancellable        *cancellable;       /* internal: fires on timeout or caller cancel */
  GCancellable        *user_cancellable;
  gulong               user_cancel_id;
  GSource             *timeout_source;
  guint                timeout_ms;
  gboolean             timed_out;
  guint8              *buffer;
  guint                redirects;
  LabHttpProbeResult  *result;
} Probe;

static void
probe_stop_timers (Probe *probe)
{
  if (probe->user_cancel_id != 0)
    {
      g_cancellable_disconnect (probe->user_cancellable, probe->user_cancel_id);
      probe->user_cancel_id = 0;
    }
  if (probe->timeout_source != NULL)
    {
      g_source_destroy (probe->timeout_source);
      g_clear_pointer (&probe->timeout_source, g_source_unref);
    }
}

static void
probe_free (gpointer data)
{
  Probe *probe = data;

  probe_stop_timers (probe);

  if (probe->message != NULL)
    g_signal_handlers_disconnect_by_data (probe->message, probe);
  if (probe->session != NULL)
    soup_session_abort (probe->session);

  g_clear_object (&probe->body);
  g_clear_object (&probe->message);
  g_clear_object (&probe->session);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->user_cancellable);
  g_clear_pointer (&probe->buffer, g_free);
  g_clear_pointer (&probe->result, lab_http_probe_result_free);
  g_free (probe);
}

static GError *
probe_timeout_error (Probe *probe)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                      /* Translators: %u is a number of milliseconds */
                      _("No answer within %u ms"), probe->timeout_ms);
}

/* Returns @error (taking it), mapping the internal cancellation of a timeout. */
static void
probe_return_error (GTask  *task,
                    GError *error)
{
  Probe *probe = g_task_get_task_data (task);

  probe_stop_timers (probe);

  if (probe->timed_out && !g_cancellable_is_cancelled (probe->user_cancellable))
    {
      g_debug ("%s: timed out (%s)", probe->result->url, error->message);
      g_error_free (error);
      error = probe_timeout_error (probe);
    }

  g_task_return_error (task, error);
}

static gboolean
on_timeout (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timed_out = TRUE;
  g_cancellable_cancel (probe->cancellable);
  g_clear_pointer (&probe->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
on_user_cancelled (GCancellable *user_cancellable,
                   gpointer      internal)
{
  g_cancellable_cancel (G_CANCELLABLE (internal));
}

static gboolean
on_accept_certificate (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Probe *probe = user_data;

  g_debug ("%s: accepting a certificate with errors 0x%x for this probe",
           probe->result->url, errors);

  probe->result->tls_errors |= errors;
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    probe->result->tls_self_signed = TRUE;

  return TRUE;
}

static void
probe_complete (GTask *task)
{
  Probe *probe = g_task_get_task_data (task);

  probe_stop_timers (probe);
  g_task_return_pointer (task, g_steal_pointer (&probe->result),
                         (GDestroyNotify) lab_http_probe_result_free);
}

static void
on_body_read (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = NULL;
  SoupMessageHeaders *headers;
  const char *charset = NULL;
  gsize n_read = 0;

  /* On error, n_read still counts what arrived before it. */
  g_input_stream_read_all_finish (G_INPUT_STREAM (source), res, &n_read, &error);

  if (error != NULL)
    {
      if (g_cancellable_is_cancelled (probe->user_cancellable))
        {
          probe_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (probe->timed_out)
        {
          g_autoptr(GError) timeout = probe_timeout_error (probe);

          probe->result->error_message = g_strdup (timeout->message);
        }
      else
        {
          probe->result->error_message = g_strdup (error->message);
        }
      g_debug ("%s: reading the page: %s", probe->result->url, error->message);
    }

  headers = soup_message_get_response_headers (probe->message);
  if (soup_message_headers_get_content_type (headers, &params) != NULL && params != NULL)
    charset = g_hash_table_lookup (params, "charset");

  probe->result->title = lab_http_probe_extract_title ((const char *) probe->buffer, n_read,
                                                       charset);

  probe_complete (task);
}

static void on_sent (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data);

static gboolean
probe_send (GTask       *task,
            const char  *url)
{
  Probe *probe = g_task_get_task_data (task);

  if (probe->message != NULL)
    g_signal_handlers_disconnect_by_data (probe->message, probe);
  g_clear_object (&probe->message);
  g_clear_object (&probe->body);

  probe->message = soup_message_new ("GET", url);
  if (probe->message == NULL)
    return FALSE;
  /* Redirects are followed here, by the same-host rule, not by libsoup. */
  soup_message_add_flags (probe->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (probe->message), "Accept",
                                "text/html, */*;q=0.5");
  g_signal_connect (probe->message, "accept-certificate",
                    G_CALLBACK (on_accept_certificate), probe);
  soup_session_send_async (probe->session, probe->message, G_PRIORITY_DEFAULT,
                           probe->cancellable, on_sent, g_object_ref (task));
  return TRUE;
}

/* If the answer is a redirect with a Location: follows it when it stays on the same host
 * (returns TRUE: the task goes on), else notes where it pointed in offsite_redirect and
 * returns FALSE so that the redirect itself is the result. */
static gboolean
probe_redirect (GTask   *task,
                GError **error)
{
  Probe *probe = g_task_get_task_data (task);
  guint status = soup_message_get_status (probe->message);
  const char *location;
  g_autoptr(GUri) target = NULL;
  g_autofree char *current = NULL;
  g_autofree char *next = NULL;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || status == SOUP_STATUS_NOT_MODIFIED)
    return FALSE;
  location = soup_message_headers_get_one (soup_message_get_response_headers (probe->message),
                                           "Location");
  if (location == NULL)
    return FALSE;

  target = g_uri_parse_relative (soup_message_get_uri (probe->message), location,
                                 SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL)
    return FALSE;
  current = g_uri_to_string (soup_message_get_uri (probe->message));
  next = g_uri_to_string (target);

  if (!lab_http_probe_same_host (current, next))
    {
      g_debug ("%s: not following the redirect to another host, %s", current, next);
      probe->result->offsite_redirect = g_steal_pointer (&next);
      return FALSE;
    }
  if (++probe->redirects > MAX_REDIRECTS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   /* Translators: %s is a web address */
                   _("Too many redirects (at %s)"), current);
      return FALSE;
    }

  g_debug ("%s: %u, following to %s", current, status, next);
  if (!probe_send (task, next))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address"), next);
      return FALSE;
    }
  return TRUE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  LabHttpProbeResult *result = probe->result;
  g_autoptr(GError) error = NULL;
  GUri *uri;

  probe->body = soup_session_send_finish (SOUP_SESSION (source), res, &error);
  if (probe->body == NULL)
    {
      probe_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (probe_redirect (task, &error))
    return;
  if (error != NULL)
    {
      probe_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&result->reason_phrase, g_free);
  result->status = soup_message_get_status (probe->message);
  result->reason_phrase = g_strdup (soup_message_get_reason_phrase (probe->message));
  uri = soup_message_get_uri (probe->message);
  result->final_url = g_uri_to_string (uri);
  result->redirected = g_strcmp0 (result->final_url, result->url) != 0;
  result->tls = soup_message_get_tls_peer_certificate (probe->message) != NULL;
  if (result->tls)
    result->tls_errors |= soup_message_get_tls_peer_certificate_errors (probe->message);

  g_debug ("%s: %u %s from %s", result->url, result->status,
           result->reason_phrase != NULL ? result->reason_phrase : "", result->final_url);

  if (result->offsite_redirect != NULL)
    {
      /* Nothing of the redirect's own body is the unikernel's page. */
      probe_complete (task);
      return;
    }

  probe->buffer = g_malloc (LAB_HTTP_PROBE_MAX_BODY);
  g_input_stream_read_all_async (probe->body, probe->buffer, LAB_HTTP_PROBE_MAX_BODY,
                                 G_PRIORITY_DEFAULT, probe->cancellable,
                                 on_body_read, g_steal_pointer (&task));
}

/**
 * lab_http_probe_async:
 * @url_or_ip: a URL or a bare host (see lab_http_probe_normalize_url())
 * @timeout_ms: how long the whole probe may take, in milliseconds; more than 0
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the probe is done
 * @user_data: data for @callback
 *
 * GETs @url_or_ip, following redirects on the same host (see lab_http_probe_same_host();
 * one to another host ends the probe with its target in offsite_redirect) and accepting
 * an untrusted certificate for this request only, and reads the start of the page for its
 * title.
 */
void
lab_http_probe_async (const char          *url_or_ip,
                      guint                timeout_ms,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Probe *probe;

  g_return_if_fail (url_or_ip != NULL);
  g_return_if_fail (timeout_ms > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_http_probe_async);
  g_task_set_name (task, "[lab-http-probe] probe");

  probe = g_new0 (Probe, 1);
  probe->timeout_ms = timeout_ms;
  probe->result = g_new0 (LabHttpProbeResult, 1);
  probe->cancellable = g_cancellable_new ();
  g_set_object (&probe->user_cancellable, cancellable);
  g_task_set_task_data (task, probe, probe_free);

  url = lab_http_probe_normalize_url (url_or_ip, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  probe->result->url = g_strdup (url);

  if (g_task_return_error_if_cancelled (task))
    return;

  probe->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                  "timeout", (timeout_ms + 999) / 1000 + 1,
                                                  NULL);
  soup_session_set_proxy_resolver (probe->session, NULL);

  probe->timeout_source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (probe->timeout_source, on_timeout, probe, NULL);
  g_source_set_static_name (probe->timeout_source, "[lab-http-probe] timeout");
  g_source_attach (probe->timeout_source, g_task_get_context (task));

  if (cancellable != NULL)
    probe->user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled),
                                                   g_object_ref (probe->cancellable),
                                                   g_object_unref);

  if (!probe_send (task, url))
    {
      probe_stop_timers (probe);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a web address"), url);
    }
}

/**
 * lab_http_probe_finish:
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Fails when no HTTP response arrived: %G_IO_ERROR_INVALID_ARGUMENT for a bad address,
 * %G_IO_ERROR_TIMED_OUT when the timeout expired first, %G_IO_ERROR_CANCELLED when the
 * caller cancelled, otherwise the connection or TLS error from GIO/libsoup (such as
 * %G_IO_ERROR_CONNECTION_REFUSED). Any HTTP status, 404 and 500 included, is a result.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 */
LabHttpProbeResult *
lab_http_probe_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lab_http_probe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
