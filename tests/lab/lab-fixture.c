/* lab-fixture.c — GTest helper that starts a dom0 lab (fast or real Xen) for a test
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "lab-fixture.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LAB_FIXTURE_SRCDIR
# error "LAB_FIXTURE_SRCDIR must be defined by meson"
#endif

struct _LabFixture
{
  char       *dir;
  GHashTable *env;
};

const char *
lab_fixture_kind (void)
{
  const char *kind = g_getenv ("MIRAGE_LAB_KIND");

  if (kind != NULL && g_str_equal (kind, "xen"))
    return "xen";
  return "fast";
}

const char *
lab_fixture_program (void)
{
  static char *program[2];
  gboolean xen = g_str_equal (lab_fixture_kind (), "xen");

  if (program[xen] == NULL)
    {
      const char *srcdir = g_getenv ("MIRAGE_LAB_SRCDIR");

      if (srcdir == NULL || *srcdir == '\0')
        srcdir = LAB_FIXTURE_SRCDIR;
      program[xen] = g_build_filename (srcdir, "tests",
                                       xen ? "xen-lab" : "lab",
                                       xen ? "xenlab" : "mlab", NULL);
    }
  return program[xen];
}

gboolean
lab_fixture_available (char **skip_reason)
{
  static const char * const fast_tools[] = {
    "ip", "nsenter", "unshare", "sshd", "ssh-keygen", "dnsmasq", "busybox", "sudo",
    "openssl", "ssh", NULL,
  };
  static const char * const xen_tools[] = {
    "qemu-system-x86_64", "ssh", "ssh-keygen", NULL,
  };
  const char * const *tools;
  const char *program = lab_fixture_program ();
  g_autofree char *path = NULL;

  if (geteuid () != 0)
    {
      if (skip_reason != NULL)
        *skip_reason = g_strdup_printf ("the %s lab needs root (network namespaces)",
                                        lab_fixture_kind ());
      return FALSE;
    }
  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      if (skip_reason != NULL)
        *skip_reason = g_strdup_printf ("lab executable %s is missing", program);
      return FALSE;
    }
  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      if (skip_reason != NULL)
        *skip_reason = g_strdup ("/usr/bin/python3 is missing (apt-get install python3)");
      return FALSE;
    }

  /* Root's PATH may lack the sbin dirs. */
  path = g_strdup_printf ("%s:/usr/local/sbin:/usr/sbin:/sbin", g_getenv ("PATH"));
  tools = g_str_equal (lab_fixture_kind (), "xen") ? xen_tools : fast_tools;
  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *found = NULL;
      g_auto(GStrv) dirs = g_strsplit (path, ":", -1);

      for (guint j = 0; dirs[j] != NULL && found == NULL; j++)
        {
          g_autofree char *candidate = g_build_filename (dirs[j], tools[i], NULL);

          if (*dirs[j] != '\0' && g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
            found = g_steal_pointer (&candidate);
        }
      if (found == NULL)
        {
          if (skip_reason != NULL)
            *skip_reason = g_strdup_printf ("%s is not installed (build-aux/dev.sh deps)",
                                            tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

void
lab_fixture_skip_or_fail (const char *reason)
{
  if (g_strcmp0 (g_getenv ("MIRAGE_LAB_REQUIRE_LAB"), "1") == 0)
    {
      g_test_message ("lab required (MIRAGE_LAB_REQUIRE_LAB=1) but unavailable: %s", reason);
      g_test_fail ();
    }
  else
    {
      g_test_skip (reason);
    }
}

/* Runs the lab executable; stdout and stderr go to the test log (stderr). */
static gboolean
run_lab (const char * const *args,
         char              **out,
         int                *status,
         GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *stdout_buf = NULL;
  g_autofree char *stderr_buf = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) lab_fixture_program ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &stdout_buf, &stderr_buf, &wait_status, error))
    return FALSE;

  if (stderr_buf != NULL && *stderr_buf != '\0')
    g_printerr ("%s", stderr_buf);

  if (status != NULL)
    {
      *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
      if (out != NULL)
        *out = g_steal_pointer (&stdout_buf);
      return TRUE;
    }

  if (!g_spawn_check_wait_status (wait_status, error))
    {
      g_prefix_error (error, "%s %s: ", lab_fixture_program (), args[0]);
      return FALSE;
    }
  if (out != NULL)
    *out = g_steal_pointer (&stdout_buf);
  return TRUE;
}

static char *
unquote_value (const char *value)
{
  g_autoptr(GError) error = NULL;
  char *unquoted = g_shell_unquote (value, &error);

  return unquoted != NULL ? unquoted : g_strdup (value);
}

static GHashTable *
parse_env (const char *path,
           GError    **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) env = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *eq = strchr (lines[i], '=');

      if (lines[i][0] == '#' || eq == NULL || eq == lines[i])
        continue;
      g_hash_table_replace (env, g_strndup (lines[i], eq - lines[i]), unquote_value (eq + 1));
    }
  return g_steal_pointer (&env);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

LabFixture *
lab_fixture_up (const char *sudo_mode,
                GError    **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *env_path = NULL;
  g_autoptr(GHashTable) env = NULL;
  LabFixture *lab;

  if (sudo_mode == NULL)
    sudo_mode = "nopasswd";

  dir = g_dir_make_tmp ("mirage-lab-XXXXXX", error);
  if (dir == NULL)
    return NULL;

  {
    const char *up_fast[] = {
      "up", "--dir", dir, "--sudo", sudo_mode, "--owner-pid", pid, "--cleanup-dir", NULL,
    };
    const char *up_xen[] = {
      "up", "--dir", dir, "--sudo", sudo_mode, "--owner-pid", pid, NULL,
    };
    gboolean xen = g_str_equal (lab_fixture_kind (), "xen");

    if (!run_lab (xen ? up_xen : up_fast, NULL, NULL, error))
      {
        const char *down[] = { "down", "--dir", dir, NULL };

        run_lab (down, NULL, NULL, NULL);
        remove_tree (dir);
        return NULL;
      }
  }

  env_path = g_build_filename (dir, "lab.env", NULL);
  env = parse_env (env_path, error);
  if (env == NULL)
    {
      const char *down[] = { "down", "--dir", dir, NULL };

      run_lab (down, NULL, NULL, NULL);
      return NULL;
    }
  if (!g_hash_table_contains (env, "LAB_DIR"))
    g_hash_table_insert (env, g_strdup ("LAB_DIR"), g_strdup (dir));

  lab = g_new0 (LabFixture, 1);
  lab->dir = g_steal_pointer (&dir);
  lab->env = g_steal_pointer (&env);
  return lab;
}

void
lab_fixture_down (LabFixture *lab)
{
  const char *down[] = { "down", "--dir", NULL, NULL };

  if (lab == NULL)
    return;

  down[2] = lab->dir;
  run_lab (down, NULL, NULL, NULL);
  if (g_getenv ("MIRAGE_LAB_KEEP") == NULL)
    remove_tree (lab->dir);
  else
    g_printerr ("lab dir kept: %s\n", lab->dir);

  g_free (lab->dir);
  g_hash_table_unref (lab->env);
  g_free (lab);
}

gboolean
lab_fixture_exec (LabFixture         *lab,
                  const char * const *argv,
                  char              **out,
                  int                *status,
                  GError            **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_return_val_if_fail (lab != NULL, FALSE);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, FALSE);

  g_ptr_array_add (args, (gpointer) "exec");
  g_ptr_array_add (args, (gpointer) "--dir");
  g_ptr_array_add (args, lab->dir);
  g_ptr_array_add (args, (gpointer) "--");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  return run_lab ((const char * const *) args->pdata, out, status, error);
}

gboolean
lab_fixture_exec_sh (LabFixture *lab,
                     const char *script,
                     char      **out,
                     int        *status,
                     GError    **error)
{
  const char *argv[] = { "sh", "-c", script, NULL };

  return lab_fixture_exec (lab, argv, out, status, error);
}

gboolean
lab_fixture_sshd_stop (LabFixture *lab,
                       GError    **error)
{
  const char *args[] = { "sshd-stop", "--dir", lab->dir, NULL };

  return run_lab (args, NULL, NULL, error);
}

gboolean
lab_fixture_sshd_start (LabFixture *lab,
                        GError    **error)
{
  const char *args[] = { "sshd-start", "--dir", lab->dir, NULL };

  return run_lab (args, NULL, NULL, error);
}

const char *
lab_fixture_get (LabFixture *lab,
                 const char *key)
{
  g_return_val_if_fail (lab != NULL, NULL);
  return g_hash_table_lookup (lab->env, key);
}

const char *
lab_fixture_dir (LabFixture *lab)
{
  g_return_val_if_fail (lab != NULL, NULL);
  return lab->dir;
}
