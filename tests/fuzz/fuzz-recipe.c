/* fuzz-recipe.c — setup recipes (JSON)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "setup/lab-setup-error.h"
#include "setup/lab-setup-recipe.h"

FUZZ_DEFINE_INITIALIZE ()

static void
check_actions (GPtrArray *actions)
{
  for (guint i = 0; i < actions->len; i++)
    {
      const LabSetupAction *action = actions->pdata[i];

      if (action->argv != NULL)
        {
          g_autofree char *line = lab_setup_format_argv ((const char * const *) action->argv);

          FUZZ_ASSERT (line != NULL);
        }
      if (lab_setup_action_is_file (action) && action->kind != LAB_SETUP_ACTION_ENSURE_PACKAGES)
        FUZZ_ASSERT (action->path != NULL && action->text != NULL);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_memdup (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSetupRecipe) recipe = lab_setup_recipe_new_from_data (text != NULL ? text : "",
                                                                     size, &error);

  FUZZ_ASSERT ((recipe == NULL) != (error == NULL));
  if (recipe == NULL)
    {
      FUZZ_ASSERT (g_error_matches (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_RECIPE));
      FUZZ_ASSERT (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  FUZZ_ASSERT (lab_setup_recipe_get_n_steps (recipe) > 0);
  for (guint i = 0; i < lab_setup_recipe_get_n_steps (recipe); i++)
    {
      const LabSetupStep *step = lab_setup_recipe_get_step (recipe, i);
      g_autoptr(GPtrArray) check = lab_setup_step_get_check (step);
      g_autoptr(GPtrArray) verify = lab_setup_step_get_verify (step);

      FUZZ_ASSERT (lab_setup_recipe_find_step (recipe, step->id) == (int) i);
      check_actions (check);
      check_actions (step->apply);
      check_actions (verify);
    }
  return 0;
}
