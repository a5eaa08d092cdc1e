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

#include "net/lab-console-ip.h"
#include "xen/lab-xl-commands.h"

#include "lab-console-tab.h"

G_DEFINE_ENUM_TYPE (LabConsoleStatus, lab_console_status,
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_LIVE, "live"),
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_DETACHED, "detached"),
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_DOMAIN_GONE, "domain-gone"),
  G_DEFINE_ENUM_VALUE (LAB_CONSOLE_STATUS_FAILED, "failed"))

struct _LabConsoleTab
{
  GtkWidget            parent_instance;

  LabHostConnection   *connection;
  char                *domain_name;
  char                *title;
  LabConsoleStatus     status;
  char                *message;
  gboolean             reattach;

  LabSshChannel       *channel;
  GCancellable        *cancellable;
  LabConsoleIpScanner *ip_scanner;
  LabDomain           *domain;        /* the store's object for domain_name, when listed */
  int                  attached_domid;
  LabConsoleLog       *log;           /* the domain's kept output, fed from the channel */

  /* Start with Console: `xl create -p`, attach, then `xl unpause` (see create_and_attach). */
  gboolean             unpause_pending;
  gboolean             left_paused;   /* we created it paused and could not let it run */
  guint                settle_source;
  gint64               channel_opened;   /* monotonic µs */
  guint                attach_retries;   /* quick failures in a row of `xl console` */
  guint                retry_source;
  GCancellable        *life_cancellable; /* the tab's own requests (unpause, destroy) */

  /* Template widgets */
  GtkRevealer         *status_revealer;
  GtkImage            *status_icon;
  GtkLabel            *status_label;
  GtkCheckButton      *reattach_check;
  GtkButton           *reconnect_button;
  GtkButton           *unpause_button;
  GtkButton           *destroy_button;
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  LabTerminal         *terminal;
  GtkScrollbar        *scrollbar;
};

G_DEFINE_FINAL_TYPE (LabConsoleTab, lab_console_tab, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_DOMAIN_NAME,
  PROP_TITLE,
  PROP_STATUS,
  PROP_MESSAGE,
  PROP_REATTACH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* After `xl console` started on dom0, before `xl unpause`: xenconsole's own start. */
#define UNPAUSE_SETTLE_MS 300
/* A domain the list shows while `xl create` still builds it has no console yet: xenconsole
 * exits at once (no tty in xenstore). An attach that fails this fast is tried again. */
#define QUICK_FAILURE_US (3 * G_USEC_PER_SEC)
#define ATTACH_RETRY_MS 1000
#define ATTACH_RETRIES 5

static void lab_console_tab_attach_again (LabConsoleTab *self);

static void update_status_bar (LabConsoleTab *self);


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

/* Shut down or crashed but still listed (on_crash = 'preserve'): there to inspect. */
static gboolean
domain_preserved (LabConsoleTab *self)
{
  return self->domain != NULL && lab_domain_get_running (self->domain)
         && (lab_domain_get_state (self->domain) == LAB_DOMAIN_STATE_CRASHED
             || lab_domain_get_state (self->domain) == LAB_DOMAIN_STATE_SHUTDOWN);
}

static void
update_status_bar (LabConsoleTab *self)
{
  const char *icon = NULL;
  g_autofree char *text = NULL;
  gboolean show_bar = TRUE;
  const char *message = self->message;
  const char *end = self->domain ? lab_domain_get_end_summary (self->domain) : NULL;
  gboolean paused = self->domain != NULL
                    && lab_domain_get_state (self->domain) == LAB_DOMAIN_STATE_PAUSED;

  switch (self->status)
    {
    case LAB_CONSOLE_STATUS_CONNECTING:
      icon = "content-loading-symbolic";
      text = message ? g_strdup (message)
                     : g_strdup_printf (_("Attaching to the console of %s…"), self->domain_name);
      break;
    case LAB_CONSOLE_STATUS_LIVE:
      if (domain_preserved (self) && end != NULL)
        {
          icon = "dialog-warning-symbolic";
          /* Translators: %s is the domain, then how it ended ("Crashed (preserved) — …") */
          text = g_strdup_printf (_("%s: %s. It is kept for inspection; destroy it when "
                                    "done."), self->domain_name, end);
        }
      else
        show_bar = FALSE;
      break;
    case LAB_CONSOLE_STATUS_DETACHED:
      icon = "network-offline-symbolic";
      text = message ? g_strdup_printf (_("Console detached: %s"), message)
                     : g_strdup (_("Console detached. The domain may still be running."));
      break;
    case LAB_CONSOLE_STATUS_DOMAIN_GONE:
      icon = "system-shutdown-symbolic";
      if (end != NULL)
        /* Translators: %s is the domain, then how it ended ("Crashed — 0.2 s after start") */
        text = g_strdup_printf (_("%s has stopped: %s. Its output is kept above."),
                                self->domain_name, end);
      else
        text = g_strdup_printf (_("%s has stopped. Its output is kept above."),
                                self->domain_name);
      break;
    case LAB_CONSOLE_STATUS_FAILED:
      icon = "dialog-error-symbolic";
      if (self->left_paused && paused)
        /* Translators: the first %s is why (e.g. "xl console ended"), the second the domain */
        text = g_strdup_printf (_("Could not attach to the console (%s). %s is paused and "
                                  "has not run yet: reconnect, unpause it to run it without "
                                  "a console, or destroy it."),
                                message ? message : _("unknown error"), self->domain_name);
      else
        text = g_strdup_printf (_("Could not attach to the console: %s"),
                                message ? message : _("unknown error"));
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_revealer_set_reveal_child (self->status_revealer, show_bar);
  gtk_widget_set_visible (GTK_WIDGET (self->reconnect_button),
                          self->status != LAB_CONSOLE_STATUS_CONNECTING
                          && self->status != LAB_CONSOLE_STATUS_LIVE);
  gtk_widget_set_visible (GTK_WIDGET (self->unpause_button),
                          paused && self->status != LAB_CONSOLE_STATUS_CONNECTING);
  gtk_widget_set_visible (GTK_WIDGET (self->destroy_button),
                          self->status != LAB_CONSOLE_STATUS_CONNECTING
                          && (domain_preserved (self) || (self->left_paused && paused)));
  /* Keys typed into a console that is not there would be lost silently. */
  vte_terminal_set_input_enabled (VTE_TERMINAL (self->terminal),
                                  self->status == LAB_CONSOLE_STATUS_LIVE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.reconnect",
                                 self->status != LAB_CONSOLE_STATUS_CONNECTING
                                 && self->status != LAB_CONSOLE_STATUS_LIVE);
}

static void
lab_console_tab_set_status (LabConsoleTab    *self,
                            LabConsoleStatus  status,
                            const char       *message)
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

  update_status_bar (self);
}

static void
update_domain_ip (LabConsoleTab *self)
{
  const char *ip = lab_console_ip_scanner_get_ip (self->ip_scanner);

  if (ip != NULL && self->domain != NULL)
    lab_ip_info_update_console (lab_domain_get_ip_info (self->domain), ip);
}

static void
on_channel_data (LabConsoleTab *self,
                 GBytes        *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  /* The terminal shows it (see lab_terminal_set_channel); every console's text also passes
   * through the IP finder (lease and stack lines). */
  lab_console_ip_scanner_feed (self->ip_scanner, data, len);
}

/* The domain's kept output gets every byte too (it outlives this tab). */
static void
on_channel_data_keep (LabConsoleTab *self,
                      GBytes        *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (self->log != NULL)
    lab_console_log_append (self->log, data, len);
}

/* Mirage Lab's own words in the console (and the kept output), apart from the guest's. */
static void
show_note (LabConsoleTab *self,
           const char    *words)
{
  g_autofree char *note = g_strdup_printf ("\r\n[%s]\r\n", words);

  lab_terminal_feed_text (self->terminal, note);
  if (self->log != NULL)
    lab_console_log_append_note (self->log, words);
}

static void
clear_channel (LabConsoleTab *self)
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
  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->unpause_pending = FALSE;
}

/* After the channel ended: has the domain gone, or only the console? */
static void
evaluate_domain (LabConsoleTab *self)
{
  gboolean running = self->domain != NULL && lab_domain_get_running (self->domain);

  if (self->status == LAB_CONSOLE_STATUS_DETACHED && !running)
    lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_DOMAIN_GONE, NULL);
  else if (self->status == LAB_CONSOLE_STATUS_DOMAIN_GONE && running && self->reattach
           && lab_domain_get_domid (self->domain) != self->attached_domid
           && lab_host_connection_get_state (self->connection)
              == LAB_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *words = g_strdup_printf (_("Mirage Lab: %s is running again, "
                                                  "reattaching"), self->domain_name);

      show_note (self, words);
      lab_console_tab_attach (self);
    }
}

static gboolean
retry_attach (gpointer user_data)
{
  LabConsoleTab *self = user_data;

  self->retry_source = 0;
  lab_console_tab_attach_again (self);
  return G_SOURCE_REMOVE;
}

static void
on_channel_closed (LabConsoleTab *self,
                   int            exit_status,
                   LabSshChannel *channel)
{
  const GError *error = lab_ssh_channel_get_error (channel);
  g_autofree char *message = NULL;

  lab_console_ip_scanner_flush (self->ip_scanner);
  update_domain_ip (self);

  if (error != NULL)
    message = g_strdup (error->message);
  g_debug ("console of %s closed (%d)", self->domain_name, exit_status);
  if (self->unpause_pending || self->left_paused)
    {
      /* `xl console` gave up before the domain ran: it is still paused, and says so. */
      clear_channel (self);
      self->left_paused = TRUE;
      lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_FAILED,
                                  message ? message : _("xl console ended"));
      lab_host_connection_poll_now (self->connection);
      return;
    }
  if (exit_status != 0 && error == NULL
      && g_get_monotonic_time () - self->channel_opened < QUICK_FAILURE_US
      && self->attach_retries < ATTACH_RETRIES
      && self->domain != NULL && lab_domain_get_live (self->domain)
      && lab_host_connection_get_state (self->connection) == LAB_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *words = g_strdup_printf (_("Waiting for the console of %s…"),
                                                self->domain_name);

      clear_channel (self);
      self->attach_retries++;
      g_debug ("console of %s failed at once; again in %d ms (%u)", self->domain_name,
               ATTACH_RETRY_MS, self->attach_retries);
      lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_CONNECTING, words);
      g_clear_handle_id (&self->retry_source, g_source_remove);
      self->retry_source = g_timeout_add (ATTACH_RETRY_MS, retry_attach, self);
      return;
    }
  clear_channel (self);

  lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_DETACHED, message);
  /* `xl console` ends when the domain does; the list shows which it was. */
  lab_host_connection_poll_now (self->connection);
  evaluate_domain (self);
}

static void
on_domain_end_changed (LabConsoleTab *self)
{
  update_status_bar (self);
}

static void
on_domain_changed (LabConsoleTab *self)
{
  if (self->domain != NULL && lab_domain_get_running (self->domain)
      && self->status == LAB_CONSOLE_STATUS_LIVE)
    self->attached_domid = lab_domain_get_domid (self->domain);
  evaluate_domain (self);
}

static void
track_domain (LabConsoleTab *self)
{
  LabDomainStore *store = lab_host_connection_get_domains (self->connection);
  LabDomain *domain = lab_domain_store_lookup (store, self->domain_name);

  if (domain == self->domain)
    {
      evaluate_domain (self);
      return;
    }
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_set_object (&self->domain, domain);
  if (domain != NULL)
    {
      g_signal_connect_object (domain, "notify::running", G_CALLBACK (on_domain_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::domid", G_CALLBACK (on_domain_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::end-summary",
                               G_CALLBACK (on_domain_end_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (domain, "notify::state",
                               G_CALLBACK (on_domain_end_changed), self, G_CONNECT_SWAPPED);
    }
  on_domain_changed (self);
}

static void
unpause_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LabConsoleTab) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_host_connection_run_action_finish (LAB_HOST_CONNECTION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("unpausing %s failed: %s", self->domain_name, error->message);
      self->left_paused = TRUE;
      if (self->channel != NULL && self->status == LAB_CONSOLE_STATUS_CONNECTING)
        {
          g_autofree char *message = g_strdup_printf (_("Could not unpause: %s"),
                                                      error->message);

          /* The console is attached; only the unpause failed. */
          lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_FAILED, message);
          vte_terminal_set_input_enabled (VTE_TERMINAL (self->terminal), TRUE);
        }
      return;
    }

  self->left_paused = FALSE;
  if (self->domain != NULL)
    lab_domain_mark_started (self->domain, g_get_real_time ());
  if (self->channel != NULL)
    lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_LIVE, NULL);
  else if (self->status == LAB_CONSOLE_STATUS_FAILED)
    lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_DETACHED,
                                _("the domain runs, without a console"));
  else
    {
      /* The console ended while the unpause was on its way (a crash at once, with the
       * reply late on a busy link): what the tab already says stands, and the list
       * decides whether the domain is gone. */
      evaluate_domain (self);
    }
}

static void
unpause_domain (LabConsoleTab *self)
{
  if (self->domain == NULL)
    return;
  /* Not with the channel's cancellable: the console may end (a crash at once) while the
   * unpause is on its way, and the start still counts. */
  lab_host_connection_run_action_async (self->connection, self->domain,
                                        LAB_DOMAIN_ACTION_RESUME, self->life_cancellable,
                                        unpause_cb, g_object_ref (self));
}

static gboolean
unpause_after_attach (gpointer user_data)
{
  LabConsoleTab *self = user_data;

  self->settle_source = 0;
  self->unpause_pending = FALSE;
  self->left_paused = FALSE;
  g_debug ("console of %s attached; unpausing", self->domain_name);
  unpause_domain (self);
  return G_SOURCE_REMOVE;
}

static void
channel_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LabConsoleTab) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_ssh_channel_start_finish (LAB_SSH_CHANNEL (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || LAB_SSH_CHANNEL (source) != self->channel)
        return;
      clear_channel (self);
      lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_FAILED, error->message);
      return;
    }

  if (LAB_SSH_CHANNEL (source) != self->channel)
    return;
  if (self->domain != NULL)
    self->attached_domid = lab_domain_get_domid (self->domain);
  if (self->unpause_pending)
    {
      /* The channel runs `xl console` now; xenconsole takes its lock and opens the pty in
       * a few milliseconds. Until the unpause nothing is printed, and what is printed
       * after it waits in xenconsoled for the attached client. */
      self->settle_source = g_timeout_add (UNPAUSE_SETTLE_MS, unpause_after_attach, self);
      return;
    }
  lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_LIVE, NULL);
}

static void
lab_console_tab_open_channel (LabConsoleTab      *self,
                              const char * const *argv,
                              const char         *directory,
                              gboolean            unpause)
{
  LabSshSession *session = lab_host_connection_get_session (self->connection);
  guint columns, rows;

  clear_channel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->unpause_pending = unpause;
  self->channel_opened = g_get_monotonic_time ();
  if (session == NULL
      || lab_host_connection_get_state (self->connection) != LAB_CONNECTION_STATE_CONNECTED)
    {
      lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_FAILED,
                                  _("not connected to the host"));
      return;
    }

  lab_console_ip_scanner_reset (self->ip_scanner);
  g_set_object (&self->log, lab_host_connection_get_console_log (self->connection,
                                                                 self->domain_name));
  lab_terminal_get_grid_size (self->terminal, &columns, &rows);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  self->channel = lab_ssh_session_create_pty_channel (session, argv, LAB_SSH_EXEC_SUDO,
                                                      NULL, columns, rows);
  lab_ssh_channel_set_directory (self->channel, directory);
  g_signal_connect_object (self->channel, "stdout-data", G_CALLBACK (on_channel_data), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel, "stdout-data", G_CALLBACK (on_channel_data_keep),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel, "closed", G_CALLBACK (on_channel_closed), self,
                           G_CONNECT_SWAPPED);
  lab_terminal_set_channel (self->terminal, self->channel);
  lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_CONNECTING, NULL);
  lab_ssh_channel_start_async (self->channel, self->cancellable, channel_started_cb,
                               g_object_ref (self));
}

static void
lab_console_tab_attach_again (LabConsoleTab *self)
{
  g_auto(GStrv) argv = lab_xl_console_argv (self->domain_name);

  self->left_paused = FALSE;
  lab_console_tab_open_channel (self, (const char * const *) argv, NULL, FALSE);
}

void
lab_console_tab_attach (LabConsoleTab *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_TAB (self));

  self->attach_retries = 0;
  lab_console_tab_attach_again (self);
}

static void
created_paused_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LabConsoleTab) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) argv = NULL;

  if (!lab_host_connection_run_action_finish_output (LAB_HOST_CONNECTION (source), result,
                                                     &output, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_FAILED, error->message);
      return;
    }

  /* What xl create printed ("Parsing config from …") opens the console, as in a shell. */
  if (output != NULL && *output != '\0')
    {
      lab_terminal_feed_console (self->terminal, (const guint8 *) output, strlen (output));
      if (self->log != NULL)
        lab_console_log_append (self->log, (const guint8 *) output, strlen (output));
    }

  self->left_paused = TRUE;
  argv = lab_xl_console_argv (self->domain_name);
  lab_console_tab_open_channel (self, (const char * const *) argv, NULL, TRUE);
}

void
lab_console_tab_create_and_attach (LabConsoleTab *self,
                                   const char    *config_path)
{
  g_autofree char *message = NULL;

  g_return_if_fail (LAB_IS_CONSOLE_TAB (self));
  g_return_if_fail (config_path != NULL);

  clear_channel (self);
  self->left_paused = FALSE;
  if (self->domain == NULL
      || g_strcmp0 (lab_domain_get_config_path (self->domain), config_path) != 0)
    {
      lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_FAILED,
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
  lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_CONNECTING, message);
  lab_host_connection_run_action_async (self->connection, self->domain,
                                        LAB_DOMAIN_ACTION_START_WITH_CONSOLE, self->cancellable,
                                        created_paused_cb, g_object_ref (self));
}

void
lab_console_tab_detach (LabConsoleTab *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_TAB (self));

  clear_channel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->status == LAB_CONSOLE_STATUS_LIVE || self->status == LAB_CONSOLE_STATUS_CONNECTING)
    lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_DETACHED, NULL);
}

static void
on_connection_state (LabConsoleTab *self)
{
  LabConnectionState state = lab_host_connection_get_state (self->connection);

  /* Back after a lost connection: pick the console up again if the user wants that. */
  if (state == LAB_CONNECTION_STATE_CONNECTED && self->reattach
      && self->status == LAB_CONSOLE_STATUS_DETACHED
      && self->domain != NULL && lab_domain_get_running (self->domain))
    lab_console_tab_attach (self);
}

/* ---- actions ------------------------------------------------------------------------ */

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (widget);

  /* Still paused after a failed attach: attaching again finishes the start. */
  if (self->left_paused && self->domain != NULL
      && lab_domain_get_state (self->domain) == LAB_DOMAIN_STATE_PAUSED)
    {
      g_auto(GStrv) argv = lab_xl_console_argv (self->domain_name);

      lab_console_tab_open_channel (self, (const char * const *) argv, NULL, TRUE);
      return;
    }
  lab_console_tab_attach (self);
}

static void
unpause_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (widget);

  self->left_paused = FALSE;
  unpause_domain (self);
}

static void
destroy_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LabConsoleTab) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_host_connection_run_action_finish (LAB_HOST_CONNECTION (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *words = g_strdup_printf (_("Could not destroy %s: %s"),
                                                self->domain_name, error->message);

      gtk_label_set_text (self->status_label, words);
      gtk_revealer_set_reveal_child (self->status_revealer, TRUE);
    }
}

static void
destroy_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (widget);

  if (self->domain == NULL || !lab_domain_get_running (self->domain))
    return;
  self->left_paused = FALSE;
  lab_host_connection_run_action_async (self->connection, self->domain,
                                        LAB_DOMAIN_ACTION_DESTROY, self->life_cancellable,
                                        destroy_cb,
                                        g_object_ref (self));
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

      lab_console_tab_set_status (self, self->status, self->message);
      gtk_label_set_text (self->status_label, message);
      gtk_revealer_set_reveal_child (self->status_revealer, TRUE);
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
  name = g_strdup_printf ("%s-%s.log", self->domain_name, stamp);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- GObject ------------------------------------------------------------------------ */

LabHostConnection *
lab_console_tab_get_connection (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), NULL);
  return self->connection;
}

const char *
lab_console_tab_get_domain_name (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), NULL);
  return self->domain_name;
}

LabConsoleStatus
lab_console_tab_get_status (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), LAB_CONSOLE_STATUS_FAILED);
  return self->status;
}

const char *
lab_console_tab_get_message (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), NULL);
  return self->message;
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
  return self->title;
}

LabTerminal *
lab_console_tab_get_terminal (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), NULL);
  return self->terminal;
}

gboolean
lab_console_tab_get_reattach (LabConsoleTab *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_TAB (self), FALSE);
  return self->reattach;
}

void
lab_console_tab_set_reattach (LabConsoleTab *self,
                              gboolean       reattach)
{
  g_return_if_fail (LAB_IS_CONSOLE_TAB (self));

  reattach = !!reattach;
  if (self->reattach == reattach)
    return;
  self->reattach = reattach;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REATTACH]);
  evaluate_domain (self);
}

static void
on_ip_found (LabConsoleTab *self)
{
  update_domain_ip (self);
}

static void
lab_console_tab_constructed (GObject *object)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (object);
  LabHost *host;

  G_OBJECT_CLASS (lab_console_tab_parent_class)->constructed (object);

  host = lab_host_connection_get_host (self->connection);
  self->title = g_strdup_printf ("%s — %s", self->domain_name, lab_host_get_name (host));

  g_signal_connect_object (lab_host_connection_get_domains (self->connection), "items-changed",
                           G_CALLBACK (track_domain), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::state",
                           G_CALLBACK (on_connection_state), self, G_CONNECT_SWAPPED);
  track_domain (self);
}

static void
lab_console_tab_dispose (GObject *object)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (object);
  GtkWidget *child;

  clear_channel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_cancellable_cancel (self->life_cancellable);
  g_clear_object (&self->life_cancellable);
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_clear_object (&self->domain);
  g_clear_object (&self->log);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_CONSOLE_TAB);
  /* The template's outer box is not a bound child, so it is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lab_console_tab_parent_class)->dispose (object);
}

static void
lab_console_tab_finalize (GObject *object)
{
  LabConsoleTab *self = LAB_CONSOLE_TAB (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->ip_scanner);
  g_clear_pointer (&self->domain_name, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (lab_console_tab_parent_class)->finalize (object);
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
    case PROP_CONNECTION: g_value_set_object (value, self->connection); break;
    case PROP_DOMAIN_NAME: g_value_set_string (value, self->domain_name); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_REATTACH: g_value_set_boolean (value, self->reattach); break;
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
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_DOMAIN_NAME:
      self->domain_name = g_value_dup_string (value);
      break;
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
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lab_console_tab_constructed;
  object_class->dispose = lab_console_tab_dispose;
  object_class->finalize = lab_console_tab_finalize;
  object_class->get_property = lab_console_tab_get_property;
  object_class->set_property = lab_console_tab_set_property;

  properties[PROP_CONNECTION] = g_param_spec_object ("connection", NULL, NULL,
                                                     LAB_TYPE_HOST_CONNECTION, co);
  properties[PROP_DOMAIN_NAME] = g_param_spec_string ("domain-name", NULL, NULL, NULL, co);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LAB_TYPE_CONSOLE_STATUS,
                                               LAB_CONSOLE_STATUS_CONNECTING, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
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

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "console-tab");

  g_type_ensure (LAB_TYPE_TERMINAL);
}

static void
lab_console_tab_init (LabConsoleTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->status = LAB_CONSOLE_STATUS_DETACHED;
  self->attached_domid = -1;
  self->life_cancellable = g_cancellable_new ();
  self->ip_scanner = lab_console_ip_scanner_new ();
  g_signal_connect_object (self->ip_scanner, "ip-found", G_CALLBACK (on_ip_found), self,
                           G_CONNECT_SWAPPED);

  gtk_scrollbar_set_adjustment (self->scrollbar,
                                gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->terminal)));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self, "reattach", self->reattach_check, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  lab_console_tab_set_status (self, LAB_CONSOLE_STATUS_DETACHED, NULL);
}
