/* lab-local-net.h — is an address on a network this computer is attached to?
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One IPv4 address of one of this computer's interfaces, as getifaddrs(3) gives it. */
typedef struct
{
  const char *name;       /* "enp0s8", "lo" */
  const char *address;    /* dotted quad */
  const char *netmask;    /* dotted quad, contiguous */
  gboolean    loopback;   /* IFF_LOOPBACK */
} LabLocalInterface;

gboolean  lab_ipv4_in_network               (const char              *address,
                                             const char              *network,
                                             int                      prefix);
char     *lab_ipv4_network_of               (const char              *address,
                                             int                      prefix);
gboolean  lab_ipv4_cidr_contains            (const char              *cidr,
                                             const char              *address);
GStrv     lab_ip_addr_parse_inet            (const char              *text);
gboolean  lab_local_net_match               (const char              *address,
                                             const LabLocalInterface *interfaces,
                                             gsize                    n_interfaces,
                                             char                   **network);
/* A network device name as Linux takes it: 1 to 15 bytes of text, no blank, control
 * character, "/" or ":", not "." or "..", and not starting with "-" (names reach
 * commands on dom0 as arguments). */
gboolean  lab_net_device_name_is_valid      (const char              *name);
gboolean  lab_local_net_is_on_link          (const char              *address,
                                             char                   **network);

G_END_DECLS
