/* test-setup-recipes-lab.c — the modern recipe's dom0 steps on the fast lab (issue 10)
 *
 * Real files in dom0 (its own /etc/network, /etc/dnsmasq.d, /etc/sudoers.d), the real bridge,
 * Debian's real dnsmasq init script, real sudo and visudo. Each step: check, plan, apply
 * (which verifies), then again to prove nothing changes the second time. What needs the
 * package archive or a hypervisor that boots (installing Xen, opam) is planned here and
 * applied on the real-Xen lab (test-setup-xen-install.c).
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "lab-app-util.h"
#include "lab-test-utils.h"
#include "setup/lab-setup-runner.h"
#include "setup-test-util.h"

static LabSetupRecipe *recipe;

static const LabSetupStep *
step (const char *id)
{
  return setup_test_step (recipe, id);
}

#define IFUPDOWN_FILE "/etc/network/interfaces.d/mirage-lab-br0"
#define DNSMASQ_FILE "/etc/dnsmasq.d/mirage-lab-br0.conf"
#define SUDOERS_FILE "/etc/sudoers.d/mirage-lab-xl"

static void
on_output (LabSetupRunner *runner,
           const char     *text,
           gpointer        user_data)
{
  g_string_append (user_data, text);
}

/* What every test here works with: the lab, a runner on the program's session with what it
 * printed, and the error of the step at hand. */
typedef struct
{
  LabFixture     *lab;
  GString        *log;
  LabSetupRunner *runner;
  GError         *error;
} Run;

static Run *
run_new (LabTestFixture *fixture)
{
  Run *run = g_new0 (Run, 1);

  run->lab = fixture->lab;
  run->log = g_string_new (NULL);
  run->runner = lab_setup_runner_new (fixture->session);
  g_signal_connect (run->runner, "output", G_CALLBACK (on_output), run->log);
  return run;
}

/* In the order the tests' own g_autoptr variables were freed: error, runner, then log. */
static void
run_free (Run *run)
{
  g_clear_error (&run->error);
  g_clear_object (&run->runner);
  g_string_free (run->log, TRUE);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Applies @step, which must succeed, and asserts whether it changed anything. The flag
 * starts as the opposite, so an apply that does not set it fails the check. */
static void
assert_applies (LabSetupRunner     *runner,
                const LabSetupStep *step,
                gboolean            expect_changed)
{
  g_autoptr(GError) error = NULL;
  gboolean changed = !expect_changed;

  g_assert_true (setup_test_apply (runner, step, NULL, &changed, &error));
  g_assert_no_error (error);
  if (expect_changed)
    g_assert_true (changed);
  else
    g_assert_false (changed);
}

/* dom0 runs under Xen already: the step is done, and applying it changes nothing. */
static void
test_xen_done (LabTestFixture *fixture)
{
  g_autoptr(Run) run = run_new (fixture);

  for (guint round = 0; round < 2; round++)
    {
      g_assert_true (setup_test_check (run->runner, step ("xen")));
      assert_applies (run->runner, step ("xen"), FALSE);
      g_assert_nonnull (strstr (run->log->str, "Already done"));
      g_string_truncate (run->log, 0);
    }
}

/* Xen runs, but the CPU (or VM) gives it no HAP: the step counts as installed, yet applying
 * it verifies hvm and hap and stops here with the explanation, changing nothing, before
 * the long opam and build steps. With hap back, the same apply is "already done". */
static void
test_xen_without_hap (LabTestFixture *fixture)
{
  g_autoptr(Run) run = run_new (fixture);
  const LabSetupFailure *failure;
  gboolean changed = TRUE;

  g_free (lab_test_root_sh (run->lab, "mkdir -p /run/xl-standin && "
                                      "printf ' pv hvm gnttab-v1 gnttab-v2\\n' > "
                                      "/run/xl-standin/virt_caps"));
  g_assert_true (setup_test_check (run->runner, step ("xen")));
  g_assert_false (setup_test_apply (run->runner, step ("xen"), NULL, &changed, &run->error));
  g_assert_error (run->error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_VERIFY);
  failure = lab_setup_runner_get_failure (run->runner);
  g_assert_nonnull (failure);
  g_test_message ("%s", failure->meaning);
  g_assert_nonnull (strstr (failure->meaning, "no HAP"));
  g_assert_nonnull (strstr (failure->meaning, "--nested-paging on"));
  g_assert_nonnull (strstr (failure->meaning, "nested=1"));
  g_assert_null (strstr (run->log->str, "apt-get"));
  g_clear_error (&run->error);

  g_free (lab_test_root_sh (run->lab, "rm /run/xl-standin/virt_caps"));
  g_string_truncate (run->log, 0);
  assert_applies (run->runner, step ("xen"), FALSE);
  g_assert_nonnull (strstr (run->log->str, "Already done"));
}

/* Linux without Xen: not done, and the plan is the install, the GRUB settings and a reboot
 * (what this host does not have — GRUB, /etc/xen — is left out). Applied on the real-Xen
 * lab only: here it would install into the machine's own system. */
static void
test_xen_plan (LabTestFixture *fixture)
{
  g_autoptr(Run) run = run_new (fixture);
  g_autofree char *text = NULL;

  lab_test_lab_command (run->lab, "hypervisor", "none", NULL);
  g_assert_false (setup_test_check (run->runner, step ("xen")));
  lab_setup_runner_set_variable (run->runner, "dom0-mem", "2048M");
  text = setup_test_plan (run->runner, step ("xen"), &run->error);
  lab_test_lab_command (run->lab, "hypervisor", "xen", NULL);
  g_assert_no_error (run->error);
  g_assert_nonnull (strstr (text, "$ sudo apt-get update && sudo apt-get install -y "
                                  "xen-system-amd64\n"));
  g_assert_nonnull (strstr (text, "+++ /etc/default/grub.d/xen.cfg\n"));
  g_assert_nonnull (strstr (text, "+GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\"\n"));
  /* The second line of the same file shows as added to the first, as it will be. */
  g_assert_nonnull (strstr (text, " GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\"\n"
                                  "+XEN_OVERRIDE_GRUB_DEFAULT=1\n"));
  g_assert_nonnull (strstr (text, "$ sudo reboot"));
  g_assert_null (strstr (text, "update-grub"));
  g_assert_null (strstr (text, "autoballoon"));
  /* Planning wrote nothing. */
  g_free (lab_test_root_sh (run->lab, "test ! -e /etc/default/grub.d"));
}

/* The 2015 recipe's Xen step on a Linux without Xen: the blog's packages, then a reboot;
 * no GRUB settings (installing made Xen the default on Ubuntu 14.04). */
static void
test_classic_xen_plan (LabTestFixture *fixture)
{
  g_autoptr(LabSetupRecipe) classic = setup_test_load_recipe ("classic");
  const LabSetupStep *xen = setup_test_step (classic, "xen");
  g_autoptr(Run) run = run_new (fixture);
  g_autofree char *text = NULL;

  lab_test_lab_command (run->lab, "hypervisor", "none", NULL);
  g_assert_false (setup_test_check (run->runner, xen));
  text = setup_test_plan (run->runner, xen, &run->error);
  lab_test_lab_command (run->lab, "hypervisor", "xen", NULL);
  g_assert_no_error (run->error);
  g_assert_true (g_str_has_prefix (text, "$ sudo apt-get update && sudo apt-get install -y "
                                         "xen-hypervisor-4.4-amd64"));
  g_assert_nonnull (strstr (text, "$ sudo reboot"));
  g_assert_null (strstr (text, "grub"));
  g_assert_true (setup_test_check (run->runner, xen));
}

static char *
dnsmasq_pid (LabFixture *lab)
{
  return lab_test_root_sh (lab, "cat /run/dnsmasq/dnsmasq.pid");
}

static void
test_network (LabTestFixture *fixture)
{
  g_autoptr(Run) run = run_new (fixture);
  g_autofree char *mac = lab_test_root_sh (run->lab, "tr a-f A-F < /sys/class/net/enp0s8/address"
                                                     " | tr -d ':\\n'");
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *pid_before = dnsmasq_pid (run->lab);
  g_autofree char *pid_after = NULL;
  gboolean changed = FALSE;

  /* The MAC as VirtualBox prints it (macaddress2="080027…"): the runner finds enp0s8. */
  lab_setup_runner_set_variable (run->runner, "nic-mac", mac);
  g_free (lab_test_root_sh (run->lab, "rm -f " IFUPDOWN_FILE " " DNSMASQ_FILE
                                      "; echo 30000 > /sys/class/net/br0/bridge/ageing_time"));
  g_assert_false (setup_test_check (run->runner, step ("network")));
  g_assert_nonnull (strstr (run->log->str, "The host-only adapter is enp0s8."));

  text = setup_test_plan (run->runner, step ("network"), &run->error);
  g_assert_no_error (run->error);
  g_assert_nonnull (strstr (text, "# installed already: bridge-utils dnsmasq\n"));
  g_assert_nonnull (strstr (text, "+++ " IFUPDOWN_FILE "\n"));
  g_assert_nonnull (strstr (text, "+    bridge_ports enp0s8\n"));
  g_assert_nonnull (strstr (text, "+dhcp-range=192.168.56.150,192.168.56.200,1h\n"));
  /* Debian: no netplan file. */
  g_assert_null (strstr (text, "netplan"));

  assert_applies (run->runner, step ("network"), TRUE);
  out = lab_test_root_sh (run->lab, "cat " IFUPDOWN_FILE " " DNSMASQ_FILE
                                    "; cat /sys/class/net/br0/bridge/ageing_time "
                                    "/sys/class/net/br0/bridge/stp_state; "
                                    "basename $(readlink /sys/class/net/enp0s8/master); "
                                    "ss -Hlnup 'sport = :67' | grep -c dnsmasq");
  g_assert_cmpstr (out, ==,
                   "# Written by Mirage Lab: the bridge for unikernels on the host-only "
                   "network.\nauto br0\niface br0 inet static\n    bridge_ports enp0s8\n"
                   "    address 192.168.56.5/24\n    bridge_stp off\n    bridge_fd 0\n"
                   "    bridge_ageing 0\n"
                   "# Written by Mirage Lab: addresses for unikernels on br0.\n"
                   "interface=br0\nbind-dynamic\n"
                   "dhcp-range=192.168.56.150,192.168.56.200,1h\n0\n0\nbr0\n1\n");
  /* dnsmasq was restarted by Debian's init script, and its check accepted the files. */
  pid_after = dnsmasq_pid (run->lab);
  g_assert_cmpstr (pid_before, !=, pid_after);
  /* ifupdown reads it as it stands: the interfaces file sources interfaces.d. */
  g_free (out);
  out = lab_test_root_sh (run->lab, "ifquery --list --allow auto");
  g_assert_nonnull (strstr (out, "br0\n"));

  /* Twice: nothing changes. */
  g_string_truncate (run->log, 0);
  g_assert_true (setup_test_check (run->runner, step ("network")));
  assert_applies (run->runner, step ("network"), FALSE);
  g_free (pid_before);
  pid_before = dnsmasq_pid (run->lab);
  g_assert_cmpstr (pid_before, ==, pid_after);

  /* Another DHCP range: only the dnsmasq file changes; its backup goes where dnsmasq does
   * not read it. */
  g_assert_true (lab_setup_runner_set_network (run->runner, "br0", "192.168.56.5", 24,
                                               "192.168.56.160", "192.168.56.190", "2h",
                                               &run->error));
  g_assert_false (setup_test_check (run->runner, step ("network")));
  g_free (text);
  text = setup_test_plan (run->runner, step ("network"), &run->error);
  g_assert_no_error (run->error);
  g_assert_nonnull (strstr (text, "-dhcp-range=192.168.56.150,192.168.56.200,1h\n"
                                  "+dhcp-range=192.168.56.160,192.168.56.190,2h\n"));
  g_assert_nonnull (strstr (text, "# " IFUPDOWN_FILE ": already as it should be\n"));
  g_assert_true (setup_test_apply (run->runner, step ("network"), NULL, &changed, &run->error));
  g_assert_no_error (run->error);
  g_free (out);
  out = lab_test_root_sh (run->lab, "ls /etc/dnsmasq.d; cat /var/backups/mirage-lab" DNSMASQ_FILE
                                    ".mirage-lab.bak | grep dhcp-range");
  g_assert_cmpstr (out, ==, "mirage-fast-lab.conf\nmirage-lab-br0.conf\n"
                            "dhcp-range=192.168.56.150,192.168.56.200,1h\n");
}

/* The 2015 recipe's network step on the same dom0: its stanzas appended to
 * /etc/network/interfaces and its two lines to /etc/dnsmasq.conf, as the blog has them. */
static void
test_classic_network (LabTestFixture *fixture)
{
  g_autoptr(LabSetupRecipe) classic = setup_test_load_recipe ("classic");
  const LabSetupStep *network = setup_test_step (classic, "network");
  g_autoptr(Run) run = run_new (fixture);
  g_autofree char *before = lab_test_root_sh (run->lab, "cat /etc/network/interfaces");
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  gboolean changed = FALSE;

  lab_setup_runner_set_variable (run->runner, "nic", "enp0s8");
  g_assert_false (setup_test_check (run->runner, network));
  if (!setup_test_apply (run->runner, network, NULL, &changed, &run->error))
    g_test_message ("log:\n%s", run->log->str);
  g_assert_no_error (run->error);
  g_assert_true (changed);
  out = lab_test_root_sh (run->lab, "cat /etc/network/interfaces /etc/dnsmasq.conf");
  expected = g_strconcat (before, "\n",
                          "auto enp0s8\niface enp0s8 inet manual\n"
                          "    pre-up ifconfig $IFACE up\n    post-down ifconfig $IFACE down\n\n"
                          "auto br0\niface br0 inet static\n    bridge_ports enp0s8\n"
                          "    address 192.168.56.5\n    broadcast 192.168.56.255\n"
                          "    netmask 255.255.255.0\n"
                          "    # disable ageing (turn bridge into switch)\n"
                          "    up /sbin/brctl setageing br0 0\n    # disable stp\n"
                          "    up /sbin/brctl stp br0 off\n"
                          "interface=br0\ndhcp-range=192.168.56.150,192.168.56.200,1h\n", NULL);
  g_assert_cmpstr (out, ==, expected);
  /* The backup of /etc/network/interfaces is beside it (not a drop-in folder). */
  g_free (out);
  out = lab_test_root_sh (run->lab, "cat /etc/network/interfaces.mirage-lab.bak");
  g_assert_cmpstr (out, ==, before);

  g_assert_true (setup_test_check (run->runner, network));
  assert_applies (run->runner, network, FALSE);
}

/* An unknown adapter: a clear error naming the MAC, and nothing written. */
static void
test_network_unknown_nic (LabTestFixture *fixture)
{
  g_autoptr(Run) run = run_new (fixture);
  g_autofree char *before = lab_test_root_sh (run->lab,
                                              "ls /etc/network/interfaces.d /etc/dnsmasq.d");
  g_autofree char *after = NULL;
  gboolean changed = FALSE;

  g_free (lab_test_root_sh (run->lab, "rm -f " IFUPDOWN_FILE));
  g_free (before);
  before = lab_test_root_sh (run->lab, "ls /etc/network/interfaces.d /etc/dnsmasq.d");
  lab_setup_runner_set_variable (run->runner, "nic-mac", "0800270000FF");
  g_assert_false (setup_test_apply (run->runner, step ("network"), NULL, &changed, &run->error));
  g_assert_nonnull (run->error);
  g_assert_nonnull (strstr (run->error->message, "08:00:27:00:00:ff"));
  g_assert_nonnull (lab_setup_runner_get_failure (run->runner));
  after = lab_test_root_sh (run->lab, "ls /etc/network/interfaces.d /etc/dnsmasq.d");
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&run->error);

  /* No MAC at all (VirtualBox step skipped): the error says what to do. */
  lab_setup_runner_unset_variable (run->runner, "nic-mac");
  g_assert_false (setup_test_apply (run->runner, step ("network"), NULL, &changed, &run->error));
  g_assert_error (run->error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED);
  g_assert_nonnull (strstr (run->error->message, "host-only adapter"));
}

static void
test_sudoers (LabTestFixture *fixture)
{
  g_autoptr(Run) run = run_new (fixture);
  g_autofree char *out = NULL;
  gboolean changed = FALSE;

  g_free (lab_test_root_sh (run->lab, "rm -f " SUDOERS_FILE));
  g_assert_false (setup_test_check (run->runner, step ("sudoers")));
  /* With a name sudo cannot take, visudo refuses the rule and nothing is installed. */
  lab_setup_runner_set_variable (run->runner, "user", "mirage ALL");
  g_assert_false (setup_test_apply (run->runner, step ("sudoers"), NULL, &changed, &run->error));
  g_assert_error (run->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("refused: %s", run->error->message);
  g_free (lab_test_root_sh (run->lab, "test ! -e " SUDOERS_FILE
                                      " && ! ls -a /etc/sudoers.d | grep -q '^\\.mirage-lab'"));
  g_clear_error (&run->error);

  lab_setup_runner_set_variable (run->runner, "user", lab_fixture_get (run->lab, "LAB_USER"));
  for (guint round = 0; round < 2; round++)
    assert_applies (run->runner, step ("sudoers"), round == 0);
  out = lab_test_root_sh (run->lab, "stat -c '%a %U' " SUDOERS_FILE "; cat " SUDOERS_FILE
                                    "; visudo -c >/dev/null && echo valid");
  g_assert_cmpstr (out, ==, "440 root\n# Written by Mirage Lab: mirage may run xl without a "
                            "password.\nmirage ALL=(root) NOPASSWD: /usr/local/sbin/xl\n"
                            "valid\n");
}

/* opam and the first unikernel need the opam repository and GitHub, which this lab cannot
 * reach: the plan, what is missing, and the error when the network is not there. */
static void
test_opam_and_build (LabTestFixture *fixture)
{
  g_autoptr(Run) run = run_new (fixture);
  g_autofree char *text = NULL;
  const LabSetupFailure *failure;
  gboolean changed = FALSE;

  g_assert_false (setup_test_check (run->runner, step ("opam")));
  text = setup_test_plan (run->runner, step ("opam"), &run->error);
  g_assert_no_error (run->error);
  g_assert_nonnull (strstr (text, "opam init -y --bare"));
  g_assert_nonnull (strstr (text, "--disable-sandboxing"));
  g_assert_nonnull (strstr (text, "opam switch create -y"));
  g_assert_nonnull (strstr (text, "$ opam install -y --switch=mirage mirage\n"));
  /* opam never runs with sudo. */
  g_assert_null (strstr (text, "sudo opam"));

  /* Building needs mirage: a clear error saying which step comes first. */
  g_clear_pointer (&text, g_free);
  text = setup_test_plan (run->runner, step ("build"), &run->error);
  g_assert_null (text);
  g_assert_error (run->error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND);
  g_assert_nonnull (strstr (run->error->message, "opam and Mirage step"));
  g_clear_error (&run->error);

  /* No network: cloning fails, and the failure names what could not be reached. The URL is
   * dom0's own loopback, where nothing listens: no traffic leaves the lab. */
  lab_setup_runner_set_variable (run->runner, "skeleton-url",
                                 "https://127.0.0.1:9/mirage-skeleton");
  g_free (lab_test_root_sh (run->lab, "rm -rf /home/mirage/mirage-skeleton"));
  g_assert_false (setup_test_apply (run->runner, step ("build"), NULL, &changed, &run->error));
  g_assert_error (run->error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_COMMAND);
  failure = lab_setup_runner_get_failure (run->runner);
  g_assert_nonnull (failure);
  g_test_message ("meaning: %s\nfix: %s", failure->meaning, failure->fix_command);
  g_assert_nonnull (strstr (failure->meaning, "127.0.0.1"));
}

/* One table, in the order the tests run; sudo asks for the password in all of them, so the
 * sudoers rule is what lets xl run without. */
static const struct
{
  const char  *path;
  LabTestFunc  func;
} recipe_tests[] = {
  { "/setup-recipes-lab/xen-done", test_xen_done },
  { "/setup-recipes-lab/xen-without-hap", test_xen_without_hap },
  { "/setup-recipes-lab/xen-plan", test_xen_plan },
  { "/setup-recipes-lab/classic-xen-plan", test_classic_xen_plan },
  { "/setup-recipes-lab/network", test_network },
  { "/setup-recipes-lab/network-unknown-nic", test_network_unknown_nic },
  { "/setup-recipes-lab/classic-network", test_classic_network },
  { "/setup-recipes-lab/sudoers", test_sudoers },
  { "/setup-recipes-lab/opam-and-build", test_opam_and_build },
};

int
main (int   argc,
      char *argv[])
{
  int status;

  lab_test_init (&argc, &argv);
  recipe = setup_test_load_recipe ("modern");
  for (guint i = 0; i < G_N_ELEMENTS (recipe_tests); i++)
    setup_test_add (recipe_tests[i].path, "password", recipe_tests[i].func);
  status = lab_test_run ();

  g_clear_object (&recipe);
  return status;
}
