/* lab-check-result.h — one row of "Check this host": a classic failure, its evidence, the fix
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
  LAB_CHECK_STATUS_PENDING,    /* not looked at yet, or being looked at */
  LAB_CHECK_STATUS_OK,
  LAB_CHECK_STATUS_WARNING,
  LAB_CHECK_STATUS_FAILED,
  LAB_CHECK_STATUS_SKIPPED,    /* could not be decided (the evidence says why) */
} LabCheckStatus;

GType       lab_check_status_get_type      (void) G_GNUC_CONST;
#define LAB_TYPE_CHECK_STATUS (lab_check_status_get_type ())

const char *lab_check_status_to_string     (LabCheckStatus status);
const char *lab_check_status_get_icon_name (LabCheckStatus status);

/* The checks, in the order they are shown. */
#define LAB_CHECK_XEN             "xen"
#define LAB_CHECK_XENSTORED       "xenstored"
#define LAB_CHECK_XENCONSOLED     "xenconsoled"
#define LAB_CHECK_BRIDGE          "bridge"
#define LAB_CHECK_DNSMASQ         "dnsmasq"
#define LAB_CHECK_LEASES          "leases"
#define LAB_CHECK_PROMISC         "promisc"
#define LAB_CHECK_OPAM            "opam"
#define LAB_CHECK_LEGACY_BUILDER  "legacy-builder"
#define LAB_CHECK_PVH             "pvh"

#define LAB_TYPE_CHECK_RESULT (lab_check_result_get_type ())
G_DECLARE_FINAL_TYPE (LabCheckResult, lab_check_result, LAB, CHECK_RESULT, GObject)

/* A pending row for check @id (one of LAB_CHECK_*). */
LabCheckResult  *lab_check_result_new             (const char     *id);
/* Every check id, in display order (NULL-terminated, static). */
const char * const *lab_check_result_all_ids      (void);

const char      *lab_check_result_get_id          (LabCheckResult *self);
/* What is checked, for the user ("Booted into Xen"). */
const char      *lab_check_result_get_title       (LabCheckResult *self);
LabCheckStatus   lab_check_result_get_status      (LabCheckResult *self);
/* What was seen (file contents, processes, lines): why the status is what it is. */
const char      *lab_check_result_get_evidence    (LabCheckResult *self);
/* What to do about it, in words; NULL when nothing is to be done. */
const char      *lab_check_result_get_fix         (LabCheckResult *self);
/* A command line the user can copy and run on dom0 (or this computer for VirtualBox), or
 * NULL. Shown, never run by the check. */
const char      *lab_check_result_get_fix_command (LabCheckResult *self);

/* Sets everything at once (one notify each for what changed). */
void             lab_check_result_set             (LabCheckResult *self,
                                                   LabCheckStatus  status,
                                                   const char     *evidence,
                                                   const char     *fix,
                                                   const char     *fix_command);
void             lab_check_result_reset           (LabCheckResult *self);

G_END_DECLS
