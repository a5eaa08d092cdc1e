/* lab-console-attachment.h — one domain's `xl console` over an SSH PTY channel: attach,
 * retry, paused create → attach → unpause, the end, kept output and the IP finder's feed
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ssh/lab-ssh-channel.h"
#include "xen/lab-console-log.h"
#include "xen/lab-domain.h"
#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_CONSOLE_STATUS_CONNECTING,
  LAB_CONSOLE_STATUS_LIVE,
  LAB_CONSOLE_STATUS_DETACHED,     /* the channel ended; the domain may still run */
  LAB_CONSOLE_STATUS_DOMAIN_GONE,  /* the domain stopped; what it printed is kept */
  LAB_CONSOLE_STATUS_FAILED,       /* could not attach; see the message */
} LabConsoleStatus;

GType lab_console_status_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_CONSOLE_STATUS (lab_console_status_get_type ())

#define LAB_TYPE_CONSOLE_ATTACHMENT (lab_console_attachment_get_type ())

G_DECLARE_FINAL_TYPE (LabConsoleAttachment, lab_console_attachment, LAB, CONSOLE_ATTACHMENT,
                      GObject)

LabConsoleAttachment *lab_console_attachment_new (LabHostConnection *connection,
                                                  const char        *domain_name);

/* The size of the terminal that will show the console, for the PTY the next attach asks
 * for (whoever shows the channel resizes it from then on). */
void              lab_console_attachment_set_grid_size (LabConsoleAttachment *self,
                                                        guint                 columns,
                                                        guint                 rows);

/* `xl console` of the domain. */
void              lab_console_attachment_attach        (LabConsoleAttachment *self);
/* `xl create -p CONFIG` (in its folder), `xl console` by the new domain's ID, then
 * `xl unpause`: the boot output is there from the first line, even of a domain that
 * crashes at once. Works whatever the domain list saw last (the new domain is usually not
 * listed yet). An attach that fails while the domain waits paused is tried again; when it
 * cannot attach at all or the unpause fails, the domain is left paused and says so. */
void              lab_console_attachment_create_and_attach (LabConsoleAttachment *self,
                                                            const char           *config_path);
/* Attaches again; after a start left paused, attaching finishes the start. */
void              lab_console_attachment_reconnect     (LabConsoleAttachment *self);
/* Ends the channel only; the domain keeps running. */
void              lab_console_attachment_detach        (LabConsoleAttachment *self);
/* Lets a domain left paused run, without a console if none is attached. */
void              lab_console_attachment_unpause       (LabConsoleAttachment *self);
/* Destroys the domain (a crash kept for inspection, or a start left paused). */
void              lab_console_attachment_destroy_domain (LabConsoleAttachment *self);

LabHostConnection *lab_console_attachment_get_connection  (LabConsoleAttachment *self);
const char       *lab_console_attachment_get_domain_name  (LabConsoleAttachment *self);
LabConsoleStatus  lab_console_attachment_get_status       (LabConsoleAttachment *self);
/* Why the console is not live ("xl console ended", xl's error…), or NULL. */
const char       *lab_console_attachment_get_message      (LabConsoleAttachment *self);
/* The channel `xl console` runs on while attaching or live, else NULL. */
LabSshChannel    *lab_console_attachment_get_channel      (LabConsoleAttachment *self);
/* The store's object for the domain, while it is listed. */
LabDomain        *lab_console_attachment_get_domain       (LabConsoleAttachment *self);
LabConsoleLog    *lab_console_attachment_get_log          (LabConsoleAttachment *self);
/* We created the domain paused and it has not run yet. */
gboolean          lab_console_attachment_get_left_paused  (LabConsoleAttachment *self);
/* The domain is listed as paused. */
gboolean          lab_console_attachment_get_paused       (LabConsoleAttachment *self);
/* Shut down or crashed but still listed (on_crash = 'preserve'): there to inspect. */
gboolean          lab_console_attachment_get_preserved    (LabConsoleAttachment *self);
/* Keys typed now reach the domain: live, or attached with only the unpause failed. */
gboolean          lab_console_attachment_get_accepts_input (LabConsoleAttachment *self);
gboolean          lab_console_attachment_get_reattach     (LabConsoleAttachment *self);
/* Attach by itself when the domain runs again or the connection comes back. */
void              lab_console_attachment_set_reattach     (LabConsoleAttachment *self,
                                                           gboolean              reattach);

G_END_DECLS
