/* lab-terminal.h — a VteTerminal for domain consoles: palette, font, zoom, menu, size
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <vte/vte.h>

#include "ssh/lab-ssh-channel.h"

G_BEGIN_DECLS

#define LAB_TYPE_TERMINAL (lab_terminal_get_type ())

G_DECLARE_FINAL_TYPE (LabTerminal, lab_terminal, LAB, TERMINAL, VteTerminal)

GtkWidget *lab_terminal_new            (void);
/* The app settings (console-use-system-font, console-font, console-scrollback-lines). */
void       lab_terminal_set_settings   (LabTerminal *self,
                                        GSettings   *settings);
void       lab_terminal_get_grid_size  (LabTerminal *self,
                                        guint       *columns,
                                        guint       *rows);
/* All text, scrollback included, as UTF-8. */
char      *lab_terminal_dup_contents   (LabTerminal *self);
/* Feeds what a domain's console printed. Unikernels and PV guests on a raw console often end
 * lines with a bare LF, which a terminal takes as "down one row, same column": it becomes
 * CR LF here (also when the CR and LF arrive in different chunks), and NUL padding is
 * dropped. */
void       lab_terminal_feed_console   (LabTerminal  *self,
                                        const guint8 *data,
                                        gsize         len);
/* Runs @channel (a PTY channel; NULL for none) in the terminal: its output is fed as
 * console output, keys and pastes are written to it, size changes resize its pty, and its
 * output is paused while the terminal catches up (backlog-full). Keeps a reference. */
void       lab_terminal_set_channel    (LabTerminal   *self,
                                        LabSshChannel *channel);
LabSshChannel *lab_terminal_get_channel (LabTerminal  *self);
/* Feeds text of the app's own (notes between console output), in order with it. */
void       lab_terminal_feed_text      (LabTerminal *self,
                                        const char  *text);
/* Flow control: console output is given to VTE a slice at a time, as fast as it parses it;
 * the rest waits here. backlog-full (also a property) turns TRUE when that backlog is large
 * or VTE has not had its turn of the main loop for a while: the caller should stop reading
 * the console until it turns FALSE. */
gboolean   lab_terminal_get_backlog_full (LabTerminal *self);
/* Bytes waiting, and bytes skipped so far in floods (lines that would have scrolled out of
 * the scrollback unseen; see lab-terminal.c). For tests and benchmarks. */
gsize      lab_terminal_get_backlog    (LabTerminal *self);
guint64    lab_terminal_get_skipped    (LabTerminal *self);
/* Searches the scrollback (case-insensitive, plain text); FALSE when nothing matches. */
gboolean   lab_terminal_find           (LabTerminal *self,
                                        const char  *text,
                                        gboolean     backwards);
/* The font actually used, after settings and zoom (for tests and the zoom label). */
char      *lab_terminal_dup_font_name  (LabTerminal *self);

G_END_DECLS
