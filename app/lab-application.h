/* lab-application.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-host-connection.h"
#include "xen/lab-host-store.h"

G_BEGIN_DECLS

#define LAB_TYPE_APPLICATION (lab_application_get_type ())

G_DECLARE_FINAL_TYPE (LabApplication, lab_application, LAB, APPLICATION, AdwApplication)

LabApplication *lab_application_new          (void);
GSettings      *lab_application_get_settings (LabApplication *self);
LabHostStore   *lab_application_get_host_store (LabApplication *self);
/* The run-time side of a saved host, made on first use and kept while the host exists. */
LabHostConnection *lab_application_get_connection (LabApplication *self,
                                                   LabHost        *host);
/* Why the saved hosts could not be loaded at start-up, or NULL. */
const char     *lab_application_get_load_error (LabApplication *self);
char           *lab_application_dup_notification_body (LabHost   *host,
                                                       LabDomain *domain,
                                                       gboolean   crashed);

G_END_DECLS
