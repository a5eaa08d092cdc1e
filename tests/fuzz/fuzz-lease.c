/* fuzz-lease.c — dnsmasq lease files
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "net/lab-lease.h"
#include "net/lab-net-util.h"

FUZZ_DEFINE_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_memdup (data, size);
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  gboolean clean = lab_lease_file_parse (text, size, &leases, &warnings);

  FUZZ_ASSERT (leases != NULL && warnings != NULL);
  FUZZ_ASSERT (clean == (warnings->len == 0));
  for (guint i = 0; i < warnings->len; i++)
    FUZZ_ASSERT (g_utf8_validate (warnings->pdata[i], -1, NULL));
  for (guint i = 0; i < leases->len; i++)
    {
      LabLease *lease = leases->pdata[i];
      g_autoptr(LabLease) copy = lab_lease_copy (lease);
      g_autofree char *normal = lab_mac_normalize (lease->mac);

      FUZZ_ASSERT (lease->ip != NULL && lab_ipv4_is_valid (lease->ip));
      FUZZ_ASSERT (lease->mac != NULL && g_utf8_validate (lease->mac, -1, NULL));
      for (const char *p = lease->mac; *p != '\0'; p++)
        FUZZ_ASSERT (g_ascii_isxdigit (*p) ? !g_ascii_isupper (*p) : *p == ':');
      FUZZ_ASSERT (lease->hostname == NULL || g_utf8_validate (lease->hostname, -1, NULL));
      FUZZ_ASSERT (lease->client_id == NULL || g_utf8_validate (lease->client_id, -1, NULL));
      FUZZ_ASSERT (lease->line >= 1);
      FUZZ_ASSERT (g_strcmp0 (copy->mac, lease->mac) == 0 && copy->line == lease->line);
      lab_lease_is_expired (lease, 1700000000);
      /* The newest unexpired Ethernet lease of a MAC is found (now = 0: none expired). */
      if (lease->hw_type == LAB_LEASE_HW_TYPE_ETHER && normal != NULL)
        {
          LabLease *found = lab_lease_find_for_mac (leases, lease->mac, 0);

          FUZZ_ASSERT (found != NULL && g_ascii_strcasecmp (found->mac, lease->mac) == 0);
        }
    }
  return 0;
}
