/* lab-config-editor-private.h — what the tests look at in the config editor
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-config-editor.h"

G_BEGIN_DECLS

/* "settings", "text" or "review": what the window shows. */
const char    *lab_config_editor_get_page        (LabConfigEditor *self);
void           lab_config_editor_show_view       (LabConfigEditor *self,
                                                  const char      *name);
GtkSpinButton *lab_config_editor_get_memory_spin (LabConfigEditor *self);
GtkEditable   *lab_config_editor_get_cmdline     (LabConfigEditor *self);
/* A new domain's rows: "name", "kernel" or "bridge"; and its type row. */
GtkEditable   *lab_config_editor_get_domain_entry (LabConfigEditor *self,
                                                   const char      *which);
AdwComboRow   *lab_config_editor_get_type_row    (LabConfigEditor *self);
/* The on_poweroff, on_reboot and on_crash rows (@i 0, 1, 2). */
AdwComboRow   *lab_config_editor_get_end_row     (LabConfigEditor *self,
                                                  guint            i);
GtkTextBuffer *lab_config_editor_get_text        (LabConfigEditor *self);
GtkTextBuffer *lab_config_editor_get_diff        (LabConfigEditor *self);
/* What the check before saving said (NULL while hidden), and the save button's label. */
const char    *lab_config_editor_get_problems    (LabConfigEditor *self);
const char    *lab_config_editor_get_save_label  (LabConfigEditor *self);
/* The notice that a running domain's changes apply at its next start, NULL when hidden. */
const char    *lab_config_editor_get_notice      (LabConfigEditor *self);

/* Copies @local to dom0 as the new domain's kernel, as the Upload… button and a drop do. */
void           lab_config_editor_upload          (LabConfigEditor *self,
                                                  GFile           *local);
/* What the upload row says (progress, or where the copy went). */
const char    *lab_config_editor_get_upload_status (LabConfigEditor *self);

G_END_DECLS
