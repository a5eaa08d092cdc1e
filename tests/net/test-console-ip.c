/* test-console-ip.c — finding the IP in console output, in every chunking
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-console-ip"

#include "config.h"

#include <string.h>

#include "lab-core.h"
#include "net/lab-console-ip-private.h"
#include "lab-test-utils.h"

/* ------------------------------------------------------------------------------------ */
/* Recording what a scanner reports */

typedef struct
{
  LabConsoleIpScanner *scanner;
  GPtrArray           *events;     /* "boot", or "<kind nick> <ip>/<prefix>" */
  guint                n_ip_notify;
} Recorder;

static const char *
kind_nick (LabConsoleIpKind kind)
{
  switch (kind)
    {
    case LAB_CONSOLE_IP_KIND_DHCP_LEASE:
      return "dhcp-lease";
    case LAB_CONSOLE_IP_KIND_STACK:
      return "stack";
    case LAB_CONSOLE_IP_KIND_LEGACY_DHCP:
      return "legacy-dhcp";
    default:
      g_assert_not_reached ();
    }
}

static void
on_ip_found (LabConsoleIpScanner *scanner,
             const char          *ip,
             int                  prefix_length,
             LabConsoleIpKind     kind,
             Recorder            *rec)
{
  /* The properties are already updated when the signal runs. */
  g_assert_cmpstr (lab_console_ip_scanner_get_ip (scanner), ==, ip);
  g_assert_cmpint (lab_console_ip_scanner_get_prefix_length (scanner), ==, prefix_length);
  g_assert_cmpint (lab_console_ip_scanner_get_kind (scanner), ==, kind);

  g_ptr_array_add (rec->events, g_strdup_printf ("%s %s/%d", kind_nick (kind), ip, prefix_length));
}

static void
on_boot (LabConsoleIpScanner *scanner,
         Recorder            *rec)
{
  g_assert_null (lab_console_ip_scanner_get_ip (scanner));
  g_ptr_array_add (rec->events, g_strdup ("boot"));
}

static void
on_notify_ip (GObject    *object,
              GParamSpec *pspec,
              Recorder   *rec)
{
  rec->n_ip_notify++;
}

static void
recorder_init (Recorder *rec)
{
  rec->scanner = lab_console_ip_scanner_new ();
  rec->events = g_ptr_array_new_with_free_func (g_free);
  rec->n_ip_notify = 0;
  g_signal_connect (rec->scanner, "ip-found", G_CALLBACK (on_ip_found), rec);
  g_signal_connect (rec->scanner, "boot-detected", G_CALLBACK (on_boot), rec);
  g_signal_connect (rec->scanner, "notify::ip", G_CALLBACK (on_notify_ip), rec);
}

static void
recorder_clear (Recorder *rec)
{
  g_clear_object (&rec->scanner);
  g_clear_pointer (&rec->events, g_ptr_array_unref);
}

static char *
events_string (Recorder *rec)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < rec->events->len; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? "; " : "",
                            (const char *) g_ptr_array_index (rec->events, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
load_fixture (const char *name,
              gsize      *len)
{
  return lab_test_read_fixture ("net", name, len);
}

/* ------------------------------------------------------------------------------------ */
/* Boot logs fed in every chunking */

typedef struct
{
  const char *fixture;
  const char *events;
  const char *ip;
  int         prefix_length;
  const char *mac;
  guint       n_ip_notify;
} LogCase;

static const LogCase log_cases[] = {
  { "console-modern-dhcp.log",
    "boot; dhcp-lease 192.168.56.150/-1; stack 192.168.56.150/24",
    "192.168.56.150", 24, "00:16:3e:5a:01:02", 1 },
  { "console-modern-static.log",
    "boot; stack 192.168.56.20/24",
    "192.168.56.20", 24, "00:16:3e:5a:01:04", 1 },
  { "console-charrua-0x.log",
    "boot; dhcp-lease 192.168.56.157/24; stack 192.168.56.157/24",
    "192.168.56.157", 24, "00:16:3e:00:17:01", 1 },
  { "console-legacy-2015.log",
    "boot; legacy-dhcp 192.168.56.178/24",
    "192.168.56.178", 24, NULL, 1 },
  /* Real: the real-Xen lab's PV guest under `xl create -c` (tests/fixtures/xen-4.17), with
   * its "\r\n" line ends and the pty's echo of a NUL. */
  { "../xen-4.17/xl-create-console.stdout",
    "dhcp-lease 192.168.56.196/-1",
    "192.168.56.196", -1, NULL, 1 },
  { "console-ansi.log",
    "boot; dhcp-lease 192.168.56.150/-1; stack 192.168.56.150/24; boot; "
    "dhcp-lease 192.168.56.151/-1",
    "192.168.56.151", -1, NULL, 3 },
};

static void
check_recorder (Recorder      *rec,
                const LogCase *c,
                const char    *how)
{
  g_autofree char *events = events_string (rec);

  if (g_strcmp0 (events, c->events) != 0)
    g_test_message ("%s fed %s", c->fixture, how);
  g_assert_cmpstr (events, ==, c->events);
  g_assert_cmpstr (lab_console_ip_scanner_get_ip (rec->scanner), ==, c->ip);
  g_assert_cmpint (lab_console_ip_scanner_get_prefix_length (rec->scanner), ==, c->prefix_length);
  g_assert_cmpstr (lab_console_ip_scanner_get_mac (rec->scanner), ==, c->mac);
  g_assert_cmpuint (rec->n_ip_notify, ==, c->n_ip_notify);
}

static void
test_console_ip_log (gconstpointer data)
{
  const LogCase *c = data;
  g_autofree char *text = NULL;
  const guint8 *bytes;
  gsize len;
  Recorder rec;

  text = load_fixture (c->fixture, &len);
  bytes = (const guint8 *) text;

  /* In one piece */
  recorder_init (&rec);
  lab_console_ip_scanner_feed (rec.scanner, bytes, len);
  check_recorder (&rec, c, "whole");
  recorder_clear (&rec);

  /* Split in two at every position (lines cut anywhere, CR LF cut in the middle) */
  for (gsize split = 0; split <= len; split++)
    {
      recorder_init (&rec);
      lab_console_ip_scanner_feed (rec.scanner, bytes, split);
      lab_console_ip_scanner_feed (rec.scanner, bytes + split, len - split);
      check_recorder (&rec, c, "in two");
      recorder_clear (&rec);
    }

  /* Byte by byte */
  recorder_init (&rec);
  for (gsize i = 0; i < len; i++)
    lab_console_ip_scanner_feed (rec.scanner, bytes + i, 1);
  check_recorder (&rec, c, "byte by byte");
  recorder_clear (&rec);

  /* Random chunks, including empty ones */
  for (guint round = 0; round < 200; round++)
    {
      gsize pos = 0;

      recorder_init (&rec);
      while (pos < len)
        {
          gsize n = (gsize) g_test_rand_int_range (0, 97);

          n = MIN (n, len - pos);
          lab_console_ip_scanner_feed (rec.scanner, bytes + pos, n);
          pos += n;
        }
      check_recorder (&rec, c, "in random chunks");
      recorder_clear (&rec);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Single lines */

typedef struct
{
  const char       *line;
  const char       *ip;             /* NULL: no match */
  int               prefix_length;
  const char       *mac;
  LabConsoleIpKind  kind;
} LineCase;

static const LineCase line_cases[] = {
  /* charrua >= 1.0, with and without mirage-logs prefixes */
  { "2024-05-01T12:00:00-00:00: [INFO] [dhcp_client_lwt] Lease obtained! IP: 10.0.0.2, "
    "routers: 10.0.0.1", "10.0.0.2", -1, NULL, LAB_CONSOLE_IP_KIND_DHCP_LEASE },
  { "[dhcp_client_lwt] Lease obtained! IP: 192.168.127.2, routers: 192.168.127.1",
    "192.168.127.2", -1, NULL, LAB_CONSOLE_IP_KIND_DHCP_LEASE },
  { "Lease obtained! IP: 192.168.56.150, routers: ", "192.168.56.150", -1, NULL,
    LAB_CONSOLE_IP_KIND_DHCP_LEASE },
  { "Lease obtained! IP: 255.255.255.254, routers: 1.1.1.1", "255.255.255.254", -1, NULL,
    LAB_CONSOLE_IP_KIND_DHCP_LEASE },
  /* charrua-client-mirage 0.x */
  { "INF [dhcp_client] Lease obtained! IP 172.16.0.9 network 172.16.0.0/12 gateway 172.16.0.1",
    "172.16.0.9", 12, NULL, LAB_CONSOLE_IP_KIND_DHCP_LEASE },
  { "Lease obtained! IP 172.16.0.9 network 172.16.0.0/12 gateway ", "172.16.0.9", 12, NULL,
    LAB_CONSOLE_IP_KIND_DHCP_LEASE },
  /* mirage-tcpip stacks */
  { "[tcpip-stack-direct] Dual TCP/IP stack assembled: mac=00:16:3e:5a:01:02,"
    "ip=192.168.56.150/24, fe80::216:3eff:fe5a:102/64", "192.168.56.150", 24,
    "00:16:3e:5a:01:02", LAB_CONSOLE_IP_KIND_STACK },
  { "Dual TCP/IP stack assembled: ip=10.0.0.2/24", "10.0.0.2", 24, NULL,
    LAB_CONSOLE_IP_KIND_STACK },
  { "Dual TCP/IP stack assembled: mac=00:16:3E:5A:01:02,ip=fe80::1/64, 10.1.2.3/16",
    "10.1.2.3", 16, "00:16:3e:5a:01:02", LAB_CONSOLE_IP_KIND_STACK },
  { "stack assembled: mac=c0:ff:ee:c0:ff:ee,ip=10.0.0.2", "10.0.0.2", -1, "c0:ff:ee:c0:ff:ee",
    LAB_CONSOLE_IP_KIND_STACK },
  { "MONO TCP/IP stack assembled: mac=c0:ff:ee:c0:ff:ee,ip=10.0.0.3/8", "10.0.0.3", 8,
    "c0:ff:ee:c0:ff:ee", LAB_CONSOLE_IP_KIND_STACK },
  /* mirage-tcpip 2.x, the 2015 blog */
  { "DHCP offer received and bound to 192.168.56.178 nm 255.255.255.0 gw [192.168.56.5]",
    "192.168.56.178", 24, NULL, LAB_CONSOLE_IP_KIND_LEGACY_DHCP },
  { "DHCP offer received and bound to 10.0.0.7 nm 255.0.255.0 gw []", "10.0.0.7", -1, NULL,
    LAB_CONSOLE_IP_KIND_LEGACY_DHCP },

  /* Not addresses of the unikernel */
  { "Lease obtained with no subnet mask; discarding it", NULL, -1, NULL, 0 },
  { "Timeout expired without a usable lease!  Starting over...", NULL, -1, NULL, 0 },
  { "DHCP: offer received: 192.168.56.178", NULL, -1, NULL, 0 },
  { "input ciaddr 0.0.0.0 yiaddr 192.168.56.178", NULL, -1, NULL, 0 },
  { "ARP: sending gratuitous from 192.168.56.178", NULL, -1, NULL, 0 },
  { "[ARP] Sending gratuitous ARP for 192.168.56.150 (00:16:3e:5a:01:02)", NULL, -1, NULL, 0 },
  { "[udp] UDP layer connected on 192.168.56.150, fe80::216:3eff:fe5a:102", NULL, -1, NULL, 0 },
  { "stack assembled: mac=00:16:3e:5a:01:02,ip=fe80::216:3eff:fe5a:102/64", NULL, -1, NULL, 0 },
  { "Dual TCP/IP stack disconnected: mac=00:16:3e:5a:01:02,ip=10.0.0.2/24", NULL, -1, NULL, 0 },
  /* Invalid dotted quads */
  { "Lease obtained! IP: 256.1.1.1, routers: 10.0.0.1", NULL, -1, NULL, 0 },
  { "Lease obtained! IP: 10.0.0, routers: 10.0.0.1", NULL, -1, NULL, 0 },
  { "Lease obtained! IP: 10.0.0.2.5, routers: 10.0.0.1", NULL, -1, NULL, 0 },
  { "Lease obtained! IP: 010.0.0.2, routers: 10.0.0.1", NULL, -1, NULL, 0 },
  { "Lease obtained! IP: 1000.0.0.2, routers: 10.0.0.1", NULL, -1, NULL, 0 },
  { "Lease obtained! IP: -1.0.0.2, routers: 10.0.0.1", NULL, -1, NULL, 0 },
  { "Lease obtained! IP: , routers: 10.0.0.1", NULL, -1, NULL, 0 },
  { "Lease obtained! IP: 10.0.0.22222, routers:", NULL, -1, NULL, 0 },
  { "DHCP offer received and bound to 192.168.56.1789 nm 255.255.255.0 gw []", NULL, -1, NULL, 0 },
  { "", NULL, -1, NULL, 0 },
};

static void
test_console_ip_scan_line (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      const LineCase *c = &line_cases[i];
      g_autofree char *ip = NULL;
      g_autofree char *mac = NULL;
      LabConsoleIpKind kind = 0;
      int prefix = -2;
      gboolean found;

      g_test_message ("line: %s", c->line);
      found = lab_console_ip_scan_line (c->line, &ip, &prefix, &mac, &kind);

      g_assert_cmpint (found, ==, c->ip != NULL);
      g_assert_cmpstr (ip, ==, c->ip);
      g_assert_cmpstr (mac, ==, c->mac);
      g_assert_cmpint (prefix, ==, c->prefix_length);
      if (found)
        g_assert_cmpint (kind, ==, c->kind);
    }
}

static void
test_console_ip_clean_line (void)
{
  static const struct { const char *raw; gsize len; const char *clean; } cases[] = {
    { "\033[32mINFO\033[0m", 13, "INFO" },
    { "a\033[1;35;48;5;200mb", 18, "ab" },
    { "\033]0;title\007text", 15, "text" },
    { "\033]0;title\033\\text", 16, "text" },
    { "\033(Bx\033=y", 7, "xy" },
    { "nul\0byte", 8, "nulbyte" },
    { "tab\tkept\x7f\x01", 10, "tab\tkept" },
    { "\xff\xfe\xc3\x28", 4, "\xff\xfe\xc3\x28" },
    { "\033[", 2, "" },
    { "\033", 1, "" },
    { "x\033]unterminated", 15, "x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = lab_console_ip_clean_line (cases[i].raw, cases[i].len);

      g_assert_cmpstr (clean, ==, cases[i].clean);
    }
}

static void
feed_string (LabConsoleIpScanner *scanner,
             const char          *s)
{
  lab_console_ip_scanner_feed (scanner, (const guint8 *) s, strlen (s));
}

#define LEASE_LINE "[INFO] [dhcp_client_lwt] Lease obtained! IP: 10.0.0.2, routers: 10.0.0.1"

#define BYTES(s) { s, sizeof (s) - 1 }

static void
test_console_ip_line_endings (void)
{
  static const struct { const char *data; gsize len; } inputs[] = {
    BYTES ("junk\n" LEASE_LINE "\n"),
    BYTES ("junk\r\n" LEASE_LINE "\r\n"),
    BYTES ("junk\r" LEASE_LINE "\r"),
    BYTES ("\n\n\r\r\n" LEASE_LINE "\r\r\n\n"),
    BYTES ("2024-05-01T12:00:00-00:00\0\0: " LEASE_LINE "\n"),
    BYTES ("\0\0\0\0" LEASE_LINE "\n"),
    BYTES ("\xff\xfe\x80 " LEASE_LINE " \xc3\x28\n"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      Recorder rec;
      g_autofree char *events = NULL;

      recorder_init (&rec);
      lab_console_ip_scanner_feed (rec.scanner, (const guint8 *) inputs[i].data, inputs[i].len);
      events = events_string (&rec);
      g_assert_cmpstr (events, ==, "dhcp-lease 10.0.0.2/-1");
      recorder_clear (&rec);
    }
}

/* Lines are bounded: an over-long line is dropped up to its end, then scanning resumes. */
static void
test_console_ip_long_line (void)
{
  g_autofree char *junk = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *events = NULL;
  Recorder rec;
  gsize pad;

  recorder_init (&rec);

  /* 100 KiB of junk, no match, in small pieces */
  junk = g_strnfill (100 * 1024, 'x');
  for (gsize i = 0; i < 100; i++)
    lab_console_ip_scanner_feed (rec.scanner, (const guint8 *) junk + i * 1024, 1024);
  feed_string (rec.scanner, "\n" LEASE_LINE "\n");
  events = events_string (&rec);
  g_assert_cmpstr (events, ==, "dhcp-lease 10.0.0.2/-1");
  g_clear_pointer (&events, g_free);

  /* A match at the end of an overflowing line is lost with it... */
  lab_console_ip_scanner_feed (rec.scanner, (const guint8 *) junk, 70 * 1024);
  feed_string (rec.scanner, "Lease obtained! IP: 10.0.0.3, routers: 10.0.0.1\n");
  g_assert_cmpuint (rec.events->len, ==, 1);

  /* ...the next line is scanned again */
  feed_string (rec.scanner, "Lease obtained! IP: 10.0.0.4, routers: 10.0.0.1\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  g_assert_cmpstr (lab_console_ip_scanner_get_ip (rec.scanner), ==, "10.0.0.4");

  /* A line of exactly LAB_CONSOLE_IP_MAX_LINE bytes is still scanned */
  pad = LAB_CONSOLE_IP_MAX_LINE - strlen (LEASE_LINE);
  exact = g_strconcat (junk + 100 * 1024 - pad, LEASE_LINE, NULL);
  g_assert_cmpuint (strlen (exact), ==, LAB_CONSOLE_IP_MAX_LINE);
  feed_string (rec.scanner, exact);
  feed_string (rec.scanner, "\n");
  g_assert_cmpuint (rec.events->len, ==, 3);
  g_assert_cmpstr (lab_console_ip_scanner_get_ip (rec.scanner), ==, "10.0.0.2");

  recorder_clear (&rec);
}

static void
test_console_ip_flush (void)
{
  Recorder rec;

  recorder_init (&rec);
  feed_string (rec.scanner, LEASE_LINE);
  g_assert_cmpuint (rec.events->len, ==, 0);
  g_assert_null (lab_console_ip_scanner_get_ip (rec.scanner));

  lab_console_ip_scanner_flush (rec.scanner);
  g_assert_cmpuint (rec.events->len, ==, 1);
  g_assert_cmpstr (lab_console_ip_scanner_get_ip (rec.scanner), ==, "10.0.0.2");

  /* Nothing left to flush */
  lab_console_ip_scanner_flush (rec.scanner);
  g_assert_cmpuint (rec.events->len, ==, 1);

  recorder_clear (&rec);
}

/* The test's clock: it moves only when the test says, so "this soon" never depends on
 * how loaded the machine is. */
static gint64 fake_now_us;

static gint64
fake_clock (void)
{
  return fake_now_us;
}

/* ip-found on every line that gives news (a repeat is news again after a quarter of a
 * second); notify::ip only on change; reset and boot forget. */
static void
test_console_ip_notify (void)
{
  g_autofree char *ip = NULL;
  g_autofree char *mac = NULL;
  LabConsoleIpKind kind;
  Recorder rec;
  int prefix;

  fake_now_us = 1000 * 1000;
  lab_console_ip_set_clock (fake_clock);
  recorder_init (&rec);

  feed_string (rec.scanner, LEASE_LINE "\n" LEASE_LINE "\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  g_assert_cmpuint (rec.n_ip_notify, ==, 1);
  fake_now_us += 249 * 1000;
  feed_string (rec.scanner, LEASE_LINE "\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  fake_now_us += 250 * 1000;
  feed_string (rec.scanner, LEASE_LINE "\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  g_assert_cmpuint (rec.n_ip_notify, ==, 1);

  feed_string (rec.scanner, "Dual TCP/IP stack assembled: mac=00:16:3e:00:00:01,ip=10.0.0.2/24\n");
  g_assert_cmpuint (rec.n_ip_notify, ==, 1);
  g_assert_cmpint (lab_console_ip_scanner_get_prefix_length (rec.scanner), ==, 24);
  g_assert_cmpstr (lab_console_ip_scanner_get_mac (rec.scanner), ==, "00:16:3e:00:00:01");

  /* A renewal of the same address keeps the prefix and MAC of the stack line */
  feed_string (rec.scanner, LEASE_LINE "\n");
  g_assert_cmpint (lab_console_ip_scanner_get_prefix_length (rec.scanner), ==, 24);
  g_assert_cmpstr (lab_console_ip_scanner_get_mac (rec.scanner), ==, "00:16:3e:00:00:01");
  g_assert_cmpuint (rec.n_ip_notify, ==, 1);

  feed_string (rec.scanner, "Lease obtained! IP: 10.0.0.9, routers: 10.0.0.1\n");
  g_assert_cmpuint (rec.n_ip_notify, ==, 2);
  g_assert_cmpint (lab_console_ip_scanner_get_prefix_length (rec.scanner), ==, -1);

  /* Reset forgets, and notifies */
  lab_console_ip_scanner_reset (rec.scanner);
  g_assert_null (lab_console_ip_scanner_get_ip (rec.scanner));
  g_assert_null (lab_console_ip_scanner_get_mac (rec.scanner));
  g_assert_cmpuint (rec.n_ip_notify, ==, 3);
  lab_console_ip_scanner_reset (rec.scanner);
  g_assert_cmpuint (rec.n_ip_notify, ==, 3);

  /* Reset drops a partial line too */
  feed_string (rec.scanner, "Lease obtained! IP: 10.0.0.5, rou");
  lab_console_ip_scanner_reset (rec.scanner);
  feed_string (rec.scanner, "ters: 10.0.0.1\n");
  g_assert_null (lab_console_ip_scanner_get_ip (rec.scanner));

  /* Properties through GObject */
  feed_string (rec.scanner, "Dual TCP/IP stack assembled: mac=00:16:3e:00:00:02,ip=10.0.0.6/8\n");
  g_object_get (rec.scanner, "ip", &ip, "prefix-length", &prefix, "mac", &mac,
                "kind", &kind, NULL);
  g_assert_cmpstr (ip, ==, "10.0.0.6");
  g_assert_cmpint (prefix, ==, 8);
  g_assert_cmpstr (mac, ==, "00:16:3e:00:00:02");
  g_assert_cmpint (kind, ==, LAB_CONSOLE_IP_KIND_STACK);

  recorder_clear (&rec);
  lab_console_ip_set_clock (NULL);
}

static void
drop_ref_and_feed (LabConsoleIpScanner *scanner,
                   const char          *ip,
                   int                  prefix_length,
                   LabConsoleIpKind     kind,
                   gpointer             user_data)
{
  guint *calls = user_data;

  (*calls)++;
  if (*calls == 1)
    {
      /* Re-entrant feed from a handler, then drop the caller's only reference. */
      feed_string (scanner, "Lease obtained! IP: 10.9.9.9, routers: 10.0.0.1\n");
      g_object_unref (scanner);
    }
}

static void
test_console_ip_reentrant (void)
{
  LabConsoleIpScanner *scanner = lab_console_ip_scanner_new ();
  guint calls = 0;

  g_object_add_weak_pointer (G_OBJECT (scanner), (gpointer *) &scanner);
  g_signal_connect (scanner, "ip-found", G_CALLBACK (drop_ref_and_feed), &calls);

  feed_string (scanner, LEASE_LINE "\n" LEASE_LINE "\n");

  /* Both lines of the outer feed and the nested one were handled, then it was freed. */
  g_assert_cmpuint (calls, ==, 3);
  g_assert_null (scanner);
}

static void
test_console_ip_fuzz (void)
{
  gsize len;
  g_autofree char *text = load_fixture ("console-ansi.log", &len);

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(LabConsoleIpScanner) scanner = lab_console_ip_scanner_new ();
      g_autofree guint8 *buf = lab_test_mutated_copy (text, len, 20);
      const char *ip;

      lab_console_ip_scanner_feed (scanner, buf, len);
      lab_console_ip_scanner_flush (scanner);

      ip = lab_console_ip_scanner_get_ip (scanner);
      if (ip != NULL)
        g_assert_true (g_hostname_is_ip_address (ip) && strchr (ip, ':') == NULL);
    }
}

static void
test_console_ip_enum (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (LAB_TYPE_CONSOLE_IP_KIND);

  g_assert_true (G_TYPE_IS_ENUM (LAB_TYPE_CONSOLE_IP_KIND));
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "dhcp-lease")->value, ==,
                   LAB_CONSOLE_IP_KIND_DHCP_LEASE);
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "stack")->value, ==,
                   LAB_CONSOLE_IP_KIND_STACK);
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "legacy-dhcp")->value, ==,
                   LAB_CONSOLE_IP_KIND_LEGACY_DHCP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  lab_core_init ();

  for (guint i = 0; i < G_N_ELEMENTS (log_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/net/console-ip/log/%s", log_cases[i].fixture);

      g_test_add_data_func (path, &log_cases[i], test_console_ip_log);
    }
  g_test_add_func ("/net/console-ip/scan-line", test_console_ip_scan_line);
  g_test_add_func ("/net/console-ip/clean-line", test_console_ip_clean_line);
  g_test_add_func ("/net/console-ip/line-endings", test_console_ip_line_endings);
  g_test_add_func ("/net/console-ip/long-line", test_console_ip_long_line);
  g_test_add_func ("/net/console-ip/flush", test_console_ip_flush);
  g_test_add_func ("/net/console-ip/notify", test_console_ip_notify);
  g_test_add_func ("/net/console-ip/reentrant", test_console_ip_reentrant);
  g_test_add_func ("/net/console-ip/fuzz", test_console_ip_fuzz);
  g_test_add_func ("/net/console-ip/enum", test_console_ip_enum);

  return g_test_run ();
}
