/* lab-application.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-application"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-core.h"
#include "lab-display-text.h"
#include "views/lab-accessible.h"
#include "views/lab-preferences-window.h"
#include "views/lab-ssh-prompt.h"
#include "views/lab-window.h"

#include "lab-application.h"

struct _LabApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  LabHostStore   *host_store;
  GHashTable     *connections;   /* host id → LabHostConnection */
  char           *load_error;
};

G_DEFINE_FINAL_TYPE (LabApplication, lab_application, ADW_TYPE_APPLICATION)

LabApplication *
lab_application_new (void)
{
  return g_object_new (LAB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

GSettings *
lab_application_get_settings (LabApplication *self)
{
  g_return_val_if_fail (LAB_IS_APPLICATION (self), NULL);

  return self->settings;
}

LabHostStore *
lab_application_get_host_store (LabApplication *self)
{
  g_return_val_if_fail (LAB_IS_APPLICATION (self), NULL);

  return self->host_store;
}

const char *
lab_application_get_load_error (LabApplication *self)
{
  g_return_val_if_fail (LAB_IS_APPLICATION (self), NULL);

  return self->load_error;
}

/* The lines of the body, each one bounded line of the domain's or dom0's words. */
static void
append_line (GString    *body,
             const char *text)
{
  g_autofree char *line = lab_text_for_display (text, LAB_DISPLAY_LINE_MAX);

  if (line == NULL || *line == '\0')
    return;
  if (body->len > 0)
    g_string_append_c (body, '\n');
  g_string_append (body, line);
}

/**
 * lab_application_dup_notification_body:
 * @host: where @domain ran
 * @domain: a domain that crashed or stopped by itself
 * @crashed: which of the two
 *
 * What the desktop notification about @domain says: plain text on every notification
 * server (no `<`, `>` or `&` left, valid UTF-8), at most %LAB_DISPLAY_NOTIFICATION_MAX
 * characters.
 *
 * Returns: (transfer full): the body
 */
char *
lab_application_dup_notification_body (LabHost   *host,
                                       LabDomain *domain,
                                       gboolean   crashed)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *host_name = NULL;
  g_autofree char *first = NULL;
  LabConsoleLog *log;
  g_autofree char *tail = NULL;

  g_return_val_if_fail (LAB_IS_HOST (host), NULL);
  g_return_val_if_fail (LAB_IS_DOMAIN (domain), NULL);

  name = lab_text_for_display (lab_domain_get_name (domain), LAB_DISPLAY_NAME_MAX);
  host_name = lab_text_for_display (lab_host_get_name (host), LAB_DISPLAY_NAME_MAX);
  if (crashed)
    first = g_strdup_printf (_("“%s” on %s crashed."), name, host_name);
  else
    first = g_strdup_printf (_("“%s” on %s is no longer running."), name, host_name);
  append_line (body, first);

  /* How it ended and its last words, when they are known. */
  append_line (body, lab_domain_get_end_summary (domain));
  log = lab_domain_get_console_log (domain);
  tail = log != NULL ? lab_console_log_dup_tail (log, 3) : NULL;
  if (tail != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (tail, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        append_line (body, lines[i]);
    }

  return lab_text_for_notification (body->str, LAB_DISPLAY_NOTIFICATION_MAX);
}

static void
lab_application_notify_domain (LabApplication    *self,
                               LabHostConnection *connection,
                               LabDomain         *domain,
                               gboolean           crashed)
{
  LabHost *host = lab_host_connection_get_host (connection);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = lab_application_dup_notification_body (host, domain, crashed);
  g_autofree char *valid_name = g_utf8_make_valid (lab_domain_get_name (domain), -1);
  g_autofree char *id = NULL;

  notification = g_notification_new (crashed ? _("Domain Crashed")
                                             : _("Domain Stopped Unexpectedly"));
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action (notification, "app.activate");
  /* The id travels over D-Bus as a string, which must be UTF-8. */
  id = g_strdup_printf ("domain-%s-%s", lab_host_get_id (host), valid_name);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
lab_application_domain_crashed (LabHostConnection *connection,
                                LabDomain         *domain,
                                LabApplication    *self)
{
  lab_application_notify_domain (self, connection, domain, TRUE);
}

static void
lab_application_domain_lost (LabHostConnection *connection,
                             LabDomain         *domain,
                             LabApplication    *self)
{
  lab_application_notify_domain (self, connection, domain, FALSE);
}

static GtkWindow *lab_application_get_main_window (LabApplication *self);

static void
lab_application_ssh_request (LabHostConnection *connection,
                             LabSshRequest     *request,
                             LabApplication    *self)
{
  lab_ssh_prompt_present (lab_application_get_main_window (self), request);
}

static void
lab_application_apply_refresh_interval (LabApplication    *self,
                                        LabHostConnection *connection)
{
  double seconds = self->settings ? g_settings_get_double (self->settings, "refresh-interval")
                                  : 2.0;

  lab_host_connection_set_refresh_interval (connection, (guint) (seconds * 1000));
}

static void
lab_application_refresh_interval_changed (LabApplication *self)
{
  GHashTableIter iter;
  LabHostConnection *connection;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
    lab_application_apply_refresh_interval (self, connection);
}

LabHostConnection *
lab_application_get_connection (LabApplication *self,
                                LabHost        *host)
{
  LabHostConnection *connection;

  g_return_val_if_fail (LAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (LAB_IS_HOST (host), NULL);

  connection = g_hash_table_lookup (self->connections, lab_host_get_id (host));
  if (connection == NULL)
    {
      connection = lab_host_connection_new (host);
      g_signal_connect_object (connection, "domain-crashed",
                               G_CALLBACK (lab_application_domain_crashed), self, 0);
      g_signal_connect_object (connection, "domain-lost",
                               G_CALLBACK (lab_application_domain_lost), self, 0);
      g_signal_connect_object (connection, "request",
                               G_CALLBACK (lab_application_ssh_request), self, 0);
      lab_application_apply_refresh_interval (self, connection);
      g_hash_table_insert (self->connections, g_strdup (lab_host_get_id (host)), connection);
    }

  return connection;
}

static void
lab_application_hosts_changed (LabApplication *self)
{
  GHashTableIter iter;
  const char *id;

  /* A removed host takes its connection with it. */
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    {
      if (lab_host_store_lookup (self->host_store, id) == NULL)
        g_hash_table_iter_remove (&iter);
    }
}

static GtkWindow *
lab_application_get_main_window (LabApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (lab_window_new (self));

  return window;
}

static void
lab_application_activate (GApplication *app)
{
  LabApplication *self = LAB_APPLICATION (app);

  gtk_window_present (lab_application_get_main_window (self));
}

static void
lab_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
lab_application_preferences_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  LabApplication *self = LAB_APPLICATION (user_data);
  GtkWindow *parent = lab_application_get_main_window (self);
  LabPreferencesWindow *preferences;

  preferences = lab_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
lab_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  LabApplication *self = LAB_APPLICATION (user_data);
  static const char *developers[] = { "The Mirage Lab authors", NULL };
  GtkWindow *parent = lab_application_get_main_window (self);
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  adw_about_window_set_application_name (about, _("Mirage Lab"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, _("The Mirage Lab authors"));
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_comments (about,
                                 _("Set up Xen for MirageOS, start and stop unikernels, "
                                   "watch their consoles and open them in the browser."));
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_website (about, "https://github.com/miragelab/mirage-lab");
  adw_about_window_set_issue_url (about, "https://github.com/miragelab/mirage-lab/issues");
  /* Translators: put your names here, one per line. */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static void
lab_application_activate_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  /* What clicking a notification does: bring the window up. */
  g_application_activate (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "activate", lab_application_activate_action },
  { "quit", lab_application_quit_action },
  { "preferences", lab_application_preferences_action },
  { "about", lab_application_about_action },
};

static void
lab_application_apply_color_scheme (LabApplication *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");

  if (g_strcmp0 (scheme, "light") == 0)
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (scheme, "dark") == 0)
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
lab_application_startup (GApplication *app)
{
  LabApplication *self = LAB_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  lab_core_init ();

  G_APPLICATION_CLASS (lab_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);
  lab_accessible_init ();

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::refresh-interval",
                           G_CALLBACK (lab_application_refresh_interval_changed), self,
                           G_CONNECT_SWAPPED);

  {
    g_autoptr(GError) error = NULL;

    if (!lab_host_store_load (self->host_store, &error))
      {
        g_warning ("%s", error->message);
        self->load_error = g_strdup (error->message);
      }
  }
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (lab_application_apply_color_scheme), self,
                           G_CONNECT_SWAPPED);
  lab_application_apply_color_scheme (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
}

static void
lab_application_shutdown (GApplication *app)
{
  LabApplication *self = LAB_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  if (!lab_host_store_flush (self->host_store, &error))
    g_warning ("Could not save the hosts: %s", error->message);

  G_APPLICATION_CLASS (lab_application_parent_class)->shutdown (app);
}

static void
lab_application_dispose (GObject *object)
{
  LabApplication *self = LAB_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_object (&self->host_store);
  g_clear_pointer (&self->load_error, g_free);

  G_OBJECT_CLASS (lab_application_parent_class)->dispose (object);
}

/* Options a person looks for, answered before any window or connection exists. */
static int
lab_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static void
lab_application_class_init (LabApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lab_application_dispose;
  app_class->activate = lab_application_activate;
  app_class->handle_local_options = lab_application_handle_local_options;
  app_class->startup = lab_application_startup;
  app_class->shutdown = lab_application_shutdown;
}

static void
lab_application_init (LabApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run MirageOS unikernels on Xen from one "
                                              "window."));
  self->host_store = lab_host_store_new (NULL);
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_signal_connect_object (self->host_store, "items-changed",
                           G_CALLBACK (lab_application_hosts_changed), self, G_CONNECT_SWAPPED);
}
