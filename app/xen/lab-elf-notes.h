/* lab-elf-notes.h — what a unikernel image's Xen ELF notes say about how it boots
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How an image can boot under Xen, from its Xen ELF notes. */
typedef enum
{
  LAB_ELF_BOOT_UNKNOWN = 0,      /* not an ELF image, or no Xen note in the bytes read */
  LAB_ELF_BOOT_XEN     = 1 << 0, /* it has Xen notes */
  LAB_ELF_BOOT_PV      = 1 << 1, /* a PV entry point (XEN_ELFNOTE_ENTRY) */
  LAB_ELF_BOOT_PVH     = 1 << 2, /* a PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY) */
} LabElfBoot;

/* Reads the Xen notes in the first @length bytes of an image. Reads only inside @data,
 * whatever the headers claim. */
LabElfBoot  lab_elf_read_boot         (const guint8 *data,
                                       gsize         length);
/* The domain type to give such an image: "pvh" when it has a PVH entry, "pv" when only a PV
 * one (or Xen notes without either), NULL when unknown (a Linux bzImage, say). */
const char *lab_elf_boot_domain_type  (LabElfBoot    boot);
/* Whether a domain of @type ("pv", "pvh"; NULL is xl's default, PV) cannot boot an image
 * with @boot: Xen notes without a PVH entry, for "pvh". FALSE when not known. */
gboolean    lab_elf_boot_refuses_type (LabElfBoot    boot,
                                       const char   *type);

G_END_DECLS
