/* lab-domain-view.h — the domains of one host: a sortable, filterable table with actions
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "xen/lab-domain.h"

G_BEGIN_DECLS

#define LAB_TYPE_DOMAIN_VIEW (lab_domain_view_get_type ())

G_DECLARE_FINAL_TYPE (LabDomainView, lab_domain_view, LAB, DOMAIN_VIEW, AdwBin)

GtkWidget     *lab_domain_view_new           (void);
GListModel    *lab_domain_view_get_model     (LabDomainView   *self);
void           lab_domain_view_set_model     (LabDomainView   *self,
                                              GListModel      *domains);
LabDomain     *lab_domain_view_get_selected  (LabDomainView   *self);
gboolean       lab_domain_view_select        (LabDomainView   *self,
                                              const char      *name);
void           lab_domain_view_set_filter_text (LabDomainView *self,
                                                const char    *text);
/* Rows shown after filtering, in display (sorted) order. */
GListModel    *lab_domain_view_get_visible_rows (LabDomainView *self);
const char    *lab_domain_view_get_visible_page (LabDomainView *self);
void           lab_domain_view_set_empty_text (LabDomainView  *self,
                                               const char     *title,
                                               const char     *description);
/* The host is not connected (@title non-NULL): with no domains, the view says so instead
 * of "No Domains", with @description (plain text) and a button for win.connect-host
 * labelled @button_label (none when NULL). A NULL @title: connected. */
void           lab_domain_view_set_offline    (LabDomainView  *self,
                                               const char     *title,
                                               const char     *description,
                                               const char     *button_label);

G_END_DECLS
