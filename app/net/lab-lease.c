/* lab-lease.c — the dnsmasq lease file (/var/lib/misc/dnsmasq.leases)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-lease"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "net/lab-net-util.h"

#include "net/lab-lease.h"

/* dnsmasq's lines are short (a client id is at most 255 octets, 765 characters): anything
 * longer than this is not a lease line, and refusing it keeps warnings and copies small. */
#define MAX_LINE_LENGTH 4096

/* DHCP_CHADDR_MAX in dnsmasq. */
#define MAX_HWADDR_OCTETS 16

G_DEFINE_BOXED_TYPE (LabLease, lab_lease, lab_lease_copy, lab_lease_free)

LabLease *
lab_lease_copy (const LabLease *lease)
{
  LabLease *copy;

  g_return_val_if_fail (lease != NULL, NULL);

  copy = g_new0 (LabLease, 1);
  copy->expiry = lease->expiry;
  copy->infinite = lease->infinite;
  copy->hw_type = lease->hw_type;
  copy->mac = g_strdup (lease->mac);
  copy->ip = g_strdup (lease->ip);
  copy->hostname = g_strdup (lease->hostname);
  copy->client_id = g_strdup (lease->client_id);
  copy->line = lease->line;

  return copy;
}

void
lab_lease_free (LabLease *lease)
{
  if (lease == NULL)
    return;

  g_free (lease->mac);
  g_free (lease->ip);
  g_free (lease->hostname);
  g_free (lease->client_id);
  g_free (lease);
}

/**
 * lab_lease_is_expired:
 * @lease: a lease
 * @now: the current time in seconds since the epoch
 *
 * A lease with an expiry time before @now is expired; an infinite lease never is.
 *
 * Returns: %TRUE if @lease has expired at @now
 */
gboolean
lab_lease_is_expired (const LabLease *lease,
                      gint64          now)
{
  g_return_val_if_fail (lease != NULL, TRUE);

  return !lease->infinite && lease->expiry < now;
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Colon-separated two-digit hex octets ("00:16:3e"), as dnsmasq writes both hardware
 * addresses and client ids. Returns the lowercase form, or NULL. An empty string is
 * accepted only when @allow_empty. */
static char *
normalize_hex_octets (const char *s,
                      guint       max_octets,
                      gboolean    allow_empty)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = 0;
  const char *p = s;

  if (*p == '\0')
    return allow_empty ? g_strdup ("") : NULL;

  for (;;)
    {
      if (!g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1]))
        return NULL;
      if (++n > max_octets)
        return NULL;
      g_string_append_c (out, g_ascii_tolower (p[0]));
      g_string_append_c (out, g_ascii_tolower (p[1]));
      p += 2;
      if (*p == '\0')
        break;
      if (*p != ':')
        return NULL;
      g_string_append_c (out, ':');
      p++;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "[NN-]hh:hh:..." -> hardware type and lowercase address. */
static gboolean
parse_hwaddr (const char  *field,
              guint       *hw_type,
              char       **mac)
{
  const char *rest = field;
  gboolean has_type = FALSE;

  *hw_type = LAB_LEASE_HW_TYPE_ETHER;

  if (g_ascii_isxdigit (field[0]) && g_ascii_isxdigit (field[1]) && field[2] == '-')
    {
      *hw_type = (guint) (g_ascii_xdigit_value (field[0]) * 16 + g_ascii_xdigit_value (field[1]));
      rest = field + 3;
      has_type = TRUE;
    }

  /* dnsmasq writes an empty address only together with a type prefix, and drops the
   * prefix only for Ethernet, whose addresses have six octets. */
  *mac = normalize_hex_octets (rest, MAX_HWADDR_OCTETS, has_type);
  if (*mac != NULL && !has_type && strlen (*mac) != 17)
    g_clear_pointer (mac, g_free);

  return *mac != NULL;
}

/* A DHCPv6 lease: "<expiry> [T]<iaid> <IPv6> <hostname> <client-id>". */
static gboolean
is_ipv6_lease (char **fields)
{
  const char *iaid = fields[1];

  if (iaid[0] == 'T')
    iaid++;

  return all_digits (iaid) && strchr (fields[2], ':') != NULL &&
         g_hostname_is_ip_address (fields[2]);
}

static void
add_warning (GPtrArray  *warnings,
             char       *message)
{
  g_debug ("%s", message);
  g_ptr_array_add (warnings, message);
}

/* Splits on runs of spaces and tabs. */
static char **
split_fields (const char *line)
{
  GPtrArray *fields = g_ptr_array_new ();
  const char *p = line;

  while (*p != '\0')
    {
      const char *end;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      end = p;
      while (*end != '\0' && *end != ' ' && *end != '\t')
        end++;
      g_ptr_array_add (fields, g_strndup (p, (gsize) (end - p)));
      p = end;
    }

  g_ptr_array_add (fields, NULL);
  return (char **) g_ptr_array_free (fields, FALSE);
}

static void
parse_line (const char *start,
            gsize       len,
            gboolean    terminated,
            guint       line_no,
            GPtrArray  *leases,
            GPtrArray  *warnings)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(LabLease) lease = NULL;
  g_autofree char *ip = NULL;
  guint64 expiry;
  guint n_fields;
  gsize i;

  while (len > 0 && (start[len - 1] == '\r' || start[len - 1] == ' ' || start[len - 1] == '\t'))
    len--;

  for (i = 0; i < len; i++)
    if (start[i] != ' ' && start[i] != '\t')
      break;
  if (i == len)
    return;  /* blank */

  if (!terminated)
    {
      /* dnsmasq rewrites the file in place; a last line without its newline may be
       * cut anywhere ("192.168.56.15" for .150), so it is not trusted. */
      add_warning (warnings,
                   g_strdup_printf (_("Line %u: incomplete line at the end of the file"),
                                    line_no));
      return;
    }

  if (len > MAX_LINE_LENGTH)
    {
      add_warning (warnings, g_strdup_printf (_("Line %u: line is too long"), line_no));
      return;
    }

  if (memchr (start, '\0', len) != NULL)
    {
      add_warning (warnings, g_strdup_printf (_("Line %u: contains a NUL byte"), line_no));
      return;
    }

  copy = g_strndup (start, len);
  fields = split_fields (copy);
  n_fields = g_strv_length (fields);

  if (g_str_equal (fields[0], "duid"))
    return;  /* the server's DHCPv6 DUID, which heads the IPv6 leases */

  if (n_fields != 5)
    {
      add_warning (warnings,
                   g_strdup_printf (_("Line %u: expected 5 fields"), line_no));
      return;
    }

  if (!all_digits (fields[0]) ||
      !g_ascii_string_to_unsigned (fields[0], 10, 0, G_MAXINT64, &expiry, NULL))
    {
      add_warning (warnings,
                   g_strdup_printf (_("Line %u: invalid expiry time"), line_no));
      return;
    }

  if (is_ipv6_lease (fields))
    return;  /* DHCPv6: unikernels are found by their IPv4 address */

  lease = g_new0 (LabLease, 1);
  lease->line = line_no;
  lease->expiry = (gint64) expiry;
  lease->infinite = expiry == 0;

  if (!parse_hwaddr (fields[1], &lease->hw_type, &lease->mac))
    {
      add_warning (warnings,
                   g_strdup_printf (_("Line %u: invalid hardware address"), line_no));
      return;
    }

  if (!lab_ipv4_is_valid (fields[2]))
    {
      add_warning (warnings,
                   g_strdup_printf (_("Line %u: invalid IPv4 address"), line_no));
      return;
    }
  lease->ip = g_strdup (fields[2]);

  if (!g_str_equal (fields[3], "*"))
    lease->hostname = g_utf8_make_valid (fields[3], -1);

  if (!g_str_equal (fields[4], "*"))
    {
      lease->client_id = normalize_hex_octets (fields[4], 255, FALSE);
      if (lease->client_id == NULL)
        add_warning (warnings,
                     g_strdup_printf (_("Line %u: invalid client identifier, ignored"),
                                      line_no));
    }

  g_ptr_array_add (leases, g_steal_pointer (&lease));
}

/**
 * lab_lease_file_parse:
 * @text: the contents of a dnsmasq lease file; need not be NUL-terminated or UTF-8
 * @len: length of @text in bytes
 * @leases: (out) (transfer full) (element-type LabLease): the DHCPv4 leases, in file order
 * @warnings: (out) (optional) (transfer full) (element-type utf8): one translated message
 *   per line that was skipped or only partly understood, naming its line number
 *
 * Parses the lease file written by dnsmasq (src/lease.c). Blank lines, the "duid" line
 * and the DHCPv6 leases that follow it are skipped silently. Malformed lines (wrong field
 * count, bad expiry, hardware or IPv4 address, a NUL byte, over-long lines) are skipped
 * with a warning. The last line is skipped with a warning when it lacks its newline,
 * because dnsmasq rewrites the file in place and a reader can catch it half-written.
 *
 * Returns: %TRUE if every line was understood (no warnings)
 */
gboolean
lab_lease_file_parse (const char  *text,
                      gsize        len,
                      GPtrArray  **leases,
                      GPtrArray  **warnings)
{
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GPtrArray) warn = NULL;
  gsize pos = 0;
  guint line_no = 0;
  gboolean clean;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (leases != NULL, FALSE);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_lease_free);
  warn = g_ptr_array_new_with_free_func (g_free);

  while (pos < len)
    {
      const char *start = text + pos;
      const char *nl = memchr (start, '\n', len - pos);
      gsize line_len = nl != NULL ? (gsize) (nl - start) : len - pos;

      line_no++;
      parse_line (start, line_len, nl != NULL, line_no, out, warn);
      pos += line_len + (nl != NULL ? 1 : 0);
    }

  clean = warn->len == 0;
  *leases = g_steal_pointer (&out);
  if (warnings != NULL)
    *warnings = g_steal_pointer (&warn);

  return clean;
}

/* Is @a a better answer than @b? Later expiry wins, infinite beats any time, and on a tie
 * the later line wins (dnsmasq appends renewed leases at the end). */
static gboolean
lease_is_newer (const LabLease *a,
                const LabLease *b)
{
  if (a->infinite != b->infinite)
    return a->infinite;
  if (a->infinite)
    return a->line >= b->line;
  if (a->expiry != b->expiry)
    return a->expiry > b->expiry;
  return a->line >= b->line;
}

/**
 * lab_lease_find_for_mac:
 * @leases: (element-type LabLease): leases from lab_lease_file_parse()
 * @mac: (nullable): an Ethernet address in any case, ':' or '-' separated
 * @now: the current time in seconds since the epoch (g_get_real_time () / G_USEC_PER_SEC)
 *
 * Finds the newest unexpired Ethernet lease for @mac: an infinite lease counts as
 * unexpired and beats any other; otherwise the latest expiry wins.
 *
 * Returns: (transfer none) (nullable): the lease, owned by @leases, or %NULL
 */
LabLease *
lab_lease_find_for_mac (GPtrArray  *leases,
                        const char *mac,
                        gint64      now)
{
  g_autofree char *wanted = NULL;
  LabLease *best = NULL;

  g_return_val_if_fail (leases != NULL, NULL);

  wanted = lab_mac_normalize (mac);
  if (wanted == NULL)
    return NULL;

  for (guint i = 0; i < leases->len; i++)
    {
      LabLease *lease = g_ptr_array_index (leases, i);

      if (lease->hw_type != LAB_LEASE_HW_TYPE_ETHER || g_strcmp0 (lease->mac, wanted) != 0)
        continue;
      if (lab_lease_is_expired (lease, now))
        continue;
      if (best == NULL || lease_is_newer (lease, best))
        best = lease;
    }

  return best;
}
