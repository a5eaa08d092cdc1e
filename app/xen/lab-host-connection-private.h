/* lab-host-connection-private.h — what tests may do to a host connection and the app may not
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

/* While @hold, the domain list is not refreshed: it keeps what it saw, as it does for a
 * moment after every change on dom0 (a refresh takes a round trip). Releasing refreshes. */
void lab_host_connection_hold_list (LabHostConnection *self,
                                    gboolean           hold);

/* How many polls have brought a domain list since the connection was made. */
guint lab_host_connection_get_n_polls (LabHostConnection *self);

G_END_DECLS
