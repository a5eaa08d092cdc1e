/* lab-build-tab.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-build-tab"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "lab-display-text.h"

#include "lab-build-tab.h"
#include "xen/lab-project.h"

G_DEFINE_ENUM_TYPE (LabBuildStatus, lab_build_status,
  G_DEFINE_ENUM_VALUE (LAB_BUILD_STATUS_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (LAB_BUILD_STATUS_LOCATING, "locating"),
  G_DEFINE_ENUM_VALUE (LAB_BUILD_STATUS_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (LAB_BUILD_STATUS_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (LAB_BUILD_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (LAB_BUILD_STATUS_CANCELLED, "cancelled"))

/* dune redraws its "Done: …" line with CRs; a line split between two chunks is read whole
 * from this much of the previous chunk. */
#define PROGRESS_TAIL 80

struct _LabBuildTab
{
  LabTab             parent_instance;

  char              *config_path;
  char              *project;
  char              *command;
  LabBuildStatus     status;
  char              *message;
  double             fraction;
  gint64             started_us;
  GString           *progress_tail;

  LabSshChannel     *channel;
  GCancellable      *cancellable;

  /* Template widgets */
  GtkStack          *status_icon_stack;
  GtkSpinner        *spinner;
  GtkImage          *status_icon;
  GtkLabel          *status_label;
  GtkProgressBar    *progress;
  GtkButton         *stop_button;
  GtkButton         *again_button;
  LabTerminal       *terminal;
  GtkScrollbar      *scrollbar;
};

G_DEFINE_FINAL_TYPE (LabBuildTab, lab_build_tab, LAB_TYPE_TAB)

enum {
  PROP_0,
  PROP_CONFIG_PATH,
  PROP_STATUS,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_busy (LabBuildStatus status)
{
  return status == LAB_BUILD_STATUS_LOCATING || status == LAB_BUILD_STATUS_RUNNING;
}

static void
lab_build_tab_set_status (LabBuildTab    *self,
                          LabBuildStatus  status,
                          const char     *message)
{
  const char *icon = NULL;

  g_free (self->message);
  /* Paths and error text from the remote side: bounded, valid UTF-8 (also for the tab's
   * tooltip, which shows it too). */
  self->message = lab_text_for_display_lines (message, LAB_DISPLAY_MESSAGE_MAX);
  gtk_label_set_text (self->status_label, self->message != NULL ? self->message : "");

  switch (status)
    {
    case LAB_BUILD_STATUS_SUCCEEDED:
      icon = "object-select-symbolic";
      break;
    case LAB_BUILD_STATUS_FAILED:
      icon = "dialog-error-symbolic";
      break;
    case LAB_BUILD_STATUS_CANCELLED:
      icon = "process-stop-symbolic";
      break;
    case LAB_BUILD_STATUS_IDLE:
    case LAB_BUILD_STATUS_LOCATING:
    case LAB_BUILD_STATUS_RUNNING:
    default:
      break;
    }
  gtk_spinner_set_spinning (self->spinner, is_busy (status));
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_stack_set_visible_child_name (self->status_icon_stack, icon != NULL ? "icon" : "spinner");
  gtk_widget_set_visible (GTK_WIDGET (self->progress), status == LAB_BUILD_STATUS_RUNNING);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "build.stop", is_busy (status));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "build.again",
                                 !is_busy (status) && status != LAB_BUILD_STATUS_IDLE);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), is_busy (status));
  gtk_widget_set_visible (GTK_WIDGET (self->again_button),
                          !is_busy (status) && status != LAB_BUILD_STATUS_IDLE);

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  lab_tab_notify_message (LAB_TAB (self));
}

static void
lab_build_tab_set_fraction (LabBuildTab *self,
                            double       fraction)
{
  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress, fraction);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static gboolean
pulse_cb (gpointer user_data)
{
  LabBuildTab *self = user_data;

  if (self->status != LAB_BUILD_STATUS_RUNNING)
    return G_SOURCE_REMOVE;
  /* Builds that print no dune progress (classic make) still show that they are alive. */
  if (self->fraction < 0)
    gtk_progress_bar_pulse (self->progress);
  return G_SOURCE_CONTINUE;
}

static void
clear_channel (LabBuildTab *self)
{
  if (self->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->channel, self);
      lab_terminal_set_channel (self->terminal, NULL);
      lab_ssh_channel_close (self->channel);
      g_clear_object (&self->channel);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
finish (LabBuildTab    *self,
        LabBuildStatus  status,
        const char     *message)
{
  clear_channel (self);
  lab_build_tab_set_status (self, status, message);
  g_signal_emit (self, signals[FINISHED], 0, status == LAB_BUILD_STATUS_SUCCEEDED);
}

static void
on_channel_data (LabBuildTab *self,
                 GBytes      *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  double fraction;

  /* The terminal shows it (see lab_terminal_set_channel); dune's progress is read here. */
  g_string_append_len (self->progress_tail, (const char *) data, len);
  fraction = lab_project_parse_progress (self->progress_tail->str, self->progress_tail->len);
  if (fraction >= 0)
    lab_build_tab_set_fraction (self, fraction);
  if (self->progress_tail->len > PROGRESS_TAIL)
    g_string_erase (self->progress_tail, 0, self->progress_tail->len - PROGRESS_TAIL);
}

static void
on_channel_closed (LabBuildTab   *self,
                   int            exit_status,
                   LabSshChannel *channel)
{
  const GError *error = lab_ssh_channel_get_error (channel);
  double seconds = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
  g_autofree char *message = NULL;

  if (error != NULL)
    {
      message = g_strdup_printf (_("The build stopped: %s"), error->message);
      finish (self, LAB_BUILD_STATUS_FAILED, message);
    }
  else if (exit_status == 0)
    {
      message = g_strdup_printf (_("Built in %.0f s (%s in %s)."), seconds, self->command,
                                 self->project);
      lab_build_tab_set_fraction (self, 1.0);
      finish (self, LAB_BUILD_STATUS_SUCCEEDED, message);
    }
  else
    {
      message = g_strdup_printf (_("The build failed (%s exited with status %d). The "
                                   "running domain was left alone."), self->command,
                                 exit_status);
      finish (self, LAB_BUILD_STATUS_FAILED, message);
    }
}

static void
channel_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LabBuildTab) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (lab_ssh_channel_start_finish (LAB_SSH_CHANNEL (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || LAB_SSH_CHANNEL (source) != self->channel)
    return;
  message = g_strdup_printf (_("Could not start the build: %s"), error->message);
  finish (self, LAB_BUILD_STATUS_FAILED, message);
}

static void
run_build (LabBuildTab    *self,
           LabProjectKind  kind)
{
  LabHostConnection *connection = lab_tab_get_connection (LAB_TAB (self));
  LabSshSession *session = lab_host_connection_get_session (connection);
  g_auto(GStrv) argv = lab_project_build_argv (kind);
  g_autofree char *line = NULL;
  g_autofree char *message = NULL;
  guint columns, rows;

  g_free (self->command);
  self->command = g_strdup (lab_project_build_command (kind));
  if (session == NULL)
    {
      finish (self, LAB_BUILD_STATUS_FAILED, _("Not connected to the host."));
      return;
    }

  /* Like a terminal prompt, so the log says what ran where. */
  line = g_strdup_printf ("\033[1m%s$ %s\033[0m\r\n", self->project, self->command);
  lab_terminal_feed_text (self->terminal, line);

  lab_terminal_get_grid_size (self->terminal, &columns, &rows);
  self->channel = lab_ssh_session_create_pty_channel (session, (const char * const *) argv,
                                                      LAB_SSH_EXEC_NONE, NULL, columns, rows);
  lab_ssh_channel_set_directory (self->channel, self->project);
  g_signal_connect_object (self->channel, "stdout-data", G_CALLBACK (on_channel_data), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel, "closed", G_CALLBACK (on_channel_closed), self,
                           G_CONNECT_SWAPPED);
  /* Ctrl-C and answers to prompts go to the build, as in a terminal. */
  lab_terminal_set_channel (self->terminal, self->channel);

  self->started_us = g_get_monotonic_time ();
  g_string_truncate (self->progress_tail, 0);
  lab_build_tab_set_fraction (self, -1);
  gtk_progress_bar_set_fraction (self->progress, 0);
  message = g_strdup_printf (_("Building: %s in %s"), self->command, self->project);
  lab_build_tab_set_status (self, LAB_BUILD_STATUS_RUNNING, message);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 200, pulse_cb, g_object_ref (self), g_object_unref);
  lab_ssh_channel_start_async (self->channel, self->cancellable, channel_started_cb,
                               g_object_ref (self));
}

static void
located_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LabBuildTab) self = user_data;
  g_autoptr(GError) error = NULL;
  LabProjectKind kind;
  g_autofree char *project = NULL;

  project = lab_project_locate_finish (LAB_SSH_SESSION (source), result, &kind, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (project == NULL)
    {
      finish (self, LAB_BUILD_STATUS_FAILED, error->message);
      return;
    }
  g_free (self->project);
  self->project = g_steal_pointer (&project);
  run_build (self, kind);
}

void
lab_build_tab_start (LabBuildTab *self)
{
  LabHostConnection *connection;
  LabSshSession *session;
  g_autofree char *message = NULL;

  g_return_if_fail (LAB_IS_BUILD_TAB (self));

  if (is_busy (self->status))
    return;
  clear_channel (self);
  connection = lab_tab_get_connection (LAB_TAB (self));
  session = lab_host_connection_get_session (connection);
  if (session == NULL
      || lab_host_connection_get_state (connection) != LAB_CONNECTION_STATE_CONNECTED)
    {
      finish (self, LAB_BUILD_STATUS_FAILED, _("Not connected to the host."));
      return;
    }

  self->cancellable = g_cancellable_new ();
  message = g_strdup_printf (_("Looking for the Mirage project of %s…"), self->config_path);
  lab_build_tab_set_status (self, LAB_BUILD_STATUS_LOCATING, message);
  lab_project_locate_async (session, self->config_path, self->cancellable, located_cb,
                            g_object_ref (self));
}

void
lab_build_tab_cancel (LabBuildTab *self)
{
  g_return_if_fail (LAB_IS_BUILD_TAB (self));

  if (!is_busy (self->status))
    return;
  /* Closing the channel hangs up the build's terminal: make and dune stop on SIGHUP. */
  lab_terminal_feed_text (self->terminal, "^C\r\n");
  finish (self, LAB_BUILD_STATUS_CANCELLED, _("Build stopped."));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  lab_build_tab_cancel (LAB_BUILD_TAB (widget));
}

static void
again_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LabBuildTab *self = LAB_BUILD_TAB (widget);

  lab_terminal_feed_text (self->terminal, "\r\n");
  lab_build_tab_start (self);
}

LabBuildTab *
lab_build_tab_new (LabHostConnection *connection,
                   const char        *domain_name,
                   const char        *config_path)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (connection), NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);
  g_return_val_if_fail (config_path != NULL, NULL);

  return g_object_new (LAB_TYPE_BUILD_TAB,
                       "connection", connection,
                       "domain-name", domain_name,
                       "config-path", config_path,
                       NULL);
}

const char *
lab_build_tab_get_domain_name (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), NULL);
  return lab_tab_get_domain_name (LAB_TAB (self));
}

const char *
lab_build_tab_get_config_path (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), NULL);
  return self->config_path;
}

LabBuildStatus
lab_build_tab_get_status (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), LAB_BUILD_STATUS_IDLE);
  return self->status;
}

const char *
lab_build_tab_get_message (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), NULL);
  return lab_tab_get_message (LAB_TAB (self));
}

const char *
lab_build_tab_get_project (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), NULL);
  return self->project;
}

double
lab_build_tab_get_fraction (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), -1);
  return self->fraction;
}

LabTerminal *
lab_build_tab_get_terminal (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), NULL);
  return lab_tab_get_terminal (LAB_TAB (self));
}

static char *
lab_build_tab_format_title (LabTab     *tab,
                            const char *name)
{
  /* Translators: the tab of a build; %s is the domain's name. */
  return g_strdup_printf (_("Build %s"), name);
}

static const char *
lab_build_tab_get_tab_message (LabTab *tab)
{
  return LAB_BUILD_TAB (tab)->message;
}

static void
lab_build_tab_dispose (GObject *object)
{
  LabBuildTab *self = LAB_BUILD_TAB (object);

  clear_channel (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_BUILD_TAB);

  G_OBJECT_CLASS (lab_build_tab_parent_class)->dispose (object);
}

static void
lab_build_tab_finalize (GObject *object)
{
  LabBuildTab *self = LAB_BUILD_TAB (object);

  g_clear_pointer (&self->config_path, g_free);
  g_clear_pointer (&self->project, g_free);
  g_clear_pointer (&self->command, g_free);
  g_clear_pointer (&self->message, g_free);
  g_string_free (self->progress_tail, TRUE);

  G_OBJECT_CLASS (lab_build_tab_parent_class)->finalize (object);
}

static void
lab_build_tab_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabBuildTab *self = LAB_BUILD_TAB (object);

  switch (prop_id)
    {
    case PROP_CONFIG_PATH: g_value_set_string (value, self->config_path); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_FRACTION: g_value_set_double (value, self->fraction); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_build_tab_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabBuildTab *self = LAB_BUILD_TAB (object);

  switch (prop_id)
    {
    case PROP_CONFIG_PATH:
      self->config_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_build_tab_class_init (LabBuildTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabTabClass *tab_class = LAB_TAB_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lab_build_tab_dispose;
  object_class->finalize = lab_build_tab_finalize;
  object_class->get_property = lab_build_tab_get_property;
  object_class->set_property = lab_build_tab_set_property;

  tab_class->format_title = lab_build_tab_format_title;
  tab_class->get_message = lab_build_tab_get_tab_message;

  properties[PROP_CONFIG_PATH] = g_param_spec_string ("config-path", NULL, NULL, NULL, co);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LAB_TYPE_BUILD_STATUS,
                                               LAB_BUILD_STATUS_IDLE, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, -1, 1, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The build ended: TRUE when it succeeded. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/miragelab/MirageLab/"
                                               "lab-build-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, status_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, spinner);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, status_icon);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, status_label);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, progress);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, stop_button);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, again_button);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, terminal);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, scrollbar);

  gtk_widget_class_install_action (widget_class, "build.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "build.again", NULL, again_action);

  gtk_widget_class_set_css_name (widget_class, "build-tab");
}

static void
lab_build_tab_init (LabBuildTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fraction = -1;
  self->progress_tail = g_string_new (NULL);
  lab_tab_connect_terminal (LAB_TAB (self), self->terminal, self->scrollbar);
  lab_build_tab_set_status (self, LAB_BUILD_STATUS_IDLE, NULL);
}
