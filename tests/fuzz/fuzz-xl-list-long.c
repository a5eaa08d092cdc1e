/* fuzz-xl-list-long.c — `xl list -l` output (JSON), then merged into a plain list
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "xen/lab-xl-list.h"

FUZZ_DEFINE_INITIALIZE ()

static const char plain[] =
  "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
  "Domain-0                                     0  1280     1     r-----      18.4\n"
  "guest                                        5   256     1     -b----       0.9\n";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_memdup (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list_long = lab_xl_parse_list_long (text, size, &error);
  g_autoptr(GPtrArray) list = lab_xl_parse_list (plain, -1, NULL);

  FUZZ_ASSERT ((list_long == NULL) != (error == NULL));
  if (error != NULL)
    FUZZ_ASSERT (g_utf8_validate (error->message, -1, NULL));
  for (guint i = 0; list_long != NULL && i < list_long->len; i++)
    {
      LabXlDomainInfo *info = g_ptr_array_index (list_long, i);

      FUZZ_ASSERT (info->name != NULL && g_utf8_validate (info->name, -1, NULL));
      FUZZ_ASSERT (info->domid >= 0);
      FUZZ_ASSERT ((info->macs == NULL) == (info->bridges == NULL));
      FUZZ_ASSERT (info->macs == NULL
                   || g_strv_length (info->macs) == g_strv_length (info->bridges));
      for (guint j = 0; info->macs != NULL && info->macs[j] != NULL; j++)
        FUZZ_ASSERT (g_utf8_validate (info->macs[j], -1, NULL));
    }

  /* What the poll does with it. When the long listing has a name with a newline, the plain
   * rows it does not know are dropped, so only what is left may be read. */
  lab_xl_merge (list, list_long, NULL);
  FUZZ_ASSERT (list->len <= 2);
  for (guint i = 0; i < list->len; i++)
    {
      g_autoptr(LabXlDomainInfo) copy = lab_xl_domain_info_copy (list->pdata[i]);

      FUZZ_ASSERT (copy->name != NULL && g_utf8_validate (copy->name, -1, NULL));
      FUZZ_ASSERT (copy->domid == 0 || copy->domid == 5);
    }
  return 0;
}
