/* lab-check-network.c: the host check's network rows (the bridge, dnsmasq, the domains'
 * leases, whether leased domains answer from this computer)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-check-network"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "net/lab-lease.h"

#include "lab-check-evidence-private.h"

GStrv
lab_check_evidence_bridge_addresses (const LabCheckEvidence *evidence)
{
  g_autoptr(GPtrArray) inets = _lab_check_values_of (_lab_check_root_section (evidence, "bridge"),
                                                     "inet");
  GPtrArray *addresses = g_ptr_array_new ();

  for (guint i = 0; i < inets->len; i++)
    {
      const char *cidr = g_ptr_array_index (inets, i);
      const char *slash = strchr (cidr, '/');

      g_ptr_array_add (addresses, slash ? g_strndup (cidr, slash - cidr) : g_strdup (cidr));
    }
  g_ptr_array_add (addresses, NULL);
  return (GStrv) g_ptr_array_free (addresses, FALSE);
}

void
_lab_check_evaluate_bridge (const LabCheckEvidence *e,
                            LabCheckResult         *result)
{
  const char *section = _lab_check_root_section (e, "bridge");
  g_autofree char *exists = NULL;
  g_autofree char *is_bridge = NULL;
  g_autofree char *operstate = NULL;
  g_autofree char *flags = NULL;
  g_autoptr(GPtrArray) ports = NULL;
  g_auto(GStrv) addresses = NULL;
  g_autofree char *evidence = NULL;
  g_autofree char *command = NULL;
  g_autofree char *port_list = NULL;
  /* The fix commands are for copying into a shell: the bridge's name is quoted there. */
  g_autofree char *quoted_bridge = _lab_check_shell_word (e->bridge);
  guint64 flag_bits;

  if (!_lab_check_need_root (e, result))
    return;

  exists = _lab_check_value_of (section, "exists");
  if (g_strcmp0 (exists, "yes") != 0)
    {
      evidence = g_strdup_printf (_("/sys/class/net/%s does not exist: dom0 has no network "
                                    "device called %s."), e->bridge, e->bridge);
      command = g_strdup_printf ("sudo ip link add %s type bridge && sudo ip link set %s up",
                                 quoted_bridge, quoted_bridge);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Create the bridge the domains' vif lines name, with the "
                              "host-only adapter as its port and dom0's address on it. To "
                              "keep it after a reboot, add it to /etc/network/interfaces "
                              "(bridge_ports) or to netplan."), command);
      return;
    }
  is_bridge = _lab_check_value_of (section, "is-bridge");
  if (g_strcmp0 (is_bridge, "yes") != 0)
    {
      evidence = g_strdup_printf (_("%s exists but is not a bridge (no "
                                    "/sys/class/net/%s/bridge)."), e->bridge, e->bridge);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Give the bridge another name in the vif lines, or turn this "
                              "device into a bridge in the network configuration."), NULL);
      return;
    }
  operstate = _lab_check_value_of (section, "operstate");
  flags = _lab_check_value_of (section, "flags");
  flag_bits = flags != NULL ? g_ascii_strtoull (flags, NULL, 16) : 0;
  ports = _lab_check_values_of (section, "port");
  g_ptr_array_add (ports, NULL);
  port_list = ports->len > 1 ? g_strjoinv (", ", (char **) ports->pdata)
                             : g_strdup (_("none"));
  addresses = lab_check_evidence_bridge_addresses (e);

  if ((flag_bits & 0x1) == 0)   /* IFF_UP */
    {
      evidence = g_strdup_printf (_("%s is down (flags %s, state %s); ports: %s."), e->bridge,
                                  flags ? flags : "?", operstate ? operstate : "?", port_list);
      command = g_strdup_printf ("sudo ip link set %s up", quoted_bridge);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Bring the bridge up; check the network configuration so that "
                              "it comes up at boot."), command);
      return;
    }
  if (addresses[0] == NULL)
    {
      evidence = g_strdup_printf (_("%s is up (ports: %s) but has no IPv4 address, so "
                                    "dnsmasq cannot hand out leases on it."), e->bridge,
                                  port_list);
      command = g_strdup_printf ("sudo ip addr add 192.168.56.5/24 dev %s", quoted_bridge);
      lab_check_result_set (result, LAB_CHECK_STATUS_WARNING, evidence,
                            _("Give dom0 its host-only address on the bridge (the classic "
                              "recipe uses 192.168.56.5/24)."), command);
      return;
    }
  {
    g_autofree char *joined = g_strjoinv (", ", addresses);

    evidence = g_strdup_printf (_("%s is up (link state %s), address %s, ports: %s."),
                                e->bridge,
                                operstate ? operstate : "?", joined, port_list);
  }
  lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
}

/* dnsmasq's options from its command line: --name=value, --name value, -X value, -Xvalue. */
static void
lab_check_network_dnsmasq_option_values (GPtrArray  *args,
                                         const char *long_name,
                                         char        short_name,
                                         GPtrArray  *values)
{
  g_autofree char *prefix = g_strdup_printf ("--%s=", long_name);
  g_autofree char *bare = g_strdup_printf ("--%s", long_name);

  for (guint i = 0; i < args->len; i++)
    {
      const char *arg = g_ptr_array_index (args, i);
      const char *next = i + 1 < args->len ? g_ptr_array_index (args, i + 1) : NULL;

      if (g_str_has_prefix (arg, prefix))
        g_ptr_array_add (values, g_strdup (arg + strlen (prefix)));
      else if (g_str_equal (arg, bare) && next != NULL)
        g_ptr_array_add (values, g_strdup (next));
      else if (arg[0] == '-' && arg[1] == short_name && arg[2] != '\0')
        g_ptr_array_add (values, g_strdup (arg + 2));
      else if (arg[0] == '-' && arg[1] == short_name && arg[2] == '\0' && next != NULL)
        g_ptr_array_add (values, g_strdup (next));
    }
}

/* "conf FILE key=value" lines: the values of @key. */
static void
lab_check_network_dnsmasq_conf_values (GPtrArray  *conf,
                                       const char *key,
                                       GPtrArray  *values)
{
  for (guint i = 0; i < conf->len; i++)
    {
      const char *line = g_ptr_array_index (conf, i);
      const char *setting = strchr (line, ' ');
      g_auto(GStrv) kv = NULL;

      if (setting == NULL)
        continue;
      kv = g_strsplit (setting + 1, "=", 2);
      if (kv[0] == NULL || kv[1] == NULL)
        continue;
      g_strstrip (kv[0]);
      if (g_str_equal (kv[0], key))
        {
          g_auto(GStrv) list = g_strsplit (g_strstrip (kv[1]), ",", -1);

          /* interface=a,b is a list; dhcp-range's commas belong to one range */
          if (g_str_equal (key, "dhcp-range"))
            g_ptr_array_add (values, g_strdup (kv[1]));
          else
            for (guint j = 0; list[j] != NULL; j++)
              g_ptr_array_add (values, g_strstrip (g_strdup (list[j])));
        }
    }
}

static gboolean
lab_check_network_contains (GPtrArray  *values,
                            const char *value)
{
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (g_ptr_array_index (values, i), value))
      return TRUE;
  return FALSE;
}

/* Is a UDP socket bound to port 67 (DHCP server) in dom0's network namespace? */
static gboolean
lab_check_network_dhcp_port_open (const char *udp)
{
  g_auto(GStrv) lines = NULL;

  if (udp == NULL)
    return FALSE;
  lines = g_strsplit (udp, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      guint f = 0;
      const char *local = NULL;

      /* "sl local_address rem_address st ...": the second non-empty field */
      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0' && ++f == 2)
          {
            local = fields[j];
            break;
          }
      if (local != NULL && g_str_has_suffix (local, ":0043"))
        return TRUE;
    }
  return FALSE;
}

void
_lab_check_evaluate_dnsmasq (const LabCheckEvidence *e,
                             LabCheckResult         *result)
{
  const char *section = _lab_check_root_section (e, "dnsmasq");
  g_autoptr(GPtrArray) pids = NULL;
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GPtrArray) conf = NULL;
  g_autoptr(GPtrArray) interfaces = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) excluded = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ranges = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) conf_files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *evidence = NULL;
  g_autofree char *where = NULL;
  const char *restart = "sudo systemctl restart dnsmasq";

  if (!_lab_check_need_root (e, result))
    return;

  pids = _lab_check_values_of (section, "pid");
  if (pids->len == 0)
    {
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED,
                            _("No dnsmasq process runs in dom0, so no domain gets a DHCP "
                              "lease."),
                            _("Start dnsmasq (and enable it at boot)."),
                            "sudo systemctl enable --now dnsmasq");
      return;
    }

  args = _lab_check_values_of (section, "arg");
  /* the files named by --conf-file, which dnsmasq read */
  conf = _lab_check_values_of (section, "conf");
  lab_check_network_dnsmasq_option_values (args, "conf-file", 'C', conf_files);
  lab_check_network_dnsmasq_option_values (args, "interface", 'i', interfaces);
  lab_check_network_dnsmasq_option_values (args, "except-interface", 'I', excluded);
  lab_check_network_dnsmasq_option_values (args, "dhcp-range", 'F', ranges);
  /* With its own --conf-file, dnsmasq does not read /etc/dnsmasq.conf (nor its conf-dir). */
  if (conf_files->len == 0)
    {
      g_autoptr(GPtrArray) defaults = _lab_check_values_of (section, "defconf");

      g_ptr_array_extend_and_steal (conf, g_steal_pointer (&defaults));
    }
  lab_check_network_dnsmasq_conf_values (conf, "interface", interfaces);
  lab_check_network_dnsmasq_conf_values (conf, "except-interface", excluded);
  lab_check_network_dnsmasq_conf_values (conf, "no-dhcp-interface", excluded);
  lab_check_network_dnsmasq_conf_values (conf, "dhcp-range", ranges);

  if (ranges->len == 0)
    {
      evidence = g_strdup_printf (_("dnsmasq runs (process %s) but has no dhcp-range: it "
                                    "answers no DHCP request."),
                                  (char *) g_ptr_array_index (pids, 0));
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Add interface=br0 and dhcp-range=192.168.56.150,"
                              "192.168.56.200,1h to /etc/dnsmasq.conf, then restart "
                              "dnsmasq."), restart);
      return;
    }
  if (lab_check_network_contains (excluded, e->bridge)
      || (interfaces->len > 0 && !lab_check_network_contains (interfaces, e->bridge)))
    {
      g_ptr_array_add (interfaces, NULL);
      where = interfaces->len > 1 ? g_strjoinv (", ", (char **) interfaces->pdata)
                                  : g_strdup (_("none"));
      evidence = g_strdup_printf (_("dnsmasq (process %s) serves DHCP on: %s; not on %s."),
                                  (char *) g_ptr_array_index (pids, 0), where, e->bridge);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Set interface=br0 in /etc/dnsmasq.conf (and remove br0 from "
                              "except-interface), then restart dnsmasq."), restart);
      return;
    }
  if (!lab_check_network_dhcp_port_open (_lab_check_root_section (e, "udp")))
    {
      evidence = g_strdup_printf (_("dnsmasq runs (process %s) but no socket listens on the "
                                    "DHCP port 67 in dom0."),
                                  (char *) g_ptr_array_index (pids, 0));
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Look at dnsmasq's log (journalctl -u dnsmasq) for the reason "
                              "and restart it."), restart);
      return;
    }
  evidence = g_strdup_printf (_("dnsmasq runs (process %s) on %s with dhcp-range %s and "
                                "listens on port 67."),
                              (char *) g_ptr_array_index (pids, 0),
                              interfaces->len > 0 ? e->bridge : _("every interface"),
                              (char *) g_ptr_array_index (ranges, 0));
  lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
}

static GPtrArray *
lab_check_network_parse_leases (const LabCheckEvidence *e,
                                char                  **error_text)
{
  int status;
  g_autofree char *text = _lab_check_section_with_status (_lab_check_root_section (e, "leases"),
                                                          &status);
  GPtrArray *leases = NULL;

  *error_text = NULL;
  /* no lease file set: the script printed nothing for it */
  if (text == NULL || e->leases_path == NULL || *e->leases_path == '\0')
    return NULL;
  if (status != 0)
    {
      *error_text = g_strstrip (g_steal_pointer (&text));
      return NULL;
    }
  lab_lease_file_parse (text, strlen (text), &leases, NULL);
  return leases;
}

GHashTable *
lab_check_evidence_leased_ips (const LabCheckEvidence *evidence)
{
  GHashTable *ips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *error_text = NULL;
  g_autoptr(GPtrArray) leases = lab_check_network_parse_leases (evidence, &error_text);

  for (guint i = 0; leases != NULL && i < evidence->domains->len; i++)
    {
      LabCheckDomain *domain = g_ptr_array_index (evidence->domains, i);

      for (guint m = 0; domain->macs[m] != NULL; m++)
        {
          LabLease *lease = lab_lease_find_for_mac (leases, domain->macs[m], evidence->now);

          if (lease != NULL)
            {
              g_hash_table_replace (ips, g_strdup (domain->name), g_strdup (lease->ip));
              break;
            }
        }
    }
  return ips;
}

void
_lab_check_evaluate_leases (const LabCheckEvidence *e,
                            LabCheckResult         *result)
{
  g_autofree char *error_text = NULL;
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GString) late = g_string_new (NULL);
  g_autoptr(GString) waiting = g_string_new (NULL);
  g_autoptr(GString) good = g_string_new (NULL);
  g_autofree char *evidence = NULL;
  guint checked = 0;

  if (!_lab_check_need_root (e, result))
    return;

  leases = lab_check_network_parse_leases (e, &error_text);
  if (leases == NULL)
    {
      evidence = error_text != NULL
                 ? g_strdup_printf (_("Could not read the lease file %s: %s"),
                                    e->leases_path, error_text)
                 : g_strdup (_("No lease file is set for this host."));
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED, evidence,
                            _("Set the lease file in the host's settings (Debian's dnsmasq "
                              "writes /var/lib/misc/dnsmasq.leases)."), NULL);
      return;
    }

  for (guint i = 0; i < e->domains->len; i++)
    {
      LabCheckDomain *domain = g_ptr_array_index (e->domains, i);
      LabLease *lease = NULL;
      const char *mac = domain->macs[0];

      if (domain->static_ip || mac == NULL)
        continue;
      checked++;
      for (guint m = 0; domain->macs[m] != NULL && lease == NULL; m++)
        lease = lab_lease_find_for_mac (leases, domain->macs[m], e->now);

      if (lease != NULL)
        g_string_append_printf (good, "%s%s (%s) → %s", good->len ? ", " : "", domain->name,
                                lease->mac, lease->ip);
      else if (domain->uptime_s >= 0 && domain->uptime_s < (gint64) e->lease_timeout_s)
        g_string_append_printf (waiting, "%s%s (%s)", waiting->len ? ", " : "",
                                domain->name, mac);
      else
        {
          g_autofree char *line = NULL;

          if (domain->uptime_s >= 0)
            {
              g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                          domain->uptime_s);

              /* Translators: "www (00:16:3e:…) has run for 45 s without a lease" */
              line = g_strdup_printf (_("%s (%s) has run for %s s without a lease"),
                                      domain->name, mac, seconds);
            }
          else
            line = g_strdup_printf (_("%s (%s) has no lease"), domain->name, mac);
          g_string_append_printf (late, "%s%s", late->len ? "; " : "", line);
        }
    }

  if (checked == 0)
    {
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED,
                            _("No running domain uses DHCP, so there is no lease to look "
                              "for. Start one and check again."), NULL, NULL);
      return;
    }
  if (late->len > 0)
    {
      evidence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s, in %s (%u lease in the file).",
                                               "%s, in %s (%u leases in the file).",
                                               leases->len),
                                  late->str, e->leases_path, leases->len);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("The domain asked for an address and nobody answered, or it "
                              "never asked. Look at the dnsmasq and bridge rows above; check "
                              "that its vif line names the bridge (vif = [ 'bridge=br0' ]) "
                              "and that it was configured with DHCP (mirage configure -t xen; "
                              "--dhcp true before mirage 4.10.5)."), NULL);
      return;
    }
  if (waiting->len > 0)
    {
      evidence = g_strdup_printf (_("Started less than %u s ago, no lease yet: %s."),
                                  e->lease_timeout_s, waiting->str);
      lab_check_result_set (result, LAB_CHECK_STATUS_WARNING, evidence,
                            _("Check again in a few seconds."), NULL);
      return;
    }
  evidence = g_strdup_printf (_("Leases in %s: %s."), e->leases_path, good->str);
  lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
}

void
_lab_check_evaluate_promisc (const LabCheckEvidence *e,
                             LabCheckResult         *result)
{
  g_autoptr(GHashTable) leased = NULL;
  g_auto(GStrv) addresses = NULL;
  g_autoptr(GString) silent = g_string_new (NULL);
  g_autoptr(GString) answered = g_string_new (NULL);
  g_autofree char *evidence = NULL;
  gboolean dom0_reached = FALSE;
  const char *dom0_address = NULL;
  const char *not_local = NULL;
  GHashTableIter iter;
  const char *name, *ip;

  if (!_lab_check_need_root (e, result))
    return;
  if (!e->direct_probes)
    {
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED,
                            _("This host's web pages are reached through SSH (host setting), "
                              "so Mirage Lab does not send packets to its domains directly."),
                            NULL, NULL);
      return;
    }
  leased = lab_check_evidence_leased_ips (e);
  if (g_hash_table_size (leased) == 0)
    {
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED,
                            _("No running domain has a DHCP lease, so there is no traffic to "
                              "look at."), NULL, NULL);
      return;
    }
  addresses = lab_check_evidence_bridge_addresses (e);
  for (guint i = 0; addresses[i] != NULL; i++)
    {
      LabCheckReach reach = GPOINTER_TO_INT (g_hash_table_lookup (e->reach, addresses[i]));

      if (reach == LAB_CHECK_REACH_YES)
        {
          dom0_reached = TRUE;
          dom0_address = addresses[i];
        }
      else if (reach == LAB_CHECK_REACH_NOT_LOCAL && not_local == NULL)
        not_local = addresses[i];
    }
  if (!dom0_reached && not_local != NULL)
    {
      evidence = g_strdup_printf (_("%s (dom0 on %s) cannot be reached directly: this "
                                    "computer has no interface on that network, so the "
                                    "packets would leave through its default route, where "
                                    "something else may answer. Nothing was sent; the "
                                    "domains are reached through dom0."), not_local,
                                  e->bridge);
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED, evidence, NULL, NULL);
      return;
    }

  g_hash_table_iter_init (&iter, leased);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &ip))
    {
      LabCheckReach reach = GPOINTER_TO_INT (g_hash_table_lookup (e->reach, ip));
      GString *list = reach == LAB_CHECK_REACH_YES ? answered : silent;

      g_string_append_printf (list, "%s%s (%s)", list->len ? ", " : "", name, ip);
    }

  if (silent->len == 0)
    {
      evidence = g_strdup_printf (_("Leased domains answer from this computer: %s."),
                                  answered->str);
      lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
      return;
    }
  if (!dom0_reached)
    {
      evidence = g_strdup_printf (_("This computer reaches neither dom0's address on %s nor "
                                    "%s: it is not on the bridge's network, so the domains "
                                    "are reached through SSH."), e->bridge, silent->str);
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED, evidence, NULL, NULL);
      return;
    }
  evidence = g_strdup_printf (_("%s got a lease from dnsmasq but does not answer from this "
                                "computer, while dom0 at %s on the same bridge does: the "
                                "promiscuous-mode symptom. In a VirtualBox VM, the host-only "
                                "adapter drops the frames for the unikernel's own MAC address "
                                "unless it allows promiscuous mode."), silent->str,
                              dom0_address);
  lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                        _("Set the VM's host-only adapter (adapter 2) to Promiscuous Mode: "
                          "Allow All, on this computer (VBoxManage controlvm for a running "
                          "VM, modifyvm --nic-promisc2 allow-all when it is off)."),
                        "VBoxManage controlvm VM nicpromisc2 allow-all");
}
