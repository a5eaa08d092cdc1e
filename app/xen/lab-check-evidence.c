/* lab-check-evidence.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-check-evidence"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "net/lab-lease.h"

#include "lab-check-evidence.h"

/* Sources of the facts used below: /work/shared/reference/setup-recipes.md §2.4 (dom0
 * detection as Debian's /etc/init.d/xen does it; virt_caps), §2.5 (builder= on Xen >= 4.10),
 * §3.1 (xenstored/xenconsoled started by /etc/init.d/xen), §4 (br0, dnsmasq, its lease
 * file), §5.4 (promiscuous mode), §6 (opam). */

#define MISSING "@@missing"

const char lab_check_root_script[] =
  "bridge=$1\n"
  "leases=$2\n"
  "show() { if [ -r \"$1\" ]; then cat -- \"$1\"; else echo '" MISSING "'; fi; }\n"
  "echo '@@check:hypervisor'; show /sys/hypervisor/type\n"
  "echo '@@check:capabilities'; show /proc/xen/capabilities\n"
  "echo '@@check:processes'\n"
  "for d in /proc/[0-9]*; do\n"
  "  read -r c 2>/dev/null < \"$d/comm\" && echo \"${d#/proc/} $c\"\n"
  "done\n"
  "echo '@@check:bridge'\n"
  "n=/sys/class/net/$bridge\n"
  "if [ -n \"$bridge\" ] && [ -e \"$n\" ]; then\n"
  "  echo 'exists yes'\n"
  "  if [ -d \"$n/bridge\" ]; then echo 'is-bridge yes'; else echo 'is-bridge no'; fi\n"
  "  read -r s < \"$n/operstate\" && echo \"operstate $s\"\n"
  "  read -r s < \"$n/flags\" && echo \"flags $s\"\n"
  "  for p in \"$n\"/brif/*; do [ -e \"$p\" ] && echo \"port ${p##*/}\"; done\n"
  "  ip -o -4 addr show dev \"$bridge\" 2>/dev/null |\n"
  "    while read -r _ _ _ a _; do echo \"inet $a\"; done\n"
  "else\n"
  "  echo 'exists no'\n"
  "fi\n"
  "echo '@@check:dnsmasq'\n"
  /* TAG FILE: the settings of a dnsmasq config file that decide where it serves DHCP */
  "settings() {\n"
  "  grep -E '^[[:space:]]*(interface|except-interface|no-dhcp-interface|dhcp-range)"
  "[[:space:]]*=' \"$2\" 2>/dev/null |\n"
  "    while IFS= read -r l; do printf '%s %s %s\\n' \"$1\" \"$2\" \"$l\"; done\n"
  "}\n"
  "for d in /proc/[0-9]*; do\n"
  "  read -r c 2>/dev/null < \"$d/comm\" || continue\n"
  "  [ \"$c\" = dnsmasq ] || continue\n"
  "  echo \"pid ${d#/proc/}\"\n"
  "  prev=\n"
  "  tr '\\0' '\\n' < \"$d/cmdline\" | while IFS= read -r a; do\n"
  "    echo \"arg $a\"\n"
  "    f=\n"
  "    case \"$prev\" in -C|--conf-file) f=$a ;; esac\n"
  "    case \"$a\" in --conf-file=*) f=${a#--conf-file=} ;; -C?*) f=${a#-C} ;; esac\n"
  "    [ -n \"$f\" ] && [ -f \"$f\" ] && settings conf \"$f\"\n"
  "    prev=$a\n"
  "  done\n"
  "done\n"
  /* what dnsmasq reads when its command line names no config file (Debian: and conf-dir) */
  "for f in /etc/dnsmasq.conf /etc/dnsmasq.d/*; do\n"
  "  [ -f \"$f\" ] && settings defconf \"$f\"\n"
  "done\n"
  "echo '@@check:udp'; cat /proc/net/udp\n"
  "echo '@@check:xl-info'; xl info 2>&1; echo \"@@status $?\"\n"
  "echo '@@check:leases'\n"
  /* Bounded: the path is a setting, and could lead to something endless. */
  "if [ -n \"$leases\" ]; then head -c 4194304 -- \"$leases\" 2>&1; echo \"@@status $?\"; fi\n"
  "echo '@@check:vifs'\n"
  "for v in /sys/class/net/vif*; do\n"
  "  [ -e \"$v\" ] || continue\n"
  "  read -r rx < \"$v/statistics/rx_packets\"; read -r tx < \"$v/statistics/tx_packets\"\n"
  "  echo \"${v##*/} $rx $tx\"\n"
  "done\n"
  "true\n";

const char lab_check_user_script[] =
  "echo '@@check:opam'\n"
  "echo \"user $(id -un)\"\n"
  "echo \"path $PATH\"\n"
  "p=$(command -v opam) && echo \"opam $p\"\n"
  "p=$(command -v mirage) && echo \"mirage $p\"\n"
  "[ -n \"${OPAM_SWITCH_PREFIX:-}\" ] && echo \"switch-prefix $OPAM_SWITCH_PREFIX\"\n"
  "[ -d \"$HOME/.opam\" ] && echo \"opam-root $HOME/.opam\"\n"
  "for f in /usr/bin/opam /usr/local/bin/opam \"$HOME/.local/bin/opam\" \"$HOME/bin/opam\"; do\n"
  "  [ -x \"$f\" ] && echo \"opam-file $f\"\n"
  "done\n"
  "if command -v opam >/dev/null 2>&1; then\n"
  "  s=$(opam switch show 2>/dev/null) && echo \"switch $s\"\n"
  "  m=$(opam exec -- sh -c 'command -v mirage' 2>/dev/null) && echo \"switch-mirage $m\"\n"
  "fi\n"
  "for f in .bashrc .profile .bash_profile .bash_login; do\n"
  "  [ -f \"$HOME/$f\" ] && grep -q -e 'opam env' -e 'opam-init' -e 'opam config env' "
  "\"$HOME/$f\" && echo \"setup $f\"\n"
  "done\n"
  "true\n";

GHashTable *
lab_check_parse_sections (const char *text)
{
  GHashTable *sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;
  GString *current = NULL;
  char *name = NULL;

  if (text == NULL)
    return sections;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "@@check:"))
        {
          if (name != NULL)
            g_hash_table_replace (sections, name, g_string_free (current, FALSE));
          name = g_strdup (lines[i] + strlen ("@@check:"));
          current = g_string_new (NULL);
          continue;
        }
      if (name == NULL)
        continue;
      /* The last line of the text has no newline after it: keep "" lines in between. */
      if (lines[i + 1] == NULL && *lines[i] == '\0')
        continue;
      g_string_append (current, lines[i]);
      g_string_append_c (current, '\n');
    }
  if (name != NULL)
    g_hash_table_replace (sections, name, g_string_free (current, FALSE));
  return sections;
}

LabCheckDomain *
lab_check_domain_new (const char         *name,
                      const char * const *macs,
                      gint64              uptime_s,
                      gboolean            static_ip)
{
  LabCheckDomain *domain = g_new0 (LabCheckDomain, 1);
  GPtrArray *lower = g_ptr_array_new ();

  domain->name = g_strdup (name);
  for (guint i = 0; macs != NULL && macs[i] != NULL; i++)
    g_ptr_array_add (lower, g_ascii_strdown (macs[i], -1));
  g_ptr_array_add (lower, NULL);
  domain->macs = (char **) g_ptr_array_free (lower, FALSE);
  domain->uptime_s = uptime_s;
  domain->static_ip = static_ip;
  return domain;
}

void
lab_check_domain_free (LabCheckDomain *domain)
{
  if (domain == NULL)
    return;
  g_free (domain->name);
  g_strfreev (domain->macs);
  g_free (domain);
}

LabCheckEvidence *
lab_check_evidence_new (void)
{
  LabCheckEvidence *evidence = g_new0 (LabCheckEvidence, 1);

  evidence->bridge = g_strdup ("br0");
  evidence->lease_timeout_s = 30;
  evidence->now = g_get_real_time () / G_USEC_PER_SEC;
  evidence->direct_probes = TRUE;
  evidence->domains = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_check_domain_free);
  evidence->legacy_configs = g_ptr_array_new_with_free_func (g_free);
  evidence->reach = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return evidence;
}

void
lab_check_evidence_free (LabCheckEvidence *evidence)
{
  if (evidence == NULL)
    return;
  g_free (evidence->bridge);
  g_free (evidence->leases_path);
  g_clear_pointer (&evidence->root, g_hash_table_unref);
  g_free (evidence->root_error);
  g_clear_pointer (&evidence->user, g_hash_table_unref);
  g_free (evidence->user_error);
  g_ptr_array_unref (evidence->domains);
  g_ptr_array_unref (evidence->legacy_configs);
  g_hash_table_unref (evidence->reach);
  g_free (evidence);
}

/* ---- helpers ------------------------------------------------------------------------ */

static const char *
root_section (const LabCheckEvidence *e,
              const char             *name)
{
  return e->root != NULL ? g_hash_table_lookup (e->root, name) : NULL;
}

/* The text of a section that ends in "@@status N", without that line; *status = N. */
static char *
section_with_status (const char *section,
                     int        *status)
{
  const char *mark;

  *status = -1;
  if (section == NULL)
    return NULL;
  mark = g_strrstr (section, "@@status ");
  if (mark == NULL || (mark != section && mark[-1] != '\n'))
    return g_strdup (section);
  *status = atoi (mark + strlen ("@@status "));
  return g_strndup (section, mark - section);
}

/* "key value" lines: every value of @key. */
static GPtrArray *
values_of (const char *section,
           const char *key)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  gsize key_len = strlen (key);

  if (section == NULL)
    return values;
  lines = g_strsplit (section, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == ' ')
      g_ptr_array_add (values, g_strdup (lines[i] + key_len + 1));
  return values;
}

static char *
value_of (const char *section,
          const char *key)
{
  g_autoptr(GPtrArray) values = values_of (section, key);

  return values->len > 0 ? g_strdup (g_ptr_array_index (values, 0)) : NULL;
}

/* "PID NAME" lines of the processes section: the PIDs of processes called @name. */
static GPtrArray *
pids_named (const LabCheckEvidence *e,
            const char             *name)
{
  GPtrArray *pids = g_ptr_array_new_with_free_func (g_free);
  const char *section = root_section (e, "processes");
  g_auto(GStrv) lines = NULL;

  if (section == NULL)
    return pids;
  lines = g_strsplit (section, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');

      if (space != NULL && g_str_equal (space + 1, name))
        g_ptr_array_add (pids, g_strndup (lines[i], space - lines[i]));
    }
  return pids;
}

static char *
xl_info_value (const LabCheckEvidence *e,
               const char             *key)
{
  int status;
  g_autofree char *text = section_with_status (root_section (e, "xl-info"), &status);
  g_auto(GStrv) lines = NULL;

  if (text == NULL || status != 0)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (lines[i], ":", 2);

      if (kv[0] == NULL || kv[1] == NULL)
        continue;
      g_strstrip (kv[0]);
      if (g_str_equal (kv[0], key))
        return g_strstrip (g_strdup (kv[1]));
    }
  return NULL;
}

gboolean
lab_check_evidence_xen_version (const LabCheckEvidence *evidence,
                                int                    *major,
                                int                    *minor)
{
  g_autofree char *maj = xl_info_value (evidence, "xen_major");
  g_autofree char *min = xl_info_value (evidence, "xen_minor");

  if (maj == NULL || min == NULL)
    return FALSE;
  *major = atoi (maj);
  *minor = atoi (min);
  return TRUE;
}

/* @text as one word of a shell command line to copy: as it is when plain (br0), quoted
 * otherwise. */
static char *
shell_word (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-' && *p != '/')
      return g_shell_quote (text);
  return *text != '\0' ? g_strdup (text) : g_shell_quote (text);
}

/* The root script did not run: every row that needs it says why. */
static gboolean
need_root (const LabCheckEvidence *e,
           LabCheckResult         *result)
{
  g_autofree char *evidence = NULL;

  if (e->root != NULL)
    return TRUE;
  evidence = g_strdup_printf (_("Could not look at dom0 as root: %s"),
                              e->root_error ? e->root_error : _("not connected"));
  lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED, evidence,
                        _("Mirage Lab runs these checks with sudo; make sure the host's user "
                          "may use sudo, then check again."), NULL);
  return FALSE;
}

static gboolean
booted_into_xen (const LabCheckEvidence *e)
{
  const char *type = root_section (e, "hypervisor");

  return type != NULL && g_str_equal (type, "xen\n");
}

/* ---- the checks --------------------------------------------------------------------- */

static void
evaluate_xen (const LabCheckEvidence *e,
              LabCheckResult         *result)
{
  const char *type = root_section (e, "hypervisor");
  const char *caps = root_section (e, "capabilities");
  g_autofree char *type_text = NULL;
  g_autofree char *caps_text = NULL;
  g_autofree char *evidence = NULL;
  const char *install = "sudo apt-get install xen-system-amd64 && sudo reboot";

  if (!need_root (e, result))
    return;

  type_text = type != NULL ? g_strstrip (g_strdup (type)) : g_strdup (MISSING);
  caps_text = caps != NULL ? g_strstrip (g_strdup (caps)) : g_strdup (MISSING);

  if (g_str_equal (type_text, MISSING))
    {
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED,
                            _("/sys/hypervisor/type does not exist: this Linux was not "
                              "booted by the Xen hypervisor."),
                            _("Install Xen and reboot into the “with Xen hypervisor” boot "
                              "entry (Debian and Ubuntu make it the default)."),
                            install);
      return;
    }
  if (!g_str_equal (type_text, "xen"))
    {
      evidence = g_strdup_printf (_("/sys/hypervisor/type says “%s”: this Linux runs under "
                                    "another hypervisor, not Xen."), type_text);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Install Xen in this machine and reboot into the “with Xen "
                              "hypervisor” boot entry."), install);
      return;
    }
  if (g_str_equal (caps_text, MISSING))
    {
      /* xl talks to /dev/xen/privcmd; only Debian's init script looks at /proc/xen. */
      lab_check_result_set (result, LAB_CHECK_STATUS_OK,
                            _("/sys/hypervisor/type is “xen”. /proc/xen is not mounted "
                              "(xenfs), which xl does not need."), NULL, NULL);
      return;
    }
  if (strstr (caps_text, "control_d") == NULL)
    {
      evidence = g_strdup_printf (_("/sys/hypervisor/type is “xen” but "
                                    "/proc/xen/capabilities is “%s”, without control_d: "
                                    "this is a Xen guest, not dom0."), caps_text);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Connect to dom0, the machine that runs Xen itself, not to "
                              "one of its guests."), NULL);
      return;
    }
  lab_check_result_set (result, LAB_CHECK_STATUS_OK,
                        _("/sys/hypervisor/type is “xen” and /proc/xen/capabilities says "
                          "control_d: this is dom0."), NULL, NULL);
}

static void
evaluate_daemon (const LabCheckEvidence *e,
                 LabCheckResult         *result,
                 const char * const     *names)
{
  g_autofree char *evidence = NULL;

  if (!need_root (e, result))
    return;
  if (!booted_into_xen (e))
    {
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED,
                            _("Xen's daemons only run in dom0 booted into Xen."), NULL, NULL);
      return;
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) pids = pids_named (e, names[i]);

      if (pids->len > 0)
        {
          evidence = g_strdup_printf (_("%s is running (process %s)."), names[i],
                                      (char *) g_ptr_array_index (pids, 0));
          lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
          return;
        }
    }
  if (names[1] != NULL)
    evidence = g_strdup_printf (_("No process called %s or %s runs in dom0."),
                                names[0], names[1]);
  else
    evidence = g_strdup_printf (_("No process called %s runs in dom0."), names[0]);
  lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                        g_str_equal (names[0], "xenconsoled")
                        ? _("Without xenconsoled, consoles stay empty and xl console hangs. "
                            "Start Xen's daemons again (Debian's /etc/init.d/xen starts "
                            "those that are missing).")
                        : _("Without xenstored no domain can be created or listed. Start "
                            "Xen's daemons again (Debian's /etc/init.d/xen starts those "
                            "that are missing)."),
                        "sudo /etc/init.d/xen start");
}

GStrv
lab_check_evidence_bridge_addresses (const LabCheckEvidence *evidence)
{
  g_autoptr(GPtrArray) inets = values_of (root_section (evidence, "bridge"), "inet");
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

static void
evaluate_bridge (const LabCheckEvidence *e,
                 LabCheckResult         *result)
{
  const char *section = root_section (e, "bridge");
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
  g_autofree char *quoted_bridge = shell_word (e->bridge);
  guint64 flag_bits;

  if (!need_root (e, result))
    return;

  exists = value_of (section, "exists");
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
  is_bridge = value_of (section, "is-bridge");
  if (g_strcmp0 (is_bridge, "yes") != 0)
    {
      evidence = g_strdup_printf (_("%s exists but is not a bridge (no "
                                    "/sys/class/net/%s/bridge)."), e->bridge, e->bridge);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Give the bridge another name in the vif lines, or turn this "
                              "device into a bridge in the network configuration."), NULL);
      return;
    }
  operstate = value_of (section, "operstate");
  flags = value_of (section, "flags");
  flag_bits = flags != NULL ? g_ascii_strtoull (flags, NULL, 16) : 0;
  ports = values_of (section, "port");
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
dnsmasq_option_values (GPtrArray  *args,
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
dnsmasq_conf_values (GPtrArray  *conf,
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
contains (GPtrArray  *values,
          const char *value)
{
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (g_ptr_array_index (values, i), value))
      return TRUE;
  return FALSE;
}

/* Is a UDP socket bound to port 67 (DHCP server) in dom0's network namespace? */
static gboolean
dhcp_port_open (const char *udp)
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

static void
evaluate_dnsmasq (const LabCheckEvidence *e,
                  LabCheckResult         *result)
{
  const char *section = root_section (e, "dnsmasq");
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

  if (!need_root (e, result))
    return;

  pids = values_of (section, "pid");
  if (pids->len == 0)
    {
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED,
                            _("No dnsmasq process runs in dom0, so no domain gets a DHCP "
                              "lease."),
                            _("Start dnsmasq (and enable it at boot)."),
                            "sudo systemctl enable --now dnsmasq");
      return;
    }

  args = values_of (section, "arg");
  /* the files named by --conf-file, which dnsmasq read */
  conf = values_of (section, "conf");
  dnsmasq_option_values (args, "conf-file", 'C', conf_files);
  dnsmasq_option_values (args, "interface", 'i', interfaces);
  dnsmasq_option_values (args, "except-interface", 'I', excluded);
  dnsmasq_option_values (args, "dhcp-range", 'F', ranges);
  /* With its own --conf-file, dnsmasq does not read /etc/dnsmasq.conf (nor its conf-dir). */
  if (conf_files->len == 0)
    {
      g_autoptr(GPtrArray) defaults = values_of (section, "defconf");

      g_ptr_array_extend_and_steal (conf, g_steal_pointer (&defaults));
    }
  dnsmasq_conf_values (conf, "interface", interfaces);
  dnsmasq_conf_values (conf, "except-interface", excluded);
  dnsmasq_conf_values (conf, "no-dhcp-interface", excluded);
  dnsmasq_conf_values (conf, "dhcp-range", ranges);

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
  if (contains (excluded, e->bridge)
      || (interfaces->len > 0 && !contains (interfaces, e->bridge)))
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
  if (!dhcp_port_open (root_section (e, "udp")))
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
parse_leases (const LabCheckEvidence *e,
              char                  **error_text)
{
  int status;
  g_autofree char *text = section_with_status (root_section (e, "leases"), &status);
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
  g_autoptr(GPtrArray) leases = parse_leases (evidence, &error_text);

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

static void
evaluate_leases (const LabCheckEvidence *e,
                 LabCheckResult         *result)
{
  g_autofree char *error_text = NULL;
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GString) late = g_string_new (NULL);
  g_autoptr(GString) waiting = g_string_new (NULL);
  g_autoptr(GString) good = g_string_new (NULL);
  g_autofree char *evidence = NULL;
  guint checked = 0;

  if (!need_root (e, result))
    return;

  leases = parse_leases (e, &error_text);
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

static void
evaluate_promisc (const LabCheckEvidence *e,
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

  if (!need_root (e, result))
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

static void
evaluate_opam (const LabCheckEvidence *e,
               LabCheckResult         *result)
{
  const char *section;
  g_autofree char *user = NULL;
  g_autofree char *opam = NULL;
  g_autofree char *mirage = NULL;
  g_autofree char *root = NULL;
  g_autofree char *opam_file = NULL;
  g_autofree char *switch_name = NULL;
  g_autofree char *switch_mirage = NULL;
  g_autofree char *setup = NULL;
  g_autofree char *path = NULL;
  g_autofree char *evidence = NULL;
  const char *install = "sudo apt-get install -y opam && opam init -y --bare && "
                        "opam switch create mirage 5.4.1 && opam install -y mirage";
  const char *load = "sed -i '1i eval \"$(opam env)\"' ~/.bashrc";

  if (e->user == NULL)
    {
      evidence = g_strdup_printf (_("Could not run a command as the build user: %s"),
                                  e->user_error ? e->user_error : _("not connected"));
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED, evidence, NULL, NULL);
      return;
    }
  section = g_hash_table_lookup (e->user, "opam");
  user = value_of (section, "user");
  opam = value_of (section, "opam");
  mirage = value_of (section, "mirage");
  root = value_of (section, "opam-root");
  opam_file = value_of (section, "opam-file");
  switch_name = value_of (section, "switch");
  switch_mirage = value_of (section, "switch-mirage");
  setup = value_of (section, "setup");
  path = value_of (section, "path");
  if (user == NULL)
    user = g_strdup ("?");

  if (mirage != NULL)
    {
      evidence = g_strdup_printf (_("Commands run as %s find mirage at %s (opam switch %s)."),
                                  user, mirage, switch_name ? switch_name : _("unknown"));
      lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
      return;
    }
  if (opam == NULL && root == NULL && opam_file == NULL)
    {
      evidence = g_strdup_printf (_("opam is not installed for %s: no opam on the PATH of "
                                    "its commands (%s) and no ~/.opam."), user,
                                  path ? path : "");
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Install opam as root, then as the build user (never with "
                              "sudo) initialise it and install mirage in a switch."),
                            install);
      return;
    }
  if (root == NULL)
    {
      evidence = g_strdup_printf (_("opam is installed (%s) but %s has never run opam init "
                                    "(no ~/.opam)."), opam ? opam : opam_file, user);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("As the build user (not with sudo), initialise opam and "
                              "install mirage in a switch."),
                            "opam init -y --bare && opam switch create mirage 5.4.1 && "
                            "opam install -y mirage");
      return;
    }
  if (opam != NULL && switch_mirage == NULL)
    {
      evidence = g_strdup_printf (_("opam is set up for %s (switch %s) but mirage is not "
                                    "installed in it."), user,
                                  switch_name ? switch_name : _("none"));
      lab_check_result_set (result, LAB_CHECK_STATUS_WARNING, evidence,
                            _("Install mirage in the switch."), "opam install -y mirage");
      return;
    }
  /* opam is set up, but the commands Mirage Lab runs do not see its environment. */
  if (switch_mirage != NULL)
    evidence = g_strdup_printf (_("The opam environment is not loaded for %s: mirage is in "
                                  "switch %s (%s), but commands run over SSH do not find it "
                                  "(PATH=%s). %s"), user,
                                switch_name ? switch_name : "?", switch_mirage,
                                path ? path : "",
                                setup != NULL ? _("~/.profile or another login file loads "
                                                  "opam, but SSH commands do not read login "
                                                  "files.")
                                              : _("No shell start-up file loads opam."));
  else
    evidence = g_strdup_printf (_("The opam environment is not loaded for %s: ~/.opam "
                                  "exists but opam itself (%s) is not on the PATH of its "
                                  "commands (%s)."), user,
                                opam_file ? opam_file : "?", path ? path : "");
  lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                        _("Load opam's environment at the very top of ~/.bashrc, before its "
                          "“If not running interactively” test: SSH commands read ~/.bashrc "
                          "but not ~/.profile."), load);
}

static void
evaluate_legacy_builder (const LabCheckEvidence *e,
                         LabCheckResult         *result)
{
  int major = -1, minor = -1;
  gboolean known;
  g_autofree char *list = NULL;
  g_autofree char *evidence = NULL;
  g_autofree char *command = NULL;
  g_autofree char *quoted = NULL;

  if (e->legacy_configs->len == 0)
    {
      evidence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "None of the %u config found uses builder = "
                                               "'linux'.",
                                               "None of the %u configs found uses builder = "
                                               "'linux'.", e->n_configs), e->n_configs);
      lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
      return;
    }

  {
    g_autoptr(GString) paths = g_string_new (NULL);

    for (guint i = 0; i < e->legacy_configs->len; i++)
      g_string_append_printf (paths, "%s%s", i ? ", " : "",
                              (char *) g_ptr_array_index (e->legacy_configs, i));
    list = g_string_free (g_steal_pointer (&paths), FALSE);
  }
  known = lab_check_evidence_xen_version (e, &major, &minor);

  if (known && (major < 4 || (major == 4 && minor < 10)))
    {
      evidence = g_strdup_printf (_("builder = 'linux' in %s: Xen %d.%d still "
                                    "accepts it."), list, major, minor);
      lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
      return;
    }
  if (known)
    evidence = g_strdup_printf (_("builder = 'linux' (the 2015 recipe) in %s: Xen "
                                  "%d.%d rejects it with “Invalid domain type linux.”"), list,
                                major, minor);
  else
    evidence = g_strdup_printf (_("builder = 'linux' (the 2015 recipe) in %s: every "
                                  "Xen since 4.10 rejects it with “Invalid domain type "
                                  "linux.”"), list);
  quoted = shell_word (g_ptr_array_index (e->legacy_configs, 0));
  command = g_strdup_printf ("sed -i.bak \"s/^builder *= *'linux'/type = 'pv'/\" %s", quoted);
  lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                        _("Replace builder = 'linux' with type = 'pv' (the domain's Fix button "
                          "does it, with a backup)."), command);
}

static void
evaluate_pvh (const LabCheckEvidence *e,
              LabCheckResult         *result)
{
  int status;
  g_autofree char *info = NULL;
  g_autofree char *caps = NULL;
  g_autofree char *evidence = NULL;
  g_auto(GStrv) words = NULL;

  if (!need_root (e, result))
    return;
  info = section_with_status (root_section (e, "xl-info"), &status);
  if (info == NULL || status != 0)
    {
      evidence = g_strdup_printf (_("xl info failed: %s"),
                                  info ? g_strstrip (info) : _("no output"));
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED, evidence,
                            _("Xen's capabilities are only known when xl works; see the rows "
                              "above."), NULL);
      return;
    }
  caps = xl_info_value (e, "virt_caps");
  if (caps == NULL)
    {
      lab_check_result_set (result, LAB_CHECK_STATUS_SKIPPED,
                            _("xl info printed no virt_caps line."), NULL, NULL);
      return;
    }
  words = g_strsplit_set (caps, " \t", -1);
  if (!g_strv_contains ((const char * const *) words, "hvm"))
    {
      evidence = g_strdup_printf (_("xl info: virt_caps is “%s”, without hvm: this CPU (or "
                                    "VM) offers Xen no hardware virtualisation, so PVH guests "
                                    "such as MirageOS 4 unikernels cannot start; only PV "
                                    "guests (the 2015 recipe) can."), caps);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("In VirtualBox, turn on nested VT-x/AMD-V for the VM while it "
                              "is powered off (on the host: VBoxManage modifyvm VM "
                              "--nested-hw-virt on); on real hardware, enable VT-x/AMD-V in "
                              "the firmware."),
                            "VBoxManage modifyvm VM --nested-hw-virt on");
      return;
    }
  if (!g_strv_contains ((const char * const *) words, "hap"))
    {
      evidence = g_strdup_printf (_("xl info: virt_caps is “%s”: hvm without hap. "
                                    "mirage-xen supports only hosts with HAP (EPT/NPT)."),
                                  caps);
      lab_check_result_set (result, LAB_CHECK_STATUS_WARNING, evidence,
                            _("Enable nested paging for the VM (VBoxManage modifyvm VM "
                              "--nested-paging on), or EPT/NPT in the firmware."),
                            "VBoxManage modifyvm VM --nested-paging on");
      return;
    }
  evidence = g_strdup_printf (_("xl info: virt_caps is “%s”: hvm and hap, PVH guests can "
                                "run."), caps);
  lab_check_result_set (result, LAB_CHECK_STATUS_OK, evidence, NULL, NULL);
}

void
lab_check_evidence_evaluate (const LabCheckEvidence *evidence,
                             LabCheckResult         *result)
{
  static const char * const xenstored[] = { "oxenstored", "xenstored", NULL };
  static const char * const xenconsoled[] = { "xenconsoled", NULL };
  const char *id;

  g_return_if_fail (evidence != NULL);
  g_return_if_fail (LAB_IS_CHECK_RESULT (result));

  id = lab_check_result_get_id (result);
  if (g_str_equal (id, LAB_CHECK_XEN))
    evaluate_xen (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_XENSTORED))
    evaluate_daemon (evidence, result, xenstored);
  else if (g_str_equal (id, LAB_CHECK_XENCONSOLED))
    evaluate_daemon (evidence, result, xenconsoled);
  else if (g_str_equal (id, LAB_CHECK_BRIDGE))
    evaluate_bridge (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_DNSMASQ))
    evaluate_dnsmasq (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_LEASES))
    evaluate_leases (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_PROMISC))
    evaluate_promisc (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_OPAM))
    evaluate_opam (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_LEGACY_BUILDER))
    evaluate_legacy_builder (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_PVH))
    evaluate_pvh (evidence, result);
  else
    g_return_if_reached ();
}
