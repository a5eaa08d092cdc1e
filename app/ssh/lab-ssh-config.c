/* lab-ssh-config.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-config"

#include "config.h"

#include <glob.h>
#include <string.h>

#include "lab-ssh-config.h"

#define MAX_INCLUDE_DEPTH 8

typedef struct
{
  char *keyword;   /* lower case */
  char *value;     /* first argument, unquoted */
} Option;

typedef struct
{
  GStrv      patterns;   /* NULL: applies to every host (top of file, "Match all") */
  gboolean   never;      /* "Match" with criteria we do not evaluate */
  GPtrArray *options;    /* Option */
} Block;

struct _LabSshConfig
{
  GPtrArray *blocks;
};

static void
option_free (Option *option)
{
  g_free (option->keyword);
  g_free (option->value);
  g_free (option);
}

static void
block_free (Block *block)
{
  g_strfreev (block->patterns);
  g_ptr_array_unref (block->options);
  g_free (block);
}

static Block *
block_new (GStrv    patterns,
           gboolean never)
{
  Block *block = g_new0 (Block, 1);

  block->patterns = patterns;
  block->never = never;
  block->options = g_ptr_array_new_with_free_func ((GDestroyNotify) option_free);
  return block;
}

/* Splits the arguments of a config line into words, honouring double quotes. */
static GStrv
split_args (const char *args)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  const char *p = args;

  while (*p != '\0')
    {
      GString *word;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0' || *p == '#')
        break;

      word = g_string_new (NULL);
      if (*p == '"')
        {
          p++;
          while (*p != '\0' && *p != '"')
            g_string_append_c (word, *p++);
          if (*p == '"')
            p++;
        }
      else
        {
          while (*p != '\0' && *p != ' ' && *p != '\t')
            g_string_append_c (word, *p++);
        }
      g_ptr_array_add (words, g_string_free (word, FALSE));
    }

  g_ptr_array_add (words, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

static void parse_data (LabSshConfig *config,
                        const char   *data,
                        const char   *base_dir,
                        guint         depth);

static void
include_files (LabSshConfig *config,
               const char   *pattern,
               const char   *base_dir,
               guint         depth)
{
  g_autofree char *full = NULL;
  glob_t gl = { 0 };

  if (depth >= MAX_INCLUDE_DEPTH)
    {
      g_warning ("ssh config: Include nested too deeply at %s", pattern);
      return;
    }

  if (g_str_has_prefix (pattern, "~/"))
    full = g_build_filename (g_get_home_dir (), pattern + 2, NULL);
  else if (g_path_is_absolute (pattern) || base_dir == NULL)
    full = g_strdup (pattern);
  else
    full = g_build_filename (base_dir, pattern, NULL);

  if (glob (full, 0, NULL, &gl) != 0)
    {
      globfree (&gl);
      return;
    }

  for (gsize i = 0; i < gl.gl_pathc; i++)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (gl.gl_pathv[i], &contents, NULL, NULL))
        parse_data (config, contents, base_dir, depth + 1);
    }
  globfree (&gl);
}

static void
parse_data (LabSshConfig *config,
            const char   *data,
            const char   *base_dir,
            guint         depth)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  Block *current;

  g_assert (config->blocks->len > 0);
  current = g_ptr_array_index (config->blocks, config->blocks->len - 1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *p = line;
      g_autofree char *keyword = NULL;
      g_auto(GStrv) args = NULL;
      gsize klen = 0;

      if (*line == '\0' || *line == '#')
        continue;

      while (p[klen] != '\0' && p[klen] != ' ' && p[klen] != '\t' && p[klen] != '=')
        klen++;
      keyword = g_ascii_strdown (p, klen);
      p += klen;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '=')
        p++;
      args = split_args (p);

      if (g_str_equal (keyword, "host"))
        {
          current = block_new (g_strdupv (args), FALSE);
          g_ptr_array_add (config->blocks, current);
        }
      else if (g_str_equal (keyword, "match"))
        {
          gboolean all = args[0] != NULL && g_ascii_strcasecmp (args[0], "all") == 0
                         && args[1] == NULL;

          current = block_new (NULL, !all);
          g_ptr_array_add (config->blocks, current);
        }
      else if (g_str_equal (keyword, "include"))
        {
          Block *outer = current;
          guint before = config->blocks->len;

          for (guint j = 0; args[j] != NULL; j++)
            include_files (config, args[j], base_dir, depth);
          /* Host blocks of an included file end with it: the lines after the Include belong
           * to the block it was in, as in OpenSSH. */
          if (config->blocks->len != before)
            {
              current = block_new (g_strdupv (outer->patterns), outer->never);
              g_ptr_array_add (config->blocks, current);
            }
        }
      else if (args[0] != NULL)
        {
          Option *option = g_new0 (Option, 1);

          option->keyword = g_steal_pointer (&keyword);
          option->value = g_strdup (args[0]);
          g_ptr_array_add (current->options, option);
        }
    }
}

LabSshConfig *
lab_ssh_config_new_from_data (const char *data,
                              const char *base_dir)
{
  LabSshConfig *config = g_new0 (LabSshConfig, 1);

  config->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  g_ptr_array_add (config->blocks, block_new (NULL, FALSE));
  if (data != NULL)
    parse_data (config, data, base_dir, 0);
  return config;
}

LabSshConfig *
lab_ssh_config_new_from_file (const char  *path,
                              GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *base_dir = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      /* A missing config file is an empty config. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return lab_ssh_config_new_from_data (NULL, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  base_dir = g_path_get_dirname (path);
  return lab_ssh_config_new_from_data (contents, base_dir);
}

void
lab_ssh_config_free (LabSshConfig *config)
{
  if (config == NULL)
    return;
  g_ptr_array_unref (config->blocks);
  g_free (config);
}

/* OpenSSH's match_pattern(): '*' is any run of bytes, '?' any one byte, anything else
 * itself. Bytes, as OpenSSH compares them: a config written in Latin-1 holds patterns that
 * are not UTF-8, which GLib's UTF-8 pattern matcher aborts on; here they are ordinary
 * patterns, which the UTF-8 names we look up never match. A '*' is retried one byte further
 * on a mismatch (the last one only), so time grows with the product of the lengths rather
 * than exponentially. */
static gboolean
match_one (const char *host,
           const char *pattern)
{
  g_autofree char *lower = g_ascii_strdown (pattern, -1);
  const char *p = lower;
  const char *s = host;
  const char *star_p = NULL;
  const char *star_s = NULL;

  while (*s != '\0')
    {
      if (*p == '*')
        {
          star_p = ++p;
          star_s = s;
        }
      else if (*p != '\0' && (*p == '?' || *p == *s))
        {
          p++;
          s++;
        }
      else if (star_p != NULL)
        {
          p = star_p;
          s = ++star_s;
        }
      else
        return FALSE;
    }
  while (*p == '*')
    p++;
  return *p == '\0';
}

gboolean
lab_ssh_config_match_pattern_list (const char *host,
                                   const char *patterns)
{
  g_autofree char *lower_host = NULL;
  g_auto(GStrv) list = NULL;
  gboolean matched = FALSE;

  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (patterns != NULL, FALSE);

  lower_host = g_ascii_strdown (host, -1);
  list = g_strsplit_set (patterns, ", \t", -1);
  for (guint i = 0; list[i] != NULL; i++)
    {
      const char *pattern = list[i];

      if (*pattern == '\0')
        continue;
      if (*pattern == '!')
        {
          if (match_one (lower_host, pattern + 1))
            return FALSE;
        }
      else if (match_one (lower_host, pattern))
        matched = TRUE;
    }
  return matched;
}

static gboolean
block_matches (const Block *block,
               const char  *host)
{
  g_autofree char *joined = NULL;

  if (block->never)
    return FALSE;
  if (block->patterns == NULL)
    return TRUE;
  joined = g_strjoinv (" ", block->patterns);
  return lab_ssh_config_match_pattern_list (host, joined);
}

/* Expands %-tokens (and a leading ~) in @value. @tokens is "h", "u", ... mapped to values. */
static char *
expand_tokens (const char *value,
               const char *home,
               GHashTable *tokens)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  if (value[0] == '~' && (value[1] == '/' || value[1] == '\0'))
    {
      g_string_append (out, home);
      p++;
    }

  for (; *p != '\0'; p++)
    {
      if (*p == '%' && p[1] != '\0')
        {
          char key[2] = { p[1], '\0' };
          const char *replacement;

          if (p[1] == '%')
            g_string_append_c (out, '%');
          else if ((replacement = g_hash_table_lookup (tokens, key)) != NULL)
            g_string_append (out, replacement);
          else
            {
              g_string_append_c (out, '%');
              g_string_append_c (out, p[1]);
            }
          p++;
        }
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

LabSshHostConfig *
lab_ssh_config_lookup (LabSshConfig *config,
                       const char   *host,
                       const char   *local_user,
                       const char   *home)
{
  g_autoptr(LabSshHostConfig) result = g_new0 (LabSshHostConfig, 1);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) tokens = NULL;
  g_autofree char *raw_hostname = NULL;
  gboolean have_port = FALSE;
  gboolean have_timeout = FALSE;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (local_user == NULL)
    local_user = g_get_user_name ();
  if (home == NULL)
    home = g_get_home_dir ();

  for (guint i = 0; i < config->blocks->len; i++)
    {
      const Block *block = g_ptr_array_index (config->blocks, i);

      if (!block_matches (block, host))
        continue;

      for (guint j = 0; j < block->options->len; j++)
        {
          const Option *option = g_ptr_array_index (block->options, j);

          if (g_str_equal (option->keyword, "hostname"))
            {
              if (raw_hostname == NULL)
                raw_hostname = g_strdup (option->value);
            }
          else if (g_str_equal (option->keyword, "user"))
            {
              if (result->user == NULL)
                result->user = g_strdup (option->value);
            }
          else if (g_str_equal (option->keyword, "port"))
            {
              guint64 port;

              if (!have_port
                  && g_ascii_string_to_unsigned (option->value, 10, 1, 65535, &port, NULL))
                {
                  result->port = (guint16) port;
                  have_port = TRUE;
                }
            }
          else if (g_str_equal (option->keyword, "connecttimeout"))
            {
              guint64 timeout;

              if (!have_timeout
                  && g_ascii_string_to_unsigned (option->value, 10, 0, G_MAXUINT, &timeout,
                                                 NULL))
                {
                  result->connect_timeout = (guint) timeout;
                  have_timeout = TRUE;
                }
            }
          else if (g_str_equal (option->keyword, "identityfile"))
            {
              g_ptr_array_add (identities, g_strdup (option->value));
            }
        }
    }

  tokens = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (tokens, (char *) "h", (char *) host);
  g_hash_table_insert (tokens, (char *) "n", (char *) host);
  g_hash_table_insert (tokens, (char *) "u", (char *) local_user);
  g_hash_table_insert (tokens, (char *) "d", (char *) home);

  if (raw_hostname != NULL)
    result->hostname = expand_tokens (raw_hostname, home, tokens);

  g_hash_table_insert (tokens, (char *) "h",
                       result->hostname != NULL ? result->hostname : (char *) host);
  g_hash_table_insert (tokens, (char *) "r",
                       result->user != NULL ? result->user : (char *) local_user);

  result->identity_files = g_new0 (char *, identities->len + 1);
  for (guint i = 0; i < identities->len; i++)
    result->identity_files[i] = expand_tokens (g_ptr_array_index (identities, i), home,
                                               tokens);

  return g_steal_pointer (&result);
}

void
lab_ssh_host_config_free (LabSshHostConfig *host_config)
{
  if (host_config == NULL)
    return;
  g_free (host_config->hostname);
  g_free (host_config->user);
  g_strfreev (host_config->identity_files);
  g_free (host_config);
}
