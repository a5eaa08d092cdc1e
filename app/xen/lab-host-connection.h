/* lab-host-connection.h — a dom0 host at run time: its SSH session, its live domains
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ssh/lab-ssh-session.h"
#include "xen/lab-domain-store.h"
#include "xen/lab-host.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_CONNECTION_STATE_DISCONNECTED,
  LAB_CONNECTION_STATE_CONNECTING,
  LAB_CONNECTION_STATE_CONNECTED,
  LAB_CONNECTION_STATE_RECONNECTING,
  LAB_CONNECTION_STATE_FAILED,
} LabConnectionState;

GType lab_connection_state_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_CONNECTION_STATE (lab_connection_state_get_type ())

const char *lab_connection_state_to_string    (LabConnectionState state);
const char *lab_connection_state_get_icon_name (LabConnectionState state);

#define LAB_TYPE_HOST_CONNECTION (lab_host_connection_get_type ())

G_DECLARE_FINAL_TYPE (LabHostConnection, lab_host_connection, LAB, HOST_CONNECTION, GObject)

LabHostConnection  *lab_host_connection_new         (LabHost            *host);
LabHost            *lab_host_connection_get_host    (LabHostConnection  *self);
LabDomainStore     *lab_host_connection_get_domains (LabHostConnection  *self);
LabConnectionState  lab_host_connection_get_state   (LabHostConnection  *self);
/* Why the last attempt failed, for the user; NULL when nothing failed. */
const char         *lab_host_connection_get_message (LabHostConnection  *self);

/* The user asked @name to stop (shut down, force off, reboot): when it leaves the list in
 * the next minute, that is no surprise and ::domain-lost is not emitted for it. */
void                lab_host_connection_expect_end  (LabHostConnection  *self,
                                                     const char         *name);
/* The same, saying which stop it was (SHUTDOWN, REBOOT, DESTROY): the domain's end reason
 * then says "Shut down by you"… */
void                lab_host_connection_expect_end_for (LabHostConnection *self,
                                                        const char        *name,
                                                        LabDomainAction    action);

/* The kept console output of the domain called @name on this host (made on first use, and
 * given to the domain's row): whatever shows a console feeds it, it outlives the domain,
 * its console tab and the SSH session. */
LabConsoleLog      *lab_host_connection_get_console_log    (LabHostConnection *self,
                                                            const char        *name);
/* The same, NULL when nothing was kept for @name. */
LabConsoleLog      *lab_host_connection_lookup_console_log (LabHostConnection *self,
                                                            const char        *name);

/* For the session layer: report what happened. Notifies only on change. */
void                lab_host_connection_set_state   (LabHostConnection  *self,
                                                     LabConnectionState  state,
                                                     const char         *message);

/* Connects over SSH (answering requests through ::request), then lists the domains every
 * refresh interval and keeps the store, their IPs and their web pages up to date. */
void                lab_host_connection_connect     (LabHostConnection  *self);
/* Closes the session; consoles on it end. Domains keep running. */
void                lab_host_connection_disconnect  (LabHostConnection  *self);
LabSshSession      *lab_host_connection_get_session (LabHostConnection  *self);
/* Why the last refresh failed while connected (e.g. sudo refused), or NULL. */
const char         *lab_host_connection_get_poll_error (LabHostConnection *self);
void                lab_host_connection_set_refresh_interval (LabHostConnection *self,
                                                              guint              interval_ms);
/* Refreshes now instead of at the next tick (after an action, or when asked). */
void                lab_host_connection_poll_now    (LabHostConnection  *self);

/* Runs the xl command for @action (not OPEN_CONSOLE: consoles open their own channel).
 * Fails with the remote error text; with LAB_XL_ERROR_LEGACY_CONFIG for a classic
 * builder='linux' config on a Xen that no longer knows it, see fix_legacy_config. */
void                lab_host_connection_run_action_async  (LabHostConnection   *self,
                                                           LabDomain           *domain,
                                                           LabDomainAction      action,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            lab_host_connection_run_action_finish (LabHostConnection   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* The same, with what xl printed (stderr then stdout; e.g. "Parsing config from …"). */
gboolean            lab_host_connection_run_action_finish_output (LabHostConnection  *self,
                                                                  GAsyncResult       *result,
                                                                  char              **output,
                                                                  GError            **error);
/* Runs @argv ("xl", …) on dom0 as root, whatever the list last saw (a domain created a
 * moment ago is not listed yet), then refreshes the list. Returns what xl printed (stderr
 * then stdout), or fails with xl's error as one readable line. */
void                lab_host_connection_run_xl_async      (LabHostConnection   *self,
                                                           const char * const  *argv,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char               *lab_host_connection_run_xl_finish     (LabHostConnection   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
gboolean            lab_host_connection_needs_legacy_fix  (LabHostConnection   *self,
                                                           LabDomain           *domain);
/* Makes way for a fresh start of @domain (after a rebuild): when it runs, forces it off
 * (an end the user asked for) and completes once the domain list shows it stopped; at once
 * when it does not run. */
void                lab_host_connection_stop_for_restart_async  (LabHostConnection   *self,
                                                                 LabDomain           *domain,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean            lab_host_connection_stop_for_restart_finish (LabHostConnection   *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);
/* Moves @domain's config (and with @with_kernel the kernel image it names, when it is
 * there) into a new folder under ~/.local/share/mirage-lab/deleted on dom0, as the user;
 * nothing is removed. Refused while the domain runs. Returns that folder. */
void                lab_host_connection_delete_config_async  (LabHostConnection   *self,
                                                              LabDomain           *domain,
                                                              gboolean             with_kernel,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
char               *lab_host_connection_delete_config_finish (LabHostConnection   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Rewrites the domain's config on dom0 with `type = "pv"` instead of builder='linux',
 * after a backup, and completes once the domain has the fixed config (a start then uses
 * it); returns the backup's path. */
/* Writes @text over @domain's config (backup, atomic, and only if the file still holds
 * @expected: the text the edit started from, or with NULL the config the list has now);
 * done when the domain list shows the new config. Finishes with the backup's path. */
void                lab_host_connection_save_config_async  (LabHostConnection   *self,
                                                            LabDomain           *domain,
                                                            const char          *expected,
                                                            const char          *text,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
char               *lab_host_connection_save_config_finish (LabHostConnection   *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
/* Where a new domain's config goes: the first of the host's config folders without
 * wildcards, as an absolute path on dom0 ("~" is the login's home); NULL when there is none
 * or the home is not known yet. */
char               *lab_host_connection_dup_new_config_folder (LabHostConnection *self);
/* Whether @name may be given to a new domain on this host (plain, and no domain has it). */
gboolean            lab_host_connection_check_new_name     (LabHostConnection   *self,
                                                            const char          *name,
                                                            GError             **error);
/* Saves @config as a new file at its path (never over an existing one) after checking its
 * name; finishes with its domain once the domain list shows it (looked for at once). */
void                lab_host_connection_create_config_async  (LabHostConnection   *self,
                                                              LabXlConfig         *config,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
LabDomain          *lab_host_connection_create_config_finish (LabHostConnection   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void                lab_host_connection_fix_legacy_config_async  (LabHostConnection   *self,
                                                                  LabDomain           *domain,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
char               *lab_host_connection_fix_legacy_config_finish (LabHostConnection   *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

G_END_DECLS
