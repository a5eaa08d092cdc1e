/* lab-check-evidence.h — what "Check this host" gathers from dom0, and what it concludes
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "lab-check-result.h"

G_BEGIN_DECLS

/* Pure functions (no I/O): LabHostCheck fills a LabCheckEvidence from the outputs of two
 * remote scripts (one as root, one as the build user), the domains the connection knows
 * and its own connection attempts, then asks lab_check_evidence_evaluate() for each row.
 *
 * The scripts print sections: a line "@@check:NAME" followed by the section's text. They
 * are constant text run as `sh -c SCRIPT sh ARGS...`: every variable part is an argument,
 * quoted by the SSH layer, never pasted into the script. */

/* Root: $1 = the bridge, $2 = the dnsmasq lease file. */
extern const char lab_check_root_script[];
/* The build user, through its SSH command environment (no login shell). */
extern const char lab_check_user_script[];

/* "@@check:NAME" sections of @text: NAME → text (without the marker line). */
GHashTable *lab_check_parse_sections (const char *text);

typedef struct
{
  char      *name;
  char     **macs;          /* lowercase; may be empty */
  gint64     uptime_s;      /* -1 = unknown */
  gboolean   static_ip;     /* --ipv4= in its cmdline: no DHCP expected */
} LabCheckDomain;

LabCheckDomain *lab_check_domain_new  (const char         *name,
                                       const char * const *macs,
                                       gint64              uptime_s,
                                       gboolean            static_ip);
void            lab_check_domain_free (LabCheckDomain     *domain);

typedef enum
{
  LAB_CHECK_REACH_UNKNOWN,   /* not tried */
  LAB_CHECK_REACH_YES,       /* connected, or refused: packets went both ways */
  LAB_CHECK_REACH_NO,        /* timed out or unreachable */
  LAB_CHECK_REACH_NOT_LOCAL, /* not tried: on no link of this computer, so the packets
                              * would leave through its default route */
} LabCheckReach;

typedef struct
{
  /* Settings */
  char        *bridge;            /* "br0" */
  char        *leases_path;
  guint        lease_timeout_s;   /* a running domain without a lease after this long fails */
  gint64       now;               /* seconds since the epoch, for lease expiry */
  gboolean     direct_probes;     /* FALSE: this computer does not talk to the bridge */

  /* Sections of the root script's output (NULL when it did not run); its failure. */
  GHashTable  *root;
  char        *root_error;
  /* Sections of the user script's output; its failure. */
  GHashTable  *user;
  char        *user_error;

  /* From the connection */
  GPtrArray   *domains;           /* LabCheckDomain, running domains except Domain-0 */
  GPtrArray   *legacy_configs;    /* char *, paths of configs with builder = 'linux' */
  guint        n_configs;         /* configs known in all */

  /* Direct connections from this computer: IP → LabCheckReach (GINT_TO_POINTER) */
  GHashTable  *reach;
} LabCheckEvidence;

LabCheckEvidence *lab_check_evidence_new      (void);
void              lab_check_evidence_free     (LabCheckEvidence *evidence);

/* The bridge's IPv4 addresses (from the root script), e.g. "192.168.56.5". */
GStrv             lab_check_evidence_bridge_addresses (const LabCheckEvidence *evidence);
/* The running domains that have a current lease: "name" → IP. */
GHashTable       *lab_check_evidence_leased_ips (const LabCheckEvidence *evidence);
/* xen_major/xen_minor from `xl info`; FALSE when unknown. */
gboolean          lab_check_evidence_xen_version (const LabCheckEvidence *evidence,
                                                  int                    *major,
                                                  int                    *minor);

/* Decides @result (whose id says which check) from @evidence. */
void              lab_check_evidence_evaluate (const LabCheckEvidence *evidence,
                                               LabCheckResult         *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabCheckEvidence, lab_check_evidence_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabCheckDomain, lab_check_domain_free)

G_END_DECLS
