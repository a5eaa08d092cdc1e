/* test-config-editor.c — Edit…: the form and the text change one config, the diff shows
 * exactly the change, a text that does not parse keeps the user on it
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "lab-test-gtk-utils.h"
#include "views/lab-config-editor-private.h"
#include "xen/lab-domain-store.h"
#include "xen/lab-xl-list.h"

static const char config_text[] =
  "# the web server\n"
  "name = 'web'\n"
  "kernel = 'web.xen'   # built by mirage\n"
  "memory = 64\n"
  "extra = '-l *:info'\n"
  "on_crash = 'preserve'\n"
  "mystery = [ 'kept' ]\n";

typedef struct
{
  LabDomainStore  *store;
  LabConfigEdit   *edit;
  LabConfigEditor *editor;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) poll = g_ptr_array_new_with_free_func (
    (GDestroyNotify) lab_xl_domain_info_free);
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func (g_object_unref);

  if (data != NULL)
    {
      LabXlDomainInfo *info = lab_xl_domain_info_new ();

      info->name = g_strdup ("web");
      info->domid = 3;
      info->state = g_strdup ("-b----");
      info->memory_mib = 64;
      info->vcpus = 1;
      g_ptr_array_add (poll, info);
    }
  g_ptr_array_add (configs, lab_xl_config_new_from_data ("/home/mirage/web/web.xl", config_text,
                                                         -1, NULL));
  fixture->store = lab_domain_store_new ();
  lab_domain_store_update (fixture->store, poll, configs, G_USEC_PER_SEC);
  fixture->edit = lab_config_edit_new (NULL, lab_domain_store_lookup (fixture->store, "web"));
  fixture->editor = g_object_ref_sink (lab_config_editor_new (NULL, fixture->edit));
  gtk_window_present (GTK_WINDOW (fixture->editor));
  lab_test_flush (GTK_WIDGET (fixture->editor));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *dialog;

  while ((dialog = lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (fixture->editor));
  g_clear_object (&fixture->editor);
  g_clear_object (&fixture->edit);
  g_clear_object (&fixture->store);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
end_shown_in (LabConfigEditor *editor,
              guint            i)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (
                            lab_config_editor_get_end_row (editor, i));

  return gtk_string_object_get_string (item);
}

static const char *
end_shown (Fixture *fixture,
           guint    i)
{
  return end_shown_in (fixture->editor, i);
}

/* The form shows the config (xl's defaults where a setting is absent) and changes only the
 * settings the user changes. */
static void
test_form (Fixture       *fixture,
           gconstpointer  data)
{
  LabXlConfig *config = lab_config_edit_get_config (fixture->edit);
  g_autofree char *shot = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpstr (lab_config_editor_get_page (fixture->editor), ==, "settings");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     lab_config_editor_get_memory_spin (fixture->editor)), ==, 64);
  g_assert_cmpstr (gtk_editable_get_text (lab_config_editor_get_cmdline (fixture->editor)), ==,
                   "-l *:info");
  g_assert_cmpstr (end_shown (fixture, 0), ==, "destroy");
  g_assert_cmpstr (end_shown (fixture, 1), ==, "restart");
  g_assert_cmpstr (end_shown (fixture, 2), ==, "preserve");
  g_assert_null (lab_config_editor_get_notice (fixture->editor));
  g_assert_false (lab_config_edit_get_modified (fixture->edit));
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->editor), "config-editor");

  gtk_spin_button_set_value (lab_config_editor_get_memory_spin (fixture->editor), 96);
  gtk_editable_set_text (lab_config_editor_get_cmdline (fixture->editor),
                         "--ipv4=10.0.0.2/24 -l *:debug");
  adw_combo_row_set_selected (lab_config_editor_get_end_row (fixture->editor, 2), 0);
  g_assert_true (lab_config_edit_get_modified (fixture->edit));
  g_assert_cmpstr (lab_xl_config_get_text (config), ==,
                   "# the web server\n"
                   "name = 'web'\n"
                   "kernel = 'web.xen'   # built by mirage\n"
                   "memory = 96\n"
                   "extra = '--ipv4=10.0.0.2/24 -l *:debug'\n"
                   "on_crash = 'destroy'\n"
                   "mystery = [ 'kept' ]\n");

  /* The text view shows the same. */
  lab_config_editor_show_view (fixture->editor, "text");
  text = buffer_text (lab_config_editor_get_text (fixture->editor));
  g_assert_cmpstr (text, ==, lab_xl_config_get_text (config));
}

/* Text typed in the view is read back when the user leaves it: a good one fills the form,
 * one that does not parse keeps the user on it and says why. */
static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  GtkTextBuffer *buffer = lab_config_editor_get_text (fixture->editor);
  g_autofree char *shot = NULL;

  lab_config_editor_show_view (fixture->editor, "text");
  gtk_text_buffer_set_text (buffer, "name = 'web'\nmemory = = 3\n", -1);
  lab_config_editor_show_view (fixture->editor, "settings");
  g_assert_cmpstr (lab_config_editor_get_page (fixture->editor), ==, "text");
  g_assert_cmpstr (lab_xl_config_get_text (lab_config_edit_get_config (fixture->edit)), ==,
                   config_text);
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.review", NULL);
  g_assert_cmpstr (lab_config_editor_get_page (fixture->editor), ==, "text");
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->editor), "config-editor-bad-text");

  gtk_text_buffer_set_text (buffer, "name = 'web'\nmemory = 200 # more\nvcpus = 2\n", -1);
  lab_config_editor_show_view (fixture->editor, "settings");
  g_assert_cmpstr (lab_config_editor_get_page (fixture->editor), ==, "settings");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     lab_config_editor_get_memory_spin (fixture->editor)), ==, 200);
  g_assert_cmpstr (gtk_editable_get_text (lab_config_editor_get_cmdline (fixture->editor)), ==,
                   "");
}

static gboolean
check_done (gpointer data)
{
  const char *problems = lab_config_editor_get_problems (data);

  return problems == NULL || !g_str_has_prefix (problems, "Checking");
}

/* Review shows the diff of exactly what changed; saving without a connection says so and
 * keeps the window; closing with changes asks first. */
static void
test_review (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *diff = NULL;
  g_autofree char *shot = NULL;

  /* Nothing changed: nothing to review. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.review", NULL);
  g_assert_cmpstr (lab_config_editor_get_page (fixture->editor), ==, "settings");

  gtk_spin_button_set_value (lab_config_editor_get_memory_spin (fixture->editor), 128);
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.review", NULL);
  g_assert_cmpstr (lab_config_editor_get_page (fixture->editor), ==, "review");
  diff = buffer_text (lab_config_editor_get_diff (fixture->editor));
  g_test_message ("%s", diff);
  g_assert_true (g_str_has_prefix (diff, "--- /home/mirage/web/web.xl\n"));
  g_assert_nonnull (strstr (diff, "\n-memory = 64\n+memory = 128\n"));
  g_assert_null (strstr (diff, "-name"));
  lab_test_flush (GTK_WIDGET (fixture->editor));
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->editor), "config-editor-review");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  lab_test_flush (GTK_WIDGET (fixture->editor));
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->editor), "config-editor-review-dark");

  /* No host to check it on: said, and saving stays possible (and fails, said too). */
  g_assert_true (lab_test_wait_for (check_done, fixture->editor, 5000));
  g_assert_true (g_str_has_prefix (lab_config_editor_get_problems (fixture->editor),
                                   "Could not check the configuration on dom0: "));
  g_assert_cmpstr (lab_config_editor_get_save_label (fixture->editor), ==, "_Save");
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.save", NULL);
  lab_test_flush (GTK_WIDGET (fixture->editor));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.back", NULL);
  g_assert_cmpstr (lab_config_editor_get_page (fixture->editor), ==, "settings");

  gtk_window_close (GTK_WINDOW (fixture->editor));
  g_assert_nonnull (lab_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
}

/* A running domain: the window says the change applies at its next start. */
static void
test_running (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *shot = NULL;

  g_assert_nonnull (lab_config_editor_get_notice (fixture->editor));
  g_assert_nonnull (strstr (lab_config_editor_get_notice (fixture->editor), "next starts"));
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->editor), "config-editor-running");
}

/* Values from the config that look like markup show as they are, in the form and the
 * notice; an upload that cannot start says so in a toast (never read as markup). */
static void
test_hostile_values (void)
{
  g_autoptr(LabDomainStore) store = lab_domain_store_new ();
  g_autoptr(GPtrArray) poll = g_ptr_array_new_with_free_func (
    (GDestroyNotify) lab_xl_domain_info_free);
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LabConfigEdit) edit = NULL;
  g_autoptr(GFile) local = g_file_new_for_path ("/tmp/<b>image</b> & co.xen");
  LabXlConfig *config;
  LabConfigEditor *editor;
  LabXlDomainInfo *info = lab_xl_domain_info_new ();
  g_autofree char *shot = NULL;

  info->name = g_strdup ("<i>web</i> & co");
  info->domid = 3;
  info->state = g_strdup ("r-----");
  g_ptr_array_add (poll, info);
  config = lab_xl_config_new_from_data ("/home/mirage/<web>.xl",
                                        "name = '<i>web</i> & co'\n"
                                        "on_crash = '<b>oops</b> & co'\n"
                                        "extra = '<span>'\n", -1, NULL);
  g_assert_nonnull (config);
  g_ptr_array_add (configs, config);
  lab_domain_store_update (store, poll, configs, G_USEC_PER_SEC);
  edit = lab_config_edit_new (NULL, lab_domain_store_lookup (store, "<i>web</i> & co"));
  editor = lab_config_editor_new (NULL, edit);
  gtk_window_present (GTK_WINDOW (editor));
  lab_test_flush (GTK_WIDGET (editor));
  g_assert_cmpstr (end_shown_in (editor, 2), ==, "<b>oops</b> & co");
  g_assert_cmpstr (gtk_editable_get_text (lab_config_editor_get_cmdline (editor)), ==,
                   "<span>");
  g_assert_true (g_str_has_prefix (lab_config_editor_get_notice (editor),
                                   "<i>web</i> & co is running"));
  lab_config_editor_upload (editor, local);
  lab_test_flush (GTK_WIDGET (editor));
  shot = lab_test_save_screenshot (GTK_WIDGET (editor), "config-editor-hostile");
  gtk_window_destroy (GTK_WINDOW (editor));
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_gtk_init (&argc, &argv))
    return 0;

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/config-editor/form", NULL, test_form);
  ADD ("/config-editor/text", NULL, test_text);
  ADD ("/config-editor/review", NULL, test_review);
  ADD ("/config-editor/running", "running", test_running);
#undef ADD
  g_test_add_func ("/config-editor/hostile-values", test_hostile_values);

  return g_test_run ();
}
