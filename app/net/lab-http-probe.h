/* lab-http-probe.h — is a unikernel's web server answering, and with which page?
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The probe reads at most this much of the page, to find its <title>. */
#define LAB_HTTP_PROBE_MAX_BODY (64 * 1024)

typedef struct
{
  guint                 status;           /* HTTP status of the final response */
  char                 *reason_phrase;    /* e.g. "OK"; may be NULL */
  char                 *url;              /* the URL probed */
  char                 *final_url;        /* after redirects */
  char                 *title;            /* page <title>, decoded and trimmed; may be NULL */
  gboolean              redirected;       /* final_url differs from url */
  gboolean              tls;              /* the final response came over TLS */
  gboolean              tls_self_signed;  /* an untrusted (self-signed) certificate was accepted,
                                           * for this probe only */
  GTlsCertificateFlags  tls_errors;       /* what was wrong with the accepted certificate */
  char                 *error_message;    /* reading the page failed after the headers arrived
                                           * (e.g. timed out); translated; may be NULL */
  char                 *offsite_redirect; /* where a redirect to another host pointed; it
                                           * was not followed (status is the redirect's) */
} LabHttpProbeResult;

#define LAB_TYPE_HTTP_PROBE_RESULT (lab_http_probe_result_get_type ())

GType               lab_http_probe_result_get_type (void) G_GNUC_CONST;
LabHttpProbeResult *lab_http_probe_result_copy     (const LabHttpProbeResult *result);
void                lab_http_probe_result_free     (LabHttpProbeResult       *result);

void                lab_http_probe_async           (const char               *url_or_ip,
                                                    guint                     timeout_ms,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data);
LabHttpProbeResult *lab_http_probe_finish          (GAsyncResult             *result,
                                                    GError                  **error);

char               *lab_http_probe_normalize_url   (const char               *url_or_ip,
                                                    GError                  **error);
gboolean            lab_http_probe_same_host       (const char               *from_url,
                                                    const char               *to_url);
char               *lab_http_probe_extract_title   (const char               *body,
                                                    gsize                     len,
                                                    const char               *charset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabHttpProbeResult, lab_http_probe_result_free)

G_END_DECLS
