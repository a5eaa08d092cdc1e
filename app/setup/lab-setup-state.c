/* lab-setup-state.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lab-setup-error.h"
#include "lab-setup-state.h"

#define STATE_VERSION 1

struct _LabSetupState
{
  GObject parent_instance;

  char *host;
  guint port;
  char *user;
  char *vm;
  char *recipe;
  char *step;
  gboolean pending_reboot;
  GHashTable *status;   /* step id -> LabSetupStepStatus */
  GHashTable *settings; /* recipe variable -> value the user chose (or VirtualBox told) */
};

G_DEFINE_FINAL_TYPE (LabSetupState, lab_setup_state, G_TYPE_OBJECT)

static void
lab_setup_state_finalize (GObject *object)
{
  LabSetupState *self = LAB_SETUP_STATE (object);

  g_free (self->host);
  g_free (self->user);
  g_free (self->vm);
  g_free (self->recipe);
  g_free (self->step);
  g_hash_table_unref (self->status);
  g_hash_table_unref (self->settings);
  G_OBJECT_CLASS (lab_setup_state_parent_class)->finalize (object);
}

static void
lab_setup_state_class_init (LabSetupStateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_setup_state_finalize;
}

static void
lab_setup_state_init (LabSetupState *self)
{
  self->status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

LabSetupState *
lab_setup_state_new (void)
{
  return g_object_new (LAB_TYPE_SETUP_STATE, NULL);
}

char *
lab_setup_state_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "mirage-lab", "setup.json", NULL);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
load_list (LabSetupState      *self,
           JsonObject         *object,
           const char         *name,
           LabSetupStepStatus  status)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element)
          && json_node_get_value_type (element) == G_TYPE_STRING)
        lab_setup_state_set_step_status (self, json_node_get_string (element), status);
    }
}

LabSetupState *
lab_setup_state_load (const char  *path,
                      GError     **error)
{
  g_autoptr(LabSetupState) self = lab_setup_state_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *default_path = NULL;
  JsonObject *root;
  JsonNode *node;
  gsize length;

  if (path == NULL)
    path = default_path = lab_setup_state_default_path ();
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_STATE,
                   _("Could not read the setup state: %s"), local_error->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, contents, length, &local_error)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_STATE,
                   _("The setup state in %s is damaged (%s); remove it to start over."),
                   path, local_error != NULL ? local_error->message : _("not an object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (root, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_int (node) != STATE_VERSION)
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_STATE,
                   _("The setup state in %s has an unknown version; remove it to start "
                     "over."), path);
      return NULL;
    }
  self->host = g_strdup (member_string (root, "host"));
  self->user = g_strdup (member_string (root, "user"));
  self->vm = g_strdup (member_string (root, "vm"));
  self->recipe = g_strdup (member_string (root, "recipe"));
  self->step = g_strdup (member_string (root, "step"));
  node = json_object_get_member (root, "port");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64
      && json_node_get_int (node) > 0 && json_node_get_int (node) < 65536)
    self->port = json_node_get_int (node);
  node = json_object_get_member (root, "pending-reboot");
  self->pending_reboot = node != NULL && JSON_NODE_HOLDS_VALUE (node)
                         && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                         && json_node_get_boolean (node);
  node = json_object_get_member (root, "settings");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *settings = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (settings);

      for (GList *l = names; l != NULL; l = l->next)
        if (member_string (settings, l->data) != NULL)
          g_hash_table_insert (self->settings, g_strdup (l->data),
                               g_strdup (member_string (settings, l->data)));
    }
  load_list (self, root, "done", LAB_SETUP_STEP_STATUS_DONE);
  load_list (self, root, "skipped", LAB_SETUP_STEP_STATUS_SKIPPED);
  return g_steal_pointer (&self);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_list (JsonBuilder        *builder,
          LabSetupState      *self,
          const char         *name,
          LabSetupStepStatus  status)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (self->status),
                                       (GCompareFunc) g_strcmp0);

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    if (GPOINTER_TO_INT (g_hash_table_lookup (self->status, l->data)) == (int) status)
      json_builder_add_string_value (builder, l->data);
  json_builder_end_array (builder);
}

char *
lab_setup_state_to_json (LabSetupState *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (LAB_IS_SETUP_STATE (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STATE_VERSION);
  add_string (builder, "host", self->host);
  if (self->port != 0)
    {
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, self->port);
    }
  add_string (builder, "user", self->user);
  add_string (builder, "vm", self->vm);
  add_string (builder, "recipe", self->recipe);
  add_string (builder, "step", self->step);
  json_builder_set_member_name (builder, "pending-reboot");
  json_builder_add_boolean_value (builder, self->pending_reboot);
  add_list (builder, self, "done", LAB_SETUP_STEP_STATUS_DONE);
  add_list (builder, self, "skipped", LAB_SETUP_STEP_STATUS_SKIPPED);
  {
    g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (self->settings),
                                          (GCompareFunc) g_strcmp0);

    json_builder_set_member_name (builder, "settings");
    json_builder_begin_object (builder);
    for (GList *l = names; l != NULL; l = l->next)
      add_string (builder, l->data, g_hash_table_lookup (self->settings, l->data));
    json_builder_end_object (builder);
  }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

gboolean
lab_setup_state_save (LabSetupState  *self,
                      const char     *path,
                      GError        **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LAB_IS_SETUP_STATE (self), FALSE);

  if (path == NULL)
    path = default_path = lab_setup_state_default_path ();
  dir = g_path_get_dirname (path);
  json = lab_setup_state_to_json (self);
  /* g_file_set_contents_full writes a temporary file and renames it over the old one, so a
   * crash leaves the previous state, never half of one. */
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                    0600, &local_error))
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_STATE,
                   _("Could not save the setup state to %s: %s"), path,
                   local_error != NULL ? local_error->message : g_strerror (errno));
      return FALSE;
    }
  g_debug ("saved setup state to %s", path);
  return TRUE;
}

#define STRING_ACCESSORS(field) \
  const char * \
  lab_setup_state_get_##field (LabSetupState *self) \
  { \
    g_return_val_if_fail (LAB_IS_SETUP_STATE (self), NULL); \
    return self->field; \
  } \
  void \
  lab_setup_state_set_##field (LabSetupState *self, \
                               const char    *value) \
  { \
    g_return_if_fail (LAB_IS_SETUP_STATE (self)); \
    if (g_strcmp0 (self->field, value) == 0) \
      return; \
    g_free (self->field); \
    self->field = g_strdup (value); \
  }

STRING_ACCESSORS (host)
STRING_ACCESSORS (user)
STRING_ACCESSORS (vm)
STRING_ACCESSORS (recipe)
STRING_ACCESSORS (step)

guint
lab_setup_state_get_port (LabSetupState *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_STATE (self), 0);
  return self->port;
}

void
lab_setup_state_set_port (LabSetupState *self,
                          guint          port)
{
  g_return_if_fail (LAB_IS_SETUP_STATE (self));
  self->port = port;
}

gboolean
lab_setup_state_get_pending_reboot (LabSetupState *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_STATE (self), FALSE);
  return self->pending_reboot;
}

void
lab_setup_state_set_pending_reboot (LabSetupState *self,
                                    gboolean       pending)
{
  g_return_if_fail (LAB_IS_SETUP_STATE (self));
  self->pending_reboot = !!pending;
}

LabSetupStepStatus
lab_setup_state_get_step_status (LabSetupState *self,
                                 const char    *step)
{
  g_return_val_if_fail (LAB_IS_SETUP_STATE (self), LAB_SETUP_STEP_STATUS_TODO);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->status, step));
}

void
lab_setup_state_set_step_status (LabSetupState      *self,
                                 const char         *step,
                                 LabSetupStepStatus  status)
{
  g_return_if_fail (LAB_IS_SETUP_STATE (self));
  if (status == LAB_SETUP_STEP_STATUS_TODO)
    g_hash_table_remove (self->status, step);
  else
    g_hash_table_insert (self->status, g_strdup (step), GINT_TO_POINTER (status));
}

const char *
lab_setup_state_get_setting (LabSetupState *self,
                             const char    *name)
{
  g_return_val_if_fail (LAB_IS_SETUP_STATE (self), NULL);
  return g_hash_table_lookup (self->settings, name);
}

void
lab_setup_state_set_setting (LabSetupState *self,
                             const char    *name,
                             const char    *value)
{
  g_return_if_fail (LAB_IS_SETUP_STATE (self));
  if (value == NULL || *value == '\0')
    g_hash_table_remove (self->settings, name);
  else
    g_hash_table_insert (self->settings, g_strdup (name), g_strdup (value));
}
