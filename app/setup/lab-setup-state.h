/* lab-setup-state.h — where the guided setup stands, saved so it can resume
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Saved as JSON (never a secret: no password, no passphrase) in
 * g_get_user_config_dir()/mirage-lab/setup.json, written atomically (temp + rename):
 *   { "version": 1, "host": "virtualxen.local", "port": 22, "user": "mirage",
 *     "vm": "Xen", "recipe": "modern", "step": "connect", "pending-reboot": false,
 *     "done": ["virtualbox"], "skipped": [] } */
#define LAB_TYPE_SETUP_STATE (lab_setup_state_get_type ())
G_DECLARE_FINAL_TYPE (LabSetupState, lab_setup_state, LAB, SETUP_STATE, GObject)

typedef enum
{
  LAB_SETUP_STEP_STATUS_TODO,
  LAB_SETUP_STEP_STATUS_DONE,
  LAB_SETUP_STEP_STATUS_SKIPPED,
} LabSetupStepStatus;

LabSetupState     *lab_setup_state_new               (void);
/* The default file (see above). */
char              *lab_setup_state_default_path      (void);
/* A missing file is an empty state, not an error; a corrupt one is LAB_SETUP_ERROR_STATE. */
LabSetupState     *lab_setup_state_load              (const char     *path,
                                                      GError        **error);
gboolean           lab_setup_state_save              (LabSetupState  *self,
                                                      const char     *path,
                                                      GError        **error);
char              *lab_setup_state_to_json           (LabSetupState  *self);

const char        *lab_setup_state_get_host          (LabSetupState  *self);
void               lab_setup_state_set_host          (LabSetupState  *self,
                                                      const char     *host);
guint              lab_setup_state_get_port          (LabSetupState  *self);
void               lab_setup_state_set_port          (LabSetupState  *self,
                                                      guint           port);
const char        *lab_setup_state_get_user          (LabSetupState  *self);
void               lab_setup_state_set_user          (LabSetupState  *self,
                                                      const char     *user);
const char        *lab_setup_state_get_vm            (LabSetupState  *self);
void               lab_setup_state_set_vm            (LabSetupState  *self,
                                                      const char     *vm);
const char        *lab_setup_state_get_recipe        (LabSetupState  *self);
void               lab_setup_state_set_recipe        (LabSetupState  *self,
                                                      const char     *recipe);
/* The step the user reached (the one to show when the wizard opens). */
const char        *lab_setup_state_get_step          (LabSetupState  *self);
void               lab_setup_state_set_step          (LabSetupState  *self,
                                                      const char     *step);
/* TRUE between "the host is rebooting" and "it is back and verified". */
gboolean           lab_setup_state_get_pending_reboot (LabSetupState *self);
void               lab_setup_state_set_pending_reboot (LabSetupState *self,
                                                       gboolean       pending);
LabSetupStepStatus lab_setup_state_get_step_status   (LabSetupState  *self,
                                                      const char     *step);
void               lab_setup_state_set_step_status   (LabSetupState  *self,
                                                      const char     *step,
                                                      LabSetupStepStatus status);

/* What the user chose for the recipe's settings (network addresses, dom0's memory…) and
 * what VirtualBox said (adapter 2's MAC), by recipe variable name; saved with the rest so
 * a resumed wizard uses the same. NULL or "" removes one. */
const char        *lab_setup_state_get_setting       (LabSetupState  *self,
                                                      const char     *name);
void               lab_setup_state_set_setting       (LabSetupState  *self,
                                                      const char     *name,
                                                      const char     *value);

G_END_DECLS
