/* fuzz-diff.c — the guided setup's file edits and the diff it shows of them
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a file as read from the host, then after a NUL byte the text a recipe wants
 * in it (its first line is the line to ensure, all of it the block). The diff must be a
 * unified diff that turns the old text into the new one (checked by applying it here), the
 * edits must be idempotent, and what is shown must be valid UTF-8.
 */

#include "config.h"

#include <stdio.h>

#include "fuzz-common.h"
#include "setup/lab-setup-diff.h"

FUZZ_DEFINE_INITIALIZE ()

/* Applies @diff (as lab_setup_diff writes it) to @old and returns the result. */
static char *
apply (const char *old,
       const char *diff)
{
  g_auto(GStrv) lines = g_strsplit (diff, "\n", -1);
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  guint pos = 0;
  guint i = 2;

  /* Old lines with their "\n", as the diff counts them. */
  for (const char *p = old; *p != '\0';)
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize) (nl - p) + 1 : strlen (p);

      g_ptr_array_add (a, g_strndup (p, len));
      p += len;
    }

  FUZZ_ASSERT (g_str_has_prefix (lines[0], "--- ") && g_str_has_prefix (lines[1], "+++ "));
  while (lines[i] != NULL && lines[i][0] != '\0')
    {
      guint old_start, old_count, new_start, new_count;

      FUZZ_ASSERT (sscanf (lines[i], "@@ -%u,%u +%u,%u @@", &old_start, &old_count,
                           &new_start, &new_count) == 4);
      if (old_count > 0)
        old_start--;
      FUZZ_ASSERT (old_start >= pos && old_start <= a->len);
      for (; pos < old_start; pos++)
        g_string_append (out, a->pdata[pos]);
      for (i++; lines[i] != NULL && lines[i][0] != '\0' && lines[i][0] != '@'; i++)
        {
          char op = lines[i][0];
          g_autoptr(GString) line = g_string_new (lines[i] + 1);

          FUZZ_ASSERT (op == ' ' || op == '-' || op == '+');
          /* "\ No newline at end of file" after a line: it had no "\n". */
          if (lines[i + 1] != NULL && lines[i + 1][0] == '\\')
            i++;
          else
            g_string_append_c (line, '\n');
          if (op != '+')
            {
              FUZZ_ASSERT (pos < a->len && old_count > 0);
              FUZZ_ASSERT (strcmp (line->str, a->pdata[pos++]) == 0);
              old_count--;
            }
          if (op != '-')
            {
              FUZZ_ASSERT (new_count > 0);
              g_string_append (out, line->str);
              new_count--;
            }
        }
      FUZZ_ASSERT (old_count == 0 && new_count == 0);
    }
  for (; pos < a->len; pos++)
    g_string_append (out, a->pdata[pos]);
  return g_string_free (out, FALSE);
}

static void
check_diff (const char *old,
            const char *new)
{
  g_autofree char *diff = lab_setup_diff ("/etc/fuzz", old, new);

  FUZZ_ASSERT (g_utf8_validate (diff, -1, NULL));
  if (g_strcmp0 (old, new) == 0)
    FUZZ_ASSERT (*diff == '\0');
  else if (g_utf8_validate (old != NULL ? old : "", -1, NULL) && g_utf8_validate (new, -1, NULL))
    {
      g_autofree char *result = apply (old != NULL ? old : "", diff);

      if (strcmp (result, new) != 0)
        {
          g_printerr ("the diff of “%s” to “%s” is\n%s\nwhich gives “%s”\n",
                      old, new, diff, result);
          abort ();
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *old = NULL;
  g_autofree char *wanted = NULL;
  g_autofree char *line = NULL;
  g_autofree char *block = NULL;

  fuzz_split2 (data, size, &old, &wanted);
  line = g_strndup (wanted, strcspn (wanted, "\n"));
  block = g_str_has_suffix (wanted, "\n") || *wanted == '\0'
          ? g_strconcat (wanted, *wanted == '\0' ? "x\n" : "", NULL)
          : g_strconcat (wanted, "\n", NULL);

  check_diff (old, wanted);
  check_diff (NULL, wanted);
  check_diff (old, old);

  {
    g_autofree char *fixed = lab_setup_ensure_line (old, line);

    if (fixed != NULL)
      {
        g_autofree char *again = lab_setup_ensure_line (fixed, line);

        FUZZ_ASSERT (again == NULL);
        FUZZ_ASSERT (g_str_has_prefix (fixed, old));
        check_diff (old, fixed);
      }
  }
  {
    g_autofree char *fixed = lab_setup_ensure_block (old, block);

    if (fixed != NULL)
      {
        g_autofree char *again = lab_setup_ensure_block (fixed, block);

        FUZZ_ASSERT (again == NULL);
        check_diff (old, fixed);
      }
  }
  {
    const char *setting = "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:1024M\"";
    g_autofree char *fixed = lab_setup_ensure_setting (old, setting,
                                                       "^#?\\s*GRUB_CMDLINE_XEN_DEFAULT=");

    if (fixed != NULL)
      {
        g_autofree char *again = lab_setup_ensure_setting (fixed, setting,
                                                           "^#?\\s*GRUB_CMDLINE_XEN_DEFAULT=");

        FUZZ_ASSERT (again == NULL);
        check_diff (old, fixed);
      }
  }
  return 0;
}
