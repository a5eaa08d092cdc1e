/* setup-test-util.h — what the guided setup's lab tests share: waiting for a result, a
 * recipe's step by id, and the runner's check / plan / apply run to the end
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "setup/lab-setup-runner.h"

G_GNUC_UNUSED static void
setup_test_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Iterates the main loop until @slot holds the result (the caller frees it). */
G_GNUC_UNUSED static GAsyncResult *
setup_test_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* A shipped recipe, read from the source tree (the core has no GResource of its own). */
G_GNUC_UNUSED static LabSetupRecipe *
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

G_GNUC_UNUSED static const LabSetupStep *
setup_test_step (LabSetupRecipe *recipe,
                 const char     *id)
{
  int index = lab_setup_recipe_find_step (recipe, id);

  g_assert_cmpint (index, >=, 0);
  return lab_setup_recipe_get_step (recipe, index);
}

/* Is the step done? (asserts the check itself worked) */
G_GNUC_UNUSED static gboolean
setup_test_check (LabSetupRunner     *runner,
                  const LabSetupStep *step)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  lab_setup_runner_check_async (runner, step, NULL, setup_test_done_cb, &result);
  g_assert_true (lab_setup_runner_check_finish (runner, setup_test_wait (&result), &done,
                                                &error));
  g_assert_no_error (error);
  return done;
}

G_GNUC_UNUSED static char *
setup_test_plan (LabSetupRunner     *runner,
                 const LabSetupStep *step,
                 GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *text;

  lab_setup_runner_plan_async (runner, step, NULL, setup_test_done_cb, &result);
  text = lab_setup_runner_plan_finish (runner, setup_test_wait (&result), error);
  if (text != NULL)
    g_test_message ("plan of %s:\n%s", step->id, text);
  return text;
}

G_GNUC_UNUSED static gboolean
setup_test_apply (LabSetupRunner     *runner,
                  const LabSetupStep *step,
                  GCancellable       *cancellable,
                  gboolean           *changed,
                  GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lab_setup_runner_apply_async (runner, step, cancellable, setup_test_done_cb, &result);
  return lab_setup_runner_apply_finish (runner, setup_test_wait (&result), changed, error);
}

/* For the tests against a lab (the unit tests have no fixture). */
#if __has_include ("lab-app-util.h")
#include "lab-app-util.h"

/* Starts the lab (sudo asks for the password with "password"), trusts its host keys and
 * returns a session to its user with its key (and its password for sudo), connected. */
G_GNUC_UNUSED static LabSshSession *
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
  lab_ssh_session_connect_async (session, NULL, setup_test_done_cb, &connected);
  g_assert_true (lab_ssh_session_connect_finish (session, setup_test_wait (&connected),
                                                 &error));
  g_assert_no_error (error);
  return session;
}
#endif
