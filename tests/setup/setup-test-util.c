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

void
setup_test_assert_new_key_signs_in (LabFixture *lab)
{
  g_autofree char *key = g_build_filename (g_get_home_dir (), ".ssh", "id_ed25519", NULL);
  g_autoptr(LabSshSession) check = lab_ssh_session_new (lab_fixture_get (lab, "LAB_HOST"));
  const char *methods[] = { "publickey", NULL };
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (key, G_FILE_TEST_EXISTS));
  lab_ssh_session_set_port (check, g_ascii_strtoull (lab_fixture_get (lab, "LAB_PORT"), NULL,
                                                     10));
  lab_ssh_session_set_user (check, lab_fixture_get (lab, "LAB_USER"));
  lab_ssh_session_set_identity_file (check, key);
  lab_ssh_session_set_auth_methods (check, methods);
  lab_ssh_session_connect_async (check, NULL, lab_test_result_cb, &connected);
  g_assert_true (lab_ssh_session_connect_finish (check, lab_test_wait_result (&connected, 0),
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_ssh_session_get_auth_method (check), ==, "publickey");
  lab_ssh_session_close (check);
}

/* The lab's user with its key, and its password for sudo when the lab asks for it. */
static LabSshSession *
setup_test_session_new (LabFixture *lab)
{
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GError) error = NULL;
  LabSshSession *session = lab_ssh_session_new (lab_fixture_get (lab, "LAB_HOST"));

  lab_ssh_session_set_port (session, g_ascii_strtoull (lab_fixture_get (lab, "LAB_PORT"),
                                                       NULL, 10));
  lab_ssh_session_set_user (session, lab_fixture_get (lab, "LAB_USER"));
  lab_ssh_session_set_identity_file (session, lab_fixture_get (lab, "LAB_KEY"));
  if (g_strcmp0 (lab_fixture_get (lab, "LAB_SUDO"), "password") == 0)
    lab_ssh_session_set_password (session, lab_fixture_get (lab, "LAB_PASSWORD"));
  lab_ssh_session_connect_async (session, NULL, lab_test_result_cb, &connected);
  g_assert_true (lab_ssh_session_connect_finish (session, lab_test_wait_result (&connected, 0),
                                                 &error));
  g_assert_no_error (error);
  return session;
}

LabSshSession *
setup_test_lab_up (const char  *sudo_mode,
                   LabFixture **lab_out)
{
  g_autoptr(GError) error = NULL;
  LabFixture *lab = lab_fixture_up (sudo_mode, &error);

  g_assert_no_error (error);
  lab_app_trust_lab (lab);
  *lab_out = lab;
  return setup_test_session_new (lab);
}

/* The program's one session, to lab-test-utils' one lab. */
static LabSshSession *setup_test_session;
static LabFixture *setup_test_session_lab;

static void
setup_test_session_close (gpointer unused)
{
  if (setup_test_session != NULL)
    lab_ssh_session_close (setup_test_session);
  g_clear_object (&setup_test_session);
  setup_test_session_lab = NULL;
}

static gboolean
setup_test_prepare_session (LabTestFixture *fixture)
{
  if (setup_test_session != NULL && setup_test_session_lab != fixture->lab)
    setup_test_session_close (NULL);
  if (setup_test_session == NULL)
    {
      lab_app_trust_lab (fixture->lab);
      setup_test_session = setup_test_session_new (fixture->lab);
      setup_test_session_lab = fixture->lab;
      lab_test_at_end (setup_test_session_close, NULL);
    }
  fixture->session = setup_test_session;
  return TRUE;
}

void
setup_test_add (const char  *path,
                const char  *sudo_mode,
                LabTestFunc  func)
{
  lab_test_add_full (path, sudo_mode, NULL, setup_test_prepare_session, func);
}
