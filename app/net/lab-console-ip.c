/* lab-console-ip.c — find a unikernel's IPv4 address in its console output
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-console-ip"

#include "config.h"

#include <string.h>

#include "net/lab-net-util.h"

#include "net/lab-console-ip-private.h"

/* The console of a Xen domain is a byte stream from the guest: lines arrive split across
 * reads, end in LF, CR LF or a lone CR, may carry ANSI colour escapes (mirage-logs can
 * style its output), NUL bytes and anything that is not UTF-8. The scanner buffers one
 * line at a time (at most LAB_CONSOLE_IP_MAX_LINE bytes), cleans it and looks for the
 * lines listed with LabConsoleIpKind. The texts are what mirage's DHCP and network stacks
 * print (the 2015 recipe's `DHCP offer received and bound to`, mirage 4's `Lease obtained!`
 * and `Dual TCP/IP stack assembled`), as the fixtures under tests/fixtures show. */

struct _LabConsoleIpScanner
{
  GObject            parent_instance;

  GByteArray        *line;
  gboolean           discarding;   /* the current line overflowed: drop it up to its end */

  char              *ip;
  int                prefix_length;
  char              *mac;
  LabConsoleIpKind   kind;
  gint64             found_us;     /* when ip-found was last emitted */
};

/* The same finding again this soon is not news (a console flood of lease lines would
 * otherwise emit once a line). */
#define REPEAT_QUIET_US (250 * 1000)

/* The clock that decides "this soon"; tests and the fuzz harness freeze it, so that a
 * console fed whole or in pieces gives the same findings however slowly it runs. */
static LabConsoleIpClock console_ip_clock = g_get_monotonic_time;

G_DEFINE_FINAL_TYPE (LabConsoleIpScanner, lab_console_ip_scanner, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (LabConsoleIpKind, lab_console_ip_kind,
                    G_DEFINE_ENUM_VALUE (LAB_CONSOLE_IP_KIND_DHCP_LEASE, "dhcp-lease"),
                    G_DEFINE_ENUM_VALUE (LAB_CONSOLE_IP_KIND_STACK, "stack"),
                    G_DEFINE_ENUM_VALUE (LAB_CONSOLE_IP_KIND_LEGACY_DHCP, "legacy-dhcp"))

enum {
  PROP_0,
  PROP_IP,
  PROP_PREFIX_LENGTH,
  PROP_MAC,
  PROP_KIND,
  N_PROPS
};

enum {
  IP_FOUND,
  BOOT_DETECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/**
 * lab_console_ip_clean_line:
 * @raw: one console line without its terminator; any bytes
 * @len: length of @raw
 *
 * Removes ANSI escape sequences (CSI "ESC [ … final", OSC "ESC ] … BEL|ESC \",
 * other two-byte escapes), NUL and other control bytes except tab. Bytes >= 0x80 are
 * kept as they are: the patterns are ASCII.
 *
 * Returns: (transfer full): the cleaned line, NUL-terminated, not necessarily UTF-8
 */
char *
lab_console_ip_clean_line (const char *raw,
                           gsize       len)
{
  GString *out = g_string_sized_new (len + 1);
  gsize i = 0;

  while (i < len)
    {
      guchar c = (guchar) raw[i];

      if (c == 0x1b)
        {
          i++;
          if (i >= len)
            break;
          c = (guchar) raw[i];
          if (c == '[')
            {
              /* CSI: parameters 0x30-0x3f, intermediates 0x20-0x2f, one final 0x40-0x7e */
              i++;
              while (i < len && (guchar) raw[i] >= 0x20 && (guchar) raw[i] <= 0x3f)
                i++;
              if (i < len && (guchar) raw[i] >= 0x40 && (guchar) raw[i] <= 0x7e)
                i++;
            }
          else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
            {
              /* OSC, DCS, SOS, PM, APC: a string ended by BEL or ST (ESC \) */
              i++;
              while (i < len)
                {
                  if (raw[i] == 0x07)
                    {
                      i++;
                      break;
                    }
                  if (raw[i] == 0x1b && i + 1 < len && raw[i + 1] == '\\')
                    {
                      i += 2;
                      break;
                    }
                  i++;
                }
            }
          else
            {
              /* nF escapes: intermediates then one final byte; Fp/Fe/Fs: one byte */
              while (i < len && (guchar) raw[i] >= 0x20 && (guchar) raw[i] <= 0x2f)
                i++;
              if (i < len)
                i++;
            }
          continue;
        }

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
          i++;
          continue;
        }

      g_string_append_c (out, (char) c);
      i++;
    }

  return g_string_free (out, FALSE);
}

static const char *
skip_chars (const char *p,
            const char *chars)
{
  while (*p != '\0' && strchr (chars, *p) != NULL)
    p++;
  return p;
}

/* An IPv4 address at @p, optionally followed by "/prefix". */
static gboolean
scan_address (const char  *p,
              char       **ip,
              int         *prefix_length,
              const char **end)
{
  char buf[LAB_IPV4_STR_MAX];
  gsize consumed = 0;
  gsize len = strlen (p);

  if (!lab_ipv4_scan (p, len, &consumed, buf))
    return FALSE;

  *prefix_length = -1;
  if (p[consumed] == '/')
    {
      gsize n = 0;
      int prefix = lab_prefix_length_scan (p + consumed + 1, len - consumed - 1, &n);

      if (prefix >= 0)
        {
          *prefix_length = prefix;
          consumed += 1 + n;
        }
    }

  *ip = g_strdup (buf);
  if (end != NULL)
    *end = p + consumed;
  return TRUE;
}

/* charrua: "Lease obtained! IP: A, routers: R" or "Lease obtained! IP A network N/P gateway G".
 * Deliberately not "Lease obtained with no subnet mask" (the lease was discarded). */
static gboolean
scan_charrua (const char  *line,
              char       **ip,
              int         *prefix_length)
{
  const char *p = strstr (line, "Lease obtained! IP");
  const char *rest;
  const char *network;

  if (p == NULL)
    return FALSE;

  p = skip_chars (p + strlen ("Lease obtained! IP"), ": ");
  if (!scan_address (p, ip, prefix_length, &rest))
    return FALSE;

  network = strstr (rest, " network ");
  if (network != NULL)
    {
      g_autofree char *net = NULL;
      int prefix = -1;

      if (scan_address (network + strlen (" network "), &net, &prefix, NULL) && prefix >= 0)
        *prefix_length = prefix;
    }

  return TRUE;
}

/* mirage-tcpip: "... stack assembled: [mac=M,]ip=A[/P][, B/Q ...]". The first IPv4
 * entry of the list is the address; IPv6 entries are skipped. */
static gboolean
scan_stack (const char  *line,
            char       **ip,
            int         *prefix_length,
            char       **mac)
{
  const char *p = strstr (line, "stack assembled:");
  const char *list;
  const char *m;

  if (p == NULL)
    return FALSE;
  p += strlen ("stack assembled:");

  list = strstr (p, "ip=");
  if (list == NULL)
    return FALSE;

  m = strstr (p, "mac=");
  if (m != NULL && m < list)
    {
      g_autofree char *raw = NULL;

      m += strlen ("mac=");
      raw = g_strndup (m, strcspn (m, ", "));
      *mac = lab_mac_normalize (raw);
    }

  p = list + strlen ("ip=");
  while (*p != '\0')
    {
      p = skip_chars (p, ", []");
      if (*p == '\0')
        break;
      if (scan_address (p, ip, prefix_length, NULL))
        return TRUE;
      p += strcspn (p, ", ");
    }

  g_clear_pointer (mac, g_free);
  return FALSE;
}

/* mirage-tcpip 2.x: "DHCP offer received and bound to A nm M gw [G]". */
static gboolean
scan_legacy (const char  *line,
             char       **ip,
             int         *prefix_length)
{
  const char *p = strstr (line, "DHCP offer received and bound to ");
  const char *rest;
  const char *nm;

  if (p == NULL)
    return FALSE;

  p += strlen ("DHCP offer received and bound to ");
  if (!scan_address (p, ip, prefix_length, &rest))
    return FALSE;

  nm = strstr (rest, " nm ");
  if (nm != NULL)
    {
      g_autofree char *mask = g_strndup (nm + 4, strcspn (nm + 4, " "));
      int prefix = lab_ipv4_netmask_to_prefix (mask);

      if (prefix >= 0)
        *prefix_length = prefix;
    }

  return TRUE;
}

/**
 * lab_console_ip_scan_line:
 * @line: a cleaned console line (see lab_console_ip_clean_line())
 * @ip: (out) (transfer full): the dotted-quad address
 * @prefix_length: (out): the prefix length, or -1 if the line gives none
 * @mac: (out) (transfer full) (nullable): the MAC address, if the line gives one
 * @kind: (out): which kind of line matched
 *
 * Matches one line anywhere in it, so that any log prefix (mirage-logs' time stamp,
 * level and source) is allowed.
 *
 * Returns: %TRUE if the line gives an IPv4 address
 */
gboolean
lab_console_ip_scan_line (const char        *line,
                          char             **ip,
                          int               *prefix_length,
                          char             **mac,
                          LabConsoleIpKind  *kind)
{
  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (ip != NULL && prefix_length != NULL && mac != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  *ip = NULL;
  *mac = NULL;
  *prefix_length = -1;

  if (scan_charrua (line, ip, prefix_length))
    {
      *kind = LAB_CONSOLE_IP_KIND_DHCP_LEASE;
      return TRUE;
    }
  if (scan_stack (line, ip, prefix_length, mac))
    {
      *kind = LAB_CONSOLE_IP_KIND_STACK;
      return TRUE;
    }
  if (scan_legacy (line, ip, prefix_length))
    {
      *kind = LAB_CONSOLE_IP_KIND_LEGACY_DHCP;
      return TRUE;
    }

  return FALSE;
}

/**
 * lab_console_ip_line_is_boot_banner:
 * @line: a cleaned console line
 *
 * Returns: %TRUE for the first lines a (re)booting unikernel prints: Solo5's
 *   "Solo5: Bindings version …" (modern) or Mini-OS's "Xen Minimal OS!" (2015)
 */
gboolean
lab_console_ip_line_is_boot_banner (const char *line)
{
  g_return_val_if_fail (line != NULL, FALSE);

  return strstr (line, "Solo5: Bindings version") != NULL ||
         strstr (line, "Xen Minimal OS!") != NULL;
}

static void
set_state (LabConsoleIpScanner *self,
           const char          *ip,
           int                  prefix_length,
           const char          *mac,
           LabConsoleIpKind     kind)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (self->ip, ip) != 0)
    {
      g_free (self->ip);
      self->ip = g_strdup (ip);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IP]);
    }
  if (self->prefix_length != prefix_length)
    {
      self->prefix_length = prefix_length;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREFIX_LENGTH]);
    }
  if (g_strcmp0 (self->mac, mac) != 0)
    {
      g_free (self->mac);
      self->mac = g_strdup (mac);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAC]);
    }
  if (self->kind != kind)
    {
      self->kind = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
process_line (LabConsoleIpScanner *self,
              const char          *line)
{
  g_autofree char *ip = NULL;
  g_autofree char *mac = NULL;
  LabConsoleIpKind kind;
  int prefix_length;
  gint64 now;

  if (lab_console_ip_line_is_boot_banner (line))
    {
      g_debug ("boot banner: forgetting %s", self->ip != NULL ? self->ip : "nothing");
      set_state (self, NULL, -1, NULL, LAB_CONSOLE_IP_KIND_DHCP_LEASE);
      g_signal_emit (self, signals[BOOT_DETECTED], 0);
      return;
    }

  if (!lab_console_ip_scan_line (line, &ip, &prefix_length, &mac, &kind))
    return;

  /* A later line for the same address without a MAC or prefix length (a lease renewal)
   * keeps what the stack line gave. */
  if (prefix_length < 0 && g_strcmp0 (ip, self->ip) == 0)
    prefix_length = self->prefix_length;
  if (mac == NULL)
    mac = g_strdup (self->mac);

  now = console_ip_clock ();
  if (g_strcmp0 (ip, self->ip) == 0 && prefix_length == self->prefix_length
      && g_strcmp0 (mac, self->mac) == 0 && kind == self->kind
      && now - self->found_us < REPEAT_QUIET_US)
    return;

  g_debug ("found %s/%d (kind %d)", ip, prefix_length, kind);
  self->found_us = now;
  set_state (self, ip, prefix_length, mac, kind);
  g_signal_emit (self, signals[IP_FOUND], 0, ip, prefix_length, kind);
}

static void
end_line (LabConsoleIpScanner *self)
{
  g_autofree char *clean = NULL;

  if (self->discarding)
    {
      self->discarding = FALSE;
      return;
    }
  if (self->line->len == 0)
    return;

  /* Most lines have nothing to clean (no escapes or control bytes): copied as they are. */
  for (guint i = 0; i < self->line->len && clean == NULL; i++)
    {
      guint8 c = self->line->data[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        clean = lab_console_ip_clean_line ((const char *) self->line->data, self->line->len);
    }
  if (clean == NULL)
    clean = g_strndup ((const char *) self->line->data, self->line->len);
  g_byte_array_set_size (self->line, 0);

  /* A copy: handlers of the signals it emits may feed the scanner again. */
  process_line (self, clean);
}

static void
append_bounded (LabConsoleIpScanner *self,
                const guint8        *data,
                gsize                len)
{
  if (self->discarding || len == 0)
    return;

  if (self->line->len + len > LAB_CONSOLE_IP_MAX_LINE)
    {
      g_debug ("line longer than %u bytes dropped", (guint) LAB_CONSOLE_IP_MAX_LINE);
      g_byte_array_set_size (self->line, 0);
      self->discarding = TRUE;
      return;
    }

  g_byte_array_append (self->line, data, (guint) len);
}

/**
 * lab_console_ip_scanner_feed:
 * @self: a scanner
 * @data: (array length=len): console bytes, in any chunking
 * @len: length of @data
 *
 * Feeds console output. Every complete line that gives an address emits
 * #LabConsoleIpScanner::ip-found (also when the address did not change: a renewal is news
 * for whoever tracks freshness; only the very same finding within a quarter of a second is
 * not repeated, so a flood of lease lines is not a flood of signals), and updates
 * #LabConsoleIpScanner:ip, which notifies only on change. A boot banner forgets the address
 * and emits #LabConsoleIpScanner::boot-detected. Signal handlers may unref the scanner or feed it.
 */
void
lab_console_ip_scanner_feed (LabConsoleIpScanner *self,
                             const guint8        *data,
                             gsize                len)
{
  g_autoptr(LabConsoleIpScanner) hold = NULL;

  g_return_if_fail (LAB_IS_CONSOLE_IP_SCANNER (self));
  g_return_if_fail (data != NULL || len == 0);

  hold = g_object_ref (self);

  while (len > 0)
    {
      gsize n = 0;

      while (n < len && data[n] != '\n' && data[n] != '\r')
        n++;

      append_bounded (self, data, n);
      if (n == len)
        break;

      end_line (self);
      data += n + 1;
      len -= n + 1;
    }
}

/**
 * lab_console_ip_scanner_flush:
 * @self: a scanner
 *
 * Treats a buffered partial line as complete: call it when the console stream ends.
 */
void
lab_console_ip_scanner_flush (LabConsoleIpScanner *self)
{
  g_autoptr(LabConsoleIpScanner) hold = NULL;

  g_return_if_fail (LAB_IS_CONSOLE_IP_SCANNER (self));

  hold = g_object_ref (self);
  end_line (self);
}

/**
 * lab_console_ip_scanner_reset:
 * @self: a scanner
 *
 * Forgets the partial line and the address, e.g. when the domain is destroyed.
 */
void
lab_console_ip_scanner_reset (LabConsoleIpScanner *self)
{
  g_return_if_fail (LAB_IS_CONSOLE_IP_SCANNER (self));

  g_byte_array_set_size (self->line, 0);
  self->discarding = FALSE;
  set_state (self, NULL, -1, NULL, LAB_CONSOLE_IP_KIND_DHCP_LEASE);
}

const char *
lab_console_ip_scanner_get_ip (LabConsoleIpScanner *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_IP_SCANNER (self), NULL);

  return self->ip;
}

int
lab_console_ip_scanner_get_prefix_length (LabConsoleIpScanner *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_IP_SCANNER (self), -1);

  return self->prefix_length;
}

const char *
lab_console_ip_scanner_get_mac (LabConsoleIpScanner *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_IP_SCANNER (self), NULL);

  return self->mac;
}

LabConsoleIpKind
lab_console_ip_scanner_get_kind (LabConsoleIpScanner *self)
{
  g_return_val_if_fail (LAB_IS_CONSOLE_IP_SCANNER (self), LAB_CONSOLE_IP_KIND_DHCP_LEASE);

  return self->kind;
}

void
lab_console_ip_set_clock (LabConsoleIpClock clock)
{
  console_ip_clock = clock != NULL ? clock : g_get_monotonic_time;
}

LabConsoleIpScanner *
lab_console_ip_scanner_new (void)
{
  return g_object_new (LAB_TYPE_CONSOLE_IP_SCANNER, NULL);
}

static void
lab_console_ip_scanner_finalize (GObject *object)
{
  LabConsoleIpScanner *self = LAB_CONSOLE_IP_SCANNER (object);

  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->ip, g_free);
  g_clear_pointer (&self->mac, g_free);

  G_OBJECT_CLASS (lab_console_ip_scanner_parent_class)->finalize (object);
}

static void
lab_console_ip_scanner_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LabConsoleIpScanner *self = LAB_CONSOLE_IP_SCANNER (object);

  switch (prop_id)
    {
    case PROP_IP:
      g_value_set_string (value, self->ip);
      break;

    case PROP_PREFIX_LENGTH:
      g_value_set_int (value, self->prefix_length);
      break;

    case PROP_MAC:
      g_value_set_string (value, self->mac);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_console_ip_scanner_class_init (LabConsoleIpScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_console_ip_scanner_finalize;
  object_class->get_property = lab_console_ip_scanner_get_property;

  /**
   * LabConsoleIpScanner:ip:
   *
   * The newest address found since the last boot banner, or %NULL.
   */
  properties[PROP_IP] =
    g_param_spec_string ("ip", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LabConsoleIpScanner:prefix-length:
   *
   * The prefix length that came with #LabConsoleIpScanner:ip, or -1.
   */
  properties[PROP_PREFIX_LENGTH] =
    g_param_spec_int ("prefix-length", NULL, NULL,
                      -1, 32, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LabConsoleIpScanner:mac:
   *
   * The MAC address from the "stack assembled" line (lowercase), or %NULL. Useful to look
   * the domain up in the DHCP lease file.
   */
  properties[PROP_MAC] =
    g_param_spec_string ("mac", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LabConsoleIpScanner:kind:
   *
   * The kind of line that gave #LabConsoleIpScanner:ip.
   */
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       LAB_TYPE_CONSOLE_IP_KIND, LAB_CONSOLE_IP_KIND_DHCP_LEASE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LabConsoleIpScanner::ip-found:
   * @self: the scanner
   * @ip: the dotted-quad address
   * @prefix_length: its prefix length, or -1 if the line gave none
   * @kind: a #LabConsoleIpKind
   *
   * Emitted for every console line that gives an address, after the properties changed.
   */
  signals[IP_FOUND] =
    g_signal_new ("ip-found",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_INT,
                  LAB_TYPE_CONSOLE_IP_KIND);

  /**
   * LabConsoleIpScanner::boot-detected:
   * @self: the scanner
   *
   * Emitted when the unikernel's boot banner appears (it was started or rebooted), after
   * the address was forgotten: an address from an earlier boot is stale.
   */
  signals[BOOT_DETECTED] =
    g_signal_new ("boot-detected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
lab_console_ip_scanner_init (LabConsoleIpScanner *self)
{
  self->line = g_byte_array_new ();
  self->prefix_length = -1;
  self->kind = LAB_CONSOLE_IP_KIND_DHCP_LEASE;
}
