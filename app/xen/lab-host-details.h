/* lab-host-details.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

#define LAB_TYPE_HOST_DETAILS (lab_host_details_get_type ())

G_DECLARE_FINAL_TYPE (LabHostDetails, lab_host_details, LAB, HOST_DETAILS, GObject)

/* What dom0 says about itself: from what `xl info` printed (@xl_info) and the names of its
 * bridges, one a line (@bridges; either may be NULL). Both come from dom0: a value that does
 * not have the shape it should is left out, never shown as it came. */
LabHostDetails     *lab_host_details_new_from_output (const char         *xl_info,
                                                      const char         *bridges);

/* "4.17.7", or NULL when `xl info` did not say. */
const char         *lab_host_details_get_xen_version (LabHostDetails     *self);
/* dom0's host name, valid UTF-8, or NULL. */
const char         *lab_host_details_get_dom0_name   (LabHostDetails     *self);
/* MiB, -1 when unknown. */
gint64              lab_host_details_get_total_memory (LabHostDetails    *self);
gint64              lab_host_details_get_free_memory (LabHostDetails     *self);
/* Physical CPUs Xen has, -1 when unknown. */
int                 lab_host_details_get_n_cpus      (LabHostDetails     *self);
/* `virt_caps` ("pv", "hvm", "hap"…), never NULL. */
const char * const *lab_host_details_get_virt_caps   (LabHostDetails     *self);
gboolean            lab_host_details_has_virt_cap    (LabHostDetails     *self,
                                                      const char         *cap);
/* dom0's bridges, sorted, never NULL. */
const char * const *lab_host_details_get_bridges     (LabHostDetails     *self);

/* Asks dom0 over @connection's session: `xl info` (as root) and its bridges. Fails when
 * the host is not connected or `xl info` fails. */
void                lab_host_details_fetch_async     (LabHostConnection  *connection,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
LabHostDetails     *lab_host_details_fetch_finish    (LabHostConnection  *connection,
                                                      GAsyncResult       *result,
                                                      GError            **error);

G_END_DECLS
