/* test-xl-commands.c — argv building for xl actions and config discovery
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "xen/lab-domain.h"
#include "xen/lab-xl-commands.h"
#include "xen/lab-xl-list.h"
#include "lab-test-utils.h"

static LabDomain *
running_domain (const char *name,
                const char *letters)
{
  LabDomain *domain = lab_domain_new (name);
  g_autoptr(LabXlDomainInfo) info = lab_xl_domain_info_new ();

  info->name = g_strdup (name);
  info->domid = 7;
  info->state = g_strdup (letters);
  info->memory_mib = 32;
  info->vcpus = 1;
  lab_domain_update_from_info (domain, info, g_get_monotonic_time ());
  return domain;
}

static char *
joined (GStrv argv)
{
  return g_strjoinv ("|", argv);
}

/* A domain ID, unlike a name, is never read as an option or as another domain. */
static void
test_action_by_id (void)
{
  g_auto(GStrv) unpause = lab_xl_action_by_id_argv (LAB_DOMAIN_ACTION_RESUME, 7);
  g_auto(GStrv) console = lab_xl_action_by_id_argv (LAB_DOMAIN_ACTION_OPEN_CONSOLE, 32000);
  g_auto(GStrv) domid = lab_xl_domid_argv ("web");
  const char * const want_unpause[] = { "xl", "unpause", "7", NULL };
  const char * const want_console[] = { "xl", "console", "32000", NULL };
  const char * const want_domid[] = { "xl", "domid", "web", NULL };
  guint id = 0;

  g_assert_true (g_strv_equal ((const char * const *) unpause, want_unpause));
  g_assert_true (g_strv_equal ((const char * const *) console, want_console));
  g_assert_true (g_strv_equal ((const char * const *) domid, want_domid));

  g_assert_true (lab_xl_parse_domid ("12\n", &id));
  g_assert_cmpuint (id, ==, 12);
  /* Domain-0, reserved IDs, words and overflow are no guest's ID. */
  g_assert_false (lab_xl_parse_domid ("0\n", &id));
  g_assert_false (lab_xl_parse_domid ("32752\n", &id));
  g_assert_false (lab_xl_parse_domid ("-1\n", &id));
  g_assert_false (lab_xl_parse_domid ("", &id));
  g_assert_false (lab_xl_parse_domid (NULL, &id));
  g_assert_false (lab_xl_parse_domid ("12 13\n", &id));
  g_assert_false (lab_xl_parse_domid ("99999999999999999999999\n", &id));
  g_assert_cmpuint (id, ==, 12);
}

static void
test_action_argv (void)
{
  g_autoptr(LabDomain) www = running_domain ("www; rm -rf ~", "-b----");
  g_autoptr(LabDomain) paused = running_domain ("p", "--p---");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *text = NULL;

  argv = lab_xl_action_argv (LAB_DOMAIN_ACTION_DESTROY, www, &error);
  g_assert_no_error (error);
  /* By ID behind the guard; the hostile name stays one argument (the SSH layer quotes it)
   * and is only compared, never run. */
  g_assert_cmpstr (argv[0], ==, "sh");
  g_assert_cmpstr (argv[1], ==, "-c");
  text = joined (argv + 3);
  g_assert_cmpstr (text, ==, "sh|7|www; rm -rf ~||xl|destroy|7");
  g_clear_pointer (&argv, g_strfreev);
  g_clear_pointer (&text, g_free);

  argv = lab_xl_action_argv (LAB_DOMAIN_ACTION_RESUME, paused, &error);
  g_assert_no_error (error);
  text = joined (argv + 3);
  g_assert_cmpstr (text, ==, "sh|7|p||xl|unpause|7");
  g_clear_pointer (&argv, g_strfreev);

  /* Resuming a running domain is refused with a message, not sent to xl. */
  argv = lab_xl_action_argv (LAB_DOMAIN_ACTION_RESUME, www, &error);
  g_assert_null (argv);
  g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED);
  g_clear_error (&error);

  /* A running domain cannot be started. */
  argv = lab_xl_action_argv (LAB_DOMAIN_ACTION_START, www, &error);
  g_assert_null (argv);
  g_assert_nonnull (error);
}

/* A stand-in xl on PATH that answers `domname` and `list -l` for domain 7 and prints the
 * command it was asked to run: the guard runs it only for the listed name and UUID. */
static int
run_guard (const char *name,
           const char *uuid,
           char      **out)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-guard-XXXXXX", NULL);
  g_autofree char *xl = g_build_filename (dir, "xl", NULL);
  g_autofree char *path = g_strdup_printf ("%s:%s", dir, g_getenv ("PATH"));
  g_auto(GStrv) argv = lab_xl_guarded_action_argv (LAB_DOMAIN_ACTION_SHUTDOWN, 7, name, uuid);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "PATH", path, TRUE);
  g_autoptr(GError) error = NULL;
  int status = -1;
  const char *script =
    "#!/bin/sh\n"
    "case \"$1 $2\" in\n"
    "  'domname 7') printf '%s\\n' '-a web \"1\"' ;;\n"
    "  'list -l') printf '[\\n {\\n  \"domid\": 7,\\n  \"config\": {\\n   \"c_info\": {\\n"
    "    \"uuid\": \"6e0c2f2a-0000-4000-8000-000000000007\"\\n' ;;\n"
    "  *) printf 'ran:'; printf ' [%s]' \"$@\"; echo ;;\n"
    "esac\n";

  g_assert_true (g_file_set_contents (xl, script, -1, NULL));
  g_assert_cmpint (g_chmod (xl, 0755), ==, 0);
  g_assert_true (g_spawn_sync (NULL, argv, env, G_SPAWN_SEARCH_PATH_FROM_ENVP, NULL, NULL,
                               out, NULL, &status, &error));
  g_assert_no_error (error);
  g_unlink (xl);
  g_rmdir (dir);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_guard (void)
{
  g_autofree char *out = NULL;

  /* The listed name (one that looks like an option, with quotes) and UUID: it runs. */
  g_assert_cmpint (run_guard ("-a web \"1\"", "6e0c2f2a-0000-4000-8000-000000000007", &out),
                   ==, 0);
  g_assert_cmpstr (out, ==, "ran: [shutdown] [7]\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_guard ("-a web \"1\"", NULL, &out), ==, 0);
  g_clear_pointer (&out, g_free);
  /* Another domain took the ID: nothing runs. */
  g_assert_cmpint (run_guard ("web", NULL, &out), ==, 3);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_guard ("-a web \"1\"", "6e0c2f2a-0000-4000-8000-0000000000ff", &out),
                   ==, 3);
  g_assert_cmpstr (out, ==, "");
}

static void
test_unsafe_names (void)
{
  const char *refused[] = { "-a", "--help", "12", "0", "", "a/b", "<b>x</b>", NULL };
  const char *fine[] = { "a-", "web1", "1web", "R&D", "web<1>", NULL };

  for (guint i = 0; refused[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (lab_xl_name_is_safe (refused[i], &error));
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED);
    }
  for (guint i = 0; fine[i] != NULL; i++)
    g_assert_true (lab_xl_name_is_safe (fine[i], NULL));
}

static void
test_create_argv (void)
{
  g_auto(GStrv) plain = lab_xl_create_argv ("/home/m/u/www.xl", FALSE);
  g_auto(GStrv) paused = lab_xl_create_argv ("/home/m/u/www.xl", TRUE);
  g_autofree char *a = joined (plain);
  g_autofree char *b = joined (paused);

  g_assert_cmpstr (a, ==, "xl|create|/home/m/u/www.xl");
  g_assert_cmpstr (b, ==, "xl|create|-p|/home/m/u/www.xl");
}

static void
test_find_argv (void)
{
  const char *folders[] = { "~/mirage-skeleton/**/dist/*.xl", "~/unikernels", " ", "/srv/xen/",
                            NULL };
  g_auto(GStrv) argv = lab_xl_find_configs_argv (folders, "/home/mirage");
  g_autofree char *text = joined (argv);
  const char *none[] = { "", NULL };

  g_assert_cmpstr (text, ==,
                   "find|-L|/home/mirage/mirage-skeleton|/home/mirage/unikernels|/srv/xen|"
                   "-maxdepth|8|(|-name|_build|-o|-name|_opam|-o|-name|.git|)|-prune|-o|"
                   "-type|f|(|"
                   "-path|/home/mirage/mirage-skeleton/*/dist/*.xl|-o|"
                   "-path|/home/mirage/unikernels/*.xl|-o|"
                   "-path|/srv/xen/*.xl|)|-name|*.xl|-printf|%T@\\t%p\\0");
  g_assert_null (lab_xl_find_configs_argv (none, "/home/mirage"));
}

/* The argv really finds what it should: run it with the local find. */
static void
test_find_runs (void)
{
  g_autofree char *home = g_dir_make_tmp ("lab-find-XXXXXX", NULL);
  const char *files[] = { "mirage-skeleton/device-usage/network/dist/network.xl",
                          "mirage-skeleton/device-usage/network/_build/default/dist/x.xl",
                          "mirage-skeleton/README.xl.md",
                          "unikernels/www.xl", "unikernels/deep/inside/hello.xl",
                          "unikernels/notes.txt",
                          /* A newline in a name cannot add a path of its own. */
                          "unikernels/a\n1700000000\t/etc/fake.xl", NULL };
  const char *folders[] = { "~/mirage-skeleton/**/dist/*.xl", "~/unikernels", "~/missing",
                            NULL };
  g_auto(GStrv) argv = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *rm = NULL;

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (home, files[i], NULL);
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_assert_true (g_file_set_contents (path, "name = \"x\"\n", -1, NULL));
    }

  argv = lab_xl_find_configs_argv (folders, home);
  {
    g_autoptr(GSubprocess) find = g_subprocess_newv ((const char * const *) argv,
                                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                     | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                     &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate (find, NULL, NULL, &out_bytes, NULL, &error));
    g_assert_no_error (error);
  }

  found = lab_xl_parse_find_output (g_bytes_get_data (out_bytes, NULL),
                                    g_bytes_get_size (out_bytes));
  g_assert_cmpuint (found->len, ==, 4);
  g_assert_true (g_str_has_suffix (((LabXlConfigFile *) found->pdata[1])->path,
                                   "/unikernels/a\n1700000000\t/etc/fake.xl"));
  for (guint i = 0; i < found->len; i++)
    g_assert_false (g_str_equal (((LabXlConfigFile *) found->pdata[i])->path, "/etc/fake.xl"));
  g_assert_true (g_str_has_suffix (((LabXlConfigFile *) found->pdata[0])->path,
                                   "/mirage-skeleton/device-usage/network/dist/network.xl"));
  g_assert_true (g_str_has_suffix (((LabXlConfigFile *) found->pdata[2])->path,
                                   "/unikernels/deep/inside/hello.xl"));
  g_assert_true (g_str_has_suffix (((LabXlConfigFile *) found->pdata[3])->path,
                                   "/unikernels/www.xl"));
  g_assert_cmpfloat (((LabXlConfigFile *) found->pdata[0])->mtime, >, 1e9);

  rm = g_strdup_printf ("rm -rf %s", home);
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
}

static GBytes *
run_argv (GStrv argv)
{
  g_autoptr(GSubprocess) find = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *out = NULL;

  find = g_subprocess_newv ((const char * const *) argv,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (find, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  return out;
}

/* The records end in NUL: one line each to look into. */
static char *
records_text (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  char *text = g_malloc (len + 1);

  memcpy (text, data, len);
  text[len] = '\0';

  for (gsize i = 0; i < len; i++)
    if (text[i] == '\0')
      text[i] = '\n';
  return text;
}

/* Runs the stamp command again and asserts whether its output is still @than's. */
static GBytes *
rerun_stamp (GStrv     argv,
             GBytes   *than,
             gboolean  equal)
{
  GBytes *out = run_argv (argv);

  if (equal)
    g_assert_true (g_bytes_equal (out, than));
  else
    g_assert_false (g_bytes_equal (out, than));
  return out;
}

/* The folders' times move when a config is made or removed anywhere a search would find
 * it, and only then (an edit in place is left to the regular search). */
static void
test_folder_stamp (void)
{
  g_autofree char *home = g_dir_make_tmp ("lab-stamp-XXXXXX", NULL);
  g_autofree char *deep = g_build_filename (home, "unikernels", "deep", "dist", NULL);
  g_autofree char *build = g_build_filename (home, "unikernels", "_build", NULL);
  g_autofree char *config = g_build_filename (deep, "hello.xl", NULL);
  g_autofree char *in_build = g_build_filename (build, "copy.xl", NULL);
  const char *folders[] = { "~/unikernels", "~/missing", NULL };
  const char *none[] = { " ", NULL };
  g_auto(GStrv) argv = NULL;
  g_autofree char *text = NULL;
  g_autofree char *rm = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) made = NULL;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GBytes) removed = NULL;
  g_autoptr(GBytes) build_copy = NULL;

  g_assert_cmpint (g_mkdir_with_parents (deep, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (build, 0700), ==, 0);
  argv = lab_xl_config_folders_stamp_argv (folders, home);
  text = joined (argv);
  g_assert_nonnull (strstr (text, "|-prune|-o|-type|d|-printf|%T@\\t%p\\0"));
  g_assert_null (lab_xl_config_folders_stamp_argv (none, home));

  before = run_argv (argv);
  {
    g_autofree char *records = records_text (before);


    g_assert_nonnull (strstr (records, "/unikernels/deep/dist\n"));
    g_assert_null (strstr (records, "_build"));
  }
  again = rerun_stamp (argv, before, TRUE);

  g_usleep (20 * 1000);
  g_assert_true (g_file_set_contents (config, "name = \"hello\"\n", -1, NULL));
  made = rerun_stamp (argv, before, FALSE);

  g_usleep (20 * 1000);
  g_assert_true (g_file_set_contents_full (config, "name = \"hello2\"\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  edited = rerun_stamp (argv, made, TRUE);

  /* dune's copies are not looked at, so they do not count */
  g_usleep (20 * 1000);
  g_assert_true (g_file_set_contents (in_build, "name = \"copy\"\n", -1, NULL));
  build_copy = rerun_stamp (argv, made, TRUE);

  g_usleep (20 * 1000);
  g_assert_cmpint (g_unlink (config), ==, 0);
  removed = rerun_stamp (argv, made, FALSE);

  rm = g_strdup_printf ("rm -rf %s", home);
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
}

static void
test_free_memory (void)
{
  guint64 mib = 0;

  g_assert_true (lab_xl_parse_free_memory ("host                   : dom0\n"
                                           "total_memory           : 2559\n"
                                           "free_memory            : 1190\n"
                                           "sharing_freed_memory   : 0\n", &mib));
  g_assert_cmpuint (mib, ==, 1190);
  g_assert_false (lab_xl_parse_free_memory ("total_memory : 2559\n", &mib));
  g_assert_false (lab_xl_parse_free_memory ("free_memory : lots\n", &mib));
  g_assert_false (lab_xl_parse_free_memory ("free_memory : -5\n", &mib));
  g_assert_false (lab_xl_parse_free_memory ("free_memory : 99999999999999999999999\n", &mib));
  g_assert_false (lab_xl_parse_free_memory (NULL, &mib));
}

static void
test_parse_find_output (void)
{
  const char text[] = "1700000000.5\t/b/www.xl\0"
                      "garbage line\0"
                      "1700000001\t/a/x.xl\0"
                      "notanumber\t/c.xl\0"
                      "1700000002\trelative.xl\0"
                      "1700000003\t/bad\xff.xl\0"
                      "1700000004\t/a/x.xl\0"
                      "1700000005\t/last.xl";
  g_autoptr(GPtrArray) files = lab_xl_parse_find_output (text, sizeof text - 1);

  g_assert_cmpuint (files->len, ==, 3);
  g_assert_cmpstr (((LabXlConfigFile *) files->pdata[0])->path, ==, "/a/x.xl");
  g_assert_cmpfloat (((LabXlConfigFile *) files->pdata[0])->mtime, ==, 1700000001);
  g_assert_cmpstr (((LabXlConfigFile *) files->pdata[1])->path, ==, "/b/www.xl");
  g_assert_cmpfloat (((LabXlConfigFile *) files->pdata[1])->mtime, ==, 1700000000.5);
  g_assert_cmpstr (((LabXlConfigFile *) files->pdata[2])->path, ==, "/last.xl");
}

static char *
capture (const char *name)
{
  return lab_test_read_fixture ("xen-4.17", name, NULL);
}

/* On real Xen 4.17 stderr (tests/fixtures/xen-4.17). */
static void
test_describe_error (void)
{
  struct { const char *file; const char *expected; } cases[] = {
    { "xl-create-missing-kernel.stderr",
      "failed to open file '/home/mirage/unikernels/no-such-kernel.xen': "
      "No such file or directory" },
    { "xl-create-syntax-error.stderr",
      "syntax-error.xl:6: config parsing error near `': syntax error, unexpected $end, "
      "expecting ']'" },
    { "xl-create-duplicate.stderr", "Domain with name \"guest\" already exists." },
    { "xl-destroy-missing.stderr", "nosuchdomain is an invalid domain identifier (rc=-6)" },
    { "xl-create-builder-linux.stderr", "Invalid domain type linux." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = capture (cases[i].file);
      g_autofree char *message = lab_xl_describe_error (text);

      g_assert_cmpstr (message, ==, cases[i].expected);
    }
  g_assert_null (lab_xl_describe_error ("Parsing config from x.xl\n\n"));
  g_assert_null (lab_xl_describe_error (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xl-commands/action-argv", test_action_argv);
  g_test_add_func ("/xl-commands/action-by-id", test_action_by_id);
  g_test_add_func ("/xl-commands/guard", test_guard);
  g_test_add_func ("/xl-commands/unsafe-names", test_unsafe_names);
  g_test_add_func ("/xl-commands/create-argv", test_create_argv);
  g_test_add_func ("/xl-commands/find-argv", test_find_argv);
  g_test_add_func ("/xl-commands/find-runs", test_find_runs);
  g_test_add_func ("/xl-commands/folder-stamp", test_folder_stamp);
  g_test_add_func ("/xl-commands/free-memory", test_free_memory);
  g_test_add_func ("/xl-commands/parse-find-output", test_parse_find_output);
  g_test_add_func ("/xl-commands/describe-error", test_describe_error);

  return g_test_run ();
}
