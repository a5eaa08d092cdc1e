/* lab-host-store.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lab-xl-list.h"

#include "lab-host-store.h"

/* Coalesces a burst of edits (typing a host name) into one write. */
#define SAVE_DELAY_MS 500

struct _LabHostStore
{
  GObject    parent_instance;

  GFile     *file;
  GPtrArray *hosts;
  guint      save_source;
  gboolean   dirty;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LabHostStore, lab_host_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return LAB_TYPE_HOST;
}

static guint
get_n_items (GListModel *model)
{
  return LAB_HOST_STORE (model)->hosts->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  LabHostStore *self = LAB_HOST_STORE (model);

  return position < self->hosts->len ? g_object_ref (self->hosts->pdata[position]) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

LabHostStore *
lab_host_store_new (GFile *file)
{
  LabHostStore *self = g_object_new (LAB_TYPE_HOST_STORE, NULL);

  if (file != NULL)
    self->file = g_object_ref (file);
  else
    self->file = g_file_new_build_filename (g_get_user_config_dir (), "mirage-lab",
                                            "hosts.json", NULL);

  return self;
}

GFile *
lab_host_store_get_file (LabHostStore *self)
{
  g_return_val_if_fail (LAB_IS_HOST_STORE (self), NULL);
  return self->file;
}

static void
save_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!lab_host_store_save_finish (LAB_HOST_STORE (object), result, &error))
    g_warning ("Could not save the hosts: %s", error->message);
}

static gboolean
save_timeout (gpointer user_data)
{
  LabHostStore *self = LAB_HOST_STORE (user_data);

  self->save_source = 0;
  lab_host_store_save_async (self, NULL, save_done, NULL);

  return G_SOURCE_REMOVE;
}

static void
schedule_save (LabHostStore *self)
{
  self->dirty = TRUE;
  if (self->save_source == 0)
    self->save_source = g_timeout_add_full (G_PRIORITY_DEFAULT, SAVE_DELAY_MS, save_timeout,
                                            g_object_ref (self), g_object_unref);
}

static void
host_changed (LabHostStore *self)
{
  schedule_save (self);
}

static void
append_host (LabHostStore *self,
             LabHost      *host)
{
  g_ptr_array_add (self->hosts, g_object_ref (host));
  g_signal_connect_object (host, "notify", G_CALLBACK (host_changed), self, G_CONNECT_SWAPPED);
}

gboolean
lab_host_store_load (LabHostStore  *self,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  gsize length = 0;
  guint old_len;
  JsonNode *root;
  JsonNode *hosts;

  g_return_val_if_fail (LAB_IS_HOST_STORE (self), FALSE);

  path = g_file_get_path (self->file);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, contents, length, &local_error))
    goto broken;

  root = json_parser_get_root (parser);
  hosts = root && JSON_NODE_HOLDS_OBJECT (root)
          ? json_object_get_member (json_node_get_object (root), "hosts") : NULL;
  if (hosts == NULL || !JSON_NODE_HOLDS_ARRAY (hosts))
    {
      local_error = g_error_new (LAB_XL_ERROR, LAB_XL_ERROR_PARSE, _("No list of hosts"));
      goto broken;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (hosts)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (hosts), i);
      LabHost *host;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      host = lab_host_new_from_json (json_node_get_object (node), &local_error);
      if (host == NULL)
        goto broken;
      g_ptr_array_add (loaded, host);
    }

  old_len = self->hosts->len;
  g_ptr_array_set_size (self->hosts, 0);
  for (guint i = 0; i < loaded->len; i++)
    append_host (self, loaded->pdata[i]);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->hosts->len);

  return TRUE;

broken:
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
    g_autofree char *aside = g_strdup_printf ("%s.broken-%s", path, stamp);

    /* Never overwrite what the user had: keep it next to the fresh file. */
    if (g_rename (path, aside) != 0)
      g_clear_pointer (&aside, g_free);

    g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                 _("The saved hosts in “%s” could not be read (%s). "
                   "The file was kept as “%s”."),
                 path, local_error ? local_error->message : "?", aside ? aside : path);
    return FALSE;
  }
}

void
lab_host_store_add (LabHostStore *self,
                    LabHost      *host)
{
  g_return_if_fail (LAB_IS_HOST_STORE (self));
  g_return_if_fail (LAB_IS_HOST (host));

  append_host (self, host);
  g_list_model_items_changed (G_LIST_MODEL (self), self->hosts->len - 1, 0, 1);
  schedule_save (self);
}

void
lab_host_store_remove (LabHostStore *self,
                       LabHost      *host)
{
  guint position;

  g_return_if_fail (LAB_IS_HOST_STORE (self));
  g_return_if_fail (LAB_IS_HOST (host));

  if (!g_ptr_array_find (self->hosts, host, &position))
    return;

  g_signal_handlers_disconnect_by_func (host, host_changed, self);
  g_ptr_array_remove_index (self->hosts, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  schedule_save (self);
}

LabHost *
lab_host_store_lookup (LabHostStore *self,
                       const char   *id)
{
  g_return_val_if_fail (LAB_IS_HOST_STORE (self), NULL);

  for (guint i = 0; i < self->hosts->len; i++)
    {
      if (g_strcmp0 (lab_host_get_id (self->hosts->pdata[i]), id) == 0)
        return self->hosts->pdata[i];
    }

  return NULL;
}

char *
lab_host_store_serialize (LabHostStore *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "hosts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->hosts->len; i++)
    json_builder_add_value (builder, lab_host_to_json (self->hosts->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

static void
replace_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
lab_host_store_save_async (LabHostStore        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *data;

  g_return_if_fail (LAB_IS_HOST_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_store_save_async);
  g_clear_handle_id (&self->save_source, g_source_remove);

  if (!self->dirty)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->dirty = FALSE;

  parent = g_file_get_parent (self->file);
  if (!g_file_make_directory_with_parents (parent, cancellable, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = lab_host_store_serialize (self);
  bytes = g_bytes_new_take (data, strlen (data));
  /* g_file_replace_contents writes a temporary file and renames it over the old one. */
  g_file_replace_contents_bytes_async (self->file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE, cancellable,
                                       replace_done, g_steal_pointer (&task));
}

gboolean
lab_host_store_save_finish (LabHostStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
lab_host_store_flush (LabHostStore  *self,
                      GError       **error)
{
  g_autofree char *data = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (LAB_IS_HOST_STORE (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!self->dirty)
    return TRUE;

  path = g_file_get_path (self->file);
  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0700);
  data = lab_host_store_serialize (self);
  /* g_file_set_contents_full also writes a temporary file and renames it. */
  if (!g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  self->dirty = FALSE;
  return TRUE;
}

static void
lab_host_store_dispose (GObject *object)
{
  LabHostStore *self = LAB_HOST_STORE (object);

  g_clear_handle_id (&self->save_source, g_source_remove);

  G_OBJECT_CLASS (lab_host_store_parent_class)->dispose (object);
}

static void
lab_host_store_finalize (GObject *object)
{
  LabHostStore *self = LAB_HOST_STORE (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->hosts, g_ptr_array_unref);

  G_OBJECT_CLASS (lab_host_store_parent_class)->finalize (object);
}

static void
lab_host_store_class_init (LabHostStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lab_host_store_dispose;
  object_class->finalize = lab_host_store_finalize;
}

static void
lab_host_store_init (LabHostStore *self)
{
  self->hosts = g_ptr_array_new_with_free_func (g_object_unref);
}
