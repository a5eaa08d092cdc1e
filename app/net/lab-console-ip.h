/* lab-console-ip.h — find a unikernel's IPv4 address in its console output
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Which console line gave the address. */
typedef enum
{
  /* charrua >= 1.0 (source dhcp_client_lwt):
   *   "Lease obtained! IP: 192.168.56.150, routers: 192.168.56.5"
   * and charrua-client-mirage 0.x (source dhcp_client):
   *   "Lease obtained! IP 192.168.56.150 network 192.168.56.0/24 gateway 192.168.56.5" */
  LAB_CONSOLE_IP_KIND_DHCP_LEASE,
  /* mirage-tcpip (source tcpip-stack-direct), DHCP or static:
   *   "Dual TCP/IP stack assembled: mac=00:16:3e:5a:01:02,ip=192.168.56.150/24, fe80::…/64"
   *   "stack assembled: mac=…,ip=10.0.0.2" (IPv4-only stacks, mirage-tcpip < 7) */
  LAB_CONSOLE_IP_KIND_STACK,
  /* mirage-tcpip 2.x (2015):
   *   "DHCP offer received and bound to 192.168.56.178 nm 255.255.255.0 gw [192.168.56.5]" */
  LAB_CONSOLE_IP_KIND_LEGACY_DHCP,
} LabConsoleIpKind;

#define LAB_TYPE_CONSOLE_IP_KIND (lab_console_ip_kind_get_type ())
GType lab_console_ip_kind_get_type (void) G_GNUC_CONST;

/* Longest console line examined; a longer line is dropped up to its end. */
#define LAB_CONSOLE_IP_MAX_LINE (64 * 1024)

#define LAB_TYPE_CONSOLE_IP_SCANNER (lab_console_ip_scanner_get_type ())

G_DECLARE_FINAL_TYPE (LabConsoleIpScanner, lab_console_ip_scanner, LAB, CONSOLE_IP_SCANNER,
                      GObject)

LabConsoleIpScanner *lab_console_ip_scanner_new               (void);
void                 lab_console_ip_scanner_feed              (LabConsoleIpScanner *self,
                                                               const guint8        *data,
                                                               gsize                len);
void                 lab_console_ip_scanner_flush             (LabConsoleIpScanner *self);
void                 lab_console_ip_scanner_reset             (LabConsoleIpScanner *self);
const char          *lab_console_ip_scanner_get_ip            (LabConsoleIpScanner *self);
int                  lab_console_ip_scanner_get_prefix_length (LabConsoleIpScanner *self);
const char          *lab_console_ip_scanner_get_mac           (LabConsoleIpScanner *self);
LabConsoleIpKind     lab_console_ip_scanner_get_kind          (LabConsoleIpScanner *self);

char                *lab_console_ip_clean_line                (const char          *raw,
                                                               gsize                len);
gboolean             lab_console_ip_scan_line                 (const char          *line,
                                                               char               **ip,
                                                               int                 *prefix_length,
                                                               char               **mac,
                                                               LabConsoleIpKind    *kind);
gboolean             lab_console_ip_line_is_boot_banner       (const char          *line);

G_END_DECLS
