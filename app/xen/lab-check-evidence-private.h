/* lab-check-evidence-private.h: what the pieces of the host check's evaluation share
 * (lab-check-evidence.c, the scripts, their sections and the Xen and build rows;
 * lab-check-network.c, the network rows)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-check-evidence.h"

G_BEGIN_DECLS

/* lab-check-evidence.c: reading the sections */
const char *_lab_check_root_section        (const LabCheckEvidence *e,
                                            const char             *name);
char       *_lab_check_section_with_status (const char             *section,
                                            int                    *status);
GPtrArray  *_lab_check_values_of           (const char             *section,
                                            const char             *key);
char       *_lab_check_value_of            (const char             *section,
                                            const char             *key);
char       *_lab_check_shell_word          (const char             *text);
/* FALSE (and @result says why) when the root script did not run. */
gboolean    _lab_check_need_root           (const LabCheckEvidence *e,
                                            LabCheckResult         *result);

/* lab-check-network.c: the network rows */
void        _lab_check_evaluate_bridge     (const LabCheckEvidence *e,
                                            LabCheckResult         *result);
void        _lab_check_evaluate_dnsmasq    (const LabCheckEvidence *e,
                                            LabCheckResult         *result);
void        _lab_check_evaluate_leases     (const LabCheckEvidence *e,
                                            LabCheckResult         *result);
void        _lab_check_evaluate_promisc    (const LabCheckEvidence *e,
                                            LabCheckResult         *result);

G_END_DECLS
