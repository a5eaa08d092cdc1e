/* lab-elf-notes.c — what a unikernel image's Xen ELF notes say about how it boots
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An image that xl is told to boot the wrong way fails with a message about its ELF notes
 * or not at all: the config check reads the notes first. The image is untrusted input:
 * every offset is checked against the bytes at hand.
 */

#define G_LOG_DOMAIN "lab-elf-notes"

#include "config.h"

#include <string.h>

#include "lab-elf-notes.h"

#define PT_NOTE 4
#define XEN_ELFNOTE_ENTRY 1
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MAX_NOTES 4096

typedef struct
{
  const guint8 *data;
  gsize         length;
  gboolean      is64;
} Elf;

/* A little-endian field of @size bytes at @offset, or FALSE when it is not all there. */
static gboolean
lab_elf_read (const Elf *elf,
              guint64    offset,
              guint      size,
              guint64   *value)
{
  *value = 0;
  if (offset > elf->length || size > elf->length - offset)
    return FALSE;
  for (guint i = size; i > 0; i--)
    *value = (*value << 8) | elf->data[offset + i - 1];
  return TRUE;
}

/* The Xen notes of one PT_NOTE segment, added to *@boot. */
static void
lab_elf_scan_notes (const Elf  *elf,
                    guint64     offset,
                    guint64     size,
                    LabElfBoot *boot)
{
  guint64 end = offset + MIN (size, elf->length);

  for (guint n = 0; n < MAX_NOTES && offset + 12 <= end && end <= elf->length; n++)
    {
      guint64 namesz, descsz, type;

      lab_elf_read (elf, offset, 4, &namesz);
      lab_elf_read (elf, offset + 4, 4, &descsz);
      lab_elf_read (elf, offset + 8, 4, &type);
      offset += 12;
      if (namesz == 4 && offset + 4 <= end && memcmp (elf->data + offset, "Xen", 4) == 0)
        {
          *boot |= LAB_ELF_BOOT_XEN;
          if (type == XEN_ELFNOTE_ENTRY)
            *boot |= LAB_ELF_BOOT_PV;
          if (type == XEN_ELFNOTE_PHYS32_ENTRY)
            *boot |= LAB_ELF_BOOT_PVH;
        }
      /* Name and description are each padded to 4 bytes. */
      offset += ((namesz + 3) & ~(guint64) 3) + ((descsz + 3) & ~(guint64) 3);
    }
}

LabElfBoot
lab_elf_read_boot (const guint8 *data,
                   gsize         length)
{
  Elf elf = { data, length, FALSE };
  guint64 phoff, phentsize, phnum;
  LabElfBoot boot = LAB_ELF_BOOT_UNKNOWN;

  if (data == NULL || length < 52 || memcmp (data, "\177ELF", 4) != 0 || data[5] != 1)
    return LAB_ELF_BOOT_UNKNOWN;
  elf.is64 = data[4] == 2;
  if (!lab_elf_read (&elf, elf.is64 ? 32 : 28, elf.is64 ? 8 : 4, &phoff)
      || !lab_elf_read (&elf, elf.is64 ? 54 : 42, 2, &phentsize)
      || !lab_elf_read (&elf, elf.is64 ? 56 : 44, 2, &phnum))
    return LAB_ELF_BOOT_UNKNOWN;
  for (guint64 i = 0; i < phnum && phentsize >= 32; i++)
    {
      guint64 at = phoff + i * phentsize;
      guint64 type, offset, size;

      if (phoff > length || i * phentsize > length
          || !lab_elf_read (&elf, at, 4, &type)
          || !lab_elf_read (&elf, at + (elf.is64 ? 8 : 4), elf.is64 ? 8 : 4, &offset)
          || !lab_elf_read (&elf, at + (elf.is64 ? 32 : 16), elf.is64 ? 8 : 4, &size))
        break;
      if (type == PT_NOTE && offset < length)
        lab_elf_scan_notes (&elf, offset, MIN (size, length - offset), &boot);
    }
  return boot;
}

const char *
lab_elf_boot_domain_type (LabElfBoot boot)
{
  if (boot & LAB_ELF_BOOT_PVH)
    return "pvh";
  return (boot & LAB_ELF_BOOT_XEN) ? "pv" : NULL;
}

gboolean
lab_elf_boot_refuses_type (LabElfBoot  boot,
                           const char *type)
{
  /* Only what is certain: a PVH boot needs the PVH entry note. A PV boot may use the ELF
   * entry point without any note, so no image is known to refuse PV. */
  return (boot & LAB_ELF_BOOT_XEN) && !(boot & LAB_ELF_BOOT_PVH)
         && g_strcmp0 (type, "pvh") == 0;
}
