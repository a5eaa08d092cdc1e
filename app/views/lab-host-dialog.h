/* lab-host-dialog.h — add or edit a dom0 host
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-host.h"

G_BEGIN_DECLS

#define LAB_TYPE_HOST_DIALOG (lab_host_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LabHostDialog, lab_host_dialog, LAB, HOST_DIALOG, AdwWindow)

/* @host NULL: a new host. Otherwise the dialog edits a copy and writes it back on save. */
LabHostDialog *lab_host_dialog_new          (GtkWindow     *parent,
                                             LabHost       *host);
LabHost       *lab_host_dialog_get_host     (LabHostDialog *self);
/* Fills the fields (for tests and for "Add" pre-filled from ~/.ssh/config). */
void           lab_host_dialog_set_fields   (LabHostDialog *self,
                                             const char    *name,
                                             const char    *address,
                                             const char    *user,
                                             guint          port);
/* The message shown for invalid input, or NULL when the input can be saved. */
const char    *lab_host_dialog_get_problem  (LabHostDialog *self);

G_END_DECLS
