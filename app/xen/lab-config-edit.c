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
#include "lab-elf-notes.h"

/* An image's Xen notes come right after its headers. */
#define IMAGE_HEADER_BYTES (256 * 1024)

#include "lab-config-edit.h"

struct _LabConfigEdit
{
  GObject            parent_instance;

  LabHostConnection *connection;
  LabDomain         *domain;     /* NULL for a new domain */
  char              *folder;     /* a new domain's */
  char              *original;   /* NULL for a new domain */
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
  /* A new domain's config is new whatever it holds. */
  gboolean modified = self->original == NULL
                      || g_strcmp0 (lab_xl_config_get_text (self->config), self->original) != 0;

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

/* A name no domain of the host has: "unikernel", "unikernel-2", … */
static char *
lab_config_edit_free_name (LabHostConnection *connection)
{
  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup ("unikernel") : g_strdup_printf ("unikernel-%u", i);

      if (connection == NULL || lab_host_connection_check_new_name (connection, name, NULL))
        return g_steal_pointer (&name);
    }
  return g_strdup ("unikernel");
}

LabConfigEdit *
lab_config_edit_new_domain (LabHostConnection *connection,
                            const char        *folder,
                            const char        *bridge)
{
  LabConfigEdit *self;
  g_autoptr(GRand) rand = g_rand_new ();
  g_auto(GStrv) used = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *name = NULL;
  g_autofree char *vif = NULL;
  g_autofree char *path = NULL;
  const char *vifs[2] = { NULL, NULL };

  g_return_val_if_fail (connection == NULL || LAB_IS_HOST_CONNECTION (connection), NULL);
  g_return_val_if_fail (folder != NULL && bridge != NULL, NULL);

  self = g_object_new (LAB_TYPE_CONFIG_EDIT, NULL);
  self->connection = connection ? g_object_ref (connection) : NULL;
  self->folder = g_strdup (folder);
  if (connection != NULL)
    used = lab_domain_store_dup_macs (lab_host_connection_get_domains (connection));
  mac = lab_xl_generate_mac (rand, (const char * const *) used);
  name = lab_config_edit_free_name (connection);
  path = g_build_filename (folder, "new.xl", NULL);
  self->config = lab_xl_config_new_from_data (path, "# Made with Mirage Lab\n", -1, NULL);
  vif = g_strdup_printf ("bridge=%s,mac=%s", bridge, mac ? mac : "");
  vifs[0] = vif;
  /* Every value here is plain: none can be refused. */
  lab_xl_config_set_string (self->config, "name", name, NULL);
  lab_xl_config_set_string (self->config, "type", "pvh", NULL);
  lab_xl_config_set_string (self->config, "kernel", "", NULL);
  lab_xl_config_set_number (self->config, "memory", 64, NULL);
  lab_xl_config_set_number (self->config, "vcpus", 1, NULL);
  lab_xl_config_set_list (self->config, "vif", vifs, NULL);
  lab_xl_config_set_string (self->config, "on_crash", "preserve", NULL);
  self->modified = TRUE;
  return self;
}

const char *
lab_config_edit_get_folder (LabConfigEdit *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), NULL);
  return self->folder;
}

char *
lab_config_edit_dup_path (LabConfigEdit *self)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), NULL);

  if (self->folder == NULL)
    return g_strdup (lab_xl_config_get_path (self->config));
  file = g_strconcat (lab_xl_config_get_name (self->config) ?: "", ".xl", NULL);
  return g_build_filename (self->folder, file, NULL);
}

gboolean
lab_config_edit_set_bridge (LabConfigEdit  *self,
                            const char     *bridge,
                            GError        **error)
{
  const char * const *vifs;
  g_autoptr(GHashTable) options = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autofree char *spec = NULL;
  const char *mac;

  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (self), FALSE);

  vifs = lab_xl_config_get_list (self->config, "vif");
  options = lab_xl_parse_vif_spec (vifs != NULL ? vifs[0] : NULL);
  mac = g_hash_table_lookup (options, "mac");
  spec = mac != NULL ? g_strdup_printf ("bridge=%s,mac=%s", bridge, mac)
                     : g_strdup_printf ("bridge=%s", bridge);
  /* The first vif is the form's; any others stay as they are. */
  g_strv_builder_add (builder, spec);
  for (guint i = 1; vifs != NULL && vifs[0] != NULL && vifs[i] != NULL; i++)
    g_strv_builder_add (builder, vifs[i]);
  list = g_strv_builder_end (builder);
  if (!lab_xl_config_set_list (self->config, "vif", (const char * const *) list, error))
    return FALSE;
  lab_config_edit_changed (self);
  return TRUE;
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
  return self->domain != NULL && lab_domain_get_running (self->domain);
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
  g_autofree char *path = lab_config_edit_dup_path (self);

  return lab_setup_diff (path, self->original, lab_xl_config_get_text (self->config));
}

/* A task for what needs the host; NULL (and the callback told) without a connection. */
static GTask *
lab_config_edit_task_new (LabConfigEdit       *self,
                          gpointer             source_tag,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->connection != NULL)
    return task;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected to the domain's host."));
  g_object_unref (task);
  return NULL;
}

static void
lab_config_edit_checked_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabConfigEdit *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();

  problems = lab_config_check_finish (LAB_HOST_CONNECTION (source), result, &error);
  if (problems == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A new domain's name must be free, and plain: it is also the file's name. */
  if (self->domain == NULL
      && !lab_host_connection_check_new_name (self->connection,
                                              lab_xl_config_get_name (self->config) ?: "",
                                              &name_error))
    g_strv_builder_add (all, name_error->message);
  g_strv_builder_addv (all, (const char **) problems);
  g_task_return_pointer (task, g_strv_builder_end (all), (GDestroyNotify) g_strfreev);
}

void
lab_config_edit_check_async (LabConfigEdit       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LAB_IS_CONFIG_EDIT (self));

  task = lab_config_edit_task_new (self, lab_config_edit_check_async, cancellable, callback,
                                   user_data);
  if (task == NULL)
    return;
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

static gboolean
lab_config_edit_header_enough_cb (const char *contents,
                                  goffset     size,
                                  gpointer    user_data)
{
  return size < IMAGE_HEADER_BYTES;
}

/* The image's Xen notes say how it boots: a new domain's type follows them. */
static void
lab_config_edit_header_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabConfigEdit *self = g_task_get_source_object (task);
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *type;

  if (g_file_load_partial_contents_finish (G_FILE (source), result, &contents, &length, NULL,
                                           NULL))
    {
      type = lab_elf_boot_domain_type (lab_elf_read_boot ((const guint8 *) contents, length));
      if (type != NULL && self->domain == NULL)
        lab_config_edit_set_string (self, "type", type, NULL);
    }
  g_task_return_pointer (task, g_strdup (lab_xl_config_get_string (self->config, "kernel")),
                         g_free);
}

static void
lab_config_edit_uploaded_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabConfigEdit *self = g_task_get_source_object (task);
  LabSftpUpload *upload = LAB_SFTP_UPLOAD (source);
  GCancellable *cancellable;
  GError *error = NULL;
  GFile *local;

  if (!lab_sftp_upload_run_finish (upload, result, &error)
      || !lab_config_edit_set_string (self, "kernel", lab_sftp_upload_get_target (upload),
                                      &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The task is handed on last: what the call needs of it is read first. */
  local = g_task_get_task_data (task);
  cancellable = g_task_get_cancellable (task);
  g_file_load_partial_contents_async (local, cancellable, lab_config_edit_header_enough_cb,
                                      lab_config_edit_header_cb, g_steal_pointer (&task));
}

void
lab_config_edit_upload_kernel_async (LabConfigEdit       *self,
                                     GFile               *local,
                                     LabSftpUpload      **upload_out,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(LabSftpUpload) upload = NULL;
  g_autofree char *config_path = lab_config_edit_dup_path (self);
  g_autofree char *folder = g_path_get_dirname (config_path);
  g_autofree char *base = g_file_get_basename (local);
  g_autofree char *target = NULL;
  LabSshSession *session;

  g_return_if_fail (LAB_IS_CONFIG_EDIT (self));
  g_return_if_fail (G_IS_FILE (local));

  task = lab_config_edit_task_new (self, lab_config_edit_upload_kernel_async, cancellable,
                                   callback, user_data);
  if (task == NULL)
    return;
  session = lab_host_connection_get_session (self->connection);
  if (session == NULL || base == NULL || !g_path_is_absolute (folder))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the domain's host."));
      return;
    }
  target = g_build_filename (folder, base, NULL);
  g_task_set_task_data (task, g_object_ref (local), g_object_unref);
  upload = lab_sftp_upload_new (session, local, target, LAB_SFTP_UPLOAD_NONE);
  if (upload_out != NULL)
    *upload_out = g_object_ref (upload);
  lab_sftp_upload_run_async (upload, cancellable, lab_config_edit_uploaded_cb,
                             g_steal_pointer (&task));
}

char *
lab_config_edit_upload_kernel_finish (LabConfigEdit  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lab_config_edit_created_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabConfigEdit *self = g_task_get_source_object (task);
  g_autoptr(LabDomain) domain = NULL;
  GError *error = NULL;

  domain = lab_host_connection_create_config_finish (LAB_HOST_CONNECTION (source), result,
                                                     &error);
  if (domain == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* From now on it is an edit of that domain's config. */
  g_set_object (&self->domain, domain);
  g_task_return_pointer (task, lab_config_edit_dup_path (self), g_free);
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

  task = lab_config_edit_task_new (self, lab_config_edit_save_async, cancellable, callback,
                                   user_data);
  if (task == NULL)
    return;
  if (self->domain == NULL)
    {
      g_autofree char *path = lab_config_edit_dup_path (self);
      g_autoptr(LabXlConfig) config = NULL;
      GError *error = NULL;

      config = lab_xl_config_new_from_data (path, lab_xl_config_get_text (self->config), -1,
                                            &error);
      if (config == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      lab_host_connection_create_config_async (self->connection, config, cancellable,
                                               lab_config_edit_created_cb,
                                               g_steal_pointer (&task));
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
  g_clear_pointer (&self->folder, g_free);
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
