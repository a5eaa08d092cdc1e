/* lab-test-home.h — a private HOME for a test process
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Points HOME and the XDG directories at a fresh temporary folder, so tests never read
 * or write the user's files. Call before anything asks GLib for these directories. */
void lab_test_isolate_home (void);

G_END_DECLS
