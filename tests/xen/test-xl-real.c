/* test-xl-real.c — the app's xl parsers on real Xen 4.17 output
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inputs are captures from the real-Xen lab (tests/fixtures/xen-4.17/, see its
 * README.md): Xen 4.17.7 and xen-utils-4.17 from Debian 12.
 */

#include "config.h"

#include <string.h>

#include "xen/lab-xl-list.h"
#include "lab-test-utils.h"

static char *
capture (const char *name)
{
  return lab_test_read_fixture ("xen-4.17", name, NULL);
}

static GPtrArray *
parse_list_capture (const char *name)
{
  g_autofree char *text = capture (name);
  g_autoptr(GError) error = NULL;
  GPtrArray *list = lab_xl_parse_list (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static LabXlDomainInfo *
lookup (GPtrArray  *list,
        const char *name)
{
  for (guint i = 0; i < list->len; i++)
    {
      LabXlDomainInfo *info = g_ptr_array_index (list, i);

      if (g_strcmp0 (info->name, name) == 0)
        return info;
    }
  return NULL;
}

/* A domain the capture must hold: not finding it is the test's failure. */
static LabXlDomainInfo *
find (GPtrArray  *list,
      const char *name)
{
  LabXlDomainInfo *info = lookup (list, name);

  if (info == NULL)
    g_error ("no domain %s in the capture", name);
  return info;
}

static void
test_list (void)
{
  g_autoptr(GPtrArray) list = parse_list_capture ("xl-list.stdout");
  LabXlDomainInfo *dom0, *guest;

  g_assert_cmpuint (list->len, ==, 2);
  dom0 = find (list, "Domain-0");
  g_assert_nonnull (dom0);
  g_assert_cmpint (dom0->domid, ==, 0);
  g_assert_cmpint (dom0->memory_mib, ==, 1280);
  g_assert_cmpint (dom0->vcpus, ==, 1);
  g_assert_cmpstr (dom0->state, ==, "r-----");
  g_assert_cmpfloat (dom0->cpu_time, >, 0);

  guest = find (list, "guest");
  g_assert_nonnull (guest);
  g_assert_cmpint (guest->domid, >, 0);
  g_assert_cmpint (guest->memory_mib, ==, 128);
  g_assert_cmpint (guest->vcpus, ==, 1);
  g_assert_cmpstr (guest->state, ==, "-b----");
}

static void
test_list_states (void)
{
  g_autoptr(GPtrArray) booting = parse_list_capture ("xl-list-booting.stdout");
  g_autoptr(GPtrArray) crashed = parse_list_capture ("xl-list-crashed.stdout");
  g_autoptr(GPtrArray) dom0_only = parse_list_capture ("xl-list-dom0.stdout");
  g_autoptr(GPtrArray) one = parse_list_capture ("xl-list-guest.stdout");

  g_assert_cmpstr (find (booting, "guest")->state, ==, "------");
  g_assert_cmpstr (find (crashed, "crash")->state, ==, "---sc-");
  g_assert_cmpuint (dom0_only->len, ==, 1);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (find (one, "guest")->state, ==, "-b----");
}

/* Every snapshot of the shutdown sequence ("== +N" separated) parses; one shows the guest
 * paused and shut down ("--ps--") before it disappears. */
static void
test_list_shutdown_sequence (void)
{
  g_autofree char *text = capture ("xl-list-shutdown-sequence.stdout");
  g_auto(GStrv) parts = g_regex_split_simple ("^== \\+[0-9]+\\n", text, G_REGEX_MULTILINE, 0);
  gboolean seen_shutdown = FALSE;
  guint snapshots = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = NULL;
      LabXlDomainInfo *guest;

      if (*parts[i] == '\0')
        continue;
      list = lab_xl_parse_list (parts[i], -1, &error);
      g_assert_no_error (error);
      snapshots++;
      guest = lookup (list, "guest");
      if (guest != NULL && g_str_equal (guest->state, "--ps--"))
        seen_shutdown = TRUE;
    }
  g_assert_cmpuint (snapshots, >=, 2);
  g_assert_true (seen_shutdown);
}

static void
test_list_long (void)
{
  g_autofree char *text = capture ("xl-list-l.stdout");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = lab_xl_parse_list_long (text, -1, &error);
  LabXlDomainInfo *dom0, *guest;

  g_assert_no_error (error);
  /* Xen 4.17 lists dom0 in `xl list -l` too (Xen 4.4 skipped it). */
  g_assert_cmpuint (list->len, ==, 2);
  dom0 = find (list, "Domain-0");
  g_assert_nonnull (dom0);
  g_assert_cmpint (dom0->domid, ==, 0);
  g_assert_cmpstr (dom0->type, ==, "pv");
  g_assert_null (dom0->uuid);
  g_assert_null (dom0->kernel);

  guest = find (list, "guest");
  g_assert_nonnull (guest);
  g_assert_cmpstr (guest->type, ==, "pv");
  g_assert_nonnull (guest->uuid);
  g_assert_cmpuint (strlen (guest->uuid), ==, 36);
  g_assert_cmpstr (guest->kernel, ==, "/home/mirage/unikernels/guest-vmlinuz");
  g_assert_cmpstr (guest->cmdline, ==, "console=hvc0 quiet xenlab.name=guest");
  g_assert_cmpstr (guest->on_crash, ==, "preserve");
  g_assert_cmpint (guest->max_memory_mib, ==, 128);
  g_assert_cmpint (guest->vcpus, ==, 1);
  g_assert_nonnull (guest->macs);
  g_assert_cmpuint (g_strv_length (guest->macs), ==, 1);
  g_assert_true (g_str_has_prefix (guest->macs[0], "00:16:3e:"));
  g_assert_cmpstr (guest->bridges[0], ==, "br0");
}

static void
test_list_long_crashed (void)
{
  g_autofree char *text = capture ("xl-list-l-crashed.stdout");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = lab_xl_parse_list_long (text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (find (list, "crash")->on_crash, ==, "preserve");
}

static void
test_uptime_and_merge (void)
{
  g_autofree char *list_text = capture ("xl-list.stdout");
  g_autofree char *long_text = capture ("xl-list-l.stdout");
  g_autofree char *uptime_text = capture ("xl-uptime.stdout");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = lab_xl_parse_list (list_text, -1, &error);
  g_autoptr(GPtrArray) list_long = lab_xl_parse_list_long (long_text, -1, &error);
  g_autoptr(GHashTable) uptimes = lab_xl_parse_uptime (uptime_text, -1, &error);
  LabXlDomainInfo *guest;

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (uptimes), ==, 2);
  g_assert_nonnull (g_hash_table_lookup (uptimes, "Domain-0"));
  g_assert_nonnull (g_hash_table_lookup (uptimes, "guest"));

  lab_xl_merge (list, list_long, uptimes);
  guest = find (list, "guest");
  g_assert_cmpint (guest->uptime, >=, 0);
  g_assert_cmpint (find (list, "Domain-0")->uptime, >, guest->uptime);
  g_assert_cmpstr (guest->on_crash, ==, "preserve");
  g_assert_cmpstr (guest->macs[0], ==, find (list_long, "guest")->macs[0]);
}

/* Real xl with hostile names (capture-fixtures' "hostile names"): a name with a newline
 * splits its row, a name that is not UTF-8 is printed as it is and left out of `xl list -l`.
 * Every domain is listed once, under the name xl gave it, and the raw bytes are kept for
 * commands. */
static void
test_hostile_names (void)
{
  g_autofree char *list_text = capture ("xl-list-hostile.stdout");
  g_autofree char *long_text = capture ("xl-list-l-hostile.stdout");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = lab_xl_parse_list (list_text, -1, &error);
  g_autoptr(GPtrArray) list_long = NULL;
  LabXlDomainInfo *split, *latin1;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);
  split = find (list, "nl\nx 1 2 3 -b---- 0.0");
  g_assert_true (split->name_spans_lines);
  g_assert_cmpstr (split->state, ==, "--p---");
  g_assert_nonnull (find (list, "it's \"q\" sp"));
  g_assert_nonnull (find (list, "octz"));
  latin1 = find (list, "lat\xef\xbf\xbdn");
  g_assert_cmpstr (latin1->xl_name, ==, "lat\xe9n");
  g_assert_null (split->xl_name);

  list_long = lab_xl_parse_list_long (long_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list_long->len, ==, 4);
  g_assert_null (lookup (list_long, "lat\xef\xbf\xbdn"));
  g_assert_nonnull (find (list_long, "nl\nx 1 2 3 -b---- 0.0")->uuid);

  /* The names are ambiguous, so xl list -l's count; the domain it cannot read stays, as
   * xl leaves out every name that is not UTF-8. */
  lab_xl_merge (list, list_long, NULL);
  g_assert_cmpuint (list->len, ==, 5);
  g_assert_null (find (list, "lat\xef\xbf\xbdn")->uuid);
  g_assert_nonnull (find (list, "nl\nx 1 2 3 -b---- 0.0")->uuid);
  g_assert_nonnull (find (list, "octz")->uuid);
}

/* A name made to look like rows: "x 1 2 3 -b---- 0.0\nreal" gives a first line that
 * parses as a domain with ID 1. xl list -l knows no domain 1, and names domain 5. */
static void
test_injected_row (void)
{
  g_autofree char *long_text = capture ("xl-list-l-hostile.stdout");
  g_autoptr(GRegex) domid = g_regex_new ("\"domid\": 13,", 0, 0, NULL);
  g_autoptr(GRegex) name = g_regex_new ("\"nl\\\\nx 1 2 3 -b---- 0.0\"", 0, 0, NULL);
  g_autofree char *step = g_regex_replace_literal (domid, long_text, -1, 0, "\"domid\": 5,",
                                                   0, NULL);
  g_autofree char *fake_long = g_regex_replace_literal (name, step, -1, 0,
                                                        "\"x 1 2 3 -b---- 0.0\\nreal\"",
                                                        0, NULL);
  const char *text =
    "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
    "Domain-0                                     0  1280     1     r-----     130.3\n"
    "x 1 2 3 -b---- 0.0\n"
    "real                                    5    96     1     --p---       0.0\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = lab_xl_parse_list (text, -1, &error);
  g_autoptr(GPtrArray) list_long = lab_xl_parse_list_long (fake_long, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lookup (list, "x"));
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_nonnull (lookup (list_long, "x 1 2 3 -b---- 0.0\nreal"));
  lab_xl_merge (list, list_long, NULL);
  g_assert_null (lookup (list, "x"));
  g_assert_null (lookup (list, "real"));
  g_assert_cmpint (find (list, "x 1 2 3 -b---- 0.0\nreal")->domid, ==, 5);
  g_assert_cmpuint (list->len, ==, 2);

  /* The same when the made-up row has the ID of a domain that exists: it does not end that
   * domain's name, so it goes, and the domain keeps its one real row. */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = lab_xl_parse_list (
    "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
    "Domain-0                                     0  1280     1     r-----     130.3\n"
    "octz                                        11    96     1     --p---       0.0\n"
    "x                                           11    96     1     -b----       0.0\n"
    "real                                    5    96     1     --p---       0.0\n",
    -1, &error);
  g_assert_no_error (error);
  lab_xl_merge (list, list_long, NULL);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (find (list, "octz")->state, ==, "--p---");
  g_assert_null (lookup (list, "x"));
}

/* The MAC that `xl network-list` prints is the one in `xl list -l` and in the lease. */
static void
test_network_list_matches_lease (void)
{
  g_autofree char *netlist = capture ("xl-network-list.stdout");
  g_autofree char *leases = capture ("dnsmasq-leases.stdout");
  g_autofree char *long_text = capture ("xl-list-l-guest.stdout");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list_long = lab_xl_parse_list_long (long_text, -1, &error);
  g_auto(GStrv) lines = g_strsplit (netlist, "\n", -1);
  g_auto(GStrv) row = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (lines[0], "Idx BE Mac Addr."));
  row = g_strsplit_set (lines[1], " ", -1);
  g_assert_cmpstr (row[0], ==, "0");
  for (guint i = 1; row[i] != NULL; i++)
    {
      if (strlen (row[i]) == 17)
        {
          g_assert_cmpstr (row[i], ==, find (list_long, "guest")->macs[0]);
          g_assert_nonnull (strstr (leases, row[i]));
          return;
        }
    }
  g_assert_not_reached ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xl-real/list", test_list);
  g_test_add_func ("/xl-real/list-states", test_list_states);
  g_test_add_func ("/xl-real/list-shutdown-sequence", test_list_shutdown_sequence);
  g_test_add_func ("/xl-real/list-long", test_list_long);
  g_test_add_func ("/xl-real/list-long-crashed", test_list_long_crashed);
  g_test_add_func ("/xl-real/uptime-and-merge", test_uptime_and_merge);
  g_test_add_func ("/xl-real/network-list-matches-lease", test_network_list_matches_lease);
  g_test_add_func ("/xl-real/hostile-names", test_hostile_names);
  g_test_add_func ("/xl-real/injected-row", test_injected_row);

  return g_test_run ();
}
