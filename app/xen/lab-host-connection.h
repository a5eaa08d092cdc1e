/* lab-host-connection.h — a dom0 host at run time: its SSH session, its live domains
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "xen/lab-domain-store.h"
#include "xen/lab-host.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_CONNECTION_STATE_DISCONNECTED,
  LAB_CONNECTION_STATE_CONNECTING,
  LAB_CONNECTION_STATE_CONNECTED,
  LAB_CONNECTION_STATE_RECONNECTING,
  LAB_CONNECTION_STATE_FAILED,
} LabConnectionState;

GType lab_connection_state_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_CONNECTION_STATE (lab_connection_state_get_type ())

const char *lab_connection_state_to_string    (LabConnectionState state);
const char *lab_connection_state_get_icon_name (LabConnectionState state);

#define LAB_TYPE_HOST_CONNECTION (lab_host_connection_get_type ())

G_DECLARE_FINAL_TYPE (LabHostConnection, lab_host_connection, LAB, HOST_CONNECTION, GObject)

LabHostConnection  *lab_host_connection_new         (LabHost            *host);
LabHost            *lab_host_connection_get_host    (LabHostConnection  *self);
LabDomainStore     *lab_host_connection_get_domains (LabHostConnection  *self);
LabConnectionState  lab_host_connection_get_state   (LabHostConnection  *self);
/* Why the last attempt failed, for the user; NULL when nothing failed. */
const char         *lab_host_connection_get_message (LabHostConnection  *self);

/* The user asked @name to stop (shut down, force off, reboot): when it leaves the list in
 * the next minute, that is no surprise and ::domain-lost is not emitted for it. */
void                lab_host_connection_expect_end  (LabHostConnection  *self,
                                                     const char         *name);

/* For the session layer: report what happened. Notifies only on change. */
void                lab_host_connection_set_state   (LabHostConnection  *self,
                                                     LabConnectionState  state,
                                                     const char         *message);

G_END_DECLS
