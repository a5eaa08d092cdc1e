/* lab-setup-logs.c — what each step of the guided setup printed, kept per step
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-logs"

#include "config.h"

#include <string.h>

#include "lab-setup-logs.h"

/* A step's page shows what that step printed, not what the step before it did: the
 * wizard keeps one text per step and shows the one of the step on screen. A step that
 * prints a lot (opam builds OCaml) keeps its newest part. */
struct _LabSetupLogs
{
  GObject     parent_instance;

  GHashTable *texts;          /* step id → GString */
  gsize       max_per_step;
};

G_DEFINE_FINAL_TYPE (LabSetupLogs, lab_setup_logs, G_TYPE_OBJECT)

static void
lab_setup_logs_string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

LabSetupLogs *
lab_setup_logs_new (gsize max_per_step)
{
  LabSetupLogs *self = g_object_new (LAB_TYPE_SETUP_LOGS, NULL);

  self->max_per_step = MAX (max_per_step, 1);
  return self;
}

void
lab_setup_logs_append (LabSetupLogs *self,
                       const char   *step_id,
                       const char   *text,
                       gsize         length)
{
  GString *log;

  g_return_if_fail (LAB_IS_SETUP_LOGS (self));
  g_return_if_fail (step_id != NULL);
  g_return_if_fail (text != NULL || length == 0);

  log = g_hash_table_lookup (self->texts, step_id);
  if (log == NULL)
    {
      log = g_string_new (NULL);
      g_hash_table_insert (self->texts, g_strdup (step_id), log);
    }
  g_string_append_len (log, text, length);
  if (log->len > self->max_per_step)
    {
      gsize cut = log->len - self->max_per_step;
      const char *nl = memchr (log->str + cut, '\n', log->len - cut);

      /* From the next line start, so no line is shown half. */
      cut = nl != NULL ? (gsize) (nl - log->str) + 1 : log->len;
      g_string_erase (log, 0, cut);
    }
}

const char *
lab_setup_logs_get (LabSetupLogs *self,
                    const char   *step_id,
                    gsize        *length)
{
  GString *log;

  g_return_val_if_fail (LAB_IS_SETUP_LOGS (self), "");

  log = step_id != NULL ? g_hash_table_lookup (self->texts, step_id) : NULL;
  if (length != NULL)
    *length = log != NULL ? log->len : 0;
  return log != NULL ? log->str : "";
}

static void
lab_setup_logs_finalize (GObject *object)
{
  LabSetupLogs *self = LAB_SETUP_LOGS (object);

  g_hash_table_unref (self->texts);
  G_OBJECT_CLASS (lab_setup_logs_parent_class)->finalize (object);
}

static void
lab_setup_logs_class_init (LabSetupLogsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_setup_logs_finalize;
}

static void
lab_setup_logs_init (LabSetupLogs *self)
{
  self->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       lab_setup_logs_string_free);
}
