/* lab-setup-diff.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "lab-setup-diff.h"

#define CONTEXT 3

/* Lines keep their "\n" so a missing final newline shows up as a difference. */
static GPtrArray *
split_lines (const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *p = text != NULL ? text : "";

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      gsize len = end != NULL ? (gsize) (end - p) + 1 : strlen (p);

      g_ptr_array_add (lines, g_strndup (p, len));
      p += len;
    }
  return lines;
}

static void
append_line (GString    *out,
             char        mark,
             const char *line)
{
  g_string_append_c (out, mark);
  g_string_append (out, line);
  if (!g_str_has_suffix (line, "\n"))
    g_string_append (out, "\n\\ No newline at end of file\n");
}

typedef struct
{
  char op;      /* ' ', '-', '+' */
  guint a, b;   /* line index in old / new */
} Edit;

char *
lab_setup_diff (const char *path,
                const char *old_text,
                const char *new_text)
{
  g_autoptr(GPtrArray) a = split_lines (old_text);
  g_autoptr(GPtrArray) b = split_lines (new_text);
  g_autoptr(GArray) edits = g_array_new (FALSE, FALSE, sizeof (Edit));
  g_autofree guint *lcs = NULL;
  GString *out;
  guint n = a->len, m = b->len, i, j;

  if (g_strcmp0 (old_text != NULL ? old_text : "", new_text) == 0 && old_text != NULL)
    return g_strdup ("");

  /* Config files are small: the quadratic LCS table is fine and gives minimal diffs. */
  lcs = g_new0 (guint, (gsize) (n + 1) * (m + 1));
#define L(x, y) lcs[(gsize) (x) * (m + 1) + (y)]
  for (i = n; i-- > 0;)
    for (j = m; j-- > 0;)
      L (i, j) = strcmp (a->pdata[i], b->pdata[j]) == 0
                 ? L (i + 1, j + 1) + 1 : MAX (L (i + 1, j), L (i, j + 1));
  for (i = 0, j = 0; i < n || j < m;)
    {
      Edit e = { ' ', i, j };

      if (i < n && j < m && strcmp (a->pdata[i], b->pdata[j]) == 0)
        i++, j++;
      else if (i < n && (j == m || L (i + 1, j) >= L (i, j + 1)))
        e.op = '-', i++;
      else
        e.op = '+', j++;
      g_array_append_val (edits, e);
    }
#undef L

  out = g_string_new (NULL);
  g_string_append_printf (out, "--- %s\n+++ %s\n", old_text != NULL ? path : "/dev/null", path);
  for (guint k = 0; k < edits->len;)
    {
      guint start, end, last_change, old_count = 0, new_count = 0;
      Edit *first;

      if (g_array_index (edits, Edit, k).op == ' ')
        {
          k++;
          continue;
        }
      /* A hunk: CONTEXT lines before, changes joined while their gap is ≤ 2×CONTEXT. */
      start = k > CONTEXT ? k - CONTEXT : 0;
      last_change = k;
      for (end = k; end < edits->len; end++)
        {
          if (g_array_index (edits, Edit, end).op != ' ')
            last_change = end;
          else if (end - last_change > 2 * CONTEXT)
            break;
        }
      end = MIN (last_change + CONTEXT + 1, edits->len);
      for (guint x = start; x < end; x++)
        {
          char op = g_array_index (edits, Edit, x).op;
          old_count += op != '+';
          new_count += op != '-';
        }
      first = &g_array_index (edits, Edit, start);
      g_string_append_printf (out, "@@ -%u,%u +%u,%u @@\n",
                              old_count > 0 ? first->a + 1 : first->a, old_count,
                              new_count > 0 ? first->b + 1 : first->b, new_count);
      for (guint x = start; x < end; x++)
        {
          Edit *e = &g_array_index (edits, Edit, x);

          append_line (out, e->op, e->op == '+' ? b->pdata[e->b] : a->pdata[e->a]);
        }
      k = end;
    }
  /* A diff is only shown (in GTK, which needs UTF-8), and the file it shows is the host's
   * bytes: a Latin-1 comment must not make the whole plan unreadable. */
  {
    g_autoptr(GString) owned = out;

    return g_utf8_make_valid (owned->str, owned->len);
  }
}

char *
lab_setup_ensure_line (const char *text,
                       const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strcmp (lines[i], line) == 0)
      return NULL;
  if (text == NULL || *text == '\0')
    return g_strconcat (line, "\n", NULL);
  return g_strconcat (text, g_str_has_suffix (text, "\n") ? "" : "\n", line, "\n", NULL);
}

char *
lab_setup_ensure_setting (const char *text,
                          const char *line,
                          const char *replaces)
{
  g_autoptr(GRegex) regex = g_regex_new (replaces, 0, 0, NULL);
  g_auto(GStrv) lines = NULL;
  GString *out;

  g_return_val_if_fail (regex != NULL, NULL);
  lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strcmp (lines[i], line) == 0)
        return NULL;
      if (!g_regex_match (regex, lines[i], 0, NULL))
        continue;
      out = g_string_new (NULL);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          if (j > 0)
            g_string_append_c (out, '\n');
          g_string_append (out, j == i ? line : lines[j]);
        }
      return g_string_free (out, FALSE);
    }
  return lab_setup_ensure_line (text, line);
}

char *
lab_setup_ensure_block (const char *text,
                        const char *block)
{
  g_return_val_if_fail (g_str_has_suffix (block, "\n"), NULL);

  if (text == NULL || *text == '\0')
    return g_strdup (block);
  /* A run of whole lines: at the start, or after a newline. */
  if (g_str_has_prefix (text, block))
    return NULL;
  {
    g_autofree char *anchored = g_strconcat ("\n", block, NULL);

    if (strstr (text, anchored) != NULL)
      return NULL;
  }
  if (g_str_has_suffix (text, "\n\n"))
    return g_strconcat (text, block, NULL);
  return g_strconcat (text, g_str_has_suffix (text, "\n") ? "\n" : "\n\n", block, NULL);
}
