/* test-setup-lab.c — the setup engine on the fast lab's real dom0 (sshd, sudo, files)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lab-app-util.h"
#include "lab-test-utils.h"
#include "setup/lab-setup-runner.h"
#include "setup-test-util.h"
#include "setup/lab-setup-state.h"


#define CONF "/etc/dnsmasq.d/mirage-lab-setup-test.conf"
#define BACKUP "/var/backups/mirage-lab" CONF ".mirage-lab.bak"

/* Kills the sshd process of this connection the first time (marker file $1 in the home
 * folder), like a network change taking the link away; the second run just succeeds. */
#define DROP_ONCE \
  "[ -e \\\"$HOME/$1\\\" ] && exit 0; touch \\\"$HOME/$1\\\"; p=$PPID; " \
  "for i in 1 2 3 4 5; do [ \\\"$(cat /proc/$p/comm)\\\" = sshd ] && break; " \
  "p=$(cut -d' ' -f4 /proc/$p/stat); done; kill -KILL $p"

static const char recipe_json[] =
  "{ \"id\": \"test\", \"title\": \"Test\", \"steps\": ["
  "  { \"id\": \"files\", \"title\": \"Files\", \"explanation\": \"e\","
  "    \"needs\": { \"root\": true },"
  "    \"apply\": [ { \"ensure-line\": \"bind-interfaces\", \"path\": \"" CONF "\" },"
  "               { \"ensure-file\": \"hello ${user}\\n\","
  "                 \"path\": \"${home}/setup-test.txt\", \"root\": false } ] },"
  "  { \"id\": \"run\", \"title\": \"Run\", \"explanation\": \"e\","
  "    \"needs\": { \"root\": true },"
  "    \"check\": [ { \"run\": [ \"test\", \"-e\", \"/var/tmp/setup test marker\" ] } ],"
  "    \"apply\": [ { \"run\": [ \"touch\", \"/var/tmp/setup test marker\" ] } ] },"
  "  { \"id\": \"fail\", \"title\": \"Fail\", \"explanation\": \"e\","
  "    \"check\": [ { \"run\": [ \"false\" ] } ],"
  "    \"apply\": [ { \"run\": [ \"sh\", \"-c\", \"echo boom >&2; exit 3\" ] } ] },"
  "  { \"id\": \"slow\", \"title\": \"Slow\", \"explanation\": \"e\","
  "    \"check\": [ { \"ensure-file\": \"done\\n\", \"path\": \"${home}/slow.txt\" } ],"
  "    \"apply\": [ { \"run\": [ \"sh\", \"-c\", \"echo started; exec sleep 30\" ] },"
  "               { \"ensure-file\": \"done\\n\", \"path\": \"${home}/slow.txt\" } ] },"
  "  { \"id\": \"reboot\", \"title\": \"Reboot\", \"explanation\": \"e\","
  "    \"needs\": { \"root\": true, \"reboot-after\": true, \"reconnect\": true },"
  "    \"apply\": [ { \"ensure-line\": \"dhcp-authoritative\", \"path\": \"" CONF "\" } ] },"
  "  { \"id\": \"drop\", \"title\": \"Drop\", \"explanation\": \"e\","
  "    \"needs\": { \"reconnect\": true },"
  "    \"check\": [ { \"run\": [ \"test\", \"-e\", \"${home}/dropped\" ] } ],"
  "    \"apply\": [ { \"run\": [ \"sh\", \"-c\", \"" DROP_ONCE "\", \"sh\", \"dropped\" ] } ] },"
  "  { \"id\": \"drop-no-reconnect\", \"title\": \"Drop\", \"explanation\": \"e\","
  "    \"check\": [ { \"run\": [ \"test\", \"-e\", \"${home}/dropped-2\" ] } ],"
  "    \"apply\": [ { \"run\": [ \"sh\", \"-c\", \"" DROP_ONCE "\", \"sh\", \"dropped-2\" ] } ] }"
  "] }";

static LabSetupRecipe *recipe;

static const LabSetupStep *
step (const char *id)
{
  return setup_test_step (recipe, id);
}

static void
on_output (LabSetupRunner *runner,
           const char     *text,
           gpointer        user_data)
{
  g_string_append (user_data, text);
}

static void
test_files (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (fixture->session);
  g_autoptr(GAsyncResult) planned = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *plan = NULL;
  g_autofree char *out = NULL;
  g_autofree char *home = g_strdup_printf ("%s/setup-test.txt", lab_fixture_get (lab, "LAB_HOME"));
  g_autofree char *script = NULL;
  gboolean changed = FALSE;

  g_free (lab_test_root_sh (lab, "rm -f " CONF "* " BACKUP "*; "
                                "printf '# test\\nport=0\\n' > " CONF "; "
                                "chown root:mirage " CONF "; chmod 640 " CONF));
  g_signal_connect (runner, "output", G_CALLBACK (on_output), log);
  g_assert_false (setup_test_check (runner, step ("files")));

  lab_setup_runner_plan_async (runner, step ("files"), NULL, lab_test_result_cb, &planned);
  plan = lab_setup_runner_plan_finish (runner, lab_test_wait_result (&planned, 0), &error);
  g_assert_no_error (error);
  g_test_message ("plan:\n%s", plan);
  script = g_strdup_printf ("--- " CONF "\n+++ " CONF "\n@@ -1,2 +1,3 @@\n # test\n port=0\n"
                            "+bind-interfaces\n--- /dev/null\n+++ %s\n@@ -0,0 +1,1 @@\n"
                            "+hello mirage\n", home);
  g_assert_cmpstr (plan, ==, script);

  g_assert_true (setup_test_apply (runner, step ("files"), NULL, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  /* dnsmasq reads every file of /etc/dnsmasq.d: the backup goes to /var/backups. */
  g_assert_nonnull (strstr (log->str, "Saved a backup as " BACKUP));

  out = lab_test_root_sh (lab, "cat " CONF "; stat -c '%a %U:%G' " CONF "; cat " BACKUP ";"
                               "ls " CONF "* | wc -l; "
                               "ls -a /etc/dnsmasq.d | grep -c '^.mirage-lab' || true");
  g_assert_cmpstr (out, ==, "# test\nport=0\nbind-interfaces\n640 root:mirage\n"
                            "# test\nport=0\n1\n0\n");
  g_free (out);
  g_free (script);
  script = g_strdup_printf ("cat %s; stat -c '%%U' %s", home, home);
  out = lab_test_root_sh (lab, script);
  g_assert_cmpstr (out, ==, "hello mirage\nmirage\n");

  /* Second run: check says done, nothing is written, no second backup. */
  g_assert_true (setup_test_check (runner, step ("files")));
  g_string_truncate (log, 0);
  g_assert_true (setup_test_apply (runner, step ("files"), NULL, &changed, &error));
  g_assert_false (changed);
  g_assert_nonnull (strstr (log->str, "Already done"));
  g_free (out);
  out = lab_test_root_sh (lab, "ls " CONF "* " BACKUP "* | wc -l; cat " CONF);
  g_assert_cmpstr (out, ==, "2\n# test\nport=0\nbind-interfaces\n");
}

static void
test_run (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (fixture->session);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  g_free (lab_test_root_sh (lab, "rm -f '/var/tmp/setup test marker'"));
  g_signal_connect (runner, "output", G_CALLBACK (on_output), log);
  g_assert_false (setup_test_check (runner, step ("run")));
  g_assert_true (setup_test_apply (runner, step ("run"), NULL, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  /* The argument with spaces stayed one argument (no shell string was built). */
  g_assert_nonnull (strstr (log->str, "$ sudo touch '/var/tmp/setup test marker'"));
  g_free (lab_test_root_sh (lab, "test -e '/var/tmp/setup test marker'"));
  g_assert_true (setup_test_check (runner, step ("run")));
  g_string_truncate (log, 0);
  g_assert_true (setup_test_apply (runner, step ("run"), NULL, &changed, &error));
  g_assert_false (changed);
  g_assert_null (strstr (log->str, "touch"));
}

static void
test_failure (LabTestFixture *fixture)
{
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (fixture->session);
  g_autoptr(GError) error = NULL;
  const LabSetupFailure *failure;

  g_assert_false (setup_test_apply (runner, step ("fail"), NULL, NULL, &error));
  g_assert_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND);
  failure = lab_setup_runner_get_failure (runner);
  g_assert_nonnull (failure);
  g_assert_cmpstr (failure->command, ==, "sh -c 'echo boom >&2; exit 3'");
  g_assert_cmpstr (failure->output, ==, "boom\n");
  g_assert_nonnull (strstr (failure->meaning, "exit status 3"));
  g_assert_cmpstr (failure->fix_command, ==, failure->command);
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
on_output_cancel (LabSetupRunner *runner,
                  const char     *text,
                  gpointer        user_data)
{
  /* Cancel once the long command is really running on dom0. */
  if (strstr (text, "started") != NULL)
    g_timeout_add (300, cancel_soon, user_data);
}

static void
test_cancel (LabTestFixture *fixture)
{
  gint64 start;
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (fixture->session);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_free (lab_test_root_sh (lab, "rm -f /home/mirage/slow.txt"));
  g_signal_connect (runner, "output", G_CALLBACK (on_output_cancel), cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (setup_test_apply (runner, step ("slow"), cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  /* Cancelling is not a failure to explain. */
  g_assert_null (lab_setup_runner_get_failure (runner));
  /* The file action after the command never ran: nothing half-written. */
  out = lab_test_root_sh (lab, "test ! -e /home/mirage/slow.txt && echo absent");
  g_assert_cmpstr (out, ==, "absent\n");
  /* The session still works. */
  g_assert_false (setup_test_check (runner, step ("slow")));
}

static void
test_resume_after_reboot (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (fixture->session);
  g_autoptr(LabSetupState) state = lab_setup_state_new ();
  g_autoptr(LabSetupState) resumed = NULL;
  g_autoptr(GAsyncResult) waited = NULL;
  g_autoptr(GAsyncResult) verified = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = lab_setup_state_default_path ();
  gboolean changed = FALSE;

  g_free (lab_test_root_sh (lab, "rm -f " CONF "*"));
  g_signal_connect (runner, "output", G_CALLBACK (on_output), log);
  g_assert_true (setup_test_apply (runner, step ("reboot"), NULL, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);

  /* The wizard saves where it is before the reboot. */
  lab_setup_state_set_host (state, lab_fixture_get (lab, "LAB_HOST"));
  lab_setup_state_set_recipe (state, "test");
  lab_setup_state_set_step (state, "reboot");
  lab_setup_state_set_pending_reboot (state, TRUE);
  g_assert_true (lab_setup_state_save (state, NULL, &error));
  g_assert_no_error (error);

  /* "Reboot": sshd goes away (its connections with it) and comes back 3 s later. */
  g_assert_true (lab_fixture_sshd_stop (lab, &error));
  g_assert_no_error (error);

  /* An app restart: the state comes back from the file. */
  resumed = lab_setup_state_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (lab_setup_state_get_pending_reboot (resumed));
  g_assert_cmpstr (lab_setup_state_get_step (resumed), ==, "reboot");

  lab_test_sshd_start_later (lab, 3);
  lab_setup_runner_wait_for_host_async (runner, 8, 500, NULL, lab_test_result_cb, &waited);
  g_assert_true (lab_setup_runner_wait_for_host_finish (runner, lab_test_wait_result (&waited, 0),
                                                        &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log->str, "Waiting for the host"));
  g_assert_nonnull (strstr (log->str, "The host answers again"));

  lab_setup_runner_verify_async (runner, step (lab_setup_state_get_step (resumed)), NULL,
                                 lab_test_result_cb, &verified);
  g_assert_true (lab_setup_runner_verify_finish (runner, lab_test_wait_result (&verified, 0),
                                                 &error));
  g_assert_no_error (error);
  lab_setup_state_set_pending_reboot (resumed, FALSE);
  lab_setup_state_set_step_status (resumed, "reboot", LAB_SETUP_STEP_STATUS_DONE);
  g_assert_true (lab_setup_state_save (resumed, NULL, &error));
}

static void
test_unreachable (LabTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  LabFixture *lab = fixture->lab;
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (fixture->session);
  g_autoptr(GAsyncResult) waited = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (lab_fixture_sshd_stop (lab, &error));
  lab_setup_runner_wait_for_host_async (runner, 3, 200, NULL, lab_test_result_cb, &waited);
  g_assert_false (lab_setup_runner_wait_for_host_finish (runner, lab_test_wait_result (&waited, 0),
                                                         &error));
  g_assert_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_UNREACHABLE);
  g_assert_nonnull (lab_setup_runner_get_failure (runner));
  /* Bounded: 3 attempts with 0.2 + 0.4 s between them. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_assert_true (lab_fixture_sshd_start (lab, &error));
  g_clear_object (&waited);
  lab_setup_runner_wait_for_host_async (runner, 8, 500, NULL, lab_test_result_cb, &waited);
  g_assert_true (lab_setup_runner_wait_for_host_finish (runner, lab_test_wait_result (&waited, 0),
                                                        &error));
}

/* A step that may take the link away (needs.reconnect): the runner reconnects and runs the
 * action again; without it the failure says the connection was lost. */
static void
test_reconnect (LabTestFixture *fixture)
{
  g_autoptr(LabSetupRunner) runner = lab_setup_runner_new (fixture->session);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  g_free (lab_test_root_sh (fixture->lab, "rm -f /home/mirage/dropped /home/mirage/dropped-2"));
  g_signal_connect (runner, "output", G_CALLBACK (on_output), log);
  g_assert_false (setup_test_check (runner, step ("drop")));
  g_assert_true (setup_test_apply (runner, step ("drop"), NULL, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  g_test_message ("log:\n%s", log->str);
  g_assert_nonnull (strstr (log->str, "reconnecting to run that again"));
  g_assert_nonnull (strstr (log->str, "The host answers again"));

  g_assert_false (setup_test_apply (runner, step ("drop-no-reconnect"), NULL, &changed,
                                    &error));
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (lab_setup_runner_get_failure (runner)->meaning,
                            "connection to the host was lost"));
  g_clear_error (&error);
  /* The session connects again for what comes next. */
  {
    g_autoptr(GAsyncResult) back = NULL;

    lab_setup_runner_wait_for_host_async (runner, 5, 500, NULL, lab_test_result_cb, &back);
    g_assert_true (lab_setup_runner_wait_for_host_finish (runner, lab_test_wait_result (&back, 0),
                                                          &error));
    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  lab_test_init (&argc, &argv);
  recipe = lab_setup_recipe_new_from_data (recipe_json, -1, &error);
  g_assert_no_error (error);

  setup_test_add ("/setup-lab/files", "nopasswd", test_files);
  setup_test_add ("/setup-lab/run", "nopasswd", test_run);
  setup_test_add ("/setup-lab/failure", "nopasswd", test_failure);
  setup_test_add ("/setup-lab/cancel", "nopasswd", test_cancel);
  setup_test_add ("/setup-lab/resume-after-reboot", "nopasswd", test_resume_after_reboot);
  setup_test_add ("/setup-lab/reconnect", "nopasswd", test_reconnect);
  setup_test_add ("/setup-lab/unreachable", "nopasswd", test_unreachable);
  status = lab_test_run ();

  g_clear_object (&recipe);
  return status;
}
