/* lab-console-tab.h — one domain's console in a tab, over an SSH PTY channel
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "views/lab-tab.h"
#include "views/lab-terminal.h"
#include "xen/lab-console-attachment.h"
#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

#define LAB_TYPE_CONSOLE_TAB (lab_console_tab_get_type ())

G_DECLARE_FINAL_TYPE (LabConsoleTab, lab_console_tab, LAB, CONSOLE_TAB, LabTab)

LabConsoleTab     *lab_console_tab_new             (LabHostConnection *connection,
                                                    const char        *domain_name);
/* `xl console DOMAIN` in the tab. */
void               lab_console_tab_attach          (LabConsoleTab     *self);
/* `xl create -p CONFIG` (in its folder), `xl console` in the tab, then `xl unpause`: the
 * boot output is there from the first line, even of a domain that crashes at once. When
 * the console cannot attach or the unpause fails, the domain is left paused and the tab
 * says so, offering Unpause and Destroy. */
void               lab_console_tab_create_and_attach (LabConsoleTab   *self,
                                                      const char      *config_path);
/* Ends the channel only; the domain keeps running. */
void               lab_console_tab_detach          (LabConsoleTab     *self);

LabConsoleStatus   lab_console_tab_get_status      (LabConsoleTab     *self);
/* The bar above the console, as the user reads it ("" when hidden). */
const char        *lab_console_tab_get_status_text (LabConsoleTab     *self);
gboolean           lab_console_tab_get_reattach    (LabConsoleTab     *self);
void               lab_console_tab_set_reattach    (LabConsoleTab     *self,
                                                    gboolean           reattach);

/* Shorthands for the LabTab getters, which the tests use; the connection and the message
 * are read through LabTab only. */
const char        *lab_console_tab_get_domain_name (LabConsoleTab     *self);
const char        *lab_console_tab_get_title       (LabConsoleTab     *self);
LabTerminal       *lab_console_tab_get_terminal    (LabConsoleTab     *self);

G_END_DECLS
