/* lab-config-editor.h — Edit…: a domain's config as a form and as text, the diff, saving
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-config-edit.h"

G_BEGIN_DECLS

#define LAB_TYPE_CONFIG_EDITOR (lab_config_editor_get_type ())

G_DECLARE_FINAL_TYPE (LabConfigEditor, lab_config_editor, LAB, CONFIG_EDITOR, AdwWindow)

/* Emits ::saved (the backup's path) and closes once the edit is saved. */
LabConfigEditor *lab_config_editor_new      (GtkWindow       *parent,
                                             LabConfigEdit   *edit);
LabConfigEdit   *lab_config_editor_get_edit (LabConfigEditor *self);
/* For a new domain: whether the user wants it started with its console once saved. */
gboolean         lab_config_editor_get_start_when_saved (LabConfigEditor *self);

G_END_DECLS
