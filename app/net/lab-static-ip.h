/* lab-static-ip.h — the static address a unikernel is booted with (--ipv4=…)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean lab_static_ip_from_cmdline   (const char  *cmdline,
                                       char       **ip,
                                       int         *prefix_length);
gboolean lab_static_ip_from_xl_config (const char  *config,
                                       char       **ip,
                                       int         *prefix_length);
char    *lab_static_ip_xl_config_cmdline (const char *config);

G_END_DECLS
