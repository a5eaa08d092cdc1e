/* fuzz-xl-uptime.c — `xl uptime` output
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
  g_autoptr(GHashTable) uptimes = lab_xl_parse_uptime (text, size, &error);
  GHashTableIter iter;
  gpointer key, value;

  FUZZ_ASSERT ((uptimes == NULL) != (error == NULL));
  if (uptimes == NULL)
    return 0;
  g_hash_table_iter_init (&iter, uptimes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FUZZ_ASSERT (g_utf8_validate (key, -1, NULL));
      /* At most G_MAXINT days of 86400 s, and hours of up to nine digits. */
      FUZZ_ASSERT (*(gint64 *) value >= 0);
      FUZZ_ASSERT (*(gint64 *) value <= (gint64) G_MAXINT * 86400 + 999999999LL * 3600 + 3599);
    }
  return 0;
}
