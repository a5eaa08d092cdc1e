/* fuzz-os-release.c — /etc/os-release, which picks the setup recipe
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "setup/lab-setup-recipe.h"

FUZZ_DEFINE_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autofree char *description = NULL;
  const char *recipe = lab_setup_pick_recipe (text, &description);

  FUZZ_ASSERT (g_strcmp0 (recipe, "classic") == 0 || g_strcmp0 (recipe, "modern") == 0);
  /* The wizard shows it. */
  FUZZ_ASSERT (description != NULL && g_utf8_validate (description, -1, NULL));
  return 0;
}
