/* lab-xl-list.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-xl-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab-xl-list.h"

G_DEFINE_QUARK (lab-xl-error-quark, lab_xl_error)

G_DEFINE_BOXED_TYPE (LabXlDomainInfo, lab_xl_domain_info,
                     lab_xl_domain_info_copy, lab_xl_domain_info_free)

/* Anything longer than this in one line of xl output is not something xl wrote. */
#define MAX_LINE_LENGTH (64 * 1024)

LabXlDomainInfo *
lab_xl_domain_info_new (void)
{
  LabXlDomainInfo *info = g_new0 (LabXlDomainInfo, 1);

  info->domid = -1;
  info->memory_mib = -1;
  info->vcpus = -1;
  info->cpu_time = -1;
  info->uptime = -1;
  info->max_memory_mib = -1;

  return info;
}

LabXlDomainInfo *
lab_xl_domain_info_copy (const LabXlDomainInfo *info)
{
  LabXlDomainInfo *copy = g_memdup2 (info, sizeof *info);

  copy->name = g_strdup (info->name);
  copy->xl_name = g_strdup (info->xl_name);
  copy->state = g_strdup (info->state);
  copy->uuid = g_strdup (info->uuid);
  copy->type = g_strdup (info->type);
  copy->kernel = g_strdup (info->kernel);
  copy->cmdline = g_strdup (info->cmdline);
  copy->on_crash = g_strdup (info->on_crash);
  copy->macs = g_strdupv (info->macs);
  copy->bridges = g_strdupv (info->bridges);

  return copy;
}

void
lab_xl_domain_info_free (LabXlDomainInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info->xl_name);
  g_free (info->state);
  g_free (info->uuid);
  g_free (info->type);
  g_free (info->kernel);
  g_free (info->cmdline);
  g_free (info->on_crash);
  g_strfreev (info->macs);
  g_strfreev (info->bridges);
  g_free (info);
}

/* xl output is ASCII except for domain names and paths, which come from users: keep
 * them displayable whatever bytes they hold. */
static char *
dup_valid_utf8 (const char *text,
                gssize      length)
{
  return g_utf8_make_valid (text, length);
}

static gboolean
parse_int64 (const char *token,
             gint64     *out)
{
  char *end = NULL;
  gint64 value;

  if (token == NULL || *token == '\0')
    return FALSE;

  value = g_ascii_strtoll (token, &end, 10);
  if (end == NULL || *end != '\0')
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
is_blank (const char *line)
{
  for (; *line; line++)
    {
      if (!g_ascii_isspace (*line))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_state_letters (const char *token)
{
  if (strlen (token) != 6)
    return FALSE;

  for (const char *p = token; *p; p++)
    {
      if (strchr ("rbpscdwS-", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

static GPtrArray *
split_lines (const char  *text,
             gssize       length)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *end;
  const char *p = text;

  /* An empty GBytes gives a NULL @text: no lines. */
  if (text == NULL)
    return lines;
  if (length < 0)
    length = strlen (text);
  end = text + length;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;
      gsize len = line_end - p;

      if (len > 0 && p[len - 1] == '\r')
        len--;
      g_ptr_array_add (lines, g_strndup (p, len));
      p = nl ? nl + 1 : end;
    }

  return lines;
}

/* Splits off the last @n whitespace-separated tokens of @line (modified in place). Returns
 * the remaining head, right-trimmed: xl pads the name with %-40s and long names overflow,
 * so only splitting from the right is safe. */
static char *
rsplit_tokens (char  *line,
               guint  n,
               char **tokens)
{
  char *p = line + strlen (line);

  for (guint i = n; i > 0; i--)
    {
      char *token_end;

      while (p > line && g_ascii_isspace (p[-1]))
        p--;
      token_end = p;
      while (p > line && !g_ascii_isspace (p[-1]))
        p--;
      if (p == token_end)
        return NULL;
      *token_end = '\0';
      tokens[i - 1] = p;
    }

  while (p > line && g_ascii_isspace (p[-1]))
    p--;
  *p = '\0';

  return line;
}

GPtrArray *
lab_xl_parse_list (const char  *text,
                   gssize       length,
                   GError     **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GString) held = NULL;
  gboolean seen_header = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  lines = split_lines (text, length);
  result = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_xl_domain_info_free);

  for (guint i = 0; i < lines->len; i++)
    {
      char *line = g_ptr_array_index (lines, i);
      g_autoptr(LabXlDomainInfo) info = NULL;
      g_autofree char *whole_line = NULL;
      char *tokens[5] = { NULL };
      char *name;
      gint64 domid, memory, vcpus;
      char *end = NULL;
      double cpu_time;

      if (is_blank (line))
        continue;

      if (!seen_header)
        {
          if (!g_str_has_prefix (line, "Name") || strstr (line, "State") == NULL)
            {
              g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                           _("“xl list” printed no header line"));
              return NULL;
            }
          seen_header = TRUE;
          continue;
        }

      if (strlen (line) > MAX_LINE_LENGTH)
        {
          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                       _("Line %u of “xl list” is too long"), i + 1);
          return NULL;
        }

      whole_line = g_strdup (line);
      name = rsplit_tokens (line, G_N_ELEMENTS (tokens), tokens);
      if (name == NULL || *name == '\0'
          || !parse_int64 (tokens[0], &domid) || domid < 0 || domid > G_MAXINT
          || !parse_int64 (tokens[1], &memory) || memory < 0
          || !parse_int64 (tokens[2], &vcpus) || vcpus < 0 || vcpus > G_MAXINT
          || !is_state_letters (tokens[3]))
        {
          /* xl prints a name as it is: a newline in it starts a new line, and the row
           * ends on a later one. Held until then (within the line limit). */
          if (held == NULL)
            held = g_string_new (NULL);
          g_string_append (held, whole_line);
          g_string_append_c (held, '\n');
          if (held->len > MAX_LINE_LENGTH)
            {
              g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                           _("Line %u of “xl list” is not a domain row"), i + 1);
              return NULL;
            }
          continue;
        }

      cpu_time = g_ascii_strtod (tokens[4], &end);
      if (end == NULL || *end != '\0' || cpu_time < 0)
        {
          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                       _("Line %u of “xl list” has no CPU time"), i + 1);
          return NULL;
        }

      info = lab_xl_domain_info_new ();
      if (held != NULL)
        {
          g_string_append (held, name);
          name = held->str;
          info->name_spans_lines = TRUE;
        }
      info->name = dup_valid_utf8 (name, -1);
      if (!g_utf8_validate (name, -1, NULL))
        info->xl_name = g_strdup (name);
      if (held != NULL)
        g_string_free (g_steal_pointer (&held), TRUE);
      info->domid = (int) domid;
      info->memory_mib = memory;
      info->vcpus = (int) vcpus;
      info->state = g_strdup (tokens[3]);
      info->cpu_time = cpu_time;
      g_ptr_array_add (result, g_steal_pointer (&info));
    }

  if (!seen_header)
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("“xl list” printed nothing"));
      return NULL;
    }
  if (held != NULL)
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("The last line of “xl list” is not a domain row"));
      return NULL;
    }

  return g_steal_pointer (&result);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return dup_valid_utf8 (json_node_get_string (node), -1);
}

static gint64
get_int (JsonObject *object,
         const char *member,
         gint64      fallback)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return fallback;
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;

  return json_node_get_int (node);
}

GPtrArray *
lab_xl_parse_list_long (const char  *text,
                        gssize       length,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *array;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  /* Empty output (an empty GBytes has no data at all) is no JSON: json-glib takes it as a
   * document without a root, reported below. */
  if (!json_parser_load_from_data (parser, text != NULL ? text : "", length, &local_error))
    {
      /* json-glib quotes the token it stopped at and may cut a character of it in two. */
      g_autofree char *why = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("“xl list -l” did not print valid JSON: %s"), why);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("“xl list -l” did not print a JSON array"));
      return NULL;
    }

  array = json_node_get_array (root);
  result = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_xl_domain_info_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(LabXlDomainInfo) info = NULL;
      JsonObject *domain, *config, *c_info, *b_info;
      JsonNode *nics;
      gint64 domid;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;

      domain = json_node_get_object (element);
      domid = get_int (domain, "domid", -1);
      config = get_object (domain, "config");
      c_info = get_object (config, "c_info");
      b_info = get_object (config, "b_info");
      if (domid < 0 || domid > G_MAXINT || c_info == NULL)
        continue;

      info = lab_xl_domain_info_new ();
      info->domid = (int) domid;
      info->name = get_string (c_info, "name");
      info->uuid = get_string (c_info, "uuid");
      info->type = get_string (c_info, "type");
      info->on_crash = get_string (config, "on_crash");
      if (b_info != NULL)
        {
          gint64 max_memkb = get_int (b_info, "max_memkb", -1);
          gint64 vcpus = get_int (b_info, "max_vcpus", -1);

          info->kernel = get_string (b_info, "kernel");
          info->cmdline = get_string (b_info, "cmdline");
          info->max_memory_mib = max_memkb >= 0 ? max_memkb / 1024 : -1;
          if (vcpus >= 0 && vcpus <= G_MAXINT)
            info->vcpus = (int) vcpus;
        }

      nics = config ? json_object_get_member (config, "nics") : NULL;
      if (nics != NULL && JSON_NODE_HOLDS_ARRAY (nics))
        {
          JsonArray *nic_array = json_node_get_array (nics);
          g_autoptr(GStrvBuilder) macs = g_strv_builder_new ();
          g_autoptr(GStrvBuilder) bridges = g_strv_builder_new ();

          for (guint j = 0; j < json_array_get_length (nic_array); j++)
            {
              JsonNode *nic_node = json_array_get_element (nic_array, j);
              g_autofree char *mac = NULL;
              g_autofree char *bridge = NULL;

              if (!JSON_NODE_HOLDS_OBJECT (nic_node))
                continue;
              mac = get_string (json_node_get_object (nic_node), "mac");
              bridge = get_string (json_node_get_object (nic_node), "bridge");
              if (mac != NULL)
                {
                  g_autofree char *lower = g_ascii_strdown (mac, -1);

                  g_strv_builder_add (macs, lower);
                  g_strv_builder_add (bridges, bridge ? bridge : "");
                }
            }
          info->macs = g_strv_builder_end (macs);
          info->bridges = g_strv_builder_end (bridges);
        }

      if (info->name == NULL)
        continue;

      g_ptr_array_add (result, g_steal_pointer (&info));
    }

  return g_steal_pointer (&result);
}

/* Digits at *@p (at most @max_digits of them), advancing *@p. */
static gboolean
scan_digits (const char **p,
             guint        max_digits,
             gint64      *value)
{
  const char *q = *p;
  gint64 v = 0;

  while (g_ascii_isdigit (*q) && (guint) (q - *p) < max_digits)
    v = v * 10 + (*q++ - '0');
  if (q == *p || g_ascii_isdigit (*q))
    return FALSE;
  *p = q;
  *value = v;
  return TRUE;
}

typedef enum
{
  UPTIME_OK,
  UPTIME_NOT_AN_UPTIME,   /* not xl's format: the line is skipped */
  UPTIME_TOO_MANY_DAYS,   /* more days than xl's int holds: an error */
} UptimeParse;

/* `xl uptime` prints "%-33s %4d %s" with the uptime as "[N day[s], ]%2d:%02d:%02d", N a C
 * int (xl's uptime_to_string). Days beyond that int are not xl's, and bounding them keeps the
 * seconds far from overflowing. */
static UptimeParse
parse_uptime_value (const char *text,
                    gint64     *seconds)
{
  gint64 days = 0, hours, minutes, secs;
  const char *p = text;

  while (*p == ' ')
    p++;
  if (strchr (p, ',') != NULL)
    {
      /* 18 digits always fit an int64; more are too many days anyway. */
      const char *digits = p;

      while (g_ascii_isdigit (*p))
        p++;
      if (p == digits || !g_str_has_prefix (p, " day"))
        return UPTIME_NOT_AN_UPTIME;
      p = digits;
      if (!scan_digits (&p, 18, &days) || days > G_MAXINT)
        return UPTIME_TOO_MANY_DAYS;
      p = strchr (p, ',') + 1;
      while (*p == ' ')
        p++;
    }

  if (!scan_digits (&p, 9, &hours) || *p++ != ':'
      || !scan_digits (&p, 2, &minutes) || *p++ != ':'
      || !scan_digits (&p, 2, &secs) || minutes > 59 || secs > 59)
    return UPTIME_NOT_AN_UPTIME;

  *seconds = days * 86400 + hours * 3600 + minutes * 60 + secs;
  return UPTIME_OK;
}

GHashTable *
lab_xl_parse_uptime (const char  *text,
                     gssize       length,
                     GError     **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GHashTable) result = NULL;
  gboolean seen_header = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  lines = split_lines (text, length);
  result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < lines->len; i++)
    {
      char *line = g_ptr_array_index (lines, i);
      g_autofree char *name = NULL;
      gint64 seconds;
      char *rest;
      char *p;

      if (!seen_header)
        {
          if (g_str_has_prefix (line, "Name"))
            seen_header = TRUE;
          continue;
        }

      /* Name (may overflow its column), then the ID, then the uptime text. */
      if (strlen (line) < 35 || strlen (line) > MAX_LINE_LENGTH)
        continue;
      p = line + 33;
      while (*p == ' ')
        p++;
      while (g_ascii_isdigit (*p))
        p++;
      if (*p != ' ')
        continue;
      rest = p + 1;
      switch (parse_uptime_value (rest, &seconds))
        {
        case UPTIME_OK:
          break;
        case UPTIME_NOT_AN_UPTIME:
          continue;
        case UPTIME_TOO_MANY_DAYS:
        default:
          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                       _("Line %u of “xl uptime” counts more days than xl can"), i + 1);
          return NULL;
        }

      p = line + 33;
      while (p > line && p[-1] == ' ')
        p--;
      name = dup_valid_utf8 (line, p - line);
      g_hash_table_insert (result, g_steal_pointer (&name), g_memdup2 (&seconds, sizeof seconds));
    }

  if (!seen_header)
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("“xl uptime” printed no header line"));
      return NULL;
    }

  return g_steal_pointer (&result);
}

static const LabXlDomainInfo *
find_by_domid (GPtrArray *list,
               int        domid)
{
  for (guint i = 0; i < list->len; i++)
    {
      const LabXlDomainInfo *info = g_ptr_array_index (list, i);

      if (info->domid == domid)
        return info;
    }
  return NULL;
}

static gboolean
names_are_ambiguous (GPtrArray *list,
                     GPtrArray *list_long)
{
  for (guint i = 0; i < list->len; i++)
    {
      if (((LabXlDomainInfo *) g_ptr_array_index (list, i))->name_spans_lines)
        return TRUE;
    }
  for (guint i = 0; i < list_long->len; i++)
    {
      if (strchr (((LabXlDomainInfo *) g_ptr_array_index (list_long, i))->name, '\n'))
        return TRUE;
    }
  return FALSE;
}

static const char *
last_line (const char *name)
{
  const char *nl = strrchr (name, '\n');

  return nl != NULL ? nl + 1 : name;
}

/* Whether a row of `xl list` is the end of the row of @details: the same name, or, for a
 * name with newlines, the same last line (xl pads it, so trailing blanks do not count). */
static gboolean
row_matches (const LabXlDomainInfo *info,
             const LabXlDomainInfo *details)
{
  g_autofree char *theirs = g_strchomp (g_strdup (last_line (details->name)));

  return g_strcmp0 (info->name, details->name) == 0
         || g_strcmp0 (last_line (info->name), theirs) == 0;
}

/* A name with a newline splits its row of `xl list`, and the lines before the row may look
 * like rows of domains that do not exist, or of others that do. `xl list -l` quotes names
 * in JSON: when a name has a newline, the names there are the ones that count, and a row
 * that does not end a name it knows under that ID is dropped (unless its name is not
 * UTF-8: those xl cannot put into JSON). */
static void
take_names_from_long_list (GPtrArray *list,
                           GPtrArray *list_long)
{
  if (!names_are_ambiguous (list, list_long))
    return;

  for (guint i = list->len; i > 0; i--)
    {
      LabXlDomainInfo *info = g_ptr_array_index (list, i - 1);
      const LabXlDomainInfo *details = find_by_domid (list_long, info->domid);

      /* xl list -l leaves out, on purpose, a domain whose name is not UTF-8. */
      if (details == NULL && info->xl_name != NULL)
        continue;
      if (details == NULL || !row_matches (info, details))
        {
          g_debug ("dropping a row of domain %d: xl list -l has no such name", info->domid);
          g_ptr_array_remove_index (list, i - 1);
          continue;
        }
      if (g_strcmp0 (info->name, details->name) != 0)
        {
          g_free (info->name);
          info->name = g_strdup (details->name);
          g_clear_pointer (&info->xl_name, g_free);
        }
    }
}

void
lab_xl_merge (GPtrArray  *list,
              GPtrArray  *list_long,
              GHashTable *uptimes)
{
  g_return_if_fail (list != NULL);

  if (list_long != NULL)
    take_names_from_long_list (list, list_long);

  for (guint i = 0; i < list->len; i++)
    {
      LabXlDomainInfo *info = g_ptr_array_index (list, i);

      if (uptimes != NULL)
        {
          gint64 *seconds = g_hash_table_lookup (uptimes, info->name);

          if (seconds != NULL)
            info->uptime = *seconds;
        }

      for (guint j = 0; list_long != NULL && j < list_long->len; j++)
        {
          LabXlDomainInfo *details = g_ptr_array_index (list_long, j);

          if (details->domid != info->domid || g_strcmp0 (details->name, info->name) != 0)
            continue;

          g_free (info->uuid);
          info->uuid = g_strdup (details->uuid);
          g_free (info->type);
          info->type = g_strdup (details->type);
          g_free (info->kernel);
          info->kernel = g_strdup (details->kernel);
          g_free (info->cmdline);
          info->cmdline = g_strdup (details->cmdline);
          g_free (info->on_crash);
          info->on_crash = g_strdup (details->on_crash);
          info->max_memory_mib = details->max_memory_mib;
          g_strfreev (info->macs);
          info->macs = g_strdupv (details->macs);
          g_strfreev (info->bridges);
          info->bridges = g_strdupv (details->bridges);
          break;
        }
    }
}

GPtrArray *
lab_xl_parse_poll (GBytes  *list,
                   GBytes  *list_long,
                   GBytes  *uptime,
                   GError **error)
{
  g_autoptr(GPtrArray) running = NULL;
  g_autoptr(GPtrArray) running_long = NULL;
  g_autoptr(GHashTable) uptimes = NULL;
  gsize len;
  const char *text;

  g_return_val_if_fail (list != NULL, NULL);

  text = g_bytes_get_data (list, &len);
  running = lab_xl_parse_list (text, len, error);
  if (running == NULL)
    return NULL;

  /* The long listing and the uptimes only add detail: without them the list still works. */
  if (list_long != NULL)
    {
      text = g_bytes_get_data (list_long, &len);
      running_long = lab_xl_parse_list_long (text, len, NULL);
    }
  if (uptime != NULL)
    {
      text = g_bytes_get_data (uptime, &len);
      uptimes = lab_xl_parse_uptime (text, len, NULL);
    }
  lab_xl_merge (running, running_long, uptimes);
  return g_steal_pointer (&running);
}

typedef struct
{
  GBytes *list;
  GBytes *list_long;
  GBytes *uptime;
} PollOutputs;

static void
poll_outputs_free (PollOutputs *outputs)
{
  g_clear_pointer (&outputs->list, g_bytes_unref);
  g_clear_pointer (&outputs->list_long, g_bytes_unref);
  g_clear_pointer (&outputs->uptime, g_bytes_unref);
  g_free (outputs);
}

static void
parse_poll_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PollOutputs *outputs = task_data;
  GError *error = NULL;
  GPtrArray *running = lab_xl_parse_poll (outputs->list, outputs->list_long, outputs->uptime,
                                          &error);

  if (running == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, running, (GDestroyNotify) g_ptr_array_unref);
}

void
lab_xl_parse_poll_async (GBytes              *list,
                         GBytes              *list_long,
                         GBytes              *uptime,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PollOutputs *outputs = g_new0 (PollOutputs, 1);

  g_return_if_fail (list != NULL);

  g_task_set_source_tag (task, lab_xl_parse_poll_async);
  outputs->list = g_bytes_ref (list);
  outputs->list_long = list_long ? g_bytes_ref (list_long) : NULL;
  outputs->uptime = uptime ? g_bytes_ref (uptime) : NULL;
  g_task_set_task_data (task, outputs, (GDestroyNotify) poll_outputs_free);
  g_task_run_in_thread (task, parse_poll_thread);
}

GPtrArray *
lab_xl_parse_poll_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
