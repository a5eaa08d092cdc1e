/* lab-config-edit.c — one edit of a domain's .xl config
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form and the text view of the editor change one working copy; what was read stays
 * for the diff and for the check that nobody changed the file on dom0 meanwhile.
 */

#define G_LOG_DOMAIN "lab-config-edit"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "setup/lab-setup-diff.h"
#include "lab-config-check.h"

#include "lab-config-edit.h"

struct _LabConfigEdit
{
  GObject            parent_instance;

  LabHostConnection *connection;
  LabDomain         *domain;
  char              *original;
  LabXlConfig       *config;
  gboolean           modified;
};

G_DEFINE_FINAL_TYPE (LabConfigEdit, lab_config_edit, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lab_config_edit_changed (LabConfigEdit *self)
{
  gboolean modified = g_strcmp0 (lab_xl_config_get_text (self->config), self->original) != 0;

  if (modified == self->modified)
    return;
  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

LabConfigEdit *
lab_config_edit_new (LabHostConnection *connection,
                     LabDomain         *domain)
{
  LabXlConfig *config;
  LabConfigEdit *self;

  g_return_val_if_fail (connection == NULL || LAB_IS_HOST_CONNECTION (connection), NULL);
  g_return_val_if_fail (LAB_IS_DOMAIN (domain), NULL);
  config = lab_domain_get_config (domain);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (LAB_TYPE_CONFIG_EDIT, NULL);
  self->connection = connection ? g_object_ref (connection) : NULL;
  self->domain = g_object_ref (domain);
  self->original = g_strdup (lab_xl_config_get_text (config));
  /* It parsed once; the same text parses again. */
  self->config = lab_xl_config_new_from_data (lab_xl_config_get_path (config), self->original,
                                              -1, NULL);
  g_assert (self->config != NULL);
  return self;
}

LabDomain *
lab_config_edit_get_domain (LabConfigEdit *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), NULL);
  return self->domain;
}

LabXlConfig *
lab_config_edit_get_config (LabConfigEdit *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), NULL);
  return self->config;
}

const char *
lab_config_edit_get_original (LabConfigEdit *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), NULL);
  return self->original;
}

gboolean
lab_config_edit_get_modified (LabConfigEdit *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), FALSE);
  return self->modified;
}

gboolean
lab_config_edit_get_applies_later (LabConfigEdit *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), FALSE);
  return lab_domain_get_running (self->domain);
}

gboolean
lab_config_edit_set_number (LabConfigEdit  *self,
                            const char     *key,
                            gint64          value,
                            GError        **error)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), FALSE);

  if (!lab_xl_config_set_number (self->config, key, value, error))
    return FALSE;
  lab_config_edit_changed (self);
  return TRUE;
}

gboolean
lab_config_edit_set_string (LabConfigEdit  *self,
                            const char     *key,
                            const char     *value,
                            GError        **error)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  /* An empty value is not added; an existing setting keeps its line even when emptied (an
   * entry is emptied on the way to a new text, and xl reads '' as no value). */
  if (*value == '\0' && lab_xl_config_get_string (self->config, key) == NULL)
    return TRUE;
  if (!lab_xl_config_set_string (self->config, key, value, error))
    return FALSE;
  lab_config_edit_changed (self);
  return TRUE;
}

gboolean
lab_config_edit_set_cmdline (LabConfigEdit  *self,
                             const char     *value,
                             GError        **error)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), FALSE);

  /* xl reads `cmdline` first; a config that has it keeps using it. */
  if (lab_xl_config_get_string (self->config, "cmdline") != NULL)
    return lab_config_edit_set_string (self, "cmdline", value, error);
  return lab_config_edit_set_string (self, "extra", value, error);
}

gboolean
lab_config_edit_set_text (LabConfigEdit  *self,
                          const char     *text,
                          GError        **error)
{
  g_autoptr(LabXlConfig) parsed = NULL;

  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  parsed = lab_xl_config_new_from_data (lab_xl_config_get_path (self->config), text, -1,
                                        error);
  if (parsed == NULL)
    return FALSE;
  g_set_object (&self->config, parsed);
  lab_config_edit_changed (self);
  return TRUE;
}

char *
lab_config_edit_dup_diff (LabConfigEdit *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), NULL);

  return lab_setup_diff (lab_xl_config_get_path (self->config), self->original,
                         lab_xl_config_get_text (self->config));
}

static void
lab_config_edit_checked_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GStrv problems;

  problems = lab_config_check_finish (LAB_HOST_CONNECTION (source), result, &error);
  if (problems == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, problems, (GDestroyNotify) g_strfreev);
}

void
lab_config_edit_check_async (LabConfigEdit       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LAB_IS_CONFIG_EDIT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_config_edit_check_async);
  if (self->connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the domain's host."));
      return;
    }
  lab_config_check_async (self->connection, self->config, self->domain, cancellable,
                          lab_config_edit_checked_cb, g_steal_pointer (&task));
}

GStrv
lab_config_edit_check_finish (LabConfigEdit  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lab_config_edit_saved_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *backup;

  backup = lab_host_connection_save_config_finish (LAB_HOST_CONNECTION (source), result,
                                                   &error);
  if (backup == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, backup, g_free);
}

void
lab_config_edit_save_async (LabConfigEdit       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LAB_IS_CONFIG_EDIT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_config_edit_save_async);
  if (self->connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the domain's host."));
      return;
    }
  /* Only over the text the edit started from: a change made on dom0 since is never
   * written over, even one the list has already shown. */
  lab_host_connection_save_config_async (self->connection, self->domain, self->original,
                                         lab_xl_config_get_text (self->config), cancellable,
                                         lab_config_edit_saved_cb, g_steal_pointer (&task));
}

char *
lab_config_edit_save_finish (LabConfigEdit  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lab_config_edit_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LabConfigEdit *self = LAB_CONFIG_EDIT (object);

  switch (prop_id)
    {
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_config_edit_finalize (GObject *object)
{
  LabConfigEdit *self = LAB_CONFIG_EDIT (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->domain);
  g_clear_object (&self->config);
  g_clear_pointer (&self->original, g_free);

  G_OBJECT_CLASS (lab_config_edit_parent_class)->finalize (object);
}

static void
lab_config_edit_class_init (LabConfigEditClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lab_config_edit_get_property;
  object_class->finalize = lab_config_edit_finalize;

  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_config_edit_init (LabConfigEdit *self)
{
}
