/* lab-test-gtk-utils.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-test-gtk-utils"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lab-test-gtk-utils.h"

gboolean
lab_test_gtk_init (int    *argc,
                   char ***argv)
{
  const char *display = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  if ((display == NULL || *display == '\0') && (wayland == NULL || *wayland == '\0'))
    {
      if (g_strcmp0 (g_getenv ("MIRAGE_LAB_REQUIRE_DISPLAY"), "1") == 0)
        {
          g_printerr ("No display, but MIRAGE_LAB_REQUIRE_DISPLAY=1: run under xvfb-run -a\n");
          exit (1);
        }
      /* TAP plan with a skip directive: meson reports the reason. */
      g_print ("1..0 # SKIP no display (DISPLAY/WAYLAND_DISPLAY unset); run under xvfb-run -a\n");
      return FALSE;
    }

  lab_test_isolate_home ();
  gtk_test_init (argc, argv, NULL);
  adw_init ();

  /* Screenshots must show the end state, not a cross-fade half way. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  return TRUE;
}

void
lab_test_flush (GtkWidget *widget)
{
  gtk_test_widget_wait_for_draw (widget);
  gdk_display_sync (gtk_widget_get_display (widget));
  lab_test_run_pending ();
}

typedef struct
{
  GdkPaintable *paintable;
  GtkWidget    *widget;
  const char   *path;
  gboolean      done;
} LabTestScreenshot;

static void
lab_test_screenshot_snapshot (LabTestScreenshot *data)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (data->widget);
  int height = gtk_widget_get_height (data->widget);

  gdk_paintable_snapshot (data->paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;

  renderer = gtk_native_get_renderer (gtk_widget_get_native (data->widget));
  graphene_rect_init (&bounds, 0, 0, width, height);
  texture = gsk_renderer_render_texture (renderer, node, &bounds);
  data->done = gdk_texture_save_to_png (texture, data->path);
}

static void
lab_test_screenshot_invalidated_cb (GdkPaintable      *paintable,
                                    LabTestScreenshot *data)
{
  lab_test_screenshot_snapshot (data);
}

static gboolean
lab_test_screenshot_done (gpointer user_data)
{
  return ((LabTestScreenshot *) user_data)->done;
}

char *
lab_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  LabTestScreenshot data = { 0 };
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  gulong handler;

  dir = g_build_filename (builddir ? builddir : ".", "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);

  lab_test_flush (widget);

  data.paintable = gtk_widget_paintable_new (widget);
  data.widget = widget;
  data.path = path;
  handler = g_signal_connect (data.paintable, "invalidate-contents",
                              G_CALLBACK (lab_test_screenshot_invalidated_cb), &data);
  lab_test_screenshot_snapshot (&data);
  /* Bounded: a widget that never paints fails the assertion below. */
  lab_test_wait_for (lab_test_screenshot_done, &data, 5000);
  g_signal_handler_disconnect (data.paintable, handler);
  g_object_unref (data.paintable);

  g_assert_true (data.done);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("screenshot: %s", path);

  return g_steal_pointer (&path);
}

GtkWidget *
lab_test_find_widget (GtkWidget          *root,
                      LabTestWidgetMatch  match,
                      gpointer            user_data)
{
  if (match (root, user_data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lab_test_find_widget (child, match, user_data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  LabTerminal *terminal;
  const char  *text;
} LabTestTerminalText;

static gboolean
lab_test_terminal_shows (gpointer user_data)
{
  LabTestTerminalText *wait = user_data;
  g_autofree char *contents = lab_terminal_dup_contents (wait->terminal);

  return strstr (contents, wait->text) != NULL;
}

gboolean
lab_test_terminal_wait_for (LabTerminal *terminal,
                            const char  *text,
                            guint        timeout_ms)
{
  LabTestTerminalText wait = { terminal, text };
  g_autofree char *contents = NULL;

  if (lab_test_wait_for (lab_test_terminal_shows, &wait, timeout_ms))
    return TRUE;
  contents = lab_terminal_dup_contents (terminal);
  g_test_message ("waited for \"%s\"; the terminal shows:\n%s", text, contents);
  return FALSE;
}

typedef struct
{
  GType       type;
  const char *title;
} LabTestMappedQuery;

static gboolean
lab_test_matches_mapped (GtkWidget *widget,
                         gpointer   user_data)
{
  LabTestMappedQuery *query = user_data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, query->type) && gtk_widget_get_mapped (widget)
         && (query->title == NULL
             || (ADW_IS_PREFERENCES_ROW (widget)
                 && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                               query->title) == 0)
             || (GTK_IS_BUTTON (widget)
                 && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), query->title) == 0));
}

GtkWidget *
lab_test_find_mapped (GtkWidget  *root,
                      GType       type,
                      const char *title)
{
  LabTestMappedQuery query = { type, title };

  return lab_test_find_widget (root, lab_test_matches_mapped, &query);
}

LabApplication *
lab_test_app_new (void)
{
  g_autoptr(GError) error = NULL;
  LabApplication *app = lab_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  return app;
}

LabWindow *
lab_test_app_window (LabApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (LAB_IS_WINDOW (window));
  return LAB_WINDOW (window);
}

void
lab_test_app_close (LabApplication *app)
{
  gtk_window_destroy (GTK_WINDOW (lab_test_app_window (app)));
  g_object_unref (app);
}

GtkWindow *
lab_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}
