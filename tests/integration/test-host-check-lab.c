/* test-host-check-lab.c — "Check this host" against a dom0 lab, every row provoked
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The healthy run works on both labs (suite lab; suite xen with MIRAGE_LAB_KIND=xen). The
 * provocations use the fast lab's knobs (tests/lab/README.md: `mlab service`, `mlab
 * hypervisor`, `mlab promisc`, the xl stand-in's virt_caps file, the NAT adapter for taking
 * br0 away) and are skipped, with the reason, on the real-Xen lab.
 */

#include <string.h>

#include "lab-core.h"
#include "lab-app-util.h"
#include "xen/lab-host-check.h"

#define SAMPLE_NAME "guest"

/* An opam 2 installation as the build user would have it, reduced to what the check and a
 * build use: `opam env`, `opam switch show`, `opam exec`, one switch "mirage" with mirage in
 * it. opam itself in ~/.local/bin (where its install script may put it). */
#define OPAM_STANDIN \
  "#!/bin/sh\n" \
  "# opam stand-in for test-host-check-lab: one switch, \"mirage\"\n" \
  "prefix=\"$HOME/.opam/mirage\"\n" \
  "case \"$1\" in\n" \
  "  env) printf \"OPAM_SWITCH_PREFIX='%s'; export OPAM_SWITCH_PREFIX;\\n" \
  "PATH='%s/bin:%s'; export PATH;\\n\" \"$prefix\" \"$prefix\" \"$PATH\" ;;\n" \
  "  switch) echo mirage ;;\n" \
  "  exec) shift; [ \"$1\" = -- ] && shift\n" \
  "        OPAM_SWITCH_PREFIX=\"$prefix\" PATH=\"$prefix/bin:$PATH\" exec \"$@\" ;;\n" \
  "  *) echo \"opam stand-in: $1 is not implemented\" >&2; exit 2 ;;\n" \
  "esac\n"
#define BASHRC_LOADED \
  "export PATH=\"$HOME/.local/bin:$PATH\"\n" \
  "eval \"$(opam env)\"\n" \
  "# If not running interactively, don't do anything\n" \
  "case $- in *i*) ;; *) return;; esac\n"
/* opam init's shell setup in ~/.profile only: SSH commands never read it. */
#define BASHRC_NOT_LOADED \
  "export PATH=\"$HOME/.local/bin:$PATH\"\n" \
  "# If not running interactively, don't do anything\n" \
  "case $- in *i*) ;; *) return;; esac\n"

#define NEEDS_FAST_LAB "provoking failures needs the fast lab's knobs (tests/lab/README.md)"

static void
dom0_sh (LabFixture *lab,
         const char *script)
{
  g_free (lab_test_root_sh (lab, script));
}

static void
install_opam (LabFixture *lab)
{
  lab_app_write_user_file (lab, "/home/mirage/.local/bin/opam", OPAM_STANDIN);
  lab_app_write_user_file (lab, "/home/mirage/.opam/mirage/bin/mirage",
                           "#!/bin/sh\necho 4.11.1\n");
  dom0_sh (lab, "chmod 755 /home/mirage/.local/bin/opam /home/mirage/.opam/mirage/bin/mirage");
  lab_app_write_user_file (lab, "/home/mirage/.bashrc", BASHRC_LOADED);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = lab_host_check_run_finish (LAB_HOST_CHECK (source), result, &wait->error);
  wait->done = TRUE;
}

static LabHostCheck *
check_new (LabFixture        *lab,
           LabHostConnection *conn)
{
  LabHostCheck *check = lab_host_check_new ();
  LabHost *host = lab_host_connection_get_host (conn);

  lab_host_check_set_leases_path (check, lab_fixture_get (lab, "LAB_LEASES"));
  lab_host_check_set_direct_probes (check, !lab_host_get_web_through_ssh (host));
  return check;
}

static void
run_check (LabHostCheck      *check,
           LabHostConnection *conn)
{
  Wait wait = { 0 };
  GListModel *results = lab_host_check_get_results (check);

  lab_host_check_run_async (check, lab_host_connection_get_session (conn),
                            lab_host_connection_get_domains (conn), NULL, run_cb, &wait);
  g_assert_true (lab_host_check_get_running (check));
  g_assert_true (lab_test_wait_flag (&wait.done, 90000));
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_false (lab_host_check_get_running (check));
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(LabCheckResult) result = g_list_model_get_item (results, i);

      g_test_message ("%-14s %-8s %s | %s | %s", lab_check_result_get_id (result),
                      lab_check_status_to_string (lab_check_result_get_status (result)),
                      lab_check_result_get_evidence (result),
                      lab_check_result_get_fix (result),
                      lab_check_result_get_fix_command (result));
      g_assert_cmpint (lab_check_result_get_status (result), !=, LAB_CHECK_STATUS_PENDING);
    }
}

static void
assert_row (LabHostCheck   *check,
            const char     *id,
            LabCheckStatus  status,
            const char     *in_evidence,
            const char     *in_fix_command)
{
  LabCheckResult *result = lab_host_check_lookup (check, id);

  g_assert_nonnull (result);
  g_assert_cmpstr (lab_check_status_to_string (lab_check_result_get_status (result)), ==,
                   lab_check_status_to_string (status));
  if (in_evidence != NULL)
    {
      if (strstr (lab_check_result_get_evidence (result), in_evidence) == NULL)
        g_test_message ("%s: “%s” not in “%s”", id, in_evidence,
                        lab_check_result_get_evidence (result));
      g_assert_nonnull (strstr (lab_check_result_get_evidence (result), in_evidence));
    }
  if (status == LAB_CHECK_STATUS_FAILED)
    g_assert_nonnull (lab_check_result_get_fix (result));
  if (in_fix_command != NULL)
    g_assert_nonnull (strstr (lab_check_result_get_fix_command (result), in_fix_command));
}

/* Running, and the MAC and IP the connection shows are those of the domain now running
 * (`xl network-list`) and of its lease: a domain started again keeps showing its previous
 * MAC and address until the next polls. */
typedef struct
{
  LabFixture *lab;
  LabDomain  *domain;
} LeaseWait;

static gboolean
has_current_lease (gpointer user_data)
{
  LeaseWait *wait = user_data;
  LabFixture *lab = wait->lab;
  LabDomain *data = wait->domain;
  const char * const *macs = lab_domain_get_macs (data);
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *quoted_leases = NULL;
  g_autofree char *quoted_name = NULL;
  g_autofree char *expected = NULL;
  int status = -1;

  if (lab_domain_get_running (data) && macs != NULL && macs[0] != NULL
      && lab_domain_get_ip (data) != NULL)
    {
      quoted_leases = g_shell_quote (lab_fixture_get (lab, "LAB_LEASES"));
      quoted_name = g_shell_quote (lab_domain_get_name (data));
      script = g_strdup_printf ("mac=$(xl network-list %s | awk 'NR == 2 { print $3 }') && "
                                "ip=$(grep -i -F \"$mac\" %s | cut -d' ' -f3) && "
                                "echo \"$mac $ip\"", quoted_name, quoted_leases);
      expected = g_strdup_printf ("%s %s", macs[0], lab_domain_get_ip (data));
      if (lab_fixture_exec_sh (lab, script, &out, &status, NULL) && status == 0 && out != NULL
          && g_ascii_strcasecmp (g_strstrip (out), expected) == 0)
        return TRUE;
    }
  /* not yet: let the connection poll for half a second before looking again */
  lab_test_run_for (500);
  return FALSE;
}

static gboolean
up_for_4_s (gpointer data)
{
  const char * const *macs = lab_domain_get_macs (data);

  return lab_domain_get_running (data) && macs != NULL && macs[0] != NULL
         && lab_domain_get_uptime (data) >= 4;
}

/* The NAT connection has settled: connected, or failed (which the assertion after the
 * wait reports). */
static gboolean
connected (gpointer data)
{
  LabHostConnection *connection = data;
  LabConnectionState state = lab_host_connection_get_state (connection);

  return state == LAB_CONNECTION_STATE_CONNECTED || state == LAB_CONNECTION_STATE_FAILED;
}

static LabDomain *
start_domain (LabFixture        *lab,
              LabHostConnection *connection,
              const char        *name,
              gboolean           wait_lease)
{
  /* the store's own domain: lab_app_wait_domain() gives no reference */
  LabDomain *domain = lab_app_wait_domain (connection, name, 60);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (domain);
  if (!lab_domain_get_running (domain))
    {
      error = lab_app_run_action (connection, domain, LAB_DOMAIN_ACTION_START);
      g_assert_no_error (error);
    }
  if (wait_lease)
    g_assert_true (lab_test_wait_for (has_current_lease, &(LeaseWait) { lab, domain }, 300000));
  return g_object_ref (domain);
}

static void
test_not_connected (void)
{
  g_autoptr(LabHostCheck) check = lab_host_check_new ();
  Wait wait = { 0 };

  lab_host_check_run_async (check, NULL, NULL, NULL, run_cb, &wait);
  g_assert_true (lab_test_wait_flag (&wait.done, 5000));
  g_assert_false (wait.ok);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_clear_error (&wait.error);
}

static void
test_healthy (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  g_autoptr(LabHostCheck) check = NULL;
  g_autoptr(LabDomain) guest = NULL;
  gboolean fast;

  fast = g_strcmp0 (lab_fixture_get (lab, "LAB_KIND"), "fast") == 0;
  install_opam (lab);
  guest = start_domain (lab, connection, SAMPLE_NAME, TRUE);
  /* the configs are searched for on the first poll and read then */
  g_assert_nonnull (lab_app_wait_domain (connection, "pvh", 60));

  check = check_new (lab, connection);
  run_check (check, connection);

  if (fast)   /* no xenfs in the fast lab: procfs cannot be given a /proc/xen */
    assert_row (check, LAB_CHECK_XEN, LAB_CHECK_STATUS_OK, "/proc/xen is not mounted", NULL);
  else
    assert_row (check, LAB_CHECK_XEN, LAB_CHECK_STATUS_OK, "control_d", NULL);
  assert_row (check, LAB_CHECK_XENSTORED, LAB_CHECK_STATUS_OK, "xenstored is running", NULL);
  assert_row (check, LAB_CHECK_XENCONSOLED, LAB_CHECK_STATUS_OK, "xenconsoled is running",
              NULL);
  assert_row (check, LAB_CHECK_BRIDGE, LAB_CHECK_STATUS_OK, "192.168.56.5", NULL);
  assert_row (check, LAB_CHECK_DNSMASQ, LAB_CHECK_STATUS_OK, "on br0 with dhcp-range "
              "192.168.56.150,192.168.56.200", NULL);
  assert_row (check, LAB_CHECK_LEASES, LAB_CHECK_STATUS_OK, lab_domain_get_ip (guest), NULL);
  if (fast)
    assert_row (check, LAB_CHECK_PROMISC, LAB_CHECK_STATUS_OK, lab_domain_get_ip (guest),
                NULL);
  else   /* the real-Xen lab's bridge is inside QEMU: reached through SSH only */
    assert_row (check, LAB_CHECK_PROMISC, LAB_CHECK_STATUS_SKIPPED, "through SSH", NULL);
  assert_row (check, LAB_CHECK_OPAM, LAB_CHECK_STATUS_OK, "/home/mirage/.opam/mirage/bin/"
              "mirage", NULL);
  /* Both labs ship the 2015 recipe's classic.xl: a correct finding on Xen 4.17 */
  assert_row (check, LAB_CHECK_LEGACY_BUILDER, LAB_CHECK_STATUS_FAILED, "classic", "type = "
              "'pv'");
  /* The real-Xen lab's QEMU exposes nested SVM with NPT: hvm and hap (fixture xl-info) */
  assert_row (check, LAB_CHECK_PVH, LAB_CHECK_STATUS_OK, "hvm hap", NULL);

  lab_app_destroy_domain (connection, guest);
}

/* As the setup wizard runs it: its own session, no domain store. */
static void
test_session_only (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  g_autoptr(LabHostCheck) check = NULL;
  Wait wait = { 0 };

  check = lab_host_check_new ();
  lab_host_check_set_leases_path (check, lab_fixture_get (fixture->lab, "LAB_LEASES"));
  lab_host_check_run_async (check, lab_host_connection_get_session (connection), NULL, NULL,
                            run_cb, &wait);
  g_assert_true (lab_test_wait_flag (&wait.done, 90000));
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  assert_row (check, LAB_CHECK_XEN, LAB_CHECK_STATUS_OK, NULL, NULL);
  assert_row (check, LAB_CHECK_BRIDGE, LAB_CHECK_STATUS_OK, NULL, NULL);
  assert_row (check, LAB_CHECK_DNSMASQ, LAB_CHECK_STATUS_OK, NULL, NULL);
  assert_row (check, LAB_CHECK_PVH, LAB_CHECK_STATUS_OK, NULL, NULL);
  /* nothing known about domains or configs: not judged, or nothing found */
  assert_row (check, LAB_CHECK_LEASES, LAB_CHECK_STATUS_SKIPPED, NULL, NULL);
  assert_row (check, LAB_CHECK_PROMISC, LAB_CHECK_STATUS_SKIPPED, NULL, NULL);
  assert_row (check, LAB_CHECK_LEGACY_BUILDER, LAB_CHECK_STATUS_OK, "None of the 0 configs",
              NULL);
}

/* The provocations: each breaks something with the fast lab's knobs, runs the check and
 * reads its rows. They need those knobs, so on the real-Xen lab they are skipped (with the
 * reason) before anything is made. */
typedef struct
{
  LabFixture        *lab;
  LabHostConnection *connection;
  LabHostCheck      *check;
} Provoked;

typedef struct
{
  void (*provoke) (Provoked *p);
} Provocation;

static void
test_provoked (LabTestFixture *fixture)
{
  const Provocation *provocation = fixture->data;
  g_autoptr(LabHostCheck) check = NULL;
  Provoked p = { fixture->lab, fixture->connection, NULL };

  if (!lab_test_needs_fast_lab (fixture->lab, NEEDS_FAST_LAB))
    return;
  check = check_new (fixture->lab, fixture->connection);
  p.check = check;
  provocation->provoke (&p);
}

/* One knob turned: the row it breaks fails with the evidence and the fix named, another
 * row is judged as given, and the knob is turned back. */
typedef struct
{
  const char     *knob[3];
  const char     *knob_back[3];
  const char     *row;
  const char     *in_evidence;
  const char     *in_fix_command;
  const char     *other_row;
  LabCheckStatus  other_status;
} Breakage;

static void
provoke (Provoked       *p,
         const Breakage *breakage)
{
  lab_test_lab_command (p->lab, breakage->knob[0], breakage->knob[1], breakage->knob[2]);
  run_check (p->check, p->connection);
  assert_row (p->check, breakage->row, LAB_CHECK_STATUS_FAILED, breakage->in_evidence,
              breakage->in_fix_command);
  assert_row (p->check, breakage->other_row, breakage->other_status, NULL, NULL);
  lab_test_lab_command (p->lab, breakage->knob_back[0], breakage->knob_back[1],
                        breakage->knob_back[2]);
}

static const Breakage xenconsoled_stopped = {
  { "service", "stop", "xenconsoled" }, { "service", "start", "xenconsoled" },
  LAB_CHECK_XENCONSOLED, "No process called xenconsoled", "/etc/init.d/xen start",
  LAB_CHECK_XENSTORED, LAB_CHECK_STATUS_OK,
};

static const Breakage xenstored_stopped = {
  { "service", "stop", "oxenstored" }, { "service", "start", "oxenstored" },
  LAB_CHECK_XENSTORED, "No process called oxenstored or xenstored", "/etc/init.d/xen start",
  LAB_CHECK_XENCONSOLED, LAB_CHECK_STATUS_OK,
};

static const Breakage no_hypervisor = {
  { "hypervisor", "none", NULL }, { "hypervisor", "xen", NULL },
  LAB_CHECK_XEN, "/sys/hypervisor/type does not exist", "xen-system-amd64",
  LAB_CHECK_XENSTORED, LAB_CHECK_STATUS_SKIPPED,
};

static void
provoke_xen_daemons (Provoked *p)
{
  provoke (p, &xenconsoled_stopped);
  provoke (p, &xenstored_stopped);

  run_check (p->check, p->connection);
  assert_row (p->check, LAB_CHECK_XENSTORED, LAB_CHECK_STATUS_OK, NULL, NULL);
  assert_row (p->check, LAB_CHECK_XENCONSOLED, LAB_CHECK_STATUS_OK, NULL, NULL);
}

static void
provoke_not_xen (Provoked *p)
{
  provoke (p, &no_hypervisor);

  run_check (p->check, p->connection);
  assert_row (p->check, LAB_CHECK_XEN, LAB_CHECK_STATUS_OK, NULL, NULL);
}

static void
provoke_no_pvh (Provoked *p)
{
  /* a CPU without VT-x/AMD-V as seen by Xen (VirtualBox without nested virtualisation) */
  dom0_sh (p->lab, "printf ' pv gnttab-v1 gnttab-v2\\n' > /run/xl-standin/virt_caps");
  run_check (p->check, p->connection);
  assert_row (p->check, LAB_CHECK_PVH, LAB_CHECK_STATUS_FAILED, "virt_caps is “pv gnttab-v1 "
              "gnttab-v2”, without hvm", "--nested-hw-virt on");
  dom0_sh (p->lab, "rm /run/xl-standin/virt_caps");
}

static void
provoke_dhcp (Provoked *p)
{
  g_autoptr(LabDomain) guest = NULL;
  LabCheckResult *leases;

  lab_host_check_set_lease_timeout (p->check, 3);

  lab_test_lab_command (p->lab, "service", "stop", "dnsmasq");
  run_check (p->check, p->connection);
  assert_row (p->check, LAB_CHECK_DNSMASQ, LAB_CHECK_STATUS_FAILED, "No dnsmasq process",
              "dnsmasq");

  /* a domain started while nobody serves DHCP: no lease N seconds after its start */
  guest = start_domain (p->lab, p->connection, SAMPLE_NAME, FALSE);
  g_assert_true (lab_test_wait_for (up_for_4_s, guest, 60000));
  run_check (p->check, p->connection);
  leases = lab_host_check_lookup (p->check, LAB_CHECK_LEASES);
  g_assert_cmpint (lab_check_result_get_status (leases), ==, LAB_CHECK_STATUS_FAILED);
  g_assert_nonnull (strstr (lab_check_result_get_evidence (leases), SAMPLE_NAME " (00:16:3e:"));
  g_assert_nonnull (strstr (lab_check_result_get_evidence (leases), "without a lease"));

  lab_test_lab_command (p->lab, "service", "start", "dnsmasq");
  g_assert_true (lab_test_wait_for (has_current_lease, &(LeaseWait) { p->lab, guest }, 60000));
  run_check (p->check, p->connection);
  assert_row (p->check, LAB_CHECK_DNSMASQ, LAB_CHECK_STATUS_OK, NULL, NULL);
  assert_row (p->check, LAB_CHECK_LEASES, LAB_CHECK_STATUS_OK, lab_domain_get_ip (guest), NULL);
  lab_app_destroy_domain (p->connection, guest);
}

static void
provoke_promisc (Provoked *p)
{
  g_autoptr(LabDomain) guest = start_domain (p->lab, p->connection, SAMPLE_NAME, TRUE);
  g_autofree char *expected = NULL;

  /* VBoxManage controlvm VM nicpromisc2 deny, as modelled by the fast lab */
  lab_test_lab_command (p->lab, "promisc", "deny", NULL);
  run_check (p->check, p->connection);
  expected = g_strdup_printf ("%s (%s) got a lease from dnsmasq but does not answer from "
                              "this computer, while dom0 at 192.168.56.5", SAMPLE_NAME,
                              lab_domain_get_ip (guest));
  assert_row (p->check, LAB_CHECK_PROMISC, LAB_CHECK_STATUS_FAILED, expected,
              "nicpromisc2 allow-all");
  /* the lease itself is fine: that is the symptom */
  assert_row (p->check, LAB_CHECK_LEASES, LAB_CHECK_STATUS_OK, NULL, NULL);
  lab_test_lab_command (p->lab, "promisc", "allow-all", NULL);

  run_check (p->check, p->connection);
  if (lab_check_result_get_status (lab_host_check_lookup (p->check, LAB_CHECK_PROMISC))
      != LAB_CHECK_STATUS_OK)
    {
      g_autofree char *neigh = NULL;

      g_spawn_command_line_sync ("sh -c 'ip neigh; ip -n mlab-dom0 -d link show master br0'",
                                 &neigh, NULL, NULL, NULL);
      g_test_message ("after allow-all: %s", neigh);
    }
  assert_row (p->check, LAB_CHECK_PROMISC, LAB_CHECK_STATUS_OK, lab_domain_get_ip (guest),
              NULL);
  lab_app_destroy_domain (p->connection, guest);
}

static void
provoke_opam_not_loaded (Provoked *p)
{
  install_opam (p->lab);
  lab_app_write_user_file (p->lab, "/home/mirage/.bashrc", BASHRC_NOT_LOADED);
  lab_app_write_user_file (p->lab, "/home/mirage/.profile",
                           "test -r ~/.opam/opam-init/init.sh && . ~/.opam/opam-init/init.sh"
                           " > /dev/null 2> /dev/null || true\n");
  run_check (p->check, p->connection);
  assert_row (p->check, LAB_CHECK_OPAM, LAB_CHECK_STATUS_FAILED, "The opam environment is not "
              "loaded for mirage: mirage is in switch mirage "
              "(/home/mirage/.opam/mirage/bin/mirage)", "opam env");
  assert_row (p->check, LAB_CHECK_OPAM, LAB_CHECK_STATUS_FAILED, "SSH commands do not read "
              "login files", NULL);

  dom0_sh (p->lab, "rm -r /home/mirage/.opam /home/mirage/.local/bin/opam");
  run_check (p->check, p->connection);
  assert_row (p->check, LAB_CHECK_OPAM, LAB_CHECK_STATUS_FAILED, "opam is not installed for "
              "mirage", "apt-get install -y opam");
  install_opam (p->lab);
}

/* In the order they run, after the healthy runs and before the bridge. */
static const struct
{
  const char  *path;
  Provocation  provocation;
} provocations[] = {
  { "/host-check/xen-daemons", { provoke_xen_daemons } },
  { "/host-check/not-xen", { provoke_not_xen } },
  { "/host-check/no-pvh", { provoke_no_pvh } },
  { "/host-check/dhcp", { provoke_dhcp } },
  { "/host-check/promisc", { provoke_promisc } },
  { "/host-check/opam-not-loaded", { provoke_opam_not_loaded } },
};

/* Last: takes br0 away (and puts it back as mlab made it), looking over the NAT adapter. */
static void
test_bridge (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(LabHostCheck) check = NULL;
  g_autoptr(LabHost) host = NULL;
  g_autoptr(LabHostConnection) nat = NULL;
  g_autofree char *known = NULL;
  g_autofree char *known_path = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts",
                                                  NULL);
  g_autoptr(GRegex) host_field = g_regex_new ("^192\\.168\\.56\\.5 ", G_REGEX_MULTILINE, 0,
                                              NULL);
  g_autofree char *nat_known = NULL;
  g_autoptr(GError) error = NULL;

  if (!lab_test_needs_fast_lab (lab, NEEDS_FAST_LAB))
    return;

  /* The same host keys under the NAT address (ssh's known_hosts is per address). */
  g_assert_true (g_file_get_contents (known_path, &known, NULL, &error));
  nat_known = g_regex_replace_literal (host_field, known, -1, 0, "10.0.2.15 ", 0, &error);
  g_assert_no_error (error);
  {
    g_autofree char *both = g_strconcat (known, nat_known, NULL);

    g_assert_true (g_file_set_contents (known_path, both, -1, &error));
  }
  host = lab_app_host_new (lab, NULL);
  lab_host_set_address (host, lab_fixture_get (lab, "LAB_NAT_HOST"));
  nat = lab_host_connection_new (host);
  lab_host_connection_connect (nat);
  g_assert_true (lab_test_wait_for (connected, nat, 60000));
  g_assert_cmpint (lab_host_connection_get_state (nat), ==, LAB_CONNECTION_STATE_CONNECTED);
  check = check_new (lab, nat);

  dom0_sh (lab, "ip link set br0 down");
  run_check (check, nat);
  assert_row (check, LAB_CHECK_BRIDGE, LAB_CHECK_STATUS_FAILED, "br0 is down", "ip link set "
              "br0 up");

  dom0_sh (lab, "ip link del br0");
  run_check (check, nat);
  assert_row (check, LAB_CHECK_BRIDGE, LAB_CHECK_STATUS_FAILED, "/sys/class/net/br0 does not "
              "exist", "ip link add br0 type bridge");

  /* back as mlab up made it; dnsmasq (bind-dynamic) serves the new br0 */
  dom0_sh (lab, "ip link add br0 type bridge stp_state 0 forward_delay 0 && "
                "ip link set enp0s8 master br0 up && ip addr add 192.168.56.5/24 dev br0 && "
                "ip link set br0 up");
  lab_test_lab_command (lab, "service", "start", "dnsmasq");
  run_check (check, nat);
  assert_row (check, LAB_CHECK_BRIDGE, LAB_CHECK_STATUS_OK, "192.168.56.5", NULL);
  assert_row (check, LAB_CHECK_DNSMASQ, LAB_CHECK_STATUS_OK, NULL, NULL);
  lab_host_connection_disconnect (nat);
}

int
main (int   argc,
      char *argv[])
{
  lab_app_init (&argc, &argv);

  g_test_add_func ("/host-check/not-connected", test_not_connected);
  lab_app_add ("/host-check/healthy", NULL, test_healthy);
  lab_app_add ("/host-check/session-only", NULL, test_session_only);
  for (guint i = 0; i < G_N_ELEMENTS (provocations); i++)
    lab_app_add (provocations[i].path, &provocations[i].provocation, test_provoked);
  lab_app_add ("/host-check/bridge", NULL, test_bridge);

  return lab_test_run ();
}
