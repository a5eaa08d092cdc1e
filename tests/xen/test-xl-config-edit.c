/* test-xl-config-edit.c — edits of .xl files keep every byte they do not change
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "lab-test-utils.h"
#include "xen/lab-xl-config.h"
#include "xen/lab-xl-list.h"
#include "xen/lab-config-edit.h"
#include "xen/lab-domain-store.h"

/* Every .xl file the tests and labs use, found under these folders of tests/. */
static const char * const fixture_folders[] = {
  "fixtures/xl", "lab/home/unikernels", "xen-lab/files/xl", NULL,
};

static void
collect_configs (const char *folder,
                 GPtrArray  *paths)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_configs (path, paths);
      else if (g_str_has_suffix (name, ".xl"))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
}

/* The number of bytes @a and @b share at their start, and at their end (not overlapping). */
static void
common_ends (const char *a,
             const char *b,
             gsize      *prefix,
             gsize      *suffix)
{
  gsize la = strlen (a), lb = strlen (b);

  for (*prefix = 0; *prefix < la && *prefix < lb && a[*prefix] == b[*prefix]; (*prefix)++)
    ;
  for (*suffix = 0; *suffix < la - *prefix && *suffix < lb - *prefix
                    && a[la - 1 - *suffix] == b[lb - 1 - *suffix]; (*suffix)++)
    ;
}

/* Every setting but @key reads the same in @a and @b. */
static void
assert_others_same (LabXlConfig *a,
                    LabXlConfig *b,
                    const char  *key)
{
  static const char * const keys[] = {
    "name", "kernel", "type", "builder", "memory", "maxmem", "vcpus", "extra", "cmdline",
    "on_crash", "on_poweroff", "on_reboot", "vif", "disk", "uuid", NULL,
  };

  for (guint i = 0; keys[i] != NULL; i++)
    {
      gint64 na = -1, nb = -1;

      if (g_str_equal (keys[i], key))
        continue;
      g_assert_cmpstr (lab_xl_config_get_string (a, keys[i]), ==,
                       lab_xl_config_get_string (b, keys[i]));
      g_assert_cmpint (lab_xl_config_get_number (a, keys[i], &na), ==,
                       lab_xl_config_get_number (b, keys[i], &nb));
      g_assert_cmpint (na, ==, nb);
      g_assert_true (g_strv_equal ((const char * const *) (lab_xl_config_get_list (a, keys[i])
                                                           ?: (const char * const[]) { NULL }),
                                   (const char * const *) (lab_xl_config_get_list (b, keys[i])
                                                           ?: (const char * const[]) { NULL })));
    }
}

/* On every fixture: a memory change touches only memory's value, an added setting only the
 * end, and a removed one only its own line. */
static void
test_fixtures (void)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  guint edited = 0;

  for (guint i = 0; fixture_folders[i] != NULL; i++)
    {
      g_autofree char *folder = g_test_build_filename (G_TEST_DIST, fixture_folders[i],
                                                       NULL);

      collect_configs (folder, paths);
    }
  g_assert_cmpuint (paths->len, >=, 15);

  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(LabXlConfig) before = NULL;
      g_autoptr(LabXlConfig) after = NULL;
      g_autoptr(GError) error = NULL;
      gint64 memory = 0;
      gsize prefix, suffix;

      g_assert_true (g_file_get_contents (paths->pdata[i], &text, NULL, NULL));
      before = lab_xl_config_new_from_data (paths->pdata[i], text, -1, NULL);
      if (before == NULL)
        continue;   /* the syntax-error fixtures */
      after = lab_xl_config_new_from_data (paths->pdata[i], text, -1, &error);
      g_assert_no_error (error);

      g_assert_true (lab_xl_config_set_number (after, "memory", 4321, &error));
      g_assert_no_error (error);
      g_assert_true (lab_xl_config_get_number (after, "memory", &memory));
      g_assert_cmpint (memory, ==, 4321);
      assert_others_same (before, after, "memory");
      common_ends (text, lab_xl_config_get_text (after), &prefix, &suffix);
      if (lab_xl_config_get_number (before, "memory", NULL))
        {
          /* Only the old number's bytes differ. */
          g_assert_cmpuint (strlen (text) - prefix - suffix, <=, 20);
          g_assert_nonnull (strstr (lab_xl_config_get_text (after) + prefix, "4321"));
        }
      else
        g_assert_true (g_str_has_suffix (lab_xl_config_get_text (after), "memory = 4321\n"));

      g_assert_true (lab_xl_config_unset (after, "memory", &error));
      g_assert_no_error (error);
      g_assert_false (lab_xl_config_get_number (after, "memory", NULL));
      assert_others_same (before, after, "memory");
      g_assert_cmpuint (strlen (lab_xl_config_get_text (after)), <, strlen (text) + 1);
      edited++;
    }
  g_assert_cmpuint (edited, >=, 12);
}

/* Strings that need escapes read back as they were given, in either quote style. */
static void
test_hostile_strings (void)
{
  static const char * const values[] = {
    "plain", "it's", "say \"hi\"", "back\\slash\\", "two\nlines", "tab\there", "\\n",
    "--ipv4=10.0.0.2/24 -l *:debug", "æøå ✓", "", "'\"'\"", "#not a comment", "a;b=c", NULL,
  };
  static const char * const texts[] = {
    "name = 'x'\n", "name = \"x\"\n", "kernel = 'k'\n", "", "# only a comment", NULL,
  };

  for (guint t = 0; texts[t] != NULL; t++)
    for (guint v = 0; values[v] != NULL; v++)
      {
        g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("x.xl", texts[t], -1, NULL);
        g_autoptr(LabXlConfig) again = NULL;
        g_autoptr(GError) error = NULL;

        g_assert_nonnull (config);
        g_assert_true (lab_xl_config_set_string (config, "name", values[v], &error));
        g_assert_no_error (error);
        g_assert_cmpstr (lab_xl_config_get_name (config), ==, values[v]);
        again = lab_xl_config_new_from_data ("x.xl", lab_xl_config_get_text (config), -1,
                                             &error);
        g_assert_no_error (error);
        g_assert_cmpstr (lab_xl_config_get_name (again), ==, values[v]);
        if (strstr (texts[t], "#") != NULL)
          g_assert_true (g_str_has_prefix (lab_xl_config_get_text (config), texts[t]));
      }
}

static void
test_refused (void)
{
  g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("x.xl", "name = 'x'\n", -1,
                                                               NULL);
  static const char * const keys[] = { "", "1abc", "a b", "a=b", "a\n", "-x", "a+", NULL };

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (lab_xl_config_set_number (config, keys[i], 1, &error));
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (lab_xl_config_set_string (config, "name", "bell\a\x01", &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (lab_xl_config_set_string (config, "name", "\xff\xfe", &error));
    g_assert_nonnull (error);
  }
  g_assert_cmpstr (lab_xl_config_get_text (config), ==, "name = 'x'\n");
}

/* Comments, ';' separators, "+=", a later setting winning, CRLF: what the edit leaves. */
static void
test_layout_kept (void)
{
  static const struct { const char *text; const char *key; gint64 value; const char *want; }
  cases[] = {
    { "# head\nmemory = 64 # why 64\nname='a'\n", "memory", 128,
      "# head\nmemory = 128 # why 64\nname='a'\n" },
    { "memory=1; name='a'; memory=2\n", "memory", 3, "memory=1; name='a'; memory=3\n" },
    { "name='a'\r\nmemory=8\r\n", "memory", 16, "name='a'\r\nmemory=16\r\n" },
    { "name='a'", "vcpus", 2, "name='a'\nvcpus = 2\n" },
    { "", "vcpus", 2, "vcpus = 2\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("x.xl", cases[i].text, -1,
                                                                   NULL);
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (config);
      g_assert_true (lab_xl_config_set_number (config, cases[i].key, cases[i].value, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (lab_xl_config_get_text (config), ==, cases[i].want);
    }
}

static void
test_append_and_unset (void)
{
  const char *text = "name = 'a'\nvif = [ 'bridge=br0' ]\n# more\nvif += [ 'bridge=br1' ]\n"
                     "extra = '-l *:debug'\nuuid = '1'; memory = 8\n";
  g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("x.xl", text, -1, NULL);
  const char * const vifs[] = { "bridge=br0", "bridge=br1,mac=00:16:3e:00:00:01", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (config);
  g_assert_true (lab_xl_config_set_list (config, "vif", vifs, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_xl_config_get_text (config), ==,
                   "name = 'a'\nvif = [ 'bridge=br0', 'bridge=br1,mac=00:16:3e:00:00:01' ]\n"
                   "# more\nextra = '-l *:debug'\nuuid = '1'; memory = 8\n");
  g_assert_true (lab_xl_config_unset (config, "extra", &error));
  g_assert_true (lab_xl_config_unset (config, "uuid", &error));
  g_assert_true (lab_xl_config_unset (config, "nothing", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_xl_config_get_text (config), ==,
                   "name = 'a'\nvif = [ 'bridge=br0', 'bridge=br1,mac=00:16:3e:00:00:01' ]\n"
                   "# more\n; memory = 8\n");
  g_assert_true (lab_xl_config_set_list (config, "disk", NULL, &error));
  g_assert_true (g_str_has_suffix (lab_xl_config_get_text (config), "disk = []\n"));
}

static void
test_duplicate (void)
{
  const char *text = "# my web server\nname = \"web\"\nuuid = 'aaaa-bbbb'\nkernel = 'web.xen'\n"
                     "vif = [ 'bridge=br0,mac=00:16:3E:11:22:33,vifname=web0', 'bridge=br1' ]\n"
                     "memory = 32\n";
  g_autoptr(LabXlConfig) config = lab_xl_config_new_from_data ("/u/web.xl", text, -1, NULL);
  g_autoptr(LabXlConfig) copy = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const char * const used[] = { "00:16:3e:11:22:33", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) macs = NULL;
  g_autofree char *kernel = NULL;
  const char * const *vifs;

  copy = lab_xl_config_duplicate (config, "/u/web-2.xl", "web-2", rand, used, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lab_xl_config_get_path (copy), ==, "/u/web-2.xl");
  g_assert_cmpstr (lab_xl_config_get_name (copy), ==, "web-2");
  g_assert_null (lab_xl_config_get_string (copy, "uuid"));
  kernel = lab_xl_config_dup_kernel_path (copy);
  g_assert_cmpstr (kernel, ==, "/u/web.xen");
  g_assert_true (g_str_has_prefix (lab_xl_config_get_text (copy), "# my web server\n"
                                   "name = \"web-2\"\nkernel = 'web.xen'\n"));
  vifs = lab_xl_config_get_list (copy, "vif");
  g_assert_cmpuint (g_strv_length ((GStrv) vifs), ==, 2);
  g_assert_true (g_str_has_prefix (vifs[0], "bridge=br0,mac=00:16:3e:"));
  g_assert_null (strstr (vifs[0], "vifname"));
  g_assert_cmpstr (vifs[1], ==, "bridge=br1");
  macs = lab_xl_config_dup_macs (copy);
  g_assert_cmpuint (g_strv_length (macs), ==, 1);
  g_assert_cmpstr (macs[0], !=, "00:16:3e:11:22:33");
  g_assert_true (g_regex_match_simple ("^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$",
                                       macs[0], 0, 0));
  /* The original is untouched. */
  g_assert_cmpstr (lab_xl_config_get_text (config), ==, text);
}

static void
test_generate_mac (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GPtrArray) used = g_ptr_array_new_with_free_func (g_free);

  /* Every one new, and in range, far past where random picks would start to meet. */
  for (guint i = 0; i < 3000; i++)
    {
      char *mac;

      g_ptr_array_add (used, NULL);
      mac = lab_xl_generate_mac (rand, (const char * const *) used->pdata);
      g_ptr_array_remove_index (used, used->len - 1);
      g_assert_nonnull (mac);
      g_assert_true (g_str_has_prefix (mac, "00:16:3e:"));
      g_assert_cmpint (g_ascii_xdigit_value (mac[9]), <, 8);
      g_ptr_array_add (used, mac);
    }
}

static void
modified_cb (GObject    *object,
             GParamSpec *pspec,
             guint      *count)
{
  (*count)++;
}

/* The core of Edit…: the boot arguments go where the config has them, a text that does not
 * parse changes nothing, ::modified follows the text back and forth. */
static void
test_config_edit (void)
{
  g_autoptr(LabDomainStore) store = lab_domain_store_new ();
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) poll = g_ptr_array_new ();
  g_autoptr(LabConfigEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *diff = NULL;
  const char *text = "name = 'a'\ncmdline = 'x'\nextra = 'old'\n";
  guint notified = 0;

  g_ptr_array_add (configs, lab_xl_config_new_from_data ("/u/a.xl", text, -1, NULL));
  lab_domain_store_update (store, poll, configs, G_USEC_PER_SEC);
  edit = lab_config_edit_new (NULL, lab_domain_store_lookup (store, "a"));
  g_signal_connect (edit, "notify::modified", G_CALLBACK (modified_cb), &notified);

  g_assert_true (lab_config_edit_set_cmdline (edit, "--ipv4=10.0.0.9/24", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_xl_config_get_text (lab_config_edit_get_config (edit)), ==,
                   "name = 'a'\ncmdline = '--ipv4=10.0.0.9/24'\nextra = 'old'\n");
  g_assert_true (lab_config_edit_get_modified (edit));
  g_assert_false (lab_config_edit_set_text (edit, "name = \n", &error));
  g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_nonnull (strstr (lab_xl_config_get_text (lab_config_edit_get_config (edit)), "9/24"));
  diff = lab_config_edit_dup_diff (edit);
  g_assert_nonnull (strstr (diff, "\n-cmdline = 'x'\n+cmdline = '--ipv4=10.0.0.9/24'\n"));
  g_assert_true (lab_config_edit_set_text (edit, text, &error));
  g_assert_false (lab_config_edit_get_modified (edit));
  g_assert_cmpuint (notified, ==, 2);
  /* An empty value adds nothing where the setting is absent. */
  g_assert_true (lab_config_edit_set_string (edit, "on_crash", "", &error));
  g_assert_false (lab_config_edit_get_modified (edit));
  g_assert_false (lab_config_edit_get_applies_later (edit));
}

/* A new domain's config: plain defaults, a MAC of Xen's range; the bridge row changes the
 * first vif only; the path follows the name. */
static void
test_new_domain (void)
{
  g_autoptr(LabConfigEdit) edit = lab_config_edit_new_domain (NULL, "/home/u/unikernels", "br0");
  LabXlConfig *config = lab_config_edit_get_config (edit);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) macs = NULL;
  const char * const *vifs;
  gint64 memory = 0;

  g_assert_null (lab_config_edit_get_domain (edit));
  g_assert_true (lab_config_edit_get_modified (edit));
  g_assert_cmpstr (lab_xl_config_get_name (config), ==, "unikernel");
  g_assert_cmpstr (lab_xl_config_get_domain_type (config), ==, "pvh");
  g_assert_true (lab_xl_config_get_number (config, "memory", &memory));
  g_assert_cmpint (memory, ==, 64);
  macs = lab_xl_config_dup_macs (config);
  g_assert_cmpuint (g_strv_length (macs), ==, 1);
  g_assert_true (g_str_has_prefix (macs[0], "00:16:3e:"));
  g_assert_true (lab_config_edit_set_text (edit, "name = 'fresh'\n"
                                           "vif = [ 'bridge=br0,mac=00:16:3e:00:00:01', "
                                           "'bridge=br1' ]\n", &error));
  g_assert_true (lab_config_edit_set_bridge (edit, "xenbr7", &error));
  g_assert_no_error (error);
  vifs = lab_xl_config_get_list (lab_config_edit_get_config (edit), "vif");
  g_assert_cmpstr (vifs[0], ==, "bridge=xenbr7,mac=00:16:3e:00:00:01");
  g_assert_cmpstr (vifs[1], ==, "bridge=br1");
  g_assert_null (vifs[2]);
  path = lab_config_edit_dup_path (edit);
  g_assert_cmpstr (path, ==, "/home/u/unikernels/fresh.xl");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xl-config-edit/fixtures", test_fixtures);
  g_test_add_func ("/xl-config-edit/hostile-strings", test_hostile_strings);
  g_test_add_func ("/xl-config-edit/refused", test_refused);
  g_test_add_func ("/xl-config-edit/layout-kept", test_layout_kept);
  g_test_add_func ("/xl-config-edit/append-and-unset", test_append_and_unset);
  g_test_add_func ("/xl-config-edit/duplicate", test_duplicate);
  g_test_add_func ("/xl-config-edit/generate-mac", test_generate_mac);
  g_test_add_func ("/xl-config-edit/config-edit", test_config_edit);
  g_test_add_func ("/xl-config-edit/new-domain", test_new_domain);

  return g_test_run ();
}
