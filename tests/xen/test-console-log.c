/* test-console-log.c — a domain's kept console output: bounded, oldest dropped first, tail
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "xen/lab-console-log.h"

static char *
contents (LabConsoleLog *log)
{
  g_autoptr(GBytes) bytes = lab_console_log_dup_bytes (log);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_bounded (void)
{
  g_autoptr(LabConsoleLog) log = lab_console_log_new ("www", 16);
  g_autofree char *text = NULL;

  g_assert_cmpstr (lab_console_log_get_domain_name (log), ==, "www");
  g_assert_cmpuint (lab_console_log_get_length (log), ==, 0);
  g_assert_cmpint (lab_console_log_get_last_append (log), ==, 0);
  text = contents (log);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);

  lab_console_log_append (log, (const guint8 *) "0123456789", 10);
  g_assert_cmpint (lab_console_log_get_last_append (log), >, 0);
  text = contents (log);
  g_assert_cmpstr (text, ==, "0123456789");
  g_clear_pointer (&text, g_free);

  /* Past the bound: the oldest bytes go, across the ring's wrap. */
  lab_console_log_append (log, (const guint8 *) "abcdefghij", 10);
  g_assert_cmpuint (lab_console_log_get_length (log), ==, 16);
  g_assert_cmpuint (lab_console_log_get_dropped (log), ==, 4);
  text = contents (log);
  g_assert_cmpstr (text, ==, "456789abcdefghij");
  g_clear_pointer (&text, g_free);

  lab_console_log_append (log, (const guint8 *) "KLM", 3);
  text = contents (log);
  g_assert_cmpstr (text, ==, "789abcdefghijKLM");
  g_clear_pointer (&text, g_free);

  /* One chunk bigger than the bound keeps its own end. */
  lab_console_log_append (log, (const guint8 *) "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26);
  text = contents (log);
  g_assert_cmpstr (text, ==, "KLMNOPQRSTUVWXYZ");
  g_assert_cmpuint (lab_console_log_get_dropped (log), ==, 7 + 16 + 10);
  g_clear_pointer (&text, g_free);

  lab_console_log_clear (log);
  g_assert_cmpuint (lab_console_log_get_length (log), ==, 0);
}

static void
count_appended (LabConsoleLog *log,
                gpointer       data,
                guint64        len,
                guint64       *total)
{
  *total += len;
}

static void
test_tail_and_notes (void)
{
  g_autoptr(LabConsoleLog) log = lab_console_log_new ("crashy", LAB_CONSOLE_LOG_DEFAULT_CAPACITY);
  const char *boot = "Solo5: Bindings\r\n\033[1mbold\033[0m line\nlease\r\nSolo5: solo5_abort() "
                     "called\r\n\r\n";
  g_autofree char *tail = NULL;
  g_autofree char *text = NULL;
  guint64 total = 0;

  g_signal_connect (log, "appended", G_CALLBACK (count_appended), &total);
  lab_console_log_append (log, (const guint8 *) boot, strlen (boot));
  g_assert_cmpuint (total, ==, strlen (boot));

  tail = lab_console_log_dup_tail (log, 2);
  g_assert_cmpstr (tail, ==, "lease\nSolo5: solo5_abort() called");
  g_clear_pointer (&tail, g_free);
  tail = lab_console_log_dup_tail (log, 10);
  g_assert_cmpstr (tail, ==, "Solo5: Bindings\nbold line\nlease\nSolo5: solo5_abort() called");
  g_clear_pointer (&tail, g_free);

  /* Mirage Lab's own line starts on a line of its own. */
  lab_console_log_append (log, (const guint8 *) "no newline", 10);
  lab_console_log_append_note (log, "starting crashy");
  text = contents (log);
  g_assert_true (g_str_has_suffix (text, "no newline\r\n\033[2m[starting crashy]\033[0m\r\n"));
  tail = lab_console_log_dup_tail (log, 1);
  g_assert_cmpstr (tail, ==, "[starting crashy]");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/console-log/bounded", test_bounded);
  g_test_add_func ("/console-log/tail-and-notes", test_tail_and_notes);

  return g_test_run ();
}
