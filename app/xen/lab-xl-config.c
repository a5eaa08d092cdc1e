/* lab-xl-config.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-xl-config"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-xl-list.h"

#include "lab-xl-config.h"
#include "lab-xl-config-private.h"
#include "lab-xl-config-internal.h"

G_DEFINE_FINAL_TYPE (LabXlConfig, lab_xl_config, G_TYPE_OBJECT)

static void
setting_free (Setting *setting)
{
  g_free (setting->key);
  g_free (setting->string);
  g_strfreev (setting->list);
  g_free (setting);
}

typedef struct
{
  const char *text;
  gsize       length;
  gsize       pos;
  guint       line;
} Scanner;

static void
skip_blanks (Scanner  *s,
             gboolean  newlines)
{
  while (s->pos < s->length)
    {
      char c = s->text[s->pos];

      if (c == '#')
        {
          while (s->pos < s->length && s->text[s->pos] != '\n')
            s->pos++;
        }
      else if (c == ' ' || c == '\t' || c == '\r')
        s->pos++;
      else if (c == '\n' && newlines)
        {
          s->line++;
          s->pos++;
        }
      else
        break;
    }
}

static gboolean
at (Scanner *s,
    char     c)
{
  return s->pos < s->length && s->text[s->pos] == c;
}

static gboolean
syntax_error (Scanner     *s,
              const char  *what,
              GError     **error)
{
  g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
               /* Translators: %u is a line number, %s says what was expected */
               _("Configuration line %u: %s"), s->line, what);
  return FALSE;
}

/* Where strtoul (@chars, &end, 10) would stop in the first @max characters: blanks, a
 * sign, digits; 0 without a digit. */
static gsize
strtoul_end (const char *chars,
             gsize       max)
{
  gsize i = 0;
  gsize digits;

  while (i < max && strchr (" \t\n\v\f\r", chars[i]) != NULL && chars[i] != '\0')
    i++;
  if (i < max && (chars[i] == '+' || chars[i] == '-'))
    i++;
  for (digits = 0; i < max && g_ascii_isdigit (chars[i]); i++)
    digits++;
  return digits > 0 ? i : 0;
}

/* One backslash escape of a quoted string, as xl's own dequoting reads it (both quote
 * kinds take escapes). Two quirks of xl are kept on purpose, so that the name shown is the
 * name xl gives the domain: every "\x" escape is an error, and an escape of octal digits
 * writes nothing and needs more than one character after its first digit. */
static gboolean
scan_escape (Scanner  *s,
             GString  *out,
             GError  **error)
{
  char e = s->text[s->pos++];
  static const char simple_from[] = "\"'\\abfnrtv";
  static const char simple_to[] = "\"'\\\a\b\f\n\r\t\v";
  const char *simple = strchr (simple_from, e);
  gsize end;

  if (e != '\0' && simple != NULL)
    {
      g_string_append_c (out, simple_to[simple - simple_from]);
      return TRUE;
    }
  if (e == 'x')
    return syntax_error (s, _("xl does not accept “\\x” escapes in quoted strings"), error);
  if (e >= '0' && e <= '7')
    {
      end = strtoul_end (s->text + s->pos, MIN (3, s->length - s->pos));
      if (end <= 1)
        return syntax_error (s, _("xl does not accept this octal escape"), error);
      s->pos += end;
      return TRUE;
    }
  return syntax_error (s, _("an unknown escape after a backslash in a quoted string"), error);
}

static char *
scan_string (Scanner  *s,
             GError  **error)
{
  char quote = s->text[s->pos++];
  g_autoptr(GString) out = g_string_new (NULL);

  while (s->pos < s->length && s->text[s->pos] != quote)
    {
      char c = s->text[s->pos++];

      if (c == '\n' || (c == '\\' && (s->pos >= s->length || s->text[s->pos] == '\n')))
        {
          syntax_error (s, _("a quoted string does not end on its line"), error);
          return NULL;
        }
      if (c == '\\')
        {
          if (!scan_escape (s, out, error))
            return NULL;
          continue;
        }

      g_string_append_c (out, c);
    }

  if (!at (s, quote))
    {
      syntax_error (s, _("a quoted string is not closed"), error);
      return NULL;
    }
  s->pos++;

  return g_utf8_make_valid (out->str, out->len);
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '-' || c == '+';
}

static char *
scan_word (Scanner *s)
{
  gsize start = s->pos;

  while (s->pos < s->length && is_word_char (s->text[s->pos]))
    s->pos++;

  return g_strndup (s->text + start, s->pos - start);
}

/* A setting name. A '+' right after it is the "+=" operator ("vif+=[…]"), not part of the
 * name. */
static char *
scan_key (Scanner *s)
{
  gsize start = s->pos;

  while (s->pos < s->length
         && is_word_char (s->text[s->pos]) && s->text[s->pos] != '+')
    s->pos++;

  return g_strndup (s->text + start, s->pos - start);
}

static gboolean
parse_settings (LabXlConfig  *self,
                GError      **error)
{
  Scanner s = { self->text, self->length, 0, 1 };

  for (;;)
    {
      g_autoptr(GPtrArray) items = NULL;
      Setting *setting;
      g_autofree char *key = NULL;
      gboolean append;
      gsize start;

      skip_blanks (&s, TRUE);
      while (at (&s, ';'))
        {
          s.pos++;
          skip_blanks (&s, TRUE);
        }
      if (s.pos >= s.length)
        break;

      start = s.pos;
      if (!g_ascii_isalpha (s.text[s.pos]) && s.text[s.pos] != '_')
        return syntax_error (&s, _("expected a setting name"), error);
      key = scan_key (&s);

      skip_blanks (&s, FALSE);
      append = at (&s, '+') && s.pos + 1 < s.length && s.text[s.pos + 1] == '=';
      if (append)
        s.pos++;
      if (!at (&s, '='))
        return syntax_error (&s, _("expected “=” after the setting name"), error);
      s.pos++;
      skip_blanks (&s, FALSE);

      setting = g_new0 (Setting, 1);
      setting->key = g_steal_pointer (&key);
      setting->start = start;
      setting->append = append;
      setting->value_start = s.pos;
      g_ptr_array_add (self->settings, setting);

      if (at (&s, '"') || at (&s, '\''))
        {
          setting->kind = VALUE_STRING;
          if (!(setting->string = scan_string (&s, error)))
            return FALSE;
        }
      else if (at (&s, '['))
        {
          items = g_ptr_array_new_with_free_func (g_free);
          s.pos++;
          for (;;)
            {
              skip_blanks (&s, TRUE);
              if (at (&s, ']'))
                {
                  s.pos++;
                  break;
                }
              if (at (&s, '"') || at (&s, '\''))
                {
                  char *item = scan_string (&s, error);

                  if (item == NULL)
                    return FALSE;
                  g_ptr_array_add (items, item);
                }
              else if (s.pos < s.length && is_word_char (s.text[s.pos]))
                g_ptr_array_add (items, scan_word (&s));
              else
                return syntax_error (&s, _("expected a list item or “]”"), error);

              skip_blanks (&s, TRUE);
              if (at (&s, ','))
                s.pos++;
              else if (!at (&s, ']'))
                return syntax_error (&s, _("expected “,” or “]” in a list"), error);
            }
          g_ptr_array_add (items, NULL);
          setting->kind = VALUE_LIST;
          setting->list = (GStrv) g_ptr_array_free (g_steal_pointer (&items), FALSE);
        }
      else if (s.pos < s.length && is_word_char (s.text[s.pos]))
        {
          setting->kind = VALUE_NUMBER;
          setting->string = scan_word (&s);
        }
      else
        return syntax_error (&s, _("expected a value"), error);

      setting->end = s.pos;
      skip_blanks (&s, FALSE);
      if (s.pos < s.length && !at (&s, '\n') && !at (&s, ';'))
        return syntax_error (&s, _("unexpected text after the value"), error);
    }

  return TRUE;
}

LabXlConfig *
lab_xl_config_new_from_data (const char  *path,
                             const char  *text,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(LabXlConfig) self = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = strlen (text);

  self = g_object_new (LAB_TYPE_XL_CONFIG, NULL);
  self->path = g_strdup (path);
  self->text = g_strndup (text, length);
  self->length = length;

  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("The configuration file holds binary data"));
      return NULL;
    }

  if (!parse_settings (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static Setting *
find_setting (LabXlConfig *self,
              const char  *key)
{
  for (guint i = self->settings->len; i > 0; i--)
    {
      Setting *setting = g_ptr_array_index (self->settings, i - 1);

      if (g_strcmp0 (setting->key, key) == 0)
        return setting;
    }

  return NULL;
}

const char *
lab_xl_config_get_path (LabXlConfig *self)
{
  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), NULL);

  return self->path;
}

const char *
lab_xl_config_get_text (LabXlConfig *self)
{
  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), NULL);

  return self->text;
}

const char *
lab_xl_config_get_string (LabXlConfig *self,
                          const char  *key)
{
  Setting *setting;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), NULL);

  setting = find_setting (self, key);
  return setting && setting->kind == VALUE_STRING ? setting->string : NULL;
}

gboolean
lab_xl_config_get_number (LabXlConfig *self,
                          const char  *key,
                          gint64      *value)
{
  Setting *setting;
  char *end = NULL;
  gint64 number;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), FALSE);

  setting = find_setting (self, key);
  if (setting == NULL || setting->kind == VALUE_LIST)
    return FALSE;

  number = g_ascii_strtoll (setting->string, &end, 0);
  if (end == setting->string || *end != '\0')
    return FALSE;

  if (value != NULL)
    *value = number;
  return TRUE;
}

const char * const *
lab_xl_config_get_list (LabXlConfig *self,
                        const char  *key)
{
  Setting *setting;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), NULL);

  setting = find_setting (self, key);
  return setting && setting->kind == VALUE_LIST ? (const char * const *) setting->list : NULL;
}

const char *
lab_xl_config_get_name (LabXlConfig *self)
{
  return lab_xl_config_get_string (self, "name");
}

const char *
lab_xl_config_get_domain_type (LabXlConfig *self)
{
  const char *type = lab_xl_config_get_string (self, "type");
  const char *builder;

  if (type != NULL)
    return type;

  /* Before 4.10 `builder` chose the type: "hvm" meant HVM and anything else PV. */
  builder = lab_xl_config_get_string (self, "builder");
  if (builder != NULL)
    return g_strcmp0 (builder, "hvm") == 0 ? "hvm" : "pv";

  return NULL;
}

const char *
lab_xl_config_get_cmdline (LabXlConfig *self)
{
  const char *cmdline = lab_xl_config_get_string (self, "cmdline");

  return cmdline ? cmdline : lab_xl_config_get_string (self, "extra");
}

GHashTable *
lab_xl_parse_vif_spec (const char *spec)
{
  GHashTable *result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) parts = g_strsplit (spec ? spec : "", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *eq = strchr (parts[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL)
        continue;
      key = g_strstrip (g_strndup (parts[i], eq - parts[i]));
      g_hash_table_replace (result, g_steal_pointer (&key), g_strstrip (g_strdup (eq + 1)));
    }

  return result;
}

GStrv
lab_xl_config_dup_macs (LabXlConfig *self)
{
  const char * const *vifs = lab_xl_config_get_list (self, "vif");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; vifs != NULL && vifs[i] != NULL; i++)
    {
      g_autoptr(GHashTable) spec = lab_xl_parse_vif_spec (vifs[i]);
      const char *mac = g_hash_table_lookup (spec, "mac");

      if (mac != NULL && *mac != '\0')
        {
          g_autofree char *lower = g_ascii_strdown (mac, -1);

          g_strv_builder_add (builder, lower);
        }
    }

  return g_strv_builder_end (builder);
}

gboolean
lab_xl_config_has_legacy_builder (LabXlConfig *self)
{
  const char *builder;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), FALSE);

  /* Xen >= 4.10 accepts only "hvm" and "generic" for builder. */
  builder = lab_xl_config_get_string (self, "builder");
  return builder != NULL
         && g_strcmp0 (builder, "hvm") != 0
         && g_strcmp0 (builder, "generic") != 0;
}

char *
lab_xl_config_fix_legacy_builder (LabXlConfig *self)
{
  g_autoptr(GString) fixed = NULL;
  Setting *in_effect;
  gboolean has_type;
  gsize copied = 0;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), NULL);

  if (!lab_xl_config_has_legacy_builder (self))
    return NULL;

  /* Only the bytes of the builder settings change: the separators, comments and line ends
   * around them are the user's, and a ';' may put other settings on the same line. xl
   * reads the last builder (a later setting wins); it becomes the PV type it meant, unless
   * `type` is set, which wins over builder anyway. Every other builder setting is removed,
   * since Xen >= 4.10 refuses all but "hvm" and "generic" and a removed one leaves an
   * empty statement, which xl accepts. */
  has_type = find_setting (self, "type") != NULL;
  in_effect = find_setting (self, "builder");
  fixed = g_string_sized_new (self->length + 16);

  for (guint i = 0; i < self->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (self->settings, i);

      if (g_strcmp0 (setting->key, "builder") != 0)
        continue;

      /* Settings are parsed in file order and never overlap. */
      g_assert (setting->start >= copied && setting->end >= setting->start);
      g_string_append_len (fixed, self->text + copied, setting->start - copied);
      if (setting == in_effect && !has_type)
        g_string_append (fixed, "type = \"pv\"");
      copied = setting->end;
    }

  g_string_append_len (fixed, self->text + copied, self->length - copied);

  return g_string_free (g_steal_pointer (&fixed), FALSE);
}

gboolean
_lab_xl_config_get_setting_span (LabXlConfig  *self,
                                 guint         index,
                                 const char  **key,
                                 gsize        *start,
                                 gsize        *end)
{
  Setting *setting;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), FALSE);

  if (index >= self->settings->len)
    return FALSE;
  setting = g_ptr_array_index (self->settings, index);
  *key = setting->key;
  *start = setting->start;
  *end = setting->end;
  return TRUE;
}

static void
lab_xl_config_finalize (GObject *object)
{
  LabXlConfig *self = LAB_XL_CONFIG (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->settings, g_ptr_array_unref);

  G_OBJECT_CLASS (lab_xl_config_parent_class)->finalize (object);
}

static void
lab_xl_config_class_init (LabXlConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_xl_config_finalize;
}

static void
lab_xl_config_init (LabXlConfig *self)
{
  self->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_free);
}

/* The kernel image the config names, as a path on dom0: a relative one is next to the
 * config (as mirage writes them). NULL when it names none. */
char *
lab_xl_config_dup_kernel_path (LabXlConfig *self)
{
  const char *kernel;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), NULL);

  kernel = lab_xl_config_get_string (self, "kernel");
  if (kernel == NULL || *kernel == '\0')
    return NULL;
  if (g_path_is_absolute (kernel))
    return g_strdup (kernel);
  folder = g_path_get_dirname (lab_xl_config_get_path (self));
  return g_build_filename (folder, kernel, NULL);
}
