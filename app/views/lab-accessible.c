/* lab-accessible.c — what screen readers are told where GTK 4.8 and libadwaita 1.2 say it
 * wrong or not at all
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-accessible"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-accessible.h"

/* The text a label with mnemonics shows: "_Connect" shows "Connect", "Save __As" "Save _As". */
static char *
lab_accessible_strip_mnemonic (const char *label)
{
  GString *shown;

  if (label == NULL)
    return NULL;
  shown = g_string_sized_new (strlen (label));
  for (const char *p = label; *p != '\0'; p++)
    {
      /* "_x" shows "x", "__" shows "_"; '_' is ASCII, so this never splits a character. */
      if (*p == '_' && p[1] != '\0')
        p++;
      g_string_append_c (shown, *p);
    }
  return g_string_free (shown, FALSE);
}

/* GTK 4.8 gives a button whose label has a mnemonic two names at once: its label property
 * as written and the label it shows, so a screen reader says "underscore Connect Connect";
 * a check button is named "_Remember". The name becomes the label as shown, alone. */
static void
lab_accessible_update_button_name (GtkWidget *widget)
{
  g_autofree char *label = NULL;
  g_autofree char *shown = NULL;
  gboolean use_underline = FALSE;

  g_object_get (widget, "label", &label, "use-underline", &use_underline, NULL);
  if (label == NULL || !use_underline)
    return;
  shown = lab_accessible_strip_mnemonic (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, shown,
                                  -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
lab_accessible_button_changed_cb (GtkWidget  *widget,
                                  GParamSpec *pspec,
                                  gpointer    user_data)
{
  lab_accessible_update_button_name (widget);
}

static void
lab_accessible_watch_button (GtkWidget *widget)
{
  if ((!GTK_IS_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget))
      || g_object_get_data (G_OBJECT (widget), "lab-accessible-name") != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), "lab-accessible-name", GINT_TO_POINTER (TRUE));
  g_signal_connect (widget, "notify::label", G_CALLBACK (lab_accessible_button_changed_cb),
                    NULL);
  g_signal_connect (widget, "notify::use-underline",
                    G_CALLBACK (lab_accessible_button_changed_cb), NULL);
  lab_accessible_update_button_name (widget);
}

static void
lab_accessible_watch_buttons_in (GtkWidget *widget)
{
  lab_accessible_watch_button (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    lab_accessible_watch_buttons_in (child);
}

/* Every button, wherever it is made (templates, message dialogs' responses, menus): when
 * it is first realized, and whenever its label changes after that. A window being realized
 * also sees to the buttons it holds that are not realized yet (on a page not shown): they
 * are in its accessibility tree already. */
static GtkWidget *
lab_accessible_find_shown_button (GtkWidget  *widget,
                                  const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (!gtk_widget_get_mapped (child))
        continue;
      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)),
                                              label) == 0)
        return child;
      found = lab_accessible_find_shown_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A message dialog's buttons are shown a few frames after it is. */
#define LAB_ACCESSIBLE_LAYOUT_FRAMES 60

typedef struct
{
  guint      frames;
  gpointer   last_shown;   /* compared only: the button shown a frame ago */
} LabAccessibleLayoutWait;

static gboolean
lab_accessible_focus_default_response_cb (GtkWidget     *widget,
                                          GdkFrameClock *clock,
                                          gpointer       data)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (widget);
  const char *response = adw_message_dialog_get_default_response (dialog);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (dialog));
  LabAccessibleLayoutWait *wait = data;
  GtkWidget *button;

  /* What is to be filled in or ticked before answering keeps the focus it was given. */
  if (response == NULL || GTK_IS_EDITABLE (focus) || GTK_IS_CHECK_BUTTON (focus))
    return G_SOURCE_REMOVE;
  button = lab_accessible_find_shown_button (widget,
                                             adw_message_dialog_get_response_label (dialog,
                                                                                    response));
  if (button != NULL && gtk_widget_get_width (button) == 0)
    button = NULL;
  /* The first layout shown can give way to the other at the next frame: the button is
   * the one shown two frames in a row. */
  if (button == NULL || button != wait->last_shown)
    {
      wait->last_shown = button;
      return ++wait->frames < LAB_ACCESSIBLE_LAYOUT_FRAMES ? G_SOURCE_CONTINUE
                                                            : G_SOURCE_REMOVE;
    }
  gtk_widget_grab_focus (button);
  return G_SOURCE_REMOVE;
}

/* libadwaita 1.2 lays a message dialog's responses out twice, in a row and (when they do
 * not fit) in a column in the opposite order, and gives the focus to the first widget it
 * finds before it knows which layout is shown: a selectable label of the body, or in a
 * column the last response ("Trust and Remember" where the default is Cancel), which
 * Enter then answers. Once a layout is shown for good, the focus moves to the default
 * response's button there, unless it is on something to fill in or tick first. */
static void
lab_accessible_message_dialog_mapped_cb (AdwMessageDialog *dialog)
{
  gtk_widget_add_tick_callback (GTK_WIDGET (dialog), lab_accessible_focus_default_response_cb,
                                g_new0 (LabAccessibleLayoutWait, 1), g_free);
}

static gboolean
lab_accessible_realize_hook_cb (GSignalInvocationHint *hint,
                                guint                  n_params,
                                const GValue          *params,
                                gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&params[0]);

  if (ADW_IS_MESSAGE_DIALOG (widget)
      && g_object_get_data (G_OBJECT (widget), "lab-accessible-focus") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "lab-accessible-focus", GINT_TO_POINTER (TRUE));
      g_signal_connect_after (widget, "map",
                              G_CALLBACK (lab_accessible_message_dialog_mapped_cb), NULL);
    }
  if (GTK_IS_ROOT (widget))
    lab_accessible_watch_buttons_in (widget);
  else
    lab_accessible_watch_button (widget);
  return TRUE;
}

static void
lab_accessible_window_mapped_cb (GtkWidget *widget)
{
  gtk_widget_grab_focus (widget);
}

/**
 * lab_accessible_focus_on_map:
 * @window: a window about to be shown
 * @widget: the widget in @window the keyboard starts at
 *
 * Moves the focus to @widget whenever @window is shown. Before the window is shown, GTK 4.8
 * would take a focus set to be its first focus, but tell assistive technologies a wrong
 * role for the window and never that it is shown.
 */
void
lab_accessible_focus_on_map (GtkWindow *window,
                             GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_signal_connect_object (window, "map", G_CALLBACK (lab_accessible_window_mapped_cb), widget,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

/**
 * lab_accessible_name_split_button:
 * @button: a split button with a tooltip and a dropdown tooltip
 *
 * libadwaita 1.2 names neither part of a split button: its button is read after its icon
 * ("GtkImage"), its arrow as "GtkMenuButton". They are named by their tooltips.
 */
void
lab_accessible_name_split_button (AdwSplitButton *button)
{
  const char *label = gtk_widget_get_tooltip_text (GTK_WIDGET (button));
  g_autofree char *dropdown = NULL;

  g_return_if_fail (ADW_IS_SPLIT_BUTTON (button));

  /* The dropdown tooltip is markup. */
  if (!pango_parse_markup (adw_split_button_get_dropdown_tooltip (button), -1, 0, NULL,
                           &dropdown, NULL, NULL))
    dropdown = g_strdup (adw_split_button_get_dropdown_tooltip (button));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (button)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && label != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        label, -1);
      else if (GTK_IS_MENU_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        dropdown, -1);
    }
}

/**
 * lab_accessible_name_column_view:
 * @view: a column view
 * @header_label: the name of its row of column titles
 * @list_label: the name of the list of its rows
 *
 * GTK 4.8's column view is a row of titles and a list, which it names after their types
 * ("GtkListItemWidget", "GtkColumnListView").
 */
void
lab_accessible_name_column_view (GtkColumnView *view,
                                 const char    *header_label,
                                 const char    *list_label)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (child));

      if (GTK_IS_LIST_VIEW (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        list_label, -1);
      else if (role == GTK_ACCESSIBLE_ROLE_ROW)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        header_label, -1);
    }
}

/**
 * lab_accessible_name_row_cb:
 * @inscription: the child of a column view's cell (a cell template connects this to its
 *   notify::text and map signals)
 *
 * Names the column view row that shows @inscription by its text, whatever item the row is
 * bound to. GTK 4.8 offers no way to name a row (it is read as "GtkListItemWidget"). The
 * row is the cell's parent; the name follows the text, and is set again once the cell is
 * in its row.
 */
void
lab_accessible_name_row_cb (GtkInscription *inscription)
{
  GtkWidget *cell = gtk_widget_get_parent (GTK_WIDGET (inscription));
  GtkWidget *row = cell != NULL ? gtk_widget_get_parent (cell) : NULL;
  const char *text = gtk_inscription_get_text (inscription);

  if (row != NULL && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row))
                     == GTK_ACCESSIBLE_ROLE_ROW)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    text ? text : "", -1);
}

static gboolean
lab_accessible_shows_icon (GtkWidget  *button,
                           const char *icon_name)
{
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  return GTK_IS_IMAGE (child)
         && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), icon_name) == 0;
}

static void
lab_accessible_name_shortcuts_parts (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SEARCH_ENTRY (child)
          || (GTK_IS_BUTTON (child) && lab_accessible_shows_icon (child, "edit-find-symbolic")))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Search Shortcuts"), -1);
      else if (GTK_IS_MENU_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Sections"), -1);
      else
        lab_accessible_name_shortcuts_parts (child);
    }
}

/**
 * lab_accessible_name_shortcuts_window:
 * @window: the shortcuts window
 *
 * GTK 4.8's shortcuts window names none of its own controls: its search button is read as
 * "GtkImage" (and has the focus when the window opens), its search entry as
 * "GtkSearchEntry", its menu of sections as "GtkMenuButton".
 */
void
lab_accessible_name_shortcuts_window (GtkShortcutsWindow *window)
{
  g_return_if_fail (GTK_IS_SHORTCUTS_WINDOW (window));

  lab_accessible_name_shortcuts_parts (GTK_WIDGET (window));
}

static GtkWidget *
lab_accessible_find_list_box (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = GTK_IS_LIST_BOX (child) ? child : lab_accessible_find_list_box (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * lab_accessible_name_group:
 * @group: a preferences group without a title
 * @label: its name
 *
 * libadwaita 1.2 names a group's list after the group's title; without one, the list is
 * read as "GtkListBox". The group and its list are named @label, without showing a title.
 */
void
lab_accessible_name_group (AdwPreferencesGroup *group,
                           const char          *label)
{
  GtkWidget *list;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  gtk_accessible_update_property (GTK_ACCESSIBLE (group), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  list = lab_accessible_find_list_box (GTK_WIDGET (group));
  if (list != NULL)
    {
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (list),
                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
    }
}

static void
lab_accessible_name_icon_buttons_in (GtkWidget  *widget,
                                     const char *icon_name,
                                     const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL
          && lab_accessible_shows_icon (child, icon_name))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        label, -1);
      else
        lab_accessible_name_icon_buttons_in (child, icon_name, label);
    }
}

/**
 * lab_accessible_name_icon_button:
 * @root: a widget of GTK's or libadwaita's with a button of its own
 * @icon_name: the icon the button shows
 * @label: its name
 *
 * Names the buttons under @root that show only @icon_name: GTK 4.8 reads such a button
 * after its icon ("GtkImage"), and its own widgets (a search bar's close button) give them
 * no name.
 */
void
lab_accessible_name_icon_button (GtkWidget  *root,
                                 const char *icon_name,
                                 const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  lab_accessible_name_icon_buttons_in (root, icon_name, label);
}

static void
lab_accessible_name_tab_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *tooltip = gtk_widget_get_tooltip_text (child);

      if (GTK_IS_BUTTON (child) && tooltip != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        tooltip, -1);
      else
        lab_accessible_name_tab_buttons (child);
    }
}

static void
lab_accessible_name_tab_parts (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(AdwTabPage) page = NULL;

      if (g_strcmp0 (G_OBJECT_TYPE_NAME (child), "AdwTab") != 0)
        {
          lab_accessible_name_tab_parts (child);
          continue;
        }
      lab_accessible_name_tab_buttons (child);
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "page") != NULL)
        g_object_get (child, "page", &page, NULL);
      /* The keyboard stops at the tab's parent. */
      if (page != NULL && gtk_widget_get_parent (child) != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (child)),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        adw_tab_page_get_title (page), -1);
    }
}

/**
 * lab_accessible_name_tabs:
 * @bar: a tab bar
 *
 * libadwaita 1.2's tab bar names none of a tab's parts: a tab is read as "AdwGizmo", its
 * close button as "GtkImage". The tab is named by its page's title and its buttons by their
 * tooltips ("Close Tab"). Tabs come and go with pages: call it again when they do.
 */
void
lab_accessible_name_tabs (AdwTabBar *bar)
{
  g_return_if_fail (ADW_IS_TAB_BAR (bar));

  lab_accessible_name_tab_parts (GTK_WIDGET (bar));
}

/* Once, after GTK is initialised. */
void
lab_accessible_init (void)
{
  static gboolean done;
  gpointer widget_class;

  if (done)
    return;
  done = TRUE;
  /* A class's signals exist once the class does. */
  widget_class = g_type_class_ref (GTK_TYPE_WIDGET);
  g_signal_add_emission_hook (g_signal_lookup ("realize", GTK_TYPE_WIDGET), 0,
                              lab_accessible_realize_hook_cb, NULL, NULL);
  g_type_class_unref (widget_class);
}
