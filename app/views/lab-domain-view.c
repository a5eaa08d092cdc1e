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
#include "views/lab-plain-text.h"

#include "views/lab-sparkline.h"

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

  /* Template widgets */
  GtkStack           *stack;
  AdwSplitButton     *start_button;
  GtkColumnView      *column_view;
  GtkSearchEntry     *search_entry;
  AdwStatusPage      *empty_page;
  GtkPopoverMenu     *context_menu;
};

G_DEFINE_FINAL_TYPE (LabDomainView, lab_domain_view, ADW_TYPE_BIN)

enum {
  DOMAIN_ACTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
    page = "empty";
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

/* Cells: each bound cell keeps its bindings/handlers on the list item so that unbind
 * (the row is reused for another domain) drops them. */

typedef struct
{
  GPtrArray *bindings;
  GObject   *item;
  GPtrArray *handlers;   /* gulong stored in pointers */
} CellState;

static void
cell_state_free (CellState *state)
{
  for (guint i = 0; i < state->bindings->len; i++)
    g_binding_unbind (state->bindings->pdata[i]);
  for (guint i = 0; state->item && i < state->handlers->len; i++)
    g_signal_handler_disconnect (state->item, GPOINTER_TO_SIZE (state->handlers->pdata[i]));
  g_ptr_array_unref (state->bindings);
  g_ptr_array_unref (state->handlers);
  g_clear_object (&state->item);
  g_free (state);
}

static CellState *
cell_state_begin (GtkListItem *list_item)
{
  CellState *state = g_new0 (CellState, 1);

  state->bindings = g_ptr_array_new ();
  state->handlers = g_ptr_array_new ();
  state->item = g_object_ref (gtk_list_item_get_item (list_item));
  g_object_set_data_full (G_OBJECT (list_item), "lab-cell-state", state,
                          (GDestroyNotify) cell_state_free);
  return state;
}

static void
cell_unbind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  g_object_set_data (G_OBJECT (list_item), "lab-cell-state", NULL);
}

static void
cell_bind_property (CellState     *state,
                    const char    *source_property,
                    GObject       *target,
                    const char    *target_property,
                    GBindingTransformFunc transform)
{
  GBinding *binding = g_object_bind_property_full (state->item, source_property,
                                                   target, target_property,
                                                   G_BINDING_SYNC_CREATE,
                                                   transform, NULL, NULL, NULL);

  g_ptr_array_add (state->bindings, binding);
}

/* Names, paths and web page titles come from dom0 and the unikernels: the cells and their
 * tooltips get one bounded line of valid UTF-8. */
static gboolean
transform_shown_name (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_take_string (to, lab_text_for_display (g_value_get_string (from),
                                                 LAB_DISPLAY_NAME_MAX));
  return TRUE;
}

static gboolean
transform_shown_line (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_take_string (to, lab_text_for_display (g_value_get_string (from),
                                                 LAB_DISPLAY_LINE_MAX));
  return TRUE;
}

static void
cell_connect (CellState  *state,
              const char *signal,
              GCallback   callback,
              gpointer    data)
{
  gulong id = g_signal_connect (state->item, signal, callback, data);

  g_ptr_array_add (state->handlers, GSIZE_TO_POINTER (id));
}

static gboolean
transform_state_icon (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_string (to, lab_domain_state_get_icon_name (g_value_get_enum (from)));
  return TRUE;
}

static gboolean
transform_domid (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  int domid = g_value_get_int (from);

  g_value_take_string (to, domid >= 0 ? g_strdup_printf ("%d", domid) : g_strdup ("—"));
  return TRUE;
}

static gboolean
transform_memory (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  gint64 mib = g_value_get_int64 (from);

  if (mib < 0)
    g_value_set_string (to, "—");
  else
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, mib);

      /* Translators: memory size in mebibytes, %s is the number */
      g_value_take_string (to, g_strdup_printf (_("%s MiB"), number));
    }
  return TRUE;
}

static gboolean
transform_vcpus (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  int vcpus = g_value_get_int (from);

  g_value_take_string (to, vcpus >= 0 ? g_strdup_printf ("%d", vcpus) : g_strdup ("—"));
  return TRUE;
}

static gboolean
transform_uptime (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  gint64 seconds = g_value_get_int64 (from);

  if (seconds < 0)
    g_value_set_string (to, "—");
  else if (seconds < 60)
    /* Translators: uptime in seconds */
    g_value_take_string (to, g_strdup_printf (_("%d s"), (int) seconds));
  else if (seconds < 3600)
    /* Translators: uptime in minutes and seconds */
    g_value_take_string (to, g_strdup_printf (_("%d min %02d s"), (int) (seconds / 60),
                                              (int) (seconds % 60)));
  else if (seconds < 86400)
    /* Translators: uptime in hours and minutes */
    g_value_take_string (to, g_strdup_printf (_("%d h %02d min"), (int) (seconds / 3600),
                                              (int) (seconds % 3600 / 60)));
  else
    /* Translators: uptime in days and hours */
    g_value_take_string (to, g_strdup_printf (_("%d d %d h"), (int) (seconds / 86400),
                                              (int) (seconds % 86400 / 3600)));
  return TRUE;
}

static gboolean
transform_ip (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  const char *ip = g_value_get_string (from);

  g_value_set_string (to, ip ? ip : "—");
  return TRUE;
}


static void
popup_context_menu (GtkGestureClick *gesture,
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

static void
add_context_gesture (GtkWidget   *cell,
                     GtkListItem *list_item)
{
  GtkGesture *gesture = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (popup_context_menu), list_item);
  gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (gesture));
}

/* Name */

static void
name_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 8);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), 24);
  gtk_widget_add_css_class (inscription, "heading");
  /* The row is read by the domain's name. */
  lab_accessible_name_row_by_text (GTK_INSCRIPTION (inscription));
  add_context_gesture (inscription, list_item);
  gtk_list_item_set_child (list_item, inscription);
}

static void
name_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  CellState *state = cell_state_begin (list_item);
  GtkWidget *inscription = gtk_list_item_get_child (list_item);

  cell_bind_property (state, "name", G_OBJECT (inscription), "text", transform_shown_name);
  /* Where it came from, for names that do not fit. */
  cell_bind_property (state, "config-path", G_OBJECT (inscription), "tooltip-text",
                      transform_shown_line);
}

/* State: icon and words */

static gboolean
transform_not (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  g_value_set_boolean (to, !g_value_get_boolean (from));
  return TRUE;
}

static void
state_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), icon);
  /* Shown while an action on the domain runs on dom0. */
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), label);
  add_context_gesture (box, list_item);
  gtk_list_item_set_child (list_item, box);
}

/* Not running (any more): how it ended says more than "Shut off". */
static gboolean
shows_end (LabDomain *domain)
{
  LabDomainState state = lab_domain_get_state (domain);

  return lab_domain_get_end_summary (domain) != NULL
         && (state == LAB_DOMAIN_STATE_SHUT_OFF || state == LAB_DOMAIN_STATE_SHUTDOWN
             || state == LAB_DOMAIN_STATE_CRASHED);
}

static void
update_state_label (LabDomain  *domain,
                    GParamSpec *pspec,
                    GtkWidget  *box)
{
  GtkWidget *label = gtk_widget_get_last_child (box);
  const char *letters = lab_domain_get_state_letters (domain);
  g_autofree char *tooltip = NULL;
  g_autofree char *shown = NULL;

  if (shows_end (domain))
    {
      gtk_label_set_label (GTK_LABEL (label),
                           lab_domain_end_to_string (lab_domain_get_end_reason (domain),
                                                     lab_domain_get_end_preserved (domain)));
      tooltip = letters ? g_strdup_printf ("%s (%s)", lab_domain_get_end_summary (domain),
                                           letters)
                        : g_strdup (lab_domain_get_end_summary (domain));
    }
  else
    {
      gtk_label_set_label (GTK_LABEL (label),
                           lab_domain_state_to_string (lab_domain_get_state (domain)));
      tooltip = g_strdup (letters);
    }
  /* The end summary can quote the domain's last console line. */
  shown = lab_text_for_display (tooltip, LAB_DISPLAY_LINE_MAX);
  gtk_widget_set_tooltip_text (box, shown);
}

static void
update_state_style (LabDomain  *domain,
                    GParamSpec *pspec,
                    GtkWidget  *box)
{
  LabDomainState state = lab_domain_get_state (domain);
  LabDomainEnd end = lab_domain_get_end_reason (domain);

  gtk_widget_remove_css_class (box, "error");
  gtk_widget_remove_css_class (box, "dim-label");
  gtk_widget_remove_css_class (box, "success");
  if (state == LAB_DOMAIN_STATE_CRASHED
      || (shows_end (domain) && (end == LAB_DOMAIN_END_CRASH || end == LAB_DOMAIN_END_WATCHDOG)))
    gtk_widget_add_css_class (box, "error");
  else if (state == LAB_DOMAIN_STATE_SHUT_OFF)
    gtk_widget_add_css_class (box, "dim-label");
  else if (state == LAB_DOMAIN_STATE_RUNNING || state == LAB_DOMAIN_STATE_BLOCKED)
    gtk_widget_add_css_class (box, "success");
}

static void
state_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  CellState *state = cell_state_begin (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *spinner = gtk_widget_get_next_sibling (icon);
  cell_bind_property (state, "state", G_OBJECT (icon), "icon-name", transform_state_icon);
  cell_connect (state, "notify::state", G_CALLBACK (update_state_label), box);
  cell_connect (state, "notify::end-summary", G_CALLBACK (update_state_label), box);
  cell_connect (state, "notify::state-letters", G_CALLBACK (update_state_label), box);
  cell_connect (state, "notify::end-summary", G_CALLBACK (update_state_style), box);
  update_state_label (LAB_DOMAIN (state->item), NULL, box);
  cell_bind_property (state, "busy", G_OBJECT (spinner), "spinning", NULL);
  cell_bind_property (state, "busy", G_OBJECT (spinner), "visible", NULL);
  cell_bind_property (state, "busy", G_OBJECT (icon), "visible", transform_not);
  cell_connect (state, "notify::state", G_CALLBACK (update_state_style), box);
  update_state_style (LAB_DOMAIN (state->item), NULL, box);
}

/* Plain text columns */

static void
text_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) ? 1.0 : 0.0);
  gtk_widget_add_css_class (label, "numeric");
  add_context_gesture (label, list_item);
  gtk_list_item_set_child (list_item, label);
}

#define DEFINE_TEXT_BIND(func, property, transform)                                    \
  static void                                                                          \
  func (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data) \
  {                                                                                    \
    CellState *state = cell_state_begin (list_item);                                   \
    cell_bind_property (state, property, G_OBJECT (gtk_list_item_get_child (list_item)), \
                        "label", transform);                                           \
  }

DEFINE_TEXT_BIND (domid_bind, "domid", transform_domid)
DEFINE_TEXT_BIND (memory_bind, "memory-mib", transform_memory)
DEFINE_TEXT_BIND (vcpus_bind, "vcpus", transform_vcpus)
DEFINE_TEXT_BIND (uptime_bind, "uptime", transform_uptime)
static void
ip_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  CellState *state = cell_state_begin (list_item);
  GObject *label = G_OBJECT (gtk_list_item_get_child (list_item));

  cell_bind_property (state, "ip", label, "label", transform_ip);
  /* Where the address comes from (lease, console, config) and what answers on it. */
  cell_bind_property (state, "ip-description", label, "tooltip-text", transform_shown_line);
}

/* Web: what answered on the IP over HTTP, and where "Open in Browser" goes */

static void
web_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 12);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), 24);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  add_context_gesture (inscription, list_item);
  gtk_list_item_set_child (list_item, inscription);
}

static void
web_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  CellState *state = cell_state_begin (list_item);
  GObject *inscription = G_OBJECT (gtk_list_item_get_child (list_item));

  /* The summary quotes the page's title and the server's status line. */
  cell_bind_property (state, "web-summary", inscription, "text", transform_shown_line);
  cell_bind_property (state, "web-url", inscription, "tooltip-text", transform_shown_line);
}

/* CPU: sparkline and the latest figure */

static void
cpu_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *sparkline = lab_sparkline_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_hexpand (sparkline, TRUE);
  gtk_widget_set_valign (sparkline, GTK_ALIGN_CENTER);
  gtk_label_set_width_chars (GTK_LABEL (label), 5);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), sparkline);
  gtk_box_append (GTK_BOX (box), label);
  add_context_gesture (box, list_item);
  gtk_list_item_set_child (list_item, box);
}

static void
update_sparkline (LabDomain    *domain,
                  GParamSpec   *pspec,
                  LabSparkline *sparkline)
{
  guint n = 0;
  const double *values = lab_domain_get_cpu_history (domain, &n);

  lab_sparkline_set_values (sparkline, values, n);
}

/* A domain that does not run uses no CPU: "—" like its other live columns, not "0 %". */
static void
update_cpu_label (LabDomain  *domain,
                  GParamSpec *pspec,
                  GtkLabel   *label)
{
  g_autofree char *text = NULL;

  if (lab_domain_get_running (domain))
    /* Translators: CPU usage in percent */
    text = g_strdup_printf (_("%.0f %%"), lab_domain_get_cpu_usage (domain));
  gtk_label_set_label (label, text != NULL ? text : "—");
}

static void
cpu_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  CellState *state = cell_state_begin (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *sparkline = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);

  cell_connect (state, "notify::cpu-usage", G_CALLBACK (update_sparkline), sparkline);
  cell_connect (state, "notify::running", G_CALLBACK (update_sparkline), sparkline);
  cell_connect (state, "notify::cpu-usage", G_CALLBACK (update_cpu_label), label);
  cell_connect (state, "notify::running", G_CALLBACK (update_cpu_label), label);
  update_sparkline (LAB_DOMAIN (state->item), NULL, LAB_SPARKLINE (sparkline));
  update_cpu_label (LAB_DOMAIN (state->item), NULL, GTK_LABEL (label));
}

static int
compare_state (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return (int) lab_domain_get_state (LAB_DOMAIN ((gpointer) a))
         - (int) lab_domain_get_state (LAB_DOMAIN ((gpointer) b));
}

static GtkColumnViewColumn *
add_column (LabDomainView *self,
            const char    *title,
            GCallback      setup,
            gpointer       setup_data,
            GCallback      bind,
            GtkSorter     *sorter,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, setup_data);
  g_signal_connect (factory, "bind", bind, self);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), self);

  column = gtk_column_view_column_new (title, factory);
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

static void
lab_domain_view_add_columns (LabDomainView *self)
{
  GtkColumnViewColumn *name_column;
  GtkStringSorter *name_sorter;

  name_sorter = gtk_string_sorter_new (gtk_property_expression_new (LAB_TYPE_DOMAIN, NULL,
                                                                    "name"));
  name_column = add_column (self, _("Name"), G_CALLBACK (name_setup), NULL,
                            G_CALLBACK (name_bind), GTK_SORTER (name_sorter), TRUE);
  add_column (self, _("State"), G_CALLBACK (state_setup), NULL, G_CALLBACK (state_bind),
              GTK_SORTER (gtk_custom_sorter_new (compare_state, NULL, NULL)), FALSE);
  add_column (self, _("ID"), G_CALLBACK (text_setup), GINT_TO_POINTER (TRUE),
              G_CALLBACK (domid_bind), numeric_sorter ("domid"), FALSE);
  add_column (self, _("Memory"), G_CALLBACK (text_setup), GINT_TO_POINTER (TRUE),
              G_CALLBACK (memory_bind), numeric_sorter ("memory-mib"), FALSE);
  add_column (self, _("vCPUs"), G_CALLBACK (text_setup), GINT_TO_POINTER (TRUE),
              G_CALLBACK (vcpus_bind), numeric_sorter ("vcpus"), FALSE);
  add_column (self, _("CPU"), G_CALLBACK (cpu_setup), NULL, G_CALLBACK (cpu_bind),
              numeric_sorter ("cpu-usage"), FALSE);
  add_column (self, _("Uptime"), G_CALLBACK (text_setup), GINT_TO_POINTER (TRUE),
              G_CALLBACK (uptime_bind), numeric_sorter ("uptime"), FALSE);
  add_column (self, _("IP Address"), G_CALLBACK (text_setup), GINT_TO_POINTER (FALSE),
              G_CALLBACK (ip_bind),
              GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (LAB_TYPE_DOMAIN,
                                                                              NULL, "ip"))),
              FALSE);
  add_column (self, _("Web"), G_CALLBACK (web_setup), NULL, G_CALLBACK (web_bind),
              GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (LAB_TYPE_DOMAIN,
                                                                              NULL,
                                                                              "web-summary"))),
              FALSE);

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
  gtk_widget_class_bind_template_child (widget_class, LabDomainView, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);

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
