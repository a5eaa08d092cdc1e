/* lab-host-connection-ends.c — why a host's domains ended: the stops the user asked for,
 * the kept console output, and what the list and the console say when a domain is gone
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-connection-ends"

#include "config.h"

#include "lab-host-connection-internal.h"
#include "lab-host-connection.h"

/* How long a stop request explains a domain's disappearance. */
#define EXPECTED_END_WINDOW_US (60 * G_USEC_PER_SEC)
/* A domain that left the list unexpectedly is explained once its console was quiet this
 * long (its last lines may still be on their way), or after the longer wait at most. */
#define CONSOLE_QUIET_US (G_USEC_PER_SEC / 2)
#define CONSOLE_WAIT_MAX_US (4 * G_USEC_PER_SEC)

typedef struct
{
  gint64          when;      /* monotonic time (µs) of the request */
  LabDomainAction action;
} ExpectedEnd;

void
lab_host_connection_expect_end (LabHostConnection *self,
                                const char        *name)
{
  lab_host_connection_expect_end_for (self, name, LAB_DOMAIN_ACTION_DESTROY);
}

void
lab_host_connection_expect_end_for (LabHostConnection *self,
                                    const char        *name,
                                    LabDomainAction    action)
{
  ExpectedEnd *expected;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (name != NULL);

  expected = g_new (ExpectedEnd, 1);
  expected->when = g_get_monotonic_time ();
  expected->action = action;
  g_hash_table_replace (self->expected_ends, g_strdup (name), expected);
}

LabConsoleLog *
lab_host_connection_get_console_log (LabHostConnection *self,
                                     const char        *name)
{
  LabConsoleLog *log;
  LabDomain *domain;

  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  log = g_hash_table_lookup (self->console_logs, name);
  if (log == NULL)
    {
      log = lab_console_log_new (name, LAB_CONSOLE_LOG_DEFAULT_CAPACITY);
      g_hash_table_insert (self->console_logs, g_strdup (name), log);
    }
  domain = lab_domain_store_lookup (self->domains, name);
  if (domain != NULL)
    lab_domain_set_console_log (domain, log);
  return log;
}

LabConsoleLog *
lab_host_connection_lookup_console_log (LabHostConnection *self,
                                        const char        *name)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->console_logs, name);
}

/* A domain's row may be made again (a config-less domain that runs again): it finds its
 * kept output. */
static void
lab_host_connection_ends_domains_changed_cb (LabHostConnection *self,
                                             guint              position,
                                             guint              removed,
                                             guint              added,
                                             GListModel        *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LabDomain) domain = g_list_model_get_item (model, i);
      LabConsoleLog *log = g_hash_table_lookup (self->console_logs,
                                                lab_domain_get_name (domain));

      if (log != NULL)
        lab_domain_set_console_log (domain, log);
    }
}

static void
lab_host_connection_ends_domain_crashed_cb (LabHostConnection *self,
                                            LabDomain         *domain,
                                            LabDomainStore    *store)
{
  /* A crash is news even right after a stop request. */
  _lab_host_connection_emit_domain (self, DOMAIN_CRASHED, domain);
  _lab_host_connection_emit_domain (self, DOMAIN_ENDED, domain);
}

static LabDomainEnd
lab_host_connection_ends_for_action (LabDomainAction action)
{
  switch (action)
    {
    case LAB_DOMAIN_ACTION_SHUTDOWN:
      return LAB_DOMAIN_END_SHUT_DOWN_BY_USER;
    case LAB_DOMAIN_ACTION_REBOOT:
      return LAB_DOMAIN_END_REBOOTED_BY_USER;
    case LAB_DOMAIN_ACTION_DESTROY:
    default:
      return LAB_DOMAIN_END_DESTROYED_BY_USER;
    }
}

typedef struct
{
  LabHostConnection *self;
  LabDomain         *domain;
  gint64             since;     /* monotonic µs when it left the list */
} PendingEnd;

static void
lab_host_connection_ends_pending_free (PendingEnd *pending)
{
  g_clear_object (&pending->self);
  g_clear_object (&pending->domain);
  g_free (pending);
}

static void
lab_host_connection_ends_finish_unexpected (LabHostConnection *self,
                                            LabDomain         *domain)
{
  const char *name = lab_domain_get_name (domain);
  LabConsoleLog *log = g_hash_table_lookup (self->console_logs, name);
  g_autofree char *tail = log != NULL ? lab_console_log_dup_tail (log, 20) : NULL;
  gboolean known = lab_domain_get_run_ended (domain);

  /* Running again already (on_crash = 'restart' under the same name): that run's end
   * is not this one. */
  if (!lab_domain_get_running (domain))
    lab_domain_set_end (domain, lab_domain_end_from_console (tail), FALSE, FALSE);
  g_debug ("%s left the list: %s", name, lab_domain_get_end_summary (domain));
  /* A preserved crash was announced when xl showed it; its removal is only "lost". */
  if (!known)
    _lab_host_connection_emit_domain (self, DOMAIN_ENDED, domain);
  _lab_host_connection_emit_domain (self, DOMAIN_LOST, domain);
}

static gboolean
lab_host_connection_ends_pending_cb (gpointer user_data)
{
  PendingEnd *pending = user_data;
  LabConsoleLog *log = g_hash_table_lookup (pending->self->console_logs,
                                            lab_domain_get_name (pending->domain));
  gint64 quiet = log != NULL ? g_get_real_time () - lab_console_log_get_last_append (log) : 0;

  /* The console may still be delivering the domain's last words (they travel over the
   * console channel, the list over another): wait until it is quiet, a few seconds at
   * most. */
  if (log != NULL && quiet < CONSOLE_QUIET_US
      && g_get_monotonic_time () - pending->since < CONSOLE_WAIT_MAX_US)
    return G_SOURCE_CONTINUE;

  lab_host_connection_ends_finish_unexpected (pending->self, pending->domain);
  return G_SOURCE_REMOVE;
}

static void
lab_host_connection_ends_domain_vanished_cb (LabHostConnection *self,
                                             LabDomain         *domain,
                                             LabDomainStore    *store)
{
  const char *name = lab_domain_get_name (domain);
  ExpectedEnd *request = g_hash_table_lookup (self->expected_ends, name);
  gboolean expected = request != NULL
                      && g_get_monotonic_time () - request->when < EXPECTED_END_WINDOW_US;
  PendingEnd *pending;

  /* Why it went: what the user asked for; else what xl showed before (a preserved crash
   * the user then destroyed keeps "crashed"); else what its console said last. */
  if (expected)
    {
      gboolean known = lab_domain_get_run_ended (domain);

      lab_domain_set_end (domain, lab_host_connection_ends_for_action (request->action),
                          FALSE, FALSE);
      g_hash_table_remove (self->expected_ends, name);
      g_debug ("%s left the list: %s", name, lab_domain_get_end_summary (domain));
      if (!known)
        _lab_host_connection_emit_domain (self, DOMAIN_ENDED, domain);
      return;
    }

  g_hash_table_remove (self->expected_ends, name);
  pending = g_new0 (PendingEnd, 1);
  pending->self = g_object_ref (self);
  pending->domain = g_object_ref (domain);
  pending->since = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_DEFAULT, CONSOLE_QUIET_US / 1000,
                      lab_host_connection_ends_pending_cb, pending,
                      (GDestroyNotify) lab_host_connection_ends_pending_free);
}

void
_lab_host_connection_ends_init (LabHostConnection *self)
{
  self->expected_ends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->console_logs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_signal_connect_object (self->domains, "items-changed",
                           G_CALLBACK (lab_host_connection_ends_domains_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->domains, "domain-crashed",
                           G_CALLBACK (lab_host_connection_ends_domain_crashed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->domains, "domain-vanished",
                           G_CALLBACK (lab_host_connection_ends_domain_vanished_cb), self,
                           G_CONNECT_SWAPPED);
}
