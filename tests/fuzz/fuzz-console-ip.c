/* fuzz-console-ip.c — a unikernel's console, scanned for its address as it arrives
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The console comes in pieces of any size: fed whole or in chunks whose sizes the input
 * chooses, the scanner must report the same addresses in the same order and end in the
 * same state. The first byte seeds the chunk sizes; the rest is the console.
 */

#include "config.h"

#include "fuzz-common.h"
#include "net/lab-console-ip-private.h"
#include "net/lab-net-util.h"

FUZZ_DEFINE_INITIALIZE ()

/* A frozen clock: whether a repeated finding is news must not depend on how long the
 * run took (a slow run once crossed the scanner's quiet time between the two feeds). */
static gint64
frozen_clock (void)
{
  return 1000000;
}

static void
ip_found_cb (LabConsoleIpScanner *scanner,
             const char          *ip,
             int                  prefix_length,
             LabConsoleIpKind     kind,
             GString             *log)
{
  FUZZ_ASSERT (ip != NULL && lab_ipv4_is_valid (ip));
  FUZZ_ASSERT (prefix_length >= -1 && prefix_length <= 32);
  g_string_append_printf (log, "ip %s/%d %d\n", ip, prefix_length, kind);
}

static void
boot_detected_cb (LabConsoleIpScanner *scanner,
                  GString             *log)
{
  g_string_append (log, "boot\n");
}

static char *
scan (const uint8_t *data,
      size_t         size,
      guint32        seed)
{
  g_autoptr(LabConsoleIpScanner) scanner = lab_console_ip_scanner_new ();
  GString *log = g_string_new (NULL);
  guint32 state = seed;
  size_t pos = 0;

  g_signal_connect (scanner, "ip-found", G_CALLBACK (ip_found_cb), log);
  g_signal_connect (scanner, "boot-detected", G_CALLBACK (boot_detected_cb), log);
  while (pos < size)
    {
      size_t n = size - pos;

      if (seed != 0)
        {
          /* xorshift32: chunks of 0 to 63 bytes, mostly small. */
          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
          n = MIN (n, (size_t) (state % 64));
        }
      lab_console_ip_scanner_feed (scanner, data + pos, n);
      pos += n;
    }
  lab_console_ip_scanner_flush (scanner);
  g_string_append_printf (log, "end %s/%d %s %d\n",
                          lab_console_ip_scanner_get_ip (scanner),
                          lab_console_ip_scanner_get_prefix_length (scanner),
                          lab_console_ip_scanner_get_mac (scanner),
                          lab_console_ip_scanner_get_kind (scanner));
  FUZZ_ASSERT (g_utf8_validate (log->str, -1, NULL));
  return g_string_free (log, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *whole = NULL;
  g_autofree char *chunked = NULL;
  guint32 seed;

  if (size < 1)
    return 0;
  lab_console_ip_set_clock (frozen_clock);
  seed = data[0] * 2654435761u + 1;
  data++;
  size--;

  whole = scan (data, size, 0);
  chunked = scan (data, size, seed);
  if (strcmp (whole, chunked) != 0)
    {
      g_printerr ("fed whole:\n%s\nin chunks:\n%s\n", whole, chunked);
      abort ();
    }

  /* The line functions on their own. */
  {
    g_autofree char *line = lab_console_ip_clean_line ((const char *) data, MIN (size, 4096));
    g_autofree char *ip = NULL;
    g_autofree char *mac = NULL;
    int prefix = -1;
    LabConsoleIpKind kind;

    FUZZ_ASSERT (line != NULL);
    if (lab_console_ip_scan_line (line, &ip, &prefix, &mac, &kind))
      FUZZ_ASSERT (lab_ipv4_is_valid (ip));
    lab_console_ip_line_is_boot_banner (line);
  }
  return 0;
}
