/* test-console-tab.c — a domain's console in a tab over the app's SSH PTY channel, against a
 * dom0 lab: paused create → attach → unpause, so the boot log is there from the first line
 * (also of a domain that crashes 0.2 s after boot, fast lab), IP from the console, domain
 * gone → scrollback and kept output, why it ended, input off, reattach on restart, two
 * consoles at once, closing a tab leaves the domain.
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
#include "views/lab-output-window.h"

#define SAMPLE_NAME "guest"

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
has_console_ip (gpointer data)
{
  return lab_ip_info_get_candidate (lab_domain_get_ip_info (data), LAB_IP_SOURCE_CONSOLE) != NULL;
}

/* `stty -F PTY @args` on the pty under dom0's `xl console`/`xl create -c`, as root. */
static char *
remote_pty_stty (LabFixture *lab,
                 const char *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  char *out = NULL;
  int status = -1;

  /* The console client's own pty (xl's, or xenconsole's that real xl execs): with sudo's
   * use_pty, the sudo process before it (whose command line matches too) sits on the
   * channel's pty, which goes raw before the client's does. */
  script = g_strdup_printf ("for p in $(pgrep -f 'xl (console|create -c)|xenconsole'); do "
                            "case \"$(cat /proc/$p/comm)\" in xl|xenconsole) ;; *) continue;; "
                            "esac; "
                            "t=$(ps -o tty= -p $p | tr -d ' '); "
                            "[ -n \"$t\" ] && [ \"$t\" != '?' ] && stty -F /dev/$t %s && break; "
                            "done", args);
  lab_fixture_exec_sh (lab, script, &out, &status, &error);
  if (out != NULL)
    g_strstrip (out);
  return out;
}

static char *
remote_pty_size (LabFixture *lab)
{
  return remote_pty_stty (lab, "size");
}

/* xl's console reads keys once it has put its terminal in raw mode; before that the line
 * discipline would swallow them (as with ssh -t). */
static gboolean
remote_pty_raw (gpointer user_data)
{
  g_autofree char *modes = remote_pty_stty (user_data, "-a");

  return modes != NULL && strstr (modes, "-icanon") != NULL;
}

typedef struct
{
  LabFixture *lab;
  const char *size;
} SizeWait;

static gboolean
remote_size_is (gpointer user_data)
{
  SizeWait *wait = user_data;
  g_autofree char *size = remote_pty_size (wait->lab);

  return g_strcmp0 (size, wait->size) == 0;
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
test_start_with_console (LabTestFixture *fixture)
{
  TextWait lease = { NULL, "Lease obtained! IP: " };
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  LabDomain *www;
  LabConsoleTab *tab;
  GtkWidget *window;
  g_autofree char *contents = NULL;
  g_autofree char *shot = NULL;
  g_autoptr(GError) error = NULL;

  www = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (www);
  g_object_ref (www);

  tab = lab_console_tab_new (connection, SAMPLE_NAME);
  window = show_tab (tab);
  lease.tab = tab;

  /* `xl create -p`, `xl console` in the tab, `xl unpause`: the boot log is there from its
   * first line. */
  lab_console_tab_create_and_attach (tab, lab_domain_get_config_path (www));
  g_assert_true (lab_test_wait_for (tab_live, tab, 60000));
  if (!lab_test_wait_for (console_has_text, &lease, 120000))
    {
      g_autofree char *text = lab_terminal_dup_contents (lab_console_tab_get_terminal (tab));
      g_autofree char *escaped = g_strescape (text, NULL);

      g_test_message ("console so far: %s", escaped);
    }
  g_assert_true (console_has_text (&lease));
  g_assert_true (lab_test_wait_for (lab_app_domain_running, www, 30000));
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
    g_autofree char *before = remote_pty_size (lab);

    gtk_window_set_default_size (GTK_WINDOW (window), 700, 420);
    lab_test_flush (window);
    lab_terminal_get_grid_size (lab_console_tab_get_terminal (tab), &columns, &rows);
    expected = g_strdup_printf ("%u %u", rows, columns);
    g_test_message ("remote pty before: %s, terminal now: %s", before, expected);
    g_assert_cmpstr (before, !=, expected);
    g_assert_true (lab_test_wait_for (remote_size_is, &(SizeWait) { lab, expected }, 10000));
  }

  /* The domain is destroyed: the tab says so, keeps the text, takes no input. */
  error = lab_app_run_action (connection, www, LAB_DOMAIN_ACTION_DESTROY);
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (tab_gone, tab, 60000));
  g_assert_true (console_has_text (&lease));
  g_assert_false (vte_terminal_get_input_enabled (
    VTE_TERMINAL (lab_console_tab_get_terminal (tab))));
  /* Why it ended, in the domain and in the tab; the output is kept after the end. */
  g_assert_cmpint (lab_domain_get_end_reason (www), ==, LAB_DOMAIN_END_DESTROYED_BY_USER);
  g_test_message ("tab says: %s", lab_console_tab_get_status_text (tab));
  g_assert_nonnull (strstr (lab_console_tab_get_status_text (tab), "Destroyed by you"));
  {
    LabConsoleLog *log = lab_host_connection_lookup_console_log (connection, SAMPLE_NAME);
    g_autoptr(GBytes) kept = NULL;

    g_assert_nonnull (log);
    g_assert_true (lab_domain_get_console_log (www) == log);
    kept = lab_console_log_dup_bytes (log);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept),
                                    "Lease obtained! IP: "));
  }
  g_clear_pointer (&shot, g_free);
  shot = lab_test_save_screenshot (window, "console-domain-gone");

  /* With reattach on, the restarted domain's console comes back by itself. */
  lab_console_tab_set_reattach (tab, TRUE);
  lab_app_start_domain (connection, www);
  g_assert_true (lab_test_wait_for (tab_live, tab, 60000));
  g_assert_true (vte_terminal_get_input_enabled (
    VTE_TERMINAL (lab_console_tab_get_terminal (tab))));

  /* Keys reach xl's console on dom0: Ctrl-] is its detach key. The console goes, the
   * domain stays. */
  g_assert_true (lab_test_wait_for (remote_pty_raw, lab, 20000));
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
    g_assert_true (lab_test_wait_for (lab_app_domain_running, second, 30000));
    error = lab_app_run_action (connection, second, LAB_DOMAIN_ACTION_DESTROY);
    g_assert_no_error (error);
    g_assert_true (lab_test_wait_for (lab_app_domain_stopped, second, 60000));
    g_object_unref (second);
  }

  /* Closing the tab ends the channel only: the domain keeps running. */
  gtk_window_destroy (GTK_WINDOW (window));
  lab_host_connection_poll_now (connection);
  g_assert_false (lab_test_wait_for (lab_app_domain_stopped, www, 3000));
  g_assert_true (lab_domain_get_running (www));

  lab_app_act_and_wait (connection, www, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);
  g_object_unref (www);
}

static gboolean
is_crashed (gpointer data)
{
  return lab_domain_get_state (data) == LAB_DOMAIN_STATE_CRASHED;
}

static gboolean
has_end (gpointer data)
{
  return lab_domain_get_end_reason (data) != LAB_DOMAIN_END_NONE;
}

static gboolean
status_text_has (gpointer data)
{
  TextWait *wait = data;

  return strstr (lab_console_tab_get_status_text (wait->tab), wait->text) != NULL;
}

static gboolean
terminal_has_abort (gpointer data)
{
  g_autofree char *text = lab_terminal_dup_contents (data);

  return strstr (text, "solo5_abort") != NULL;
}

/* The start of the boot (xl's line, the Solo5 banner) and the crash are both there. */
static void
assert_whole_boot (const char *text)
{
  g_assert_nonnull (strstr (text, "Parsing config from "));
  g_assert_nonnull (strstr (text, "|      ___|"));
  g_assert_nonnull (strstr (text, "Solo5: Bindings version"));
  g_assert_nonnull (strstr (text, "Solo5: solo5_abort() called"));
  g_assert_true (strstr (text, "Parsing config from ") < strstr (text, "Solo5: Bindings"));
  g_assert_true (strstr (text, "Solo5: Bindings") < strstr (text, "solo5_abort"));
}

/* A unikernel that crashes 0.2 s after boot: with `xl create -c` it would be gone (on_crash
 * = 'destroy') before its console attached. Created paused, attached, then unpaused, its
 * whole boot log reaches the tab and the kept output, and the end reason is shown; a
 * preserved crash stays to be inspected and destroyed from the tab. */
static void
test_early_crash (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  static const char * const crash_actions[] = { "destroy", "preserve", NULL };

  if (g_strcmp0 (lab_fixture_kind (), "fast") != 0)
    {
      g_test_skip ("the 0.2 s crash knob (mlab_crash_after) is the fast lab's; the real-Xen "
                   "lab checks the paused create + unpause in start-with-console");
      return;
    }

  for (guint i = 0; crash_actions[i] != NULL; i++)
    {
      gboolean preserve = g_str_equal (crash_actions[i], "preserve");
      g_autofree char *name = g_strdup_printf ("quickcrash-%s", crash_actions[i]);
      g_autofree char *path = NULL;
      g_autofree char *config = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *shot = NULL;
      g_autoptr(GBytes) kept = NULL;
      g_autofree char *kept_text = NULL;
      const char *home = lab_fixture_get (lab, "LAB_HOME");
      LabDomain *domain;
      LabConsoleTab *tab;
      LabConsoleLog *log;
      LabOutputWindow *output;
      GtkWidget *window;
      TextWait ended = { NULL, NULL };

      path = g_strdup_printf ("%s/unikernels/%s.xl", home, name);
      config = g_strdup_printf ("name = '%s'\n"
                                "type = 'pv'\n"
                                "kernel = '%s/unikernels/guest-vmlinuz'\n"
                                "ramdisk = '%s/unikernels/guest-initrd.gz'\n"
                                "memory = 128\n"
                                "on_crash = '%s'\n"
                                "vif = [ 'bridge=br0' ]\n"
                                "mlab_console = 'modern'\n"
                                "mlab_crash_after = '0.2'\n",
                                name, home, home, crash_actions[i]);
      lab_app_write_user_file (lab, path, config);
      lab_host_connection_poll_now (connection);
      domain = lab_app_wait_domain (connection, name, 60);
      g_assert_nonnull (domain);
      g_object_ref (domain);

      tab = lab_console_tab_new (connection, name);
      window = show_tab (tab);
      lab_console_tab_create_and_attach (tab, lab_domain_get_config_path (domain));

      if (preserve)
        {
          g_assert_true (lab_test_wait_for (is_crashed, domain, 60000));
          g_assert_cmpint (lab_domain_get_end_reason (domain), ==, LAB_DOMAIN_END_CRASH);
          g_assert_true (lab_domain_get_end_preserved (domain));
          ended.tab = tab;
          ended.text = "kept for inspection";
          g_assert_true (lab_test_wait_for (status_text_has, &ended, 10000));
        }
      else
        {
          if (!lab_test_wait_for (tab_gone, tab, 60000))
            {
              g_autofree char *text = lab_terminal_dup_contents
                                        (lab_console_tab_get_terminal (tab));

              /* What went on, on stderr: CI shows it with the failure. */
              g_printerr ("tab status %d (%s); domain running %d, state %s, ends: %s; "
                              "console:\n%s", lab_console_tab_get_status (tab),
                              lab_console_tab_get_status_text (tab),
                              lab_domain_get_running (domain),
                              lab_domain_state_to_string (lab_domain_get_state (domain)),
                              lab_domain_get_end_summary (domain), text);
            }
          g_assert_true (tab_gone (tab));
          g_assert_true (lab_test_wait_for (has_end, domain, 10000));
          g_assert_cmpint (lab_domain_get_end_reason (domain), ==, LAB_DOMAIN_END_CRASH);
          g_assert_false (lab_domain_get_end_preserved (domain));
        }
      g_test_message ("%s: %s; tab says: %s", name, lab_domain_get_end_summary (domain),
                      lab_console_tab_get_status_text (tab));
      g_assert_nonnull (strstr (lab_domain_get_end_summary (domain), "after start"));
      g_assert_nonnull (strstr (lab_console_tab_get_status_text (tab),
                                lab_domain_get_end_summary (domain)));

      /* The whole boot log, in the tab and in the kept output. The list can show the crash
       * before the console's last bytes are read and VTE has taken them in: wait (bounded)
       * for the last line first. */
      g_assert_true (lab_test_wait_for (terminal_has_abort, lab_console_tab_get_terminal (tab),
                                        10000));
      contents = lab_terminal_dup_contents (lab_console_tab_get_terminal (tab));
      g_test_message ("console:\n%s", contents);
      assert_whole_boot (contents);
      log = lab_host_connection_lookup_console_log (connection, name);
      g_assert_nonnull (log);
      kept = lab_console_log_dup_bytes (log);
      kept_text = g_strndup (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept));
      assert_whole_boot (kept_text);
      shot = lab_test_save_screenshot (window, preserve ? "console-crash-preserved"
                                                        : "console-crash-destroyed");
      g_test_message ("screenshot: %s", shot);

      if (preserve)
        {
          /* Inspected, then destroyed from the tab: it still says it crashed. */
          gtk_widget_activate_action (GTK_WIDGET (tab), "console.destroy", NULL);
          g_assert_true (lab_test_wait_for (lab_app_domain_stopped, domain, 60000));
          g_assert_cmpint (lab_domain_get_end_reason (domain), ==, LAB_DOMAIN_END_CRASH);
          g_assert_false (lab_domain_get_end_preserved (domain));
        }

      /* The tab closes; the output stays, viewable from the domain's row. */
      gtk_window_destroy (GTK_WINDOW (window));
      g_assert_true (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_SHOW_OUTPUT, domain));
      output = lab_output_window_new (NULL, lab_domain_get_console_log (domain), domain);
      gtk_window_present (GTK_WINDOW (output));
      lab_test_flush (GTK_WIDGET (output));
      {
        g_autofree char *shown = NULL;
        g_autofree char *output_shot = NULL;

        /* VTE takes in what it was fed in chunks, as the main loop runs. */
        g_assert_true (lab_test_wait_for (terminal_has_abort,
                                          lab_output_window_get_terminal (output), 10000));
        shown = lab_terminal_dup_contents (lab_output_window_get_terminal (output));

        assert_whole_boot (shown);
        g_test_message ("output window says: %s", lab_output_window_get_info (output));
        g_assert_nonnull (strstr (lab_output_window_get_info (output), "Crashed"));
        output_shot = lab_test_save_screenshot (GTK_WIDGET (output),
                                                preserve ? "output-crash-preserved"
                                                         : "output-crash-destroyed");
        g_test_message ("screenshot: %s", output_shot);
      }
      gtk_window_destroy (GTK_WINDOW (output));
      g_object_unref (domain);
    }
}

static gboolean
tab_failed (gpointer data)
{
  return lab_console_tab_get_status (data) == LAB_CONSOLE_STATUS_FAILED;
}

static gboolean
is_live (gpointer data)
{
  return lab_domain_get_live (data) && lab_domain_get_state (data) != LAB_DOMAIN_STATE_PAUSED;
}

/* Holds xenconsole's lock of the domain ID the next create gets; returns the holder's
 * process group on dom0, to end it by its ID. */
static char *
hold_next_console_lock (LabFixture *lab)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autofree char *script = NULL;
  char *pid = NULL;
  int status = -1;

  lab_fixture_exec_sh (lab, "cat /run/xl-standin/next-domid 2>/dev/null || echo 1", &next,
                       &status, &error);
  g_assert_no_error (error);
  g_strstrip (next);
  script = g_strdup_printf ("mkdir -p /var/lock && setsid flock -n /var/lock/xenconsole.%s "
                            "sleep 60 </dev/null >/dev/null 2>&1 & echo $!; sleep 0.5", next);
  lab_fixture_exec_sh (lab, script, &pid, &status, &error);
  g_assert_no_error (error);
  g_strstrip (pid);
  g_test_message ("xenconsole.%s held by %s", next, pid);
  return pid;
}

static void
release_console_lock (LabFixture *lab,
                      const char *pid)
{
  g_autofree char *script = g_strdup_printf ("kill -- -%s", pid);
  g_autoptr(GError) error = NULL;
  int status = -1;

  lab_fixture_exec_sh (lab, script, NULL, &status, &error);
  g_assert_no_error (error);
}

/* The console cannot attach (another client holds xenconsole's lock of the new domain's
 * ID): the domain is not left paused without a word. The tab says so and offers Unpause
 * (it then runs without a console), Reconnect (attach, then unpause) and Destroy. */
static void
test_attach_fails (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  TextWait said = { NULL, "is paused and has not run yet" };
  LabDomain *domain;
  LabConsoleTab *tab;
  GtkWidget *window;

  if (g_strcmp0 (lab_fixture_kind (), "fast") != 0)
    {
      g_test_skip ("the next domain ID is known ahead only in the fast lab's xl");
      return;
    }

  domain = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (domain);
  g_object_ref (domain);
  g_assert_false (lab_domain_get_running (domain));
  tab = lab_console_tab_new (connection, SAMPLE_NAME);
  window = show_tab (tab);
  said.tab = tab;

  for (guint round = 0; round < 2; round++)
    {
      gboolean reconnect = round == 1;
      g_autofree char *holder = hold_next_console_lock (lab);
      TextWait refused = { tab, "Could not lock" };

      lab_console_tab_create_and_attach (tab, lab_domain_get_config_path (domain));
      g_assert_true (lab_test_wait_for (tab_failed, tab, 60000));
      g_assert_true (lab_test_wait_for (lab_app_domain_paused, domain, 30000));
      g_assert_true (lab_test_wait_for (status_text_has, &said, 10000));
      g_test_message ("tab says: %s", lab_console_tab_get_status_text (tab));
      /* xenconsole's own words are in the console. */
      g_assert_true (lab_test_wait_for (console_has_text, &refused, 10000));
      if (!reconnect)
        {
          g_autofree char *shot = lab_test_save_screenshot (window, "console-attach-failed");

          g_test_message ("screenshot: %s", shot);
          /* Unpause: it runs, without a console. */
          gtk_widget_activate_action (GTK_WIDGET (tab), "console.unpause", NULL);
          g_assert_true (lab_test_wait_for (is_live, domain, 30000));
          g_assert_true (lab_test_wait_for (tab_detached, tab, 10000));
        }
      else
        {
          TextWait boot = { tab, "Solo5: Bindings" };

          /* The other client is gone: Reconnect attaches and lets the domain run. */
          release_console_lock (lab, holder);
          gtk_widget_activate_action (GTK_WIDGET (tab), "console.reconnect", NULL);
          g_assert_true (lab_test_wait_for (tab_live, tab, 30000));
          g_assert_true (lab_test_wait_for (is_live, domain, 30000));
          g_assert_true (lab_test_wait_for (console_has_text, &boot, 30000));
        }
      g_test_message ("tab says: %s", lab_console_tab_get_status_text (tab));

      gtk_widget_activate_action (GTK_WIDGET (tab), "console.destroy", NULL);
      g_assert_true (lab_test_wait_for (lab_app_domain_stopped, domain, 60000));
      g_assert_cmpint (lab_domain_get_end_reason (domain), ==,
                       LAB_DOMAIN_END_DESTROYED_BY_USER);
      if (!reconnect)
        release_console_lock (lab, holder);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (domain);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_gtk_init (&argc, &argv))
    return 0;
  lab_core_init ();

  lab_app_add ("/console-tab/start-with-console", NULL, test_start_with_console);
  lab_app_add ("/console-tab/early-crash", NULL, test_early_crash);
  lab_app_add ("/console-tab/attach-fails", NULL, test_attach_fails);

  return lab_test_run ();
}
