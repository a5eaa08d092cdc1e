/* lab-setup-settings-group.h — the guided setup's settings form (dom0's memory, the bridge
 * and its DHCP range, the host-only interface)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "setup/lab-setup-runner.h"
#include "setup/lab-setup-state.h"

G_BEGIN_DECLS

#define LAB_TYPE_SETUP_SETTINGS_GROUP (lab_setup_settings_group_get_type ())

G_DECLARE_FINAL_TYPE (LabSetupSettingsGroup, lab_setup_settings_group, LAB,
                      SETUP_SETTINGS_GROUP, AdwPreferencesGroup)

/* Shows the rows a step asks for: dom0's memory for the Xen step, the rest for the network
 * step; the group is hidden for the other steps. */
void     lab_setup_settings_group_show_for (LabSetupSettingsGroup *self,
                                            gboolean               network,
                                            gboolean               xen);
/* The rows show what @state says was chosen before, else @runner's defaults. */
void     lab_setup_settings_group_fill     (LabSetupSettingsGroup *self,
                                            LabSetupState         *state,
                                            LabSetupRunner        *runner);
/* Takes the rows into @runner (checked together) and @state (which the caller saves); a
 * setting @runner refuses is LAB_SETUP_ERROR_FAILED, and then @state is left as it was. */
gboolean lab_setup_settings_group_take     (LabSetupSettingsGroup *self,
                                            LabSetupState         *state,
                                            LabSetupRunner        *runner,
                                            GError               **error);

G_END_DECLS
