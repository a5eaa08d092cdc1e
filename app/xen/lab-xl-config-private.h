/* lab-xl-config-private.h — what the tests and fuzzers may see of a parsed config
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-xl-config.h"

G_BEGIN_DECLS

/* Setting @index (in file order) of @self: its key and the byte range [*start, *end) of the
 * whole setting in the text. FALSE past the last one. The fuzzer checks the legacy fix
 * against these ranges. */
gboolean _lab_xl_config_get_setting_span (LabXlConfig  *self,
                                          guint         index,
                                          const char  **key,
                                          gsize        *start,
                                          gsize        *end);

G_END_DECLS
