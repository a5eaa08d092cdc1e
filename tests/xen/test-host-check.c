/* test-host-check.c — the evidence parsing and the verdicts of "Check this host"
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inputs are real Xen 4.17 captures (tests/fixtures/xen-4.17: `xl info`, the dnsmasq lease
 * file) inside the sections the root script prints; the script itself is run here with sh to
 * prove it parses and prints every section. The same rows are provoked on a lab in
 * tests/integration/test-host-check-lab.c.
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "xen/lab-check-evidence.h"
#include "lab-test-utils.h"

static char *
fixture (const char *name)
{
  return lab_test_read_fixture ("xen-4.17", name, NULL);
}

/* The root script's output for a healthy dom0 like the real-Xen lab's. Pieces replaced by
 * the tests are passed in. */
static char *
root_output (const char *hypervisor,
             const char *capabilities,
             const char *processes,
             const char *bridge,
             const char *dnsmasq,
             const char *udp,
             const char *xl_info)
{
  g_autofree char *info = xl_info ? g_strdup (xl_info) : fixture ("xl-info.stdout");
  g_autofree char *leases = fixture ("dnsmasq-leases.stdout");

  return g_strdup_printf ("@@check:hypervisor\n%s"
                          "@@check:capabilities\n%s"
                          "@@check:processes\n%s"
                          "@@check:bridge\n%s"
                          "@@check:dnsmasq\n%s"
                          "@@check:udp\n%s"
                          "@@check:xl-info\n%s@@status %d\n"
                          "@@check:leases\n%s@@status 0\n"
                          "@@check:vifs\nvif5.0 12 20\n",
                          hypervisor ? hypervisor : "xen\n",
                          capabilities ? capabilities : "control_d\n",
                          processes ? processes : "1 init\n212 oxenstored\n230 xenconsoled\n"
                                                  "301 dnsmasq\n",
                          bridge ? bridge : "exists yes\nis-bridge yes\noperstate up\n"
                                            "flags 0x1003\nport enp0s8\nport vif5.0\n"
                                            "inet 192.168.56.5/24\n",
                          dnsmasq ? dnsmasq : "pid 301\narg /usr/sbin/dnsmasq\n"
                                              "arg -x\narg /run/dnsmasq/dnsmasq.pid\n"
                                              "arg -7\narg /etc/dnsmasq.d,.dpkg-dist\n"
                                              "defconf /etc/dnsmasq.d/mirage-lab.conf "
                                              "interface=br0\n"
                                              "defconf /etc/dnsmasq.d/mirage-lab.conf "
                                              "dhcp-range=192.168.56.150,192.168.56.200,"
                                              "255.255.255.0,12h\n",
                          udp ? udp : "   sl  local_address rem_address   st tx_queue "
                                      "rx_queue tr tm->when retrnsmt   uid  timeout inode "
                                      "ref pointer drops\n"
                                      "  345: 00000000:0043 00000000:0000 07 00000000:00000000"
                                      " 00:00000000 00000000     0        0 17102 2 "
                                      "0000000000000000 0\n",
                          info, strstr (info, "xen_major") == NULL ? 1 : 0,
                          leases);
}

static LabCheckEvidence *
healthy_evidence (void)
{
  LabCheckEvidence *e = lab_check_evidence_new ();
  g_autofree char *root = root_output (NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  const char *guest_macs[] = { "00:16:3E:77:32:3B", NULL };

  e->leases_path = g_strdup ("/var/lib/misc/dnsmasq.leases");
  e->now = 1796335000;   /* before the capture's lease expiry */
  e->root = lab_check_parse_sections (root);
  e->user = lab_check_parse_sections ("@@check:opam\nuser mirage\npath /usr/bin:/bin\n"
                                      "opam /usr/bin/opam\n"
                                      "mirage /home/mirage/.opam/mirage/bin/mirage\n"
                                      "opam-root /home/mirage/.opam\nswitch mirage\n"
                                      "switch-mirage /home/mirage/.opam/mirage/bin/mirage\n"
                                      "setup .bashrc\n");
  g_ptr_array_add (e->domains, lab_check_domain_new ("guest", guest_macs, 100, FALSE));
  e->n_configs = 3;
  g_hash_table_replace (e->reach, g_strdup ("192.168.56.5"),
                        GINT_TO_POINTER (LAB_CHECK_REACH_YES));
  g_hash_table_replace (e->reach, g_strdup ("192.168.56.179"),
                        GINT_TO_POINTER (LAB_CHECK_REACH_YES));
  return e;
}

static LabCheckResult *
evaluate (LabCheckEvidence *e,
          const char       *id)
{
  LabCheckResult *result = lab_check_result_new (id);

  lab_check_evidence_evaluate (e, result);
  g_test_message ("%s: %d: %s | %s | %s", id, lab_check_result_get_status (result),
                  lab_check_result_get_evidence (result),
                  lab_check_result_get_fix (result), lab_check_result_get_fix_command (result));
  return result;
}

static void
assert_row (LabCheckEvidence *e,
            LabCheckStatus    status,
            const char       *id,
            const char       *in_evidence,
            const char       *in_fix_command)
{
  g_autoptr(LabCheckResult) result = evaluate (e, id);

  g_assert_cmpint (lab_check_result_get_status (result), ==, status);
  g_assert_nonnull (lab_check_result_get_evidence (result));
  if (in_evidence != NULL)
    g_assert_nonnull (strstr (lab_check_result_get_evidence (result), in_evidence));
  if (status == LAB_CHECK_STATUS_FAILED)
    g_assert_nonnull (lab_check_result_get_fix (result));
  if (in_fix_command != NULL)
    {
      g_assert_nonnull (lab_check_result_get_fix_command (result));
      g_assert_nonnull (strstr (lab_check_result_get_fix_command (result), in_fix_command));
    }
}

static void
replace_root (LabCheckEvidence *e,
              char             *output)
{
  g_clear_pointer (&e->root, g_hash_table_unref);
  e->root = lab_check_parse_sections (output);
  g_free (output);
}

static void
test_sections (void)
{
  g_autoptr(GHashTable) s = lab_check_parse_sections ("noise\n@@check:a\nx\n\ny\n"
                                                      "@@check:b\n@@check:c\nz");

  g_assert_cmpuint (g_hash_table_size (s), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (s, "a"), ==, "x\n\ny\n");
  g_assert_cmpstr (g_hash_table_lookup (s, "b"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (s, "c"), ==, "z\n");
}

/* The scripts are real sh: run them here (no Xen, no br0, no opam needed). */
static void
test_scripts_run (void)
{
  const char *root_argv[] = { "sh", "-c", lab_check_root_script, "sh", "no-such-bridge0",
                              "/nonexistent/leases", NULL };
  const char *user_argv[] = { "sh", "-c", lab_check_user_script, NULL };
  const char *sections[] = { "hypervisor", "capabilities", "processes", "bridge", "dnsmasq",
                             "udp", "xl-info", "leases", "vifs", NULL };
  g_autofree char *out = NULL;
  g_autofree char *user_out = NULL;
  g_autoptr(GHashTable) parsed = NULL;
  g_autoptr(GHashTable) user = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  char *user_line;

  g_autofree char *dir = g_dir_make_tmp ("host-check-XXXXXX", &error);
  g_autofree char *fake = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *conf_arg = NULL;
  g_autofree char *expected = NULL;
  const char *fake_argv[] = { NULL, NULL, NULL };
  GPid fake_pid;

  /* A process called dnsmasq (a shell script of that name keeps it as its process name)
   * with its own --conf-file, as the real-Xen lab starts it. */
  g_assert_no_error (error);
  fake = g_build_filename (dir, "dnsmasq", NULL);
  conf = g_build_filename (dir, "lab.conf", NULL);
  g_assert_true (g_file_set_contents (fake, "#!/bin/sh\nwhile :; do sleep 1; done\n", -1, NULL));
  g_assert_true (g_chmod (fake, 0755) == 0);
  g_assert_true (g_file_set_contents (conf, "# lab\ninterface=br9\ndhcp-range=10.9.0.10,"
                                      "10.9.0.20\nport=0\n", -1, NULL));
  conf_arg = g_strconcat ("--conf-file=", conf, NULL);
  fake_argv[0] = fake;
  fake_argv[1] = conf_arg;
  g_assert_true (g_spawn_async (NULL, (char **) fake_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                                G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &fake_pid, &error));
  g_assert_no_error (error);
  g_usleep (200 * 1000);

  g_assert_true (g_spawn_sync (NULL, (char **) root_argv, NULL, G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                               &error));
  kill (fake_pid, SIGTERM);
  waitpid (fake_pid, NULL, 0);
  g_spawn_close_pid (fake_pid);
  g_unlink (conf);
  g_unlink (fake);
  g_rmdir (dir);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  parsed = lab_check_parse_sections (out);
  expected = g_strdup_printf ("arg %s\nconf %s interface=br9\nconf %s dhcp-range=10.9.0.10,"
                              "10.9.0.20\n", conf_arg, conf, conf);
  if (strstr (g_hash_table_lookup (parsed, "dnsmasq"), expected) == NULL)
    g_test_message ("dnsmasq section: %s", (char *) g_hash_table_lookup (parsed, "dnsmasq"));
  g_assert_nonnull (strstr (g_hash_table_lookup (parsed, "dnsmasq"), expected));
  for (guint i = 0; sections[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (parsed, sections[i]));
  g_assert_cmpstr (g_hash_table_lookup (parsed, "bridge"), ==, "exists no\n");
  g_assert_nonnull (strstr (g_hash_table_lookup (parsed, "leases"), "@@status "));
  g_assert_null (strstr (g_hash_table_lookup (parsed, "leases"), "@@status 0"));
  /* This process is listed under its own name. */
  g_assert_nonnull (strstr (g_hash_table_lookup (parsed, "processes"), " test-host-check"));

  g_assert_true (g_spawn_sync (NULL, (char **) user_argv, NULL, G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &user_out, NULL,
                               &status, &error));
  g_assert_no_error (error);
  user = lab_check_parse_sections (user_out);
  user_line = strstr (g_hash_table_lookup (user, "opam"), "user ");
  g_assert_nonnull (user_line);
  g_assert_nonnull (strstr (g_hash_table_lookup (user, "opam"), "path "));
}

static void
test_healthy (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();

  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_XEN, "control_d", NULL);
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_XENSTORED, "oxenstored is running (process "
              "212)", NULL);
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_XENCONSOLED, "process 230", NULL);
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_BRIDGE, "192.168.56.5", NULL);
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_DNSMASQ,
              "192.168.56.150,192.168.56.200,255.255.255.0,12h", NULL);
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_LEASES, "guest (00:16:3e:77:32:3b) → "
              "192.168.56.179", NULL);
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_PROMISC, "guest (192.168.56.179)", NULL);
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_OPAM, "/home/mirage/.opam/mirage/bin/mirage",
              NULL);
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_LEGACY_BUILDER, "3 configs", NULL);
  /* The real-Xen lab's CPU (QEMU with nested SVM + NPT) */
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_PVH, "pv hvm hap gnttab-v1 gnttab-v2", NULL);
}

static void
test_not_xen (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();

  replace_root (e, root_output ("@@missing\n", "@@missing\n", NULL, NULL, NULL, NULL,
                                "ERROR:  Can't find hypervisor information in sysfs!\n"));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_XEN, "/sys/hypervisor/type does not "
              "exist", "xen-system-amd64");
  /* Xen's daemons cannot run without Xen: not judged */
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_XENSTORED, NULL, NULL);
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_PVH, "Can't find hypervisor", NULL);

  replace_root (e, root_output ("kvm\n", NULL, NULL, NULL, NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_XEN, "“kvm”", NULL);

  /* A Xen guest (domU): xenfs says so */
  replace_root (e, root_output (NULL, "\n", NULL, NULL, NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_XEN, "not dom0", NULL);

  /* dom0 without xenfs mounted (the fast lab): xl does not need it */
  replace_root (e, root_output (NULL, "@@missing\n", NULL, NULL, NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_XEN, "/proc/xen is not mounted", NULL);
}

static void
test_daemons (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();

  replace_root (e, root_output (NULL, NULL, "1 init\n212 oxenstored\n301 dnsmasq\n",
                                NULL, NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_XENSTORED, NULL, NULL);
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_XENCONSOLED, "No process called "
              "xenconsoled", "/etc/init.d/xen start");

  /* the C xenstored counts as well */
  replace_root (e, root_output (NULL, NULL, "1 init\n7 xenstored\n8 xenconsoled\n",
                                NULL, NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_XENSTORED, "xenstored is running", NULL);

  replace_root (e, root_output (NULL, NULL, "1 init\n8 xenconsoled\n99 xenstoredx\n",
                                NULL, NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_XENSTORED, "oxenstored or xenstored",
              "/etc/init.d/xen start");
}

static void
test_bridge (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();

  replace_root (e, root_output (NULL, NULL, NULL, "exists no\n", NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_BRIDGE, "/sys/class/net/br0 does not "
              "exist", "ip link add br0 type bridge");
  /* the fix command is for a shell: an odd name is quoted there */
  g_free (e->bridge);
  e->bridge = g_strdup ("br 0;x");
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_BRIDGE, NULL, "ip link add 'br 0;x' type "
              "bridge && sudo ip link set 'br 0;x' up");
  g_free (e->bridge);
  e->bridge = g_strdup ("br0");

  replace_root (e, root_output (NULL, NULL, NULL, "exists yes\nis-bridge yes\n"
                                "operstate down\nflags 0x1002\nport enp0s8\n"
                                "inet 192.168.56.5/24\n", NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_BRIDGE, "br0 is down (flags 0x1002, "
              "state down); ports: enp0s8", "ip link set br0 up");

  replace_root (e, root_output (NULL, NULL, NULL, "exists yes\nis-bridge no\n"
                                "operstate up\nflags 0x1003\n", NULL, NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_BRIDGE, "not a bridge", NULL);

  replace_root (e, root_output (NULL, NULL, NULL, "exists yes\nis-bridge yes\n"
                                "operstate up\nflags 0x1003\nport enp0s8\n", NULL, NULL,
                                NULL));
  assert_row (e, LAB_CHECK_STATUS_WARNING, LAB_CHECK_BRIDGE, "no IPv4 address", NULL);
}

static void
test_dnsmasq (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();

  /* the fast lab's command line (--conf-file=/dev/null: the files do not count) */
  replace_root (e, root_output (NULL, NULL, NULL, NULL,
                                "pid 19\narg /usr/sbin/dnsmasq\narg --conf-file=/dev/null\n"
                                "arg --interface=br0\narg --bind-interfaces\n"
                                "arg --dhcp-range=192.168.56.150,192.168.56.200,1h\n"
                                "defconf /etc/dnsmasq.conf interface=eth0\n", NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_DNSMASQ, "process 19) on br0 with dhcp-range "
              "192.168.56.150,192.168.56.200,1h", NULL);

  /* the real-Xen lab's dnsmasq: its own --conf-file, read by the script */
  replace_root (e, root_output (NULL, NULL, NULL, NULL,
                                "pid 145\narg dnsmasq\n"
                                "arg --conf-file=/etc/dnsmasq.d/mirage-lab.conf\n"
                                "conf /etc/dnsmasq.d/mirage-lab.conf interface=br0\n"
                                "conf /etc/dnsmasq.d/mirage-lab.conf dhcp-range=192.168.56.150,"
                                "192.168.56.200,255.255.255.0,12h\n"
                                "defconf /etc/dnsmasq.d/mirage-lab.conf interface=br0\n",
                                NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_DNSMASQ, "process 145) on br0 with dhcp-range "
              "192.168.56.150,192.168.56.200,255.255.255.0,12h", NULL);

  replace_root (e, root_output (NULL, NULL, "1 init\n212 oxenstored\n", NULL,
                                "defconf /etc/dnsmasq.conf interface=br0\n", NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_DNSMASQ, "No dnsmasq process",
              "systemctl enable --now dnsmasq");

  replace_root (e, root_output (NULL, NULL, NULL, NULL,
                                "pid 301\narg /usr/sbin/dnsmasq\n"
                                "defconf /etc/dnsmasq.conf interface=eth1,lo\n"
                                "defconf /etc/dnsmasq.conf dhcp-range=10.0.0.10,10.0.0.20\n",
                                NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_DNSMASQ, "serves DHCP on: eth1, lo; not "
              "on br0", "restart dnsmasq");

  replace_root (e, root_output (NULL, NULL, NULL, NULL,
                                "pid 301\narg /usr/sbin/dnsmasq\narg -i\narg br0\n",
                                NULL, NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_DNSMASQ, "no dhcp-range", NULL);

  replace_root (e, root_output (NULL, NULL, NULL, NULL, NULL,
                                "   sl  local_address rem_address   st\n"
                                "  345: 00000000:0035 00000000:0000 07 00000000:00000000\n",
                                NULL));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_DNSMASQ, "port 67", NULL);
}

static void
test_leases (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();
  const char *macs[] = { "00:16:3e:00:00:99", NULL };
  const char *static_macs[] = { "00:16:3e:00:00:98", NULL };

  /* booted with --ipv4=: no lease expected */
  g_ptr_array_add (e->domains, lab_check_domain_new ("static", static_macs, 500, TRUE));
  assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_LEASES, NULL, NULL);

  g_ptr_array_add (e->domains, lab_check_domain_new ("www", macs, 5, FALSE));
  assert_row (e, LAB_CHECK_STATUS_WARNING, LAB_CHECK_LEASES, "www (00:16:3e:00:00:99)", NULL);

  g_ptr_array_remove_index (e->domains, e->domains->len - 1);
  g_ptr_array_add (e->domains, lab_check_domain_new ("www", macs, 45, FALSE));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_LEASES, "www (00:16:3e:00:00:99) has run "
              "for 45 s without a lease", NULL);

  /* the capture's leases have expired by now */
  g_ptr_array_set_size (e->domains, 1);
  e->now = 1796335700;
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_LEASES, "guest (00:16:3e:77:32:3b)", NULL);

  g_ptr_array_set_size (e->domains, 0);
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_LEASES, NULL, NULL);
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_PROMISC, NULL, NULL);

  replace_root (e, g_strdup ("@@check:leases\ncat: /var/lib/misc/dnsmasq.leases: No such "
                             "file or directory\n@@status 1\n"));
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_LEASES, "No such file", NULL);

  g_clear_pointer (&e->leases_path, g_free);
  replace_root (e, g_strdup ("@@check:leases\n@@check:vifs\n"));
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_LEASES, "No lease file is set", NULL);
}

static void
test_promisc (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();

  g_hash_table_replace (e->reach, g_strdup ("192.168.56.179"),
                        GINT_TO_POINTER (LAB_CHECK_REACH_NO));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_PROMISC, "guest (192.168.56.179) got a "
              "lease from dnsmasq but does not answer from this computer, while dom0 at "
              "192.168.56.5", "nicpromisc2 allow-all");

  /* not on the bridge's network at all: nothing to conclude */
  g_hash_table_replace (e->reach, g_strdup ("192.168.56.5"),
                        GINT_TO_POINTER (LAB_CHECK_REACH_NO));
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_PROMISC, NULL, NULL);

  /* dom0's bridge is on no link of this computer: nothing was sent, and the row says why */
  g_hash_table_replace (e->reach, g_strdup ("192.168.56.5"),
                        GINT_TO_POINTER (LAB_CHECK_REACH_NOT_LOCAL));
  g_hash_table_replace (e->reach, g_strdup ("192.168.56.179"),
                        GINT_TO_POINTER (LAB_CHECK_REACH_NOT_LOCAL));
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_PROMISC, "192.168.56.5 (dom0 on br0) "
              "cannot be reached directly: this computer has no interface on that network",
              NULL);

  e->direct_probes = FALSE;
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_PROMISC, "through SSH", NULL);
}

static void
set_user (LabCheckEvidence *e,
          const char       *section)
{
  g_autofree char *text = g_strconcat ("@@check:opam\n", section, NULL);

  g_clear_pointer (&e->user, g_hash_table_unref);
  e->user = lab_check_parse_sections (text);
}

static void
test_opam (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();

  set_user (e, "user mirage\npath /usr/local/bin:/usr/bin:/bin\n");
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_OPAM, "opam is not installed for mirage",
              "apt-get install -y opam");

  set_user (e, "user mirage\npath /usr/bin:/bin\nopam /usr/bin/opam\n"
            "opam-file /usr/bin/opam\n");
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_OPAM, "never run opam init",
              "opam init -y --bare");

  /* opam init's shell setup went to ~/.profile: SSH commands do not read it */
  set_user (e, "user mirage\npath /usr/bin:/bin\nopam /usr/bin/opam\n"
            "opam-root /home/mirage/.opam\nswitch mirage\n"
            "switch-mirage /home/mirage/.opam/mirage/bin/mirage\nsetup .profile\n");
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_OPAM, "not loaded for mirage: mirage is "
              "in switch mirage (/home/mirage/.opam/mirage/bin/mirage)", "opam env");

  set_user (e, "user mirage\npath /usr/bin:/bin\nopam-root /home/mirage/.opam\n"
            "opam-file /home/mirage/.local/bin/opam\n");
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_OPAM, "/home/mirage/.local/bin/opam", NULL);

  set_user (e, "user mirage\npath /usr/bin:/bin\nopam /usr/bin/opam\n"
            "opam-root /home/mirage/.opam\nswitch default\n");
  assert_row (e, LAB_CHECK_STATUS_WARNING, LAB_CHECK_OPAM, "switch default",
              "opam install -y mirage");

  g_clear_pointer (&e->user, g_hash_table_unref);
  e->user_error = g_strdup ("Connection lost");
  assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_OPAM, "Connection lost", NULL);
}

static void
test_legacy_builder (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();

  g_ptr_array_add (e->legacy_configs, g_strdup ("/home/mirage/it's/www.xl"));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_LEGACY_BUILDER, "Xen 4.17 rejects it",
              "type = 'pv'/\" '/home/mirage/it'\\''s/www.xl'");

  /* Xen 4.4 (the 2015 recipe) still knows builder='linux' */
  {
    g_autofree char *info = fixture ("xl-info.stdout");
    g_autofree char *old = NULL;
    char *minor = strstr (info, "xen_minor              : 17");

    g_assert_nonnull (minor);
    memcpy (minor + strlen ("xen_minor              : "), "4 ", 2);
    old = root_output (NULL, NULL, NULL, NULL, NULL, NULL, info);
    replace_root (e, g_steal_pointer (&old));
    assert_row (e, LAB_CHECK_STATUS_OK, LAB_CHECK_LEGACY_BUILDER, "Xen 4.4 still accepts",
                NULL);
  }
}

static void
test_pvh (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();
  g_autofree char *info = fixture ("xl-info.stdout");
  g_autofree char *no_hvm = NULL;
  g_autofree char *no_hap = NULL;
  GRegex *caps = g_regex_new ("virt_caps *: [^\n]*", 0, 0, NULL);

  no_hvm = g_regex_replace_literal (caps, info, -1, 0, "virt_caps              : pv", 0,
                                    NULL);
  no_hap = g_regex_replace_literal (caps, info, -1, 0,
                                    "virt_caps              : pv hvm gnttab-v1", 0, NULL);
  g_regex_unref (caps);

  replace_root (e, root_output (NULL, NULL, NULL, NULL, NULL, NULL, no_hvm));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_PVH, "virt_caps is “pv”, without hvm",
              "--nested-hw-virt on");
  replace_root (e, root_output (NULL, NULL, NULL, NULL, NULL, NULL, no_hap));
  assert_row (e, LAB_CHECK_STATUS_FAILED, LAB_CHECK_PVH, "hvm without hap",
              "--nested-paging on");

  /* xl as non-root (the real capture): nothing to judge */
  {
    g_autofree char *nonroot = fixture ("xl-list-nonroot.stderr");

    replace_root (e, root_output (NULL, NULL, NULL, NULL, NULL, NULL, nonroot));
    assert_row (e, LAB_CHECK_STATUS_SKIPPED, LAB_CHECK_PVH, "xencall: error", NULL);
  }
}

static void
test_no_root (void)
{
  g_autoptr(LabCheckEvidence) e = healthy_evidence ();
  const char * const *ids = lab_check_result_all_ids ();

  g_clear_pointer (&e->root, g_hash_table_unref);
  e->root_error = g_strdup ("sudo: a password is required");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(LabCheckResult) result = evaluate (e, ids[i]);

      if (g_str_equal (ids[i], LAB_CHECK_OPAM))
        g_assert_cmpint (lab_check_result_get_status (result), ==, LAB_CHECK_STATUS_OK);
      else if (g_str_equal (ids[i], LAB_CHECK_LEGACY_BUILDER))
        g_assert_cmpint (lab_check_result_get_status (result), ==, LAB_CHECK_STATUS_OK);
      else
        {
          g_assert_cmpint (lab_check_result_get_status (result), ==, LAB_CHECK_STATUS_SKIPPED);
          g_assert_nonnull (strstr (lab_check_result_get_evidence (result), "a password is "
                                    "required"));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/host-check/sections", test_sections);
  g_test_add_func ("/host-check/scripts-run", test_scripts_run);
  g_test_add_func ("/host-check/healthy", test_healthy);
  g_test_add_func ("/host-check/not-xen", test_not_xen);
  g_test_add_func ("/host-check/daemons", test_daemons);
  g_test_add_func ("/host-check/bridge", test_bridge);
  g_test_add_func ("/host-check/dnsmasq", test_dnsmasq);
  g_test_add_func ("/host-check/leases", test_leases);
  g_test_add_func ("/host-check/promisc", test_promisc);
  g_test_add_func ("/host-check/opam", test_opam);
  g_test_add_func ("/host-check/legacy-builder", test_legacy_builder);
  g_test_add_func ("/host-check/pvh", test_pvh);
  g_test_add_func ("/host-check/no-root", test_no_root);
  return g_test_run ();
}
