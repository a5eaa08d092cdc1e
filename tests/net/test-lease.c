/* test-lease.c — dnsmasq lease file parsing and lookup
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-lease"

#include "config.h"

#include <string.h>

#include "lab-core.h"
#include "net/lab-lease.h"
#include "lab-test-utils.h"

/* The reference time of the fixtures (tests/fixtures/net/dnsmasq.leases). */
#define NOW G_GINT64_CONSTANT (1787220000)

static char *
load_fixture (const char *name,
              gsize      *len)
{
  return lab_test_read_fixture ("net", name, len);
}

/* Parses the fixture @name (see lab_lease_file_parse()). */
static gboolean
parse_fixture (const char  *name,
               GPtrArray  **leases,
               GPtrArray  **warnings)
{
  gsize len;
  g_autofree char *text = load_fixture (name, &len);

  return lab_lease_file_parse (text, len, leases, warnings);
}

static LabLease *
lease_at_line (GPtrArray *leases,
               guint      line)
{
  for (guint i = 0; i < leases->len; i++)
    {
      LabLease *lease = g_ptr_array_index (leases, i);

      if (lease->line == line)
        return lease;
    }
  return NULL;
}

/* Like lease_at_line(), for leases the test goes on to read: a miss ends the test. */
static LabLease *
get_lease (GPtrArray *leases,
           guint      line)
{
  LabLease *lease = lease_at_line (leases, line);

  if (lease != NULL)
    return lease;
  g_error ("no lease from line %u", line);
}

static gboolean
has_warning_for_line (GPtrArray *warnings,
                      guint      line)
{
  g_autofree char *prefix = g_strdup_printf ("Line %u:", line);

  for (guint i = 0; i < warnings->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (warnings, i), prefix))
      return TRUE;
  return FALSE;
}

/* A realistic file: every field variant, the duid line and DHCPv6 leases. */
static void
test_lease_parse_fixture (void)
{
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  gboolean clean = parse_fixture ("dnsmasq.leases", &leases, &warnings);
  LabLease *lease;

  g_assert_true (clean);
  g_assert_cmpuint (warnings->len, ==, 0);
  /* 11 DHCPv4 leases; the duid line and the 3 DHCPv6 leases are skipped */
  g_assert_cmpuint (leases->len, ==, 11);

  lease = get_lease (leases, 1);
  g_assert_nonnull (lease);
  g_assert_cmpint (lease->expiry, ==, 1787223601);
  g_assert_false (lease->infinite);
  g_assert_cmpuint (lease->hw_type, ==, LAB_LEASE_HW_TYPE_ETHER);
  g_assert_cmpstr (lease->mac, ==, "00:16:3e:5a:01:02");
  g_assert_cmpstr (lease->ip, ==, "192.168.56.150");
  g_assert_cmpstr (lease->hostname, ==, "https");
  g_assert_cmpstr (lease->client_id, ==, "01:00:16:3e:5a:01:02");

  lease = get_lease (leases, 2);
  g_assert_null (lease->hostname);                      /* "*" */
  g_assert_cmpstr (lease->client_id, ==, "01:00:16:3e:11:22:33");

  lease = get_lease (leases, 3);
  g_assert_true (lease->infinite);                      /* expiry 0 */
  g_assert_cmpint (lease->expiry, ==, 0);
  g_assert_cmpstr (lease->hostname, ==, "www");
  g_assert_null (lease->client_id);                     /* "*" */

  lease = get_lease (leases, 7);                    /* uppercase in the file */
  g_assert_cmpstr (lease->mac, ==, "00:16:3e:ab:cd:ef");
  g_assert_cmpstr (lease->client_id, ==, "01:00:16:3e:ab:cd:ef");

  lease = get_lease (leases, 8);                    /* "06-" prefix: IEEE 802 */
  g_assert_cmpuint (lease->hw_type, ==, 6);
  g_assert_cmpstr (lease->mac, ==, "00:16:3e:00:00:01");

  lease = get_lease (leases, 9);                    /* "00-" with no address */
  g_assert_cmpuint (lease->hw_type, ==, 0);
  g_assert_cmpstr (lease->mac, ==, "");
  g_assert_cmpstr (lease->client_id, ==, "ff:00:00:00:01:00:01:2c:5f:3a:1b:00:16:3e:00:00:02");

  g_assert_null (lease_at_line (leases, 12));           /* duid */
  g_assert_null (lease_at_line (leases, 13));           /* IPv6 */
  g_assert_null (lease_at_line (leases, 14));           /* IPv6, temporary address */
}

static void
test_lease_find_for_mac (void)
{
  g_autoptr(GPtrArray) leases = NULL;
  LabLease *lease;

  parse_fixture ("dnsmasq.leases", &leases, NULL);

  /* Three leases for this MAC: .150 (latest expiry), .153, and .152 (expired). */
  lease = lab_lease_find_for_mac (leases, "00:16:3e:5a:01:02", NOW);
  g_assert_nonnull (lease);
  g_assert_cmpstr (lease->ip, ==, "192.168.56.150");

  /* Any case, '-' separators, single-digit octets. */
  g_assert_true (lab_lease_find_for_mac (leases, "00-16-3E-5A-01-02", NOW) == lease);
  g_assert_true (lab_lease_find_for_mac (leases, "0:16:3e:5a:1:2", NOW) == lease);
  g_assert_true (lab_lease_find_for_mac (leases, "00:16:3e:ab:cd:ef", NOW) ==
                 lease_at_line (leases, 7));

  /* Expiry 1787223601 is the last second that counts; after it nothing is left. */
  g_assert_true (lab_lease_find_for_mac (leases, "00:16:3e:5a:01:02", 1787223601) == lease);
  g_assert_null (lab_lease_find_for_mac (leases, "00:16:3e:5a:01:02", 1787223602));

  /* expiry == now is not expired; now + 1 is */
  g_assert_nonnull (lab_lease_find_for_mac (leases, "00:16:3e:00:00:99", NOW));
  g_assert_null (lab_lease_find_for_mac (leases, "00:16:3e:00:00:99", NOW + 1));

  /* Only an expired lease for this MAC */
  g_assert_null (lab_lease_find_for_mac (leases, "00:16:3e:11:22:33", NOW));

  /* Infinite beats a later finite expiry, at any time */
  lease = lab_lease_find_for_mac (leases, "c0:ff:ee:c0:ff:ee", NOW);
  g_assert_cmpstr (lease->ip, ==, "192.168.56.178");
  lease = lab_lease_find_for_mac (leases, "c0:ff:ee:c0:ff:ee", G_MAXINT64);
  g_assert_cmpstr (lease->ip, ==, "192.168.56.178");

  /* Non-Ethernet leases never match an Ethernet MAC */
  g_assert_null (lab_lease_find_for_mac (leases, "00:16:3e:00:00:01", NOW));

  /* Unknown and invalid MACs */
  g_assert_null (lab_lease_find_for_mac (leases, "00:16:3e:de:ad:00", NOW));
  g_assert_null (lab_lease_find_for_mac (leases, "not a mac", NOW));
  g_assert_null (lab_lease_find_for_mac (leases, "00:16:3e:5a:01:02:03", NOW));
  g_assert_null (lab_lease_find_for_mac (leases, "", NOW));
  g_assert_null (lab_lease_find_for_mac (leases, NULL, NOW));
}

static void
test_lease_is_expired (void)
{
  LabLease lease = { .expiry = 100, .infinite = FALSE };
  LabLease forever = { .expiry = 0, .infinite = TRUE };

  g_assert_false (lab_lease_is_expired (&lease, 99));
  g_assert_false (lab_lease_is_expired (&lease, 100));
  g_assert_true (lab_lease_is_expired (&lease, 101));
  g_assert_false (lab_lease_is_expired (&forever, G_MAXINT64));
}

/* Every malformed line is skipped with a warning naming it; good lines around survive. */
static void
test_lease_malformed (void)
{
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  LabLease *lease;
  const guint bad_lines[] = { 2, 3, 4, 5, 6, 8, 9, 10, 11, 14, 15, 17, 18 };

  g_assert_false (parse_fixture ("dnsmasq-malformed.leases", &leases, &warnings));

  for (guint i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    {
      g_test_message ("line %u", bad_lines[i]);
      g_assert_true (has_warning_for_line (warnings, bad_lines[i]));
    }
  g_assert_cmpuint (warnings->len, ==, G_N_ELEMENTS (bad_lines));
  for (guint i = 0; i < warnings->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL));

  /* Kept: lines 1, 7 (non-UTF-8 host name made valid), 8 (client id dropped),
   * 12 (CR LF) and 16 (tabs and runs of spaces). */
  g_assert_cmpuint (leases->len, ==, 5);
  g_assert_nonnull (lease_at_line (leases, 1));

  lease = get_lease (leases, 7);
  g_assert_nonnull (lease);
  g_assert_true (g_utf8_validate (lease->hostname, -1, NULL));
  g_assert_true (g_str_has_prefix (lease->hostname, "caf"));

  lease = get_lease (leases, 8);
  g_assert_nonnull (lease);
  g_assert_null (lease->client_id);

  lease = get_lease (leases, 12);
  g_assert_nonnull (lease);
  g_assert_cmpstr (lease->hostname, ==, "crlf");
  g_assert_null (lease->client_id);

  lease = get_lease (leases, 16);
  g_assert_nonnull (lease);
  g_assert_cmpstr (lease->ip, ==, "192.168.56.165");

  /* The unterminated last line ("192.168.56.15", cut from .150) is not trusted. */
  g_assert_null (lease_at_line (leases, 18));
}

static void
test_lease_empty (void)
{
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GPtrArray) warnings = NULL;

  g_assert_true (lab_lease_file_parse (NULL, 0, &leases, &warnings));
  g_assert_cmpuint (leases->len, ==, 0);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_clear_pointer (&leases, g_ptr_array_unref);
  g_clear_pointer (&warnings, g_ptr_array_unref);

  g_assert_true (lab_lease_file_parse ("\n\r\n  \n", 6, &leases, &warnings));
  g_assert_cmpuint (leases->len, ==, 0);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_clear_pointer (&leases, g_ptr_array_unref);

  /* @len is honoured: the text is not read past it. */
  g_assert_true (lab_lease_file_parse ("0 00:16:3e:00:00:01 10.0.0.2 a *\nxx", 33, &leases,
                                       NULL));
  g_assert_cmpuint (leases->len, ==, 1);
}

/* 10,000 leases (a busy dnsmasq): linear, and the renewed lease at the end wins. */
static void
test_lease_large (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  LabLease *lease;
  gint64 start;

  for (guint i = 0; i < 9999; i++)
    g_string_append_printf (text, "%" G_GINT64_FORMAT " 00:16:3e:%02x:%02x:%02x 10.%u.%u.%u %s *\n",
                            NOW + 3600 - (gint64) (i % 7200),
                            (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff,
                            (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff,
                            i % 3 == 0 ? "*" : "host");
  g_string_append_printf (text, "%" G_GINT64_FORMAT " 00:16:3e:00:00:05 10.200.0.5 renewed *\n",
                          NOW + 7200);

  start = g_get_monotonic_time ();
  g_assert_true (lab_lease_file_parse (text->str, text->len, &leases, &warnings));
  g_test_message ("parsed 10000 lines in %.1f ms",
                  (double) (g_get_monotonic_time () - start) / 1000.0);

  g_assert_cmpuint (leases->len, ==, 10000);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpuint (((LabLease *) g_ptr_array_index (leases, 9999))->line, ==, 10000);

  lease = lab_lease_find_for_mac (leases, "00:16:3e:00:00:05", NOW);
  g_assert_cmpstr (lease->ip, ==, "10.200.0.5");
  lease = lab_lease_find_for_mac (leases, "00:16:3e:00:27:0e", NOW);   /* i = 9998 */
  g_assert_cmpstr (lease->ip, ==, "10.0.39.14");
}

/* Random bytes and random mutations of a good file never crash, and warnings stay UTF-8. */
static void
test_lease_fuzz (void)
{
  gsize good_len;
  g_autofree char *good = load_fixture ("dnsmasq.leases", &good_len);

  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GPtrArray) leases = NULL;
      g_autoptr(GPtrArray) warnings = NULL;
      g_autofree guint8 *buf = NULL;
      gsize len;

      if (round % 2 == 0)
        {
          len = (gsize) g_test_rand_int_range (0, 2048);
          buf = g_malloc (len + 1);
          for (gsize i = 0; i < len; i++)
            buf[i] = (guint8) g_test_rand_int_range (0, 256);
        }
      else
        {
          len = good_len;
          buf = lab_test_mutated_copy (good, len, 8);
        }

      lab_lease_file_parse ((const char *) buf, len, &leases, &warnings);
      for (guint i = 0; i < warnings->len; i++)
        g_assert_true (g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL));
      for (guint i = 0; i < leases->len; i++)
        {
          LabLease *lease = g_ptr_array_index (leases, i);

          g_assert_nonnull (lease->ip);
          g_assert_nonnull (lease->mac);
          g_assert_true (lease->hostname == NULL ||
                         g_utf8_validate (lease->hostname, -1, NULL));
        }
    }
}

static void
test_lease_boxed (void)
{
  LabLease lease = {
    .expiry = 5, .hw_type = 1, .mac = (char *) "00:16:3e:00:00:01", .ip = (char *) "10.0.0.2",
    .hostname = (char *) "h", .client_id = NULL, .line = 3,
  };
  g_autoptr(LabLease) copy = NULL;

  g_assert_true (G_TYPE_IS_BOXED (LAB_TYPE_LEASE));
  copy = g_boxed_copy (LAB_TYPE_LEASE, &lease);
  g_assert_cmpstr (copy->mac, ==, lease.mac);
  g_assert_cmpstr (copy->ip, ==, lease.ip);
  g_assert_cmpstr (copy->hostname, ==, "h");
  g_assert_null (copy->client_id);
  g_assert_cmpuint (copy->line, ==, 3);
  g_assert_true (copy->mac != lease.mac);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  lab_core_init ();

  g_test_add_func ("/net/lease/parse-fixture", test_lease_parse_fixture);
  g_test_add_func ("/net/lease/find-for-mac", test_lease_find_for_mac);
  g_test_add_func ("/net/lease/is-expired", test_lease_is_expired);
  g_test_add_func ("/net/lease/malformed", test_lease_malformed);
  g_test_add_func ("/net/lease/empty", test_lease_empty);
  g_test_add_func ("/net/lease/large", test_lease_large);
  g_test_add_func ("/net/lease/fuzz", test_lease_fuzz);
  g_test_add_func ("/net/lease/boxed", test_lease_boxed);

  return g_test_run ();
}
