/* lab-core.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void         lab_core_init    (void);
const char  *lab_core_version (void);

G_END_DECLS
