/* lab-output-window.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-output-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"
#include "views/lab-accessible.h"

#include "lab-output-window.h"

struct _LabOutputWindow
{
  AdwWindow       parent_instance;

  LabConsoleLog  *log;
  LabDomain      *domain;
  GBytes         *saving;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkRevealer    *info_revealer;
  GtkLabel       *info_label;
  LabTerminal    *terminal;
  GtkScrollbar   *scrollbar;
};

G_DEFINE_FINAL_TYPE (LabOutputWindow, lab_output_window, ADW_TYPE_WINDOW)

static void
update_info (LabOutputWindow *self)
{
  /* The summary can quote the domain's last console line. */
  g_autofree char *end = lab_text_for_display (self->domain
                                               ? lab_domain_get_end_summary (self->domain)
                                               : NULL, LAB_DISPLAY_LINE_MAX);
  guint64 dropped = lab_console_log_get_dropped (self->log);
  g_autoptr(GString) info = g_string_new (NULL);

  if (end != NULL && self->domain != NULL && !lab_domain_get_live (self->domain))
    /* Translators: how the domain's last run ended, e.g. "Crashed — 0.2 s after start" */
    g_string_append_printf (info, _("Last run: %s."), end);
  if (dropped > 0)
    {
      g_autofree char *size = g_format_size (lab_console_log_get_capacity (self->log));

      if (info->len > 0)
        g_string_append_c (info, ' ');
      /* Translators: %s is a size such as "1.0 MB" */
      g_string_append_printf (info, _("Only the last %s of output is kept."), size);
    }
  gtk_label_set_label (self->info_label, info->str);
  gtk_revealer_set_reveal_child (self->info_revealer, info->len > 0);
}

static void
on_appended (LabOutputWindow *self,
             gpointer         data,
             guint64          len,
             LabConsoleLog   *log)
{
  lab_terminal_feed_console (self->terminal, data, len);
}

LabOutputWindow *
lab_output_window_new (GtkWindow     *parent,
                       LabConsoleLog *log,
                       LabDomain     *domain)
{
  LabOutputWindow *self;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (LAB_IS_CONSOLE_LOG (log), NULL);
  g_return_val_if_fail (domain == NULL || LAB_IS_DOMAIN (domain), NULL);

  self = g_object_new (LAB_TYPE_OUTPUT_WINDOW, "transient-for", parent, NULL);
  self->log = g_object_ref (log);
  if (domain != NULL)
    {
      self->domain = g_object_ref (domain);
      g_signal_connect_object (domain, "notify::end-summary", G_CALLBACK (update_info), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::state", G_CALLBACK (update_info), self,
                               G_CONNECT_SWAPPED);
    }

  name = lab_text_for_display (lab_console_log_get_domain_name (log), LAB_DISPLAY_NAME_MAX);
  /* Translators: window title, %s is the domain */
  title = g_strdup_printf (_("Last Output of %s"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  bytes = lab_console_log_dup_bytes (log);
  data = g_bytes_get_data (bytes, &len);
  if (len > 0)
    lab_terminal_feed_console (self->terminal, data, len);
  /* Nothing is typed here: no cursor (DECTCEM off). */
  lab_terminal_feed_text (self->terminal, "\033[?25l");
  adw_window_title_set_subtitle (self->window_title,
                                 len > 0 ? NULL : _("Nothing was kept yet"));
  g_signal_connect_object (log, "appended", G_CALLBACK (on_appended), self, G_CONNECT_SWAPPED);
  update_info (self);
  return self;
}

LabTerminal *
lab_output_window_get_terminal (LabOutputWindow *self)
{
  g_return_val_if_fail (LAB_IS_OUTPUT_WINDOW (self), NULL);
  return self->terminal;
}

const char *
lab_output_window_get_info (LabOutputWindow *self)
{
  g_return_val_if_fail (LAB_IS_OUTPUT_WINDOW (self), NULL);
  return gtk_label_get_label (self->info_label);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LabOutputWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->saving, g_bytes_unref);
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the output: %s"),
                                                  error->message);

      gtk_label_set_label (self->info_label, message);
      gtk_revealer_set_reveal_child (self->info_revealer, TRUE);
    }
}

static void
save_response (GtkNativeDialog *dialog,
               int              response,
               LabOutputWindow *self)
{
  g_autoptr(GFile) file = NULL;
  gsize len;
  const char *data;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL || self->saving != NULL)
    return;

  /* The bytes as the console sent them (escape sequences included, like `script`). */
  self->saving = lab_console_log_dup_bytes (self->log);
  data = g_bytes_get_data (self->saving, &len);
  g_file_replace_contents_async (file, data ? data : "", len, NULL, FALSE,
                                 G_FILE_CREATE_REPLACE_DESTINATION, NULL, saved_cb,
                                 g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LabOutputWindow *self = LAB_OUTPUT_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("%s-%s.log", lab_console_log_get_domain_name (self->log),
                                           stamp);

  dialog = gtk_file_chooser_native_new (_("Save Output"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
lab_output_window_dispose (GObject *object)
{
  LabOutputWindow *self = LAB_OUTPUT_WINDOW (object);

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_clear_object (&self->log);
  g_clear_object (&self->domain);
  g_clear_pointer (&self->saving, g_bytes_unref);

  G_OBJECT_CLASS (lab_output_window_parent_class)->dispose (object);
}

static void
lab_output_window_class_init (LabOutputWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_output_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/miragelab/MirageLab/"
                                               "lab-output-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabOutputWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LabOutputWindow, info_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabOutputWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, LabOutputWindow, terminal);
  gtk_widget_class_bind_template_child (widget_class, LabOutputWindow, scrollbar);

  gtk_widget_class_install_action (widget_class, "output.save", NULL, save_action);

  g_type_ensure (LAB_TYPE_TERMINAL);
}

static void
lab_output_window_init (LabOutputWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_scrollbar_set_adjustment (self->scrollbar,
                                gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->terminal)));
  /* The keyboard starts in the output (to scroll, select and copy it), not on Save. */
  lab_accessible_focus_on_map (GTK_WINDOW (self), GTK_WIDGET (self->terminal));

  /* Ctrl+S saves, Escape closes, wherever the focus is: ahead of the terminal, which would
   * take them as keys for a program (there is none). */
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();
    GtkShortcutController *controller = GTK_SHORTCUT_CONTROLLER (shortcuts);

    gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (controller,
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_s, GDK_CONTROL_MASK),
                        gtk_named_action_new ("output.save")));
    gtk_shortcut_controller_add_shortcut (controller,
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                        gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
}
