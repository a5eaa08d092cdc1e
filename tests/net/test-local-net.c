/* test-local-net.c — which addresses are asked directly from this computer
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-local-net"

#include "config.h"

#include "lab-core.h"
#include "net/lab-local-net.h"
#include "net/lab-local-net-private.h"

static const LabLocalInterface laptop[] = {
  { "lo", "127.0.0.1", "255.0.0.0", TRUE },
  { "wlp2s0", "10.20.0.17", "255.255.255.0", FALSE },
};

static const LabLocalInterface host_only[] = {
  { "lo", "127.0.0.1", "255.0.0.0", TRUE },
  { "wlp2s0", "10.20.0.17", "255.255.255.0", FALSE },
  { "vboxnet0", "192.168.56.1", "255.255.255.0", FALSE },
};

static const LabLocalInterface odd[] = {
  /* a loopback device given a routable address must not make that network local */
  { "lo", "192.0.2.1", "255.255.255.0", TRUE },
  /* a /0 interface claims every address: not a subnet */
  { "tun0", "198.51.100.9", "0.0.0.0", FALSE },
  /* a point-to-point /32: only itself */
  { "wg0", "203.0.113.5", "255.255.255.255", FALSE },
  /* a /20 */
  { "eth1", "172.16.5.4", "255.255.240.0", FALSE },
};

static void
test_match_table (void)
{
  static const struct
  {
    const LabLocalInterface *interfaces;
    gsize                    n;
    const char              *address;
    gboolean                 on_link;
    const char              *network;
  } cases[] = {
    /* a remote dom0's bridge: the desktop has no interface there */
    { laptop, G_N_ELEMENTS (laptop), "192.168.56.150", FALSE, NULL },
    { laptop, G_N_ELEMENTS (laptop), "10.20.0.99", TRUE, "10.20.0.0/24 on wlp2s0" },
    { laptop, G_N_ELEMENTS (laptop), "10.20.1.99", FALSE, NULL },
    { laptop, G_N_ELEMENTS (laptop), "127.0.0.1", TRUE, "127.0.0.0/8" },
    { laptop, G_N_ELEMENTS (laptop), "127.0.0.2", TRUE, "127.0.0.0/8" },
    { host_only, G_N_ELEMENTS (host_only), "192.168.56.150", TRUE,
      "192.168.56.0/24 on vboxnet0" },
    { host_only, G_N_ELEMENTS (host_only), "192.168.57.150", FALSE, NULL },
    { NULL, 0, "192.168.56.150", FALSE, NULL },
    { NULL, 0, "127.0.0.1", TRUE, "127.0.0.0/8" },
    { odd, G_N_ELEMENTS (odd), "192.0.2.7", FALSE, NULL },
    { odd, G_N_ELEMENTS (odd), "8.8.8.8", FALSE, NULL },
    { odd, G_N_ELEMENTS (odd), "203.0.113.5", TRUE, "203.0.113.5/32 on wg0" },
    { odd, G_N_ELEMENTS (odd), "203.0.113.6", FALSE, NULL },
    { odd, G_N_ELEMENTS (odd), "172.16.15.255", TRUE, "172.16.0.0/20 on eth1" },
    { odd, G_N_ELEMENTS (odd), "172.16.16.1", FALSE, NULL },
    /* not addresses at all */
    { host_only, G_N_ELEMENTS (host_only), "", FALSE, NULL },
    { host_only, G_N_ELEMENTS (host_only), "192.168.56", FALSE, NULL },
    { host_only, G_N_ELEMENTS (host_only), "fe80::1", FALSE, NULL },
    { host_only, G_N_ELEMENTS (host_only), NULL, FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *network = NULL;
      gboolean on_link = lab_local_net_match (cases[i].address, cases[i].interfaces,
                                              cases[i].n, &network);

      g_test_message ("case %u: %s", i, cases[i].address ? cases[i].address : "(null)");
      g_assert_cmpint (on_link, ==, cases[i].on_link);
      g_assert_cmpstr (network, ==, cases[i].network);
    }
}

static void
test_in_network (void)
{
  g_assert_true (lab_ipv4_in_network ("192.168.56.150", "192.168.56.5", 24));
  g_assert_false (lab_ipv4_in_network ("192.0.2.7", "192.168.56.5", 24));
  g_assert_true (lab_ipv4_in_network ("192.0.2.7", "192.168.56.5", 0));
  g_assert_true (lab_ipv4_in_network ("192.168.56.5", "192.168.56.5", 32));
  g_assert_false (lab_ipv4_in_network ("192.168.56.6", "192.168.56.5", 32));
  g_assert_false (lab_ipv4_in_network ("192.168.56.6", "192.168.56.5", 33));
  g_assert_false (lab_ipv4_in_network ("x", "192.168.56.5", 24));

  {
    g_autofree char *a = lab_ipv4_network_of ("192.168.56.5", 24);
    g_autofree char *b = lab_ipv4_network_of ("172.16.15.255", 20);
    g_autofree char *c = lab_ipv4_network_of ("192.168.56.5", 40);

    g_assert_cmpstr (a, ==, "192.168.56.0/24");
    g_assert_cmpstr (b, ==, "172.16.0.0/20");
    g_assert_null (c);
  }
}

static void
test_ip_addr_parse (void)
{
  const char *text =
    "4: br0    inet 192.168.56.5/24 brd 192.168.56.255 scope global br0\\       "
    "valid_lft forever preferred_lft forever\n"
    "4: br0    inet 10.9.0.1/16 scope global secondary br0\\       valid_lft forever\n"
    "4: br0    inet 300.1.1.1/24 scope global br0\n"
    "garbage\n";
  g_auto(GStrv) inets = lab_ip_addr_parse_inet (text);
  g_auto(GStrv) none = lab_ip_addr_parse_inet ("");

  g_assert_cmpuint (g_strv_length (inets), ==, 2);
  g_assert_cmpstr (inets[0], ==, "192.168.56.5/24");
  g_assert_cmpstr (inets[1], ==, "10.9.0.1/16");
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  g_assert_true (lab_ipv4_cidr_contains ("192.168.56.5/24", "192.168.56.150"));
  g_assert_false (lab_ipv4_cidr_contains ("192.168.56.5/24", "192.0.2.7"));
  g_assert_false (lab_ipv4_cidr_contains ("192.168.56.5", "192.168.56.5"));
  g_assert_false (lab_ipv4_cidr_contains ("192.168.56.5/", "192.168.56.5"));
  g_assert_false (lab_ipv4_cidr_contains ("192.168.56.5/33", "192.168.56.5"));
}

/* The hook replaces getifaddrs(); reset gives the real interfaces back, where loopback is
 * always direct. */
static void
test_injected_interfaces (void)
{
  g_autofree char *network = NULL;

  lab_local_net_set_interfaces (laptop, G_N_ELEMENTS (laptop));
  g_assert_false (lab_local_net_is_on_link ("192.168.56.150", NULL));
  lab_local_net_set_interfaces (host_only, G_N_ELEMENTS (host_only));
  g_assert_true (lab_local_net_is_on_link ("192.168.56.150", &network));
  g_assert_cmpstr (network, ==, "192.168.56.0/24 on vboxnet0");
  lab_local_net_set_interfaces (NULL, 0);
  g_assert_false (lab_local_net_is_on_link ("192.168.56.150", NULL));
  lab_local_net_reset_interfaces ();
  g_assert_true (lab_local_net_is_on_link ("127.0.0.1", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/local-net/match-table", test_match_table);
  g_test_add_func ("/net/local-net/in-network", test_in_network);
  g_test_add_func ("/net/local-net/ip-addr-parse", test_ip_addr_parse);
  g_test_add_func ("/net/local-net/injected-interfaces", test_injected_interfaces);

  return g_test_run ();
}
