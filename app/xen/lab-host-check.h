/* lab-host-check.h — "Check this host": looks for the classic failures of a dom0
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ssh/lab-ssh-session.h"
#include "lab-check-result.h"
#include "lab-domain-store.h"

G_BEGIN_DECLS

/* Runs every check of lab-check-result.h against a dom0 over an open LabSshSession: two
 * remote commands (one script as root through sudo, one as the login user, both constant
 * text with the variable parts as quoted arguments), plus a few TCP connection attempts from
 * this computer for the promiscuous-mode symptom. The results are a GListModel of
 * LabCheckResult, one per check, always in the same order; their properties change while a
 * run goes on. No GTK: the setup wizard can run it on its own session and read single rows
 * with lab_host_check_lookup().
 *
 * Settings (before running): bridge (default "br0"), leases-path (dnsmasq's lease file on
 * dom0, default /var/lib/misc/dnsmasq.leases), lease-timeout (s, default 30: a running
 * domain without a lease after this long is a failure), direct-probes (default TRUE; FALSE
 * when this computer must not send packets to the bridge's network). */
#define LAB_TYPE_HOST_CHECK (lab_host_check_get_type ())
G_DECLARE_FINAL_TYPE (LabHostCheck, lab_host_check, LAB, HOST_CHECK, GObject)

LabHostCheck   *lab_host_check_new                (void);
/* LabCheckResult items, in the order of lab_check_result_all_ids(). */
GListModel     *lab_host_check_get_results        (LabHostCheck        *self);
LabCheckResult *lab_host_check_lookup             (LabHostCheck        *self,
                                                   const char          *id);
gboolean        lab_host_check_get_running        (LabHostCheck        *self);

void            lab_host_check_set_bridge         (LabHostCheck        *self,
                                                   const char          *bridge);
void            lab_host_check_set_leases_path    (LabHostCheck        *self,
                                                   const char          *path);
void            lab_host_check_set_lease_timeout  (LabHostCheck        *self,
                                                   guint                seconds);
void            lab_host_check_set_direct_probes  (LabHostCheck        *self,
                                                   gboolean             direct_probes);

/* Checks the host behind @session (connected). @domains (nullable) are the domains known
 * for it: its running domains are checked for leases and traffic, its configs for
 * builder = 'linux'. Fails (G_IO_ERROR_NOT_CONNECTED) only when there is no session to use;
 * everything else ends up in the rows. Every row is pending until the run ends. */
void            lab_host_check_run_async          (LabHostCheck        *self,
                                                   LabSshSession       *session,
                                                   LabDomainStore      *domains,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        lab_host_check_run_finish         (LabHostCheck        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
