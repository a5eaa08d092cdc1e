/* test-static-ip.c — the --ipv4 boot argument, from a cmdline and from an xl config
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-static-ip"

#include "config.h"

#include "lab-core.h"
#include "net/lab-static-ip.h"

typedef struct
{
  const char *cmdline;
  const char *ip;       /* NULL: none */
  int         prefix_length;
} CmdlineCase;

static const CmdlineCase cmdline_cases[] = {
  /* setup-recipes.md §1.5 */
  { "--ipv4=192.168.56.20/24 --ipv4-gateway=192.168.56.5", "192.168.56.20", 24 },
  { "--ipv4-gateway=192.168.56.5 --ipv4=192.168.56.20/24", "192.168.56.20", 24 },
  { "--ipv4 10.0.0.7/8 --ipv4-gateway 10.0.0.1", "10.0.0.7", 8 },
  { "  --logs=*:debug\t--ipv4=172.16.1.2/12   --name=web ", "172.16.1.2", 12 },
  { "--ipv4=10.0.0.2", "10.0.0.2", -1 },
  { "--ipv4=10.0.0.2/0", "10.0.0.2", 0 },
  { "--ipv4=10.0.0.2/32", "10.0.0.2", 32 },
  { "--ipv4=\"192.168.56.21/24\"", "192.168.56.21", 24 },
  { "--ipv4='192.168.56.22/24' --name='my unikernel'", "192.168.56.22", 24 },
  { "--ipv4=192.168.56.23/24 --name='unbalanced", "192.168.56.23", 24 },
  { "--ipv4=1.1.1.1/24 --ipv4=2.2.2.2/16", "2.2.2.2", 16 },            /* last wins */
  { "--ipv4=1.1.1.1/24 --ipv4=bogus", "1.1.1.1", 24 },                 /* invalid ignored */

  { "--ipv4-gateway=192.168.56.5", NULL, -1 },
  { "--ipv4-only=true --ipv6=fd00::2/64", NULL, -1 },
  { "--ipv4", NULL, -1 },
  { "--ipv4=", NULL, -1 },
  { "--ipv4=300.1.1.1/24", NULL, -1 },
  { "--ipv4=10.0.0.2/33", NULL, -1 },
  { "--ipv4=10.0.0.2/", NULL, -1 },
  { "--ipv4=10.0.0.2/24x", NULL, -1 },
  { "--ipv4=10.0.0/24", NULL, -1 },
  { "--ipv4=010.0.0.2/24", NULL, -1 },
  { "--ipv4x=10.0.0.2/24", NULL, -1 },
  { "-- --ipv4=10.0.0.2/24", NULL, -1 },                              /* after "--" */
  { "ipv4=10.0.0.2/24", NULL, -1 },
  { "", NULL, -1 },
  { NULL, NULL, -1 },
};

static void
test_static_ip_cmdline (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cmdline_cases); i++)
    {
      const CmdlineCase *c = &cmdline_cases[i];
      g_autofree char *ip = NULL;
      int prefix = -2;
      gboolean found;

      g_test_message ("cmdline: %s", c->cmdline != NULL ? c->cmdline : "(null)");
      found = lab_static_ip_from_cmdline (c->cmdline, &ip, &prefix);

      g_assert_cmpint (found, ==, c->ip != NULL);
      g_assert_cmpstr (ip, ==, c->ip);
      g_assert_cmpint (prefix, ==, c->prefix_length);
    }

  /* Optional out arguments */
  g_assert_true (lab_static_ip_from_cmdline ("--ipv4=10.0.0.2/24", NULL, NULL));
}

/* The xl template of mirage >= 4 (setup-recipes.md §1.4) with boot arguments added. */
#define XL_HEAD \
  "name = 'https'\n" \
  "kernel = 'https.xen'\n" \
  "type = 'pvh'\n" \
  "memory = 256\n" \
  "on_crash = 'preserve'\n" \
  "\n" \
  "disk = [  ]\n" \
  "\n" \
  "# if your system uses openvswitch then either edit /etc/xen/xl.conf and set\n" \
  "#     vif.default.script=\"vif-openvswitch\"\n" \
  "# or add \"script=vif-openvswitch,\" before the \"bridge=\" below:\n" \
  "vif = [ 'bridge=br0' ]\n"

typedef struct
{
  const char *config;
  const char *cmdline;
  const char *ip;
  int         prefix_length;
} XlCase;

static const XlCase xl_cases[] = {
  { XL_HEAD, NULL, NULL, -1 },
  { XL_HEAD "cmdline = \"--ipv4=192.168.56.20/24 --ipv4-gateway=192.168.56.5\"\n",
    "--ipv4=192.168.56.20/24 --ipv4-gateway=192.168.56.5", "192.168.56.20", 24 },
  { XL_HEAD "cmdline='--ipv4=192.168.56.24/24'\n",
    "--ipv4=192.168.56.24/24", "192.168.56.24", 24 },
  { XL_HEAD "extra = \"--ipv4=192.168.56.25/24\"\n",
    "--ipv4=192.168.56.25/24", "192.168.56.25", 24 },
  /* xl.cfg(5): when cmdline= is set, extra= is ignored */
  { XL_HEAD "extra = \"--ipv4=192.168.56.26/24\"\ncmdline = \"--ipv4=192.168.56.27/24\"\n",
    "--ipv4=192.168.56.27/24", "192.168.56.27", 24 },
  { XL_HEAD "cmdline = \"--logs=*:debug\"\n", "--logs=*:debug", NULL, -1 },
  /* commented out */
  { XL_HEAD "# cmdline = \"--ipv4=192.168.56.28/24\"\n", NULL, NULL, -1 },
  { XL_HEAD "#cmdline = \"--ipv4=192.168.56.28/24\"\nextra = \"--ipv4=192.168.56.29/24\"\n",
    "--ipv4=192.168.56.29/24", "192.168.56.29", 24 },
  /* statements separated by ';', the last setting wins */
  { "memory = 64; cmdline = \"--ipv4=10.0.0.30/8\"; cmdline = \"--ipv4=10.0.0.31/8\"\n",
    "--ipv4=10.0.0.31/8", "10.0.0.31", 8 },
  /* the override given on the xl create command line: 'cmdline="…"' */
  { "cmdline=\"--ipv4=192.168.56.20/24 --ipv4-gateway=192.168.56.5\"",
    "--ipv4=192.168.56.20/24 --ipv4-gateway=192.168.56.5", "192.168.56.20", 24 },
  /* not a cmdline key */
  { "mycmdline = \"--ipv4=10.0.0.32/8\"\n", NULL, NULL, -1 },
  { "", NULL, NULL, -1 },
  { "cmdline = \"--ipv4=10.0.0.33/8\xff\"\n", NULL, NULL, -1 },        /* not UTF-8 */
  /* '#' and ';' inside strings are neither comments nor separators */
  { "name = 'www#1'; cmdline = '--ipv4=10.0.0.34/8'\n", "--ipv4=10.0.0.34/8", "10.0.0.34", 8 },
  { "name = \"x;cmdline='--ipv4=10.0.0.35/8'\"\n", NULL, NULL, -1 },
  { "extra = \"a \\\" b\"; cmdline = \"--ipv4=10.0.0.36/8\" # ; cmdline = 'x'\r\n",
    "--ipv4=10.0.0.36/8", "10.0.0.36", 8 },
  /* an unterminated string ends with its line */
  { "name = 'oops\ncmdline = '--ipv4=10.0.0.37/8'", "--ipv4=10.0.0.37/8", "10.0.0.37", 8 },
  { NULL, NULL, NULL, -1 },
};

static void
test_static_ip_xl_config (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (xl_cases); i++)
    {
      const XlCase *c = &xl_cases[i];
      g_autofree char *cmdline = NULL;
      g_autofree char *ip = NULL;
      int prefix = -2;

      g_test_message ("case %u", i);
      cmdline = lab_static_ip_xl_config_cmdline (c->config);
      g_assert_cmpstr (cmdline, ==, c->cmdline);

      g_assert_cmpint (lab_static_ip_from_xl_config (c->config, &ip, &prefix), ==, c->ip != NULL);
      g_assert_cmpstr (ip, ==, c->ip);
      g_assert_cmpint (prefix, ==, c->prefix_length);
    }
}

/* @head, then @repeat until the text is a megabyte, then @tail. */
static char *
huge_config (const char *head,
             const char *repeat,
             const char *tail)
{
  const gsize size = 1024 * 1024;
  GString *text = g_string_new (head);

  while (text->len < size)
    g_string_append (text, repeat);
  g_string_append (text, tail);
  return g_string_free (text, FALSE);
}

/* Configs come from the host: a megabyte of statements on one line must be read in one pass.
 * These shapes made the old scan walk back to the start of the line for every statement
 * (quadratic); the answers are what is asserted, not the time. */
static void
test_static_ip_xl_config_huge (void)
{
  /* Everything after a '#' on one line is a comment. */
  {
    g_autofree char *text = huge_config ("name = 'www'\n# ", ";cmdline='--ipv4=10.0.0.1/8'",
                                         "\nextra = '--ipv4=10.0.0.2/8'\n");
    g_autofree char *cmdline = lab_static_ip_xl_config_cmdline (text);

    g_assert_cmpstr (cmdline, ==, "--ipv4=10.0.0.2/8");
  }

  /* Many statements on one line, the last setting wins, a commented one after it. */
  {
    g_autofree char *text = huge_config (NULL, "extra='';cmdline=\"\";",
                                         " cmdline = \"--ipv4=10.1.2.3/16\""
                                         " # ;cmdline='--ipv4=9.9.9.9/8'");
    g_autofree char *cmdline = lab_static_ip_xl_config_cmdline (text);
    g_autofree char *ip = NULL;
    int prefix = -1;

    g_assert_cmpstr (cmdline, ==, "--ipv4=10.1.2.3/16");
    g_assert_true (lab_static_ip_from_xl_config (text, &ip, &prefix));
    g_assert_cmpstr (ip, ==, "10.1.2.3");
    g_assert_cmpint (prefix, ==, 16);
  }

  /* Unterminated strings and lone quotes, many to a line. */
  {
    g_autofree char *text = huge_config (NULL, "cmdline = '#\";extra=\"#';",
                                         "\ncmdline='--ipv4=10.4.5.6/24'");
    g_autofree char *cmdline = lab_static_ip_xl_config_cmdline (text);

    g_assert_cmpstr (cmdline, ==, "--ipv4=10.4.5.6/24");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  lab_core_init ();

  g_test_add_func ("/net/static-ip/cmdline", test_static_ip_cmdline);
  g_test_add_func ("/net/static-ip/xl-config", test_static_ip_xl_config);
  g_test_add_func ("/net/static-ip/xl-config-huge", test_static_ip_xl_config_huge);

  return g_test_run ();
}
