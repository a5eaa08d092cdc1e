/* test-elf-notes.c — how an image boots, from its Xen ELF notes
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "xen/lab-elf-notes.h"

static void
put (GByteArray *elf,
     gsize       offset,
     guint64     value,
     guint       size)
{
  for (guint i = 0; i < size; i++)
    elf->data[offset + i] = (value >> (8 * i)) & 0xff;
}

static void
add_note (GByteArray *notes,
          const char *name,
          guint32     type,
          guint32     descsz)
{
  guint32 namesz = strlen (name) + 1;
  guint8 header[12];
  static const guint8 zeros[64];

  for (guint i = 0; i < 4; i++)
    {
      header[i] = (namesz >> (8 * i)) & 0xff;
      header[4 + i] = (descsz >> (8 * i)) & 0xff;
      header[8 + i] = (type >> (8 * i)) & 0xff;
    }
  g_assert_cmpuint (descsz, <=, sizeof zeros);
  g_byte_array_append (notes, header, 12);
  g_byte_array_append (notes, (const guint8 *) name, namesz);
  g_byte_array_append (notes, zeros, ((namesz + 3) & ~3u) - namesz);
  g_byte_array_append (notes, zeros, (descsz + 3) & ~3u);
}

/* An ELF image (64- or 32-bit) with one PT_NOTE segment holding @notes. */
static GByteArray *
make_elf (gboolean    is64,
          GByteArray *notes)
{
  GByteArray *elf = g_byte_array_new ();
  gsize ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32;
  gsize offset = ehsize + phentsize;

  g_byte_array_set_size (elf, offset);
  memset (elf->data, 0, offset);
  memcpy (elf->data, "\177ELF", 4);
  elf->data[4] = is64 ? 2 : 1;
  elf->data[5] = 1;
  put (elf, is64 ? 32 : 28, ehsize, is64 ? 8 : 4);      /* e_phoff */
  put (elf, is64 ? 54 : 42, phentsize, 2);
  put (elf, is64 ? 56 : 44, 1, 2);                      /* e_phnum */
  put (elf, ehsize, 4, 4);                              /* PT_NOTE */
  put (elf, ehsize + (is64 ? 8 : 4), offset, is64 ? 8 : 4);
  put (elf, ehsize + (is64 ? 32 : 16), notes->len, is64 ? 8 : 4);
  g_byte_array_append (elf, notes->data, notes->len);
  return elf;
}

static void
test_kinds (void)
{
  for (guint is64 = 0; is64 < 2; is64++)
    {
      g_autoptr(GByteArray) pvh_notes = g_byte_array_new ();
      g_autoptr(GByteArray) pv_notes = g_byte_array_new ();
      g_autoptr(GByteArray) gnu_notes = g_byte_array_new ();
      g_autoptr(GByteArray) pvh = NULL;
      g_autoptr(GByteArray) pv = NULL;
      g_autoptr(GByteArray) gnu = NULL;
      LabElfBoot boot;

      add_note (pvh_notes, "GNU", 3, 20);
      add_note (pvh_notes, "Xen", 6, 8);                /* GUEST_OS */
      add_note (pvh_notes, "Xen", 18, 4);               /* PHYS32_ENTRY */
      pvh = make_elf (is64, pvh_notes);
      boot = lab_elf_read_boot (pvh->data, pvh->len);
      g_assert_cmpint (boot, ==, LAB_ELF_BOOT_XEN | LAB_ELF_BOOT_PVH);
      g_assert_cmpstr (lab_elf_boot_domain_type (boot), ==, "pvh");
      g_assert_false (lab_elf_boot_refuses_type (boot, "pvh"));
      g_assert_false (lab_elf_boot_refuses_type (boot, "pv"));

      add_note (pv_notes, "Xen", 6, 8);
      add_note (pv_notes, "Xen", 1, 8);                 /* ENTRY */
      pv = make_elf (is64, pv_notes);
      boot = lab_elf_read_boot (pv->data, pv->len);
      g_assert_cmpint (boot, ==, LAB_ELF_BOOT_XEN | LAB_ELF_BOOT_PV);
      g_assert_cmpstr (lab_elf_boot_domain_type (boot), ==, "pv");
      g_assert_true (lab_elf_boot_refuses_type (boot, "pvh"));
      g_assert_false (lab_elf_boot_refuses_type (boot, "pv"));
      g_assert_false (lab_elf_boot_refuses_type (boot, NULL));

      /* Notes, but not Xen's (a Linux bzImage or any program): nothing is known. */
      add_note (gnu_notes, "GNU", 18, 4);
      add_note (gnu_notes, "Xe", 18, 4);
      gnu = make_elf (is64, gnu_notes);
      boot = lab_elf_read_boot (gnu->data, gnu->len);
      g_assert_cmpint (boot, ==, LAB_ELF_BOOT_UNKNOWN);
      g_assert_null (lab_elf_boot_domain_type (boot));
      g_assert_false (lab_elf_boot_refuses_type (boot, "pvh"));
    }
}

/* A program of this system (GNU notes, no Xen ones) and text are not Xen images. */
static void
test_not_xen (void)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents ("/bin/true", &contents, &length, NULL));
  g_assert_cmpint (lab_elf_read_boot ((const guint8 *) contents, length), ==,
                   LAB_ELF_BOOT_UNKNOWN);
  g_assert_cmpint (lab_elf_read_boot ((const guint8 *) "not really a kernel\n", 20), ==,
                   LAB_ELF_BOOT_UNKNOWN);
  g_assert_cmpint (lab_elf_read_boot (NULL, 0), ==, LAB_ELF_BOOT_UNKNOWN);
}

/* Every prefix of an image is read without reading past it (ASan would say), and a PVH
 * entry is claimed only when its note is all there; headers that lie are bounded. */
static void
test_truncated_and_lying (void)
{
  g_autoptr(GByteArray) notes = g_byte_array_new ();
  g_autoptr(GByteArray) elf = NULL;

  add_note (notes, "Xen", 18, 4);
  elf = make_elf (TRUE, notes);
  for (gsize n = 0; n <= elf->len; n++)
    {
      guint8 *copy = g_memdup2 (elf->data, n);
      LabElfBoot boot = lab_elf_read_boot (copy, n);

      if (n < elf->len - 4)
        g_assert_false (boot & LAB_ELF_BOOT_PVH);
      g_free (copy);
    }
  g_assert_true (lab_elf_read_boot (elf->data, elf->len) & LAB_ELF_BOOT_PVH);

  /* 65535 program headers of size 0xffff: the first is read, the walk stops at the end of
   * the bytes; headers past the end; a note segment far past the end; a note size that
   * wraps. */
  put (elf, 54, 0xffff, 2);
  put (elf, 56, 0xffff, 2);
  g_assert_cmpint (lab_elf_read_boot (elf->data, elf->len), ==,
                   LAB_ELF_BOOT_XEN | LAB_ELF_BOOT_PVH);
  put (elf, 32, G_MAXUINT64 - 16, 8);
  g_assert_cmpint (lab_elf_read_boot (elf->data, elf->len), ==, LAB_ELF_BOOT_UNKNOWN);
  put (elf, 32, 64, 8);
  put (elf, 54, 56, 2);
  put (elf, 56, 1, 2);
  put (elf, 64 + 8, G_MAXUINT64 - 8, 8);
  g_assert_cmpint (lab_elf_read_boot (elf->data, elf->len), ==, LAB_ELF_BOOT_UNKNOWN);
  put (elf, 64 + 8, 120, 8);
  put (elf, 64 + 32, G_MAXUINT64, 8);
  put (elf, 120, 0xfffffffc, 4);
  g_assert_cmpint (lab_elf_read_boot (elf->data, elf->len), ==, LAB_ELF_BOOT_UNKNOWN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/elf-notes/kinds", test_kinds);
  g_test_add_func ("/elf-notes/not-xen", test_not_xen);
  g_test_add_func ("/elf-notes/truncated-and-lying", test_truncated_and_lying);

  return g_test_run ();
}
