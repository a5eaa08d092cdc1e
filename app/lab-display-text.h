/* lab-display-text.h — text from outside the app, made fit to be shown
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bounds, in characters, for what dom0, a unikernel or a remote file hands us. A name
 * longer than this is not one a person can read in a toast anyway. */
#define LAB_DISPLAY_NAME_MAX          80
#define LAB_DISPLAY_LINE_MAX         200
#define LAB_DISPLAY_MESSAGE_MAX      400
#define LAB_DISPLAY_NOTIFICATION_MAX 200

char  *lab_text_for_display       (const char *text,
                                   gsize       max_chars);
char  *lab_text_for_display_lines (const char *text,
                                   gsize       max_chars);
char  *lab_text_for_notification  (const char *text,
                                   gsize       max_chars);

G_END_DECLS
