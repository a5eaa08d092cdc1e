/* lab-ssh-forward.h — a local port forwarded through the SSH session (like ssh -L)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ssh/lab-ssh-session.h"

G_BEGIN_DECLS

#define LAB_TYPE_SSH_FORWARD (lab_ssh_forward_get_type ())

G_DECLARE_FINAL_TYPE (LabSshForward, lab_ssh_forward, LAB, SSH_FORWARD, GObject)

/* Listens on 127.0.0.1 (a free port, loopback only: nothing else on the network can use
 * it) and carries every connection made to it to @host:@port as seen from dom0, over a
 * direct-tcpip channel of @session. */
LabSshForward *lab_ssh_forward_new            (LabSshSession  *session,
                                               const char     *host,
                                               guint           port,
                                               GError        **error);
guint          lab_ssh_forward_get_local_port (LabSshForward  *self);
const char    *lab_ssh_forward_get_host       (LabSshForward  *self);
guint          lab_ssh_forward_get_port       (LabSshForward  *self);
/* Stops listening and ends the connections under way. Also done on finalize. */
void           lab_ssh_forward_close          (LabSshForward  *self);

G_END_DECLS
