/* test-display-text.c — untrusted text made fit for labels, toasts and notifications
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "lab-display-text.h"

static void
test_plain_names_unchanged (void)
{
  const char *names[] = { "static_website", "R&D", "web<1>", "<b>bold</b>", "ørken-å",
                          "a\tb", "", NULL };

  /* Markup-significant characters are the markup sinks' business, not this one's. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *shown = lab_text_for_display (names[i], LAB_DISPLAY_NAME_MAX);

      g_assert_cmpstr (shown, ==, names[i]);
    }
  g_assert_null (lab_text_for_display (NULL, 10));
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *shown = lab_text_for_display ("web\xff\xfe" "1", 80);

  g_assert_true (g_utf8_validate (shown, -1, NULL));
  /* One U+FFFD per bad byte, as g_utf8_make_valid() does. */
  g_assert_cmpstr (shown, ==, "web\xef\xbf\xbd\xef\xbf\xbd" "1");
}

static void
test_controls (void)
{
  g_autofree char *one = lab_text_for_display ("a\nb\rc\x1b[31md\x7f", 80);
  g_autofree char *lines = lab_text_for_display_lines ("a\nb\rc", 80);
  g_autofree char *c1 = lab_text_for_display ("x\xc2\x85y", 80);
  g_autofree char *bidi = lab_text_for_display ("exe.\xe2\x80\xaetxt", 80);
  g_autofree char *separator = lab_text_for_display ("a\xe2\x80\xa8" "b", 80);

  /* ␊ ␍ ␛ ␡: a newline or an escape sequence in a name shows as what it is. */
  g_assert_cmpstr (one, ==, "a␊b␍c␛[31md␡");
  g_assert_cmpstr (lines, ==, "a\nb␍c");
  g_assert_cmpstr (c1, ==, "x\xef\xbf\xbdy");
  g_assert_cmpstr (bidi, ==, "exe.\xef\xbf\xbdtxt");
  g_assert_cmpstr (separator, ==, "a\xef\xbf\xbd" "b");
}

static void
test_bounded (void)
{
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *shown = lab_text_for_display (long_name, LAB_DISPLAY_NAME_MAX);
  g_autofree char *exact = lab_text_for_display ("abcde", 5);
  g_autofree char *cut = lab_text_for_display ("abcdef", 5);
  g_autofree char *one = lab_text_for_display ("abcdef", 1);
  /* Two-byte characters: the cut falls between characters, never inside one. */
  g_autofree char *wide = lab_text_for_display ("ååååå", 3);
  gsize big = 1024 * 1024;
  g_autofree char *huge = g_malloc (big + 1);
  g_autofree char *huge_shown = NULL;

  g_assert_cmpuint (g_utf8_strlen (shown, -1), ==, LAB_DISPLAY_NAME_MAX);
  g_assert_true (g_str_has_suffix (shown, "…"));
  g_assert_true (g_str_has_prefix (shown, "xxxxxxxxxx"));
  g_assert_cmpstr (exact, ==, "abcde");
  g_assert_cmpstr (cut, ==, "abcd…");
  g_assert_cmpstr (one, ==, "…");
  g_assert_cmpstr (wide, ==, "åå…");

  /* A megabyte of console line from a unikernel never reaches a label whole. */
  memset (huge, 'y', big);
  huge[big] = '\0';
  huge_shown = lab_text_for_display (huge, LAB_DISPLAY_LINE_MAX);
  g_assert_cmpuint (g_utf8_strlen (huge_shown, -1), ==, LAB_DISPLAY_LINE_MAX);
}

static void
test_notification (void)
{
  g_autofree char *link = lab_text_for_notification (
    "“<a href=\"https://example.invalid/\">click</a>” crashed.\nR&D", 200);
  g_autofree char *long_body = g_strnfill (500, 'z');
  g_autofree char *bounded = lab_text_for_notification (long_body, 200);
  g_autofree char *broken = lab_text_for_notification ("a\xc3", 200);

  /* No '<', '>' or '&' is left for a markup-reading notification server to act on; the
   * newline between the lines of the body stays. */
  g_assert_cmpstr (link, ==,
                   "“‹a href=\"https://example.invalid/\"›click‹/a›” crashed.\nR＆D");
  g_assert_null (strpbrk (link, "<>&"));
  g_assert_cmpuint (g_utf8_strlen (bounded, -1), ==, 200);
  g_assert_true (g_str_has_suffix (bounded, "…"));
  g_assert_true (g_utf8_validate (broken, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/display-text/plain-names-unchanged", test_plain_names_unchanged);
  g_test_add_func ("/display-text/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/display-text/controls", test_controls);
  g_test_add_func ("/display-text/bounded", test_bounded);
  g_test_add_func ("/display-text/notification", test_notification);

  return g_test_run ();
}
