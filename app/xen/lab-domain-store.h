/* lab-domain-store.h — the domains of one dom0, as a GListModel of LabDomain
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "xen/lab-domain.h"

G_BEGIN_DECLS

#define LAB_TYPE_DOMAIN_STORE (lab_domain_store_get_type ())

G_DECLARE_FINAL_TYPE (LabDomainStore, lab_domain_store, LAB, DOMAIN_STORE, GObject)

LabDomainStore *lab_domain_store_new          (void);
LabDomain      *lab_domain_store_lookup       (LabDomainStore *self,
                                               const char     *name);
/* Every MAC in use or promised on the host (lower case): the running domains' and those
 * their configs name. */
GStrv           lab_domain_store_dup_macs     (LabDomainStore *self);
/* Reconciles the store with one poll: @running holds LabXlDomainInfo (from
 * lab_xl_parse_list + lab_xl_merge), @configs holds the LabXlConfig found on dom0, or is
 * NULL to keep the configs known so far. Existing LabDomain objects are updated in place
 * so that list selection and bindings survive; rows are only added or removed when a
 * domain appears or goes away for good.
 *
 * Emits ::domain-crashed when a domain turns crashed and ::domain-vanished when a running
 * domain is no longer listed. */
void            lab_domain_store_update       (LabDomainStore *self,
                                               GPtrArray      *running,
                                               GPtrArray      *configs,
                                               gint64          now_us);

G_END_DECLS
