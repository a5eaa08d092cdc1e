/* lab-console-log.h — a domain's last console output, kept after it ends (bounded ring)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a console log keeps by default: the end of a unikernel's output is what explains
 * how it ended, and a megabyte holds thousands of lines. */
#define LAB_CONSOLE_LOG_DEFAULT_CAPACITY (1024 * 1024)

#define LAB_TYPE_CONSOLE_LOG (lab_console_log_get_type ())

G_DECLARE_FINAL_TYPE (LabConsoleLog, lab_console_log, LAB, CONSOLE_LOG, GObject)

LabConsoleLog *lab_console_log_new              (const char    *domain_name,
                                                 gsize          capacity);
const char    *lab_console_log_get_domain_name  (LabConsoleLog *self);
gsize          lab_console_log_get_capacity     (LabConsoleLog *self);
/* Bytes held now (at most the capacity). */
gsize          lab_console_log_get_length       (LabConsoleLog *self);
/* Bytes dropped from the start to stay within the capacity, since the log was made. */
guint64        lab_console_log_get_dropped      (LabConsoleLog *self);
/* Real time (µs) of the last append, 0 when nothing came yet. */
gint64         lab_console_log_get_last_append  (LabConsoleLog *self);

/* Console bytes, as they came (the terminal's view of them is not needed to keep them).
 * Emits ::appended with the same bytes. */
void           lab_console_log_append           (LabConsoleLog *self,
                                                 const guint8  *data,
                                                 gsize          len);
/* A line of Mirage Lab's own (a start marker), set apart from the domain's output. */
void           lab_console_log_append_note      (LabConsoleLog *self,
                                                 const char    *text);
/* Everything held, oldest first. */
GBytes        *lab_console_log_dup_bytes        (LabConsoleLog *self);
/* The last @n_lines lines as text (invalid UTF-8 replaced, CRs dropped). */
char          *lab_console_log_dup_tail         (LabConsoleLog *self,
                                                 guint          n_lines);
void           lab_console_log_clear            (LabConsoleLog *self);

G_END_DECLS
