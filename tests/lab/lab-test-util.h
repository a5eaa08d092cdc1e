/* lab-test-util.h — small helpers shared by the lab self-tests (header only)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sys/wait.h>

#include "lab-fixture.h"

/* One lab per test program: started by the first test that needs it, stopped at exit. */
static LabFixture *lab_test_lab;
static gboolean lab_test_lab_failed;

G_GNUC_UNUSED static LabFixture *
lab_test_get_lab (const char *sudo_mode)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  if (lab_test_lab != NULL)
    return lab_test_lab;
  if (lab_test_lab_failed)
    {
      g_test_fail_printf ("the lab did not start");
      return NULL;
    }
  if (!lab_fixture_available (&reason))
    {
      lab_fixture_skip_or_fail (reason);
      return NULL;
    }
  lab_test_lab = lab_fixture_up (sudo_mode, &error);
  if (lab_test_lab == NULL)
    {
      g_test_message ("lab up failed: %s", error->message);
      lab_test_lab_failed = TRUE;
      g_test_fail ();
    }
  return lab_test_lab;
}

G_GNUC_UNUSED static void
lab_test_stop_lab (void)
{
  g_clear_pointer (&lab_test_lab, lab_fixture_down);
}

/* Runs argv on the test side; returns the exit status, collects stdout and stderr. */
G_GNUC_UNUSED static int
lab_test_run (const char * const *argv,
              const char         *input,
              char              **out,
              char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

  if (input != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &o, &e, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  if (g_subprocess_get_if_exited (proc))
    return g_subprocess_get_exit_status (proc);
  return 128 + g_subprocess_get_term_sig (proc);
}

/* ssh USER@HOST with the given identity (NULL: LAB_KEY); extra_opt may be NULL. */
G_GNUC_UNUSED static int
lab_test_ssh (LabFixture *lab,
              const char *key,
              const char *extra_opt,
              const char *command,
              const char *input,
              char      **out,
              char      **err)
{
  g_autofree char *known = g_strdup_printf ("UserKnownHostsFile=%s",
                                            lab_fixture_get (lab, "LAB_KNOWN_HOSTS"));
  g_autofree char *dest = g_strdup_printf ("%s@%s", lab_fixture_get (lab, "LAB_USER"),
                                           lab_fixture_get (lab, "LAB_HOST"));
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "ssh");
  g_ptr_array_add (argv, (gpointer) "-F");
  g_ptr_array_add (argv, (gpointer) "/dev/null");
  g_ptr_array_add (argv, (gpointer) "-i");
  g_ptr_array_add (argv, (gpointer) (key != NULL ? key : lab_fixture_get (lab, "LAB_KEY")));
  g_ptr_array_add (argv, (gpointer) "-p");
  g_ptr_array_add (argv, (gpointer) lab_fixture_get (lab, "LAB_PORT"));
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, known);
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, (gpointer) "StrictHostKeyChecking=yes");
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, (gpointer) "BatchMode=yes");
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, (gpointer) "IdentitiesOnly=yes");
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, (gpointer) "ConnectTimeout=15");
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, (gpointer) "LogLevel=ERROR");
  if (extra_opt != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "-o");
      g_ptr_array_add (argv, (gpointer) extra_opt);
    }
  g_ptr_array_add (argv, dest);
  g_ptr_array_add (argv, (gpointer) command);
  g_ptr_array_add (argv, NULL);
  return lab_test_run ((const char * const *) argv->pdata, input, out, err);
}

/* Runs SCRIPT as root in dom0 and returns its stdout; asserts exit status 0. */
G_GNUC_UNUSED static char *
lab_test_root_sh (LabFixture *lab,
                  const char *script)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_true (lab_fixture_exec_sh (lab, script, &out, &status, &error));
  g_assert_no_error (error);
  if (status != 0)
    g_test_message ("dom0 script failed (%d): %s\n%s", status, script, out);
  g_assert_cmpint (status, ==, 0);
  return out;
}
