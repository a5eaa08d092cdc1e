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

/* Skips blanks (not newlines) from @p. */
static const char *
skip_blanks (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\r')
    p++;
  return p;
}

/* The end of the quoted string that starts at @p (its closing quote), or of the line when it
 * is not closed there, since xl strings cannot span lines. A backslash escapes the next
 * character in "…" only. */
static const char *
skip_string (const char *p)
{
  char quote = *p++;

  while (*p != '\0' && *p != quote && *p != '\n')
    p += *p == '\\' && quote == '"' && p[1] != '\0' && p[1] != '\n' ? 2 : 1;
  return p;
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
  g_autofree char *cmdline = NULL;
  g_autofree char *extra = NULL;
  const char *p = config;

  if (config == NULL || !g_utf8_validate (config, -1, NULL))
    return NULL;

  /* One pass over xl's statements (they end at a newline or ';', outside strings and
   * comments), so the time is linear in the length whatever the text holds: a config is
   * read from the host, and any user of it may have written anything. */
  while (*p != '\0')
    {
      const char *key = p = skip_blanks (p);
      gsize key_len;

      while (g_ascii_isalnum (*p) || *p == '_' || *p == '.')
        p++;
      key_len = p - key;
      p = skip_blanks (p);
      if (key_len > 0 && *p == '=')
        {
          p = skip_blanks (p + 1);
          if (*p == '"' || *p == '\'')
            {
              const char *value = p + 1;
              const char *end = skip_string (p);
              char **slot = NULL;

              if (key_len == strlen ("cmdline") && strncmp (key, "cmdline", key_len) == 0)
                slot = &cmdline;
              else if (key_len == strlen ("extra") && strncmp (key, "extra", key_len) == 0)
                slot = &extra;
              if (*end == *p && slot != NULL)
                {
                  g_free (*slot);
                  *slot = g_strndup (value, end - value);
                }
              p = *end == *p ? end + 1 : end;
            }
        }

      /* The rest of the statement. */
      while (*p != '\0' && *p != '\n' && *p != ';')
        {
          if (*p == '#')
            while (*p != '\0' && *p != '\n')
              p++;
          else if (*p == '"' || *p == '\'')
            {
              p = skip_string (p);
              if (*p == '"' || *p == '\'')
                p++;
            }
          else
            p++;
        }
      if (*p != '\0')
        p++;
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
