/* test-domain-view.c — the domain table: columns, sorting, filter, actions by state
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "views/lab-domain-view.h"
#include "views/lab-sparkline.h"
#include "xen/lab-domain-store.h"

#include "lab-test-gtk-utils.h"

typedef struct
{
  GtkWindow      *window;
  LabDomainView  *view;
  LabDomainStore *store;
  GPtrArray      *actions;   /* "name:action" strings the view asked for */
} Fixture;

static LabXlDomainInfo *
make_info (const char *name,
           int         domid,
           const char *state,
           double      cpu_time,
           gint64      uptime)
{
  LabXlDomainInfo *info = lab_xl_domain_info_new ();

  info->name = g_strdup (name);
  info->domid = domid;
  info->state = g_strdup (state);
  info->cpu_time = cpu_time;
  info->memory_mib = domid == 0 ? 1024 : 32 + domid;
  info->vcpus = domid == 0 ? 2 : 1;
  info->uptime = uptime;

  return info;
}

static void
on_domain_action (LabDomainView   *view,
                  LabDomain       *domain,
                  LabDomainAction  action,
                  Fixture         *fixture)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (LAB_TYPE_DOMAIN_ACTION);

  g_ptr_array_add (fixture->actions,
                   g_strdup_printf ("%s:%s", lab_domain_get_name (domain),
                                    g_enum_get_value (klass, action)->value_nick));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = lab_domain_store_new ();
  fixture->actions = g_ptr_array_new_with_free_func (g_free);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 560);
  fixture->view = LAB_DOMAIN_VIEW (lab_domain_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  g_signal_connect (fixture->view, "domain-action", G_CALLBACK (on_domain_action), fixture);
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->actions);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

/* A realistic host: dom0, unikernels in every state, configs not started, long names. */
static void
fill_store (Fixture *fixture,
            guint    n_extra)
{
  g_autoptr(GPtrArray) poll = g_ptr_array_new_with_free_func (
    (GDestroyNotify) lab_xl_domain_info_free);
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (poll, make_info ("Domain-0", 0, "r-----", 100.0, 7200));
  g_ptr_array_add (poll, make_info ("static_website", 3, "-b----", 1.0, 65));
  g_ptr_array_add (poll, make_info ("https", 4, "--p---", 2.0, 3700));
  g_ptr_array_add (poll, make_info ("crashy", 5, "---sc-", 0.3, 12));
  g_ptr_array_add (poll,
                   make_info ("a-unikernel-with-a-really-long-name-that-will-not-fit-the-column",
                              6, "r-----", 5.0, 90000));
  for (guint i = 0; i < n_extra; i++)
    {
      g_autofree char *name = g_strdup_printf ("dns-resolver-%02u", i);

      g_ptr_array_add (poll, make_info (name, 10 + i, "-b----", i * 0.1, 100 + i));
    }
  g_ptr_array_add (configs, lab_xl_config_new_from_data (
                     "/home/mirage/mirage-skeleton/tutorial/hello/dist/hello.xl",
                     "name = 'hello'\nkernel = 'hello.xen'\ntype = 'pvh'\nmemory = 32\n",
                     -1, NULL));

  lab_domain_store_update (fixture->store, poll, configs, G_USEC_PER_SEC);

  /* More polls give the CPU sparklines something to draw. */
  for (guint tick = 1; tick <= 12; tick++)
    {
      for (guint i = 0; i < poll->len; i++)
        ((LabXlDomainInfo *) poll->pdata[i])->cpu_time += 0.2 + ((i + tick) % 5) * 0.15;
      lab_domain_store_update (fixture->store, poll, NULL, (1 + 2 * tick) * G_USEC_PER_SEC);
    }

  lab_domain_view_set_model (fixture->view, G_LIST_MODEL (fixture->store));
}

static gboolean
action_enabled (Fixture    *fixture,
                const char *name)
{
  /* gtk_widget_activate_action would run it; query the muxer through the action group. */
  return lab_domain_action_is_possible (
           g_str_equal (name, "start") ? LAB_DOMAIN_ACTION_START
           : g_str_equal (name, "pause") ? LAB_DOMAIN_ACTION_PAUSE
           : g_str_equal (name, "resume") ? LAB_DOMAIN_ACTION_RESUME
           : g_str_equal (name, "destroy") ? LAB_DOMAIN_ACTION_DESTROY
           : g_str_equal (name, "delete") ? LAB_DOMAIN_ACTION_DELETE
           : g_str_equal (name, "duplicate") ? LAB_DOMAIN_ACTION_DUPLICATE
           : LAB_DOMAIN_ACTION_OPEN_CONSOLE,
           lab_domain_view_get_selected (fixture->view));
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *shot = NULL;

  lab_domain_view_set_model (fixture->view, G_LIST_MODEL (fixture->store));
  g_assert_cmpstr (lab_domain_view_get_visible_page (fixture->view), ==, "empty");
  g_assert_null (lab_domain_view_get_selected (fixture->view));
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->window), "domains-empty");
}

static void
test_rows_and_sorting (Fixture       *fixture,
                       gconstpointer  data)
{
  GListModel *rows;
  g_autoptr(LabDomain) first = NULL;
  g_autofree char *shot = NULL;

  fill_store (fixture, 0);
  rows = lab_domain_view_get_visible_rows (fixture->view);
  g_assert_cmpstr (lab_domain_view_get_visible_page (fixture->view), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 6);

  /* Sorted by name by default (case-sensitive collation puts "Domain-0" among them). */
  first = g_list_model_get_item (rows, 0);
  g_assert_cmpstr (lab_domain_get_name (first), ==,
                   "a-unikernel-with-a-really-long-name-that-will-not-fit-the-column");

  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->window), "domains-long-names");
}

static void
test_actions_follow_state (Fixture       *fixture,
                           gconstpointer  data)
{
  fill_store (fixture, 0);

  /* A config nobody runs: Start, Delete (its config) and Duplicate. */
  g_assert_true (lab_domain_view_select (fixture->view, "hello"));
  g_assert_true (action_enabled (fixture, "start"));
  g_assert_true (action_enabled (fixture, "delete"));
  g_assert_true (action_enabled (fixture, "duplicate"));
  g_assert_false (action_enabled (fixture, "pause"));
  g_assert_false (action_enabled (fixture, "destroy"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "domain.start", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "domain.start-console",
                                             NULL));

  /* Running: pause, force off, console; not start. */
  g_assert_true (lab_domain_view_select (fixture->view, "static_website"));
  g_assert_false (action_enabled (fixture, "start"));
  g_assert_true (action_enabled (fixture, "pause"));
  g_assert_false (action_enabled (fixture, "resume"));
  /* Running, or listed without a config: nothing to delete. */
  g_assert_false (action_enabled (fixture, "delete"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "domain.pause", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "domain.open-console",
                                             NULL));

  /* Paused: resume. Crashed: only force off (and its console, to read the last lines). */
  g_assert_true (lab_domain_view_select (fixture->view, "https"));
  g_assert_true (action_enabled (fixture, "resume"));
  g_assert_false (action_enabled (fixture, "pause"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "domain.resume", NULL));
  g_assert_true (lab_domain_view_select (fixture->view, "crashy"));
  g_assert_true (action_enabled (fixture, "destroy"));
  g_assert_false (action_enabled (fixture, "pause"));
  g_assert_false (action_enabled (fixture, "start"));

  /* dom0 can't be touched. */
  g_assert_true (lab_domain_view_select (fixture->view, "Domain-0"));
  g_assert_false (action_enabled (fixture, "destroy"));
  g_assert_false (action_enabled (fixture, "delete"));
  g_assert_false (action_enabled (fixture, "duplicate"));
  g_assert_false (action_enabled (fixture, "pause"));

  g_assert_cmpuint (fixture->actions->len, ==, 5);
  g_assert_cmpstr (fixture->actions->pdata[0], ==, "hello:start");
  g_assert_cmpstr (fixture->actions->pdata[1], ==, "hello:start-console");
  g_assert_cmpstr (fixture->actions->pdata[2], ==, "static_website:pause");
  g_assert_cmpstr (fixture->actions->pdata[3], ==, "static_website:open-console");
  g_assert_cmpstr (fixture->actions->pdata[4], ==, "https:resume");
}

static void
test_destroy_needs_confirmation (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWindow *dialog;
  g_autofree char *shot = NULL;

  fill_store (fixture, 0);
  g_assert_true (lab_domain_view_select (fixture->view, "static_website"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "domain.destroy", NULL));
  g_assert_cmpuint (fixture->actions->len, ==, 0);

  dialog = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  shot = lab_test_save_screenshot (GTK_WIDGET (dialog), "domains-force-off-confirm");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_cmpuint (fixture->actions->len, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "domain.destroy", NULL));
  dialog = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "force-off");
  g_assert_cmpuint (fixture->actions->len, ==, 1);
  g_assert_cmpstr (fixture->actions->pdata[0], ==, "static_website:destroy");
}

static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *rows;
  g_autofree char *shot = NULL;

  fill_store (fixture, 50);
  rows = lab_domain_view_get_visible_rows (fixture->view);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 56);
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->window), "domains-56");

  lab_domain_view_set_filter_text (fixture->view, "RESOLVER-1");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 10);

  lab_domain_view_set_filter_text (fixture->view, "nothing like this");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  g_assert_cmpstr (lab_domain_view_get_visible_page (fixture->view), ==, "no-match");
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->window), "domains-no-match");

  lab_domain_view_set_filter_text (fixture->view, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 56);
}

static void
test_selection_survives_updates (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) poll = g_ptr_array_new_with_free_func (
    (GDestroyNotify) lab_xl_domain_info_free);
  LabDomain *selected;

  fill_store (fixture, 5);
  g_assert_true (lab_domain_view_select (fixture->view, "dns-resolver-03"));
  selected = lab_domain_view_get_selected (fixture->view);

  /* The next poll: new numbers for everyone, one domain gone, one new. */
  g_ptr_array_add (poll, make_info ("Domain-0", 0, "r-----", 101.0, 7202));
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("dns-resolver-%02u", i);

      if (i != 1)
        g_ptr_array_add (poll, make_info (name, 10 + i, "r-----", 5.0 + i, 102 + i));
    }
  g_ptr_array_add (poll, make_info ("newcomer", 40, "-b----", 0.0, 1));
  lab_domain_store_update (fixture->store, poll, NULL, 5 * G_USEC_PER_SEC);

  g_assert_true (lab_domain_view_get_selected (fixture->view) == selected);
  g_assert_cmpstr (lab_domain_get_name (selected), ==, "dns-resolver-03");
  g_assert_cmpint (lab_domain_get_state (selected), ==, LAB_DOMAIN_STATE_RUNNING);
}

/* The CPU cells' figures (a CPU cell is a sparkline and a label), in widget order. */
static void
collect_cpu_labels (GtkWidget *widget,
                    GPtrArray *texts)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (LAB_IS_SPARKLINE (child) && GTK_IS_LABEL (gtk_widget_get_next_sibling (child)))
        g_ptr_array_add (texts, (gpointer) gtk_label_get_label (
                                  GTK_LABEL (gtk_widget_get_next_sibling (child))));
      collect_cpu_labels (child, texts);
    }
}

/* A domain that does not run shows "—" for its CPU, like its other live columns; one that
 * runs shows its figure, also when that is 0 %. */
static void
test_cpu_of_stopped (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  GListModel *model = G_LIST_MODEL (fixture->store);
  guint stopped = 0;
  guint dashes = 0;

  fill_store (fixture, 0);
  lab_test_flush (GTK_WIDGET (fixture->window));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LabDomain) domain = g_list_model_get_item (model, i);

      stopped += !lab_domain_get_running (domain);
    }
  collect_cpu_labels (GTK_WIDGET (fixture->view), texts);
  g_assert_cmpuint (texts->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = g_ptr_array_index (texts, i);

      if (g_str_equal (text, "—"))
        dashes++;
      else
        g_assert_true (g_str_has_suffix (text, " %"));
    }
  g_assert_cmpuint (stopped, >, 0);
  g_assert_cmpuint (dashes, ==, stopped);
}

static gboolean
is_label_saying (GtkWidget *widget,
                 gpointer   text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* The domain menu (not the Start button's). */
static gboolean
is_domain_menu (GtkWidget *widget,
                gpointer   user_data)
{
  return GTK_IS_POPOVER_MENU (widget)
         && gtk_widget_get_ancestor (widget, GTK_TYPE_MENU_BUTTON) == NULL;
}

/* The right-click gesture a cell template put on @cell. */
static GtkGestureClick *
cell_gesture (GtkWidget *cell)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (cell);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return GTK_GESTURE_CLICK (controller);
    }
  return NULL;
}

/* The cells come from templates: a right click on one (here the State cell of a row that
 * is not selected) selects its row and opens the domain menu at the click. */
static void
test_right_click (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *words;
  GtkWidget *menu;
  GtkGestureClick *gesture;
  g_autofree char *shot = NULL;

  fill_store (fixture, 0);
  g_assert_true (lab_domain_view_select (fixture->view, "hello"));
  lab_test_flush (GTK_WIDGET (fixture->window));
  words = lab_test_find_widget (GTK_WIDGET (fixture->view), is_label_saying,
                                (gpointer) "Crashed (preserved)");
  g_assert_nonnull (words);
  menu = lab_test_find_widget (GTK_WIDGET (fixture->view), is_domain_menu, NULL);
  g_assert_nonnull (menu);
  g_assert_false (gtk_widget_get_visible (menu));

  gesture = cell_gesture (gtk_widget_get_parent (words));
  g_assert_nonnull (gesture);
  g_assert_cmpuint (gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (gesture)), ==,
                    GDK_BUTTON_SECONDARY);
  g_signal_emit_by_name (gesture, "pressed", 1, 8.0, 6.0);
  lab_test_flush (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (lab_domain_get_name (lab_domain_view_get_selected (fixture->view)), ==,
                   "crashy");
  g_assert_true (gtk_widget_get_visible (menu));
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->window), "domains-context-menu");
  gtk_popover_popdown (GTK_POPOVER (menu));
}

static void
test_dark (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *shot = NULL;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  fill_store (fixture, 8);
  g_assert_true (lab_domain_view_select (fixture->view, "static_website"));
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->window), "domains-dark");
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_gtk_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/domain-view/empty", test_empty);
  ADD ("/domain-view/rows-and-sorting", test_rows_and_sorting);
  ADD ("/domain-view/actions-follow-state", test_actions_follow_state);
  ADD ("/domain-view/destroy-needs-confirmation", test_destroy_needs_confirmation);
  ADD ("/domain-view/filter", test_filter);
  ADD ("/domain-view/selection-survives-updates", test_selection_survives_updates);
  ADD ("/domain-view/cpu-of-stopped", test_cpu_of_stopped);
  ADD ("/domain-view/right-click", test_right_click);
  ADD ("/domain-view/dark", test_dark);
#undef ADD

  return g_test_run ();
}
