/* lab-domain-wait.c — waiting until the domain list shows a domain as an action needs it
 * (stopped before a restart, its fixed config before a start)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-domain-wait"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-domain-wait.h"

typedef struct
{
  LabDomain      *domain;
  LabDomainReady  ready;
  gconstpointer   ready_data;
  gulong          notify_id;
  gulong          cancelled_id;
  guint           timeout_id;
} Wait;

static void
lab_domain_wait_free (Wait *wait)
{
  g_clear_signal_handler (&wait->notify_id, wait->domain);
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_clear_object (&wait->domain);
  g_free (wait);
}

/* Ends the wait once: every source of an end is disconnected before the task returns. */
static void
lab_domain_wait_end (GTask  *task,
                     GError *error)
{
  Wait *wait = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_signal_handler (&wait->notify_id, wait->domain);
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  if (wait->cancelled_id != 0)
    {
      /* Not g_cancellable_disconnect: this may run inside the cancelled handler. */
      g_signal_handler_disconnect (cancellable, wait->cancelled_id);
      wait->cancelled_id = 0;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
lab_domain_wait_changed_cb (LabDomain  *domain,
                            GParamSpec *pspec,
                            GTask      *task)
{
  Wait *wait = g_task_get_task_data (task);

  if (wait->ready (domain, wait->ready_data))
    lab_domain_wait_end (task, NULL);
}

static gboolean
lab_domain_wait_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);

  wait->timeout_id = 0;
  lab_domain_wait_end (task, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                          _("The domain list did not show the change in time.")));
  return G_SOURCE_REMOVE;
}

static void
lab_domain_wait_cancelled_cb (GCancellable *cancellable,
                              GTask        *task)
{
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  lab_domain_wait_end (task, error);
}

void
lab_domain_wait_async (LabDomain           *domain,
                       const char          *property,
                       LabDomainReady       ready,
                       gconstpointer        ready_data,
                       guint                timeout_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *signal = NULL;
  Wait *wait;

  g_return_if_fail (LAB_IS_DOMAIN (domain));
  g_return_if_fail (property != NULL && ready != NULL);

  task = g_task_new (domain, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_domain_wait_async);
  if (ready (domain, ready_data))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  wait = g_new0 (Wait, 1);
  wait->domain = g_object_ref (domain);
  wait->ready = ready;
  wait->ready_data = ready_data;
  g_task_set_task_data (task, wait, (GDestroyNotify) lab_domain_wait_free);
  /* The handlers hold the task's reference until the wait ends. */
  signal = g_strconcat ("notify::", property, NULL);
  wait->notify_id = g_signal_connect (domain, signal, G_CALLBACK (lab_domain_wait_changed_cb),
                                      task);
  wait->timeout_id = g_timeout_add (timeout_ms, lab_domain_wait_timeout_cb, task);
  if (cancellable != NULL)
    wait->cancelled_id = g_signal_connect (cancellable, "cancelled",
                                           G_CALLBACK (lab_domain_wait_cancelled_cb), task);
  g_steal_pointer (&task);
}

gboolean
lab_domain_wait_finish (LabDomain     *domain,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, domain), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
lab_domain_is_stopped (LabDomain     *domain,
                       gconstpointer  unused)
{
  return !lab_domain_get_running (domain);
}
