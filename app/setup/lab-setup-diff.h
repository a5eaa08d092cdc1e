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
 * "" when the texts are equal. A missing final newline is marked like diff(1) does. */
char *lab_setup_diff (const char *path,
                      const char *old_text,
                      const char *new_text);

/* The text after making sure @line is one of its lines (appended, after a newline that
 * ends the last line, when missing). Returns NULL when @text already has it. */
char *lab_setup_ensure_line (const char *text,
                             const char *line);

G_END_DECLS
