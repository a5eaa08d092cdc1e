/* lab-net-util.c — small address helpers shared by the IP discovery code
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-net-util"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lab-net-util.h"

/* Reads one decimal octet: 1 to 3 digits, at most 255, no leading zero (so "010" is
 * refused rather than guessed at: inet_ntop(), Ipaddr.V4.pp and dnsmasq never write one). */
static gboolean
scan_octet (const char *str,
            gsize       len,
            gsize      *pos,
            guint      *value)
{
  gsize start = *pos;
  guint v = 0;

  while (*pos < len && g_ascii_isdigit (str[*pos]) && *pos - start < 3)
    {
      v = v * 10 + (guint) (str[*pos] - '0');
      (*pos)++;
    }

  if (*pos == start || v > 255)
    return FALSE;
  if (*pos < len && g_ascii_isdigit (str[*pos]))
    return FALSE;  /* four or more digits */
  if (str[start] == '0' && *pos - start > 1)
    return FALSE;

  *value = v;
  return TRUE;
}

/**
 * lab_ipv4_scan:
 * @str: text that starts with a dotted quad
 * @len: bytes available at @str
 * @consumed: (out) (optional): bytes used by the address
 * @out: (out): the address, NUL-terminated
 *
 * Reads a strict dotted-quad IPv4 address at the start of @str. The address must not run
 * on into more digits or another ".digit" (so "1.2.3.4.5" is refused), but it may be followed
 * by anything else, including a sentence-ending dot or a "/24" prefix length.
 *
 * Returns: %TRUE if @str starts with a valid address
 */
gboolean
lab_ipv4_scan (const char *str,
               gsize       len,
               gsize      *consumed,
               char        out[LAB_IPV4_STR_MAX])
{
  guint octets[4];
  gsize pos = 0;

  g_return_val_if_fail (str != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; i < 4; i++)
    {
      if (i > 0)
        {
          if (pos >= len || str[pos] != '.')
            return FALSE;
          pos++;
        }
      if (!scan_octet (str, len, &pos, &octets[i]))
        return FALSE;
    }

  if (pos + 1 < len && str[pos] == '.' && g_ascii_isdigit (str[pos + 1]))
    return FALSE;

  g_snprintf (out, LAB_IPV4_STR_MAX, "%u.%u.%u.%u", octets[0], octets[1], octets[2], octets[3]);
  if (consumed != NULL)
    *consumed = pos;
  return TRUE;
}

/**
 * lab_ipv4_is_valid:
 * @str: (nullable): a string
 *
 * Returns: %TRUE if @str is exactly one strict dotted-quad IPv4 address
 */
gboolean
lab_ipv4_is_valid (const char *str)
{
  char buf[LAB_IPV4_STR_MAX];
  gsize consumed = 0;
  gsize len;

  if (str == NULL)
    return FALSE;

  len = strlen (str);
  return lab_ipv4_scan (str, len, &consumed, buf) && consumed == len;
}

/**
 * lab_prefix_length_scan:
 * @str: text that starts with a decimal prefix length (after the "/")
 * @len: bytes available at @str
 * @consumed: (out) (optional): bytes used
 *
 * Returns: the prefix length, 0 to 32, or -1 if @str does not start with one
 */
int
lab_prefix_length_scan (const char *str,
                        gsize       len,
                        gsize      *consumed)
{
  gsize pos = 0;
  int v = 0;

  while (pos < len && g_ascii_isdigit (str[pos]) && pos < 2)
    v = v * 10 + (str[pos++] - '0');

  if (pos == 0 || v > 32 || (pos < len && g_ascii_isdigit (str[pos])))
    return -1;

  if (consumed != NULL)
    *consumed = pos;
  return v;
}

/**
 * lab_ipv4_netmask_to_prefix:
 * @netmask: a dotted-quad netmask such as "255.255.255.0"
 *
 * Returns: the prefix length (24 for the example), or -1 if @netmask is not a valid,
 *   contiguous netmask
 */
int
lab_ipv4_netmask_to_prefix (const char *netmask)
{
  guint o[4];
  guint32 mask;
  int prefix = 0;

  if (!lab_ipv4_is_valid (netmask))
    return -1;
  if (sscanf (netmask, "%u.%u.%u.%u", &o[0], &o[1], &o[2], &o[3]) != 4)
    return -1;

  mask = (o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3];
  while (mask & 0x80000000u)
    {
      prefix++;
      mask <<= 1;
    }

  return mask == 0 ? prefix : -1;
}

/**
 * lab_mac_normalize:
 * @mac: (nullable): an Ethernet address written with ':' or '-' separators, any case,
 *   one or two hex digits per octet ("00:16:3E:5A:1:2" is accepted)
 *
 * Returns: (transfer full) (nullable): the address as six lowercase two-digit octets
 *   separated by ':', or %NULL if @mac is not a valid 48-bit address
 */
char *
lab_mac_normalize (const char *mac)
{
  guint octets[6];
  const char *p = mac;
  char sep = 0;

  if (mac == NULL)
    return NULL;

  for (guint i = 0; i < 6; i++)
    {
      guint v = 0;
      guint digits = 0;

      if (i > 0)
        {
          if (*p != ':' && *p != '-')
            return NULL;
          if (sep == 0)
            sep = *p;
          else if (*p != sep)
            return NULL;
          p++;
        }

      while (g_ascii_isxdigit (*p) && digits < 2)
        {
          v = v * 16 + (guint) g_ascii_xdigit_value (*p);
          p++;
          digits++;
        }
      if (digits == 0 || g_ascii_isxdigit (*p))
        return NULL;
      octets[i] = v;
    }

  if (*p != '\0')
    return NULL;

  return g_strdup_printf ("%02x:%02x:%02x:%02x:%02x:%02x",
                          octets[0], octets[1], octets[2], octets[3], octets[4], octets[5]);
}
