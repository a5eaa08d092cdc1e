/* lab-local-net.c — is an address on a network this computer is attached to?
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-local-net"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "net/lab-net-util.h"

#include "net/lab-local-net.h"
#include "net/lab-local-net-private.h"

/* A domain's web page is asked for straight from this computer only when its address lies
 * inside the subnet of one of this computer's own interfaces: then the packets go out on
 * that link and only a machine on it can answer. Any other address would leave through
 * the default route, where whatever answers (a captive portal, a proxy, another network's
 * machine with the same private address) is not the unikernel. Such addresses are reached
 * through dom0 instead. */

/* The test hook: when set, these interfaces stand for getifaddrs()'s. */
static GArray *test_interfaces;   /* of LabLocalInterface, strings owned */

static gboolean
parse_ipv4 (const char *text,
            guint32    *out)
{
  struct in_addr in;

  if (!lab_ipv4_is_valid (text) || inet_pton (AF_INET, text, &in) != 1)
    return FALSE;
  *out = ntohl (in.s_addr);
  return TRUE;
}

static guint32
prefix_mask (int prefix)
{
  return prefix <= 0 ? 0 : 0xffffffffu << (32 - prefix);
}

/**
 * lab_ipv4_in_network:
 * @address: a dotted quad
 * @network: a dotted quad (host bits may be set: "192.168.56.5" with 24 is fine)
 * @prefix: the prefix length, 0 to 32
 *
 * Returns: %TRUE if @address lies inside @network/@prefix
 */
gboolean
lab_ipv4_in_network (const char *address,
                     const char *network,
                     int         prefix)
{
  guint32 a, n, mask;

  if (address == NULL || network == NULL || prefix < 0 || prefix > 32)
    return FALSE;
  if (!parse_ipv4 (address, &a) || !parse_ipv4 (network, &n))
    return FALSE;

  mask = prefix_mask (prefix);
  return (a & mask) == (n & mask);
}

/**
 * lab_ipv4_network_of:
 * @address: a dotted quad
 * @prefix: the prefix length, 0 to 32
 *
 * Returns: (transfer full) (nullable): "192.168.56.0/24" for ("192.168.56.5", 24)
 */
char *
lab_ipv4_network_of (const char *address,
                     int         prefix)
{
  guint32 a;
  struct in_addr in;
  char buf[INET_ADDRSTRLEN];

  if (address == NULL || prefix < 0 || prefix > 32 || !parse_ipv4 (address, &a))
    return NULL;

  in.s_addr = htonl (a & prefix_mask (prefix));
  if (inet_ntop (AF_INET, &in, buf, sizeof buf) == NULL)
    return NULL;
  return g_strdup_printf ("%s/%d", buf, prefix);
}

/**
 * lab_ipv4_cidr_contains:
 * @cidr: "192.168.56.5/24" (host bits may be set)
 * @address: a dotted quad
 *
 * Returns: %TRUE if @address lies inside @cidr
 */
gboolean
lab_ipv4_cidr_contains (const char *cidr,
                        const char *address)
{
  char network[LAB_IPV4_STR_MAX];
  gsize consumed = 0;
  gsize len;
  int prefix;

  if (cidr == NULL || address == NULL)
    return FALSE;
  len = strlen (cidr);
  if (!lab_ipv4_scan (cidr, len, &consumed, network) || consumed + 1 >= len
      || cidr[consumed] != '/')
    return FALSE;
  prefix = lab_prefix_length_scan (cidr + consumed + 1, len - consumed - 1, NULL);
  return prefix >= 0 && lab_ipv4_in_network (address, network, prefix);
}

/**
 * lab_ip_addr_parse_inet:
 * @text: the output of `ip -o -4 addr show dev BRIDGE` (iproute2's one-line form:
 *   "4: br0    inet 192.168.56.5/24 brd 192.168.56.255 scope global br0\ ...")
 *
 * Returns: (transfer full): every "ADDRESS/PREFIX" of the output, in order; empty when
 *   there is none
 */
GStrv
lab_ip_addr_parse_inet (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = strstr (lines[i], " inet ");
      char address[LAB_IPV4_STR_MAX];
      gsize consumed = 0;
      gsize len;
      int prefix;

      if (p == NULL)
        continue;
      p += strlen (" inet ");
      len = strlen (p);
      if (!lab_ipv4_scan (p, len, &consumed, address) || consumed + 1 >= len
          || p[consumed] != '/')
        continue;
      prefix = lab_prefix_length_scan (p + consumed + 1, len - consumed - 1, NULL);
      if (prefix < 0)
        continue;
      {
        g_autofree char *cidr = g_strdup_printf ("%s/%d", address, prefix);

        g_strv_builder_add (builder, cidr);
      }
    }

  return g_strv_builder_end (builder);
}

/**
 * lab_local_net_match:
 * @address: the address to reach
 * @interfaces: (array length=n_interfaces): this computer's IPv4 interface addresses
 * @n_interfaces: their number
 * @network: (out) (optional) (transfer full): the matching subnet, "192.168.56.0/24", and
 *   the interface ("192.168.56.0/24 on enp0s8")
 *
 * The rule: a loopback address is this computer itself. Any other address is on a link
 * only when it lies inside the subnet of a non-loopback interface. A prefix of 0 (an
 * interface that claims every address) counts as no subnet.
 *
 * Returns: %TRUE if @address can be asked directly
 */
gboolean
lab_local_net_match (const char              *address,
                     const LabLocalInterface *interfaces,
                     gsize                    n_interfaces,
                     char                   **network)
{
  guint32 a;

  if (network != NULL)
    *network = NULL;
  if (address == NULL || !parse_ipv4 (address, &a))
    return FALSE;

  if ((a >> 24) == 127)
    {
      if (network != NULL)
        *network = g_strdup ("127.0.0.0/8");
      return TRUE;
    }

  for (gsize i = 0; i < n_interfaces; i++)
    {
      const LabLocalInterface *iface = &interfaces[i];
      int prefix = lab_ipv4_netmask_to_prefix (iface->netmask);

      if (iface->loopback || prefix <= 0)
        continue;
      if (lab_ipv4_in_network (address, iface->address, prefix))
        {
          if (network != NULL)
            {
              g_autofree char *subnet = lab_ipv4_network_of (iface->address, prefix);

              /* Translators: a subnet and this computer's interface on it:
               * "192.168.56.0/24 on enp0s8" */
              *network = g_strdup_printf (_("%s on %s"), subnet,
                                          iface->name != NULL ? iface->name : "?");
            }
          return TRUE;
        }
    }

  return FALSE;
}

static void
clear_interface (gpointer data)
{
  LabLocalInterface *iface = data;

  g_free ((char *) iface->name);
  g_free ((char *) iface->address);
  g_free ((char *) iface->netmask);
}

void
lab_local_net_set_interfaces (const LabLocalInterface *interfaces,
                              gsize                    n_interfaces)
{
  lab_local_net_reset_interfaces ();

  test_interfaces = g_array_sized_new (FALSE, TRUE, sizeof (LabLocalInterface), n_interfaces);
  g_array_set_clear_func (test_interfaces, clear_interface);
  for (gsize i = 0; i < n_interfaces; i++)
    {
      LabLocalInterface copy = {
        g_strdup (interfaces[i].name), g_strdup (interfaces[i].address),
        g_strdup (interfaces[i].netmask), interfaces[i].loopback,
      };

      g_array_append_val (test_interfaces, copy);
    }
}

void
lab_local_net_reset_interfaces (void)
{
  g_clear_pointer (&test_interfaces, g_array_unref);
}

/* This computer's up IPv4 interface addresses, from getifaddrs(3). */
static GArray *
read_interfaces (void)
{
  GArray *list = g_array_new (FALSE, TRUE, sizeof (LabLocalInterface));
  struct ifaddrs *addrs = NULL;

  g_array_set_clear_func (list, clear_interface);
  if (getifaddrs (&addrs) != 0)
    {
      g_debug ("getifaddrs: %s", g_strerror (errno));
      return list;
    }

  for (struct ifaddrs *ifa = addrs; ifa != NULL; ifa = ifa->ifa_next)
    {
      char address[INET_ADDRSTRLEN];
      char netmask[INET_ADDRSTRLEN];
      LabLocalInterface iface;

      if (ifa->ifa_addr == NULL || ifa->ifa_netmask == NULL
          || ifa->ifa_addr->sa_family != AF_INET || !(ifa->ifa_flags & IFF_UP))
        continue;
      if (inet_ntop (AF_INET, &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr,
                     address, sizeof address) == NULL
          || inet_ntop (AF_INET, &((struct sockaddr_in *) ifa->ifa_netmask)->sin_addr,
                        netmask, sizeof netmask) == NULL)
        continue;

      iface.name = g_strdup (ifa->ifa_name);
      iface.address = g_strdup (address);
      iface.netmask = g_strdup (netmask);
      iface.loopback = (ifa->ifa_flags & IFF_LOOPBACK) != 0;
      g_array_append_val (list, iface);
    }

  freeifaddrs (addrs);
  return list;
}

/**
 * lab_local_net_is_on_link:
 * @address: the address to reach
 * @network: (out) (optional) (transfer full): see lab_local_net_match()
 *
 * Applies lab_local_net_match() to this computer's interfaces as they are now (read
 * afresh each time: a laptop joins and leaves networks).
 *
 * Returns: %TRUE if @address can be asked directly from this computer
 */
gboolean
lab_local_net_is_on_link (const char  *address,
                          char       **network)
{
  g_autoptr(GArray) list = NULL;

  if (test_interfaces != NULL)
    return lab_local_net_match (address, (LabLocalInterface *) test_interfaces->data,
                                test_interfaces->len, network);

  list = read_interfaces ();
  return lab_local_net_match (address, (LabLocalInterface *) list->data, list->len, network);
}

gboolean
lab_net_device_name_is_valid (const char *name)
{
  gsize len = name != NULL ? strlen (name) : 0;
  /* IFNAMSIZ is 16 with the NUL; the kernel refuses the rest of these too. */
  gboolean ok = len > 0 && len <= 15 && name[0] != '-' && strpbrk (name, " /:") == NULL
                && !g_str_equal (name, ".") && !g_str_equal (name, "..")
                && g_utf8_validate (name, len, NULL);

  for (gsize i = 0; ok && i < len; i++)
    ok = !g_ascii_iscntrl (name[i]);
  return ok;
}
