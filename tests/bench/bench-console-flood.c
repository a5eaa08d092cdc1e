/* bench-console-flood.c — a console flooded with 200 MB: throughput into the app's console
 * terminal over its SSH PTY channel, and the main loop's longest stall; the same flood
 * through OpenSSH (`ssh -t`) in a plain VteTerminal in the same run, for comparison.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Targets: >= 50 MB/s, stall <= 50 ms. Prints figures; it is a benchmark, not a timed test.
 * Needs the fast lab (root) and a display (xvfb-run). MIRAGE_LAB_FLOOD_MB overrides the size.
 */

#include <adwaita.h>
#include <string.h>
#include <time.h>

#include "lab-app-util.h"
#include "lab-core.h"
#include "lab-test-gtk-utils.h"
#include "net/lab-console-ip.h"
#include "views/lab-terminal.h"

typedef struct
{
  gint64   last_tick;
  gint64   longest_gap;
  gint64   longest_at;     /* when it ended, from the start */
  gint64   last_cpu;
  gint64   longest_cpu;    /* the main thread's own CPU time within one gap */
  gint64   start;
  gsize    bytes;
  gboolean done;
} Flood;

/* The main thread's CPU time: a gap in which it hardly ran was the machine running
 * something else (other processes on a shared 2-core machine), not the app blocking. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
heartbeat_cb (gpointer data)
{
  Flood *flood = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (flood->last_cpu != 0)
    flood->longest_cpu = MAX (flood->longest_cpu, cpu - flood->last_cpu);
  flood->last_cpu = cpu;

  if (flood->last_tick != 0 && now - flood->last_tick > flood->longest_gap)
    {
      flood->longest_gap = now - flood->last_tick;
      flood->longest_at = now - flood->start;
    }
  flood->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
flood_done (gpointer data)
{
  return ((Flood *) data)->done;
}


/* The terminal alone: chunks as the channel delivers them, from memory, as fast as the main
 * loop takes them (what the console could do with an infinitely fast connection). */
typedef struct
{
  Flood       *flood;
  LabTerminal *terminal;
  GString     *chunk;
  gsize        total;
} LocalFeed;

static gboolean
local_feed_cb (gpointer data)
{
  LocalFeed *feed = data;

  if (feed->flood->bytes >= feed->total)
    return G_SOURCE_REMOVE;
  lab_terminal_feed_console (feed->terminal, (const guint8 *) feed->chunk->str,
                             feed->chunk->len);
  feed->flood->bytes += feed->chunk->len;
  return G_SOURCE_CONTINUE;
}

static gboolean
local_done (gpointer data)
{
  LocalFeed *feed = data;

  return feed->flood->bytes >= feed->total && lab_terminal_get_backlog (feed->terminal) == 0;
}

static GtkWidget *
window_with (GtkWidget *terminal);

static void
report (const char *what,
        Flood      *flood,
        gint64      elapsed_us,
        gsize       expected);

static void
bench_local (gsize total)
{
  Flood flood = { 0 };
  LocalFeed feed = { &flood, NULL, g_string_new (NULL), total };
  GtkWidget *terminal = lab_terminal_new ();
  GtkWidget *window = window_with (terminal);
  guint heartbeat;
  gint64 start;

  feed.terminal = LAB_TERMINAL (terminal);
  while (feed.chunk->len < 256 * 1024)
    g_string_append (feed.chunk, "2026-12-03T09:04:26-00:00: [INFO] [dhcp_client_lwt] Lease "
                                 "obtained! IP: 192.168.56.150, routers: 192.168.56.5\r\n");
  heartbeat = g_timeout_add (1, heartbeat_cb, &flood);
  start = flood.start = g_get_monotonic_time ();
  g_idle_add (local_feed_cb, &feed);
  lab_test_wait_for (local_done, &feed, 600000);
  g_source_remove (heartbeat);
  report ("terminal alone (from memory, 256 KiB chunks)", &flood,
          g_get_monotonic_time () - start, total);
  g_print ("  parsed by VTE: %.1f MB; skipped unseen: %.1f MB\n",
           (flood.bytes - lab_terminal_get_skipped (feed.terminal)) / 1e6,
           lab_terminal_get_skipped (feed.terminal) / 1e6);
  g_string_free (feed.chunk, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  Flood               *flood;
  LabSshChannel       *channel;
  GtkWidget           *terminal;
  LabConsoleIpScanner *scanner;
  gsize                max_chunk;
  gint64               max_feed_us;
  guint                n_chunks;
  guint                n_pauses;
  gboolean             closed;
} AppSink;

static void
on_data (LabSshChannel *channel,
         GBytes        *bytes,
         AppSink       *sink)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gint64 t0 = g_get_monotonic_time ();

  /* What a console tab does with every chunk (lab_terminal_set_channel + its IP finder). */
  lab_terminal_feed_console (LAB_TERMINAL (sink->terminal), data, len);
  lab_console_ip_scanner_feed (sink->scanner, data, len);
  sink->flood->bytes += len;
  sink->max_chunk = MAX (sink->max_chunk, len);
  sink->max_feed_us = MAX (sink->max_feed_us, g_get_monotonic_time () - t0);
  sink->n_chunks++;
}

/* What LabTerminal does for flow control with a channel of its own. */
static void
on_backlog_full (LabTerminal *terminal,
                 GParamSpec  *pspec,
                 AppSink     *sink)
{
  if (lab_terminal_get_backlog_full (terminal))
    sink->n_pauses++;
  lab_ssh_channel_set_output_paused (sink->channel, lab_terminal_get_backlog_full (terminal));
}

static void
on_closed (LabSshChannel *channel,
           int            status,
           AppSink       *sink)
{
  sink->closed = TRUE;
}

/* Done when the channel ended and the terminal has been given everything. */
static gboolean
app_flood_done (gpointer data)
{
  AppSink *sink = data;

  return sink->closed && lab_terminal_get_backlog (LAB_TERMINAL (sink->terminal)) == 0;
}

static GtkWidget *
window_with (GtkWidget *terminal)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (window), terminal);
  gtk_window_present (GTK_WINDOW (window));
  lab_test_flush (window);
  return window;
}

static void
report (const char *what,
        Flood      *flood,
        gint64      elapsed_us,
        gsize       expected)
{
  double mb = flood->bytes / 1e6;

  g_print ("%s: %.1f MB in %.2f s = %.1f MB/s, main loop longest stall %.1f ms (ending at "
           "%.2f s; main thread busy %.1f ms of it at most)%s\n",
           what, mb, elapsed_us / 1e6, mb / (elapsed_us / 1e6), flood->longest_gap / 1000.0,
           flood->longest_at / 1e6, flood->longest_cpu / 1000.0,
           flood->bytes + 4096 < expected ? " (INCOMPLETE)" : "");
}

static void
child_exited (VteTerminal *terminal,
              int          status,
              Flood       *flood)
{
  flood->done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabFixture) lab = NULL;
  g_autoptr(LabHostConnection) connection = NULL;
  const char *env_mb = g_getenv ("MIRAGE_LAB_FLOOD_MB");
  gsize megabytes = env_mb ? g_ascii_strtoull (env_mb, NULL, 10) : 200;
  gsize total = megabytes * 1000 * 1000;
  g_autofree char *script = NULL;
  const char *argv_flood[] = { "sh", "-c", NULL, NULL };
  LabSshChannel *channel;
  GtkWidget *terminal;
  GtkWidget *window;
  AppSink sink = { 0 };
  Flood app_flood = { 0 };
  Flood ssh_flood = { 0 };
  gint64 start, app_us, ssh_us;
  guint heartbeat;

  if (!lab_test_gtk_init (&argc, &argv))
    return 0;
  /* The test harness prints debug messages; the app does not, and one a flood line (the
   * IP finder's "found …") would measure the printing. */
  g_log_set_debug_enabled (FALSE);
  bench_local (total);
  if (!lab_fixture_available (&reason))
    {
      g_print ("SKIP: %s\n", reason);
      return 0;
    }
  lab_core_init ();
  lab = lab_fixture_up ("nopasswd", &error);
  g_assert_no_error (error);
  lab_app_trust_lab (lab);
  connection = lab_app_connect (lab, NULL);

  /* Boot-log-like lines (with the lease line the IP finder looks for), 200 MB of them. */
  script = g_strdup_printf ("yes '2026-12-03T09:04:26-00:00: [INFO] [dhcp_client_lwt] Lease "
                            "obtained! IP: 192.168.56.150, routers: 192.168.56.5' | head -c %"
                            G_GSIZE_FORMAT, total);
  argv_flood[2] = script;

  /* 1. The app's path: PTY channel → LabTerminal + IP finder. */
  terminal = lab_terminal_new ();
  window = window_with (terminal);
  sink.flood = &app_flood;
  sink.terminal = terminal;
  sink.scanner = lab_console_ip_scanner_new ();
  channel = lab_ssh_session_create_pty_channel (lab_host_connection_get_session (connection),
                                                argv_flood, LAB_SSH_EXEC_NONE, NULL, 120, 40);
  sink.channel = channel;
  g_signal_connect (channel, "stdout-data", G_CALLBACK (on_data), &sink);
  g_signal_connect (terminal, "notify::backlog-full", G_CALLBACK (on_backlog_full), &sink);
  g_signal_connect (channel, "closed", G_CALLBACK (on_closed), &sink);
  heartbeat = g_timeout_add (1, heartbeat_cb, &app_flood);
  start = app_flood.start = g_get_monotonic_time ();
  lab_ssh_channel_start_async (channel, NULL, NULL, NULL);
  lab_test_wait_for (app_flood_done, &sink, 600000);
  app_us = g_get_monotonic_time () - start;
  g_source_remove (heartbeat);
  /* The remote PTY turns "\n" into "\r\n", so a little more than the flood arrives. */
  report ("app console (libssh2 PTY channel -> LabTerminal)", &app_flood, app_us, total);
  g_print ("  IP finder saw: %s; %u chunks, largest %" G_GSIZE_FORMAT " bytes, longest "
           "feed %.1f ms\n", lab_console_ip_scanner_get_ip (sink.scanner), sink.n_chunks,
           sink.max_chunk, sink.max_feed_us / 1000.0);
  /* Lines that scrolled past the scrollback before they could be drawn are not parsed (the
   * screen and scrollback end up the same; test-terminal checks that). */
  g_print ("  parsed by VTE: %.1f MB; skipped unseen: %.1f MB; channel paused %u times\n",
           (app_flood.bytes - lab_terminal_get_skipped (LAB_TERMINAL (terminal))) / 1e6,
           lab_terminal_get_skipped (LAB_TERMINAL (terminal)) / 1e6, sink.n_pauses);
  g_object_unref (channel);
  g_object_unref (sink.scanner);
  gtk_window_destroy (GTK_WINDOW (window));

  /* 2. The reference: OpenSSH `ssh -t` in a plain VteTerminal (skipped for profiling the
   * app's path alone with MIRAGE_LAB_FLOOD_APP_ONLY=1). */
  if (g_strcmp0 (g_getenv ("MIRAGE_LAB_FLOOD_APP_ONLY"), "1") == 0)
    return 0;
  {
    g_autofree char *known = g_strdup_printf ("UserKnownHostsFile=%s",
                                              lab_fixture_get (lab, "LAB_KNOWN_HOSTS"));
    g_autofree char *dest = g_strdup_printf ("%s@%s", lab_fixture_get (lab, "LAB_USER"),
                                             lab_fixture_get (lab, "LAB_HOST"));
    g_autofree char *remote = g_shell_quote (script);
    g_autofree char *remote_cmd = g_strdup_printf ("sh -c %s", remote);
    const char *ssh_argv[] = { "ssh", "-t", "-F", "/dev/null",
                               "-i", lab_fixture_get (lab, "LAB_KEY"), "-o", known,
                               "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                               dest, remote_cmd, NULL };

    terminal = vte_terminal_new ();
    window = window_with (terminal);
    g_signal_connect (terminal, "child-exited", G_CALLBACK (child_exited), &ssh_flood);
    heartbeat = g_timeout_add (1, heartbeat_cb, &ssh_flood);
    start = ssh_flood.start = g_get_monotonic_time ();
    vte_terminal_spawn_async (VTE_TERMINAL (terminal), VTE_PTY_DEFAULT, NULL,
                              (char **) ssh_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                              -1, NULL, NULL, NULL);
    lab_test_wait_for (flood_done, &ssh_flood, 600000);
    ssh_us = g_get_monotonic_time () - start;
    g_source_remove (heartbeat);
    ssh_flood.bytes = total;
    report ("reference (ssh -t in a plain VteTerminal)", &ssh_flood, ssh_us, total);
    gtk_window_destroy (GTK_WINDOW (window));
  }

  g_print ("ratio app/reference throughput: %.2f (targets: >= 50 MB/s, stall <= 50 ms)\n",
           (app_flood.bytes / (double) app_us) / (ssh_flood.bytes / (double) ssh_us));
  return 0;
}
