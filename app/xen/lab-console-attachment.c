/* lab-console-attachment.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-console-attachment"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "net/lab-console-ip.h"
#include "ssh/lab-ssh-session.h"
#include "xen/lab-xl-commands.h"

#include "lab-console-attachment.h"

G_DEFINE_ENUM_TYPE (LabConsoleStatus, lab_console_status,
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_LIVE, "live"),
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_DETACHED, "detached"),
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_DOMAIN_GONE, "domain-gone"),
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_FAILED, "failed"))

struct _LabConsoleAttachment
{
  GObject              parent_instance;

  LabHostConnection   *connection;
  char                *domain_name;
  LabConsoleStatus     status;
  char                *message;
  gboolean             reattach;
  guint                columns;
  guint                rows;

  LabSshChannel       *channel;
  GCancellable        *cancellable;      /* the channel's, and the create's */
  GCancellable        *life_cancellable; /* requests that outlive a channel (unpause…) */
  LabConsoleIpScanner *ip_scanner;
  LabDomain           *domain;           /* the store's object for domain_name, if listed */
  int                  attached_domid;
  LabConsoleLog       *log;              /* the domain's kept output */

  /* Start with Console: `xl create -p`, `xl domid`, attach by ID, then `xl unpause`. */
  int                  created_domid;    /* the domain we created, -1 when none */
  gboolean             unpause_pending;
  gboolean             left_paused;      /* we created it paused and could not let it run */
  guint                settle_source;
  gint64               channel_opened;   /* monotonic µs */
  GString             *last_words;       /* the channel's last bytes, for the log */
  guint                attach_retries;   /* failures in a row of `xl console` */
  guint                lock_probes;      /* looks at xenconsole's lock before the unpause */
  gboolean             lock_foreign;     /* it was there before our xenconsole started */
  guint                probe_source;
  guint                retry_source;
};

G_DEFINE_FINAL_TYPE (LabConsoleAttachment, lab_console_attachment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_DOMAIN_NAME,
  PROP_STATUS,
  PROP_MESSAGE,
  PROP_CHANNEL,
  PROP_REATTACH,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_NOTE,
  SIGNAL_OUTPUT,
  SIGNAL_ACTION_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* After `xl console` started on dom0, before `xl unpause`: xenconsole's own start. */
#define UNPAUSE_SETTLE_MS 300
/* Tries after a failed attach: 1, 2, 4, 8, 8, 8 s apart (half a minute in all), which
 * outlasts a slow dom0 (xenconsole alone takes seconds under emulation). */
#define ATTACH_RETRY_MS 1000
#define ATTACH_RETRY_MAX_MS 8000
#define ATTACH_RETRIES 6
/* xenconsole makes this lock file first (and removes it when it ends), then opens the
 * domain's tty, which `xl create` waited for: once the file is there, so is the console
 * (XEN_LOCK_DIR is /var/lock on Debian and upstream alike). Only looked at, never locked:
 * holding it even for a moment could make xenconsole fail. */
#define XENCONSOLE_LOCK "/var/lock/xenconsole.%u"
#define LOCK_PROBE_MS 250
#define LOCK_PROBES 60
/* What `xl console` said last, for the debug log when it fails. */
#define LAST_WORDS_MAX 160

static void lab_console_attachment_attach_again (LabConsoleAttachment *self);
static void lab_console_attachment_evaluate_domain (LabConsoleAttachment *self);

LabConsoleAttachment *
lab_console_attachment_new (LabHostConnection *connection,
                            const char        *domain_name)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (connection), NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);

  return g_object_new (LAB_TYPE_CONSOLE_ATTACHMENT,
                       "connection", connection,
                       "domain-name", domain_name,
                       NULL);
}

static void
lab_console_attachment_changed (LabConsoleAttachment *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
lab_console_attachment_set_status (LabConsoleAttachment *self,
                                   LabConsoleStatus      status,
                                   const char           *message)
{
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  lab_console_attachment_changed (self);
}

static gboolean
lab_console_attachment_connected (LabConsoleAttachment *self)
{
  return lab_host_connection_get_state (self->connection) == LAB_CONNECTION_STATE_CONNECTED;
}

static void
lab_console_attachment_update_domain_ip (LabConsoleAttachment *self)
{
  const char *ip = lab_console_ip_scanner_get_ip (self->ip_scanner);

  if (ip != NULL && self->domain != NULL)
    lab_ip_info_update_console (lab_domain_get_ip_info (self->domain), ip);
}

/* Every byte of the console reaches the IP finder and the domain's kept output. */
static void
lab_console_attachment_channel_data_cb (LabConsoleAttachment *self,
                                        GBytes               *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  lab_console_ip_scanner_feed (self->ip_scanner, data, len);
  if (len >= LAST_WORDS_MAX)
    g_string_truncate (self->last_words, 0);
  else if (self->last_words->len + len > LAST_WORDS_MAX)
    g_string_erase (self->last_words, 0, self->last_words->len + len - LAST_WORDS_MAX);
  g_string_append_len (self->last_words, (const char *) data + (len > LAST_WORDS_MAX ?
                                                                len - LAST_WORDS_MAX : 0),
                       MIN (len, LAST_WORDS_MAX));
  if (self->log != NULL)
    lab_console_log_append (self->log, data, len);
}

/* Mirage Lab's own words in the console and the kept output, apart from the guest's. */
static void
lab_console_attachment_note (LabConsoleAttachment *self,
                             const char           *words)
{
  g_signal_emit (self, signals[SIGNAL_NOTE], 0, words);
  if (self->log != NULL)
    lab_console_log_append_note (self->log, words);
}

static void
lab_console_attachment_clear_channel (LabConsoleAttachment *self)
{
  if (self->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->channel, self);
      lab_ssh_channel_close (self->channel);
      g_clear_object (&self->channel);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_clear_handle_id (&self->probe_source, g_source_remove);
  self->unpause_pending = FALSE;
}

static void
lab_console_attachment_evaluate_domain (LabConsoleAttachment *self)
{
  gboolean running = self->domain != NULL && lab_domain_get_running (self->domain);

  if (self->status == LAB_CONSOLE_STATUS_DETACHED && !running)
    lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_DOMAIN_GONE, NULL);
  else if (self->status == LAB_CONSOLE_STATUS_DOMAIN_GONE && running && self->reattach
           && lab_domain_get_domid (self->domain) != self->attached_domid
           && lab_console_attachment_connected (self))
    {
      g_autofree char *words = g_strdup_printf (_("Mirage Lab: %s is running again, "
                                                  "reattaching"), self->domain_name);

      lab_console_attachment_note (self, words);
      lab_console_attachment_attach (self);
    }
}

static gboolean
lab_console_attachment_retry_cb (gpointer user_data)
{
  LabConsoleAttachment *self = user_data;

  self->retry_source = 0;
  lab_console_attachment_attach_again (self);
  return G_SOURCE_REMOVE;
}

/* `xl console` ends with status 0 when its domain goes or the user detaches; another status
 * means it could not attach (no tty yet, xenconsoled busy, a slow dom0). That is worth
 * another try while the domain is there: ours waiting paused (nothing it prints can be
 * lost), or one the list shows alive. */
static gboolean
lab_console_attachment_should_retry (LabConsoleAttachment *self,
                                     int                   exit_status,
                                     const GError         *error)
{
  gboolean waiting;
  gboolean alive;

  if (exit_status == 0 || error != NULL || self->attach_retries >= ATTACH_RETRIES
      || !lab_console_attachment_connected (self))
    return FALSE;
  waiting = self->unpause_pending && self->created_domid >= 0;
  alive = !self->unpause_pending && !self->left_paused
          && self->domain != NULL && lab_domain_get_live (self->domain);
  return waiting || alive;
}

static void
lab_console_attachment_schedule_retry (LabConsoleAttachment *self)
{
  gboolean paused_start = self->unpause_pending;
  guint delay = MIN (ATTACH_RETRY_MS << MIN (self->attach_retries, 4u), ATTACH_RETRY_MAX_MS);
  g_autofree char *words = g_strdup_printf (_("Waiting for the console of %s…"),
                                            self->domain_name);

  lab_console_attachment_clear_channel (self);
  /* The retry attaches the same way: a start still waiting paused stays one. */
  self->unpause_pending = paused_start;
  self->attach_retries++;
  g_debug ("console of %s failed; again in %u ms (%u)", self->domain_name, delay,
           self->attach_retries);
  lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_CONNECTING, words);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add (delay, lab_console_attachment_retry_cb, self);
}

static void
lab_console_attachment_channel_closed_cb (LabConsoleAttachment *self,
                                          int                   exit_status,
                                          LabSshChannel        *channel)
{
  const GError *error = lab_ssh_channel_get_error (channel);
  g_autofree char *message = error != NULL ? g_strdup (error->message) : NULL;

  lab_console_ip_scanner_flush (self->ip_scanner);
  lab_console_attachment_update_domain_ip (self);
  if (exit_status != 0)
    {
      g_autofree char *said = g_strescape (self->last_words->str, NULL);

      g_debug ("console of %s closed (%d) after %.1f s; it said: %s", self->domain_name,
               exit_status,
               (g_get_monotonic_time () - self->channel_opened) / (double) G_USEC_PER_SEC,
               said);
    }
  else
    g_debug ("console of %s closed (0)", self->domain_name);

  if (lab_console_attachment_should_retry (self, exit_status, error))
    {
      lab_console_attachment_schedule_retry (self);
      return;
    }
  if (self->unpause_pending || self->left_paused)
    {
      /* `xl console` gave up before the domain ran: it is still paused, and says so. */
      lab_console_attachment_clear_channel (self);
      self->left_paused = TRUE;
      lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_FAILED,
                                         message ? message : _("xl console ended"));
      lab_host_connection_poll_now (self->connection);
      return;
    }
  lab_console_attachment_clear_channel (self);
  self->created_domid = -1;
  lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_DETACHED, message);
  /* `xl console` ends when the domain does; the list shows which it was. */
  lab_host_connection_poll_now (self->connection);
  lab_console_attachment_evaluate_domain (self);
}

static void
lab_console_attachment_domain_changed_cb (LabConsoleAttachment *self)
{
  if (self->domain != NULL && lab_domain_get_running (self->domain)
      && self->status == LAB_CONSOLE_STATUS_LIVE)
    self->attached_domid = lab_domain_get_domid (self->domain);
  lab_console_attachment_evaluate_domain (self);
  lab_console_attachment_changed (self);
}

static void
lab_console_attachment_track_domain (LabConsoleAttachment *self)
{
  LabDomainStore *store = lab_host_connection_get_domains (self->connection);
  LabDomain *domain = lab_domain_store_lookup (store, self->domain_name);

  if (domain == self->domain)
    {
      lab_console_attachment_evaluate_domain (self);
      return;
    }
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_set_object (&self->domain, domain);
  if (domain != NULL)
    {
      g_signal_connect_object (domain, "notify::running",
                               G_CALLBACK (lab_console_attachment_domain_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::domid",
                               G_CALLBACK (lab_console_attachment_domain_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::end-summary",
                               G_CALLBACK (lab_console_attachment_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::state",
                               G_CALLBACK (lab_console_attachment_changed), self,
                               G_CONNECT_SWAPPED);
    }
  lab_console_attachment_domain_changed_cb (self);
}

/* ---- the paused start's unpause ------------------------------------------------------ */

static void
lab_console_attachment_unpaused (LabConsoleAttachment *self)
{
  self->left_paused = FALSE;
  if (self->domain != NULL)
    lab_domain_mark_started (self->domain, g_get_real_time ());
  if (self->channel != NULL)
    lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_LIVE, NULL);
  else if (self->status == LAB_CONSOLE_STATUS_FAILED)
    lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_DETACHED,
                                       _("the domain runs, without a console"));
  else
    {
      /* The console ended while the unpause was on its way (a crash at once, with the
       * reply late on a busy link): what the status says stands, and the list decides
       * whether the domain is gone. */
      self->created_domid = -1;
      lab_console_attachment_evaluate_domain (self);
    }
}

static void
lab_console_attachment_unpause_cb (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(LabConsoleAttachment) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  output = lab_host_connection_run_xl_finish (LAB_HOST_CONNECTION (source), result, &error);
  if (output != NULL)
    {
      lab_console_attachment_unpaused (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_debug ("unpausing %s failed: %s", self->domain_name, error->message);
  self->left_paused = TRUE;
  if (self->channel != NULL && self->status == LAB_CONSOLE_STATUS_CONNECTING)
    {
      g_autofree char *message = g_strdup_printf (_("Could not unpause: %s"), error->message);

      /* The console is attached; only the unpause failed. */
      lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_FAILED, message);
    }
}

/* The domain to act on: the one we created (by its ID, whatever the list saw last), else
 * the listed one. */
static GStrv
lab_console_attachment_action_argv (LabConsoleAttachment  *self,
                                    LabDomainAction        action,
                                    GError               **error)
{
  if (self->created_domid >= 0)
    return lab_xl_action_by_id_argv (action, (guint) self->created_domid);
  if (self->domain == NULL)
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED, _("%s is not listed."),
                   self->domain_name);
      return NULL;
    }
  return lab_xl_action_argv (action, self->domain, error);
}

static void
lab_console_attachment_unpause_domain (LabConsoleAttachment *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = lab_console_attachment_action_argv (self, LAB_DOMAIN_ACTION_RESUME,
                                                           &error);

  if (argv == NULL)
    {
      g_debug ("cannot unpause %s: %s", self->domain_name, error->message);
      return;
    }
  /* Not with the channel's cancellable: the console may end (a crash at once) while the
   * unpause is on its way, and the start still counts. */
  lab_host_connection_run_xl_async (self->connection, (const char * const *) argv,
                                    self->life_cancellable,
                                    lab_console_attachment_unpause_cb, g_object_ref (self));
}

static gboolean
lab_console_attachment_settled_cb (gpointer user_data)
{
  LabConsoleAttachment *self = user_data;

  self->settle_source = 0;
  self->unpause_pending = FALSE;
  self->left_paused = FALSE;
  g_debug ("console of %s attached; unpausing", self->domain_name);
  lab_console_attachment_unpause_domain (self);
  return G_SOURCE_REMOVE;
}

/* ---- before the unpause: is xenconsole there? -------------------------------------- */

static void
lab_console_attachment_settle (LabConsoleAttachment *self)
{
  /* xenconsole opens the tty a few milliseconds after its lock. Until the unpause nothing
   * is printed, and what is printed after it waits in xenconsoled for the client. */
  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->settle_source = g_timeout_add (UNPAUSE_SETTLE_MS, lab_console_attachment_settled_cb,
                                       self);
}

static gboolean lab_console_attachment_probe_again_cb (gpointer user_data);

static void
lab_console_attachment_lock_probed_cb (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(LabConsoleAttachment) self = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->unpause_pending
      || self->channel == NULL)
    return;
  status = exec != NULL ? lab_ssh_exec_result_get_exit_status (exec) : -1;
  /* test -e says 0 once xenconsole made its lock file, 1 while not yet; anything else
   * (an error) leaves only the old way: a moment's wait. Another client's lock file says
   * nothing of ours: ours then fails, and is tried again. */
  if ((status == 0 && !self->lock_foreign) || (status != 0 && status != 1)
      || ++self->lock_probes >= LOCK_PROBES)
    {
      g_debug ("console of %s: lock probe %u said %d", self->domain_name, self->lock_probes,
               status);
      lab_console_attachment_settle (self);
      return;
    }
  self->probe_source = g_timeout_add (LOCK_PROBE_MS, lab_console_attachment_probe_again_cb,
                                      self);
}

/* Asks dom0 whether xenconsole's lock file for the domain we created is there (`test -e`:
 * 0 yes, 1 no), with the channel's cancellable. FALSE when it cannot be asked. */
static gboolean
lab_console_attachment_look_at_lock (LabConsoleAttachment *self,
                                     GAsyncReadyCallback   callback)
{
  LabSshSession *session = lab_host_connection_get_session (self->connection);
  g_autofree char *lock = NULL;

  if (session == NULL || self->created_domid < 0 || !lab_console_attachment_connected (self))
    return FALSE;
  lock = g_strdup_printf (XENCONSOLE_LOCK, (guint) self->created_domid);
  {
    const char * const argv[] = { "test", "-e", lock, NULL };

    if (self->cancellable == NULL)
      self->cancellable = g_cancellable_new ();
    lab_ssh_session_exec_async (session, argv, LAB_SSH_EXEC_NONE, NULL, 30000,
                                self->cancellable, callback, g_object_ref (self));
  }
  return TRUE;
}

static void
lab_console_attachment_probe_lock (LabConsoleAttachment *self)
{
  if (!lab_console_attachment_look_at_lock (self, lab_console_attachment_lock_probed_cb))
    lab_console_attachment_settle (self);
}

static gboolean
lab_console_attachment_probe_again_cb (gpointer user_data)
{
  LabConsoleAttachment *self = user_data;

  self->probe_source = 0;
  lab_console_attachment_probe_lock (self);
  return G_SOURCE_REMOVE;
}

/* ---- the channel ---------------------------------------------------------------------- */

static void
lab_console_attachment_channel_started_cb (GObject      *source,
                                           GAsyncResult *result,
                                           gpointer      user_data)
{
  g_autoptr(LabConsoleAttachment) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_ssh_channel_start_finish (LAB_SSH_CHANNEL (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || LAB_SSH_CHANNEL (source) != self->channel)
        return;
      lab_console_attachment_clear_channel (self);
      lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_FAILED, error->message);
      return;
    }

  if (LAB_SSH_CHANNEL (source) != self->channel)
    return;
  if (self->created_domid >= 0)
    self->attached_domid = self->created_domid;
  else if (self->domain != NULL)
    self->attached_domid = lab_domain_get_domid (self->domain);
  if (self->unpause_pending)
    {
      /* The channel runs `xl console` now, but on a slow dom0 xenconsole may take seconds
       * to start, and may fail: the unpause waits until it holds its lock. */
      self->lock_probes = 0;
      lab_console_attachment_probe_lock (self);
      return;
    }
  lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_LIVE, NULL);
}

static void
lab_console_attachment_open_channel (LabConsoleAttachment *self,
                                     gboolean              unpause)
{
  LabSshSession *session = lab_host_connection_get_session (self->connection);
  g_auto(GStrv) argv = NULL;

  lab_console_attachment_clear_channel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->unpause_pending = unpause;
  self->channel_opened = g_get_monotonic_time ();
  if (session == NULL || !lab_console_attachment_connected (self))
    {
      lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_FAILED,
                                         _("not connected to the host"));
      return;
    }

  /* By ID where one is known: a name could be read as an option or as another ID. */
  if (self->created_domid >= 0)
    argv = lab_xl_action_by_id_argv (LAB_DOMAIN_ACTION_OPEN_CONSOLE,
                                     (guint) self->created_domid);
  else if (self->domain != NULL && lab_domain_get_running (self->domain)
           && lab_domain_get_domid (self->domain) > 0)
    argv = lab_xl_action_by_id_argv (LAB_DOMAIN_ACTION_OPEN_CONSOLE,
                                     (guint) lab_domain_get_domid (self->domain));
  else
    argv = lab_xl_console_argv (self->domain_name);

  lab_console_ip_scanner_reset (self->ip_scanner);
  g_string_truncate (self->last_words, 0);
  g_set_object (&self->log, lab_host_connection_get_console_log (self->connection,
                                                                 self->domain_name));
  self->cancellable = g_cancellable_new ();
  self->channel = lab_ssh_session_create_pty_channel (session, (const char * const *) argv,
                                                      LAB_SSH_EXEC_SUDO, NULL,
                                                      self->columns, self->rows);
  g_signal_connect_object (self->channel, "stdout-data",
                           G_CALLBACK (lab_console_attachment_channel_data_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel, "closed",
                           G_CALLBACK (lab_console_attachment_channel_closed_cb), self,
                           G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
  lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_CONNECTING, NULL);
  lab_ssh_channel_start_async (self->channel, self->cancellable,
                               lab_console_attachment_channel_started_cb, g_object_ref (self));
}

static void
lab_console_attachment_lock_checked_cb (GObject      *source,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(LabConsoleAttachment) self = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->lock_foreign = exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0;
  if (self->lock_foreign)
    g_debug ("console of %s: another client holds it", self->domain_name);
  lab_console_attachment_open_channel (self, TRUE);
}

/* The paused domain we created gets its console: first a look whether another client
 * already holds xenconsole's lock for it, so that its lock file is not taken for ours. */
static void
lab_console_attachment_open_paused (LabConsoleAttachment *self)
{
  self->lock_foreign = FALSE;
  /* A fresh cancellable: the create's (or the failed attach's) is done with. */
  g_clear_object (&self->cancellable);
  if (!lab_console_attachment_look_at_lock (self, lab_console_attachment_lock_checked_cb))
    lab_console_attachment_open_channel (self, TRUE);
}

static void
lab_console_attachment_attach_again (LabConsoleAttachment *self)
{
  gboolean paused_start = self->unpause_pending && self->created_domid >= 0;

  self->left_paused = paused_start;
  if (paused_start)
    lab_console_attachment_open_paused (self);
  else
    lab_console_attachment_open_channel (self, FALSE);
}

void
lab_console_attachment_attach (LabConsoleAttachment *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self));

  self->attach_retries = 0;
  self->created_domid = -1;
  self->left_paused = FALSE;
  lab_console_attachment_open_channel (self, FALSE);
}

void
lab_console_attachment_reconnect (LabConsoleAttachment *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self));

  /* Still paused after a failed attach: attaching again finishes the start. */
  if (self->left_paused
      && (self->created_domid >= 0 || lab_console_attachment_get_paused (self)))
    {
      self->attach_retries = 0;
      lab_console_attachment_open_paused (self);
      return;
    }
  lab_console_attachment_attach (self);
}

/* ---- Start with Console --------------------------------------------------------------- */

static void
lab_console_attachment_domid_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(LabConsoleAttachment) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  guint domid;

  output = lab_host_connection_run_xl_finish (LAB_HOST_CONNECTION (source), result, &error);
  if (output == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (output == NULL || !lab_xl_parse_domid (output, &domid))
    {
      g_autofree char *message = g_strdup_printf (_("the new domain's ID is not known: %s"),
                                                  error ? error->message : output);

      lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_FAILED, message);
      return;
    }
  g_debug ("%s was created paused as domain %u", self->domain_name, domid);
  self->created_domid = (int) domid;
  self->attach_retries = 0;
  lab_console_attachment_open_paused (self);
}

static void
lab_console_attachment_created_cb (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(LabConsoleAttachment) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) argv = NULL;

  if (!lab_host_connection_run_action_finish_output (LAB_HOST_CONNECTION (source), result,
                                                     &output, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_FAILED, error->message);
      return;
    }

  /* What xl create printed ("Parsing config from …") opens the console, as in a shell. */
  if (output != NULL && *output != '\0')
    {
      g_autoptr(GBytes) bytes = g_bytes_new (output, strlen (output));

      g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, bytes);
      if (self->log != NULL)
        lab_console_log_append (self->log, (const guint8 *) output, strlen (output));
    }

  /* The list has usually not seen the new domain yet: ask xl which one it is. */
  self->left_paused = TRUE;
  argv = lab_xl_domid_argv (self->domain_name);
  lab_host_connection_run_xl_async (self->connection, (const char * const *) argv,
                                    self->cancellable, lab_console_attachment_domid_cb,
                                    g_object_ref (self));
}

void
lab_console_attachment_create_and_attach (LabConsoleAttachment *self,
                                          const char           *config_path)
{
  g_autofree char *message = NULL;

  g_return_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self));
  g_return_if_fail (config_path != NULL);

  lab_console_attachment_clear_channel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->left_paused = FALSE;
  self->created_domid = -1;
  if (self->domain == NULL
      || g_strcmp0 (lab_domain_get_config_path (self->domain), config_path) != 0)
    {
      lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_FAILED,
                                         _("the domain's configuration is not known"));
      return;
    }

  g_set_object (&self->log, lab_host_connection_get_console_log (self->connection,
                                                                 self->domain_name));
  if (self->log != NULL && lab_console_log_get_length (self->log) > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *time = g_date_time_format (now, "%X");
      /* Translators: a line between two runs of a domain in its kept output */
      g_autofree char *words = g_strdup_printf (_("Mirage Lab: starting %s at %s"),
                                                self->domain_name, time);

      lab_console_log_append_note (self->log, words);
    }

  /* `xl create -p` (in the config's folder, see run_action), then `xl console`, then
   * `xl unpause`: a unikernel that prints its lease and crashes at once is still there
   * when the console attaches, so nothing of its boot is lost (with `xl create -c`, a
   * domain destroyed on crash is gone before its console attaches). */
  message = g_strdup_printf (_("Creating %s, paused until its console is attached…"),
                             self->domain_name);
  self->cancellable = g_cancellable_new ();
  lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_CONNECTING, message);
  lab_host_connection_run_action_async (self->connection, self->domain,
                                        LAB_DOMAIN_ACTION_START_WITH_CONSOLE, self->cancellable,
                                        lab_console_attachment_created_cb, g_object_ref (self));
}

void
lab_console_attachment_detach (LabConsoleAttachment *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self));

  lab_console_attachment_clear_channel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->status == LAB_CONSOLE_STATUS_LIVE || self->status == LAB_CONSOLE_STATUS_CONNECTING)
    lab_console_attachment_set_status (self, LAB_CONSOLE_STATUS_DETACHED, NULL);
}

void
lab_console_attachment_unpause (LabConsoleAttachment *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self));

  self->left_paused = FALSE;
  lab_console_attachment_unpause_domain (self);
}

static void
lab_console_attachment_destroyed_cb (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(LabConsoleAttachment) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  output = lab_host_connection_run_xl_finish (LAB_HOST_CONNECTION (source), result, &error);
  if (output == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *words = g_strdup_printf (_("Could not destroy %s: %s"),
                                                self->domain_name, error->message);

      g_signal_emit (self, signals[SIGNAL_ACTION_FAILED], 0, words);
    }
}

void
lab_console_attachment_destroy_domain (LabConsoleAttachment *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  g_return_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self));

  if (self->created_domid < 0 && (self->domain == NULL || !lab_domain_get_running (self->domain)))
    return;
  argv = lab_console_attachment_action_argv (self, LAB_DOMAIN_ACTION_DESTROY, &error);
  if (argv == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_ACTION_FAILED], 0, error->message);
      return;
    }
  self->left_paused = FALSE;
  lab_host_connection_expect_end_for (self->connection, self->domain_name,
                                      LAB_DOMAIN_ACTION_DESTROY);
  lab_host_connection_run_xl_async (self->connection, (const char * const *) argv,
                                    self->life_cancellable,
                                    lab_console_attachment_destroyed_cb, g_object_ref (self));
}

static void
lab_console_attachment_connection_state_cb (LabConsoleAttachment *self)
{
  /* Back after a lost connection: pick the console up again if the user wants that. */
  if (lab_console_attachment_connected (self) && self->reattach
      && self->status == LAB_CONSOLE_STATUS_DETACHED
      && self->domain != NULL && lab_domain_get_running (self->domain))
    lab_console_attachment_attach (self);
}

static void
lab_console_attachment_ip_found_cb (LabConsoleAttachment *self)
{
  lab_console_attachment_update_domain_ip (self);
}

/* ---- properties ----------------------------------------------------------------------- */

void
lab_console_attachment_set_grid_size (LabConsoleAttachment *self,
                                      guint                 columns,
                                      guint                 rows)
{
  g_return_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self));

  self->columns = columns;
  self->rows = rows;
}

LabHostConnection *
lab_console_attachment_get_connection (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), NULL);
  return self->connection;
}

const char *
lab_console_attachment_get_domain_name (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), NULL);
  return self->domain_name;
}

LabConsoleStatus
lab_console_attachment_get_status (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), LAB_CONSOLE_STATUS_FAILED);
  return self->status;
}

const char *
lab_console_attachment_get_message (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), NULL);
  return self->message;
}

LabSshChannel *
lab_console_attachment_get_channel (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), NULL);
  return self->channel;
}

LabDomain *
lab_console_attachment_get_domain (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), NULL);
  return self->domain;
}

LabConsoleLog *
lab_console_attachment_get_log (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), NULL);
  return self->log;
}

gboolean
lab_console_attachment_get_left_paused (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), FALSE);
  return self->left_paused;
}

gboolean
lab_console_attachment_get_paused (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), FALSE);
  return self->domain != NULL && lab_domain_get_state (self->domain) == LAB_DOMAIN_STATE_PAUSED;
}

gboolean
lab_console_attachment_get_preserved (LabConsoleAttachment *self)
{
  LabDomainState state;

  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), FALSE);

  if (self->domain == NULL || !lab_domain_get_running (self->domain))
    return FALSE;
  state = lab_domain_get_state (self->domain);
  return state == LAB_DOMAIN_STATE_CRASHED || state == LAB_DOMAIN_STATE_SHUTDOWN;
}

gboolean
lab_console_attachment_get_accepts_input (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), FALSE);

  return self->status == LAB_CONSOLE_STATUS_LIVE
         || (self->status == LAB_CONSOLE_STATUS_FAILED && self->channel != NULL);
}

gboolean
lab_console_attachment_get_reattach (LabConsoleAttachment *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self), FALSE);
  return self->reattach;
}

void
lab_console_attachment_set_reattach (LabConsoleAttachment *self,
                                     gboolean              reattach)
{
  g_return_if_fail (LAB_IS_CONSOLE_ATTACHMENT (self));

  reattach = !!reattach;
  if (self->reattach == reattach)
    return;
  self->reattach = reattach;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REATTACH]);
  lab_console_attachment_evaluate_domain (self);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
lab_console_attachment_constructed (GObject *object)
{
  LabConsoleAttachment *self = LAB_CONSOLE_ATTACHMENT (object);

  G_OBJECT_CLASS (lab_console_attachment_parent_class)->constructed (object);

  g_signal_connect_object (lab_host_connection_get_domains (self->connection), "items-changed",
                           G_CALLBACK (lab_console_attachment_track_domain), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::state",
                           G_CALLBACK (lab_console_attachment_connection_state_cb), self,
                           G_CONNECT_SWAPPED);
  lab_console_attachment_track_domain (self);
}

static void
lab_console_attachment_dispose (GObject *object)
{
  LabConsoleAttachment *self = LAB_CONSOLE_ATTACHMENT (object);

  lab_console_attachment_clear_channel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_cancellable_cancel (self->life_cancellable);
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_clear_object (&self->domain);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (lab_console_attachment_parent_class)->dispose (object);
}

static void
lab_console_attachment_finalize (GObject *object)
{
  LabConsoleAttachment *self = LAB_CONSOLE_ATTACHMENT (object);

  g_clear_object (&self->life_cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->ip_scanner);
  g_clear_pointer (&self->domain_name, g_free);
  g_clear_pointer (&self->message, g_free);
  g_string_free (self->last_words, TRUE);

  G_OBJECT_CLASS (lab_console_attachment_parent_class)->finalize (object);
}

static void
lab_console_attachment_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LabConsoleAttachment *self = LAB_CONSOLE_ATTACHMENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION: g_value_set_object (value, self->connection); break;
    case PROP_DOMAIN_NAME: g_value_set_string (value, self->domain_name); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_CHANNEL: g_value_set_object (value, self->channel); break;
    case PROP_REATTACH: g_value_set_boolean (value, self->reattach); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_console_attachment_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  LabConsoleAttachment *self = LAB_CONSOLE_ATTACHMENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_DOMAIN_NAME:
      self->domain_name = g_value_dup_string (value);
      break;
    case PROP_REATTACH:
      lab_console_attachment_set_reattach (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_console_attachment_class_init (LabConsoleAttachmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lab_console_attachment_constructed;
  object_class->dispose = lab_console_attachment_dispose;
  object_class->finalize = lab_console_attachment_finalize;
  object_class->get_property = lab_console_attachment_get_property;
  object_class->set_property = lab_console_attachment_set_property;

  properties[PROP_CONNECTION] = g_param_spec_object ("connection", NULL, NULL,
                                                     LAB_TYPE_HOST_CONNECTION, co);
  properties[PROP_DOMAIN_NAME] = g_param_spec_string ("domain-name", NULL, NULL, NULL, co);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LAB_TYPE_CONSOLE_STATUS,
                                               LAB_CONSOLE_STATUS_DETACHED, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_CHANNEL] = g_param_spec_object ("channel", NULL, NULL,
                                                  LAB_TYPE_SSH_CHANNEL, ro);
  properties[PROP_REATTACH] =
    g_param_spec_boolean ("reattach", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Anything a view of the attachment shows may have changed (status, the domain's state
   * or how it ended). */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  /* Mirage Lab's own words, to show between the guest's lines. */
  signals[SIGNAL_NOTE] = g_signal_new ("note", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Console text that did not come over the channel (what `xl create` printed). */
  signals[SIGNAL_OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_BYTES);
  /* An action asked of the attachment (destroy) failed; the argument says why. */
  signals[SIGNAL_ACTION_FAILED] = g_signal_new ("action-failed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lab_console_attachment_init (LabConsoleAttachment *self)
{
  self->status = LAB_CONSOLE_STATUS_DETACHED;
  self->attached_domid = -1;
  self->created_domid = -1;
  self->columns = 80;
  self->rows = 24;
  self->life_cancellable = g_cancellable_new ();
  self->last_words = g_string_new (NULL);
  self->ip_scanner = lab_console_ip_scanner_new ();
  g_signal_connect_object (self->ip_scanner, "ip-found",
                           G_CALLBACK (lab_console_attachment_ip_found_cb), self,
                           G_CONNECT_SWAPPED);
}
