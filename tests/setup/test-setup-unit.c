/* test-setup-unit.c — the guided setup's recipes, plans (diffs) and saved state
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "setup/lab-setup-diff.h"
#include "setup/lab-setup-error.h"
#include "setup/lab-setup-logs.h"
#include "setup/lab-setup-recipe.h"
#include "setup/lab-setup-state.h"

static const char good_recipe[] =
  "{ \"id\": \"t\", \"title\": \"Test\", \"steps\": ["
  "  { \"id\": \"vb\", \"title\": \"VirtualBox\", \"explanation\": \"x\","
  "    \"builtin\": \"virtualbox\" },"
  "  { \"id\": \"dns\", \"title\": \"DNS\", \"explanation\": \"Why.\","
  "    \"needs\": { \"root\": true, \"reboot-after\": true },"
  "    \"check\": [ { \"run\": [ \"test\", \"-e\", \"/x\" ], \"root\": false } ],"
  "    \"apply\": [ { \"run\": [ \"touch\", \"/x y\" ], \"timeout\": 5 },"
  "               { \"ensure-line\": \"a=b\", \"path\": \"/etc/t.conf\" } ] },"
  "  { \"id\": \"home\", \"title\": \"Home\", \"explanation\": \"y\","
  "    \"apply\": [ { \"ensure-file\": \"hi\\n\", \"path\": \"${home}/f\" } ] } ] }";

static void
test_recipe_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSetupRecipe) recipe = lab_setup_recipe_new_from_data (good_recipe, -1, &error);
  const LabSetupStep *step;
  const LabSetupAction *action;
  g_autoptr(GPtrArray) check = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lab_setup_recipe_get_id (recipe), ==, "t");
  g_assert_cmpuint (lab_setup_recipe_get_n_steps (recipe), ==, 3);
  g_assert_cmpint (lab_setup_recipe_find_step (recipe, "dns"), ==, 1);
  g_assert_cmpint (lab_setup_recipe_find_step (recipe, "nope"), ==, -1);

  step = lab_setup_recipe_get_step (recipe, 0);
  g_assert_cmpstr (step->builtin, ==, "virtualbox");

  step = lab_setup_recipe_get_step (recipe, 1);
  g_assert_true (step->needs_root);
  g_assert_true (step->reboot_after);
  g_assert_false (step->reconnect);
  g_assert_cmpuint (step->check->len, ==, 1);
  action = step->check->pdata[0];
  g_assert_false (action->root);          /* explicit false wins over needs.root */
  action = step->apply->pdata[0];
  g_assert_cmpint (action->kind, ==, LAB_SETUP_ACTION_RUN);
  g_assert_true (action->root);           /* inherited from needs.root */
  g_assert_cmpuint (action->timeout_s, ==, 5);
  g_assert_cmpstr (action->argv[1], ==, "/x y");
  action = step->apply->pdata[1];
  g_assert_cmpint (action->kind, ==, LAB_SETUP_ACTION_ENSURE_LINE);
  g_assert_cmpstr (action->path, ==, "/etc/t.conf");

  /* No explicit check: the file actions of apply are the check. */
  step = lab_setup_recipe_get_step (recipe, 2);
  check = lab_setup_step_get_check (step);
  g_assert_cmpuint (check->len, ==, 1);
  g_assert_true (check->pdata[0] == step->apply->pdata[0]);
}

static void
test_recipe_malformed (void)
{
  const char *bad[] = {
    "",
    "[]",
    "{ \"id\": \"t\", \"title\": \"T\" }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [] }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"a\", \"title\": \"A\" } ] }",
    /* a command step without a check could not be idempotent */
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"a\", \"title\": \"A\","
    "  \"explanation\": \"e\", \"apply\": [ { \"run\": [ \"x\" ] } ] } ] }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"a\", \"title\": \"A\","
    "  \"explanation\": \"e\", \"apply\": [ { \"run\": \"echo hi\" } ] } ] }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"a\", \"title\": \"A\","
    "  \"explanation\": \"e\", \"apply\": [ { \"ensure-line\": \"a\\nb\", \"path\": \"/f\" } ]"
    "} ] }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"a\", \"title\": \"A\","
    "  \"explanation\": \"e\", \"apply\": [ { \"ensure-line\": \"a\", \"path\": \"rel\" } ] } ] }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"a\", \"title\": \"A\","
    "  \"explanation\": \"e\", \"apply\": [ { \"ensure-line\": \"a\", \"run\": [\"x\"],"
    "  \"path\": \"/f\" } ] } ] }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"a\", \"title\": \"A\","
    "  \"explanation\": \"e\", \"builtin\": \"teleport\" } ] }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": [ { \"id\": \"a\", \"title\": \"A\","
    "  \"explanation\": \"e\", \"builtin\": \"connect\", \"needs\": { \"root\": \"yes\" } } ] }",
    "{ \"id\": \"t\", \"title\": \"T\", \"steps\": ["
    "  { \"id\": \"a\", \"title\": \"A\", \"explanation\": \"e\", \"builtin\": \"connect\" },"
    "  { \"id\": \"a\", \"title\": \"A\", \"explanation\": \"e\", \"builtin\": \"connect\" } ] }",
    /* json-glib's message quotes the token and cuts its last character in two (found by
     * fuzzing) */
    "{\"[ -dadoes\n\notxen\xe2\x80\x9d-gtk-priven\xe2\x80\x9d" "en\xe2\x80\x9d\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabSetupRecipe) recipe = lab_setup_recipe_new_from_data (bad[i], -1, &error);

      g_test_message ("bad recipe %u: %s", i, error != NULL ? error->message : "(none)");
      g_assert_null (recipe);
      g_assert_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_RECIPE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

/* The recipes shipped in the resources parse (read from the source tree: the core library
 * has no GResource of its own). */
static void
test_recipe_shipped (void)
{
  const char *names[] = { "classic", "modern" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file = g_strconcat (names[i], ".json", NULL);
      g_autofree char *path = g_build_filename (g_getenv ("MIRAGE_LAB_SRCDIR"), "resources",
                                                "recipes", file, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LabSetupRecipe) recipe = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      recipe = lab_setup_recipe_new_from_data (text, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (lab_setup_recipe_get_id (recipe), ==, names[i]);
      g_assert_cmpint (lab_setup_recipe_find_step (recipe, "virtualbox"), ==, 0);
      g_assert_cmpint (lab_setup_recipe_find_step (recipe, "connect"), ==, 1);
    }
}

static void
test_pick_recipe (void)
{
  g_autofree char *desc = NULL;
  g_autofree char *desc2 = NULL;

  g_assert_cmpstr (lab_setup_pick_recipe ("NAME=\"Ubuntu\"\nVERSION_ID=\"14.04\"\nID=ubuntu\n"
                                          "PRETTY_NAME=\"Ubuntu 14.04.6 LTS\"\n", &desc),
                   ==, "classic");
  g_assert_cmpstr (desc, ==, "Ubuntu 14.04.6 LTS");
  g_assert_cmpstr (lab_setup_pick_recipe ("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                                          "ID=debian\nVERSION_ID=\"12\"\n", &desc2),
                   ==, "modern");
  g_assert_cmpstr (desc2, ==, "Debian GNU/Linux 12 (bookworm)");
  g_assert_cmpstr (lab_setup_pick_recipe ("ID=ubuntu\nVERSION_ID=\"24.04\"\n", NULL),
                   ==, "modern");
  g_assert_cmpstr (lab_setup_pick_recipe ("ID=ubuntu\nVERSION_ID='14.04'\n", NULL),
                   ==, "classic");
  g_assert_cmpstr (lab_setup_pick_recipe ("", NULL), ==, "modern");

  /* The file is the host's bytes, the description is shown in GTK: always UTF-8. */
  {
    g_autofree char *latin1 = NULL;
    g_autofree char *no_pretty = NULL;

    lab_setup_pick_recipe ("PRETTY_NAME=\"Debian \xe9" "dition\"\nID=debian\n", &latin1);
    g_assert_true (g_utf8_validate (latin1, -1, NULL));
    g_assert_true (g_str_has_prefix (latin1, "Debian "));
    lab_setup_pick_recipe ("ID=deb\xffian\nVERSION_ID=1\xfe\n", &no_pretty);
    g_assert_true (g_utf8_validate (no_pretty, -1, NULL));
  }
}

/* The diff is shown (GTK needs UTF-8), and the file it shows is the host's bytes. */
static void
test_diff_not_utf8 (void)
{
  g_autofree char *diff = lab_setup_diff ("/etc/default/grub", "# caf\xe9\nGRUB_TIMEOUT=5\n",
                                          "# caf\xe9\nGRUB_TIMEOUT=0\n");

  g_assert_true (g_utf8_validate (diff, -1, NULL));
  g_assert_nonnull (strstr (diff, "-GRUB_TIMEOUT=5\n+GRUB_TIMEOUT=0\n"));
  g_assert_nonnull (strstr (diff, " # caf\xef\xbf\xbd\n"));
}

static void
test_diff (void)
{
  g_autofree char *same = lab_setup_diff ("/f", "a\nb\n", "a\nb\n");
  g_autofree char *added = lab_setup_diff ("/etc/f", "1\n2\n3\n4\n5\n6\n7\n8\n",
                                           "1\n2\n3\n4\n5\n6\n7\n8\nnew\n");
  g_autofree char *created = lab_setup_diff ("/etc/n", NULL, "x\n");
  g_autofree char *changed = lab_setup_diff ("/f", "a\nb\nc\n", "a\nB\nc\n");
  g_autofree char *no_newline = lab_setup_diff ("/f", "a", "a\nb\n");
  g_autofree char *two = lab_setup_diff ("/f", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                                         "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n");

  g_assert_cmpstr (same, ==, "");
  g_assert_cmpstr (added, ==,
                   "--- /etc/f\n+++ /etc/f\n@@ -6,3 +6,4 @@\n 6\n 7\n 8\n+new\n");
  g_assert_cmpstr (created, ==, "--- /dev/null\n+++ /etc/n\n@@ -0,0 +1,1 @@\n+x\n");
  g_assert_cmpstr (changed, ==, "--- /f\n+++ /f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  g_assert_cmpstr (no_newline, ==,
                   "--- /f\n+++ /f\n@@ -1,1 +1,2 @@\n-a\n\\ No newline at end of file\n"
                   "+a\n+b\n");
  /* Changes far apart make two hunks. */
  g_assert_cmpstr (two, ==,
                   "--- /f\n+++ /f\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n"
                   "@@ -10,3 +11,4 @@\n 10\n 11\n 12\n+13\n");
}

static void
test_ensure_line (void)
{
  g_autofree char *a = lab_setup_ensure_line ("x\ny\n", "z");
  g_autofree char *b = lab_setup_ensure_line ("x\ny", "z");
  g_autofree char *c = lab_setup_ensure_line (NULL, "z");

  g_assert_cmpstr (a, ==, "x\ny\nz\n");
  g_assert_cmpstr (b, ==, "x\ny\nz\n");
  g_assert_cmpstr (c, ==, "z\n");
  g_assert_null (lab_setup_ensure_line ("x\nz\ny\n", "z"));
  g_assert_null (lab_setup_ensure_line ("z", "z"));
  /* A line containing it is not the line. */
  g_free (a);
  a = lab_setup_ensure_line ("#z\n", "z");
  g_assert_cmpstr (a, ==, "#z\nz\n");
}

static void
test_state (void)
{
  g_autofree char *dir = g_dir_make_tmp ("setup-state-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sub", "setup.json", NULL);
  g_autoptr(LabSetupState) state = lab_setup_state_new ();
  g_autoptr(LabSetupState) loaded = NULL;
  g_autoptr(LabSetupState) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sub = NULL;
  GStatBuf st;

  lab_setup_state_set_host (state, "virtualxen.local");
  lab_setup_state_set_port (state, 2222);
  lab_setup_state_set_user (state, "mirage");
  lab_setup_state_set_vm (state, "Xen \"4.17\"");
  lab_setup_state_set_recipe (state, "modern");
  lab_setup_state_set_step (state, "connect");
  lab_setup_state_set_pending_reboot (state, TRUE);
  lab_setup_state_set_step_status (state, "virtualbox", LAB_SETUP_STEP_STATUS_DONE);
  lab_setup_state_set_step_status (state, "opam", LAB_SETUP_STEP_STATUS_SKIPPED);
  g_assert_true (lab_setup_state_save (state, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = lab_setup_state_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lab_setup_state_get_host (loaded), ==, "virtualxen.local");
  g_assert_cmpuint (lab_setup_state_get_port (loaded), ==, 2222);
  g_assert_cmpstr (lab_setup_state_get_user (loaded), ==, "mirage");
  g_assert_cmpstr (lab_setup_state_get_vm (loaded), ==, "Xen \"4.17\"");
  g_assert_cmpstr (lab_setup_state_get_recipe (loaded), ==, "modern");
  g_assert_cmpstr (lab_setup_state_get_step (loaded), ==, "connect");
  g_assert_true (lab_setup_state_get_pending_reboot (loaded));
  g_assert_cmpint (lab_setup_state_get_step_status (loaded, "virtualbox"), ==,
                   LAB_SETUP_STEP_STATUS_DONE);
  g_assert_cmpint (lab_setup_state_get_step_status (loaded, "opam"), ==,
                   LAB_SETUP_STEP_STATUS_SKIPPED);
  g_assert_cmpint (lab_setup_state_get_step_status (loaded, "xen"), ==,
                   LAB_SETUP_STEP_STATUS_TODO);

  /* Resuming after the reboot clears the flag, and the file says so. */
  lab_setup_state_set_pending_reboot (loaded, FALSE);
  g_assert_true (lab_setup_state_save (loaded, path, &error));
  g_clear_object (&state);
  state = lab_setup_state_load (path, &error);
  g_assert_false (lab_setup_state_get_pending_reboot (state));

  /* No secret ever goes in there (there is no API for one) and no temp file is left. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_null (strstr (text, "password"));

  /* Missing file: empty state. Damaged or unknown version: an error, not a guess. */
  g_remove (path);
  empty = lab_setup_state_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (lab_setup_state_get_host (empty));
  g_assert_true (g_file_set_contents (path, "{ \"version\": 1, \"host\": ", -1, NULL));
  g_assert_null (lab_setup_state_load (path, &error));
  g_assert_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "{ \"version\": 99 }", -1, NULL));
  g_assert_null (lab_setup_state_load (path, &error));
  g_assert_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_STATE);
  g_clear_error (&error);

  g_remove (path);
  sub = g_path_get_dirname (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

/* Each step keeps its own output, the newest part of it, from a line start. */
static void
test_logs (void)
{
  g_autoptr(LabSetupLogs) logs = lab_setup_logs_new (16);
  const char *text;
  gsize length = 99;

  text = lab_setup_logs_get (logs, "xen", &length);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpuint (length, ==, 0);

  lab_setup_logs_append (logs, "virtualbox", "$ VBoxManage\n", 13);
  lab_setup_logs_append (logs, "xen", "a\nb", 3);
  lab_setup_logs_append (logs, "xen", "c\n", 2);
  g_assert_cmpstr (lab_setup_logs_get (logs, "virtualbox", NULL), ==, "$ VBoxManage\n");
  g_assert_cmpstr (lab_setup_logs_get (logs, "xen", &length), ==, "a\nbc\n");
  g_assert_cmpuint (length, ==, 5);

  /* Over the bound: whole lines go from the front. */
  lab_setup_logs_append (logs, "xen", "0123456789\nxyz\n", 15);
  g_assert_cmpstr (lab_setup_logs_get (logs, "xen", NULL), ==, "0123456789\nxyz\n");
  lab_setup_logs_append (logs, "xen", "tail\n", 5);
  g_assert_cmpstr (lab_setup_logs_get (logs, "xen", NULL), ==, "xyz\ntail\n");
  /* One line longer than the bound: nothing half is kept. */
  lab_setup_logs_append (logs, "xen", "a line of more than sixteen bytes", 33);
  g_assert_cmpstr (lab_setup_logs_get (logs, "xen", NULL), ==, "");
  g_assert_cmpstr (lab_setup_logs_get (logs, "virtualbox", NULL), ==, "$ VBoxManage\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/recipe/good", test_recipe_good);
  g_test_add_func ("/setup/recipe/malformed", test_recipe_malformed);
  g_test_add_func ("/setup/recipe/shipped", test_recipe_shipped);
  g_test_add_func ("/setup/recipe/pick", test_pick_recipe);
  g_test_add_func ("/setup/diff", test_diff);
  g_test_add_func ("/setup/diff/not-utf8", test_diff_not_utf8);
  g_test_add_func ("/setup/ensure-line", test_ensure_line);
  g_test_add_func ("/setup/state", test_state);
  g_test_add_func ("/setup/logs", test_logs);
  return g_test_run ();
}
