/* lab-build-job.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-build-job"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ssh/lab-ssh-session.h"
#include "xen/lab-project.h"

#include "lab-build-job.h"

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

struct _LabBuildJob
{
  GObject            parent_instance;

  LabHostConnection *connection;
  char              *config_path;
  LabBuildStatus     status;
  char              *message;
  char              *project;
  char              *command;
  double             fraction;
  int                exit_status;
  gint64             started_us;     /* monotonic µs, when the channel was opened */
  GString           *progress_tail;
  guint              columns;
  guint              rows;

  LabSshChannel     *channel;
  GCancellable      *cancellable;    /* the locate's, then the channel's start */
};

G_DEFINE_FINAL_TYPE (LabBuildJob, lab_build_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_CONFIG_PATH,
  PROP_STATUS,
  PROP_MESSAGE,
  PROP_PROJECT,
  PROP_COMMAND,
  PROP_FRACTION,
  PROP_EXIT_STATUS,
  PROP_CHANNEL,
  N_PROPS
};

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

gboolean
lab_build_status_is_busy (LabBuildStatus status)
{
  return status == LAB_BUILD_STATUS_LOCATING || status == LAB_BUILD_STATUS_RUNNING;
}

LabBuildJob *
lab_build_job_new (LabHostConnection *connection,
                   const char        *config_path)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (connection), NULL);
  g_return_val_if_fail (config_path != NULL, NULL);

  return g_object_new (LAB_TYPE_BUILD_JOB,
                       "connection", connection,
                       "config-path", config_path,
                       NULL);
}

/* Both change before either is told, so whoever follows one reads the other right. */
static void
lab_build_job_set_status (LabBuildJob    *self,
                          LabBuildStatus  status,
                          const char     *message)
{
  gboolean status_changed = self->status != status;
  gboolean message_changed = g_strcmp0 (self->message, message) != 0;

  self->status = status;
  if (message_changed)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  if (status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  if (message_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
lab_build_job_set_fraction (LabBuildJob *self,
                            double       fraction)
{
  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
lab_build_job_set_exit_status (LabBuildJob *self,
                               int          exit_status)
{
  if (exit_status == self->exit_status)
    return;
  self->exit_status = exit_status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_STATUS]);
}

static void
lab_build_job_set_string (LabBuildJob  *self,
                          char        **field,
                          const char   *value,
                          guint         prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
lab_build_job_clear_channel (LabBuildJob *self)
{
  LabSshChannel *channel = g_steal_pointer (&self->channel);

  if (channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (channel, self);
      /* Whoever shows the channel lets go of it before it closes, so nothing of the
       * hang-up reaches the terminal. */
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
      lab_ssh_channel_close (channel);
      g_object_unref (channel);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
lab_build_job_finish (LabBuildJob    *self,
                      LabBuildStatus  status,
                      const char     *message)
{
  lab_build_job_clear_channel (self);
  lab_build_job_set_status (self, status, message);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, status == LAB_BUILD_STATUS_SUCCEEDED);
}

static void
lab_build_job_channel_data_cb (LabBuildJob *self,
                               GBytes      *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  double fraction;

  /* Whoever shows the channel shows the bytes too; dune's progress is read here. */
  g_string_append_len (self->progress_tail, (const char *) data, len);
  fraction = lab_project_parse_progress (self->progress_tail->str, self->progress_tail->len);
  if (fraction >= 0)
    lab_build_job_set_fraction (self, fraction);
  if (self->progress_tail->len > PROGRESS_TAIL)
    g_string_erase (self->progress_tail, 0, self->progress_tail->len - PROGRESS_TAIL);
}

static void
lab_build_job_channel_closed_cb (LabBuildJob   *self,
                                 int            exit_status,
                                 LabSshChannel *channel)
{
  const GError *error = lab_ssh_channel_get_error (channel);
  double seconds = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
  g_autofree char *message = NULL;

  if (error != NULL)
    {
      message = g_strdup_printf (_("The build stopped: %s"), error->message);
      lab_build_job_finish (self, LAB_BUILD_STATUS_FAILED, message);
      return;
    }

  lab_build_job_set_exit_status (self, exit_status);
  if (exit_status == 0)
    {
      message = g_strdup_printf (_("Built in %.0f s (%s in %s)."), seconds, self->command,
                                 self->project);
      lab_build_job_set_fraction (self, 1.0);
      lab_build_job_finish (self, LAB_BUILD_STATUS_SUCCEEDED, message);
    }
  else
    {
      message = g_strdup_printf (_("The build failed (%s exited with status %d). The "
                                   "running domain was left alone."), self->command,
                                 exit_status);
      lab_build_job_finish (self, LAB_BUILD_STATUS_FAILED, message);
    }
}

static void
lab_build_job_channel_started_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(LabBuildJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (lab_ssh_channel_start_finish (LAB_SSH_CHANNEL (source), result, &error))
    return;
  /* A channel this job has already let go of (cancelled, or run again) says nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || LAB_SSH_CHANNEL (source) != self->channel)
    return;
  message = g_strdup_printf (_("Could not start the build: %s"), error->message);
  lab_build_job_finish (self, LAB_BUILD_STATUS_FAILED, message);
}

static void
lab_build_job_run (LabBuildJob    *self,
                   LabProjectKind  kind)
{
  LabSshSession *session = lab_host_connection_get_session (self->connection);
  g_auto(GStrv) argv = lab_project_build_argv (kind);
  g_autofree char *message = NULL;

  lab_build_job_set_string (self, &self->command, lab_project_build_command (kind),
                            PROP_COMMAND);
  if (session == NULL)
    {
      lab_build_job_finish (self, LAB_BUILD_STATUS_FAILED, _("Not connected to the host."));
      return;
    }

  /* A PTY, as in a terminal: dune and make print their progress for one, and Ctrl-C and
   * answers to prompts reach the build. */
  self->channel = lab_ssh_session_create_pty_channel (session, (const char * const *) argv,
                                                      LAB_SSH_EXEC_NONE, NULL,
                                                      self->columns, self->rows);
  lab_ssh_channel_set_directory (self->channel, self->project);
  g_signal_connect_object (self->channel, "stdout-data",
                           G_CALLBACK (lab_build_job_channel_data_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel, "closed",
                           G_CALLBACK (lab_build_job_channel_closed_cb), self,
                           G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);

  self->started_us = g_get_monotonic_time ();
  g_string_truncate (self->progress_tail, 0);
  lab_build_job_set_fraction (self, -1);
  message = g_strdup_printf (_("Building: %s in %s"), self->command, self->project);
  lab_build_job_set_status (self, LAB_BUILD_STATUS_RUNNING, message);
  lab_ssh_channel_start_async (self->channel, self->cancellable,
                               lab_build_job_channel_started_cb, g_object_ref (self));
}

static void
lab_build_job_located_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(LabBuildJob) self = user_data;
  g_autoptr(GError) error = NULL;
  LabProjectKind kind;
  g_autofree char *project = NULL;

  project = lab_project_locate_finish (LAB_SSH_SESSION (source), result, &kind, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (project == NULL)
    {
      lab_build_job_finish (self, LAB_BUILD_STATUS_FAILED, error->message);
      return;
    }
  lab_build_job_set_string (self, &self->project, project, PROP_PROJECT);
  lab_build_job_run (self, kind);
}

void
lab_build_job_start (LabBuildJob *self)
{
  LabSshSession *session;
  g_autofree char *message = NULL;

  g_return_if_fail (LAB_IS_BUILD_JOB (self));

  if (lab_build_status_is_busy (self->status))
    return;
  lab_build_job_clear_channel (self);
  lab_build_job_set_exit_status (self, -1);
  session = lab_host_connection_get_session (self->connection);
  if (session == NULL
      || lab_host_connection_get_state (self->connection) != LAB_CONNECTION_STATE_CONNECTED)
    {
      lab_build_job_finish (self, LAB_BUILD_STATUS_FAILED, _("Not connected to the host."));
      return;
    }

  self->cancellable = g_cancellable_new ();
  message = g_strdup_printf (_("Looking for the Mirage project of %s…"), self->config_path);
  lab_build_job_set_status (self, LAB_BUILD_STATUS_LOCATING, message);
  lab_project_locate_async (session, self->config_path, self->cancellable,
                            lab_build_job_located_cb, g_object_ref (self));
}

void
lab_build_job_cancel (LabBuildJob *self)
{
  g_return_if_fail (LAB_IS_BUILD_JOB (self));

  if (!lab_build_status_is_busy (self->status))
    return;
  /* Closing the channel hangs up the build's terminal: make and dune stop on SIGHUP. */
  lab_build_job_finish (self, LAB_BUILD_STATUS_CANCELLED, _("Build stopped."));
}

void
lab_build_job_rerun (LabBuildJob *self)
{
  g_return_if_fail (LAB_IS_BUILD_JOB (self));

  lab_build_job_cancel (self);
  lab_build_job_start (self);
}

void
lab_build_job_set_grid_size (LabBuildJob *self,
                             guint        columns,
                             guint        rows)
{
  g_return_if_fail (LAB_IS_BUILD_JOB (self));

  self->columns = columns;
  self->rows = rows;
}

/* ---- properties ----------------------------------------------------------------------- */

LabHostConnection *
lab_build_job_get_connection (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), NULL);
  return self->connection;
}

const char *
lab_build_job_get_config_path (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), NULL);
  return self->config_path;
}

LabBuildStatus
lab_build_job_get_status (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), LAB_BUILD_STATUS_IDLE);
  return self->status;
}

const char *
lab_build_job_get_message (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), NULL);
  return self->message;
}

const char *
lab_build_job_get_project (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), NULL);
  return self->project;
}

const char *
lab_build_job_get_command (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), NULL);
  return self->command;
}

double
lab_build_job_get_fraction (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), -1);
  return self->fraction;
}

int
lab_build_job_get_exit_status (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), -1);
  return self->exit_status;
}

LabSshChannel *
lab_build_job_get_channel (LabBuildJob *self)
{
  g_return_val_if_fail (LAB_IS_BUILD_JOB (self), NULL);
  return self->channel;
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
lab_build_job_dispose (GObject *object)
{
  LabBuildJob *self = LAB_BUILD_JOB (object);

  lab_build_job_clear_channel (self);

  G_OBJECT_CLASS (lab_build_job_parent_class)->dispose (object);
}

static void
lab_build_job_finalize (GObject *object)
{
  LabBuildJob *self = LAB_BUILD_JOB (object);

  g_clear_object (&self->connection);
  g_clear_pointer (&self->config_path, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->project, g_free);
  g_clear_pointer (&self->command, g_free);
  g_string_free (self->progress_tail, TRUE);

  G_OBJECT_CLASS (lab_build_job_parent_class)->finalize (object);
}

static void
lab_build_job_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabBuildJob *self = LAB_BUILD_JOB (object);

  switch (prop_id)
    {
    case PROP_CONNECTION: g_value_set_object (value, self->connection); break;
    case PROP_CONFIG_PATH: g_value_set_string (value, self->config_path); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_PROJECT: g_value_set_string (value, self->project); break;
    case PROP_COMMAND: g_value_set_string (value, self->command); break;
    case PROP_FRACTION: g_value_set_double (value, self->fraction); break;
    case PROP_EXIT_STATUS: g_value_set_int (value, self->exit_status); break;
    case PROP_CHANNEL: g_value_set_object (value, self->channel); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_build_job_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabBuildJob *self = LAB_BUILD_JOB (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_CONFIG_PATH:
      self->config_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_build_job_class_init (LabBuildJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lab_build_job_dispose;
  object_class->finalize = lab_build_job_finalize;
  object_class->get_property = lab_build_job_get_property;
  object_class->set_property = lab_build_job_set_property;

  properties[PROP_CONNECTION] = g_param_spec_object ("connection", NULL, NULL,
                                                     LAB_TYPE_HOST_CONNECTION, co);
  properties[PROP_CONFIG_PATH] = g_param_spec_string ("config-path", NULL, NULL, NULL, co);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LAB_TYPE_BUILD_STATUS,
                                               LAB_BUILD_STATUS_IDLE, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_PROJECT] = g_param_spec_string ("project", NULL, NULL, NULL, ro);
  properties[PROP_COMMAND] = g_param_spec_string ("command", NULL, NULL, NULL, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, -1, 1, -1, ro);
  properties[PROP_EXIT_STATUS] = g_param_spec_int ("exit-status", NULL, NULL, -1, G_MAXINT,
                                                   -1, ro);
  properties[PROP_CHANNEL] = g_param_spec_object ("channel", NULL, NULL,
                                                  LAB_TYPE_SSH_CHANNEL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The build ended (succeeded, failed or cancelled): TRUE when it succeeded. */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
lab_build_job_init (LabBuildJob *self)
{
  self->status = LAB_BUILD_STATUS_IDLE;
  self->fraction = -1;
  self->exit_status = -1;
  self->columns = 80;
  self->rows = 24;
  self->progress_tail = g_string_new (NULL);
}
