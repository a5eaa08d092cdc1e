/* lab-net-util.h — small address helpers shared by the IP discovery code
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "255.255.255.255" plus the terminating NUL. */
#define LAB_IPV4_STR_MAX 16

gboolean  lab_ipv4_scan          (const char *str,
                                  gsize       len,
                                  gsize      *consumed,
                                  char        out[LAB_IPV4_STR_MAX]);
gboolean  lab_ipv4_is_valid      (const char *str);
int       lab_ipv4_netmask_to_prefix (const char *netmask);
int       lab_prefix_length_scan (const char *str,
                                  gsize       len,
                                  gsize      *consumed);
char     *lab_mac_normalize      (const char *mac);

G_END_DECLS
