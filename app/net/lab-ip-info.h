/* lab-ip-info.h — a unikernel's address, combined from its sources with provenance
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  LAB_IP_SOURCE_NONE,     /* no address known */
  LAB_IP_SOURCE_LEASE,    /* dnsmasq lease for the domain's MAC */
  LAB_IP_SOURCE_CONSOLE,  /* a line on the domain's console */
  LAB_IP_SOURCE_STATIC,   /* --ipv4= in the domain's boot arguments */
} LabIpSource;

#define LAB_TYPE_IP_SOURCE (lab_ip_source_get_type ())
GType       lab_ip_source_get_type        (void) G_GNUC_CONST;
const char *lab_ip_source_get_description (LabIpSource source);

#define LAB_TYPE_IP_INFO (lab_ip_info_get_type ())

G_DECLARE_FINAL_TYPE (LabIpInfo, lab_ip_info, LAB, IP_INFO, GObject)

LabIpInfo   *lab_ip_info_new             (void);
const char  *lab_ip_info_get_ip          (LabIpInfo   *self);
LabIpSource  lab_ip_info_get_source      (LabIpInfo   *self);
const char  *lab_ip_info_get_description (LabIpInfo   *self);
gboolean     lab_ip_info_get_conflict    (LabIpInfo   *self);
const char  *lab_ip_info_get_candidate   (LabIpInfo   *self,
                                          LabIpSource  source);
void         lab_ip_info_update_console  (LabIpInfo   *self,
                                          const char  *ip);
void         lab_ip_info_update_lease    (LabIpInfo   *self,
                                          const char  *ip);
void         lab_ip_info_update_static   (LabIpInfo   *self,
                                          const char  *ip);
void         lab_ip_info_clear           (LabIpInfo   *self);

G_END_DECLS
