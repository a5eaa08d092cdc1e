/* lab-config-check.h — what is wrong with a config before it is saved
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "xen/lab-domain.h"
#include "xen/lab-host-connection.h"
#include "xen/lab-xl-config.h"

G_BEGIN_DECLS

/* Checks @config, to be saved over @replacing's config (NULL: a new domain's), on the host
 * of @connection: the kernel it names is a readable file on dom0, the bridges of its vifs
 * exist there, its MACs are no other domain's, and its memory fits in what Xen has free
 * (with what @replacing holds while it runs). Finishes with what is wrong, as sentences for
 * the user (empty when nothing is). */
void   lab_config_check_async  (LabHostConnection   *connection,
                                LabXlConfig         *config,
                                LabDomain           *replacing,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
GStrv  lab_config_check_finish (LabHostConnection   *connection,
                                GAsyncResult        *result,
                                GError             **error);

/* The bridges @config's vifs name, in order, each once ("xenbr0", xl's default, for a vif
 * that names none). */
GStrv  lab_config_check_dup_bridges (LabXlConfig    *config);

G_END_DECLS
