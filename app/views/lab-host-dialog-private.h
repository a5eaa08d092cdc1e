/* lab-host-dialog-private.h: what tests reach in the host dialog
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-host-dialog.h"

G_BEGIN_DECLS

/* Types @bridge into the bridge row (which gets the focus) and sets the switch that lets
 * the host probe any address. */
void lab_host_dialog_set_network (LabHostDialog *self,
                                  const char    *bridge,
                                  gboolean       probe_any_address);

G_END_DECLS
