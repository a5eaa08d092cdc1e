/* test-vbox.c — the VirtualBox setup step against the VBoxManage stand-in
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "setup/lab-vbox.h"
#include "lab-test-utils.h"

typedef struct
{
  char *dir;
  char *state;
  char *log;
  LabVbox *vbox;
  GString *output;
} Fixture;

static void
on_output (LabVbox    *vbox,
           const char *text,
           gpointer    user_data)
{
  g_string_append (user_data, text);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *standin = g_build_filename (g_getenv ("MIRAGE_LAB_SRCDIR"), "tests",
                                               "setup", "VBoxManage", NULL);

  f->dir = g_dir_make_tmp ("vbox-XXXXXX", NULL);
  f->state = g_build_filename (f->dir, "state.json", NULL);
  f->log = g_build_filename (f->dir, "calls.log", NULL);
  g_setenv ("MIRAGE_LAB_VBOXMANAGE", standin, TRUE);
  g_setenv ("VBOXMANAGE_STANDIN_STATE", f->state, TRUE);
  g_setenv ("VBOXMANAGE_STANDIN_LOG", f->log, TRUE);
  f->vbox = lab_vbox_new ();
  f->output = g_string_new (NULL);
  g_signal_connect (f->vbox, "output", G_CALLBACK (on_output), f->output);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_unref (f->vbox);
  g_string_free (f->output, TRUE);
  g_remove (f->state);
  g_remove (f->log);
  g_rmdir (f->dir);
  g_free (f->state);
  g_free (f->log);
  g_free (f->dir);
}

static void
write_state (Fixture    *f,
             const char *json)
{
  g_assert_true (g_file_set_contents (f->state, json, -1, NULL));
  g_remove (f->log);
}

/* The calls since the last take, one a line. */
static char *
take_calls (Fixture *f)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (f->log, &text, NULL, NULL))
    return g_strdup ("");
  g_remove (f->log);
  return g_steal_pointer (&text);
}

static LabVboxResult *
run_setup (Fixture    *f,
           const char *vm,
           const char *ip,
           gboolean    nested,
           gboolean    dry_run,
           GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lab_vbox_setup_async (f->vbox, vm, ip, nested, dry_run, NULL, lab_test_result_cb, &result);
  lab_test_wait_result (&result, 0);
  /* Output arrives through idles: let them run. */
  lab_test_run_pending ();
  return lab_vbox_setup_finish (f->vbox, result, error);
}

/* run_setup() for 192.168.56.1 that must work; *@calls (when given) gets the VBoxManage
 * calls it made. */
static LabVboxResult *
setup_ok (Fixture    *f,
          const char *vm,
          gboolean    nested,
          gboolean    dry_run,
          char      **calls)
{
  g_autoptr(GError) error = NULL;
  LabVboxResult *result = run_setup (f, vm, "192.168.56.1", nested, dry_run, &error);

  g_assert_no_error (error);
  if (calls != NULL)
    *calls = take_calls (f);
  return result;
}

/* With @state, a setup of @vm that must work and make the VBoxManage @calls. */
static LabVboxResult *
setup_with_calls (Fixture    *f,
                  const char *state,
                  const char *vm,
                  gboolean    nested,
                  const char *calls)
{
  LabVboxResult *result;
  g_autofree char *made = NULL;

  write_state (f, state);
  result = setup_ok (f, vm, nested, FALSE, &made);
  g_assert_cmpstr (made, ==, calls);
  return result;
}

/* A second setup finds everything done: it changes nothing, with only the VBoxManage @reads
 * (when given). */
static void
setup_again (Fixture    *f,
             const char *vm,
             const char *reads,
             gboolean    nested)
{
  g_autoptr(LabVboxResult) again = NULL;
  g_autofree char *calls = NULL;

  again = setup_ok (f, vm, nested, FALSE, reads != NULL ? &calls : NULL);

  if (reads != NULL)
    g_assert_cmpstr (calls, ==, reads);
  g_assert_cmpuint (again->n_changes, ==, 0);
}

/* With @state, a setup of @vm for @ip that must fail with @code; returns the failure. */
static const LabSetupFailure *
setup_fails (Fixture    *f,
             const char *state,
             const char *vm,
             const char *ip,
             gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabVboxResult) result = NULL;

  write_state (f, state);
  result = run_setup (f, vm, ip, TRUE, FALSE, &error);
  g_assert_null (result);
  g_assert_error (error, LAB_SETUP_ERROR, code);
  return lab_vbox_get_failure (f->vbox);
}

#define READS_LINUX \
  "--version\nlist hostinfo\nshowvminfo Xen --machinereadable\nlist hostonlyifs\n" \
  "list dhcpservers\nshowvminfo Xen\n"

static const char linux_gui_network[] =
  "{ \"os\": \"Linux\", \"nested\": true,"
  "  \"vms\": { \"Xen\": { \"uuid\": \"6f1a\", \"state\": \"poweroff\", \"nic2\": \"none\" },"
  "            \"Other VM\": { \"uuid\": \"77aa\", \"state\": \"running\" } },"
  "  \"hostonlyifs\": [ { \"name\": \"vboxnet0\", \"ip\": \"192.168.56.1\","
  "                       \"mask\": \"255.255.255.0\" } ],"
  "  \"dhcpservers\": [ { \"network\": \"HostInterfaceNetworking-vboxnet0\","
  "                       \"ip\": \"192.168.56.100\", \"lower\": \"192.168.56.101\","
  "                       \"upper\": \"192.168.56.254\", \"enabled\": true } ] }";

static void
test_linux_existing_network (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(LabVboxResult) result =
    setup_with_calls (f, linux_gui_network, "Xen", TRUE,
                      "--version\nlist hostinfo\nshowvminfo Xen --machinereadable\n"
                      "list hostonlyifs\nlist dhcpservers\n"
                      "dhcpserver modify --interface=vboxnet0 --disable\n"
                      "showvminfo Xen\n"
                      "modifyvm Xen --nic2=hostonly --host-only-adapter2=vboxnet0 "
                      "--nic-promisc2=allow-all --nested-hw-virt=on\n"
                      "startvm Xen --type=headless\n");

  g_assert_cmpstr (result->version, ==, "7.0.14r161095");
  g_assert_cmpstr (result->host_os, ==, "Linux");
  g_assert_true (result->host_nested);
  g_assert_cmpstr (result->network, ==, "vboxnet0");
  g_assert_cmpstr (result->mac2, ==, "0800274455AA");
  g_assert_false (result->dhcp_competes);
  g_assert_cmpuint (result->n_changes, ==, 3);
  /* The log shows each command as it ran. */
  g_assert_nonnull (strstr (f->output->str, "$ VBoxManage startvm Xen --type=headless\n"));
  /* The server was turned off, but one that runs goes on until VirtualBox restarts: the
   * summary says so, and how to stop it. */
  g_assert_true (result->dhcp_disabled);
  {
    g_autofree char *summary = lab_vbox_result_dup_summary (result);

    g_assert_nonnull (strstr (summary, "host-only network vboxnet0"));
    g_assert_nonnull (strstr (summary, "VBoxManage dhcpserver stop --interface=vboxnet0"));
  }

  /* Second run: only reads. */
  setup_again (f, "Xen", READS_LINUX, TRUE);
}

static void
test_linux_create_network (Fixture       *f,
                           gconstpointer  data)
{
  /* Classic recipe (PV): no nested virtualization even though the host has it. The VM name
   * has a space and a quote: one argv element each, never split. */
  g_autoptr(LabVboxResult) result =
    setup_with_calls (f, "{ \"os\": \"Linux\", \"nested\": true, \"vms\": { "
                         "\"my \\\"xen\\\"\": { \"uuid\": \"1\", \"state\": \"aborted\", "
                         "\"nic2\": \"nat\" } } }",
                      "my \"xen\"", FALSE,
                      "--version\nlist hostinfo\nshowvminfo my \"xen\" --machinereadable\n"
                      "list hostonlyifs\nhostonlyif create\n"
                      "hostonlyif ipconfig vboxnet0 --ip=192.168.56.1 --netmask=255.255.255.0\n"
                      "list dhcpservers\nshowvminfo my \"xen\"\n"
                      "modifyvm my \"xen\" --nic2=hostonly --host-only-adapter2=vboxnet0 "
                      "--nic-promisc2=allow-all\n"
                      "startvm my \"xen\" --type=headless\n");

  g_assert_cmpuint (result->n_changes, ==, 4);
  /* No DHCP server of VirtualBox's on the new network: nothing to stop, nothing said. */
  g_assert_false (result->dhcp_disabled);
  {
    g_autofree char *summary = lab_vbox_result_dup_summary (result);

    g_assert_null (strstr (summary, "dhcpserver"));
  }
  setup_again (f, "my \"xen\"", NULL, FALSE);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *calls = NULL;
  g_autoptr(LabVboxResult) result = NULL;

  write_state (f, linux_gui_network);
  g_assert_true (g_file_get_contents (f->state, &before, NULL, NULL));
  result = setup_ok (f, "Xen", TRUE, TRUE, &calls);
  g_assert_cmpstr (calls, ==, READS_LINUX);
  g_assert_cmpstr (result->plan, ==,
                   "$ VBoxManage dhcpserver modify --interface=vboxnet0 --disable\n"
                   "$ VBoxManage modifyvm Xen --nic2=hostonly --host-only-adapter2=vboxnet0 "
                   "--nic-promisc2=allow-all --nested-hw-virt=on\n"
                   "$ VBoxManage startvm Xen --type=headless\n");
  g_assert_true (g_file_get_contents (f->state, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
}

static void
test_range_refused (Fixture       *f,
                    gconstpointer  data)
{
  const LabSetupFailure *failure =
    setup_fails (f, "{ \"os\": \"Linux\", \"vms\": { \"Xen\": { \"uuid\": \"1\","
                    "  \"state\": \"poweroff\" } } }", "Xen", "10.0.0.1",
                 LAB_SETUP_ERROR_COMMAND);

  g_assert_nonnull (failure);
  g_assert_cmpstr (failure->command, ==, "VBoxManage hostonlyif ipconfig vboxnet0 "
                   "--ip=10.0.0.1 --netmask=255.255.255.0");
  g_assert_nonnull (strstr (failure->output, "E_ACCESSDENIED"));
  g_assert_nonnull (strstr (failure->meaning, "/etc/vbox/networks.conf"));
  g_assert_cmpstr (failure->fix_command, ==, failure->command);
}

static void
test_vm_running (Fixture       *f,
                 gconstpointer  data)
{
  const LabSetupFailure *failure =
    setup_fails (f, "{ \"os\": \"Linux\", \"vms\": { \"Xen\": { \"uuid\": \"1\","
                    "  \"state\": \"running\", \"nic2\": \"nat\" } },"
                    "  \"hostonlyifs\": [ { \"name\": \"vboxnet0\", \"ip\": \"192.168.56.1\","
                    "                       \"mask\": \"255.255.255.0\" } ] }",
                 "Xen", "192.168.56.1", LAB_SETUP_ERROR_VM_RUNNING);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabVboxResult) result = NULL;
  g_autoptr(GAsyncResult) shut = NULL;
  g_autofree char *calls = NULL;

  g_assert_cmpstr (failure->fix_command, ==, "VBoxManage controlvm Xen acpipowerbutton");
  g_assert_nonnull (strstr (failure->meaning, "powered off"));
  /* Nothing was changed: no modifyvm was even tried. */
  calls = take_calls (f);
  g_assert_null (strstr (calls, "modifyvm"));

  /* Offered: shut it down, then the step goes through. */
  lab_vbox_shutdown_vm_async (f->vbox, "Xen", 10, NULL, lab_test_result_cb, &shut);
  lab_test_wait_result (&shut, 0);
  g_assert_true (lab_vbox_shutdown_vm_finish (f->vbox, shut, &error));
  g_assert_no_error (error);
  g_free (calls);
  calls = take_calls (f);
  g_assert_true (g_str_has_prefix (calls, "controlvm Xen acpipowerbutton\n"
                                          "showvminfo Xen --machinereadable\n"));
  result = setup_ok (f, "Xen", TRUE, FALSE, NULL);
  g_assert_cmpuint (result->n_changes, ==, 2);
}

static void
test_no_such_vm (Fixture       *f,
                 gconstpointer  data)
{
  const LabSetupFailure *failure = setup_fails (f, linux_gui_network, "Xne", "192.168.56.1",
                                               LAB_SETUP_ERROR_NOT_FOUND);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_auto(GStrv) vms = NULL;

  g_assert_nonnull (strstr (failure->output, "Could not find a registered machine named"));
  g_assert_nonnull (strstr (failure->meaning, "20 GB"));

  lab_vbox_list_vms_async (f->vbox, NULL, lab_test_result_cb, &listed);
  lab_test_wait_result (&listed, 0);
  vms = lab_vbox_list_vms_finish (f->vbox, listed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (vms), ==, 2);
  g_assert_cmpstr (vms[0], ==, "Xen");
  g_assert_cmpstr (vms[1], ==, "Other VM");
}

static char *
guest_ip (Fixture    *f,
          const char *vm,
          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lab_vbox_guest_ip_async (f->vbox, vm, NULL, lab_test_result_cb, &result);
  lab_test_wait_result (&result, 0);
  return lab_vbox_guest_ip_finish (f->vbox, result, error);
}

/* The connect step's default host: what the guest additions report for adapter 2. */
static void
test_guest_ip (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ip = NULL;
  g_autofree char *calls = NULL;

  write_state (f, "{ \"os\": \"Linux\", \"vms\": {"
                  "  \"Xen\": { \"uuid\": \"6f1a\", \"state\": \"running\","
                  "    \"guestproperties\": { \"/VirtualBox/GuestInfo/Net/1/V4/IP\":"
                  "                            \"192.168.56.5\" } },"
                  "  \"Bare\": { \"uuid\": \"77aa\", \"state\": \"running\" } } }");
  ip = guest_ip (f, "Xen", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ip, ==, "192.168.56.5");
  calls = take_calls (f);
  g_assert_cmpstr (calls, ==, "guestproperty get Xen /VirtualBox/GuestInfo/Net/1/V4/IP\n");

  /* No guest additions: no address, and no error either. */
  g_clear_pointer (&ip, g_free);
  ip = guest_ip (f, "Bare", &error);
  g_assert_no_error (error);
  g_assert_null (ip);

  /* A VM that is not there: VirtualBox's error. */
  ip = guest_ip (f, "Xne", &error);
  g_assert_null (ip);
  g_assert_nonnull (error);

  {
    g_autofree char *value = lab_vbox_parse_guest_property ("Value: 10.0.2.15\n");

    g_assert_cmpstr (value, ==, "10.0.2.15");
    g_assert_null (lab_vbox_parse_guest_property ("No value set!\n"));
  }
}

static void
test_not_installed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabVboxResult) result = NULL;
  g_autoptr(LabVbox) missing = NULL;
  g_autoptr(GAsyncResult) res = NULL;

  g_setenv ("MIRAGE_LAB_VBOXMANAGE", "/nonexistent/VBoxManage", TRUE);
  missing = lab_vbox_new ();
  lab_vbox_setup_async (missing, "Xen", "192.168.56.1", TRUE, FALSE, NULL, lab_test_result_cb,
                        &res);
  lab_test_wait_result (&res, 0);
  result = lab_vbox_setup_finish (missing, res, &error);
  g_assert_null (result);
  g_assert_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (lab_vbox_get_failure (missing)->meaning, "virtualbox.org"));
}

static void
test_macos (Fixture       *f,
            gconstpointer  data)
{
  /* No nested virtualization: the processor cannot; said in the log instead. */
  g_autoptr(LabVboxResult) result =
    setup_with_calls (f, "{ \"os\": \"Darwin\", \"nested\": false, \"vms\": { \"Xen\": "
                         "{ \"uuid\": \"1\", \"state\": \"poweroff\", \"nic2\": \"none\" } } }",
                      "Xen", TRUE,
                      "--version\nlist hostinfo\nshowvminfo Xen --machinereadable\n"
                      "list hostonlynets\n"
                      "hostonlynet add --name=mirage-lab --netmask=255.255.255.0 "
                      "--lower-ip=192.168.56.1 --upper-ip=192.168.56.199 --enable\n"
                      "showvminfo Xen\n"
                      "modifyvm Xen --nic2=hostonlynet --host-only-net2=mirage-lab "
                      "--nic-promisc2=allow-all\n"
                      "startvm Xen --type=headless\n");

  g_assert_true (result->dhcp_competes);
  g_assert_false (result->host_nested);
  g_assert_nonnull (strstr (f->output->str, "cannot be turned off"));
  g_assert_nonnull (strstr (f->output->str, "PVH"));

  setup_again (f, "Xen", "--version\nlist hostinfo\nshowvminfo Xen --machinereadable\n"
                        "list hostonlynets\nshowvminfo Xen\n", TRUE);
}

static void
test_parsers (void)
{
  g_autoptr(GHashTable) mr = lab_vbox_parse_machinereadable (
    "name=\"Xen VM\"\nmemory=2048\n\"Forwarding(0)\"=\"ssh,tcp,,2222,,22\"\nnic2=\"hostonly\"\n"
    "broken line\n");
  g_autoptr(GPtrArray) blocks = lab_vbox_parse_blocks (
    "Name:            vboxnet0\nIPAddress:       192.168.56.1\n\n"
    "Name:            vboxnet1\nIPAddress:       192.168.57.1\n\n");
  g_auto(GStrv) vms = lab_vbox_parse_vm_list ("\"a\" {1}\n\"b \"c\"\" {2}\ngarbage\n");
  g_autofree char *promisc = lab_vbox_parse_promisc (
    "NIC 1:  MAC: 1, Promisc Policy: deny, Bandwidth group: none\n"
    "NIC 2:  MAC: 2, Attachment: Host-only Interface 'vboxnet0', Promisc Policy: allow-all, "
    "Bandwidth group: none\n", 2);
  g_autofree char *none = lab_vbox_parse_promisc ("NIC 2:  disabled\n", 2);

  g_assert_cmpstr (g_hash_table_lookup (mr, "name"), ==, "Xen VM");
  g_assert_cmpstr (g_hash_table_lookup (mr, "memory"), ==, "2048");
  g_assert_cmpstr (g_hash_table_lookup (mr, "Forwarding(0)"), ==, "ssh,tcp,,2222,,22");
  g_assert_cmpuint (g_hash_table_size (mr), ==, 4);
  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (blocks->pdata[1], "IPAddress"), ==, "192.168.57.1");
  g_assert_cmpuint (g_strv_length (vms), ==, 2);
  g_assert_cmpstr (vms[1], ==, "b \"c\"");
  g_assert_cmpstr (promisc, ==, "allow-all");
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vbox/parsers", test_parsers);
#define ADD(path, func) \
  g_test_add ("/vbox/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("linux-existing-network", test_linux_existing_network);
  ADD ("linux-create-network", test_linux_create_network);
  ADD ("dry-run", test_dry_run);
  ADD ("range-refused", test_range_refused);
  ADD ("vm-running", test_vm_running);
  ADD ("no-such-vm", test_no_such_vm);
  ADD ("not-installed", test_not_installed);
  ADD ("guest-ip", test_guest_ip);
  ADD ("macos", test_macos);
  return g_test_run ();
}
