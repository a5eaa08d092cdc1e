/* fuzz-vbox.c — VBoxManage output (--machinereadable, "Key: value" blocks, list vms,
 * showvminfo, guestproperty get)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "setup/lab-setup-error.h"
#include "setup/lab-vbox.h"

FUZZ_DEFINE_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autoptr(GHashTable) table = lab_vbox_parse_machinereadable (text);
  g_autoptr(GPtrArray) blocks = lab_vbox_parse_blocks (text);
  g_auto(GStrv) vms = lab_vbox_parse_vm_list (text);
  g_autofree char *promisc1 = lab_vbox_parse_promisc (text, 1);
  g_autofree char *promisc2 = lab_vbox_parse_promisc (text, 2);
  g_autofree char *ip = lab_vbox_parse_guest_property (text);

  FUZZ_ASSERT (table != NULL && blocks != NULL && vms != NULL);
  for (guint i = 0; i < blocks->len; i++)
    FUZZ_ASSERT (g_hash_table_size (blocks->pdata[i]) > 0);
  for (guint i = 0; vms[i] != NULL; i++)
    FUZZ_ASSERT (strstr (text, vms[i]) != NULL);
  FUZZ_ASSERT (promisc1 == NULL || strstr (text, promisc1) != NULL);
  FUZZ_ASSERT (promisc2 == NULL || strstr (text, promisc2) != NULL);
  FUZZ_ASSERT (ip == NULL || (*ip != '\0' && strstr (text, ip) != NULL));
  return 0;
}
