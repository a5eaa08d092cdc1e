/* fuzz-elf-notes.c — a unikernel image's Xen ELF notes
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any bytes: read without going past them, and a type given only for a Xen image.
 */

#include "config.h"

#include "fuzz-common.h"
#include "xen/lab-elf-notes.h"

FUZZ_DEFINE_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree guint8 *copy = size > 0 ? g_memdup2 (data, size) : NULL;
  LabElfBoot boot = lab_elf_read_boot (copy, size);
  const char *type = lab_elf_boot_domain_type (boot);

  FUZZ_ASSERT ((type != NULL) == ((boot & LAB_ELF_BOOT_XEN) != 0));
  FUZZ_ASSERT (!(boot & (LAB_ELF_BOOT_PV | LAB_ELF_BOOT_PVH)) || (boot & LAB_ELF_BOOT_XEN));
  FUZZ_ASSERT (!lab_elf_boot_refuses_type (boot, "pv"));
  FUZZ_ASSERT (lab_elf_boot_refuses_type (boot, "pvh") == g_str_equal (type ?: "", "pv"));
  return 0;
}
