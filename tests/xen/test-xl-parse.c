/* test-xl-parse.c — xl output and config parsers, on faithful and hostile input
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "xen/lab-xl-config.h"
#include "xen/lab-xl-list.h"
#include "lab-test-utils.h"

/* The table exactly as tools/xl/xl_info.c prints it (header with two TABs, rows with
 * "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f"). */
static char *
xl_list_row (const char *name,
             int         domid,
             gulong      mem,
             int         vcpus,
             const char *state,
             double      time)
{
  return g_strdup_printf ("%-40s %5d %5lu %5d     %s  %8.1f\n",
                          name, domid, mem, vcpus, state, time);
}

typedef GPtrArray *(*ListParser) (const char  *text,
                                  gssize       length,
                                  GError     **error);

/* Parses @text with @parser, which must succeed with @n_domains domains. */
static GPtrArray *
parse_ok (ListParser  parser,
          const char *text,
          guint       n_domains)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = parser (text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, n_domains);
  return list;
}

#define XL_LIST_HEADER \
  "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"

static void
test_list_plain (void)
{
  g_autofree char *row0 = xl_list_row ("Domain-0", 0, 1024, 2, "r-----", 123.4);
  g_autofree char *row1 = xl_list_row ("https", 3, 256, 1, "-b----", 0.5);
  g_autofree char *row2 = xl_list_row ("crashy", 7, 16, 1, "---sc-", 1.0);
  g_autofree char *text = g_strconcat (XL_LIST_HEADER, row0, row1, row2, NULL);
  g_autoptr(GPtrArray) list = parse_ok (lab_xl_parse_list, text, 3);
  LabXlDomainInfo *info;

  info = g_ptr_array_index (list, 0);
  g_assert_cmpstr (info->name, ==, "Domain-0");
  g_assert_cmpint (info->domid, ==, 0);
  g_assert_cmpint (info->memory_mib, ==, 1024);
  g_assert_cmpint (info->vcpus, ==, 2);
  g_assert_cmpstr (info->state, ==, "r-----");
  g_assert_cmpfloat_with_epsilon (info->cpu_time, 123.4, 0.001);

  info = g_ptr_array_index (list, 1);
  g_assert_cmpstr (info->name, ==, "https");
  g_assert_cmpint (info->domid, ==, 3);
  g_assert_cmpstr (info->state, ==, "-b----");

  info = g_ptr_array_index (list, 2);
  g_assert_cmpstr (info->state, ==, "---sc-");
}

static void
test_list_blog_xen44 (void)
{
  /* The two rows of the 2015 recipe (Xen 4.4), whitespace as the blog shows it. */
  const char *text =
    "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
    "Domain-0                                     0  1896     1     r-----      31.7\n"
    "www                                         33   256     1     -b----       0.2\n";
  g_autoptr(GPtrArray) list = parse_ok (lab_xl_parse_list, text, 2);

  g_assert_cmpstr (((LabXlDomainInfo *) list->pdata[1])->name, ==, "www");
  g_assert_cmpint (((LabXlDomainInfo *) list->pdata[1])->domid, ==, 33);
  g_assert_cmpint (((LabXlDomainInfo *) list->pdata[0])->memory_mib, ==, 1896);
}

static void
test_list_long_names (void)
{
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *row = xl_list_row (long_name, 12, 32, 1, "-b----", 12345.6);
  g_autofree char *spaced = xl_list_row ("name with spaces", 13, 32, 1, "-b----", 0.0);
  g_autofree char *text = g_strconcat (XL_LIST_HEADER, row, spaced, NULL);
  g_autoptr(GPtrArray) list = parse_ok (lab_xl_parse_list, text, 2);

  /* An overflowing name pushes the columns right; splitting from the right copes. */
  g_assert_cmpstr (((LabXlDomainInfo *) list->pdata[0])->name, ==, long_name);
  g_assert_cmpfloat_with_epsilon (((LabXlDomainInfo *) list->pdata[0])->cpu_time, 12345.6, 1e-6);
  g_assert_cmpstr (((LabXlDomainInfo *) list->pdata[1])->name, ==, "name with spaces");
}

static void
test_list_non_utf8 (void)
{
  g_autofree char *row = xl_list_row ("bad\xff\xfename", 4, 32, 1, "-b----", 1.0);
  g_autofree char *text = g_strconcat (XL_LIST_HEADER, row, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = lab_xl_parse_list (text, -1, &error);
  const char *name;

  g_assert_no_error (error);
  name = ((LabXlDomainInfo *) list->pdata[0])->name;
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_true (g_str_has_prefix (name, "bad"));
  g_assert_true (g_str_has_suffix (name, "name"));
}

static void
test_list_hostile (void)
{
  const char *bad[] = {
    "",
    "\n\n",
    "garbage\n",
    XL_LIST_HEADER "Domain-0 0 1024\n",
    XL_LIST_HEADER "Domain-0 x 1024 2 r----- 1.0\n",
    XL_LIST_HEADER "Domain-0 0 1024 2 rzzzzz 1.0\n",
    XL_LIST_HEADER "Domain-0 0 1024 2 r----- nan?\n",
    XL_LIST_HEADER "0 1024 2 r----- 1.0\n",
    XL_LIST_HEADER "Domain-0 -1 1024 2 r----- 1.0\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = lab_xl_parse_list (bad[i], -1, &error);

      g_assert_null (list);
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }

  /* A header alone is a valid, empty answer; CRLF line ends too. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = lab_xl_parse_list (XL_LIST_HEADER, -1, &error);
    g_autoptr(GPtrArray) crlf = lab_xl_parse_list (
      "Name ID Mem VCPUs\tState\tTime(s)\r\nDomain-0 0 1024 2 r----- 1.0\r\n", -1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 0);
    g_assert_cmpuint (crlf->len, ==, 1);
  }
}

static void
test_list_truncated_everywhere (void)
{
  g_autofree char *row0 = xl_list_row ("Domain-0", 0, 1024, 2, "r-----", 123.4);
  g_autofree char *row1 = xl_list_row ("https", 3, 256, 1, "-b----", 0.5);
  g_autofree char *text = g_strconcat (XL_LIST_HEADER, row0, row1, NULL);
  gsize len = strlen (text);

  /* Any prefix either parses or fails cleanly; none crashes (run under ASan in CI). */
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = lab_xl_parse_list (text, cut, &error);

      g_assert_true ((list == NULL) != (error == NULL));
    }
}

static const char list_long_json[] =
  "[\n"
  "    {\n"
  "        \"domid\": 3,\n"
  "        \"config\": {\n"
  "            \"c_info\": {\n"
  "                \"type\": \"pvh\",\n"
  "                \"name\": \"https\",\n"
  "                \"uuid\": \"5a6f1f0e-3c1d-4a7b-9d7e-0a1b2c3d4e5f\",\n"
  "                \"some_future_key\": [1, 2, 3]\n"
  "            },\n"
  "            \"b_info\": {\n"
  "                \"max_vcpus\": 1,\n"
  "                \"max_memkb\": 262144,\n"
  "                \"target_memkb\": 262144,\n"
  "                \"kernel\": \"https.xen\",\n"
  "                \"cmdline\": \"--ipv4=192.168.56.20/24\",\n"
  "                \"type.pvh\": {}\n"
  "            },\n"
  "            \"nics\": [\n"
  "                {\n"
  "                    \"devid\": 0,\n"
  "                    \"mac\": \"00:16:3E:5A:01:02\",\n"
  "                    \"bridge\": \"br0\",\n"
  "                    \"script\": \"vif-bridge\"\n"
  "                },\n"
  "                \"not an object\"\n"
  "            ],\n"
  "            \"on_crash\": \"preserve\"\n"
  "        }\n"
  "    },\n"
  "    { \"domid\": \"bad\" },\n"
  "    42\n"
  "]\n";

static void
test_list_long (void)
{
  g_autoptr(GPtrArray) list = parse_ok (lab_xl_parse_list_long, list_long_json, 1);
  LabXlDomainInfo *info;

  info = g_ptr_array_index (list, 0);
  g_assert_cmpint (info->domid, ==, 3);
  g_assert_cmpstr (info->name, ==, "https");
  g_assert_cmpstr (info->type, ==, "pvh");
  g_assert_cmpstr (info->kernel, ==, "https.xen");
  g_assert_cmpstr (info->cmdline, ==, "--ipv4=192.168.56.20/24");
  g_assert_cmpstr (info->on_crash, ==, "preserve");
  g_assert_cmpint (info->max_memory_mib, ==, 256);
  g_assert_cmpint (g_strv_length (info->macs), ==, 1);
  g_assert_cmpstr (info->macs[0], ==, "00:16:3e:5a:01:02");
  g_assert_cmpstr (info->bridges[0], ==, "br0");
}

static void
test_list_long_hostile (void)
{
  const char *bad[] = { "", "{", "[", "{\"domid\": 1}", "nonsense", "[{\"domid\": 1,]" };
  gsize len = strlen (list_long_json);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = lab_xl_parse_list_long (bad[i], -1, &error);

      g_assert_null (list);
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
    }

  /* Every prefix that stops before the closing “]” is incomplete. */
  for (gsize cut = 0; cut < len - 2; cut += 7)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = lab_xl_parse_list_long (list_long_json, cut, &error);

      /* Only the complete document is valid JSON. */
      g_assert_null (list);
      g_assert_nonnull (error);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = lab_xl_parse_list_long ("[\"\xff\"]", -1, &error);

    g_assert_null (list);
    g_assert_nonnull (error);
  }

  /* json-glib quotes the offending token in its message, and can cut a character in two
   * doing so (input found by fuzzing): our GError must still be UTF-8. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = lab_xl_parse_list_long (
      "{\"[ -dadoes\n\notxen\xe2\x80\x9d-gtk-priven\xe2\x80\x9d" "en\xe2\x80\x9d\"", -1, &error);

    g_assert_null (list);
    g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
  }
}

/* The seconds `xl uptime` gave @name, which must be in @uptimes. */
static gint64
uptime_of (GHashTable *uptimes,
           const char *name)
{
  gint64 *value = g_hash_table_lookup (uptimes, name);

  g_assert_nonnull (value);
  return *value;
}

static void
test_uptime (void)
{
  g_autofree char *text = g_strdup_printf ("%-33s %4s %s\n%-33s %4d %s\n%-33s %4d %s\n",
                                           "Name", "ID", "Uptime",
                                           "Domain-0", 0, "2 days,  3:04:05",
                                           "https", 3, "0:00:42");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) uptimes = lab_xl_parse_uptime (text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpint (uptime_of (uptimes, "Domain-0"), ==, 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
  g_assert_cmpint (uptime_of (uptimes, "https"), ==, 42);
}

/* `xl uptime` prints the days as a C int: a bigger count is not xl's, and multiplying it
 * into seconds must not overflow. */
static void
test_uptime_huge_days (void)
{
  const char *days[] = { "2147483648", "99999999999999999", "9223372036854775807",
                         "99999999999999999999999" };

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autofree char *uptime = g_strdup_printf ("%s days,  3:04:05", days[i]);
      g_autofree char *text = g_strdup_printf ("%-33s %4s %s\n%-33s %4d %s\n",
                                               "Name", "ID", "Uptime",
                                               "Domain-0", 0, uptime);
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) uptimes = lab_xl_parse_uptime (text, -1, &error);

      g_assert_null (uptimes);
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
    }

  /* The largest count xl can print still works. */
  {
    g_autofree char *text = g_strdup_printf ("%-33s %4s %s\n%-33s %4d %d days, 23:59:59\n",
                                             "Name", "ID", "Uptime", "Domain-0", 0, G_MAXINT);
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) uptimes = lab_xl_parse_uptime (text, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpint (uptime_of (uptimes, "Domain-0"), ==, (gint64) G_MAXINT * 86400 + 86399);
  }
}

/* An `xl list` that exits 0 without a byte of output: the poll's GBytes is empty, and its
 * data pointer is NULL. Real xl always prints at least the header and Domain-0 (see
 * tests/fixtures/xen-4.17/xl-list-dom0.stdout), so this is an error, reported as one. */
static void
test_poll_empty_output (void)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autofree char *row = xl_list_row ("Domain-0", 0, 1024, 2, "r-----", 1.0);
  g_autofree char *text = g_strconcat (XL_LIST_HEADER, row, NULL);
  g_autoptr(GBytes) list = g_bytes_new (text, strlen (text));

  g_assert_null (g_bytes_get_data (empty, NULL));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) running = lab_xl_parse_poll (empty, empty, empty, &error);

    g_assert_null (running);
    g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
  }

  /* Each parser on its own. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (lab_xl_parse_list (NULL, 0, &error));
    g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
    g_clear_error (&error);
    g_assert_null (lab_xl_parse_list_long (NULL, 0, &error));
    g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
    g_clear_error (&error);
    g_assert_null (lab_xl_parse_uptime (NULL, 0, &error));
    g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
  }

  /* Empty details only lose the details. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) running = lab_xl_parse_poll (list, empty, empty, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (running->len, ==, 1);
    g_assert_cmpint (((LabXlDomainInfo *) running->pdata[0])->uptime, ==, -1);
  }
}

static void
test_merge (void)
{
  g_autofree char *row = xl_list_row ("https", 3, 256, 1, "-b----", 0.5);
  g_autofree char *text = g_strconcat (XL_LIST_HEADER, row, NULL);
  g_autoptr(GPtrArray) list = lab_xl_parse_list (text, -1, NULL);
  g_autoptr(GPtrArray) list_long = lab_xl_parse_list_long (list_long_json, -1, NULL);
  g_autoptr(GHashTable) uptimes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 seconds = 42;
  LabXlDomainInfo *info;

  g_hash_table_insert (uptimes, g_strdup ("https"), g_memdup2 (&seconds, sizeof seconds));
  lab_xl_merge (list, list_long, uptimes);
  info = g_ptr_array_index (list, 0);
  g_assert_cmpstr (info->type, ==, "pvh");
  g_assert_cmpstr (info->macs[0], ==, "00:16:3e:5a:01:02");
  g_assert_cmpint (info->uptime, ==, 42);
  g_assert_cmpstr (info->state, ==, "-b----");
}

static char *
read_fixture (const char *name)
{
  return lab_test_read_fixture ("xl", name, NULL);
}

static void
test_config_classic (void)
{
  g_autofree char *text = read_fixture ("www-classic.xl");
  g_autofree char *expected = read_fixture ("www-classic-fixed.xl");
  g_autoptr(GError) error = NULL;
  g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("/home/mirage/www.xl",
                                                               text, -1, &error);
  g_autoptr(LabXlConfig) fixed_config = NULL;
  g_autofree char *fixed = NULL;
  g_auto(GStrv) macs = NULL;
  gint64 memory = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (lab_xl_config_get_name (config), ==, "www");
  g_assert_cmpstr (lab_xl_config_get_string (config, "kernel"), ==,
                   "/home/mirage/mirage-skeleton/static_website/mir-www.xen");
  g_assert_true (lab_xl_config_get_number (config, "memory", &memory));
  g_assert_cmpint (memory, ==, 256);
  g_assert_cmpstr (lab_xl_config_get_string (config, "on_crash"), ==, "preserve");
  g_assert_cmpstr (lab_xl_config_get_domain_type (config), ==, "pv");
  macs = lab_xl_config_dup_macs (config);
  g_assert_cmpint (g_strv_length (macs), ==, 1);
  g_assert_cmpstr (macs[0], ==, "c0:ff:ee:c0:ff:ee");

  g_assert_true (lab_xl_config_has_legacy_builder (config));
  fixed = lab_xl_config_fix_legacy_builder (config);
  g_assert_cmpstr (fixed, ==, expected);

  /* The fix is idempotent: the fixed file needs nothing more. */
  fixed_config = lab_xl_config_new_from_data ("/home/mirage/www.xl", fixed, -1, &error);
  g_assert_no_error (error);
  g_assert_false (lab_xl_config_has_legacy_builder (fixed_config));
  g_assert_null (lab_xl_config_fix_legacy_builder (fixed_config));
  g_assert_cmpstr (lab_xl_config_get_domain_type (fixed_config), ==, "pv");
}

static void
test_config_modern (void)
{
  g_autofree char *text = read_fixture ("https-modern.xl");
  g_autoptr(GError) error = NULL;
  g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("/home/mirage/https.xl",
                                                               text, -1, &error);
  const char * const *vif;
  const char * const *disk;
  g_auto(GStrv) macs = NULL;
  g_autoptr(GHashTable) spec = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lab_xl_config_get_name (config), ==, "https");
  g_assert_cmpstr (lab_xl_config_get_domain_type (config), ==, "pvh");
  g_assert_false (lab_xl_config_has_legacy_builder (config));
  disk = lab_xl_config_get_list (config, "disk");
  g_assert_nonnull (disk);
  g_assert_null (disk[0]);
  vif = lab_xl_config_get_list (config, "vif");
  g_assert_nonnull (vif);
  g_assert_cmpstr (vif[0], ==, "bridge=br0");
  spec = lab_xl_parse_vif_spec (vif[0]);
  g_assert_cmpstr (g_hash_table_lookup (spec, "bridge"), ==, "br0");
  macs = lab_xl_config_dup_macs (config);
  g_assert_cmpint (g_strv_length (macs), ==, 0);
}

/* Quoted strings as real xl 4.17 reads them (tests/fixtures/xen-4.17/xl-create-escape-*):
 * escapes in both quote kinds, an octal escape that writes nothing, and "\x" or an unknown
 * escape refused. The name shown must be the name xl gives the domain. */
static void
test_config_escapes (void)
{
  static const struct { const char *literal; const char *name; } good[] = {
    { "'it\\'s \"q\" sp'", "it's \"q\" sp" },
    { "\"nl\\nx 1 2 3 -b---- 0.0\"", "nl\nx 1 2 3 -b---- 0.0" },
    { "'oct\\101z'", "octz" },
    { "'tab\\tbell\\a'", "tab\tbell\a" },
    { "'a\\1 2b'", "ab" },
    { "'back\\\\slash'", "back\\slash" },
  };
  static const char * const bad[] = {
    "'a\\x41b'", "'a\\qb'", "'a\\12'", "'a\\1'", "'end\\",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = g_strdup_printf ("name = %s\nmemory = 64\n", good[i].literal);
      g_autoptr(GError) error = NULL;
      g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("x.xl", text, -1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (lab_xl_config_get_name (config), ==, good[i].name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("name = %s\nmemory = 64\n", bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("x.xl", text, -1, &error);

      g_test_message ("%s: %s", bad[i], error ? error->message : "(parsed)");
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
      g_assert_null (config);
    }
}

static void
test_config_syntax (void)
{
  const char *text =
    "# a comment\n"
    "name=\"quoted \\\"name\\\"\"; memory = 0x40 # trailing comment\n"
    "extra = '--ipv4=10.0.0.2/24 --ipv4-gateway=10.0.0.1'\n"
    "vif = [\n"
    "  'mac=00:16:3E:00:00:01, bridge=br0', # first\n"
    "  \"mac=00:16:3e:00:00:02,bridge=br1\",\n"
    "]\n"
    "memory += 1\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("x.xl", text, -1, &error);
  g_auto(GStrv) macs = NULL;
  gint64 memory = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (lab_xl_config_get_name (config), ==, "quoted \"name\"");
  g_assert_cmpstr (lab_xl_config_get_cmdline (config), ==,
                   "--ipv4=10.0.0.2/24 --ipv4-gateway=10.0.0.1");
  g_assert_true (lab_xl_config_get_number (config, "memory", &memory));
  g_assert_cmpint (memory, ==, 1);
  macs = lab_xl_config_dup_macs (config);
  g_assert_cmpint (g_strv_length (macs), ==, 2);
  g_assert_cmpstr (macs[0], ==, "00:16:3e:00:00:01");
  g_assert_cmpstr (macs[1], ==, "00:16:3e:00:00:02");
}

static void
test_config_errors (void)
{
  struct { const char *text; const char *line; } bad[] = {
    { "name = 'unterminated\n", "line 1" },
    { "name 'www'\n", "line 1" },
    { "\n\nvif = [ 'a' 'b' ]\n", "line 3" },
    { "memory = 256 junk\n", "line 1" },
    { "= 3\n", "line 1" },
    { "vif = [ 'a',\n", "line 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("bad.xl", bad[i].text, -1,
                                                                   &error);

      g_assert_null (config);
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
      if (strstr (error->message, bad[i].line) == NULL)
        g_error ("“%s”: error “%s” does not name %s",
                 bad[i].text, error->message, bad[i].line);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("bin.xl", "name='a'\0x", 10,
                                                                 &error);

    g_assert_null (config);
    g_assert_nonnull (error);
  }
}

typedef struct
{
  const char *text;
  const char *fixed;   /* NULL: nothing to fix */
} FixCase;

static void
test_config_fix_cases (void)
{
  const FixCase cases[] = {
    /* With `type` set, the builder setting goes and nothing else does. */
    { "type = 'pv'\nbuilder = 'linux' # old\nname = 'x'\n",
      "type = 'pv'\n # old\nname = 'x'\n" },
    { "type = 'pv'\nbuilder=\"linux\"; memory=64\n", "type = 'pv'\n; memory=64\n" },
    { "builder=\"linux\"; memory=64\n", "type = \"pv\"; memory=64\n" },
    /* Two on one line: the one in effect (the last) becomes the type. */
    { "builder='linux'; builder='linux'; memory=64\nname='x'\n",
      "; type = \"pv\"; memory=64\nname='x'\n" },
    { "type='pv'\nbuilder='linux'; builder='linux'; memory=64\nname='x'\n",
      "type='pv'\n; ; memory=64\nname='x'\n" },
    /* Comments and strings that look like builder settings are not settings. */
    { "# builder='linux'\nname = \"builder='linux'\" # builder='linux'\nbuilder='linux'\n",
      "# builder='linux'\nname = \"builder='linux'\" # builder='linux'\ntype = \"pv\"\n" },
    { "extra = 'a;builder=\"x\"#'; builder = 'linux' ;memory=8",
      "extra = 'a;builder=\"x\"#'; type = \"pv\" ;memory=8" },
    /* CRLF line ends and a missing final newline stay as they are. */
    { "name = 'www'\r\nbuilder = 'linux'\r\nmemory = 256\r\n",
      "name = 'www'\r\ntype = \"pv\"\r\nmemory = 256\r\n" },
    { "name = 'www'\nbuilder = 'linux'", "name = 'www'\ntype = \"pv\"" },
    { "builder+='linux'\n", "type = \"pv\"\n" },
    /* An earlier hvm builder is overridden by the later linux one: both go. */
    { "builder = 'hvm'\nbuilder = 'linux'\n", "\ntype = \"pv\"\n" },
    /* Nothing to fix. */
    { "builder = 'hvm'\n", NULL },
    { "builder = 'linux'\nbuilder = 'generic'\n", NULL },
    { "name = 'x'\n", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("x.xl", cases[i].text, -1,
                                                                   &error);
      g_autofree char *fixed = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_no_error (error);
      fixed = lab_xl_config_fix_legacy_builder (config);
      g_assert_cmpstr (fixed, ==, cases[i].fixed);
      if (fixed != NULL)
        {
          g_autoptr(LabXlConfig) again = lab_xl_config_new_from_data ("x.xl", fixed, -1, &error);

          g_assert_no_error (error);
          g_assert_false (lab_xl_config_has_legacy_builder (again));
          g_assert_null (lab_xl_config_get_string (again, "builder"));
        }
    }
}

/* Random configs in xl's grammar, built here with the byte range of every builder setting
 * known: the fix must replace exactly those ranges (the one in effect by `type = "pv"`
 * when there is no type, the others by nothing) and keep every other byte. */

static const char *
pick (const char * const *items,
      guint               n)
{
  return items[g_test_rand_int_range (0, n)];
}

#define PICK(array) pick (array, G_N_ELEMENTS (array))

static void
append_blanks (GString *text)
{
  static const char * const blanks[] = { "", "", " ", "  ", "\t", " \t " };

  g_string_append (text, PICK (blanks));
}

static void
append_string (GString *text)
{
  static const char * const strings[] = {
    "'www'", "\"www\"", "''", "\"\"", "'builder=\"linux\"'", "\"builder='linux'\"",
    "'a;b'", "\"a # not a comment\"", "\"esc \\\" builder = 'linux'\"", "'type = \"pv\"'",
    "'--ipv4=10.0.0.2/24'", "\"tab\\there\"", "'\xc3\xa9t\xc3\xa9'", "'latin1 \xe9'",
  };

  g_string_append (text, PICK (strings));
}

static void
append_value (GString *text)
{
  static const char * const numbers[] = { "0", "64", "0x40", "256" };

  switch (g_test_rand_int_range (0, 4))
    {
    case 0:
    case 1:
      append_string (text);
      break;
    case 2:
      g_string_append (text, PICK (numbers));
      break;
    default:
      g_string_append_c (text, '[');
      for (int n = g_test_rand_int_range (0, 3), j = 0; j < n; j++)
        {
          append_blanks (text);
          append_string (text);
          append_blanks (text);
          if (g_test_rand_bit ())
            g_string_append (text, "# builder = 'linux'\n");
          if (j + 1 < n || g_test_rand_bit ())
            g_string_append_c (text, ',');
          if (g_test_rand_bit ())
            g_string_append (text, g_test_rand_bit () ? "\n" : "\r\n");
        }
      g_string_append_c (text, ']');
    }
}

typedef struct
{
  gsize start, end;
} Span;

static void
test_config_fix_property (void)
{
  static const char * const keys[] = { "name", "memory", "kernel", "extra", "vif", "disk",
                                       "on_crash", "builder_x", "mybuilder" };
  static const char * const builders[] = { "'linux'", "\"linux\"", "'hvm'", "\"generic\"",
                                           "''", "'xen'" };
  static const char * const ends[] = { "\n", "\r\n", ";", " ; ", ";\n", "\n\n" };
  guint n_fixed = 0;

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autoptr(LabXlConfig) config = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *fixed = NULL;
      const char *last_builder = NULL;
      gboolean has_type = FALSE;
      int n = g_test_rand_int_range (0, 8);
      gsize copied = 0;

      for (int i = 0; i < n; i++)
        {
          int what = g_test_rand_int_range (0, 10);
          gboolean comment = FALSE;

          append_blanks (text);
          if (what < 3)
            {
              Span span = { text->len, 0 };

              last_builder = PICK (builders);
              g_string_append (text, "builder");
              append_blanks (text);
              g_string_append (text, g_test_rand_int_range (0, 5) == 0 ? "+=" : "=");
              append_blanks (text);
              g_string_append (text, last_builder);
              span.end = text->len;
              g_array_append_val (spans, span);
            }
          else if (what == 3)
            {
              g_string_append (text, "type = 'pvh'");
              has_type = TRUE;
            }
          else if (what == 4)
            {
              g_string_append (text, "# builder = 'linux'; memory = 1");
              comment = TRUE;
            }
          else if (what < 9)
            {
              g_string_append (text, PICK (keys));
              append_blanks (text);
              g_string_append_c (text, '=');
              append_blanks (text);
              append_value (text);
            }
          append_blanks (text);
          if (!comment && g_test_rand_int_range (0, 4) == 0)
            {
              g_string_append (text, "# a comment with builder='linux'");
              comment = TRUE;
            }
          /* A comment runs to the end of the line: the statement ends there. */
          if (i + 1 < n || g_test_rand_bit ())
            g_string_append (text, comment ? "\n" : PICK (ends));
        }

      config = lab_xl_config_new_from_data ("p.xl", text->str, text->len, &error);
      if (error != NULL)
        g_error ("round %u: %s: “%s”", round, error->message, text->str);

      fixed = lab_xl_config_fix_legacy_builder (config);
      if (last_builder == NULL || strstr ("'hvm' \"generic\"", last_builder) != NULL)
        {
          if (fixed != NULL)
            g_error ("round %u: fixed “%s” into “%s”", round, text->str, fixed);
          continue;
        }

      for (guint i = 0; i < spans->len; i++)
        {
          Span *span = &g_array_index (spans, Span, i);

          g_string_append_len (expected, text->str + copied, span->start - copied);
          if (i + 1 == spans->len && !has_type)
            g_string_append (expected, "type = \"pv\"");
          copied = span->end;
        }
      g_string_append_len (expected, text->str + copied, text->len - copied);
      if (g_strcmp0 (fixed, expected->str) != 0)
        g_error ("round %u: “%s” fixed into “%s”, expected “%s”",
                 round, text->str, fixed, expected->str);

      {
        g_autoptr(LabXlConfig) again = lab_xl_config_new_from_data ("p.xl", fixed, -1, &error);

        g_assert_no_error (error);
        g_assert_null (lab_xl_config_fix_legacy_builder (again));
        g_assert_cmpstr (lab_xl_config_get_domain_type (again), ==, has_type ? "pvh" : "pv");
        for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
          g_assert_cmpstr (lab_xl_config_get_string (again, keys[k]), ==,
                           lab_xl_config_get_string (config, keys[k]));
      }
      n_fixed++;
    }

  /* The generator does reach the interesting cases. */
  g_assert_cmpuint (n_fixed, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xl/list/plain", test_list_plain);
  g_test_add_func ("/xl/list/blog-xen-4.4", test_list_blog_xen44);
  g_test_add_func ("/xl/list/long-names", test_list_long_names);
  g_test_add_func ("/xl/list/non-utf8", test_list_non_utf8);
  g_test_add_func ("/xl/list/hostile", test_list_hostile);
  g_test_add_func ("/xl/list/truncated-everywhere", test_list_truncated_everywhere);
  g_test_add_func ("/xl/list-long/parse", test_list_long);
  g_test_add_func ("/xl/list-long/hostile", test_list_long_hostile);
  g_test_add_func ("/xl/uptime", test_uptime);
  g_test_add_func ("/xl/uptime/huge-days", test_uptime_huge_days);
  g_test_add_func ("/xl/poll/empty-output", test_poll_empty_output);
  g_test_add_func ("/xl/merge", test_merge);
  g_test_add_func ("/xl/config/classic", test_config_classic);
  g_test_add_func ("/xl/config/modern", test_config_modern);
  g_test_add_func ("/xl/config/syntax", test_config_syntax);
  g_test_add_func ("/xl/config/escapes", test_config_escapes);
  g_test_add_func ("/xl/config/errors", test_config_errors);
  g_test_add_func ("/xl/config/fix-cases", test_config_fix_cases);
  g_test_add_func ("/xl/config/fix-property", test_config_fix_property);

  return g_test_run ();
}
