/* lab-check-window.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-check-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"
#include "views/lab-check-row.h"
#include "views/lab-plain-text.h"

#include "lab-check-window.h"

struct _LabCheckWindow
{
  AdwWindow          parent_instance;

  LabHostConnection *connection;
  LabHostCheck      *check;
  GCancellable      *cancellable;

  /* Template widgets */
  AdwWindowTitle    *title;
  GtkButton         *rerun_button;
  GtkSpinner        *spinner;
  AdwToastOverlay   *toast_overlay;
  GtkStack          *stack;
  GtkLabel          *summary_label;
  GtkListBox        *list;
  AdwStatusPage     *error_page;
  GtkButton         *connect_button;
};

G_DEFINE_FINAL_TYPE (LabCheckWindow, lab_check_window, ADW_TYPE_WINDOW)

static void lab_check_window_run (LabCheckWindow *self);

/* The row follows its result by itself. */
static GtkWidget *
lab_check_window_create_row (gpointer item,
                             gpointer user_data)
{
  return lab_check_row_new (LAB_CHECK_RESULT (item));
}

static void
update_summary (LabCheckWindow *self)
{
  GListModel *results = lab_host_check_get_results (self->check);
  guint failed = 0, warnings = 0;
  g_autofree char *text = NULL;

  if (lab_host_check_get_running (self->check))
    {
      g_autofree char *name = lab_text_for_display (
        lab_host_get_name (lab_host_connection_get_host (self->connection)),
        LAB_DISPLAY_NAME_MAX);

      text = g_strdup_printf (_("Checking %s…"), name);
      gtk_label_set_text (self->summary_label, text);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(LabCheckResult) result = g_list_model_get_item (results, i);

      if (lab_check_result_get_status (result) == LAB_CHECK_STATUS_FAILED)
        failed++;
      else if (lab_check_result_get_status (result) == LAB_CHECK_STATUS_WARNING)
        warnings++;
    }
  if (failed > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem found",
                                         "%u problems found", failed), failed);
  else if (warnings > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No problems, %u warning",
                                         "No problems, %u warnings", warnings), warnings);
  else
    text = g_strdup (_("No problems found"));
  gtk_label_set_text (self->summary_label, text);
}

static void
on_running (LabCheckWindow *self)
{
  gboolean running = lab_host_check_get_running (self->check);

  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "check.rerun", !running);
  update_summary (self);
}

/* Where the keyboard starts, and goes when the page changes: the first check, so that the
 * checks are read one by one, or the not-connected page's Connect button. Only once the
 * window is shown: a focus set before confuses GTK 4.8's accessibility tree (see
 * lab_accessible_focus_on_map()). */
static void
lab_check_window_focus_page (LabCheckWindow *self)
{
  GtkWidget *target = NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "results") == 0)
    target = GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, 0));
  else if (gtk_widget_get_visible (GTK_WIDGET (self->connect_button)))
    target = GTK_WIDGET (self->connect_button);
  if (target != NULL)
    gtk_widget_grab_focus (target);
}

static void
show_error (LabCheckWindow *self,
            const char     *icon_name,
            const char     *title,
            const char     *description,
            gboolean        offer_connect)
{
  adw_status_page_set_icon_name (self->error_page, icon_name);
  adw_status_page_set_title (self->error_page, title);
  lab_plain_set_status_description (self->error_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->connect_button), offer_connect);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(LabCheckWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (lab_host_check_run_finish (LAB_HOST_CHECK (source), result, &error))
    {
      update_summary (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    lab_check_window_run (self);   /* says so, with the connect button */
  else
    show_error (self, "dialog-error-symbolic", _("Could Not Check the Host"), error->message,
                FALSE);
}

static void
lab_check_window_run (LabCheckWindow *self)
{
  LabHost *host = lab_host_connection_get_host (self->connection);
  g_autofree char *name = lab_text_for_display (lab_host_get_name (host), LAB_DISPLAY_NAME_MAX);

  if (lab_host_check_get_running (self->check))
    return;
  if (lab_host_connection_get_state (self->connection) != LAB_CONNECTION_STATE_CONNECTED)
    {
      LabConnectionState state = lab_host_connection_get_state (self->connection);
      g_autofree char *description = NULL;
      gboolean connecting = state == LAB_CONNECTION_STATE_CONNECTING
                            || state == LAB_CONNECTION_STATE_RECONNECTING;

      if (connecting)
        description = g_strdup_printf (_("Connecting to %s. The check starts once the "
                                         "connection is up."), name);
      else if (lab_host_connection_get_message (self->connection) != NULL)
        description = g_strdup_printf (_("Mirage Lab is not connected to %s (%s). Connect to "
                                         "check it."), name,
                                       lab_host_connection_get_message (self->connection));
      else
        description = g_strdup_printf (_("Mirage Lab is not connected to %s. Connect to check "
                                         "it."), name);
      show_error (self, "network-offline-symbolic", _("Not Connected"), description,
                  !connecting);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "results");
  lab_host_check_set_leases_path (self->check, lab_host_get_leases_path (host));
  lab_host_check_set_bridge (self->check, lab_host_get_bridge (host));
  lab_host_check_set_direct_probes (self->check, !lab_host_get_web_through_ssh (host));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  lab_host_check_run_async (self->check, lab_host_connection_get_session (self->connection),
                            lab_host_connection_get_domains (self->connection),
                            self->cancellable, run_cb, g_object_ref (self));
}

static void
on_connection_state (LabCheckWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* Waiting for a connection: check as soon as it is there. A run under way is left to
   * finish; its rows show what the lost connection did to it. */
  if (g_strcmp0 (page, "error") == 0)
    lab_check_window_run (self);
}

static void
rerun_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  lab_check_window_run (LAB_CHECK_WINDOW (widget));
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LabCheckWindow *self = LAB_CHECK_WINDOW (widget);

  lab_host_connection_connect (self->connection);
  lab_check_window_run (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LabCheckWindow *self = LAB_CHECK_WINDOW (widget);
  const char *command = g_variant_get_string (parameter, NULL);

  if (*command == '\0')
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  /* Plain text like every toast: a translation may well contain "&". */
  adw_toast_overlay_add_toast (self->toast_overlay, lab_plain_toast_new (_("Command copied")));
}

LabCheckWindow *
lab_check_window_new (GtkWindow         *parent,
                      LabHostConnection *connection)
{
  LabCheckWindow *self;
  LabHost *host;
  g_autofree char *name = NULL;

  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (connection), NULL);

  self = g_object_new (LAB_TYPE_CHECK_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->connection = g_object_ref (connection);
  host = lab_host_connection_get_host (connection);
  name = lab_text_for_display (lab_host_get_name (host), LAB_DISPLAY_NAME_MAX);
  adw_window_title_set_subtitle (self->title, name);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (on_connection_state),
                           self, G_CONNECT_SWAPPED);
  lab_check_window_run (self);
  return self;
}

LabHostCheck *
lab_check_window_get_check (LabCheckWindow *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_WINDOW (self), NULL);
  return self->check;
}

const char *
lab_check_window_get_page (LabCheckWindow *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
lab_check_window_dispose (GObject *object)
{
  LabCheckWindow *self = LAB_CHECK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->check);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_CHECK_WINDOW);

  G_OBJECT_CLASS (lab_check_window_parent_class)->dispose (object);
}

static void
lab_check_window_class_init (LabCheckWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_check_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-check-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, title);
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, rerun_button);
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, list);
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, LabCheckWindow, connect_button);

  gtk_widget_class_install_action (widget_class, "check.rerun", NULL, rerun_action);
  gtk_widget_class_install_action (widget_class, "check.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "check.copy", "s", copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "check.rerun", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lab_check_window_init (LabCheckWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->check = lab_host_check_new ();
  gtk_list_box_bind_model (self->list, lab_host_check_get_results (self->check),
                           lab_check_window_create_row, NULL, NULL);
  g_signal_connect_object (self->check, "notify::running", G_CALLBACK (on_running), self,
                           G_CONNECT_SWAPPED);
  on_running (self);
  g_signal_connect (self, "map", G_CALLBACK (lab_check_window_focus_page), NULL);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (lab_check_window_focus_page), self, G_CONNECT_SWAPPED);
}
