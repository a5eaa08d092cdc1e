/* lab-tab.h — what every tab of the window's tab view has: a domain on a host, a title, a
 * message and the terminal it shows
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "views/lab-terminal.h"
#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

#define LAB_TYPE_TAB (lab_tab_get_type ())

G_DECLARE_DERIVABLE_TYPE (LabTab, lab_tab, LAB, TAB, GtkWidget)

struct _LabTabClass
{
  GtkWidgetClass parent_class;

  /* The title, from the domain's @name (already one bounded line); asked once, when the
   * tab is constructed. */
  char       *(*format_title) (LabTab     *self,
                               const char *name);
  /* What the tab has to say about its state, or NULL; a change is told with
   * lab_tab_notify_message(). */
  const char *(*get_message)  (LabTab     *self);
};

LabHostConnection *lab_tab_get_connection   (LabTab       *self);
const char        *lab_tab_get_domain_name  (LabTab       *self);
const char        *lab_tab_get_title        (LabTab       *self);
const char        *lab_tab_get_message      (LabTab       *self);
LabTerminal       *lab_tab_get_terminal     (LabTab       *self);

/* For the tab kinds: @terminal (a child of their template) is the one the tab shows, and
 * @scrollbar scrolls it. */
void               lab_tab_connect_terminal (LabTab       *self,
                                             LabTerminal  *terminal,
                                             GtkScrollbar *scrollbar);
void               lab_tab_notify_message   (LabTab       *self);

G_END_DECLS
