/* lab-static-ip.c — the static address a unikernel is booted with (--ipv4=…)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-static-ip"

#include "config.h"

#include <string.h>

#include "net/lab-net-util.h"

#include "net/lab-static-ip.h"

/* MirageOS >= 4.5 reads its network configuration from boot arguments
 * (lib_runtime/mirage_runtime_network.ml): --ipv4=PREFIX such as 192.168.56.20/24, and
 * --ipv4-gateway, --ipv4-only, --ipv6… which are not the address. On Xen the boot
 * arguments are the xl "cmdline" (or "extra") string. With DHCP compiled in, a given
 * --ipv4 short-circuits DHCP (charrua dhcp_ipv4.ml), so the value is what the stack uses. */

static gboolean
parse_value (const char  *value,
             char       **ip,
             int         *prefix_length)
{
  char buf[LAB_IPV4_STR_MAX];
  gsize len = strlen (value);
  gsize consumed = 0;
  int prefix = -1;

  if (!lab_ipv4_scan (value, len, &consumed, buf))
    return FALSE;

  if (value[consumed] == '/')
    {
      gsize n = 0;

      prefix = lab_prefix_length_scan (value + consumed + 1, len - consumed - 1, &n);
      if (prefix < 0)
        return FALSE;
      consumed += 1 + n;
    }

  if (consumed != len)
    return FALSE;

  *ip = g_strdup (buf);
  *prefix_length = prefix;
  return TRUE;
}

static char **
split_cmdline (const char *cmdline)
{
  char **argv = NULL;

  /* Quotes are allowed around values; unbalanced ones fall back to plain splitting. */
  if (g_shell_parse_argv (cmdline, NULL, &argv, NULL))
    return argv;

  return g_strsplit_set (cmdline, " \t\n", -1);
}

/**
 * lab_static_ip_from_cmdline:
 * @cmdline: (nullable): boot arguments, e.g. "--ipv4=192.168.56.20/24 --ipv4-gateway=…"
 * @ip: (out) (transfer full) (optional): the dotted-quad address
 * @prefix_length: (out) (optional): its prefix length, or -1 when none was given
 *
 * Finds "--ipv4=A/P" or "--ipv4 A/P". --ipv4-gateway and other --ipv4-* options are
 * ignored. When --ipv4 appears more than once the last one is used.
 *
 * Returns: %TRUE if a valid --ipv4 address was found
 */
gboolean
lab_static_ip_from_cmdline (const char  *cmdline,
                            char       **ip,
                            int         *prefix_length)
{
  g_auto(GStrv) argv = NULL;
  g_autofree char *found_ip = NULL;
  int found_prefix = -1;

  if (ip != NULL)
    *ip = NULL;
  if (prefix_length != NULL)
    *prefix_length = -1;

  if (cmdline == NULL)
    return FALSE;

  argv = split_cmdline (cmdline);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      const char *value = NULL;
      g_autofree char *candidate = NULL;
      int prefix = -1;

      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_has_prefix (argv[i], "--ipv4="))
        value = argv[i] + strlen ("--ipv4=");
      else if (g_str_equal (argv[i], "--ipv4") && argv[i + 1] != NULL)
        value = argv[++i];

      if (value != NULL && parse_value (value, &candidate, &prefix))
        {
          g_free (found_ip);
          found_ip = g_steal_pointer (&candidate);
          found_prefix = prefix;
        }
    }

  if (found_ip == NULL)
    return FALSE;

  if (prefix_length != NULL)
    *prefix_length = found_prefix;
  if (ip != NULL)
    *ip = g_steal_pointer (&found_ip);
  return TRUE;
}

/**
 * lab_static_ip_xl_config_cmdline:
 * @config: (nullable): the text of an xl domain configuration file
 *
 * Finds the boot arguments in an xl config: the value of `cmdline = "…"` or, when there
 * is none, `extra = "…"` (xl.cfg(5): "When cmdline= is set, root= and extra= will be
 * ignored"). Strings may use ' or " quotes; comments start with #. When a key is set
 * twice, the last setting is used.
 *
 * Returns: (transfer full) (nullable): the boot arguments
 */
char *
lab_static_ip_xl_config_cmdline (const char *config)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *extra = NULL;

  if (config == NULL)
    return NULL;

  /* One "key = 'string'" statement at the start of a line or after a ';'. xl strings
   * cannot span lines (libxlu_cfg_l.l). */
  regex = g_regex_new ("(?:^|;)[ \\t]*(cmdline|extra)[ \\t]*=[ \\t]*"
                       "(?:\"([^\"\\n]*)\"|'([^'\\n]*)')",
                       G_REGEX_MULTILINE, 0, NULL);
  g_assert (regex != NULL);

  if (!g_utf8_validate (config, -1, NULL))
    return NULL;

  g_regex_match (regex, config, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *key = g_match_info_fetch (match, 1);
      g_autofree char *dq = g_match_info_fetch (match, 2);
      g_autofree char *sq = g_match_info_fetch (match, 3);
      gint start = 0;
      char **slot = g_str_equal (key, "cmdline") ? &cmdline : &extra;
      gboolean commented = FALSE;

      /* Skip matches inside a comment: a '#' earlier on the same line. */
      g_match_info_fetch_pos (match, 0, &start, NULL);
      for (gint i = start - 1; i >= 0 && config[i] != '\n'; i--)
        if (config[i] == '#')
          commented = TRUE;

      if (!commented)
        {
          g_free (*slot);
          *slot = g_strdup (dq != NULL && dq[0] != '\0' ? dq : sq);
        }

      g_match_info_next (match, NULL);
    }

  if (cmdline != NULL)
    return g_steal_pointer (&cmdline);
  return g_steal_pointer (&extra);
}

/**
 * lab_static_ip_from_xl_config:
 * @config: (nullable): the text of an xl domain configuration file
 * @ip: (out) (transfer full) (optional): the dotted-quad address
 * @prefix_length: (out) (optional): its prefix length, or -1
 *
 * lab_static_ip_xl_config_cmdline() followed by lab_static_ip_from_cmdline().
 *
 * Returns: %TRUE if the config boots the unikernel with a static --ipv4 address
 */
gboolean
lab_static_ip_from_xl_config (const char  *config,
                              char       **ip,
                              int         *prefix_length)
{
  g_autofree char *cmdline = lab_static_ip_xl_config_cmdline (config);

  return lab_static_ip_from_cmdline (cmdline, ip, prefix_length);
}
