/* lab-test-utils.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-test-utils"

#include <glib/gstdio.h>

#include "lab-test-utils.h"

/* Waiting -------------------------------------------------------------------------------- */

static gboolean
lab_test_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
lab_test_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
lab_test_wait_for (LabTestCondition condition,
                   gpointer         user_data,
                   guint            timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout = 0;
  guint tick;
  gboolean done;

  g_assert (condition != NULL);

  if (timeout_ms > 0)
    timeout = g_timeout_add (timeout_ms, lab_test_timeout_cb, &timed_out);
  /* The condition is asked again after each event the loop dispatches; the tick is for
   * conditions on what the loop is not told about (a file, another process), and is slow
   * because some of those ask dom0. */
  tick = g_timeout_add (500, lab_test_tick_cb, NULL);

  while (!(done = condition (user_data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  if (timeout != 0 && !timed_out)
    g_source_remove (timeout);
  return done;
}

static gboolean
lab_test_flag_set (gpointer user_data)
{
  return *(const gboolean *) user_data;
}

gboolean
lab_test_wait_flag (const gboolean *flag,
                    guint           timeout_ms)
{
  return lab_test_wait_for (lab_test_flag_set, (gpointer) flag, timeout_ms);
}

static gboolean
lab_test_never (gpointer user_data)
{
  return FALSE;
}

void
lab_test_run_for (guint ms)
{
  g_assert (ms > 0);
  lab_test_wait_for (lab_test_never, NULL, ms);
}

void
lab_test_run_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
lab_test_result_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert (*slot == NULL);
  *slot = g_object_ref (result);
}

static gboolean
lab_test_has_result (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

GAsyncResult *
lab_test_wait_result (GAsyncResult **slot,
                      guint          timeout_ms)
{
  lab_test_wait_for (lab_test_has_result, slot, timeout_ms);
  g_assert_nonnull (*slot);
  return *slot;
}

/* A private HOME ------------------------------------------------------------------------- */

static char *lab_test_home;

const char *
lab_test_isolate_home (void)
{
  g_autoptr(GError) error = NULL;
  const char *subdirs[][2] = {
    { "XDG_CONFIG_HOME", ".config" },
    { "XDG_DATA_HOME", ".local/share" },
    { "XDG_CACHE_HOME", ".cache" },
    { "XDG_STATE_HOME", ".local/state" },
  };
  g_autofree char *ssh = NULL;

  g_assert (lab_test_home == NULL);
  lab_test_home = g_dir_make_tmp ("lab-test-home-XXXXXX", &error);
  g_assert_no_error (error);
  /* Before anything asks GLib for these directories: it caches them. */
  g_setenv ("HOME", lab_test_home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir = g_build_filename (lab_test_home, subdirs[i][1], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (subdirs[i][0], dir, TRUE);
    }
  ssh = g_build_filename (lab_test_home, ".ssh", NULL);
  g_mkdir_with_parents (ssh, 0700);
  /* Keys come from the test, never from the machine's agent or its SSH config. */
  g_unsetenv ("SSH_AUTH_SOCK");
  g_unsetenv ("MIRAGE_LAB_SSH_CONFIG");
  return lab_test_home;
}

void
lab_test_init (int    *argc,
               char ***argv)
{
  lab_test_isolate_home ();
  g_test_init (argc, argv, NULL);
}

char *
lab_test_home_file (const char *name)
{
  g_assert_nonnull (lab_test_home);
  return g_build_filename (lab_test_home, name, NULL);
}

void
lab_test_cleanup_home (void)
{
  const char *argv[] = { "rm", "-rf", lab_test_home, NULL };

  if (lab_test_home != NULL && g_str_has_prefix (lab_test_home, g_get_tmp_dir ()))
    lab_test_spawn (argv, NULL, NULL, NULL);
  g_clear_pointer (&lab_test_home, g_free);
}

char *
lab_test_read_fixture (const char *folder,
                       const char *name,
                       gsize      *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", folder, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, &error));
  g_assert_no_error (error);
  return contents;
}

/* Programs ------------------------------------------------------------------------------- */

int
lab_test_spawn (const char * const *argv,
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

/* The lab as a fixture ------------------------------------------------------------------- */

/* One lab per test program: starting one takes seconds (minutes for real Xen). */
static LabFixture *lab_test_lab;
static char *lab_test_lab_mode;
static gboolean lab_test_lab_failed;
static GPtrArray *lab_test_cases;
static GArray *lab_test_end_hooks;

typedef struct
{
  const char     *sudo_mode;
  gconstpointer   data;
  LabTestPrepare  prepare;
  LabTestFunc     func;
} LabTestCase;

typedef struct
{
  GDestroyNotify func;
  gpointer       data;
} LabTestEndHook;

LabFixture *
lab_test_get_lab (const char *sudo_mode)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (sudo_mode);

  if (lab_test_lab != NULL && g_strcmp0 (lab_test_lab_mode, sudo_mode) != 0)
    lab_test_stop_lab ();
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
      return NULL;
    }
  g_free (lab_test_lab_mode);
  lab_test_lab_mode = g_strdup (sudo_mode);
  return lab_test_lab;
}

void
lab_test_stop_lab (void)
{
  g_clear_pointer (&lab_test_lab, lab_fixture_down);
  g_clear_pointer (&lab_test_lab_mode, g_free);
}

static void
lab_test_fixture_setup (LabTestFixture *fixture,
                        gconstpointer   data)
{
  const LabTestCase *test_case = data;

  fixture->data = test_case->data;
  fixture->lab = lab_test_get_lab (test_case->sudo_mode);
  if (fixture->lab != NULL && test_case->prepare != NULL && !test_case->prepare (fixture))
    fixture->lab = NULL;
}

/* GLib runs the test function even when the setup skipped the test: it is only called here
 * when there is a lab. */
static void
lab_test_fixture_run (LabTestFixture *fixture,
                      gconstpointer   data)
{
  const LabTestCase *test_case = data;

  if (fixture->lab != NULL)
    test_case->func (fixture);
}

static void
lab_test_fixture_teardown (LabTestFixture *fixture,
                           gconstpointer   data)
{
  /* The lab and the connection stay up for the next test. */
  fixture->lab = NULL;
  fixture->connection = NULL;
  fixture->session = NULL;
  fixture->data = NULL;
}

void
lab_test_add_full (const char     *path,
                   const char     *sudo_mode,
                   gconstpointer   data,
                   LabTestPrepare  prepare,
                   LabTestFunc     func)
{
  LabTestCase *test_case = g_new0 (LabTestCase, 1);

  g_assert_nonnull (func);
  test_case->sudo_mode = sudo_mode;
  test_case->data = data;
  test_case->prepare = prepare;
  test_case->func = func;
  if (lab_test_cases == NULL)
    lab_test_cases = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (lab_test_cases, test_case);
  g_test_add (path, LabTestFixture, test_case, lab_test_fixture_setup, lab_test_fixture_run,
              lab_test_fixture_teardown);
}

void
lab_test_add (const char    *path,
              const char    *sudo_mode,
              gconstpointer  data,
              LabTestFunc    func)
{
  lab_test_add_full (path, sudo_mode, data, NULL, func);
}

void
lab_test_at_end (GDestroyNotify func,
                 gpointer       data)
{
  LabTestEndHook hook = { func, data };

  if (lab_test_end_hooks == NULL)
    lab_test_end_hooks = g_array_new (FALSE, FALSE, sizeof (LabTestEndHook));
  g_array_append_val (lab_test_end_hooks, hook);
}

int
lab_test_run (void)
{
  int ret = g_test_run ();

  /* Last asked, first done: what was built on the lab goes before the lab. */
  for (guint i = lab_test_end_hooks ? lab_test_end_hooks->len : 0; i > 0; i--)
    {
      LabTestEndHook *hook = &g_array_index (lab_test_end_hooks, LabTestEndHook, i - 1);

      hook->func (hook->data);
    }
  g_clear_pointer (&lab_test_end_hooks, g_array_unref);
  lab_test_stop_lab ();
  g_clear_pointer (&lab_test_cases, g_ptr_array_unref);
  lab_test_cleanup_home ();
  return ret;
}

gboolean
lab_test_needs_fast_lab (LabFixture *lab,
                         const char *reason)
{
  if (g_strcmp0 (lab_fixture_get (lab, "LAB_KIND"), "fast") == 0)
    return TRUE;
  g_test_skip (reason);
  return FALSE;
}

void
lab_test_lab_command (LabFixture *lab,
                      const char *command,
                      const char *arg1,
                      const char *arg2)
{
  const char *argv[] = { lab_fixture_program (), command, "--dir", lab_fixture_dir (lab),
                         arg1, arg1 != NULL ? arg2 : NULL, NULL };
  g_autofree char *err = NULL;
  int status = lab_test_spawn (argv, NULL, NULL, &err);

  if (status != 0)
    g_test_message ("%s %s: %s", lab_fixture_program (), command, err);
  g_assert_cmpint (status, ==, 0);
}

static gboolean
lab_test_sshd_start_cb (gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_fixture_sshd_start (user_data, &error));
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

void
lab_test_sshd_start_later (LabFixture *lab,
                           guint       seconds)
{
  g_timeout_add_seconds (seconds, lab_test_sshd_start_cb, lab);
}

char *
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

int
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
  const char *options[] = {
    known, "StrictHostKeyChecking=yes", "BatchMode=yes", "IdentitiesOnly=yes",
    "ConnectTimeout=15", "LogLevel=ERROR", extra_opt,
  };
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "ssh");
  g_ptr_array_add (argv, (gpointer) "-F");
  g_ptr_array_add (argv, (gpointer) "/dev/null");
  g_ptr_array_add (argv, (gpointer) "-i");
  g_ptr_array_add (argv, (gpointer) (key != NULL ? key : lab_fixture_get (lab, "LAB_KEY")));
  g_ptr_array_add (argv, (gpointer) "-p");
  g_ptr_array_add (argv, (gpointer) lab_fixture_get (lab, "LAB_PORT"));
  for (guint i = 0; i < G_N_ELEMENTS (options) && options[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) "-o");
      g_ptr_array_add (argv, (gpointer) options[i]);
    }
  g_ptr_array_add (argv, dest);
  g_ptr_array_add (argv, (gpointer) command);
  g_ptr_array_add (argv, NULL);
  return lab_test_spawn ((const char * const *) argv->pdata, input, out, err);
}

gboolean
lab_test_is_zeroed (gconstpointer mem,
                    gsize         len)
{
  const guchar *bytes = mem;

  for (gsize i = 0; i < len; i++)
    if (bytes[i] != 0)
      return FALSE;
  return TRUE;
}

guint8 *
lab_test_mutated_copy (gconstpointer data,
                       gsize         len,
                       guint         changes)
{
  guint8 *buf = g_memdup2 (data, len + 1);

  for (guint n = 0; n < changes; n++)
    buf[g_test_rand_int_range (0, (gint32) len)] = (guint8) g_test_rand_int_range (0, 256);
  return buf;
}
