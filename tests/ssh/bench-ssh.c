/* bench-ssh.c — the SSH core against OpenSSH's client (suite bench: prints figures)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *  - round trip of `true` over the kept LabSshSession vs a fresh `ssh host true` vs
 *    `ssh host true` reusing a ControlMaster connection (medians of RUNS runs, ratios;
 *    targets: <= 0.1x fresh, <= 1.2x ControlMaster);
 *  - 100 MB read through a channel (`cat` of a file in dom0) vs `ssh host cat` (target
 *    >= 0.8x).
 * Never fails on the figures; the lab must be available (else skipped).
 */

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/lab-ssh-session.h"
#include "ssh-test-util.h"

#define RUNS 60
#define BIG_SIZE (100 * 1024 * 1024)
#define BIG_FILE "/tmp/mirage-lab-bench-100m"
#define THROUGHPUT_RUNS 3

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static GPtrArray *
ssh_argv (LabFixture *lab,
          const char *control_path,
          const char *command)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  const char *base[] = { "ssh", "-F", "/dev/null", "-i", lab_fixture_get (lab, "LAB_KEY"),
                         "-p", lab_fixture_get (lab, "LAB_PORT"),
                         "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                         "-o", "StrictHostKeyChecking=yes", "-o", "LogLevel=ERROR", NULL };

  for (guint i = 0; base[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (base[i]));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup_printf ("UserKnownHostsFile=%s",
                                          lab_fixture_get (lab, "LAB_KNOWN_HOSTS")));
  if (control_path != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup ("ControlMaster=auto"));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("ControlPath=%s", control_path));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup ("ControlPersist=120"));
    }
  g_ptr_array_add (argv, g_strdup_printf ("%s@%s", lab_fixture_get (lab, "LAB_USER"),
                                          lab_fixture_get (lab, "LAB_HOST")));
  g_ptr_array_add (argv, g_strdup (command));
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
run_openssh (LabFixture *lab,
             const char *control_path,
             const char *command)
{
  g_autoptr(GPtrArray) argv = ssh_argv (lab, control_path, command);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
count_bytes (LabSshChannel *channel,
             GBytes        *bytes,
             guint64       *total)
{
  *total += g_bytes_get_size (bytes);
}

static double
channel_read_ms (LabSshSession *session)
{
  const char *argv[] = { "cat", BIG_FILE, NULL };
  g_autoptr(LabSshChannel) channel = lab_ssh_session_create_exec_channel (session, argv, 0);
  g_autoptr(GError) error = NULL;
  GAsyncResult *wait = NULL;
  guint64 total = 0;
  double start = now_ms ();

  g_signal_connect (channel, "stdout-data", G_CALLBACK (count_bytes), &total);
  lab_ssh_channel_send_eof (channel);
  lab_ssh_channel_start_async (channel, NULL, NULL, NULL);
  lab_ssh_channel_wait_async (channel, NULL, lab_test_result_cb, &wait);
  lab_test_wait_result (&wait, 300000);
  g_assert_cmpint (lab_ssh_channel_wait_finish (channel, wait, &error), ==, 0);
  g_assert_no_error (error);
  g_object_unref (wait);
  g_assert_cmpuint (total, ==, BIG_SIZE);
  return now_ms () - start;
}

static void
bench (LabFixture *lab)
{
  g_autoptr(LabSshSession) session = ssh_test_session (lab, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *control = lab_test_home_file ("cm.sock");
  g_autofree char *make_big = g_strdup_printf ("head -c %d /dev/urandom > %s", BIG_SIZE,
                                               BIG_FILE);
  const char *true_argv[] = { "true", NULL };
  const char *make_argv[] = { "sh", "-c", make_big, NULL };
  double kept[RUNS], fresh[RUNS], master[RUNS];
  double ours[THROUGHPUT_RUNS], theirs[THROUGHPUT_RUNS], theirs_master[THROUGHPUT_RUNS];
  double m_kept, m_fresh, m_master, t_ours, t_theirs, t_master;
  const double mb = BIG_SIZE / (1024.0 * 1024.0);

  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < RUNS; i++)
    {
      double start = now_ms ();
      g_autofree char *out = ssh_test_run_ok (session, true_argv, LAB_SSH_EXEC_NONE);

      kept[i] = now_ms () - start;
    }
  for (guint i = 0; i < RUNS; i++)
    {
      double start = now_ms ();

      run_openssh (lab, NULL, "true");
      fresh[i] = now_ms () - start;
    }
  run_openssh (lab, control, "true");   /* starts the master */
  for (guint i = 0; i < RUNS; i++)
    {
      double start = now_ms ();

      run_openssh (lab, control, "true");
      master[i] = now_ms () - start;
    }
  m_kept = median (kept, RUNS);
  m_fresh = median (fresh, RUNS);
  m_master = median (master, RUNS);
  printf ("round trip of `true` (median of %d runs):\n", RUNS);
  printf ("  LabSshSession, kept session   %8.2f ms\n", m_kept);
  printf ("  ssh host true, fresh          %8.2f ms   ratio %.3fx (target <= 0.1x)\n",
          m_fresh, m_kept / m_fresh);
  printf ("  ssh host true, ControlMaster  %8.2f ms   ratio %.3fx (target <= 1.2x)\n",
          m_master, m_kept / m_master);

  g_free (ssh_test_run_ok (session, make_argv, LAB_SSH_EXEC_NONE));
  for (guint i = 0; i < THROUGHPUT_RUNS; i++)
    {
      g_autofree char *cmd = g_strdup_printf ("cat %s", BIG_FILE);
      double start;

      ours[i] = channel_read_ms (session);
      start = now_ms ();
      run_openssh (lab, NULL, cmd);
      theirs[i] = now_ms () - start;
      start = now_ms ();
      run_openssh (lab, control, cmd);
      theirs_master[i] = now_ms () - start;
    }
  {
    g_autoptr(GPtrArray) argv = ssh_argv (lab, control, "true");

    /* ssh -O exit: the last two arguments (destination, command) become "-O exit dest". */
    g_ptr_array_remove_index (argv, argv->len - 2);
    g_ptr_array_insert (argv, 1, g_strdup ("-O"));
    g_ptr_array_insert (argv, 2, g_strdup ("exit"));
    g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL);
  }

  t_ours = median (ours, THROUGHPUT_RUNS);
  t_theirs = median (theirs, THROUGHPUT_RUNS);
  t_master = median (theirs_master, THROUGHPUT_RUNS);
  printf ("throughput, 100 MB (median of %d runs):\n", THROUGHPUT_RUNS);
  printf ("  LabSshChannel (cat)           %8.1f MB/s (%.0f ms)\n", mb / (t_ours / 1000),
          t_ours);
  printf ("  ssh host cat (fresh)          %8.1f MB/s (%.0f ms)   ratio %.2fx "
          "(target >= 0.8x)\n",
          mb / (t_theirs / 1000), t_theirs, t_theirs / t_ours);
  printf ("  ssh host cat (ControlMaster)  %8.1f MB/s (%.0f ms)   ratio %.2fx\n",
          mb / (t_master / 1000), t_master, t_master / t_ours);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *reason = NULL;
  LabFixture *lab;

  lab_test_isolate_home ();
  if (!lab_fixture_available (&reason))
    {
      printf ("skipped: %s\n", reason);
      return 77;
    }
  lab = lab_test_get_lab ("nopasswd");
  if (lab == NULL)
    return 1;
  bench (lab);
  lab_test_stop_lab ();
  lab_test_cleanup_home ();
  return 0;
}
