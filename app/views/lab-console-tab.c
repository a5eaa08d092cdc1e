/* lab-console-tab.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-console-tab"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-display-text.h"
#include "views/lab-accessible.h"


#include "lab-console-tab.h"

struct _LabConsoleTab
{
  LabTab                parent_instance;

  LabConsoleAttachment *attachment;   /* the console itself; this tab only shows it */

  /* Template widgets */
  GtkRevealer          *status_revealer;
  GtkImage             *status_icon;
  GtkLabel             *status_label;
  GtkCheckButton       *reattach_check;
  GtkButton            *reconnect_button;
  GtkButton            *unpause_button;
  GtkButton            *destroy_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  LabTerminal          *terminal;
  GtkScrollbar         *scrollbar;
};

G_DEFINE_FINAL_TYPE (LabConsoleTab, lab_console_tab, LAB_TYPE_TAB)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_REATTACH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

LabConsoleTab *
lab_console_tab_new (LabHostConnection *connection,
                     const char        *domain_name)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (connection), NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);

  return g_object_new (LAB_TYPE_CONSOLE_TAB,
                       "connection", connection,
                       "domain-name", domain_name,
                       NULL);
}

static char *
lab_console_tab_status_text (LabConsoleTab *self,
                             const char   **icon)
{
  LabConsoleAttachment *attachment = self->attachment;
  const char *name = lab_tab_get_domain_name (LAB_TAB (self));
  LabDomain *domain = lab_console_attachment_get_domain (attachment);
  const char *message = lab_console_attachment_get_message (attachment);
  const char *end = domain ? lab_domain_get_end_summary (domain) : NULL;

  switch (lab_console_attachment_get_status (attachment))
    {
    case LAB_CONSOLE_STATUS_CONNECTING:
      *icon = "content-loading-symbolic";
      return message ? g_strdup (message)
                     : g_strdup_printf (_("Attaching to the console of %s…"), name);
    case LAB_CONSOLE_STATUS_LIVE:
      if (!lab_console_attachment_get_preserved (attachment) || end == NULL)
        return NULL;
      *icon = "dialog-warning-symbolic";
      /* Translators: %s is the domain, then how it ended ("Crashed (preserved) — …") */
      return g_strdup_printf (_("%s: %s. It is kept for inspection; destroy it when done."),
                              name, end);
    case LAB_CONSOLE_STATUS_DETACHED:
      *icon = "network-offline-symbolic";
      return message ? g_strdup_printf (_("Console detached: %s"), message)
                     : g_strdup (_("Console detached. The domain may still be running."));
    case LAB_CONSOLE_STATUS_DOMAIN_GONE:
      *icon = "system-shutdown-symbolic";
      if (end != NULL)
        /* Translators: %s is the domain, then how it ended ("Crashed — 0.2 s after start") */
        return g_strdup_printf (_("%s has stopped: %s. Its output is kept above."), name, end);
      return g_strdup_printf (_("%s has stopped. Its output is kept above."), name);
    case LAB_CONSOLE_STATUS_FAILED:
      *icon = "dialog-error-symbolic";
      if (lab_console_attachment_get_left_paused (attachment)
          && lab_console_attachment_get_paused (attachment))
        /* Translators: the first %s is why (e.g. "xl console ended"), the second the domain */
        return g_strdup_printf (_("Could not attach to the console (%s). %s is paused and "
                                  "has not run yet: reconnect, unpause it to run it without "
                                  "a console, or destroy it."),
                                message ? message : _("unknown error"), name);
      return g_strdup_printf (_("Could not attach to the console: %s"),
                              message ? message : _("unknown error"));
    default:
      g_assert_not_reached ();
    }
}

static void
lab_console_tab_update (LabConsoleTab *self)
{
  LabConsoleAttachment *attachment = self->attachment;
  LabConsoleStatus status = lab_console_attachment_get_status (attachment);
  gboolean settled = status != LAB_CONSOLE_STATUS_CONNECTING;
  gboolean paused = lab_console_attachment_get_paused (attachment);
  const char *icon = NULL;
  g_autofree char *words = lab_console_tab_status_text (self, &icon);
  /* It can quote xl or dom0. */
  g_autofree char *text = lab_text_for_display_lines (words, LAB_DISPLAY_MESSAGE_MAX);

  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_revealer_set_reveal_child (self->status_revealer, text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reconnect_button),
                          settled && status != LAB_CONSOLE_STATUS_LIVE);
  gtk_widget_set_visible (GTK_WIDGET (self->unpause_button), paused && settled);
  gtk_widget_set_visible (GTK_WIDGET (self->destroy_button),
                          settled && (lab_console_attachment_get_preserved (attachment)
                                      || (lab_console_attachment_get_left_paused (attachment)
                                          && paused)));
  /* Keys typed into a console that is not there would be lost silently. */
  vte_terminal_set_input_enabled (VTE_TERMINAL (self->terminal),
                                  lab_console_attachment_get_accepts_input (attachment));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.reconnect",
                                 settled && status != LAB_CONSOLE_STATUS_LIVE);
}

static void
lab_console_tab_status_cb (LabConsoleTab *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
lab_console_tab_message_cb (LabConsoleTab *self)
{
  lab_tab_notify_message (LAB_TAB (self));
}

static void
lab_console_tab_reattach_cb (LabConsoleTab *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REATTACH]);
}

static void
lab_console_tab_channel_cb (LabConsoleTab *self)
{
  lab_terminal_set_channel (self->terminal, lab_console_attachment_get_channel (self->attachment));
}

static void
lab_console_tab_note_cb (LabConsoleTab *self,
                         const char    *words)
{
  g_autofree char *note = g_strdup_printf ("\r\n[%s]\r\n", words);

  lab_terminal_feed_text (self->terminal, note);
}

static void
lab_console_tab_output_cb (LabConsoleTab *self,
                           GBytes        *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  lab_terminal_feed_console (self->terminal, data, len);
}

static void
lab_console_tab_show_problem (LabConsoleTab *self,
                              const char    *words)
{
  g_autofree char *text = lab_text_for_display_lines (words, LAB_DISPLAY_MESSAGE_MAX);

  gtk_label_set_text (self->status_label, text);
  gtk_revealer_set_reveal_child (self->status_revealer, TRUE);
}

/* The next attach's PTY starts at the terminal's size; the terminal resizes it later. */
static void
lab_console_tab_sync_size (LabConsoleTab *self)
{
  guint columns, rows;

  lab_terminal_get_grid_size (self->terminal, &columns, &rows);
  lab_console_attachment_set_grid_size (self->attachment, columns, rows);
}

void
lab_console_tab_attach (LabConsoleTab *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_TAB (self));

  lab_console_tab_sync_size (self);
  lab_console_attachment_attach (self->attachment);
}

void
lab_console_tab_create_and_attach (LabConsoleTab *self,
                                   const char    *config_path)
{
  g_return_if_fail (LAB_IS_CONSOLE_TAB (self));
  g_return_if_fail (config_path != NULL);

  lab_console_tab_sync_size (self);
  lab_console_attachment_create_and_attach (self->attachment, config_path);
}

void
lab_console_tab_detach (LabConsoleTab *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_TAB (self));

  lab_console_attachment_detach (self->attachment);
}

/* ---- actions ------------------------------------------------------------------------ */

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (widget);

  lab_console_tab_sync_size (self);
  lab_console_attachment_reconnect (self->attachment);
}

static void
unpause_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  lab_console_attachment_unpause (LAB_CONSOLE_TAB (widget)->attachment);
}

static void
destroy_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  lab_console_attachment_destroy_domain (LAB_CONSOLE_TAB (widget)->attachment);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
find_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean found;

  if (text == NULL || *text == '\0')
    return;
  found = lab_terminal_find (self->terminal, text,
                             g_str_equal (action_name, "console.find-previous"));
  if (found)
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
}

static void
on_search_changed (LabConsoleTab *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "console.find-previous", NULL);
}

static void
save_response (GtkNativeDialog *dialog,
               int              response,
               LabConsoleTab   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL)
    return;

  contents = lab_terminal_dup_contents (self->terminal);
  /* Small enough to write at once; g_file_replace_contents keeps a backup-free atomic
   * replace of an existing file. */
  if (!g_file_replace_contents (file, contents, strlen (contents), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the console output: %s"),
                                                  error->message);

      lab_console_tab_show_problem (self, message);
    }
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  dialog = gtk_file_chooser_native_new (_("Save Console Output"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("%s-%s.log", lab_tab_get_domain_name (LAB_TAB (self)), stamp);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- GObject ------------------------------------------------------------------------ */

const char *
lab_console_tab_get_domain_name (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), NULL);
  return lab_tab_get_domain_name (LAB_TAB (self));
}

LabConsoleStatus
lab_console_tab_get_status (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), LAB_CONSOLE_STATUS_FAILED);
  return lab_console_attachment_get_status (self->attachment);
}

static const char *
lab_console_tab_get_tab_message (LabTab *tab)
{
  return lab_console_attachment_get_message (LAB_CONSOLE_TAB (tab)->attachment);
}

const char *
lab_console_tab_get_status_text (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->status_revealer))
    return "";
  return gtk_label_get_text (self->status_label);
}

const char *
lab_console_tab_get_title (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), NULL);
  return lab_tab_get_title (LAB_TAB (self));
}

LabTerminal *
lab_console_tab_get_terminal (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), NULL);
  return lab_tab_get_terminal (LAB_TAB (self));
}

gboolean
lab_console_tab_get_reattach (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), FALSE);
  return lab_console_attachment_get_reattach (self->attachment);
}

void
lab_console_tab_set_reattach (LabConsoleTab *self,
                              gboolean       reattach)
{
  g_return_if_fail (LAB_IS_CONSOLE_TAB (self));

  lab_console_attachment_set_reattach (self->attachment, reattach);
}

static char *
lab_console_tab_format_title (LabTab     *tab,
                              const char *name)
{
  LabHost *host = lab_host_connection_get_host (lab_tab_get_connection (tab));
  g_autofree char *host_name = lab_text_for_display (lab_host_get_name (host),
                                                     LAB_DISPLAY_NAME_MAX);

  return g_strdup_printf ("%s — %s", name, host_name);
}

static void
lab_console_tab_constructed (GObject *object)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (object);

  G_OBJECT_CLASS (lab_console_tab_parent_class)->constructed (object);

  self->attachment = lab_console_attachment_new (lab_tab_get_connection (LAB_TAB (self)),
                                                 lab_tab_get_domain_name (LAB_TAB (self)));
  g_signal_connect_object (self->attachment, "changed", G_CALLBACK (lab_console_tab_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attachment, "notify::status",
                           G_CALLBACK (lab_console_tab_status_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attachment, "notify::message",
                           G_CALLBACK (lab_console_tab_message_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attachment, "notify::channel",
                           G_CALLBACK (lab_console_tab_channel_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attachment, "note", G_CALLBACK (lab_console_tab_note_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attachment, "output", G_CALLBACK (lab_console_tab_output_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attachment, "action-failed",
                           G_CALLBACK (lab_console_tab_show_problem), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->attachment, "reattach", self->reattach_check, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->attachment, "notify::reattach",
                           G_CALLBACK (lab_console_tab_reattach_cb), self, G_CONNECT_SWAPPED);
  lab_console_tab_update (self);
}

static void
lab_console_tab_dispose (GObject *object)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (object);

  /* The console ends with its tab; the domain keeps running. */
  if (self->attachment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->attachment, self);
      lab_console_attachment_detach (self->attachment);
    }
  lab_terminal_set_channel (self->terminal, NULL);
  g_clear_object (&self->attachment);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_CONSOLE_TAB);

  G_OBJECT_CLASS (lab_console_tab_parent_class)->dispose (object);
}

static void
lab_console_tab_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (object);

  switch (prop_id)
    {
    case PROP_STATUS: g_value_set_enum (value, lab_console_tab_get_status (self)); break;
    case PROP_REATTACH: g_value_set_boolean (value, lab_console_tab_get_reattach (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_console_tab_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (object);

  switch (prop_id)
    {
    case PROP_REATTACH:
      lab_console_tab_set_reattach (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_console_tab_class_init (LabConsoleTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabTabClass *tab_class = LAB_TAB_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lab_console_tab_constructed;
  object_class->dispose = lab_console_tab_dispose;
  object_class->get_property = lab_console_tab_get_property;
  object_class->set_property = lab_console_tab_set_property;

  tab_class->format_title = lab_console_tab_format_title;
  tab_class->get_message = lab_console_tab_get_tab_message;

  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LAB_TYPE_CONSOLE_STATUS,
                                               LAB_CONSOLE_STATUS_CONNECTING, ro);
  properties[PROP_REATTACH] =
    g_param_spec_boolean ("reattach", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/miragelab/MirageLab/"
                                               "lab-console-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, status_icon);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, status_label);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, reattach_check);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, unpause_button);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, destroy_button);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, terminal);
  gtk_widget_class_bind_template_child (widget_class, LabConsoleTab, scrollbar);

  gtk_widget_class_install_action (widget_class, "console.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "console.unpause", NULL, unpause_action);
  gtk_widget_class_install_action (widget_class, "console.destroy", NULL, destroy_action);
  gtk_widget_class_install_action (widget_class, "console.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "console.find-next", NULL, find_step_action);
  gtk_widget_class_install_action (widget_class, "console.find-previous", NULL,
                                   find_step_action);
  gtk_widget_class_install_action (widget_class, "console.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "console.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "console.save", NULL);

  gtk_widget_class_set_css_name (widget_class, "console-tab");
}

static void
lab_console_tab_init (LabConsoleTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  lab_tab_connect_terminal (LAB_TAB (self), self->terminal, self->scrollbar);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  lab_accessible_name_icon_button (GTK_WIDGET (self->search_bar), "window-close-symbolic",
                                   _("Close Find Bar"));
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
}
