/* test-host-details.c — what dom0 says about itself, from `xl info` and its bridges
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "xen/lab-host-details.h"
#include "lab-test-utils.h"

/* Xen 4.17's `xl info`, captured on the real-Xen lab. */
static void
test_from_capture (void)
{
  g_autofree char *info = lab_test_read_fixture ("xen-4.17", "xl-info.stdout", NULL);
  g_autoptr(LabHostDetails) details = lab_host_details_new_from_output (info,
                                                                        "virbr0\nbr0\n\n");
  const char * const *caps = lab_host_details_get_virt_caps (details);
  const char * const *bridges = lab_host_details_get_bridges (details);

  g_assert_cmpstr (lab_host_details_get_xen_version (details), ==, "4.17.7");
  g_assert_cmpstr (lab_host_details_get_dom0_name (details), ==, "xenlab-dom0");
  g_assert_cmpint (lab_host_details_get_total_memory (details), ==, 2559);
  g_assert_cmpint (lab_host_details_get_free_memory (details), ==, 1250);
  g_assert_cmpint (lab_host_details_get_n_cpus (details), ==, 1);
  g_assert_cmpuint (g_strv_length ((GStrv) caps), ==, 5);
  g_assert_true (lab_host_details_has_virt_cap (details, "hvm"));
  g_assert_true (lab_host_details_has_virt_cap (details, "hap"));
  g_assert_false (lab_host_details_has_virt_cap (details, "shadow"));
  g_assert_cmpuint (g_strv_length ((GStrv) bridges), ==, 2);
  g_assert_cmpstr (bridges[0], ==, "br0");
  g_assert_cmpstr (bridges[1], ==, "virbr0");
}

/* Nothing said: everything unknown, the lists empty but there. */
static void
test_nothing (void)
{
  g_autoptr(LabHostDetails) details = lab_host_details_new_from_output (NULL, NULL);

  g_assert_null (lab_host_details_get_xen_version (details));
  g_assert_null (lab_host_details_get_dom0_name (details));
  g_assert_cmpint (lab_host_details_get_total_memory (details), ==, -1);
  g_assert_cmpint (lab_host_details_get_free_memory (details), ==, -1);
  g_assert_cmpint (lab_host_details_get_n_cpus (details), ==, -1);
  g_assert_nonnull (lab_host_details_get_virt_caps (details));
  g_assert_null (lab_host_details_get_virt_caps (details)[0]);
  g_assert_nonnull (lab_host_details_get_bridges (details));
  g_assert_null (lab_host_details_get_bridges (details)[0]);
}

/* A dom0 that lies: what does not have the shape it should is left out, and lists are
 * bounded. */
static void
test_hostile (void)
{
  g_autoptr(GString) bridges = g_string_new ("-evil\nbr 0\n../x\n<b>br</b>\nbr0\n");
  g_autoptr(GString) caps = g_string_new ("virt_caps : pv <script> hvm\xff hap ");
  g_autofree char *info = NULL;
  g_autoptr(LabHostDetails) details = NULL;

  for (guint i = 0; i < 500; i++)
    {
      g_string_append_printf (bridges, "brx%u\n", i);
      g_string_append_printf (caps, "cap%u ", i);
    }
  info = g_strdup_printf ("host : dom0\xc3\n"
                          "xen_version : 4.17.7<b>\n"
                          "total_memory : 99999999999999999999\n"
                          "free_memory : -5\n"
                          "nr_cpus : two\n"
                          "%s\n", caps->str);
  details = lab_host_details_new_from_output (info, bridges->str);

  g_assert_null (lab_host_details_get_xen_version (details));
  g_assert_null (lab_host_details_get_dom0_name (details));
  g_assert_cmpint (lab_host_details_get_total_memory (details), ==, -1);
  g_assert_cmpint (lab_host_details_get_free_memory (details), ==, -1);
  g_assert_cmpint (lab_host_details_get_n_cpus (details), ==, -1);
  g_assert_true (lab_host_details_has_virt_cap (details, "pv"));
  g_assert_true (lab_host_details_has_virt_cap (details, "hap"));
  g_assert_false (lab_host_details_has_virt_cap (details, "<script>"));
  g_assert_cmpuint (g_strv_length ((GStrv) lab_host_details_get_virt_caps (details)), <=, 32);
  g_assert_cmpuint (g_strv_length ((GStrv) lab_host_details_get_bridges (details)), <=, 64);
  for (const char * const *b = lab_host_details_get_bridges (details); *b != NULL; b++)
    {
      g_assert_false (g_str_has_prefix (*b, "-"));
      g_assert_null (strpbrk (*b, " /<>"));
    }
  g_assert_true (g_strv_contains (lab_host_details_get_bridges (details), "br0"));
}

int
main (int   argc,
      char *argv[])
{
  lab_test_init (&argc, &argv);

  g_test_add_func ("/host-details/from-capture", test_from_capture);
  g_test_add_func ("/host-details/nothing", test_nothing);
  g_test_add_func ("/host-details/hostile", test_hostile);

  return g_test_run ();
}
