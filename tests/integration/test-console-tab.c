/* test-console-tab.c — a domain's console in a tab over the app's SSH PTY channel, against a
 * dom0 lab: boot log from the first line, IP from the console, domain gone → scrollback kept,
 * input off, reattach on restart, two consoles at once, closing a tab leaves the domain.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <string.h>

#include "lab-app-util.h"
#include "lab-core.h"
#include "lab-test-gtk-utils.h"
#include "views/lab-console-tab.h"

#define SAMPLE_NAME "guest"

static LabFixture *lab;
static LabHostConnection *connection;

static gboolean
setup (void)
{
  return lab_app_shared_connection (&lab, &connection);
}

typedef struct
{
  LabConsoleTab *tab;
  const char    *text;
} TextWait;

static gboolean
console_has_text (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *contents = lab_terminal_dup_contents (lab_console_tab_get_terminal (wait->tab));

  return strstr (contents, wait->text) != NULL;
}

static gboolean
tab_live (gpointer data)
{
  return lab_console_tab_get_status (data) == LAB_CONSOLE_STATUS_LIVE;
}

static gboolean
tab_gone (gpointer data)
{
  return lab_console_tab_get_status (data) == LAB_CONSOLE_STATUS_DOMAIN_GONE;
}

static gboolean
is_running (gpointer data)
{
  return lab_domain_get_running (data);
}

static gboolean
is_stopped (gpointer data)
{
  return !lab_domain_get_running (data);
}

static gboolean
has_console_ip (gpointer data)
{
  return lab_ip_info_get_candidate (lab_domain_get_ip_info (data), LAB_IP_SOURCE_CONSOLE) != NULL;
}

/* `stty -F PTY @args` on the pty under dom0's `xl console`/`xl create -c`, as root. */
static char *
remote_pty_stty (const char *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  char *out = NULL;
  int status = -1;

  script = g_strdup_printf ("for p in $(pgrep -f 'xl (console|create -c)'); do "
                            "t=$(ps -o tty= -p $p | tr -d ' '); "
                            "[ -n \"$t\" ] && [ \"$t\" != '?' ] && stty -F /dev/$t %s && break; "
                            "done", args);
  lab_fixture_exec_sh (lab, script, &out, &status, &error);
  if (out != NULL)
    g_strstrip (out);
  return out;
}

static char *
remote_pty_size (void)
{
  return remote_pty_stty ("size");
}

/* xl's console reads keys once it has put its terminal in raw mode; before that the line
 * discipline would swallow them (as with ssh -t). */
static gboolean
remote_pty_raw (gpointer data)
{
  g_autofree char *modes = remote_pty_stty ("-a");

  return modes != NULL && strstr (modes, "-icanon") != NULL;
}

static gboolean
remote_size_is (gpointer data)
{
  g_autofree char *size = remote_pty_size ();

  return g_strcmp0 (size, data) == 0;
}

static gboolean
tab_detached (gpointer data)
{
  return lab_console_tab_get_status (data) == LAB_CONSOLE_STATUS_DETACHED;
}

static GtkWidget *
show_tab (LabConsoleTab *tab)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 560);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (tab));
  gtk_window_present (GTK_WINDOW (window));
  lab_test_flush (window);
  return window;
}

static void
test_start_with_console (void)
{
  LabDomain *www;
  LabConsoleTab *tab;
  GtkWidget *window;
  g_autofree char *contents = NULL;
  g_autofree char *shot = NULL;
  TextWait lease = { NULL, "Lease obtained! IP: " };
  g_autoptr(GError) error = NULL;

  if (!setup ())
    return;

  www = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (www);
  g_object_ref (www);

  tab = lab_console_tab_new (connection, SAMPLE_NAME);
  window = show_tab (tab);
  lease.tab = tab;

  /* `xl create -c` in the tab: the boot log is there from its first line. */
  lab_console_tab_create_and_attach (tab, lab_domain_get_config_path (www));
  g_assert_true (lab_test_wait_for (tab_live, tab, 60000));
  if (!lab_test_wait_for (console_has_text, &lease, 120000))
    {
      g_autofree char *text = lab_terminal_dup_contents (lab_console_tab_get_terminal (tab));
      g_autofree char *escaped = g_strescape (text, NULL);

      g_test_message ("console so far: %s", escaped);
    }
  g_assert_true (console_has_text (&lease));
  g_assert_true (lab_test_wait_for (is_running, www, 30000));
  contents = lab_terminal_dup_contents (lab_console_tab_get_terminal (tab));
  g_test_message ("console:\n%s", contents);
  /* Nothing before the lease line is missing: xl's own first line, then the guest's boot
   * (a Solo5 banner in the fast lab, the PV kernel's first words in the real-Xen lab). */
  g_assert_true (g_str_has_prefix (contents, "Parsing config from "));
  g_assert_true (strstr (contents, "Solo5: Bindings") != NULL
                 || strstr (contents, "guest: booting") != NULL);

  /* The console's lease line reached the domain's IP. */
  g_assert_true (lab_test_wait_for (has_console_ip, www, 10000));
  g_assert_cmpint (lab_ip_info_get_source (lab_domain_get_ip_info (www)), ==,
                   LAB_IP_SOURCE_CONSOLE);
  g_assert_nonnull (strstr (contents, lab_domain_get_ip (www)));

  shot = lab_test_save_screenshot (window, "console-live");
  g_test_message ("screenshot: %s", shot);

  /* A resize of the terminal reaches the remote pty that xl's console runs on. */
  {
    guint columns, rows;
    g_autofree char *expected = NULL;
    g_autofree char *before = remote_pty_size ();

    gtk_window_set_default_size (GTK_WINDOW (window), 700, 420);
    lab_test_flush (window);
    lab_terminal_get_grid_size (lab_console_tab_get_terminal (tab), &columns, &rows);
    expected = g_strdup_printf ("%u %u", rows, columns);
    g_test_message ("remote pty before: %s, terminal now: %s", before, expected);
    g_assert_cmpstr (before, !=, expected);
    g_assert_true (lab_test_wait_for (remote_size_is, expected, 10000));
  }

  /* The domain is destroyed: the tab says so, keeps the text, takes no input. */
  error = lab_app_run_action (connection, www, LAB_DOMAIN_ACTION_DESTROY);
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (tab_gone, tab, 60000));
  g_assert_true (console_has_text (&lease));
  g_assert_false (vte_terminal_get_input_enabled (
    VTE_TERMINAL (lab_console_tab_get_terminal (tab))));
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (window, "console-domain-gone");

  /* With reattach on, the restarted domain's console comes back by itself. */
  lab_console_tab_set_reattach (tab, TRUE);
  error = lab_app_run_action (connection, www, LAB_DOMAIN_ACTION_START);
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (is_running, www, 60000));
  g_assert_true (lab_test_wait_for (tab_live, tab, 60000));
  g_assert_true (vte_terminal_get_input_enabled (
    VTE_TERMINAL (lab_console_tab_get_terminal (tab))));

  /* Keys reach xl's console on dom0: Ctrl-] is its detach key. The console goes, the
   * domain stays. */
  g_assert_true (lab_test_wait_for (remote_pty_raw, NULL, 20000));
  vte_terminal_feed_child (VTE_TERMINAL (lab_console_tab_get_terminal (tab)), "\x1d", 1);
  g_assert_true (lab_test_wait_for (tab_detached, tab, 20000));
  g_assert_true (lab_domain_get_running (www));
  lab_console_tab_attach (tab);
  g_assert_true (lab_test_wait_for (tab_live, tab, 30000));

  /* Two consoles at once: a second domain's tab, each with its own output. */
  {
    LabDomain *second;
    LabConsoleTab *second_tab;
    GtkWidget *second_window;
    TextWait banner = { NULL, "Lease obtained! IP: " };
    g_autofree char *first_text = NULL;
    g_autoptr(GRegex) name_line = g_regex_new ("^name\\s*=.*$", G_REGEX_MULTILINE, 0, NULL);
    g_autofree char *text = g_regex_replace_literal (name_line,
                                                     lab_xl_config_get_text (
                                                       lab_domain_get_config (www)),
                                                     -1, 0, "name = 'second'", 0, NULL);
    g_autofree char *path = g_build_filename (lab_fixture_get (lab, "LAB_HOME"), "unikernels",
                                              "second.xl", NULL);

    /* The sample under another name: it runs the same way in both labs. */
    lab_app_write_user_file (lab, path, text);
    lab_host_connection_poll_now (connection);
    second = lab_app_wait_domain (connection, "second", 60);
    g_assert_nonnull (second);
    g_object_ref (second);
    second_tab = lab_console_tab_new (connection, "second");
    second_window = show_tab (second_tab);
    banner.tab = second_tab;
    lab_console_tab_create_and_attach (second_tab, lab_domain_get_config_path (second));
    g_assert_true (lab_test_wait_for (tab_live, second_tab, 60000));
    g_assert_true (lab_test_wait_for (console_has_text, &banner, 60000));
    g_assert_cmpint (lab_console_tab_get_status (tab), ==, LAB_CONSOLE_STATUS_LIVE);
    first_text = lab_terminal_dup_contents (lab_console_tab_get_terminal (tab));
    g_assert_null (strstr (first_text, "second.xl"));
    gtk_window_destroy (GTK_WINDOW (second_window));
    g_assert_true (lab_test_wait_for (is_running, second, 30000));
    error = lab_app_run_action (connection, second, LAB_DOMAIN_ACTION_DESTROY);
    g_assert_no_error (error);
    g_assert_true (lab_test_wait_for (is_stopped, second, 60000));
    g_object_unref (second);
  }

  /* Closing the tab ends the channel only: the domain keeps running. */
  gtk_window_destroy (GTK_WINDOW (window));
  lab_host_connection_poll_now (connection);
  g_assert_false (lab_test_wait_for (is_stopped, www, 3000));
  g_assert_true (lab_domain_get_running (www));

  error = lab_app_run_action (connection, www, LAB_DOMAIN_ACTION_DESTROY);
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (is_stopped, www, 60000));
  g_object_unref (www);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!lab_test_gtk_init (&argc, &argv))
    return 0;
  lab_app_prepare_home ();
  lab_core_init ();

  g_test_add_func ("/console-tab/start-with-console", test_start_with_console);

  ret = g_test_run ();
  g_clear_object (&connection);
  g_clear_pointer (&lab, lab_fixture_down);
  return ret;
}
