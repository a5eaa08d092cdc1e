/* lab-local-net-private.h — test hook of lab-local-net.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "net/lab-local-net.h"

G_BEGIN_DECLS

/* Replaces getifaddrs(3) for lab_local_net_is_on_link(): @interfaces is copied; %NULL with
 * @n_interfaces 0 means "no interface at all"; lab_local_net_reset_interfaces() goes back
 * to the real ones. */
void lab_local_net_set_interfaces   (const LabLocalInterface *interfaces,
                                     gsize                    n_interfaces);
void lab_local_net_reset_interfaces (void);

G_END_DECLS
