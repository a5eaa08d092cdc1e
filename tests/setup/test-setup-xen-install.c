/* test-setup-xen-install.c — the modern recipe installs Xen and the network for real
 *
 * On the real-Xen lab booted without Xen first (XENLAB_FIRST_BOOT=linux: Debian 12's kernel
 * straight from QEMU, no Xen packages, a local package mirror in /srv/mirror): the Xen step
 * installs xen-system-amd64, writes the GRUB settings, reboots; the lab boots Xen the way
 * GRUB would with those settings (DIR/boots says how), and the verify step passes with the
 * real xl. Then the network step installs ifupdown, bridge-utils and dnsmasq, writes their
 * configuration, brings br0 up and restarts dnsmasq, and a PV guest on br0 gets a lease.
 * Each step is applied twice: the second time nothing changes.
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

static LabFixture *lab;
static LabSshSession *session;
static LabSetupRecipe *recipe;
static LabSetupRunner *runner;
static GString *output;

static const LabSetupStep *
step (const char *id)
{
  return setup_test_step (recipe, id);
}

/* Applies the step; the log and the failure go to the test's messages when it fails. */
static gboolean
apply_step (const char *id,
            GError    **error)
{
  gboolean changed = FALSE;

  if (!setup_test_apply (runner, step (id), NULL, &changed, error))
    {
      const LabSetupFailure *failure = lab_setup_runner_get_failure (runner);

      g_test_message ("log:\n%s", output->str);
      if (failure != NULL)
        g_test_message ("failed: %s\n%s", failure->meaning, failure->output);
      return FALSE;
    }
  return changed;
}

static void
on_output (LabSetupRunner *r,
           const char     *text,
           gpointer        user_data)
{
  g_string_append (output, text);
}

static char *
last_boot (void)
{
  g_autofree char *path = g_build_filename (lab_fixture_dir (lab), "boots", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  lines = g_strsplit (g_strstrip (text), "\n", -1);
  n = g_strv_length (lines);
  return g_strdup (n > 0 ? lines[n - 1] : "");
}

static void
test_xen (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) back = NULL;
  g_autoptr(GAsyncResult) verified = NULL;
  g_autofree char *boot = last_boot ();
  g_autofree char *out = NULL;

  g_assert_cmpstr (boot, ==, "linux");
  g_assert_false (setup_test_check (runner, step ("xen")));
  /* Installs from the mirror, writes GRUB's settings and reboots. */
  g_assert_true (apply_step ("xen", &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (output->str, "The host is rebooting."));
  lab_setup_runner_wait_for_host_async (runner, 40, 5000, NULL, lab_test_result_cb, &back);
  g_assert_true (lab_setup_runner_wait_for_host_finish (runner, lab_test_wait_result (&back, 0),
                                                        &error));
  g_assert_no_error (error);
  lab_setup_runner_verify_async (runner, step ("xen"), NULL, lab_test_result_cb, &verified);
  g_assert_true (lab_setup_runner_verify_finish (runner, lab_test_wait_result (&verified, 0),
                                                 &error));
  g_assert_no_error (error);

  /* Booted the way GRUB would with what the step wrote. */
  g_free (boot);
  boot = last_boot ();
  g_test_message ("boot: %s", boot);
  g_assert_true (g_str_has_prefix (boot, "xen "));
  g_assert_nonnull (strstr (boot, "dom0_mem=1024M,max:1024M"));
  out = lab_test_root_sh (lab, "grep -c '^GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,"
                               "max:1024M\"$\\|^XEN_OVERRIDE_GRUB_DEFAULT=1$' "
                               "/etc/default/grub.d/xen.cfg; grep -c '^autoballoon=\"off\"$' "
                               "/etc/xen/xl.conf; cat /sys/hypervisor/type");
  g_assert_cmpstr (out, ==, "2\n1\nxen\n");

  /* Twice: done, nothing changes, no second reboot. */
  g_string_truncate (output, 0);
  g_assert_true (setup_test_check (runner, step ("xen")));
  g_assert_false (apply_step ("xen", &error));
  g_assert_no_error (error);
  g_assert_null (strstr (output->str, "rebooting"));
}

static void
test_network (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 deadline;

  /* dom0 in QEMU has no host-only adapter: the bridge has no port, guests use it alone. */
  lab_setup_runner_set_variable (runner, "nic", "none");
  g_assert_false (setup_test_check (runner, step ("network")));
  g_string_truncate (output, 0);
  g_assert_true (apply_step ("network", &error));
  g_assert_no_error (error);
  out = lab_test_root_sh (lab, "dpkg-query -W -f='${Status}\\n' ifupdown bridge-utils "
                               "dnsmasq | sort -u; "
                               "ifquery br0 | grep -c '^bridge[-_]ports: none$'; "
                               "cat /sys/class/net/br0/bridge/stp_state; "
                               "ip -o -4 addr show dev br0 | grep -c ' inet 192.168.56.5/24 '");
  g_assert_cmpstr (out, ==, "install ok installed\n1\n0\n1\n");

  /* A guest on br0 gets its address from this dnsmasq. */
  g_free (lab_test_root_sh (lab, "rm -f /var/lib/misc/dnsmasq.leases.test; xl create "
                                 "/home/mirage/unikernels/guest.xl >/dev/null 2>&1"));
  deadline = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;
  for (;;)
    {
      g_free (out);
      out = lab_test_root_sh (lab, "cat /var/lib/misc/dnsmasq.leases 2>/dev/null || true");
      if (strstr (out, " 192.168.56.") != NULL || g_get_monotonic_time () > deadline)
        break;
      g_usleep (2 * G_USEC_PER_SEC);
    }
  g_test_message ("leases: %s", out);
  g_assert_nonnull (strstr (out, " 00:16:3e:"));
  g_free (lab_test_root_sh (lab, "xl destroy guest || true"));

  g_assert_true (setup_test_check (runner, step ("network")));
  g_assert_false (apply_step ("network", &error));
  g_assert_no_error (error);
}

/* The optional steps on the same dom0: avahi-daemon from the mirror, and the sudoers rule for
 * xl that Debian's own visudo checks. */
static void
test_avahi_and_sudoers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_false (setup_test_check (runner, step ("avahi")));
  g_assert_true (apply_step ("avahi", &error));
  g_assert_no_error (error);
  g_assert_true (setup_test_check (runner, step ("avahi")));

  g_assert_true (apply_step ("sudoers", &error));
  g_assert_no_error (error);
  out = lab_test_root_sh (lab, "stat -c %a /etc/sudoers.d/mirage-lab-xl; "
                               "tail -n 1 /etc/sudoers.d/mirage-lab-xl; visudo -c >/dev/null "
                               "&& echo valid");
  g_assert_cmpstr (out, ==, "440\nmirage ALL=(root) NOPASSWD: /usr/sbin/xl\nvalid\n");
  g_assert_false (apply_step ("sudoers", &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  int status;

  lab_test_init (&argc, &argv);
  recipe = setup_test_load_recipe ("modern");

  if (g_strcmp0 (lab_fixture_kind (), "xen") != 0)
    {
      g_test_skip ("needs the real-Xen lab (MIRAGE_LAB_KIND=xen): installing Xen and "
                   "rebooting into it cannot happen in the fast lab");
      return g_test_run ();
    }
  if (!lab_fixture_available (&reason))
    {
      lab_fixture_skip_or_fail (reason);
      return g_test_run ();
    }
  g_setenv ("XENLAB_FIRST_BOOT", "linux", TRUE);
  session = setup_test_lab_up ("nopasswd", &lab);
  g_assert_cmpstr (lab_fixture_get (lab, "LAB_FIRST_BOOT"), ==, "linux");
  runner = lab_setup_runner_new (session);
  output = g_string_new (NULL);
  g_signal_connect (runner, "output", G_CALLBACK (on_output), NULL);

  g_test_add_func ("/setup-xen-install/xen", test_xen);
  g_test_add_func ("/setup-xen-install/network", test_network);
  g_test_add_func ("/setup-xen-install/avahi-and-sudoers", test_avahi_and_sudoers);
  status = g_test_run ();

  g_clear_object (&runner);
  g_string_free (output, TRUE);
  lab_ssh_session_close (session);
  g_clear_object (&session);
  g_clear_object (&recipe);
  lab_fixture_down (lab);
  return status;
}
