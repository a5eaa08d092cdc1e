/* lab-domain-view.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-domain-view"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"
#include "views/lab-accessible.h"
#include "views/lab-domain-cells.h"
#include "views/lab-plain-text.h"

#include "lab-domain-view.h"

struct _LabDomainView
{
  AdwBin              parent_instance;

  GListModel         *model;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  GtkStringFilter    *name_filter;
  LabDomain          *selected;       /* weak: owned by the model */
  GMenuModel         *domain_menu;
  GtkWidget          *menu_opener;    /* weak: the row the keyboard opened the menu on */
  gboolean            offline;        /* the host is not connected: no list to be empty */

  /* Template widgets */
  GtkStack           *stack;
  AdwSplitButton     *start_button;
  GtkColumnView      *column_view;
  GtkSearchEntry     *search_entry;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *offline_page;
  GtkButton          *offline_button;
  GtkPopoverMenu     *context_menu;
};

G_DEFINE_FINAL_TYPE (LabDomainView, lab_domain_view, ADW_TYPE_BIN)

enum {
  DOMAIN_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The closures and handlers the cell templates name (ui/lab-domain-cell-*.ui). */
static GtkBuilderScope *cell_scope;

static const struct {
  LabDomainAction  action;
  const char      *name;
} action_names[] = {
  { LAB_DOMAIN_ACTION_START, "domain.start" },
  { LAB_DOMAIN_ACTION_START_WITH_CONSOLE, "domain.start-console" },
  { LAB_DOMAIN_ACTION_SHUTDOWN, "domain.shutdown" },
  { LAB_DOMAIN_ACTION_DESTROY, "domain.destroy" },
  { LAB_DOMAIN_ACTION_PAUSE, "domain.pause" },
  { LAB_DOMAIN_ACTION_RESUME, "domain.resume" },
  { LAB_DOMAIN_ACTION_REBOOT, "domain.reboot" },
  { LAB_DOMAIN_ACTION_OPEN_CONSOLE, "domain.open-console" },
  { LAB_DOMAIN_ACTION_OPEN_IN_BROWSER, "domain.open-browser" },
  { LAB_DOMAIN_ACTION_COPY_IP, "domain.copy-ip" },
  { LAB_DOMAIN_ACTION_REBUILD, "domain.rebuild" },
  { LAB_DOMAIN_ACTION_SHOW_OUTPUT, "domain.show-output" },
  { LAB_DOMAIN_ACTION_DELETE, "domain.delete" },
  { LAB_DOMAIN_ACTION_DUPLICATE, "domain.duplicate" },
  { LAB_DOMAIN_ACTION_EDIT, "domain.edit" },
};

static void
lab_domain_view_update_actions (LabDomainView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), action_names[i].name,
                                   lab_domain_action_is_possible (action_names[i].action,
                                                                  self->selected));
}

static void
lab_domain_view_update_page (LabDomainView *self)
{
  guint total = self->model ? g_list_model_get_n_items (self->model) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  const char *page = "list";

  /* Models still emit while the template is torn down. */
  if (self->stack == NULL)
    return;

  if (total == 0)
    page = self->offline ? "offline" : "empty";
  else if (shown == 0)
    page = "no-match";

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
lab_domain_view_selection_changed (LabDomainView *self)
{
  LabDomain *domain = gtk_single_selection_get_selected_item (self->selection);

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, lab_domain_view_update_actions, self);

  self->selected = domain;
  if (domain != NULL)
    {
      g_signal_connect_object (domain, "notify::state",
                               G_CALLBACK (lab_domain_view_update_actions), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::running",
                               G_CALLBACK (lab_domain_view_update_actions), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::config",
                               G_CALLBACK (lab_domain_view_update_actions), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::ip",
                               G_CALLBACK (lab_domain_view_update_actions), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::web-url",
                               G_CALLBACK (lab_domain_view_update_actions), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::console-log",
                               G_CALLBACK (lab_domain_view_update_actions), self,
                               G_CONNECT_SWAPPED);
    }

  lab_domain_view_update_actions (self);
}

static void
lab_domain_view_emit (LabDomainView   *self,
                      LabDomainAction  action)
{
  g_autoptr(LabDomain) domain = NULL;

  if (!lab_domain_action_is_possible (action, self->selected))
    return;

  domain = g_object_ref (self->selected);
  g_signal_emit (self, signals[DOMAIN_ACTION], 0, domain, action);
}

static void
weak_ref_free (gpointer  data,
               GClosure *closure)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
destroy_confirmed (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(LabDomainView) self = g_weak_ref_get (weak);
  LabDomain *domain = g_object_get_data (G_OBJECT (dialog), "domain");

  if (self == NULL || g_strcmp0 (response, "force-off") != 0 || domain == NULL)
    return;

  if (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DESTROY, domain))
    g_signal_emit (self, signals[DOMAIN_ACTION], 0, domain, LAB_DOMAIN_ACTION_DESTROY);
}

static void
lab_domain_view_confirm_destroy (LabDomainView *self)
{
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GWeakRef *weak;
  g_autofree char *name = NULL;

  if (!lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DESTROY, self->selected))
    return;

  /* The body is plain text (body-use-markup is off), but still one bounded line. */
  name = lab_text_for_display (lab_domain_get_name (self->selected), LAB_DISPLAY_NAME_MAX);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Force Off Domain?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” is stopped at once, like pulling the power cord. "
                                    "Anything it has not saved is lost."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "force-off", _("_Force Off"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "force-off",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "domain", g_object_ref (self->selected),
                          g_object_unref);

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  /* The view may be gone by the time the user answers. */
  g_signal_connect_data (dialog, "response", G_CALLBACK (destroy_confirmed), weak,
                         weak_ref_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lab_domain_view_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LabDomainView *self = LAB_DOMAIN_VIEW (widget);

  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    {
      if (g_strcmp0 (action_names[i].name, action_name) != 0)
        continue;

      if (action_names[i].action == LAB_DOMAIN_ACTION_DESTROY)
        lab_domain_view_confirm_destroy (self);
      else
        lab_domain_view_emit (self, action_names[i].action);
      return;
    }
}

/* A right click on a cell (the cell templates connect it): the row's menu, at the click. */
static void
lab_domain_view_cell_pressed_cb (GtkGestureClick *gesture,
                                 int              n_press,
                                 double           x,
                                 double           y,
                                 GtkListItem     *list_item)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  LabDomainView *self = LAB_DOMAIN_VIEW (gtk_widget_get_ancestor (cell, LAB_TYPE_DOMAIN_VIEW));
  graphene_point_t point;

  if (self == NULL || gtk_list_item_get_position (list_item) == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (list_item));
  if (!gtk_widget_compute_point (cell, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return;

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { point.x, point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* Menu or Shift+F10: the selected domain's menu, as a right click opens it, below the row
 * with the focus (at the top of the list when the focus is elsewhere in the view). */
static void
lab_domain_view_show_menu (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  LabDomainView *self = LAB_DOMAIN_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *anchor = GTK_WIDGET (self->column_view);
  graphene_rect_t bounds;

  if (self->selected == NULL)
    return;
  if (focus != NULL && gtk_widget_is_ancestor (focus, anchor))
    anchor = focus;
  if (!gtk_widget_compute_bounds (anchor, widget, &bounds))
    return;
  g_set_weak_pointer (&self->menu_opener, anchor == focus ? focus : NULL);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { bounds.origin.x, bounds.origin.y,
                                                 1, bounds.size.height });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* The menu gives the focus back to the row it was opened on: GTK 4.8 leaves it on the
 * pane around the list (also behind a window the chosen item opened, such as Last
 * Output, so that closing that window came back to the wrong place). */
static void
lab_domain_view_menu_closed_cb (LabDomainView *self)
{
  if (self->menu_opener != NULL && gtk_widget_get_mapped (self->menu_opener))
    gtk_widget_grab_focus (self->menu_opener);
  g_clear_weak_pointer (&self->menu_opener);
}

static int
compare_state (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return (int) lab_domain_get_state (LAB_DOMAIN ((gpointer) a))
         - (int) lab_domain_get_state (LAB_DOMAIN ((gpointer) b));
}

/* A column whose cells come from RESOURCE_BASE "/lab-domain-cell-@cells.ui". */
static GtkColumnViewColumn *
add_column (LabDomainView *self,
            const char    *title,
            const char    *cells,
            GtkSorter     *sorter,
            gboolean       expand)
{
  GtkListItemFactory *factory = lab_domain_cells_factory_new (cell_scope, cells);
  GtkColumnViewColumn *column = gtk_column_view_column_new (title, factory);

  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
  g_clear_object (&sorter);

  return column;
}

static GtkSorter *
numeric_sorter (const char *property)
{
  return GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (LAB_TYPE_DOMAIN, NULL,
                                                                          property)));
}

static GtkSorter *
string_sorter (const char *property)
{
  return GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (LAB_TYPE_DOMAIN, NULL,
                                                                         property)));
}

static void
lab_domain_view_add_columns (LabDomainView *self)
{
  GtkColumnViewColumn *name_column;
  GtkSorter *name_sorter = string_sorter ("name");

  name_column = add_column (self, _("Name"), "name", name_sorter, TRUE);
  add_column (self, _("State"), "state",
              GTK_SORTER (gtk_custom_sorter_new (compare_state, NULL, NULL)), FALSE);
  add_column (self, _("ID"), "domid", numeric_sorter ("domid"), FALSE);
  add_column (self, _("Memory"), "memory", numeric_sorter ("memory-mib"), FALSE);
  add_column (self, _("vCPUs"), "vcpus", numeric_sorter ("vcpus"), FALSE);
  add_column (self, _("CPU"), "cpu", numeric_sorter ("cpu-usage"), FALSE);
  add_column (self, _("Uptime"), "uptime", numeric_sorter ("uptime"), FALSE);
  add_column (self, _("IP Address"), "ip", string_sorter ("ip"), FALSE);
  add_column (self, _("Web"), "web", string_sorter ("web-summary"), FALSE);

  gtk_column_view_sort_by_column (self->column_view, name_column, GTK_SORT_ASCENDING);
}

static void
on_search_changed (LabDomainView  *self,
                   GtkSearchEntry *entry)
{
  gtk_string_filter_set_search (self->name_filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_activate (LabDomainView *self,
             guint          position,
             GtkColumnView *column_view)
{
  LabDomain *domain = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (domain == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  /* Enter or double-click: the console of a running domain, else start a stopped one. */
  if (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_OPEN_CONSOLE, domain))
    lab_domain_view_emit (self, LAB_DOMAIN_ACTION_OPEN_CONSOLE);
  else if (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_START, domain))
    lab_domain_view_emit (self, LAB_DOMAIN_ACTION_START);
  g_object_unref (domain);
}

GtkWidget *
lab_domain_view_new (void)
{
  return g_object_new (LAB_TYPE_DOMAIN_VIEW, NULL);
}

GListModel *
lab_domain_view_get_model (LabDomainView *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN_VIEW (self), NULL);
  return self->model;
}

static void
model_changed (LabDomainView *self)
{
  lab_domain_view_update_page (self);
}

void
lab_domain_view_set_model (LabDomainView *self,
                           GListModel    *domains)
{
  g_return_if_fail (LAB_IS_DOMAIN_VIEW (self));
  g_return_if_fail (!domains || G_IS_LIST_MODEL (domains));

  if (self->model == domains)
    return;

  g_set_object (&self->model, domains);
  gtk_filter_list_model_set_model (self->filter_model, domains);
  lab_domain_view_update_page (self);
  lab_domain_view_selection_changed (self);
}

LabDomain *
lab_domain_view_get_selected (LabDomainView *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN_VIEW (self), NULL);
  return self->selected;
}

gboolean
lab_domain_view_select (LabDomainView *self,
                        const char    *name)
{
  GListModel *rows;

  g_return_val_if_fail (LAB_IS_DOMAIN_VIEW (self), FALSE);

  rows = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(LabDomain) domain = g_list_model_get_item (rows, i);

      if (g_strcmp0 (lab_domain_get_name (domain), name) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }

  return FALSE;
}

void
lab_domain_view_set_filter_text (LabDomainView *self,
                                 const char    *text)
{
  g_return_if_fail (LAB_IS_DOMAIN_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  gtk_string_filter_set_search (self->name_filter, text);
}

GListModel *
lab_domain_view_get_visible_rows (LabDomainView *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN_VIEW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

const char *
lab_domain_view_get_visible_page (LabDomainView *self)
{
  g_return_val_if_fail (LAB_IS_DOMAIN_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
lab_domain_view_set_empty_text (LabDomainView *self,
                                const char    *title,
                                const char    *description)
{
  g_return_if_fail (LAB_IS_DOMAIN_VIEW (self));

  adw_status_page_set_title (self->empty_page, title);
  lab_plain_set_status_description (self->empty_page, description);
}

void
lab_domain_view_set_offline (LabDomainView *self,
                             const char    *title,
                             const char    *description,
                             const char    *button_label)
{
  g_return_if_fail (LAB_IS_DOMAIN_VIEW (self));

  self->offline = title != NULL;
  if (self->offline)
    {
      adw_status_page_set_title (self->offline_page, title);
      lab_plain_set_status_description (self->offline_page, description);
      gtk_widget_set_visible (GTK_WIDGET (self->offline_button), button_label != NULL);
      if (button_label != NULL)
        gtk_button_set_label (self->offline_button, button_label);
    }
  lab_domain_view_update_page (self);
}

static void
lab_domain_view_dispose (GObject *object)
{
  LabDomainView *self = LAB_DOMAIN_VIEW (object);

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, lab_domain_view_update_actions, self);
  self->selected = NULL;
  g_clear_weak_pointer (&self->menu_opener);

  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_DOMAIN_VIEW);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (lab_domain_view_parent_class)->dispose (object);
}

static void
lab_domain_view_class_init (LabDomainViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_domain_view_dispose;

  signals[DOMAIN_ACTION] =
    g_signal_new ("domain-action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, LAB_TYPE_DOMAIN, LAB_TYPE_DOMAIN_ACTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-domain-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, stack);
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, start_button);
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, column_view);
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, offline_page);
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, offline_button);
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);

  cell_scope = gtk_builder_cscope_new ();
  lab_domain_cells_add_to_scope (GTK_BUILDER_CSCOPE (cell_scope));
  gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (cell_scope),
                                          "lab_domain_view_cell_pressed_cb",
                                          G_CALLBACK (lab_domain_view_cell_pressed_cb));

  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    gtk_widget_class_install_action (widget_class, action_names[i].name, NULL,
                                     lab_domain_view_action);

  gtk_widget_class_install_action (widget_class, "domain.show-menu", NULL,
                                   lab_domain_view_show_menu);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "domain.show-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "domain.show-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "domain.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "domain.start-console", NULL);
  /* Delete asks the domain to stop; Shift+Delete, as in file managers, is the stronger
   * form (Force Off, still confirmed). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "domain.shutdown", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_SHIFT_MASK,
                                       "domain.destroy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "domain.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "domain.resume", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "domain.reboot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "domain.open-browser", NULL);

  gtk_widget_class_set_css_name (widget_class, "labdomainview");
}

static void
lab_domain_view_init (LabDomainView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->name_filter = gtk_string_filter_new (gtk_property_expression_new (LAB_TYPE_DOMAIN, NULL,
                                                                          "name"));
  gtk_string_filter_set_match_mode (self->name_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->name_filter, TRUE);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->name_filter));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model),
                                              g_object_ref (gtk_column_view_get_sorter (
                                                self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sort_model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->context_menu, "closed",
                           G_CALLBACK (lab_domain_view_menu_closed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (lab_domain_view_selection_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sort_model, "items-changed",
                           G_CALLBACK (model_changed), self, G_CONNECT_SWAPPED);

  lab_domain_view_add_columns (self);
  lab_accessible_name_column_view (self->column_view, _("Columns"), _("Domains"));
  lab_accessible_name_split_button (self->start_button);
  lab_domain_view_update_page (self);
  lab_domain_view_update_actions (self);
}
