/* lab-lease.h — the dnsmasq lease file (/var/lib/misc/dnsmasq.leases)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The ARP hardware type dnsmasq writes without a "NN-" prefix. */
#define LAB_LEASE_HW_TYPE_ETHER 1

/* One DHCPv4 lease, as dnsmasq's src/lease.c writes it:
 *   <expiry epoch, 0 = infinite> <hwaddr> <IPv4> <hostname or *> <client-id or *>
 * A hardware address that is not Ethernet (or is empty) carries a "<type>-" prefix. */
typedef struct
{
  gint64    expiry;       /* seconds since the epoch; 0 when infinite */
  gboolean  infinite;
  guint     hw_type;      /* LAB_LEASE_HW_TYPE_ETHER unless the file said "NN-" */
  char     *mac;          /* lowercase colon hex, without the "NN-" prefix ("" if empty) */
  char     *ip;           /* strict dotted quad */
  char     *hostname;     /* NULL for "*"; always valid UTF-8 */
  char     *client_id;    /* lowercase colon hex; NULL for "*" or when malformed */
  guint     line;         /* 1-based line number in the file */
} LabLease;

#define LAB_TYPE_LEASE (lab_lease_get_type ())

GType     lab_lease_get_type      (void) G_GNUC_CONST;
LabLease *lab_lease_copy          (const LabLease *lease);
void      lab_lease_free          (LabLease       *lease);
gboolean  lab_lease_is_expired    (const LabLease *lease,
                                   gint64          now);

gboolean  lab_lease_file_parse    (const char     *text,
                                   gsize           len,
                                   GPtrArray     **leases,
                                   GPtrArray     **warnings);
LabLease *lab_lease_find_for_mac  (GPtrArray      *leases,
                                   const char     *mac,
                                   gint64          now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabLease, lab_lease_free)

G_END_DECLS
