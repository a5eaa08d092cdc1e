/* lab-domain-wait.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "xen/lab-domain.h"

G_BEGIN_DECLS

/* Whether @domain is as a waiter wants it (@data: the waiter's, given to the wait). */
typedef gboolean (*LabDomainReady) (LabDomain     *domain,
                                    gconstpointer  data);

/* Completes once @ready (@domain, @ready_data) holds: at once, or at a change of @property (the
 * domain list updates its domains in place, at a poll). Fails with G_IO_ERROR_TIMED_OUT
 * when it does not hold within @timeout_ms, or with G_IO_ERROR_CANCELLED. */
void     lab_domain_wait_async  (LabDomain            *domain,
                                 const char           *property,
                                 LabDomainReady        ready,
                                 gconstpointer         ready_data,
                                 guint                 timeout_ms,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
gboolean lab_domain_wait_finish (LabDomain            *domain,
                                 GAsyncResult         *result,
                                 GError              **error);

/* Readiness tests for lab_domain_wait_async. */
gboolean lab_domain_is_stopped  (LabDomain            *domain,
                                 gconstpointer         unused);

G_END_DECLS
