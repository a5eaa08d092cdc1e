/* fuzz-xl-info.c — `xl info` output, as "Check this host" reads it
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the xl-info section of the root script's output (other "@@check:" sections
 * it holds are read too); the rest is a healthy dom0's. Every check is then decided. The
 * script's output reaches the parser as the exec result's UTF-8 text, so the input is made
 * valid UTF-8 first, as that text is.
 */

#include "config.h"

#include "fuzz-common.h"
#include "xen/lab-check-evidence.h"
#include "xen/lab-host.h"
#include "xen/lab-host-details.h"

FUZZ_DEFINE_INITIALIZE ()

static const char before[] =
  "@@check:hypervisor\nxen\n"
  "@@check:capabilities\ncontrol_d\n"
  "@@check:processes\n1 init\n212 oxenstored\n230 xenconsoled\n301 dnsmasq\n"
  "@@check:bridge\nexists yes\nis-bridge yes\noperstate up\nflags 0x1103\nport enp0s8\n"
  "port vif5.0\ninet 192.168.56.5/24\n"
  "@@check:dnsmasq\npid 301\narg /usr/sbin/dnsmasq\n"
  "defconf /etc/dnsmasq.d/mirage-lab.conf interface=br0\n"
  "defconf /etc/dnsmasq.d/mirage-lab.conf dhcp-range=192.168.56.150,192.168.56.200,12h\n"
  "@@check:leases\n1700000000 00:16:3e:5a:01:02 192.168.56.150 guest *\n@@status 0\n"
  "@@check:vifs\nvif5.0 12 20\n"
  "@@check:xl-info\n";

/* Host Details reads the same `xl info` (and, here, the same text as its bridge list): what
 * it keeps has the shape it claims. */
static void
check_details (const char *text)
{
  g_autoptr(LabHostDetails) details = lab_host_details_new_from_output (text, text);
  const char *version = lab_host_details_get_xen_version (details);
  const char *name = lab_host_details_get_dom0_name (details);
  const char * const *caps = lab_host_details_get_virt_caps (details);
  const char * const *bridges = lab_host_details_get_bridges (details);

  FUZZ_ASSERT (version == NULL || strspn (version, "0123456789.") == strlen (version));
  FUZZ_ASSERT (name == NULL || g_utf8_validate (name, -1, NULL));
  FUZZ_ASSERT (caps != NULL && bridges != NULL);
  FUZZ_ASSERT (g_strv_length ((GStrv) caps) <= 32 && g_strv_length ((GStrv) bridges) <= 64);
  for (guint i = 0; caps[i] != NULL; i++)
    FUZZ_ASSERT (*caps[i] != '\0' && strpbrk (caps[i], " <>&\"'") == NULL);
  for (guint i = 0; bridges[i] != NULL; i++)
    FUZZ_ASSERT (lab_host_parse_bridge (bridges[i], NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *info = g_utf8_make_valid ((const char *) data, size);
  g_autofree char *root = g_strconcat (before, info, NULL);
  g_autoptr(LabCheckEvidence) evidence = lab_check_evidence_new ();
  const char *macs[] = { "00:16:3e:5a:01:02", NULL };
  const char * const *ids = lab_check_result_all_ids ();
  int major = -1, minor = -1;

  evidence->now = 1700000000;
  evidence->leases_path = g_strdup ("/var/lib/misc/dnsmasq.leases");
  evidence->root = lab_check_parse_sections (root);
  evidence->user = lab_check_parse_sections (info);
  g_ptr_array_add (evidence->domains, lab_check_domain_new ("guest", macs, 600, FALSE));
  g_ptr_array_add (evidence->domains, lab_check_domain_new ("static", NULL, 5, TRUE));
  g_ptr_array_add (evidence->legacy_configs, g_strdup ("/home/mirage/www.xl"));
  evidence->n_configs = 2;

  if (!lab_check_evidence_xen_version (evidence, &major, &minor))
    FUZZ_ASSERT (major == -1 && minor == -1);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(LabCheckResult) result = lab_check_result_new (ids[i]);
      const char *text;

      lab_check_evidence_evaluate (evidence, result);
      FUZZ_ASSERT (lab_check_result_get_status (result) != LAB_CHECK_STATUS_PENDING);
      /* All of it is shown in GTK. */
      text = lab_check_result_get_evidence (result);
      FUZZ_ASSERT (text == NULL || g_utf8_validate (text, -1, NULL));
      text = lab_check_result_get_fix (result);
      FUZZ_ASSERT (text == NULL || g_utf8_validate (text, -1, NULL));
      text = lab_check_result_get_fix_command (result);
      FUZZ_ASSERT (text == NULL || g_utf8_validate (text, -1, NULL));
    }
  {
    g_auto(GStrv) addresses = lab_check_evidence_bridge_addresses (evidence);
    g_autoptr(GHashTable) leased = lab_check_evidence_leased_ips (evidence);

    FUZZ_ASSERT (addresses != NULL && leased != NULL);
  }
  check_details (info);
  return 0;
}
