/* lab-fixture.h — GTest helper that starts a dom0 lab (fast or real Xen) for a test
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Implements the C side of the lab contract (/work/notes/contract.md, tests/lab/README.md):
 * the lab executable is tests/lab/mlab (MIRAGE_LAB_KIND=fast, the default) or
 * tests/xen-lab/xenlab (MIRAGE_LAB_KIND=xen). lab_fixture_up() runs `LAB up` in a fresh temp
 * dir with --owner-pid getpid() and parses DIR/lab.env; lab_fixture_down() runs `LAB down`
 * and removes the dir.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LabFixture LabFixture;

gboolean     lab_fixture_available    (char              **skip_reason);
LabFixture  *lab_fixture_up           (const char         *sudo_mode,
                                       GError            **error);
void         lab_fixture_down         (LabFixture         *lab);
gboolean     lab_fixture_exec         (LabFixture         *lab,
                                       const char * const *argv,
                                       char              **out,
                                       int                *status,
                                       GError            **error);
gboolean     lab_fixture_sshd_stop    (LabFixture         *lab,
                                       GError            **error);
gboolean     lab_fixture_sshd_start   (LabFixture         *lab,
                                       GError            **error);
const char  *lab_fixture_get          (LabFixture         *lab,
                                       const char         *key);
const char  *lab_fixture_kind         (void);
void         lab_fixture_skip_or_fail (const char         *reason);

/* Extras (not in the contract, but handy): */

/* The lab executable for the current kind (absolute path). */
const char  *lab_fixture_program      (void);
/* Runs a shell command line as root in dom0 (`sh -c SCRIPT`), like lab_fixture_exec. */
gboolean     lab_fixture_exec_sh      (LabFixture         *lab,
                                       const char         *script,
                                       char              **out,
                                       int                *status,
                                       GError            **error);
/* The lab dir (same as lab_fixture_get (lab, "LAB_DIR")). */
const char  *lab_fixture_dir          (LabFixture         *lab);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabFixture, lab_fixture_down)

G_END_DECLS
