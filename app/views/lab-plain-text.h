/* lab-plain-text.h — plain text into libadwaita's markup-only sinks
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast  *lab_plain_toast_new              (const char    *text);
void       lab_plain_set_tab_tooltip        (AdwTabPage    *page,
                                             const char    *text);
void       lab_plain_set_status_description (AdwStatusPage *page,
                                             const char    *text);
char      *lab_plain_dup_markup             (const char    *text);

G_END_DECLS
