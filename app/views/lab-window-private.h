/* lab-window-private.h: what the pieces of LabWindow share (lab-window.c, the window, its
 * hosts and the connection bar; lab-window-actions.c, the win.* actions; lab-window-domains.c,
 * what is done to domains: consoles, rebuilds, the legacy-config fix).
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-window.h"

G_BEGIN_DECLS

struct _LabWindow
{
  AdwApplicationWindow  parent_instance;

  LabHostStore         *hosts;
  LabHostConnection    *connection;   /* of the selected host */
  char                 *last_toast;
  /* What shows the selected host follows it through these, bound once and pointed at
   * the connection (and its host) the window shows. */
  GBindingGroup        *connection_bindings;
  GBindingGroup        *host_bindings;
  GSignalGroup         *connection_signals;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkWidget            *start_setup_button;
  AdwStatusPage        *placeholder_page;
  GtkListBox           *host_list;
  AdwWindowTitle       *content_title;
  LabDomainView        *domain_view;
  GtkRevealer          *connection_revealer;
  GtkImage             *connection_icon;
  GtkLabel             *connection_label;
  GtkButton            *connect_button;
  AdwTabBar            *tab_bar;
  AdwTabView           *tab_view;
  GtkWidget            *console_area;
};

/* lab-window.c */
LabApplication *_lab_window_get_lab_application (LabWindow         *self);
/* A name from dom0, a unikernel or the user, for a message: one line, bounded. */
char           *_lab_window_shown_name          (const char        *name);
void            _lab_window_show_toast          (LabWindow         *self,
                                                 AdwToast          *toast);
void            _lab_window_show_home           (LabWindow         *self);
/* The window's connection property: the connection of the selected host, or NULL. */
void            _lab_window_set_connection      (LabWindow         *self,
                                                 LabHostConnection *connection);
gboolean        _lab_window_select_host         (LabWindow         *self,
                                                 LabHost           *host);

/* lab-window-actions.c */
void            _lab_window_class_actions_init  (GtkWidgetClass    *widget_class);
/* Decides whether each win.* action is enabled; call it when what it looks at changes (the
 * selected host, its connection's state, the application). */
void            _lab_window_actions_update      (LabWindow         *self);

/* lab-window-domains.c */
void            _lab_window_run_domain_action   (LabWindow         *self,
                                                 LabDomain         *domain,
                                                 LabDomainAction    action);
void            _lab_window_show_output         (LabWindow         *self,
                                                 const char        *name);
/* lab-window-configs.c: Duplicate… asks for the copy's name, then saves it; and Edit…. */
void            _lab_window_confirm_duplicate   (LabWindow         *self,
                                                 LabDomain         *domain);
void            _lab_window_edit_config         (LabWindow         *self,
                                                 LabDomain         *domain);
/* New Domain… on @connection's host. */
void            _lab_window_new_domain          (LabWindow         *self,
                                                 LabHostConnection *connection);
/* A domain ended by itself (not at the user's request): a toast says how. */
void            _lab_window_domain_ended        (LabWindow         *self,
                                                 LabDomain         *domain,
                                                 LabHostConnection *connection);

G_END_DECLS
