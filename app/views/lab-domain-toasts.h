/* lab-domain-toasts.h — what the window says about a domain, in a toast
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-domain.h"

G_BEGIN_DECLS

AdwToast *lab_domain_toast_new_ended          (LabDomain  *domain,
                                               gboolean    output_kept);
AdwToast *lab_domain_toast_new_shutdown_asked (LabDomain  *domain);
AdwToast *lab_domain_toast_new_failed         (LabDomain  *domain,
                                               const char *why);

G_END_DECLS
