/* lab-console-ip-private.h — test hook of lab-console-ip.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "net/lab-console-ip.h"

G_BEGIN_DECLS

typedef gint64 (*LabConsoleIpClock) (void);

/* Replaces g_get_monotonic_time() for the scanner's "the same finding again this soon"
 * rule, for every scanner in the process; %NULL goes back to the real clock. */
void lab_console_ip_set_clock (LabConsoleIpClock clock);

G_END_DECLS
