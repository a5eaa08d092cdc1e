/* lab-domain-cells.h — what the cells of the domain table show
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A builder list-item factory for the cells of one column, from
 * RESOURCE_BASE "/lab-domain-cell-@column.ui"; @scope holds the closures below (see
 * lab_domain_cells_add_to_scope) and whatever the view adds for its signal handlers. */
GtkListItemFactory *lab_domain_cells_factory_new  (GtkBuilderScope  *scope,
                                                   const char       *column);
/* Adds the closures the cell templates use to @scope. */
void                lab_domain_cells_add_to_scope (GtkBuilderCScope *scope);

G_END_DECLS
