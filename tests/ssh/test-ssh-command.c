/* test-ssh-command.c — remote command lines are built by quoting every argument
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lines are decoded by a local /bin/sh (what the remote login shell does) and must give
 * back exactly the argv, byte for byte; nothing else may run.
 */

#include <glib/gstdio.h>
#include <string.h>

#include "ssh/lab-ssh-command.h"

static const char *hostile[] = {
  "plain", "two words", "", " ", "'", "\"", "''\"'\"", "\\", "\\'", "$(touch CANARY)",
  "`touch CANARY`", "; touch CANARY", "&& touch CANARY #", "| touch CANARY",
  "\ntouch CANARY\n", "> CANARY", "$HOME", "${PATH}", "*", "?", "~", "-n", "--", "!", "\t\r\n",
  "\xff\xfe invalid \xc3\x28 utf-8", "\xe2\x82\xac", "%s %d %n", "a\\nb",
  NULL,
};

static void
run_sh (const char  *line,
        const char  *cwd,
        char       **out,
        gsize       *out_len)
{
  const char *argv[] = { "/bin/sh", "-c", line, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (cwd, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  *out_len = strlen (*out);
}

static void
test_round_trip (void)
{
  g_autofree char *cwd = g_dir_make_tmp ("command-XXXXXX", NULL);
  g_autofree char *canary = g_build_filename (cwd, "CANARY", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *line = NULL;
  g_autofree char *out = NULL;
  gsize out_len;

  /* printf '%s\n' ARGS: each argument on a line, visible as text. */
  g_ptr_array_add (argv, (char *) "printf");
  g_ptr_array_add (argv, (char *) "[%s]");
  for (guint i = 0; hostile[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) hostile[i]);
      g_string_append_printf (expected, "[%s]", hostile[i]);
    }
  g_ptr_array_add (argv, NULL);
  line = lab_ssh_command_build ((const char * const *) argv->pdata);
  run_sh (line, cwd, &out, &out_len);
  g_assert_cmpmem (out, out_len, expected->str, expected->len);
  g_assert_false (g_file_test (canary, G_FILE_TEST_EXISTS));
  g_rmdir (cwd);
}

static void
test_shapes (void)
{
  const char *argv[] = { "xl", "list", NULL };
  const char *odd[] = { "echo", "it's", NULL };
  g_autofree char *plain = lab_ssh_command_build (argv);
  g_autofree char *quoted = lab_ssh_command_build (odd);
  g_autofree char *nopasswd = lab_ssh_command_build_sudo_nopasswd (argv);
  g_autofree char *with_stdin = lab_ssh_command_build_sudo_stdin (argv);
  g_autofree char *validate = lab_ssh_command_build_sudo_validate ();

  g_assert_cmpstr (plain, ==, "'xl' 'list'");
  g_assert_cmpstr (quoted, ==, "'echo' 'it'\\''s'");
  g_assert_cmpstr (nopasswd, ==, "LC_ALL=C sudo -n -- 'xl' 'list'");
  g_assert_cmpstr (with_stdin, ==, "sudo -k -S -p '' -- 'xl' 'list'");
  g_assert_cmpstr (validate, ==, "LC_ALL=C sudo -k -S -p '' -v");
}

/* Each single argument, alone, through the sudo builders too (sudo replaced by a stub). */
static void
test_each_argument (void)
{
  for (guint i = 0; hostile[i] != NULL; i++)
    {
      const char *argv[] = { "printf", "%s", hostile[i], NULL };
      g_autofree char *line = lab_ssh_command_build (argv);
      g_autofree char *sudo_line = lab_ssh_command_build_sudo_stdin (argv);
      g_autofree char *stubbed = NULL;
      g_autofree char *out = NULL;
      g_autofree char *out2 = NULL;
      gsize len;

      run_sh (line, NULL, &out, &len);
      g_assert_cmpmem (out, len, hostile[i], strlen (hostile[i]));
      /* sudo -k -S -p '' -- ARGV: a function standing in for sudo drops its own options. */
      stubbed = g_strconcat ("sudo () { while [ \"$1\" != -- ]; do shift; done; shift; "
                             "\"$@\"; }; ", sudo_line, NULL);
      run_sh (stubbed, NULL, &out2, &len);
      g_assert_cmpmem (out2, len, hostile[i], strlen (hostile[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ssh-command/round-trip", test_round_trip);
  g_test_add_func ("/ssh-command/shapes", test_shapes);
  g_test_add_func ("/ssh-command/each-argument", test_each_argument);
  return g_test_run ();
}
