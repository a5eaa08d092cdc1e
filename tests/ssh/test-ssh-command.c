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

/* Appends ARGS to the printf argv and the "[ARG]" each one should print to EXPECTED. */
static void
add_printed (GPtrArray          *argv,
             GString            *expected,
             const char * const *args)
{
  for (guint i = 0; args[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) args[i]);
      g_string_append_printf (expected, "[%s]", args[i]);
    }
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
  add_printed (argv, expected, hostile);
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

/* The wrapped line as each login shell runs it (sshd: SHELL -c LINE), with HOME in a temp
 * dir for fish's and tcsh's start-up files. Shells that are not installed are skipped. */
static gboolean
run_login_shell (const char  *shell,
                 const char  *line,
                 const char  *cwd,
                 char       **out,
                 gsize       *out_len)
{
  const char *argv[] = { shell, "-c", line, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_file_test (shell, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  envp = g_environ_setenv (envp, "HOME", cwd, TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", cwd, TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", cwd, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cwd, TRUE);
  g_assert_true (g_spawn_sync (cwd, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s failed: %s", shell, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  *out_len = strlen (*out);
  return TRUE;
}

/* Whatever the login shell, /bin/sh gets the POSIX line and the argv comes out intact. */
static void
test_login_shells (void)
{
  const char *shells[] = { "/bin/sh", "/bin/bash", "/bin/dash", "/usr/bin/zsh", "/bin/zsh",
                           "/usr/bin/fish", "/bin/tcsh", "/usr/bin/tcsh", "/bin/csh", NULL };
  g_autofree char *cwd = g_dir_make_tmp ("login-shell-XXXXXX", NULL);
  const char *rm[] = { "rm", "-rf", cwd, NULL };
  g_autofree char *canary = g_build_filename (cwd, "CANARY", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *posix = NULL;
  g_autofree char *line = NULL;
  guint ran = 0;

  /* printf '[%s]' ARGS, the hostile arguments and more that fish and tcsh treat specially. */
  g_ptr_array_add (argv, (char *) "printf");
  g_ptr_array_add (argv, (char *) "[%s]");
  add_printed (argv, expected, hostile);
  {
    static const char *more[] = { "!!", "!$", "a!b", "\\\\", "\\'x", "'\\''", "{a,b}",
                                  "%1", "~root", "$status", "(echo)", "-", "\\0101", NULL };

    add_printed (argv, expected, more);
  }
  g_ptr_array_add (argv, NULL);
  posix = lab_ssh_command_build ((const char * const *) argv->pdata);
  line = lab_ssh_command_for_login_shell (posix);

  /* Nothing the login shells disagree on, around or inside the single-quoted body. */
  g_assert_true (g_str_has_prefix (line, "exec /bin/sh -c '"));
  g_assert_true (g_str_has_suffix (line, "'"));
  {
    g_autofree char *body = g_strndup (line + strlen ("exec /bin/sh -c '"),
                                       strlen (line) - strlen ("exec /bin/sh -c ''"));

    for (const char *p = body; *p != '\0'; p++)
      {
        g_assert_true (g_ascii_isprint (*p));
        g_assert_true (*p != '\'' && *p != '!');
        if (*p == '\\')
          g_assert_true (p[1] == '0');
      }
  }

  for (guint i = 0; shells[i] != NULL; i++)
    {
      g_autofree char *out = NULL;
      gsize out_len;

      if (!run_login_shell (shells[i], line, cwd, &out, &out_len))
        continue;
      g_test_message ("%s", shells[i]);
      g_assert_cmpmem (out, out_len, expected->str, expected->len);
      g_assert_false (g_file_test (canary, G_FILE_TEST_EXISTS));
      ran++;
    }
  g_assert_cmpuint (ran, >, 0);
  g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ssh-command/round-trip", test_round_trip);
  g_test_add_func ("/ssh-command/shapes", test_shapes);
  g_test_add_func ("/ssh-command/each-argument", test_each_argument);
  g_test_add_func ("/ssh-command/login-shells", test_login_shells);
  return g_test_run ();
}
