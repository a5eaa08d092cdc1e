/* lab-setup-facts.h — small facts about the tools the setup drives: versions, mirage's DHCP
 * flag, which dom0 interface has a MAC, and what a failed command's output means
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  guint major, minor, patch;
} LabVersion;

/* The first version number in @text: "v4.11.1", "4.10.5\n", "2.1.2", "2.0.0~beta",
 * "The OCaml toplevel, version 4.14.1", "mirage 2.0.0", "2.2" (patch 0). FALSE when none
 * (a version needs at least MAJOR.MINOR). */
gboolean      lab_version_parse          (const char       *text,
                                          LabVersion       *version);
/* <0, 0, >0 like strcmp, against major.minor.patch. */
int           lab_version_compare        (const LabVersion *version,
                                          guint             major,
                                          guint             minor,
                                          guint             patch);
/* "4.11.1" */
char         *lab_version_to_string      (const LabVersion *version);

/* The argv of `mirage configure` for a Xen unikernel that gets its address by DHCP, for the
 * installed mirage version (setup-recipes.md §0.3, §1.5, §7):
 *   < 3.0.0          : { "env", "DHCP=true", "mirage", "configure", "--xen" }
 *   3.0.0 – 4.10.4   : { "mirage", "configure", "-t", "xen", "--dhcp", "true" }
 *   4.10.5 – 4.10.6  : { "mirage", "configure", "-t", "xen" }      (DHCP default true)
 *   >= 4.11.0        : { "mirage", "configure", "-t", "xen" }      (DHCP default; --no-dhcp)
 * @why (nullable) gets one translatable sentence saying why, naming the version. */
char        **lab_mirage_configure_argv  (const LabVersion *mirage,
                                          char            **why);

/* The interface name in `ip -o link` output whose link/ether address is @mac. @mac may be
 * VirtualBox's form "080027AABBCC" (12 hex digits, any case) or "08:00:27:aa:bb:cc" (also
 * with '-'). "lo" is ignored; "vif3.0@if2" gives "vif3.0". A bridge copies a port's MAC, so
 * when both a bridge (an interface that is another line's "master") and a NIC match, the NIC
 * wins. G_IO_ERROR_NOT_FOUND (naming the MAC and the interfaces seen) when none matches;
 * G_IO_ERROR_INVALID_ARGUMENT when @mac is not a MAC. */
char         *lab_interface_for_mac      (const char       *ip_link_output,
                                          const char       *mac,
                                          GError          **error);

/* Causes a user can act on, read from a failed command's output (stdout+stderr). */
typedef enum
{
  LAB_SETUP_CAUSE_NONE,
  LAB_SETUP_CAUSE_OFFLINE,      /* DNS/connect failures of apt, opam, curl, wget, git */
  LAB_SETUP_CAUSE_SANDBOX,      /* opam's bubblewrap sandbox fails (Ubuntu 24.04 userns) */
  LAB_SETUP_CAUSE_DPKG_LOCKED,  /* "Could not get lock /var/lib/dpkg/lock-frontend" etc. */
  LAB_SETUP_CAUSE_NO_SPACE,     /* "No space left on device" */
} LabSetupCause;

/* @meaning/@fix (nullable) get a translatable sentence each: what the output means (for
 * OFFLINE naming what could not be reached, when the output says) and what to do (may name
 * a command). Both are set to NULL for LAB_SETUP_CAUSE_NONE. When several causes show, the
 * first of NO_SPACE, DPKG_LOCKED, SANDBOX, OFFLINE wins. */
LabSetupCause lab_setup_diagnose_output  (const char       *output,
                                          char            **meaning,
                                          char            **fix);

G_END_DECLS
