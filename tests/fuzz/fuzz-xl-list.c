/* fuzz-xl-list.c — `xl list` output, as the poll gets it (raw bytes, maybe empty)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "xen/lab-xl-list.h"

FUZZ_DEFINE_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_memdup (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = lab_xl_parse_list (text, size, &error);

  /* Either a list or an error, never both or neither. */
  FUZZ_ASSERT ((list == NULL) != (error == NULL));
  if (error != NULL)
    FUZZ_ASSERT (g_utf8_validate (error->message, -1, NULL));
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      LabXlDomainInfo *info = g_ptr_array_index (list, i);

      FUZZ_ASSERT (info->name != NULL && *info->name != '\0');
      FUZZ_ASSERT (g_utf8_validate (info->name, -1, NULL));
      FUZZ_ASSERT (info->domid >= 0 && info->vcpus >= 0 && info->memory_mib >= 0);
      FUZZ_ASSERT (info->cpu_time >= 0 && strlen (info->state) == 6);
    }
  return 0;
}
