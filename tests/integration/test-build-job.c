/* test-build-job.c — a Mirage project's build without a display, against the fast lab:
 * a build that succeeds, one that fails with a compile error (non-zero exit, reported), a
 * config outside any project, a cancel while the build runs (the remote program is hung
 * up) and while the project is looked for, and a rerun after a build and while one hangs.
 * A project of the test's own (a Makefile standing in for mirage's) holds its build on
 * request, so the cancels do not depend on how fast dom0 is.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "lab-app-util.h"
#include "lab-core.h"
#include "xen/lab-build-job.h"

/* The held build sleeps this long: a number nothing else on dom0 sleeps for. */
#define HOLD_SLEEP "sleep 7211"

/* The test's lab and its one connection, from the fixture of the test under way. */
static LabFixture *lab;
static LabHostConnection *connection;

static void
setup (LabTestFixture *fixture)
{
  lab = fixture->lab;
  connection = fixture->connection;
}

static char *
dom0_sh (const char *script)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_true (lab_fixture_exec_sh (lab, script, &out, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return g_strstrip (out);
}

static char *
home_path (const char *relative)
{
  return g_build_filename (lab_fixture_get (lab, "LAB_HOME"), relative, NULL);
}

/* Runs "@command PATH@rest" on dom0, PATH being @relative in the lab's home, quoted;
 * returns what it printed. */
static char *
dom0_sh_on (const char *command,
            const char *relative,
            const char *rest)
{
  g_autofree char *path = home_path (relative);
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *script = g_strconcat (command, " ", quoted, rest, NULL);

  return dom0_sh (script);
}

/* A file's contents on dom0 as a number (a build counter), 0 when there is none. */
static guint
dom0_counter (const char *relative)
{
  g_autofree char *out = dom0_sh_on ("cat", relative, " 2>/dev/null || echo 0");

  return (guint) g_ascii_strtoull (out, NULL, 10);
}

static void
dom0_remove (const char *relative)
{
  g_free (dom0_sh_on ("rm -f", relative, ""));
}

static void
dom0_touch (const char *relative)
{
  g_autofree char *path = home_path (relative);

  lab_app_write_user_file (lab, path, "");
}

/* Whether the held build runs on dom0: its sleep (by the exact command line, which the
 * shell that asks does not have) or make. */
static gboolean
dom0_holding (void)
{
  g_autofree char *out = dom0_sh ("{ pgrep -fx '" HOLD_SLEEP "' || pgrep -x make; } "
                                  ">/dev/null && echo yes || echo no");

  return g_str_equal (out, "yes");
}

/* A mirage 4 project (config.ml, dune-project and a Makefile) in ~/build-job/hold whose
 * build counts its runs in .runs, prints dune's progress line, and while a file HOLD is
 * there, says "holding" and sleeps. */
static const char *
hold_project (void)
{
  static gboolean written;
  static const char makefile[] =
    "build::\n"
    "\t@n=$$(( $$(cat .runs 2>/dev/null || echo 0) + 1 )); echo $$n > .runs; "
    "echo \"hold run $$n\"\n"
    "\t@printf 'Done: 50%% (2/4, 2 left) (jobs: 1)\\n'\n"
    "\t@if [ -e HOLD ]; then echo holding; " HOLD_SLEEP "; fi\n"
    "\t@echo \"hold done\"\n";
  static const char * const files[][2] = {
    { "build-job/hold/config.ml", "open Mirage\n" },
    { "build-job/hold/dune-project", "(lang dune 3.0)\n" },
    { "build-job/hold/Makefile", makefile },
    { "build-job/hold/dist/hold.xl", "name = 'hold'\nkernel = 'hold.xen'\n" },
  };
  static char *config_path;

  if (!written)
    {
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = home_path (files[i][0]);

          lab_app_write_user_file (lab, path, files[i][1]);
        }
      g_free (config_path);
      config_path = home_path ("build-job/hold/dist/hold.xl");
      written = TRUE;
    }
  return config_path;
}

/* ---- watching a job, as the build tab does ------------------------------------------- */

typedef struct
{
  LabBuildJob   *job;
  LabSshChannel *channel;     /* the one handed out last, while the job has it */
  GString       *output;      /* what every channel printed, as a terminal shows it */
  guint          channels;    /* channels handed out */
  GArray        *finished;    /* the status at each ::finished */
  gboolean       succeeded;   /* what the last ::finished said */
  const char    *awaited;     /* the text wait_output() waits for */
} Watch;

static void
watch_output_cb (LabSshChannel *channel,
                 GBytes        *bytes,
                 Watch         *watch)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (watch->output, data, len);
}

static void
watch_channel_cb (LabBuildJob *job,
                  GParamSpec  *pspec,
                  Watch       *watch)
{
  LabSshChannel *channel = lab_build_job_get_channel (job);

  if (watch->channel != NULL)
    g_signal_handlers_disconnect_by_data (watch->channel, watch);
  g_set_object (&watch->channel, channel);
  if (channel == NULL)
    return;
  watch->channels++;
  g_signal_connect (channel, "stdout-data", G_CALLBACK (watch_output_cb), watch);
}

static void
watch_finished_cb (LabBuildJob *job,
                   gboolean     succeeded,
                   Watch       *watch)
{
  LabBuildStatus status = lab_build_job_get_status (job);

  g_array_append_val (watch->finished, status);
  watch->succeeded = succeeded;
}

static Watch *
watch_new (const char *config_path)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->job = lab_build_job_new (connection, config_path);
  watch->output = g_string_new (NULL);
  watch->finished = g_array_new (FALSE, FALSE, sizeof (LabBuildStatus));
  g_signal_connect (watch->job, "notify::channel", G_CALLBACK (watch_channel_cb), watch);
  g_signal_connect (watch->job, "finished", G_CALLBACK (watch_finished_cb), watch);
  return watch;
}

static void
watch_free (Watch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->job, watch);
  lab_build_job_cancel (watch->job);
  if (watch->channel != NULL)
    g_signal_handlers_disconnect_by_data (watch->channel, watch);
  g_clear_object (&watch->channel);
  g_clear_object (&watch->job);
  g_string_free (watch->output, TRUE);
  g_array_unref (watch->finished);
  g_free (watch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Watch, watch_free)

static gboolean
job_settled (gpointer data)
{
  return !lab_build_status_is_busy (lab_build_job_get_status (((Watch *) data)->job));
}

static void
wait_settled (Watch *watch)
{
  g_assert_true (lab_test_wait_for (job_settled, watch, 120000));
  g_test_message ("build: %s", lab_build_job_get_message (watch->job));
  g_test_message ("output:\n%s", watch->output->str);
}

static gboolean
output_shows (gpointer data)
{
  Watch *watch = data;

  return strstr (watch->output->str, watch->awaited) != NULL;
}

static void
wait_output (Watch      *watch,
             const char *text)
{
  watch->awaited = text;
  if (!lab_test_wait_for (output_shows, watch, 60000))
    g_test_message ("output so far:\n%s", watch->output->str);
  g_assert_true (output_shows (watch));
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms: whatever the job would still do (a late callback), it does. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The held build is gone from dom0 within @timeout_s (the main loop runs between
 * the looks, so the SSH layer can close the channel). */
static gboolean
wait_not_holding (guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (dom0_holding ())
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      spin (250);
    }
  return TRUE;
}

static LabBuildStatus
finished_at (Watch *watch,
             guint  index)
{
  g_assert_cmpuint (watch->finished->len, >, index);
  return g_array_index (watch->finished, LabBuildStatus, index);
}

/* The lab's mirage 4 project, set up and watched, with how often it was built before. */
static Watch *
website_watch (LabTestFixture *fixture,
               guint          *builds)
{
  g_autofree char *config = NULL;
  Watch *watch;

  setup (fixture);
  config = home_path ("unikernels/website/dist/website.xl");
  watch = watch_new (config);
  *builds = dom0_counter ("unikernels/website/.build-count");
  return watch;
}

/* The project whose build waits while build-job/hold/HOLD exists, set up and watched, with
 * how often it ran before. */
static Watch *
hold_watch (LabTestFixture *fixture,
            guint          *runs)
{
  Watch *watch;

  setup (fixture);
  watch = watch_new (hold_project ());
  *runs = dom0_counter ("build-job/hold/.runs");
  return watch;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void
count_cb (guint *count)
{
  (*count)++;
}

static gboolean
stop_for_restart (LabDomain *domain,
                  guint      timeout_ms)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done;

  lab_host_connection_stop_for_restart_async (connection, domain, NULL, lab_test_result_cb,
                                              &result);
  done = lab_host_connection_stop_for_restart_finish (connection,
                                                      lab_test_wait_result (&result, timeout_ms),
                                                      &error);
  g_assert_no_error (error);
  return done;
}

/* What Rebuild and Restart does after a build, in the core: a domain that does not run is
 * done at once; a running one is forced off (an end the user asked for: no ::domain-lost)
 * and the call completes only once the list shows it stopped, so the start that follows
 * can create the same name. */
static void
test_stop_for_restart (LabTestFixture *fixture)
{
  LabDomain *guest = lab_app_wait_domain (connection, "guest", 60);
  guint lost = 0;
  gulong id;

  g_assert_nonnull (guest);
  lab_app_destroy_domain (connection, guest);
  g_assert_true (stop_for_restart (guest, 5000));
  g_assert_false (lab_domain_get_running (guest));

  lab_app_start_domain (connection, guest);
  id = g_signal_connect_swapped (connection, "domain-lost", G_CALLBACK (count_cb), &lost);
  g_assert_true (stop_for_restart (guest, 90000));
  g_assert_false (lab_domain_get_running (guest));
  g_assert_false (lab_domain_get_busy (guest));
  g_assert_cmpint (lab_domain_get_end_reason (guest), ==, LAB_DOMAIN_END_DESTROYED_BY_USER);
  lab_test_run_for (3000);
  g_assert_cmpuint (lost, ==, 0);
  g_signal_handler_disconnect (connection, id);
}

/* The lab's mirage 4 project: `make build` in its folder, dune's progress read, the image
 * written, the exit status and the time it took reported. */
static void
test_succeeds (LabTestFixture *fixture)
{
  guint builds;
  g_autoptr(Watch) watch = website_watch (fixture, &builds);

  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_IDLE);

  lab_build_job_start (watch->job);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_LOCATING);
  g_assert_true (g_str_has_prefix (lab_build_job_get_message (watch->job),
                                   "Looking for the Mirage project of "));
  wait_settled (watch);

  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_SUCCEEDED);
  g_assert_cmpint (lab_build_job_get_exit_status (watch->job), ==, 0);
  g_assert_true (g_str_has_suffix (lab_build_job_get_project (watch->job),
                                   "/unikernels/website"));
  g_assert_cmpstr (lab_build_job_get_command (watch->job), ==, "make build");
  g_assert_true (g_str_has_prefix (lab_build_job_get_message (watch->job), "Built in "));
  g_assert_nonnull (strstr (lab_build_job_get_message (watch->job), "(make build in "));
  g_assert_cmpfloat (lab_build_job_get_fraction (watch->job), ==, 1.0);
  g_assert_null (lab_build_job_get_channel (watch->job));
  g_assert_cmpuint (watch->channels, ==, 1);
  g_assert_cmpuint (watch->finished->len, ==, 1);
  g_assert_cmpint (finished_at (watch, 0), ==, LAB_BUILD_STATUS_SUCCEEDED);
  g_assert_true (watch->succeeded);
  g_assert_nonnull (strstr (watch->output->str, "Done: 100% (4/4, 0 left)"));
  g_assert_nonnull (strstr (watch->output->str,
                            "Your unikernel binary is now ready in ./dist/website.xen"));
  g_assert_cmpuint (dom0_counter ("unikernels/website/.build-count"), ==, builds + 1);
}

/* A compile error: make exits with status 2, which the job reports; no image is written. */
static void
test_fails (LabTestFixture *fixture)
{
  guint builds;
  g_autoptr(Watch) watch = website_watch (fixture, &builds);

  dom0_touch ("unikernels/website/BREAK");

  lab_build_job_start (watch->job);
  wait_settled (watch);
  dom0_remove ("unikernels/website/BREAK");

  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_FAILED);
  g_assert_cmpint (lab_build_job_get_exit_status (watch->job), ==, 2);
  g_assert_nonnull (strstr (lab_build_job_get_message (watch->job),
                            "make build exited with status 2"));
  g_assert_null (lab_build_job_get_channel (watch->job));
  g_assert_cmpuint (watch->finished->len, ==, 1);
  g_assert_cmpint (finished_at (watch, 0), ==, LAB_BUILD_STATUS_FAILED);
  g_assert_false (watch->succeeded);
  g_assert_nonnull (strstr (watch->output->str, "Error: Unbound value start"));
  g_assert_cmpuint (dom0_counter ("unikernels/website/.build-count"), ==, builds);
}

/* A config in no Mirage project: the job says so, and nothing runs. */
static void
test_no_project (LabTestFixture *fixture)
{
  g_autoptr(Watch) watch = NULL;
  g_autofree char *config = NULL;

  setup (fixture);
  config = home_path ("unikernels/guest.xl");
  watch = watch_new (config);

  lab_build_job_start (watch->job);
  wait_settled (watch);

  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_FAILED);
  g_assert_true (g_str_has_prefix (lab_build_job_get_message (watch->job),
                                   "No Mirage project found"));
  g_assert_cmpint (lab_build_job_get_exit_status (watch->job), ==, -1);
  g_assert_null (lab_build_job_get_project (watch->job));
  g_assert_cmpuint (watch->channels, ==, 0);
  g_assert_cmpuint (watch->finished->len, ==, 1);
  g_assert_false (watch->succeeded);
}

/* A build that hangs is stopped: the job says cancelled at once, and the remote program
 * loses its terminal and ends. */
static void
test_cancel_running (LabTestFixture *fixture)
{
  g_autoptr(Watch) watch = NULL;

  setup (fixture);
  watch = watch_new (hold_project ());
  dom0_touch ("build-job/hold/HOLD");

  lab_build_job_start (watch->job);
  wait_output (watch, "holding");
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_RUNNING);
  g_assert_true (g_str_has_prefix (lab_build_job_get_message (watch->job), "Building: "));
  g_assert_nonnull (lab_build_job_get_channel (watch->job));
  /* dune's progress line, read from the channel while the build runs. */
  g_assert_cmpfloat (lab_build_job_get_fraction (watch->job), ==, 0.5);
  g_assert_true (dom0_holding ());

  lab_build_job_cancel (watch->job);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_CANCELLED);
  g_assert_cmpstr (lab_build_job_get_message (watch->job), ==, "Build stopped.");
  g_assert_null (lab_build_job_get_channel (watch->job));
  g_assert_cmpuint (watch->finished->len, ==, 1);
  g_assert_cmpint (finished_at (watch, 0), ==, LAB_BUILD_STATUS_CANCELLED);
  g_assert_false (watch->succeeded);

  g_assert_true (wait_not_holding (30));
  /* Nothing of the hung-up channel comes back to change the verdict. */
  spin (1000);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_CANCELLED);
  g_assert_cmpint (lab_build_job_get_exit_status (watch->job), ==, -1);
  g_assert_cmpuint (watch->finished->len, ==, 1);
  dom0_remove ("build-job/hold/HOLD");
}

/* Stopped while the project is looked for: the build never starts. */
static void
test_cancel_locating (LabTestFixture *fixture)
{
  guint runs;
  g_autoptr(Watch) watch = hold_watch (fixture, &runs);

  lab_build_job_start (watch->job);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_LOCATING);
  lab_build_job_cancel (watch->job);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_CANCELLED);
  g_assert_cmpuint (watch->finished->len, ==, 1);

  /* Long enough for the listing the locate asked for to come back. */
  spin (3000);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_CANCELLED);
  g_assert_cmpuint (watch->channels, ==, 0);
  g_assert_cmpuint (watch->finished->len, ==, 1);
  g_assert_cmpuint (dom0_counter ("build-job/hold/.runs"), ==, runs);
}

/* Rerun after a build runs it again; rerun while one hangs stops that one (its program
 * ends) and runs afresh. */
static void
test_rerun (LabTestFixture *fixture)
{
  guint runs;
  g_autoptr(Watch) watch = hold_watch (fixture, &runs);

  lab_build_job_start (watch->job);
  wait_settled (watch);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_SUCCEEDED);
  lab_build_job_rerun (watch->job);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_LOCATING);
  g_assert_cmpint (lab_build_job_get_exit_status (watch->job), ==, -1);
  wait_settled (watch);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_SUCCEEDED);
  g_assert_cmpuint (watch->channels, ==, 2);
  g_assert_cmpuint (watch->finished->len, ==, 2);
  g_assert_cmpuint (dom0_counter ("build-job/hold/.runs"), ==, runs + 2);

  dom0_touch ("build-job/hold/HOLD");
  lab_build_job_rerun (watch->job);
  wait_output (watch, "holding");
  g_assert_true (dom0_holding ());
  /* The next run goes through at once. */
  dom0_remove ("build-job/hold/HOLD");
  lab_build_job_rerun (watch->job);
  g_assert_cmpuint (watch->finished->len, ==, 3);
  g_assert_cmpint (finished_at (watch, 2), ==, LAB_BUILD_STATUS_CANCELLED);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_LOCATING);
  wait_settled (watch);
  g_assert_cmpint (lab_build_job_get_status (watch->job), ==, LAB_BUILD_STATUS_SUCCEEDED);
  g_assert_cmpuint (watch->finished->len, ==, 4);
  g_assert_cmpint (finished_at (watch, 3), ==, LAB_BUILD_STATUS_SUCCEEDED);
  g_assert_true (watch->succeeded);
  g_assert_cmpuint (watch->channels, ==, 4);
  g_assert_cmpuint (dom0_counter ("build-job/hold/.runs"), ==, runs + 4);
  g_assert_true (wait_not_holding (30));
}

int
main (int   argc,
      char *argv[])
{
  lab_app_init (&argc, &argv);

  lab_app_add ("/build-job/succeeds", NULL, test_succeeds);
  lab_app_add ("/build-job/fails", NULL, test_fails);
  lab_app_add ("/build-job/no-project", NULL, test_no_project);
  lab_app_add ("/build-job/cancel-running", NULL, test_cancel_running);
  lab_app_add ("/build-job/cancel-locating", NULL, test_cancel_locating);
  lab_app_add ("/build-job/rerun", NULL, test_rerun);
  lab_app_add ("/build-job/stop-for-restart", NULL, test_stop_for_restart);

  return lab_test_run ();
}
