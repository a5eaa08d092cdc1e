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

#include "lab-check-evidence-private.h"

/* The facts behind these checks (dom0 detected as Debian's init script for Xen does it,
 * virt_caps, builder= on Xen >= 4.10, the daemons that script starts, the bridge and
 * dnsmasq, promiscuous mode, opam) are the recipes' own: resources/recipes/README.md
 * names their sources. */

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

const char *
_lab_check_root_section (const LabCheckEvidence *e,
                         const char             *name)
{
  return e->root != NULL ? g_hash_table_lookup (e->root, name) : NULL;
}

/* The text of a section that ends in "@@status N", without that line; *status = N. */
char *
_lab_check_section_with_status (const char *section,
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
GPtrArray *
_lab_check_values_of (const char *section,
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

char *
_lab_check_value_of (const char *section,
                     const char *key)
{
  g_autoptr(GPtrArray) values = _lab_check_values_of (section, key);

  return values->len > 0 ? g_strdup (g_ptr_array_index (values, 0)) : NULL;
}

/* "PID NAME" lines of the processes section: the PIDs of processes called @name. */
static GPtrArray *
pids_named (const LabCheckEvidence *e,
            const char             *name)
{
  GPtrArray *pids = g_ptr_array_new_with_free_func (g_free);
  const char *section = _lab_check_root_section (e, "processes");
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
  g_autofree char *text = _lab_check_section_with_status (_lab_check_root_section (e, "xl-info"),
                                                          &status);
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
char *
_lab_check_shell_word (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-' && *p != '/')
      return g_shell_quote (text);
  return *text != '\0' ? g_strdup (text) : g_shell_quote (text);
}

/* The root script did not run: every row that needs it says why. */
gboolean
_lab_check_need_root (const LabCheckEvidence *e,
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
  const char *type = _lab_check_root_section (e, "hypervisor");

  return type != NULL && g_str_equal (type, "xen\n");
}

/* ---- the checks --------------------------------------------------------------------- */

static void
evaluate_xen (const LabCheckEvidence *e,
              LabCheckResult         *result)
{
  const char *type = _lab_check_root_section (e, "hypervisor");
  const char *caps = _lab_check_root_section (e, "capabilities");
  g_autofree char *type_text = NULL;
  g_autofree char *caps_text = NULL;
  g_autofree char *evidence = NULL;
  const char *install = "sudo apt-get install xen-system-amd64 && sudo reboot";

  if (!_lab_check_need_root (e, result))
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

  if (!_lab_check_need_root (e, result))
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
  user = _lab_check_value_of (section, "user");
  opam = _lab_check_value_of (section, "opam");
  mirage = _lab_check_value_of (section, "mirage");
  root = _lab_check_value_of (section, "opam-root");
  opam_file = _lab_check_value_of (section, "opam-file");
  switch_name = _lab_check_value_of (section, "switch");
  switch_mirage = _lab_check_value_of (section, "switch-mirage");
  setup = _lab_check_value_of (section, "setup");
  path = _lab_check_value_of (section, "path");
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
  quoted = _lab_check_shell_word (g_ptr_array_index (e->legacy_configs, 0));
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

  if (!_lab_check_need_root (e, result))
    return;
  info = _lab_check_section_with_status (_lab_check_root_section (e, "xl-info"), &status);
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
      /* mirage-xen builds PVH guests for HAP hosts only: without it, no unikernel runs. */
      evidence = g_strdup_printf (_("xl info: virt_caps is “%s”: hvm without hap. "
                                    "mirage-xen supports only hosts with HAP (EPT/NPT), so "
                                    "MirageOS unikernels cannot run here."),
                                  caps);
      lab_check_result_set (result, LAB_CHECK_STATUS_FAILED, evidence,
                            _("Enable nested paging for the VM while it is powered off "
                              "(VBoxManage modifyvm VM --nested-paging on); under KVM, load "
                              "kvm_intel with nested=1 ept=1 (kvm_amd with nested=1 npt=1) "
                              "and give the VM the host's CPU; on real hardware, enable "
                              "EPT/NPT in the firmware."),
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
    _lab_check_evaluate_bridge (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_DNSMASQ))
    _lab_check_evaluate_dnsmasq (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_LEASES))
    _lab_check_evaluate_leases (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_PROMISC))
    _lab_check_evaluate_promisc (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_OPAM))
    evaluate_opam (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_LEGACY_BUILDER))
    evaluate_legacy_builder (evidence, result);
  else if (g_str_equal (id, LAB_CHECK_PVH))
    evaluate_pvh (evidence, result);
  else
    g_return_if_reached ();
}
