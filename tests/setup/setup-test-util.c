/* setup-test-util.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "setup-test-util"

#include "setup-test-util.h"

/* A shipped recipe, read from the source tree (the core has no GResource of its own). */
LabSetupRecipe *
setup_test_load_recipe (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("MIRAGE_LAB_SRCDIR"), "resources",
                                            "recipes", file, NULL);
  g_autofree char *json = NULL;
  LabSetupRecipe *recipe;

  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  recipe = lab_setup_recipe_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recipe);
  return recipe;
}

const LabSetupStep *
setup_test_step (LabSetupRecipe *recipe,
                 const char     *id)
{
  int index = lab_setup_recipe_find_step (recipe, id);

  g_assert_cmpint (index, >=, 0);
  return lab_setup_recipe_get_step (recipe, index);
}

/* Is the step done? (asserts the check itself worked) */
gboolean
setup_test_check (LabSetupRunner     *runner,
                  const LabSetupStep *step)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  lab_setup_runner_check_async (runner, step, NULL, lab_test_result_cb, &result);
  g_assert_true (lab_setup_runner_check_finish (runner, lab_test_wait_result (&result, 0),
                                                &done, &error));
  g_assert_no_error (error);
  return done;
}

char *
setup_test_plan (LabSetupRunner     *runner,
                 const LabSetupStep *step,
                 GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *text;

  lab_setup_runner_plan_async (runner, step, NULL, lab_test_result_cb, &result);
  text = lab_setup_runner_plan_finish (runner, lab_test_wait_result (&result, 0), error);
  if (text != NULL)
    g_test_message ("plan of %s:\n%s", step->id, text);
  return text;
}

gboolean
setup_test_apply (LabSetupRunner     *runner,
                  const LabSetupStep *step,
                  GCancellable       *cancellable,
                  gboolean           *changed,
                  GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lab_setup_runner_apply_async (runner, step, cancellable, lab_test_result_cb, &result);
  return lab_setup_runner_apply_finish (runner, lab_test_wait_result (&result, 0), changed, error);
}

/* Starts the lab (sudo asks for the password with "password"), trusts its host keys and
 * returns a session to its user with its key (and its password for sudo), connected. */
LabSshSession *
setup_test_lab_up (const char  *sudo_mode,
                   LabFixture **lab_out)
{
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GError) error = NULL;
  gboolean with_password = g_str_equal (sudo_mode, "password");
  LabFixture *lab = lab_fixture_up (sudo_mode, &error);
  LabSshSession *session;

  g_assert_no_error (error);
  lab_app_trust_lab (lab);
  *lab_out = lab;
  session = lab_ssh_session_new (lab_fixture_get (lab, "LAB_HOST"));

  lab_ssh_session_set_port (session, g_ascii_strtoull (lab_fixture_get (lab, "LAB_PORT"),
                                                       NULL, 10));
  lab_ssh_session_set_user (session, lab_fixture_get (lab, "LAB_USER"));
  lab_ssh_session_set_identity_file (session, lab_fixture_get (lab, "LAB_KEY"));
  if (with_password)
    lab_ssh_session_set_password (session, lab_fixture_get (lab, "LAB_PASSWORD"));
  lab_ssh_session_connect_async (session, NULL, lab_test_result_cb, &connected);
  g_assert_true (lab_ssh_session_connect_finish (session, lab_test_wait_result (&connected, 0),
                                                 &error));
  g_assert_no_error (error);
  return session;
}
