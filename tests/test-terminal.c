/* test-terminal.c — LabTerminal: feed, keys out, size, search, zoom, fonts, palette
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "views/lab-terminal.h"

#include "lab-test-gtk-utils.h"

typedef struct
{
  GtkWindow   *window;
  LabTerminal *terminal;
  GString     *committed;
  guint        size_changes;
  guint        columns;
  guint        rows;
} Fixture;

static void
on_commit (VteTerminal *terminal,
           const char  *text,
           guint        size,
           Fixture     *fixture)
{
  g_string_append_len (fixture->committed, text, size);
}

static void
on_size_changed (LabTerminal *terminal,
                 guint        columns,
                 guint        rows,
                 Fixture     *fixture)
{
  fixture->size_changes++;
  fixture->columns = columns;
  fixture->rows = rows;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->committed = g_string_new (NULL);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 640, 400);
  fixture->terminal = LAB_TERMINAL (lab_terminal_new ());
  g_signal_connect (fixture->terminal, "commit", G_CALLBACK (on_commit), fixture);
  g_signal_connect (fixture->terminal, "size-changed", G_CALLBACK (on_size_changed), fixture);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->terminal));
  gtk_window_present (fixture->window);
  lab_test_flush (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_string_free (fixture->committed, TRUE);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

static const char boot_log[] =
  "Solo5: Xen console: port 0x2, ring @0x00000000FEFFF000\r\n"
  "            |      ___|\r\n"
  "  __|  _ \\  |  _ \\ __ \\\r\n"
  "\\__ \\ (   | | (   |  ) |\r\n"
  "____/\\___/ _|\\___/____/\r\n"
  "Solo5: Bindings version v0.8.0\r\n"
  "\x1b[32m2026-11-25T06:00:00-00:00: [INFO] [netif] Plugging into 0 with mac 00:16:3e:12:34:56"
  "\x1b[0m\r\n"
  "2026-11-25T06:00:01-00:00: [INFO] [dhcp_client_lwt] Lease obtained! IP: 192.168.56.150, "
  "routers: 192.168.56.5\r\n";

/* VTE parses fed bytes on its own schedule: wait (bounded) until @needle shows. */
static void
feed_and_wait (LabTerminal *terminal,
               const char  *bytes,
               const char  *needle)
{
  vte_terminal_feed (VTE_TERMINAL (terminal), bytes, -1);
  g_assert_true (lab_test_terminal_wait_for (terminal, needle, 5000));
}

static void
test_feed_and_commit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autofree char *shot = NULL;

  feed_and_wait (fixture->terminal, boot_log, "routers: 192.168.56.5");
  contents = lab_terminal_dup_contents (fixture->terminal);
  g_assert_nonnull (strstr (contents, "Lease obtained! IP: 192.168.56.150"));
  /* Colour escapes are rendered, not shown. */
  g_assert_null (strstr (contents, "\x1b[32m"));
  g_assert_nonnull (strstr (contents, "Plugging into 0"));

  /* Keys (and pastes) leave through ::commit even without a local pty. */
  vte_terminal_feed_child (VTE_TERMINAL (fixture->terminal), "xl list\r", -1);
  g_assert_cmpstr (fixture->committed->str, ==, "xl list\r");

  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->window), "terminal-boot-log");
}

/* Console output with bare LFs (a raw console; CR LF split across two chunks too) and NUL
 * padding: every line starts at the left margin. */
static void
test_feed_console (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char first[] = "Parsing config from www.xl\r";
  static const char second[] = "\nSolo5: booting\n\0udhcpc: lease of 192.168.56.150\nLease ";
  static const char third[] = "obtained! IP: 192.168.56.150, routers: 192.168.56.5\n";
  g_autofree char *contents = NULL;

  lab_terminal_feed_console (fixture->terminal, (const guint8 *) first, sizeof first - 1);
  lab_terminal_feed_console (fixture->terminal, (const guint8 *) second, sizeof second - 1);
  lab_terminal_feed_console (fixture->terminal, (const guint8 *) third, sizeof third - 1);
  g_assert_true (lab_test_terminal_wait_for (fixture->terminal, "routers: 192.168.56.5", 5000));

  contents = lab_terminal_dup_contents (fixture->terminal);
  g_assert_nonnull (strstr (contents,
                            "Parsing config from www.xl\n"
                            "Solo5: booting\n"
                            "udhcpc: lease of 192.168.56.150\n"
                            "Lease obtained! IP: 192.168.56.150, routers: 192.168.56.5\n"));
}

/* The same on the real-Xen lab's guest under `xl create -c` (tests/fixtures/xen-4.17):
 * every line of the capture shows, in order, at the left margin. */
static void
test_feed_console_capture (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *capture = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  gsize len;

  capture = lab_test_read_fixture ("xen-4.17", "xl-create-console.stdout", &len);
  lab_terminal_feed_console (fixture->terminal, (const guint8 *) capture, len);
  g_assert_true (lab_test_terminal_wait_for (fixture->terminal, "Lease obtained! IP: ", 5000));

  /* The first lines, as text: without CRs and NULs. */
  lines = g_strsplit (capture, "\n", 5);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_strdelimit (lines[i], "\r", ' ');
      g_string_append_printf (expected, "%s\n", g_strchomp (lines[i]));
    }
  contents = lab_terminal_dup_contents (fixture->terminal);
  g_test_message ("expected:\n%s", expected->str);
  g_assert_nonnull (strstr (contents, expected->str));
}

static void
test_size_changed (Fixture       *fixture,
                   gconstpointer  data)
{
  guint columns = 0, rows = 0;
  guint before;

  lab_terminal_get_grid_size (fixture->terminal, &columns, &rows);
  g_assert_cmpuint (fixture->size_changes, >=, 1);
  g_assert_cmpuint (fixture->columns, ==, columns);
  g_assert_cmpuint (fixture->rows, ==, rows);

  before = fixture->size_changes;
  gtk_window_set_default_size (fixture->window, 900, 600);
  gtk_widget_set_size_request (GTK_WIDGET (fixture->terminal), 880, 580);
  lab_test_flush (GTK_WIDGET (fixture->window));
  g_assert_cmpuint (fixture->size_changes, >, before);
  g_assert_cmpuint (fixture->columns, >, columns);
  g_assert_cmpuint (fixture->rows, >, rows);

  /* Nothing changes, nothing is emitted. */
  before = fixture->size_changes;
  gtk_widget_queue_allocate (GTK_WIDGET (fixture->terminal));
  lab_test_flush (GTK_WIDGET (fixture->window));
  g_assert_cmpuint (fixture->size_changes, ==, before);
}

static void
test_find (Fixture       *fixture,
           gconstpointer  data)
{
  feed_and_wait (fixture->terminal, boot_log, "routers: 192.168.56.5");
  g_assert_true (lab_terminal_find (fixture->terminal, "lease OBTAINED", FALSE));
  g_assert_true (lab_terminal_find (fixture->terminal, "192.168.56.150", TRUE));
  /* Regex characters are plain text here. */
  g_assert_false (lab_terminal_find (fixture->terminal, "Lease.*routers", FALSE));
  g_assert_true (lab_terminal_find (fixture->terminal, "\\__", FALSE));
  g_assert_false (lab_terminal_find (fixture->terminal, "no such text", FALSE));
  g_assert_false (lab_terminal_find (fixture->terminal, "", FALSE));
}

static void
test_zoom_and_clear (Fixture       *fixture,
                     gconstpointer  data)
{
  VteTerminal *terminal = VTE_TERMINAL (fixture->terminal);
  g_autofree char *contents = NULL;

  g_assert_cmpfloat (vte_terminal_get_font_scale (terminal), ==, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (terminal), "term.zoom-in", NULL));
  g_assert_cmpfloat (vte_terminal_get_font_scale (terminal), >, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (terminal), "term.zoom-reset", NULL));
  g_assert_cmpfloat (vte_terminal_get_font_scale (terminal), ==, 1.0);
  for (int i = 0; i < 30; i++)
    gtk_widget_activate_action (GTK_WIDGET (terminal), "term.zoom-out", NULL);
  g_assert_cmpfloat (vte_terminal_get_font_scale (terminal), >=, 0.5);

  feed_and_wait (fixture->terminal, boot_log, "routers: 192.168.56.5");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (terminal), "term.clear", NULL));
  contents = lab_terminal_dup_contents (fixture->terminal);
  g_assert_null (strstr (contents, "Lease obtained"));
}

static void
test_settings_font (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *font = NULL;

  lab_terminal_set_settings (fixture->terminal, settings);
  g_settings_set_int (settings, "console-scrollback-lines", 1234);
  g_assert_cmpint (vte_terminal_get_scrollback_lines (VTE_TERMINAL (fixture->terminal)), ==,
                   1234);

  g_settings_set_boolean (settings, "console-use-system-font", FALSE);
  g_settings_set_string (settings, "console-font", "DejaVu Sans Mono 15");
  font = lab_terminal_dup_font_name (fixture->terminal);
  g_assert_cmpstr (font, ==, "DejaVu Sans Mono 15");
  g_assert_cmpint (pango_font_description_get_size (
                     vte_terminal_get_font (VTE_TERMINAL (fixture->terminal))), ==,
                   15 * PANGO_SCALE);

  g_settings_reset (settings, "console-use-system-font");
  g_settings_reset (settings, "console-font");
  g_settings_reset (settings, "console-scrollback-lines");
}

static void
test_dark_palette (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *shot = NULL;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  vte_terminal_feed (VTE_TERMINAL (fixture->terminal), boot_log, -1);
  feed_and_wait (fixture->terminal,
                 "\x1b[31mred \x1b[32mgreen \x1b[33myellow \x1b[34mblue \x1b[0mplain\r\n",
                 "plain");
  shot = lab_test_save_screenshot (GTK_WIDGET (fixture->window), "terminal-dark");
}

static char *
dup_vte_contents (VteTerminal *terminal)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vte_terminal_write_contents_sync (terminal, stream, VTE_WRITE_DEFAULT, NULL,
                                                   &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

typedef struct
{
  LabTerminal *terminal;
  VteTerminal *reference;
  const char  *last_line;
} FloodDone;

static gboolean
flood_shown (gpointer data)
{
  FloodDone *done = data;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;

  if (lab_terminal_get_backlog (done->terminal) > 0)
    return FALSE;
  ours = lab_terminal_dup_contents (done->terminal);
  theirs = dup_vte_contents (done->reference);
  return strstr (ours, done->last_line) != NULL && strstr (theirs, done->last_line) != NULL;
}

/* A console flood far longer than the scrollback, given in chunks faster than VTE parses:
 * the terminal skips lines that would scroll out unseen, and still ends up with exactly the
 * text (screen and scrollback, wrapped lines included) of a terminal that parsed every
 * byte. Colour changes in the middle are parsed, never skipped. */
static void
test_flood_same_as_plain (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GString) flood = g_string_new ("\x1b[1mMirage Lab flood\x1b[0m\r\n");
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  /* Same widget (padding, font), but given every byte straight through VTE's own feed. */
  GtkWidget *reference = lab_terminal_new ();
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  FloodDone done = { fixture->terminal, VTE_TERMINAL (reference), "line 79999 end" };
  const gsize chunk = 16 * 1024;

  for (guint i = 0; i < 80000; i++)
    {
      if (i == 40000)
        g_string_append (flood, "\x1b[33m");   /* stays in effect: must be parsed */
      if (i == 79990)
        g_string_append (flood, "\x1b[0m");
      g_string_append_printf (flood, "2026-12-03T09:04:26-00:00: [INFO] [flood] line %05u", i);
      if (i % 997 == 0)   /* wider than the terminal: wraps onto more rows */
        for (guint j = 0; j < 12; j++)
          g_string_append (flood, " and a long tail");
      /* Bare LFs, as raw consoles print them, and CR LF. */
      g_string_append (flood, i % 2 ? " end\r\n" : " end\n");
    }

  gtk_window_set_default_size (window, 640, 400);
  gtk_window_set_child (window, reference);
  gtk_window_present (window);
  lab_test_flush (GTK_WIDGET (window));
  g_assert_cmpint (vte_terminal_get_column_count (VTE_TERMINAL (reference)), ==,
                   vte_terminal_get_column_count (VTE_TERMINAL (fixture->terminal)));
  g_assert_cmpint (vte_terminal_get_row_count (VTE_TERMINAL (reference)), ==,
                   vte_terminal_get_row_count (VTE_TERMINAL (fixture->terminal)));

  for (gsize at = 0; at < flood->len; at += chunk)
    lab_terminal_feed_console (fixture->terminal, (const guint8 *) flood->str + at,
                               MIN (chunk, flood->len - at));
  /* The reference gets every byte, with the LFs the console feed turns into CR LF. */
  {
    g_autoptr(GString) crlf = g_string_new (NULL);

    for (gsize i = 0; i < flood->len; i++)
      {
        if (flood->str[i] == '\n' && (i == 0 || flood->str[i - 1] != '\r'))
          g_string_append_c (crlf, '\r');
        g_string_append_c (crlf, flood->str[i]);
      }
    vte_terminal_feed (VTE_TERMINAL (reference), crlf->str, crlf->len);
  }

  /* Coalescing happened, and only to part of it. */
  g_assert_cmpuint (lab_terminal_get_skipped (fixture->terminal), >, 0);
  g_assert_cmpuint (lab_terminal_get_skipped (fixture->terminal), <, flood->len);
  g_assert_true (lab_test_wait_for (flood_shown, &done, 60000));

  ours = lab_terminal_dup_contents (fixture->terminal);
  theirs = dup_vte_contents (VTE_TERMINAL (reference));
  g_assert_nonnull (strstr (ours, "line 79999 end"));
  g_assert_null (strstr (ours, "line 00100 end"));   /* scrolled out in both */
  g_assert_cmpuint (strlen (ours), >, 10000 * 40);
  g_assert_cmpstr (ours, ==, theirs);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_gtk_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/terminal/feed-and-commit", test_feed_and_commit);
  ADD ("/terminal/feed-console", test_feed_console);
  ADD ("/terminal/feed-console-capture", test_feed_console_capture);
  ADD ("/terminal/flood-same-as-plain", test_flood_same_as_plain);
  ADD ("/terminal/size-changed", test_size_changed);
  ADD ("/terminal/find", test_find);
  ADD ("/terminal/zoom-and-clear", test_zoom_and_clear);
  ADD ("/terminal/settings-font", test_settings_font);
  ADD ("/terminal/dark-palette", test_dark_palette);
#undef ADD

  return g_test_run ();
}
