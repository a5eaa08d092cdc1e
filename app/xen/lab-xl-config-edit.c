/* lab-xl-config-edit.c — changing settings of an .xl file and keeping the rest of it
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A user's .xl file has comments, blank lines, settings the app does not know and an order
 * of their own: an edit changes the bytes of the settings it changes and nothing else, so
 * that the diff shown before saving is exactly the change asked for.
 */

#define G_LOG_DOMAIN "lab-xl-config-edit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-xl-list.h"

#include "lab-xl-config.h"
#include "lab-xl-config-internal.h"

/* Xen's own range for generated MACs (libxl picks 00:16:3e with the top bit of the fourth
 * byte clear, so that its random ones never meet an address of this range's other half). */
#define XEN_OUI "00:16:3e"
#define MAX_MAC_TRIES 4096

typedef struct
{
  gsize  start;
  gsize  end;
  char  *replacement;
} Splice;

static void
lab_xl_config_edit_splice_clear (Splice *splice)
{
  g_free (splice->replacement);
}

static gboolean
lab_xl_config_edit_key_is_valid (const char *key)
{
  if (key == NULL || !(g_ascii_isalpha (*key) || *key == '_'))
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

/* The quote the file already uses for this setting, or for its first string, or the
 * single quote mirage writes. */
static char
lab_xl_config_edit_quote (LabXlConfig *self,
                          const char  *key)
{
  char found = '\0';

  for (guint i = 0; i < self->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (self->settings, i);
      char c = self->text[setting->value_start];

      if (c == '[')
        c = self->text[setting->value_start + 1 + strspn (self->text + setting->value_start + 1,
                                                          " \t")];
      if (c != '"' && c != '\'')
        continue;
      if (g_strcmp0 (setting->key, key) == 0)
        return c;
      if (found == '\0')
        found = c;
    }

  return found != '\0' ? found : '\'';
}

/* @value as an xl quoted string: the escapes xl's dequoting reads back to the same text.
 * xl has no escape that survives for other control characters, so they are refused. */
static gboolean
lab_xl_config_edit_append_quoted (GString     *out,
                                  const char  *value,
                                  char         quote,
                                  GError     **error)
{
  static const char plain[] = "\\\a\b\f\n\r\t\v";
  static const char escaped[] = "\\abfnrtv";

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("A setting's text is not valid UTF-8."));
      return FALSE;
    }
  g_string_append_c (out, quote);
  for (const char *p = value; *p != '\0'; p++)
    {
      const char *special = strchr (plain, *p);

      if (*p == quote)
        g_string_append_c (g_string_append_c (out, '\\'), quote);
      else if (special != NULL)
        g_string_append_c (g_string_append_c (out, '\\'), escaped[special - plain]);
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                       _("A setting's text holds a control character xl cannot read."));
          return FALSE;
        }
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, quote);
  return TRUE;
}

/* The range to remove for @setting: its line too when nothing else is on it. */
static void
lab_xl_config_edit_removal (LabXlConfig *self,
                            Setting     *setting,
                            gsize       *start,
                            gsize       *end)
{
  gsize line_start = setting->start;
  gsize line_end = setting->end;

  while (line_start > 0 && strchr (" \t", self->text[line_start - 1]) != NULL)
    line_start--;
  while (line_end < self->length && strchr (" \t\r", self->text[line_end]) != NULL)
    line_end++;
  *start = setting->start;
  *end = setting->end;
  if ((line_start == 0 || self->text[line_start - 1] == '\n')
      && (line_end == self->length || self->text[line_end] == '\n'))
    {
      *start = line_start;
      *end = MIN (line_end + 1, self->length);
    }
}

/* Parses @text and makes it this config's, or leaves everything as it was. */
static gboolean
lab_xl_config_edit_take_text (LabXlConfig  *self,
                              const char   *text,
                              GError      **error)
{
  g_autoptr(LabXlConfig) parsed = lab_xl_config_new_from_data (self->path, text, -1, error);

  if (parsed == NULL)
    return FALSE;
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->settings, g_ptr_array_unref);
  self->text = g_steal_pointer (&parsed->text);
  self->length = parsed->length;
  self->settings = g_steal_pointer (&parsed->settings);
  return TRUE;
}

static gboolean
lab_xl_config_edit_apply (LabXlConfig  *self,
                          GArray       *splices,
                          const char   *appended,
                          GError      **error)
{
  g_autoptr(GString) text = g_string_sized_new (self->length + 64);
  gsize copied = 0;

  for (guint i = 0; i < splices->len; i++)
    {
      Splice *splice = &g_array_index (splices, Splice, i);

      /* Settings are in file order and never overlap; a removed line may reach the next
       * setting's start, never past it. */
      g_assert (splice->start >= copied);
      g_string_append_len (text, self->text + copied, splice->start - copied);
      g_string_append (text, splice->replacement ? splice->replacement : "");
      copied = splice->end;
    }
  g_string_append_len (text, self->text + copied, self->length - copied);
  if (appended != NULL)
    {
      if (text->len > 0 && text->str[text->len - 1] != '\n')
        g_string_append_c (text, '\n');
      g_string_append (text, appended);
    }
  return lab_xl_config_edit_take_text (self, text->str, error);
}

/* Gives @key the value written as @value_text (NULL removes every setting of it). With only
 * plain settings of @key, the one in effect (the last) gets the new value in place; with a
 * "+=" among them, the first becomes a plain setting of the whole value and the others go,
 * since the value given is the whole value. A missing key is appended at the end. */
static gboolean
lab_xl_config_edit_set (LabXlConfig  *self,
                        const char   *key,
                        const char   *value_text,
                        GError      **error)
{
  g_autoptr(GArray) splices = g_array_new (FALSE, TRUE, sizeof (Splice));
  g_autofree char *appended = NULL;
  Setting *last = NULL;
  Setting *first = NULL;
  gboolean any_append = FALSE;

  g_array_set_clear_func (splices, (GDestroyNotify) lab_xl_config_edit_splice_clear);
  if (!lab_xl_config_edit_key_is_valid (key))
    {
      g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_PARSE,
                   _("“%s” is not a setting name xl reads."), key);
      return FALSE;
    }
  for (guint i = 0; i < self->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (self->settings, i);

      if (g_strcmp0 (setting->key, key) != 0)
        continue;
      first = first ? first : setting;
      last = setting;
      any_append |= setting->append;
    }

  for (guint i = 0; i < self->settings->len; i++)
    {
      Setting *setting = g_ptr_array_index (self->settings, i);
      Splice splice = { 0, };

      if (g_strcmp0 (setting->key, key) != 0)
        continue;
      if (value_text != NULL && !any_append && setting == last)
        splice = (Splice) { setting->value_start, setting->end, g_strdup (value_text) };
      else if (value_text != NULL && any_append && setting == first)
        splice = (Splice) { setting->start, setting->end,
                            g_strdup_printf ("%s = %s", key, value_text) };
      else if (value_text == NULL || any_append)
        lab_xl_config_edit_removal (self, setting, &splice.start, &splice.end);
      else
        continue;
      g_array_append_val (splices, splice);
    }
  if (first == NULL && value_text != NULL)
    appended = g_strdup_printf ("%s = %s\n", key, value_text);
  return lab_xl_config_edit_apply (self, splices, appended, error);
}

gboolean
lab_xl_config_set_string (LabXlConfig  *self,
                          const char   *key,
                          const char   *value,
                          GError      **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!lab_xl_config_edit_append_quoted (text, value, lab_xl_config_edit_quote (self, key),
                                         error))
    return FALSE;
  return lab_xl_config_edit_set (self, key, text->str, error);
}

gboolean
lab_xl_config_set_number (LabXlConfig  *self,
                          const char   *key,
                          gint64        value,
                          GError      **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), FALSE);

  return lab_xl_config_edit_set (self, key, text, error);
}

gboolean
lab_xl_config_set_list (LabXlConfig         *self,
                        const char          *key,
                        const char * const  *items,
                        GError             **error)
{
  g_autoptr(GString) text = g_string_new ("[");
  char quote;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), FALSE);

  quote = lab_xl_config_edit_quote (self, key);
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_string_append (text, i > 0 ? ", " : " ");
      if (!lab_xl_config_edit_append_quoted (text, items[i], quote, error))
        return FALSE;
    }
  g_string_append (text, items != NULL && items[0] != NULL ? " ]" : "]");
  return lab_xl_config_edit_set (self, key, text->str, error);
}

gboolean
lab_xl_config_unset (LabXlConfig  *self,
                     const char   *key,
                     GError      **error)
{
  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), FALSE);

  return lab_xl_config_edit_set (self, key, NULL, error);
}

/* ---- a second instance --------------------------------------------------------------- */

char *
lab_xl_generate_mac (GRand              *rand,
                     const char * const *used)
{
  for (guint tries = 0; tries < MAX_MAC_TRIES; tries++)
    {
      guint32 r = g_rand_int (rand);
      g_autofree char *mac = g_strdup_printf (XEN_OUI ":%02x:%02x:%02x", (r >> 16) & 0x7f,
                                              (r >> 8) & 0xff, r & 0xff);

      if (used == NULL || !g_strv_contains (used, mac))
        return g_steal_pointer (&mac);
    }
  return NULL;
}

/* @spec with a new MAC in place of its own, and without the interface name it chose
 * (dom0's interface names are unique, so a copy's would clash); every other option stays
 * in its place. */
static char *
lab_xl_config_edit_vif_spec (const char *spec,
                             const char *mac)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) joined = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *option = g_strstrip (g_strndup (parts[i], eq ? eq - parts[i] : 0));

      if (g_str_equal (option, "vifname"))
        continue;
      if (g_str_equal (option, "mac"))
        {
          g_autofree char *replaced = g_strdup_printf ("mac=%s", mac);

          g_strv_builder_add (kept, replaced);
        }
      else
        g_strv_builder_add (kept, parts[i]);
    }
  joined = g_strv_builder_end (kept);
  return g_strjoinv (",", joined);
}

static gboolean
lab_xl_config_edit_new_macs (LabXlConfig         *self,
                             GRand               *rand,
                             const char * const  *used,
                             GError             **error)
{
  const char * const *vifs = lab_xl_config_get_list (self, "vif");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) specs = NULL;

  if (vifs == NULL)
    return TRUE;
  for (guint i = 0; used != NULL && used[i] != NULL; i++)
    g_ptr_array_add (taken, g_ascii_strdown (used[i], -1));
  for (guint i = 0; vifs[i] != NULL; i++)
    {
      g_autoptr(GHashTable) options = lab_xl_parse_vif_spec (vifs[i]);
      g_autofree char *mac = NULL;

      g_ptr_array_add (taken, NULL);
      mac = lab_xl_generate_mac (rand, (const char * const *) taken->pdata);
      g_ptr_array_remove_index (taken, taken->len - 1);
      if (mac == NULL)
        {
          g_set_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                       _("No unused network address (MAC) was found for the copy."));
          return FALSE;
        }
      /* Without a mac option xl makes up one per start: nothing to change. */
      if (g_hash_table_contains (options, "mac") || g_hash_table_contains (options, "vifname"))
        {
          g_autofree char *spec = lab_xl_config_edit_vif_spec (vifs[i], mac);

          g_strv_builder_add (builder, spec);
        }
      else
        g_strv_builder_add (builder, vifs[i]);
      g_ptr_array_add (taken, g_steal_pointer (&mac));
    }
  specs = g_strv_builder_end (builder);
  return lab_xl_config_set_list (self, "vif", (const char * const *) specs, error);
}

LabXlConfig *
lab_xl_config_duplicate (LabXlConfig         *self,
                         const char          *path,
                         const char          *name,
                         GRand               *rand,
                         const char * const  *used_macs,
                         GError             **error)
{
  g_autoptr(LabXlConfig) copy = NULL;

  g_return_val_if_fail (LAB_IS_XL_CONFIG (self), NULL);
  g_return_val_if_fail (path != NULL && name != NULL && rand != NULL, NULL);

  copy = lab_xl_config_new_from_data (path, self->text, self->length, error);
  if (copy == NULL
      || !lab_xl_config_set_string (copy, "name", name, error)
      /* Two domains cannot share a UUID: without one, xl makes one per start. */
      || !lab_xl_config_unset (copy, "uuid", error)
      || !lab_xl_config_edit_new_macs (copy, rand, used_macs, error))
    return NULL;
  return g_steal_pointer (&copy);
}
