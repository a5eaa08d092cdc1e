/* lab-display-text.c — text from outside the app, made fit to be shown
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-display-text"

#include "config.h"

#include <string.h>

#include "lab-display-text.h"

#define REPLACEMENT 0xFFFD
#define ELLIPSIS    "…"

typedef enum
{
  KEEP_NEWLINES = 1 << 0,
  DEFUSE_MARKUP = 1 << 1,
} TextFlags;

/* What @c becomes on screen; 0 means "as it is". */
static gunichar
replacement_for (gunichar  c,
                 TextFlags flags)
{
  if (c == '\t' || (c == '\n' && (flags & KEEP_NEWLINES)))
    return 0;
  /* C0 controls and DEL have visible pictures (␊, ␛, ␡), which say what was there. */
  if (c < 0x20)
    return 0x2400 + c;
  if (c == 0x7F)
    return 0x2421;
  /* C1 controls; line and paragraph separators, which break a label's line like a
   * newline does; and the bidi embeddings and isolates, which can make a name read
   * backwards ("lmth.exe"). */
  if ((c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029
      || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
    return REPLACEMENT;
  /* For sinks that may or may not read markup (notification servers differ): look-alikes
   * that no markup parser knows, so the text reads the same on every desktop. */
  if (flags & DEFUSE_MARKUP)
    {
      if (c == '<')
        return 0x2039;   /* ‹ */
      if (c == '>')
        return 0x203A;   /* › */
      if (c == '&')
        return 0xFF06;   /* ＆ */
    }
  return 0;
}

static char *
display_text (const char *text,
              gsize       max_chars,
              TextFlags   flags)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize n_chars, keep;
  const char *p;

  g_return_val_if_fail (max_chars > 0, NULL);

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  n_chars = g_utf8_strlen (valid, -1);
  /* Room for the ellipsis when it does not all fit. */
  keep = n_chars > max_chars ? max_chars - 1 : n_chars;
  out = g_string_sized_new (MIN (strlen (valid), keep * 4) + sizeof ELLIPSIS);

  p = valid;
  for (gsize i = 0; i < keep; i++, p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar r = replacement_for (c, flags);

      g_string_append_unichar (out, r != 0 ? r : c);
    }
  if (keep < n_chars)
    g_string_append (out, ELLIPSIS);

  return g_string_free (out, FALSE);
}

/**
 * lab_text_for_display:
 * @text: (nullable): text from dom0, a unikernel, a remote file or the user, in any encoding
 * @max_chars: at most this many characters in the result (at least 1)
 *
 * One line of valid UTF-8 for a label, toast, tooltip or cell: invalid bytes become U+FFFD,
 * control characters (except tab) their visible pictures or U+FFFD, and text longer than
 * @max_chars is cut, at a character, with "…". Markup-significant characters are left as
 * they are: escape the result for a markup sink.
 *
 * Returns: (transfer full) (nullable): the text to show, %NULL for %NULL
 */
char *
lab_text_for_display (const char *text,
                      gsize       max_chars)
{
  return display_text (text, max_chars, 0);
}

/**
 * lab_text_for_display_lines:
 *
 * Like lab_text_for_display(), but newlines stay: for messages and tooltips made of lines.
 */
char *
lab_text_for_display_lines (const char *text,
                            gsize       max_chars)
{
  return display_text (text, max_chars, KEEP_NEWLINES);
}

/**
 * lab_text_for_notification:
 *
 * Like lab_text_for_display_lines(), and also without `<`, `>` and `&`, which become
 * look-alikes. A notification body is plain text for GNOME Shell but markup for other
 * notification servers; escaping would show "&amp;" on the first, and leaving them would
 * let a name carry a link on the second.
 */
char *
lab_text_for_notification (const char *text,
                           gsize       max_chars)
{
  return display_text (text, max_chars, KEEP_NEWLINES | DEFUSE_MARKUP);
}
