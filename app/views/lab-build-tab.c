/* lab-build-tab.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-build-tab"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"

#include "lab-build-tab.h"

/* While a build has printed no dune progress, the bar pulses this often. */
#define PULSE_MS 200

struct _LabBuildTab
{
  LabTab             parent_instance;

  LabBuildJob       *job;           /* the build itself; this tab only shows it */
  LabBuildStatus     status;        /* the job's, as last shown */
  char              *message;       /* the job's, bounded for the status bar and tooltip */
  guint              pulse_source;

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
  PROP_JOB,
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

static const char *
lab_build_tab_status_icon (LabBuildStatus status)
{
  switch (status)
    {
    case LAB_BUILD_STATUS_SUCCEEDED:
      return "object-select-symbolic";
    case LAB_BUILD_STATUS_FAILED:
      return "dialog-error-symbolic";
    case LAB_BUILD_STATUS_CANCELLED:
      return "process-stop-symbolic";
    case LAB_BUILD_STATUS_IDLE:
    case LAB_BUILD_STATUS_LOCATING:
    case LAB_BUILD_STATUS_RUNNING:
    default:
      return NULL;
    }
}

static gboolean
lab_build_tab_pulse_cb (gpointer user_data)
{
  LabBuildTab *self = user_data;

  /* Builds that print no dune progress (classic make) still show that they are alive. */
  if (lab_build_job_get_fraction (self->job) < 0)
    gtk_progress_bar_pulse (self->progress);
  return G_SOURCE_CONTINUE;
}

/* What only a change of status brings: the bar starts empty and pulses while the build
 * runs, and a stopped build says so in its log, as Ctrl-C in a terminal would. */
static void
lab_build_tab_status_changed (LabBuildTab *self)
{
  if (self->status == LAB_BUILD_STATUS_RUNNING)
    {
      gtk_progress_bar_set_fraction (self->progress, 0);
      if (self->pulse_source == 0)
        self->pulse_source = g_timeout_add (PULSE_MS, lab_build_tab_pulse_cb, self);
    }
  else
    g_clear_handle_id (&self->pulse_source, g_source_remove);
  if (self->status == LAB_BUILD_STATUS_CANCELLED)
    lab_terminal_feed_text (self->terminal, "^C\r\n");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/* Shows the job's status and message (both are set before either is told). */
static void
lab_build_tab_update (LabBuildTab *self)
{
  LabBuildStatus status = lab_build_job_get_status (self->job);
  gboolean busy = lab_build_status_is_busy (status);
  const char *icon = lab_build_tab_status_icon (status);
  /* Paths and error text from the remote side: bounded, valid UTF-8 (also for the tab's
   * tooltip, which shows it too). */
  g_autofree char *message = lab_text_for_display_lines (lab_build_job_get_message (self->job),
                                                         LAB_DISPLAY_MESSAGE_MAX);
  gboolean message_changed = g_strcmp0 (message, self->message) != 0;
  gboolean status_changed = status != self->status;

  g_free (self->message);
  self->message = g_steal_pointer (&message);
  self->status = status;
  gtk_label_set_text (self->status_label, self->message != NULL ? self->message : "");
  gtk_spinner_set_spinning (self->spinner, busy);
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_stack_set_visible_child_name (self->status_icon_stack, icon != NULL ? "icon" : "spinner");
  gtk_widget_set_visible (GTK_WIDGET (self->progress), status == LAB_BUILD_STATUS_RUNNING);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "build.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "build.again",
                                 !busy && status != LAB_BUILD_STATUS_IDLE);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->again_button),
                          !busy && status != LAB_BUILD_STATUS_IDLE);

  if (status_changed)
    lab_build_tab_status_changed (self);
  if (message_changed || status_changed)
    lab_tab_notify_message (LAB_TAB (self));
}

static void
lab_build_tab_job_cb (LabBuildTab *self)
{
  lab_build_tab_update (self);
}

static void
lab_build_tab_fraction_cb (LabBuildTab *self)
{
  double fraction = lab_build_job_get_fraction (self->job);

  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress, fraction);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

/* The terminal runs the build's channel: its output shows, and Ctrl-C and answers to
 * prompts go to the build, as in a terminal. */
static void
lab_build_tab_channel_cb (LabBuildTab *self)
{
  LabSshChannel *channel = lab_build_job_get_channel (self->job);

  if (channel != NULL)
    {
      /* Like a terminal prompt, so the log says what ran where. */
      g_autofree char *line = g_strdup_printf ("\033[1m%s$ %s\033[0m\r\n",
                                               lab_build_job_get_project (self->job),
                                               lab_build_job_get_command (self->job));

      lab_terminal_feed_text (self->terminal, line);
    }
  lab_terminal_set_channel (self->terminal, channel);
}

static void
lab_build_tab_finished_cb (LabBuildTab *self,
                           gboolean     succeeded)
{
  g_signal_emit (self, signals[FINISHED], 0, succeeded);
}

/* The next run's PTY starts at the terminal's size; the terminal resizes it later. */
static void
lab_build_tab_sync_size (LabBuildTab *self)
{
  guint columns, rows;

  lab_terminal_get_grid_size (self->terminal, &columns, &rows);
  lab_build_job_set_grid_size (self->job, columns, rows);
}

static void
lab_build_tab_size_changed_cb (LabBuildTab *self,
                               guint        columns,
                               guint        rows)
{
  lab_build_job_set_grid_size (self->job, columns, rows);
}

void
lab_build_tab_start (LabBuildTab *self)
{
  g_return_if_fail (LAB_IS_BUILD_TAB (self));

  lab_build_tab_sync_size (self);
  lab_build_job_start (self->job);
}

void
lab_build_tab_cancel (LabBuildTab *self)
{
  g_return_if_fail (LAB_IS_BUILD_TAB (self));

  lab_build_job_cancel (self->job);
}

static void
lab_build_tab_stop_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  lab_build_tab_cancel (LAB_BUILD_TAB (widget));
}

static void
lab_build_tab_again_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  LabBuildTab *self = LAB_BUILD_TAB (widget);

  lab_terminal_feed_text (self->terminal, "\r\n");
  lab_build_tab_sync_size (self);
  lab_build_job_rerun (self->job);
}

LabBuildTab *
lab_build_tab_new (LabHostConnection *connection,
                   const char        *domain_name,
                   const char        *config_path)
{
  g_autoptr(LabBuildJob) job = NULL;

  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (connection), NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);
  g_return_val_if_fail (config_path != NULL, NULL);

  job = lab_build_job_new (connection, config_path);
  return g_object_new (LAB_TYPE_BUILD_TAB,
                       "connection", connection,
                       "domain-name", domain_name,
                       "job", job,
                       NULL);
}

const char *
lab_build_tab_get_domain_name (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), NULL);
  return lab_tab_get_domain_name (LAB_TAB (self));
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
  return lab_build_job_get_project (self->job);
}

double
lab_build_tab_get_fraction (LabBuildTab *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_TAB (self), -1);
  return lab_build_job_get_fraction (self->job);
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
lab_build_tab_constructed (GObject *object)
{
  LabBuildTab *self = LAB_BUILD_TAB (object);

  G_OBJECT_CLASS (lab_build_tab_parent_class)->constructed (object);

  g_signal_connect_object (self->job, "notify::status", G_CALLBACK (lab_build_tab_job_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::message", G_CALLBACK (lab_build_tab_job_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::fraction",
                           G_CALLBACK (lab_build_tab_fraction_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::channel", G_CALLBACK (lab_build_tab_channel_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "finished", G_CALLBACK (lab_build_tab_finished_cb),
                           self, G_CONNECT_SWAPPED);
  /* A resize while the project is looked for reaches the PTY the build gets. */
  g_signal_connect_object (self->terminal, "size-changed",
                           G_CALLBACK (lab_build_tab_size_changed_cb), self, G_CONNECT_SWAPPED);
  lab_build_tab_update (self);
}

static void
lab_build_tab_dispose (GObject *object)
{
  LabBuildTab *self = LAB_BUILD_TAB (object);

  /* The build ends with its tab (its terminal hangs up). */
  if (self->job != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      lab_build_job_cancel (self->job);
    }
  g_clear_object (&self->job);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  if (self->terminal != NULL)
    lab_terminal_set_channel (self->terminal, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_BUILD_TAB);

  G_OBJECT_CLASS (lab_build_tab_parent_class)->dispose (object);
}

static void
lab_build_tab_finalize (GObject *object)
{
  LabBuildTab *self = LAB_BUILD_TAB (object);

  g_clear_pointer (&self->message, g_free);

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
    case PROP_JOB: g_value_set_object (value, self->job); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_FRACTION: g_value_set_double (value, lab_build_job_get_fraction (self->job)); break;
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
    case PROP_JOB:
      self->job = g_value_dup_object (value);
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

  object_class->constructed = lab_build_tab_constructed;
  object_class->dispose = lab_build_tab_dispose;
  object_class->finalize = lab_build_tab_finalize;
  object_class->get_property = lab_build_tab_get_property;
  object_class->set_property = lab_build_tab_set_property;

  tab_class->format_title = lab_build_tab_format_title;
  tab_class->get_message = lab_build_tab_get_tab_message;

  /* The build this tab shows (its connection is the tab's). */
  properties[PROP_JOB] = g_param_spec_object ("job", NULL, NULL, LAB_TYPE_BUILD_JOB, co);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LAB_TYPE_BUILD_STATUS,
                                               LAB_BUILD_STATUS_IDLE, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, -1, 1, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The build ended: TRUE when it succeeded. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-build-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, status_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, spinner);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, status_icon);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, status_label);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, progress);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, stop_button);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, again_button);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, terminal);
  gtk_widget_class_bind_template_child (widget_class, LabBuildTab, scrollbar);

  gtk_widget_class_install_action (widget_class, "build.stop", NULL,
                                   lab_build_tab_stop_action);
  gtk_widget_class_install_action (widget_class, "build.again", NULL,
                                   lab_build_tab_again_action);

  gtk_widget_class_set_css_name (widget_class, "build-tab");
}

static void
lab_build_tab_init (LabBuildTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  lab_tab_connect_terminal (LAB_TAB (self), self->terminal, self->scrollbar);
}
