/* setup-test-util.h — what the guided setup's tests share: a recipe's step by id, the
 * runner's check / plan / apply run to the end, and a session to the lab
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-app-util.h"
#include "setup/lab-setup-runner.h"

G_BEGIN_DECLS

/* A shipped recipe, read from the source tree (the core has no GResource of its own). */
LabSetupRecipe     *setup_test_load_recipe (const char          *name);
const LabSetupStep *setup_test_step        (LabSetupRecipe      *recipe,
                                            const char          *id);
/* Is the step done? (asserts the check itself worked) */
gboolean            setup_test_check       (LabSetupRunner      *runner,
                                            const LabSetupStep  *step);
char               *setup_test_plan        (LabSetupRunner      *runner,
                                            const LabSetupStep  *step,
                                            GError             **error);
gboolean            setup_test_apply       (LabSetupRunner      *runner,
                                            const LabSetupStep  *step,
                                            GCancellable        *cancellable,
                                            gboolean            *changed,
                                            GError             **error);
/* Only the ed25519 key in the private HOME (~/.ssh/id_ed25519), nothing else, signs in to
 * the lab's user: the key the guided setup made and installed. */
void                setup_test_assert_new_key_signs_in (LabFixture *lab);
/* Registers @func as lab_test_add() does, and fixture->session connected to the lab's user
 * with its key (and its password for sudo with "password"): the program's one session,
 * made by the first test that needs it, kept for the next ones and closed by
 * lab_test_run(). */
void                setup_test_add         (const char          *path,
                                            const char          *sudo_mode,
                                            LabTestFunc          func);
/* Starts the lab (sudo asks for the password with "password"), trusts its host keys and
 * returns a session to its user with its key (and its password for sudo), connected. */
LabSshSession      *setup_test_lab_up      (const char          *sudo_mode,
                                            LabFixture         **lab_out);

G_END_DECLS
