/* lab-setup-diff.h — unified diffs for the plan of a file change
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A unified diff (3 lines of context) from @old_text to @new_text, headed
 * "--- PATH" / "+++ PATH"; @old_text NULL = the file does not exist yet ("--- /dev/null").
 * "" when the texts are equal. A missing final newline is marked like diff(1) does. For
 * showing: always valid UTF-8 (bytes that are not read as U+FFFD). */
char *lab_setup_diff (const char *path,
                      const char *old_text,
                      const char *new_text);

/* The text after making sure @line is one of its lines (appended, after a newline that
 * ends the last line, when missing). Returns NULL when @text already has it. */
char *lab_setup_ensure_line (const char *text,
                             const char *line);

/* The same, where the first line matching @replaces (a GRegex) becomes @line instead: for
 * settings such as "#XEN_OVERRIDE_GRUB_DEFAULT=". Lines of @text that already are @line
 * count only when no earlier line matches @replaces differently (a setting is read from
 * its first occurrence here, as the shipped files keep one each). NULL when nothing
 * changes. */
char *lab_setup_ensure_setting (const char *text,
                                const char *line,
                                const char *replaces);

/* The text after making sure @block (whole lines) appears in it as a run of lines; when
 * missing it is appended, after a blank line when the text does not end in one. NULL when
 * @text already has it. */
char *lab_setup_ensure_block (const char *text,
                              const char *block);

G_END_DECLS
