/* lab-setup-recipe.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lab-setup-error.h"
#include "lab-setup-recipe.h"

#define RECIPE_RESOURCE_DIR "/io/github/miragelab/MirageLab/recipes/"

struct _LabSetupRecipe
{
  GObject parent_instance;

  char *id;
  char *title;
  char *caveat;
  GPtrArray *steps;
};

G_DEFINE_FINAL_TYPE (LabSetupRecipe, lab_setup_recipe, G_TYPE_OBJECT)

static void
action_free (gpointer data)
{
  LabSetupAction *action = data;

  g_strfreev (action->argv);
  g_free (action->path);
  g_free (action->text);
  g_free (action->description);
  g_free (action->replaces);
  g_strfreev (action->when);
  g_free (action);
}

static void
step_free (gpointer data)
{
  LabSetupStep *step = data;

  g_free (step->id);
  g_free (step->title);
  g_free (step->explanation);
  g_free (step->builtin);
  g_ptr_array_unref (step->check);
  g_ptr_array_unref (step->apply);
  g_ptr_array_unref (step->verify);
  g_free (step);
}

static void
lab_setup_recipe_finalize (GObject *object)
{
  LabSetupRecipe *self = LAB_SETUP_RECIPE (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->caveat);
  g_ptr_array_unref (self->steps);
  G_OBJECT_CLASS (lab_setup_recipe_parent_class)->finalize (object);
}

static void
lab_setup_recipe_class_init (LabSetupRecipeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_setup_recipe_finalize;
}

static void
lab_setup_recipe_init (LabSetupRecipe *self)
{
  self->steps = g_ptr_array_new_with_free_func (step_free);
}

static gboolean
recipe_error (GError    **error,
              const char *where,
              const char *what)
{
  g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_RECIPE,
               _("Malformed recipe (%s): %s"), where, what);
  return FALSE;
}

/* A string member that must be there and not be empty. */
static const char *
get_string (JsonObject  *object,
            const char  *member,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || *(value = json_node_get_string (node)) == '\0')
    {
      g_autofree char *what = g_strdup_printf (_("“%s” must be a non-empty string"), member);
      recipe_error (error, where, what);
      return NULL;
    }
  return value;
}

static gboolean
get_bool (JsonObject *object,
          const char *member,
          gboolean    fallback,
          gboolean   *out,
          const char *where,
          GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” must be true or false"), member);
      return recipe_error (error, where, what);
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A non-empty list of strings as a NULL-terminated vector, or NULL. */
static char **
parse_argv (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (array = json_node_get_array (node)) == 0)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *arg = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (arg) || json_node_get_value_type (arg) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (arg));
    }
  return g_strv_builder_end (builder);
}

/* ---- actions: one parser per kind ---- */

static gboolean
lab_setup_recipe_parse_run (JsonObject     *object,
                            const char     *member,
                            LabSetupAction *action,
                            const char     *where,
                            GError        **error)
{
  action->argv = parse_argv (json_object_get_member (object, member));
  if (action->argv == NULL)
    return recipe_error (error, where, _("“run” must be a non-empty list of strings"));
  return TRUE;
}

static gboolean
lab_setup_recipe_parse_reboot (JsonObject     *object,
                               const char     *member,
                               LabSetupAction *action,
                               const char     *where,
                               GError        **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN
      || !json_node_get_boolean (node) || action->local)
    return recipe_error (error, where, _("“reboot” must be true (and not local)"));
  action->root = TRUE;
  return TRUE;
}

static gboolean
lab_setup_recipe_parse_packages (JsonObject     *object,
                                 const char     *member,
                                 LabSetupAction *action,
                                 const char     *where,
                                 GError        **error)
{
  action->argv = parse_argv (json_object_get_member (object, member));
  if (action->argv == NULL || action->local)
    return recipe_error (error, where, _("“ensure-packages” must be a non-empty list of "
                                         "package names"));
  for (guint i = 0; action->argv[i] != NULL; i++)
    if (!g_regex_match_simple ("^[a-z0-9][a-z0-9+.-]+$", action->argv[i], 0, 0))
      return recipe_error (error, where, _("“ensure-packages” must be a non-empty list of "
                                           "package names"));
  action->root = TRUE;
  return TRUE;
}

/* "replaces", of an ensure-line. */
static gboolean
lab_setup_recipe_parse_replaces (JsonObject     *object,
                                 LabSetupAction *action,
                                 const char     *where,
                                 GError        **error)
{
  const char *pattern = get_string (object, "replaces", where, error);
  g_autoptr(GRegex) regex = NULL;

  if (pattern == NULL)
    return FALSE;
  if (action->kind != LAB_SETUP_ACTION_ENSURE_LINE
      || (regex = g_regex_new (pattern, 0, 0, NULL)) == NULL)
    return recipe_error (error, where, _("“replaces” must be a valid regular expression "
                                         "of an “ensure-line”"));
  action->replaces = g_strdup (pattern);
  return TRUE;
}

/* "mode" and "validate", of an ensure-file. */
static gboolean
lab_setup_recipe_parse_mode (JsonObject     *object,
                             LabSetupAction *action,
                             const char     *where,
                             GError        **error)
{
  const char *mode = "0";
  const char *validate = NULL;
  char *end = NULL;
  guint64 value;

  /* One at a time: both may be wrong, and only the first may set @error. */
  if (json_object_has_member (object, "mode")
      && (mode = get_string (object, "mode", where, error)) == NULL)
    return FALSE;
  if (json_object_has_member (object, "validate")
      && (validate = get_string (object, "validate", where, error)) == NULL)
    return FALSE;
  value = g_ascii_strtoull (mode, &end, 8);
  if (action->kind != LAB_SETUP_ACTION_ENSURE_FILE || *end != '\0' || value > 07777
      || (validate != NULL && !g_str_equal (validate, "sudoers")
          && !g_str_equal (validate, "netplan")))
    return recipe_error (error, where, _("“mode” (octal) and “validate” (\"sudoers\" or "
                                         "\"netplan\") belong to an “ensure-file”"));
  action->mode = value;
  action->validate = validate == NULL ? LAB_REMOTE_FILE_CHECK_NONE
                     : g_str_equal (validate, "sudoers") ? LAB_REMOTE_FILE_CHECK_SUDOERS
                     : LAB_REMOTE_FILE_CHECK_NETPLAN;
  return TRUE;
}

/* ensure-line, ensure-file and ensure-block. */
static gboolean
lab_setup_recipe_parse_file (JsonObject     *object,
                             const char     *member,
                             LabSetupAction *action,
                             const char     *where,
                             GError        **error)
{
  JsonNode *node;
  const char *text, *path;

  if (action->local)
    return recipe_error (error, where, _("file actions run on the host, not locally"));
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” must be a string"), member);
      return recipe_error (error, where, what);
    }
  text = json_node_get_string (node);
  if (action->kind == LAB_SETUP_ACTION_ENSURE_LINE && strchr (text, '\n') != NULL)
    return recipe_error (error, where, _("“ensure-line” must be one line"));
  if (action->kind == LAB_SETUP_ACTION_ENSURE_BLOCK && !g_str_has_suffix (text, "\n"))
    return recipe_error (error, where, _("“ensure-block” must be whole lines"));
  if (json_object_has_member (object, "replaces")
      && !lab_setup_recipe_parse_replaces (object, action, where, error))
    return FALSE;
  if ((json_object_has_member (object, "mode") || json_object_has_member (object, "validate"))
      && !lab_setup_recipe_parse_mode (object, action, where, error))
    return FALSE;
  path = get_string (object, "path", where, error);
  if (path == NULL)
    return FALSE;
  if (path[0] != '/' && !g_str_has_prefix (path, "${home}/"))
    return recipe_error (error, where, _("“path” must be absolute"));
  action->text = g_strdup (text);
  action->path = g_strdup (path);
  return TRUE;
}

/* Reads what is particular to the action's kind from @object's @member and the rest. */
typedef gboolean (*ParseKindFunc) (JsonObject     *object,
                                   const char     *member,
                                   LabSetupAction *action,
                                   const char     *where,
                                   GError        **error);

/* In the order of LabSetupActionKind. */
static const struct
{
  const char *member;
  ParseKindFunc parse;
} action_kinds[] = {
  [LAB_SETUP_ACTION_RUN] = { "run", lab_setup_recipe_parse_run },
  [LAB_SETUP_ACTION_ENSURE_LINE] = { "ensure-line", lab_setup_recipe_parse_file },
  [LAB_SETUP_ACTION_ENSURE_FILE] = { "ensure-file", lab_setup_recipe_parse_file },
  [LAB_SETUP_ACTION_ENSURE_BLOCK] = { "ensure-block", lab_setup_recipe_parse_file },
  [LAB_SETUP_ACTION_REBOOT] = { "reboot", lab_setup_recipe_parse_reboot },
  [LAB_SETUP_ACTION_ENSURE_PACKAGES] = { "ensure-packages", lab_setup_recipe_parse_packages },
};

/* The kind whose member @object has; -1 (and @error) when it has none or several. */
static int
lab_setup_recipe_find_kind (JsonObject  *object,
                            const char  *where,
                            GError     **error)
{
  int kind = -1;

  for (guint i = 0; i < G_N_ELEMENTS (action_kinds); i++)
    if (json_object_has_member (object, action_kinds[i].member))
      {
        if (kind >= 0)
          {
            recipe_error (error, where, _("an action must have exactly one kind"));
            return -1;
          }
        kind = i;
      }
  if (kind < 0)
    recipe_error (error, where,
                  _("an action needs “run”, “ensure-line”, “ensure-file”, "
                    "“ensure-block”, “ensure-packages” or “reboot”"));
  return kind;
}

/* What any kind of action may have: "root", "local", "description", "timeout", "when". */
static gboolean
lab_setup_recipe_parse_common (JsonObject     *object,
                               gboolean        default_root,
                               LabSetupAction *action,
                               const char     *where,
                               GError        **error)
{
  JsonNode *member;

  if (!get_bool (object, "root", default_root, &action->root, where, error)
      || !get_bool (object, "local", FALSE, &action->local, where, error))
    return FALSE;
  if (json_object_has_member (object, "description"))
    {
      const char *text = get_string (object, "description", where, error);
      if (text == NULL)
        return FALSE;
      /* The recipe's English is the msgid (listed in lab-setup-recipe-strings.c). */
      action->description = g_strdup (_(text));
    }
  member = json_object_get_member (object, "timeout");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member)
          || json_node_get_value_type (member) != G_TYPE_INT64
          || json_node_get_int (member) < 0 || json_node_get_int (member) > 86400)
        return recipe_error (error, where, _("“timeout” must be a number of seconds"));
      action->timeout_s = json_node_get_int (member);
    }

  if (json_object_has_member (object, "when"))
    {
      action->when = parse_argv (json_object_get_member (object, "when"));
      if (action->when == NULL)
        return recipe_error (error, where, _("“when” must be a non-empty list of strings"));
    }
  return TRUE;
}

static LabSetupAction *
parse_action (JsonNode    *node,
              gboolean     default_root,
              const char  *where,
              GError     **error)
{
  LabSetupAction *action;
  JsonObject *object;
  int kind;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      recipe_error (error, where, _("an action must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  kind = lab_setup_recipe_find_kind (object, where, error);
  if (kind < 0)
    return NULL;

  action = g_new0 (LabSetupAction, 1);
  action->kind = kind;
  if (!lab_setup_recipe_parse_common (object, default_root, action, where, error)
      || !action_kinds[kind].parse (object, action_kinds[kind].member, action, where, error))
    {
      action_free (action);
      return NULL;
    }
  return action;
}

static gboolean
parse_actions (JsonObject  *step_object,
               const char  *member,
               gboolean     default_root,
               GPtrArray   *into,
               const char  *step_id,
               GError     **error)
{
  JsonNode *node = json_object_get_member (step_object, member);
  g_autofree char *where = g_strdup_printf ("%s.%s", step_id, member);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return recipe_error (error, where, _("must be a list of actions"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      LabSetupAction *action = parse_action (json_array_get_element (array, i), default_root,
                                             where, error);
      if (action == NULL)
        return FALSE;
      g_ptr_array_add (into, action);
    }
  return TRUE;
}

static LabSetupStep *
parse_step (JsonNode  *node,
            guint      index,
            GError   **error)
{
  g_autofree char *where = g_strdup_printf ("steps[%u]", index);
  LabSetupStep *step;
  JsonObject *object, *needs = NULL;
  const char *id, *title, *explanation;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      recipe_error (error, where, _("a step must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  if ((id = get_string (object, "id", where, error)) == NULL
      || (title = get_string (object, "title", id, error)) == NULL
      || (explanation = get_string (object, "explanation", id, error)) == NULL)
    return NULL;

  step = g_new0 (LabSetupStep, 1);
  step->check = g_ptr_array_new_with_free_func (action_free);
  step->apply = g_ptr_array_new_with_free_func (action_free);
  step->verify = g_ptr_array_new_with_free_func (action_free);
  step->id = g_strdup (id);
  /* The recipe's English is the msgid (listed in lab-setup-recipe-strings.c). */
  step->title = g_strdup (_(title));
  step->explanation = g_strdup (_(explanation));

  if (json_object_has_member (object, "needs"))
    {
      JsonNode *needs_node = json_object_get_member (object, "needs");

      if (!JSON_NODE_HOLDS_OBJECT (needs_node))
        {
          recipe_error (error, id, _("“needs” must be an object"));
          goto fail;
        }
      needs = json_node_get_object (needs_node);
      if (!get_bool (needs, "root", FALSE, &step->needs_root, id, error)
          || !get_bool (needs, "reboot-after", FALSE, &step->reboot_after, id, error)
          || !get_bool (needs, "reconnect", FALSE, &step->reconnect, id, error))
        goto fail;
    }

  if (json_object_has_member (object, "builtin"))
    {
      const char *builtin = get_string (object, "builtin", id, error);

      if (builtin == NULL)
        goto fail;
      if (g_strcmp0 (builtin, "virtualbox") != 0 && g_strcmp0 (builtin, "connect") != 0
          && g_strcmp0 (builtin, "first-unikernel") != 0)
        {
          recipe_error (error, id, _("unknown “builtin”"));
          goto fail;
        }
      step->builtin = g_strdup (builtin);
    }

  if (!get_bool (object, "check-files", FALSE, &step->check_files, id, error))
    goto fail;
  if (!parse_actions (object, "check", step->needs_root, step->check, id, error)
      || !parse_actions (object, "apply", step->needs_root, step->apply, id, error)
      || !parse_actions (object, "verify", step->needs_root, step->verify, id, error))
    goto fail;

  if (step->builtin == NULL && step->apply->len == 0)
    {
      recipe_error (error, id, _("a step needs “apply” actions or a “builtin”"));
      goto fail;
    }
  /* Without a check a step could not say "done", and running it twice would run its
   * commands twice: only file actions are their own check. */
  if (step->builtin == NULL && step->check->len == 0)
    for (guint i = 0; i < step->apply->len; i++)
      if (!lab_setup_action_is_file (step->apply->pdata[i]))
        {
          recipe_error (error, id, _("a step that runs commands needs a “check”"));
          goto fail;
        }
  return step;

fail:
  step_free (step);
  return NULL;
}

LabSetupRecipe *
lab_setup_recipe_new_from_data (const char  *data,
                                gssize       length,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(LabSetupRecipe) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *steps;
  const char *id, *title;

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib quotes the token it stopped at and may cut a character of it in two. */
      g_autofree char *why = g_utf8_make_valid (local_error->message, -1);

      recipe_error (error, "JSON", why);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      recipe_error (error, "JSON", _("the top level must be an object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if ((id = get_string (root, "id", "recipe", error)) == NULL
      || (title = get_string (root, "title", "recipe", error)) == NULL)
    return NULL;

  self = g_object_new (LAB_TYPE_SETUP_RECIPE, NULL);
  self->id = g_strdup (id);
  self->title = g_strdup (_(title));
  if (json_object_has_member (root, "caveat"))
    {
      const char *caveat = get_string (root, "caveat", id, error);

      if (caveat == NULL)
        return NULL;
      self->caveat = g_strdup (_(caveat));
    }

  steps = json_object_get_member (root, "steps");
  if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps)
      || json_array_get_length (json_node_get_array (steps)) == 0)
    {
      recipe_error (error, id, _("“steps” must be a non-empty list"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (steps)); i++)
    {
      LabSetupStep *step = parse_step (json_array_get_element (json_node_get_array (steps), i),
                                       i, error);
      if (step == NULL)
        return NULL;
      if (lab_setup_recipe_find_step (self, step->id) >= 0)
        {
          recipe_error (error, step->id, _("two steps have this id"));
          step_free (step);
          return NULL;
        }
      g_ptr_array_add (self->steps, step);
    }
  g_debug ("recipe %s: %u steps", self->id, self->steps->len);
  return g_steal_pointer (&self);
}

LabSetupRecipe *
lab_setup_recipe_new_from_resource (const char  *name,
                                    GError     **error)
{
  g_autofree char *path = g_strconcat (RECIPE_RESOURCE_DIR, name, ".json", NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  return lab_setup_recipe_new_from_data (data, size, error);
}

const char *
lab_setup_recipe_get_id (LabSetupRecipe *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_RECIPE (self), NULL);
  return self->id;
}

const char *
lab_setup_recipe_get_title (LabSetupRecipe *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_RECIPE (self), NULL);
  return self->title;
}

const char *
lab_setup_recipe_get_caveat (LabSetupRecipe *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_RECIPE (self), NULL);
  return self->caveat;
}

guint
lab_setup_recipe_get_n_steps (LabSetupRecipe *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_RECIPE (self), 0);
  return self->steps->len;
}

const LabSetupStep *
lab_setup_recipe_get_step (LabSetupRecipe *self,
                           guint           index)
{
  g_return_val_if_fail (LAB_IS_SETUP_RECIPE (self), NULL);
  g_return_val_if_fail (index < self->steps->len, NULL);
  return self->steps->pdata[index];
}

int
lab_setup_recipe_find_step (LabSetupRecipe *self,
                            const char     *id)
{
  g_return_val_if_fail (LAB_IS_SETUP_RECIPE (self), -1);
  for (guint i = 0; i < self->steps->len; i++)
    if (g_strcmp0 (((LabSetupStep *) self->steps->pdata[i])->id, id) == 0)
      return i;
  return -1;
}

gboolean
lab_setup_action_is_file (const LabSetupAction *action)
{
  return action->kind == LAB_SETUP_ACTION_ENSURE_LINE
         || action->kind == LAB_SETUP_ACTION_ENSURE_FILE
         || action->kind == LAB_SETUP_ACTION_ENSURE_BLOCK
         || action->kind == LAB_SETUP_ACTION_ENSURE_PACKAGES;
}

GPtrArray *
lab_setup_step_get_check (const LabSetupStep *step)
{
  GPtrArray *actions = g_ptr_array_new ();

  if (step->check->len == 0 || step->check_files)
    for (guint i = 0; i < step->apply->len; i++)
      if (lab_setup_action_is_file (step->apply->pdata[i]))
        g_ptr_array_add (actions, step->apply->pdata[i]);
  for (guint i = 0; i < step->check->len; i++)
    g_ptr_array_add (actions, step->check->pdata[i]);
  return actions;
}

GPtrArray *
lab_setup_step_get_verify (const LabSetupStep *step)
{
  if (step->verify->len > 0)
    return g_ptr_array_ref (step->verify);
  return lab_setup_step_get_check (step);
}

/* Unquotes one os-release value (shell-like: "…", '…' or bare). */
static char *
os_release_value (const char *text,
                  const char *key)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strconcat (key, "=", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        g_autofree char *raw = g_strstrip (g_strdup (lines[i] + strlen (prefix)));
        char *value = g_shell_unquote (raw, NULL);

        return value != NULL ? value : g_strdup (raw);
      }
  return NULL;
}

const char *
lab_setup_pick_recipe (const char  *os_release,
                       char       **description)
{
  g_autofree char *id = os_release_value (os_release, "ID");
  g_autofree char *version = os_release_value (os_release, "VERSION_ID");

  if (description != NULL)
    {
      g_autofree char *pretty = os_release_value (os_release, "PRETTY_NAME");

      if (pretty == NULL)
        pretty = g_strdup_printf ("%s %s", id != NULL ? id : "Linux",
                                  version != NULL ? version : "");
      /* The file is the host's bytes; the wizard shows the name. */
      *description = g_utf8_make_valid (pretty, -1);
    }
  if (g_strcmp0 (id, "ubuntu") == 0 && g_strcmp0 (version, "14.04") == 0)
    return "classic";
  return "modern";
}

char *
lab_setup_format_argv (const char * const *argv)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      const char *arg = argv[i];
      gboolean plain = *arg != '\0';

      /* Quote only what a shell would read differently, so the command stays readable
       * and can still be pasted into a terminal. */
      for (const char *p = arg; *p != '\0' && plain; p++)
        plain = g_ascii_isalnum (*p) || strchr ("-_./=:,+@%^", *p) != NULL;
      if (i > 0)
        g_string_append_c (line, ' ');
      if (plain)
        g_string_append (line, arg);
      else
        {
          g_autofree char *quoted = g_shell_quote (arg);
          g_string_append (line, quoted);
        }
    }
  return g_string_free (line, FALSE);
}
