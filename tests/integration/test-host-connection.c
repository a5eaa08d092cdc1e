/* test-host-connection.c — the app's core against a dom0 lab: connect over its own SSH
 * layer, list domains live, find configs, start/pause/stop, IPs from leases, web probe,
 * and the legacy builder='linux' fix.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One parametrised set: the fast lab (suite lab) and, with MIRAGE_LAB_KIND=xen, the
 * real-Xen lab (suite xen).
 */

#include <string.h>

#include "lab-core.h"
#include "lab-app-util.h"
#include "net/lab-local-net-private.h"
#include "xen/lab-config-check.h"
#include "xen/lab-console-attachment.h"
#include "xen/lab-host-connection-private.h"
#include "xen/lab-xl-commands.h"

/* Both labs ship ~/unikernels/guest.xl: a PV guest on br0 that gets a DHCP lease, prints it
 * on its console and serves a page titled with its name. */
#define SAMPLE_NAME "guest"

static gboolean
is_unpaused (gpointer data)
{
  return lab_domain_get_running (data) && lab_domain_get_state (data) != LAB_DOMAIN_STATE_PAUSED;
}

static gboolean
has_lease_ip (gpointer data)
{
  return lab_ip_info_get_source (lab_domain_get_ip_info (data)) == LAB_IP_SOURCE_LEASE;
}

static gboolean
has_web (gpointer data)
{
  return lab_domain_get_web_summary (data) != NULL;
}

/* The sample domain as the store lists it, with a reference of the test's own. */
static LabDomain *
ref_sample (LabHostConnection *connection)
{
  LabDomain *domain = lab_app_wait_domain (connection, SAMPLE_NAME, 30);

  g_assert_nonnull (domain);
  return g_object_ref (domain);
}

/* Waits (bounded by @timeout_ms) until @has_page holds for @domain, and logs its page. */
static void
wait_web (LabDomain        *domain,
          LabTestCondition  has_page,
          guint             timeout_ms)
{
  g_assert_true (lab_test_wait_for (has_page, domain, timeout_ms));
  g_test_message ("web: %s %s", lab_domain_get_web_url (domain),
                  lab_domain_get_web_summary (domain));
}

static void
test_connect_and_list (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  LabDomain *dom0;

  dom0 = lab_domain_store_lookup (lab_host_connection_get_domains (connection), "Domain-0");
  g_assert_nonnull (dom0);
  g_assert_cmpint (lab_domain_get_domid (dom0), ==, 0);
  g_assert_true (lab_domain_get_running (dom0));
  g_assert_cmpint (lab_domain_get_memory_mib (dom0), >, 0);
  g_assert_null (lab_host_connection_get_poll_error (connection));
  /* dom0 is never offered for stopping. */
  g_assert_false (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DESTROY, dom0));
}

static void
test_configs_found (LabTestFixture *fixture)
{
  LabDomain *www;

  www = lab_app_wait_domain (fixture->connection, SAMPLE_NAME, 30);
  g_assert_nonnull (www);
  g_assert_nonnull (lab_domain_get_config (www));
  g_assert_true (g_str_has_suffix (lab_domain_get_config_path (www), "/unikernels/guest.xl"));
  g_assert_false (lab_domain_get_running (www));
  g_assert_true (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_START, www));
}

static gboolean
arrival_listed (gpointer data)
{
  return lab_domain_store_lookup (lab_host_connection_get_domains (data), "arrival") != NULL;
}

static gboolean
arrival_gone (gpointer data)
{
  return !arrival_listed (data);
}

typedef struct
{
  LabHostConnection *connection;
  guint              n_polls;
} PollCount;

static gboolean
polls_reached (gpointer data)
{
  PollCount *count = data;

  return lab_host_connection_get_n_polls (count->connection) >= count->n_polls;
}

/* A config of the sample's kernel under another name, as a string literal. */
#define PV_CONFIG(name, memory) \
  "name = '" name "'\n" \
  "type = 'pv'\n" \
  "kernel = '/home/mirage/unikernels/guest-vmlinuz'\n" \
  "memory = " memory "\n"

/* A config written into a folder shows in the list within a poll or two, and one removed
 * leaves it as soon (the full search runs only every fifteenth poll; the folders' times are
 * looked at in every one). */
static void
test_new_config_next_poll (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  const char *text = PV_CONFIG ("arrival", "32");
  g_autofree char *path = NULL;
  g_autofree char *rm = NULL;
  PollCount count = { connection, 0 };
  guint before;

  g_assert_nonnull (lab_app_wait_domain (connection, SAMPLE_NAME, 60));
  /* Two polls, so that the folders' times are known before the file comes. */
  count.n_polls = lab_host_connection_get_n_polls (connection) + 2;
  g_assert_true (lab_test_wait_for (polls_reached, &count, 60000));

  path = g_build_filename (lab_fixture_get (fixture->lab, "LAB_HOME"), "unikernels",
                           "arrival.xl", NULL);
  before = lab_host_connection_get_n_polls (connection);
  lab_app_write_user_file (fixture->lab, path, text);
  g_assert_true (lab_test_wait_for (arrival_listed, connection, 60000));
  g_test_message ("listed after %u polls", lab_host_connection_get_n_polls (connection) - before);
  g_assert_cmpuint (lab_host_connection_get_n_polls (connection) - before, <=, 3);

  before = lab_host_connection_get_n_polls (connection);
  rm = g_strdup_printf ("rm -f -- '%s'", path);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, rm, NULL, NULL, NULL));
  g_assert_true (lab_test_wait_for (arrival_gone, connection, 60000));
  g_test_message ("gone after %u polls", lab_host_connection_get_n_polls (connection) - before);
  g_assert_cmpuint (lab_host_connection_get_n_polls (connection) - before, <=, 3);
}

static gboolean
doomed_gone (gpointer data)
{
  return lab_domain_store_lookup (lab_host_connection_get_domains (data), "doomed") == NULL;
}

static char *
delete_config (LabHostConnection *connection,
               LabDomain         *domain,
               gboolean           with_kernel,
               GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lab_host_connection_delete_config_async (connection, domain, with_kernel, NULL,
                                           lab_test_result_cb, &result);
  return lab_host_connection_delete_config_finish (connection,
                                                   lab_test_wait_result (&result, 60000), error);
}

/* Delete moves a config and the kernel it names (relative: next to it) into a new folder
 * under ~/.local/share/mirage-lab/deleted, as the user, and the list lets go of it at once;
 * a running domain's config is refused; nothing is removed. */
static void
test_delete_config (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  const char *home = lab_fixture_get (fixture->lab, "LAB_HOME");
  g_autofree char *path = g_build_filename (home, "unikernels", "doomed", "doomed.xl", NULL);
  g_autofree char *kernel = g_build_filename (home, "unikernels", "doomed", "doomed.xen", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *check = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  LabDomain *doomed;
  LabDomain *sample;

  lab_app_write_user_file (fixture->lab, kernel, "not really a kernel\n");
  lab_app_write_user_file (fixture->lab, path, "name = 'doomed'\ntype = 'pvh'\n"
                                              "kernel = 'doomed.xen'\nmemory = 32\n");
  lab_host_connection_poll_now (connection);
  doomed = lab_app_wait_domain (connection, "doomed", 60);
  g_assert_nonnull (doomed);
  g_object_ref (doomed);
  g_assert_true (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DELETE, doomed));

  /* A running domain keeps its config. */
  sample = lab_app_wait_domain (connection, SAMPLE_NAME, 60);
  g_assert_nonnull (sample);
  lab_app_start_domain (connection, sample);
  g_assert_false (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_DELETE, sample));
  g_assert_null (delete_config (connection, sample, TRUE, &error));
  g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED);
  g_clear_error (&error);
  lab_app_destroy_domain (connection, sample);

  folder = delete_config (connection, doomed, TRUE, &error);
  g_assert_no_error (error);
  g_test_message ("moved to %s", folder);
  g_assert_true (g_str_has_prefix (folder, home));
  g_assert_nonnull (strstr (folder, "/.local/share/mirage-lab/deleted/"));
  g_assert_true (lab_test_wait_for (doomed_gone, connection, 60000));
  check = g_strdup_printf ("cd '%s' && ls -A && ls -ld . | cut -d' ' -f3; "
                           "test -e '%s' || echo config-gone; test -e '%s' || echo kernel-gone",
                           folder, path, kernel);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, check, &out, NULL, NULL));
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "doomed.xl\n"));
  g_assert_nonnull (strstr (out, "doomed.xen\n"));
  g_assert_nonnull (strstr (out, lab_fixture_get (fixture->lab, "LAB_USER")));
  g_assert_nonnull (strstr (out, "config-gone"));
  g_assert_nonnull (strstr (out, "kernel-gone"));
  g_object_unref (doomed);
}

static LabXlConfig *
dup_config (LabDomain *domain)
{
  LabXlConfig *config = lab_domain_get_config (domain);

  g_assert_nonnull (config);
  return lab_xl_config_new_from_data (lab_xl_config_get_path (config),
                                      lab_xl_config_get_text (config), -1, NULL);
}

static char *
save_config (LabHostConnection *connection,
             LabDomain         *domain,
             const char        *text,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lab_host_connection_save_config_async (connection, domain, NULL, text, NULL,
                                         lab_test_result_cb, &result);
  return lab_host_connection_save_config_finish (connection,
                                                 lab_test_wait_result (&result, 90000), error);
}

static gboolean
has_address (gpointer domain)
{
  return lab_domain_get_ip (domain) != NULL;
}

static gint64
config_memory (LabDomain *domain)
{
  gint64 memory = -1;

  g_assert_true (lab_xl_config_get_number (lab_domain_get_config (domain), "memory", &memory));
  return memory;
}

/* Duplicate: a copy with a new name and MAC, saved beside the original, runs beside it with
 * its own address. Edit: a new memory size saved over the copy's config (backed up) shows in
 * the list while the running copy keeps what it started with; an edit made on dom0
 * meanwhile is never overwritten. */
static void
test_duplicate_and_edit (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  LabDomainStore *store = lab_host_connection_get_domains (connection);
  const char *home = lab_fixture_get (fixture->lab, "LAB_HOME");
  g_autofree char *path = g_build_filename (home, "unikernels", "twin.xl", NULL);
  g_autofree char *copy_path = g_build_filename (home, "unikernels", "twin-2.xl", NULL);
  g_autofree char *rm = NULL;
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(LabXlConfig) copy = NULL;
  g_autoptr(LabXlConfig) edited = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) used = NULL;
  g_autoptr(LabDomain) twin = NULL;
  g_autoptr(LabDomain) twin2 = NULL;

  lab_app_write_user_file (fixture->lab, path,
                           "# the sample guest, with a MAC of its own\n"
                           "name = 'twin'\ntype = 'pv'\n"
                           "kernel = '/home/mirage/unikernels/guest-vmlinuz'\n"
                           "ramdisk = '/home/mirage/unikernels/guest-initrd.gz'\n"
                           "extra = 'console=hvc0 quiet xenlab.name=twin'\n"
                           "memory = 128\nvif = [ 'bridge=br0,mac=00:16:3e:12:34:56' ]\n");
  /* Held: once its file is gone, a stopped domain leaves the list. */
  twin = g_object_ref (lab_app_wait_domain (connection, "twin", 60));
  used = lab_domain_store_dup_macs (store);
  g_assert_true (g_strv_contains ((const char * const *) used, "00:16:3e:12:34:56"));

  g_assert_false (lab_host_connection_check_new_name (connection, "twin", NULL));
  g_assert_false (lab_host_connection_check_new_name (connection, "-twin", NULL));
  g_assert_false (lab_host_connection_check_new_name (connection, "42", NULL));
  g_assert_false (lab_host_connection_check_new_name (connection, "tw in", NULL));
  copy = lab_xl_config_duplicate (lab_domain_get_config (twin), copy_path, "twin-2", rand,
                                  (const char * const *) used, &error);
  g_assert_no_error (error);
  g_assert_true (lab_host_connection_check_new_name (connection, "twin-2", &error));
  lab_host_connection_create_config_async (connection, copy, NULL, lab_test_result_cb, &result);
  /* Done once the list has it. */
  twin2 = lab_host_connection_create_config_finish (connection,
                                                    lab_test_wait_result (&result, 60000),
                                                    &error);
  g_assert_no_error (error);
  g_assert_true (twin2 == lab_domain_store_lookup (store, "twin-2"));
  /* A second time: the file is there, and nothing is written over it. */
  g_clear_object (&result);
  lab_host_connection_create_config_async (connection, copy, NULL, lab_test_result_cb, &result);
  g_assert_null (lab_host_connection_create_config_finish (connection,
                                                           lab_test_wait_result (&result, 60000),
                                                           &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  lab_app_start_domain (connection, twin);
  lab_app_start_domain (connection, twin2);
  g_assert_true (lab_test_wait_for (has_address, twin, 300000));
  g_assert_true (lab_test_wait_for (has_address, twin2, 300000));
  g_test_message ("twin %s %s, twin-2 %s %s", lab_domain_get_macs (twin)[0],
                  lab_domain_get_ip (twin), lab_domain_get_macs (twin2)[0],
                  lab_domain_get_ip (twin2));
  g_assert_cmpstr (lab_domain_get_macs (twin)[0], ==, "00:16:3e:12:34:56");
  g_assert_cmpstr (lab_domain_get_macs (twin2)[0], !=, "00:16:3e:12:34:56");
  g_assert_cmpstr (lab_domain_get_ip (twin), !=, lab_domain_get_ip (twin2));

  edited = dup_config (twin2);
  g_assert_true (lab_xl_config_set_number (edited, "memory", 96, &error));
  backup = save_config (connection, twin2, lab_xl_config_get_text (edited), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (backup, "/twin-2.xl.mirage-lab.bak"));
  g_assert_cmpint (config_memory (twin2), ==, 96);
  g_assert_cmpint (lab_domain_get_memory_mib (twin2), ==, 128);

  /* Someone edits the file on dom0 before the list has seen it: the save is refused. */
  lab_host_connection_hold_list (connection, TRUE);
  g_clear_object (&edited);
  edited = dup_config (twin2);
  g_assert_true (lab_xl_config_set_number (edited, "memory", 64, &error));
  out = g_strdup_printf ("printf '# theirs\\n' >> '%s'", copy_path);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, out, NULL, NULL, NULL));
  g_clear_pointer (&backup, g_free);
  backup = save_config (connection, twin2, lab_xl_config_get_text (edited), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  lab_host_connection_hold_list (connection, FALSE);
  g_free (out);
  g_free (rm);
  rm = g_strdup_printf ("cat -- '%s'; rm -f -- '%s' '%s'*", copy_path, path, copy_path);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, rm, &out, NULL, NULL));
  g_assert_nonnull (strstr (out, "memory = 96\n"));
  g_assert_true (g_str_has_suffix (out, "# theirs\n"));

  lab_app_destroy_domain (connection, twin);
  lab_app_destroy_domain (connection, twin2);
}

static GStrv
check_config (LabHostConnection *connection,
              LabXlConfig       *config,
              LabDomain         *replacing)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GStrv problems;

  lab_config_check_async (connection, config, replacing, NULL, lab_test_result_cb, &result);
  problems = lab_config_check_finish (connection, lab_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  for (guint i = 0; problems[i] != NULL; i++)
    g_test_message ("problem: %s", problems[i]);
  return problems;
}

/* A PV image (Xen notes, no PVH entry) named by a PVH config: said, with the fix; the same
 * image as PV, or the sample's Linux bzImage as PVH, is not questioned. */
static void
check_pv_image_as_pvh (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  g_autofree char *local = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "elf-notes",
                                                  "pv64", NULL);
  g_autofree char *image = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *script = NULL;
  g_autofree char *remote = g_build_filename (lab_fixture_get (fixture->lab, "LAB_HOME"),
                                              "pv-image.xen", NULL);
  g_autofree char *text = NULL;
  g_autoptr(LabXlConfig) as_pvh = NULL;
  g_autoptr(LabXlConfig) as_pv = NULL;
  g_auto(GStrv) problems = NULL;
  g_auto(GStrv) none = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (local, &image, &length, NULL));
  encoded = g_base64_encode ((const guchar *) image, length);
  script = g_strdup_printf ("printf '%%s' '%s' | base64 -d > '%s'; chmod 644 '%s'", encoded,
                            remote, remote);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, script, NULL, NULL, NULL));
  text = g_strdup_printf ("name = 'pvimage'\ntype = 'pvh'\nkernel = '%s'\nmemory = 16\n",
                          remote);
  as_pvh = lab_xl_config_new_from_data ("/tmp/pvimage.xl", text, -1, NULL);
  problems = check_config (connection, as_pvh, NULL);
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_true (g_str_has_suffix (problems[0], "has no PVH entry point (a PV image, such as "
                                                "mirage 2 made): give it type = \"pv\"."));
  g_assert_true (lab_xl_config_set_string (as_pvh, "type", "pv", NULL));
  as_pv = lab_xl_config_new_from_data ("/tmp/pvimage.xl", lab_xl_config_get_text (as_pvh), -1,
                                       NULL);
  none = check_config (connection, as_pv, NULL);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_free (script);
  script = g_strdup_printf ("rm -f -- '%s'", remote);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, script, NULL, NULL, NULL));
}

/* The check before saving finds a missing kernel, a missing bridge, a MAC another domain
 * has and memory Xen does not have, each said once; the sample's own config has none of
 * them (its vif names br0, and no MAC). Nothing on dom0 changes. */
static void
test_config_check (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  const char *home = lab_fixture_get (fixture->lab, "LAB_HOME");
  g_autofree char *path = g_build_filename (home, "unikernels", "macowner.xl", NULL);
  g_autofree char *rm = g_strdup_printf ("rm -f -- '%s'", path);
  g_autoptr(LabXlConfig) bad = NULL;
  g_auto(GStrv) problems = NULL;
  g_auto(GStrv) none = NULL;
  LabDomain *sample;

  lab_app_write_user_file (fixture->lab, path, "name = 'macowner'\ntype = 'pvh'\n"
                                               "kernel = 'nothing.xen'\nmemory = 32\n"
                                               "vif = [ 'bridge=br0,mac=00:16:3E:AA:BB:CC' ]\n");
  g_assert_nonnull (lab_app_wait_domain (connection, "macowner", 60));
  bad = lab_xl_config_new_from_data ("/nonexistent/checked.xl",
                                     "name = 'checked'\nkernel = '-k.xen'\n"
                                     "memory = 99999999\n"
                                     "vif = [ 'bridge=nobr0,mac=00:16:3e:aa:bb:cc', "
                                     "'bridge=br0', 'bridge=nobr0' ]\n", -1, NULL);
  problems = check_config (connection, bad, NULL);
  g_assert_cmpuint (g_strv_length (problems), ==, 4);
  g_assert_cmpstr (problems[0], ==, "The network address 00:16:3e:aa:bb:cc is also macowner's: "
                                    "two domains with one MAC cannot share a network.");
  g_assert_cmpstr (problems[1], ==, "Its kernel image, /nonexistent/-k.xen, is not on dom0.");
  g_assert_cmpstr (problems[2], ==, "Its network bridge nobr0 does not exist on dom0.");
  g_assert_true (g_str_has_prefix (problems[3], "It needs 99999999 MiB, and Xen has "));

  sample = lab_app_wait_domain (connection, SAMPLE_NAME, 60);
  g_assert_nonnull (sample);
  none = check_config (connection, lab_domain_get_config (sample), sample);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, rm, NULL, NULL, NULL));
  check_pv_image_as_pvh (fixture);
}

/* A domain that needs more memory than Xen has free is not started, and the user is told
 * both figures; nothing else on dom0 changes. */
static void
test_start_needs_memory (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  const char *text = PV_CONFIG ("hungry", "50000000");
  /* Names and IDs: the CPU time moves on its own. */
  const char *list = "xl list | awk '{ print $1, $2 }'";
  g_autofree char *path = NULL;
  g_autofree char *rm = NULL;
  LabDomain *hungry;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  path = g_build_filename (lab_fixture_get (fixture->lab, "LAB_HOME"), "unikernels",
                           "hungry.xl", NULL);
  lab_app_write_user_file (fixture->lab, path, text);
  hungry = lab_app_wait_domain (connection, "hungry", 60);
  g_assert_nonnull (hungry);
  g_assert_cmpint (lab_domain_get_memory_mib (hungry), ==, 50000000);

  g_assert_true (lab_fixture_exec_sh (fixture->lab, list, &before, NULL, NULL));
  error = lab_app_run_action (connection, hungry, LAB_DOMAIN_ACTION_START);
  g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_NO_MEMORY);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "hungry needs 50000000 MiB, and Xen has "));
  g_assert_nonnull (strstr (error->message, " MiB free."));
  g_assert_true (lab_fixture_exec_sh (fixture->lab, list, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  g_assert_false (lab_domain_get_running (hungry));

  rm = g_strdup_printf ("rm -f -- '%s'", path);
  g_assert_true (lab_fixture_exec_sh (fixture->lab, rm, NULL, NULL, NULL));
}

static void
test_start_lease_web_stop (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  LabDomain *www;
  g_autoptr(GError) error = NULL;
  g_autofree char *leases = NULL;
  g_autofree char *cat = NULL;
  const char * const *macs;

  www = ref_sample (connection);

  lab_app_start_domain (connection, www);
  g_assert_cmpint (lab_domain_get_domid (www), >, 0);

  /* The lease dnsmasq gave its MAC is the IP shown, with where it came from. */
  g_assert_true (lab_test_wait_for (has_lease_ip, www, 120000));
  macs = lab_domain_get_macs (www);
  g_assert_nonnull (macs);
  g_assert_nonnull (macs[0]);
  cat = g_strdup_printf ("cat %s", lab_fixture_get (lab, "LAB_LEASES"));
  {
    g_autofree char *out = NULL;
    int status = -1;

    g_assert_true (lab_fixture_exec_sh (lab, cat, &out, &status, &error));
    g_assert_no_error (error);
    leases = g_steal_pointer (&out);
  }
  {
    g_autofree char *line_part = g_strdup_printf (" %s %s ", macs[0], lab_domain_get_ip (www));

    g_test_message ("leases:\n%s", leases);
    g_assert_nonnull (strstr (leases, line_part));
  }
  g_assert_cmpstr (lab_domain_get_ip_description (www), ==, "from DHCP lease");

  /* Its web server answers (through SSH in the real-Xen lab), and the page title is the
   * unikernel's name. */
  wait_web (www, has_web, 60000);
  g_assert_true (g_str_has_prefix (lab_domain_get_web_summary (www), "200"));
  g_assert_nonnull (strstr (lab_domain_get_web_summary (www), SAMPLE_NAME));
  g_assert_true (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_OPEN_IN_BROWSER, www));
  /* Which way it went: the fast lab's bridge is on a link of this computer (the veth of the
   * host-only network); the real-Xen lab's is inside the VM. */
  if (g_strcmp0 (lab_fixture_get (lab, "LAB_KIND"), "fast") == 0)
    g_assert_nonnull (strstr (lab_domain_get_web_summary (www), ", direct"));

  /* Pause and resume. */
  error = lab_app_run_action (connection, www, LAB_DOMAIN_ACTION_PAUSE);
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (lab_app_domain_paused, www, 30000));
  error = lab_app_run_action (connection, www, LAB_DOMAIN_ACTION_RESUME);
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (is_unpaused, www, 30000));

  /* Force off: gone from xl, back to a config row without IP. */
  lab_app_act_and_wait (connection, www, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);
  g_assert_null (lab_domain_get_ip (www));
  g_assert_null (lab_domain_get_web_summary (www));
  g_object_unref (www);
}

static gboolean
has_tunnel_web (gpointer data)
{
  return lab_domain_get_web_url (data) != NULL
         && g_str_has_prefix (lab_domain_get_web_url (data), "http://127.0.0.1:");
}

/* The SSH tunnel path: the same page, from a local port forwarded over the session
 * (libssh2 direct-tcpip). In the real-Xen lab this is also the automatic fallback, since
 * the guest's bridge is inside the VM. */
static void
test_web_through_ssh (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  LabDomain *guest;
  LabHost *host;

  host = lab_host_connection_get_host (connection);
  lab_host_set_web_through_ssh (host, TRUE);
  guest = ref_sample (connection);

  lab_app_start_domain (connection, guest);
  wait_web (guest, has_tunnel_web, 120000);
  g_assert_true (g_str_has_prefix (lab_domain_get_web_summary (guest), "200"));
  g_assert_nonnull (strstr (lab_domain_get_web_summary (guest), SAMPLE_NAME));
  g_assert_nonnull (strstr (lab_domain_get_web_summary (guest), "through dom0"));

  lab_app_act_and_wait (connection, guest, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);
  lab_host_set_web_through_ssh (host, FALSE);
  g_object_unref (guest);
}

#define NEEDS_FAST_LAB "needs the fast lab (its console knob or its host-only veth)"

/* A desktop with no interface on dom0's bridge network (a remote dom0): the domain's page
 * is asked for through dom0, never from the desktop's default route, and the row says so.
 * The desktop's interfaces are replaced by a laptop's (no 192.168.56.0/24). */
static void
test_remote_dom0_through_dom0 (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  static const LabLocalInterface laptop[] = {
    { "lo", "127.0.0.1", "255.0.0.0", TRUE },
    { "wlp2s0", "10.20.0.17", "255.255.255.0", FALSE },
  };
  LabDomain *guest;

  if (!lab_test_needs_fast_lab (fixture->lab, NEEDS_FAST_LAB))
    return;

  lab_local_net_set_interfaces (laptop, G_N_ELEMENTS (laptop));
  guest = ref_sample (connection);

  lab_app_start_domain (connection, guest);
  wait_web (guest, has_web, 120000);
  g_assert_true (g_str_has_prefix (lab_domain_get_web_url (guest), "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (lab_domain_get_web_summary (guest), "200"));
  g_assert_nonnull (strstr (lab_domain_get_web_summary (guest), "through dom0"));

  lab_local_net_reset_interfaces ();
  lab_app_act_and_wait (connection, guest, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);
  g_object_unref (guest);
}

#define CLAIMED_IP "192.0.2.7"

static gboolean
has_console_claim (gpointer data)
{
  return g_strcmp0 (lab_ip_info_get_candidate (lab_domain_get_ip_info (data),
                                               LAB_IP_SOURCE_CONSOLE), CLAIMED_IP) == 0;
}

static gboolean
web_summary_has (LabDomain  *domain,
                 const char *text)
{
  const char *summary = lab_domain_get_web_summary (domain);

  return summary != NULL && strstr (summary, text) != NULL;
}

static gboolean
web_answered_200 (gpointer data)
{
  return web_summary_has (data, "200");
}

static gboolean
web_not_probed_no_network (gpointer data)
{
  return g_strcmp0 (lab_domain_get_web_summary (data),
                    CLAIMED_IP " was not probed: nosuchbr0 has no IPv4 network on dom0") == 0;
}

static gboolean
web_not_probed_off_bridge (gpointer data)
{
  return web_summary_has (data, "not probed");
}

static gboolean
has_conflict (gpointer data)
{
  return lab_ip_info_get_conflict (lab_domain_get_ip_info (data))
         && lab_domain_get_web_summary (data) != NULL
         && strstr (lab_domain_get_web_summary (data), "disagree") != NULL;
}

/* A guest whose console claims an address outside the bridge's network (the fast lab's
 * mlab_console_ip knob): with no lease known, that address is not probed and the row says
 * why; once the lease is read, lease and console disagree and the row shows the conflict
 * with both addresses and their sources. */
static void
test_console_claim_outside_bridge (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  const char *text =
    "name = 'claimer'\n"
    "type = 'pv'\n"
    "kernel = '/home/mirage/unikernels/guest-vmlinuz'\n"
    "ramdisk = '/home/mirage/unikernels/guest-initrd.gz'\n"
    "memory = 128\n"
    "vcpus = 1\n"
    "vif = [ 'bridge=br0' ]\n"
    "mlab_console = 'modern'\n"
    "mlab_console_ip = '" CLAIMED_IP "'\n";
  g_autofree char *path = NULL;
  g_autofree char *leases = NULL;
  g_autofree char *script = NULL;
  g_autoptr(LabConsoleAttachment) attachment = NULL;
  g_autoptr(GError) error = NULL;
  LabHost *host;
  LabDomain *claimer;
  const char *description;
  int status = -1;

  if (!lab_test_needs_fast_lab (lab, NEEDS_FAST_LAB))
    return;

  host = lab_host_connection_get_host (connection);
  leases = g_strdup (lab_host_get_leases_path (host));
  path = g_build_filename (lab_fixture_get (lab, "LAB_HOME"), "unikernels", "claimer.xl",
                           NULL);
  lab_app_write_user_file (lab, path, text);
  lab_host_connection_poll_now (connection);
  claimer = lab_app_wait_domain (connection, "claimer", 60);
  g_assert_nonnull (claimer);
  g_object_ref (claimer);

  /* No lease file: the console is the only source. */
  lab_host_set_leases_path (host, "");
  attachment = lab_console_attachment_new (connection, "claimer");
  lab_console_attachment_create_and_attach (attachment, path);
  g_assert_true (lab_test_wait_for (lab_app_domain_running, claimer, 60000));
  g_assert_true (lab_test_wait_for (has_console_claim, claimer, 60000));
  g_assert_cmpstr (lab_domain_get_ip (claimer), ==, CLAIMED_IP);
  g_assert_true (lab_test_wait_for (web_not_probed_off_bridge, claimer, 30000));
  g_test_message ("web: %s", lab_domain_get_web_summary (claimer));
  g_assert_true (g_str_has_prefix (lab_domain_get_web_summary (claimer),
                                   CLAIMED_IP " is outside br0's network 192.168.56.0/24; "
                                   "not probed. A guest picks its own address"));
  g_assert_null (lab_domain_get_web_url (claimer));
  g_assert_false (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_OPEN_IN_BROWSER, claimer));

  /* Another bridge named in the host's settings: its networks count (none here). */
  lab_host_set_bridge (host, "nosuchbr0");
  g_assert_true (lab_test_wait_for (web_not_probed_no_network, claimer, 30000));
  lab_host_set_bridge (host, NULL);
  g_assert_true (lab_test_wait_for (web_not_probed_off_bridge, claimer, 30000));

  /* The user allows probing any address: the claimed one is asked through SSH, and here a
   * web server on dom0 itself (inside the lab) answers at it. */
  g_assert_true (lab_fixture_exec_sh (lab, "ip addr add " CLAIMED_IP "/32 dev lo && "
                                      "(timeout 120 python3 -m http.server 80 --bind "
                                      CLAIMED_IP " >/dev/null 2>&1 &) && sleep 1",
                                      NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  lab_host_set_probe_any_address (host, TRUE);
  g_assert_true (lab_test_wait_for (web_answered_200, claimer, 30000));
  g_test_message ("web, any address: %s", lab_domain_get_web_summary (claimer));
  lab_host_set_probe_any_address (host, FALSE);
  g_assert_true (lab_test_wait_for (web_not_probed_off_bridge, claimer, 30000));
  g_assert_true (lab_fixture_exec_sh (lab, "pkill -f 'http.server 80 --bind " CLAIMED_IP "'; "
                                      "ip addr del " CLAIMED_IP "/32 dev lo", NULL, &status,
                                      &error));
  g_assert_no_error (error);

  /* The lease file again: dnsmasq's address and the console's disagree. */
  lab_host_set_leases_path (host, leases);
  g_assert_true (lab_test_wait_for (has_conflict, claimer, 60000));
  description = lab_domain_get_ip_description (claimer);
  g_test_message ("ip: %s", description);
  g_assert_null (lab_domain_get_ip (claimer));
  g_assert_true (g_str_has_prefix (description, "conflict: 192.168.56."));
  g_assert_nonnull (strstr (description, " from DHCP lease, " CLAIMED_IP " from console"));
  g_assert_cmpstr (lab_domain_get_web_summary (claimer), ==,
                   "not probed: the DHCP lease and the console disagree");
  g_assert_false (lab_domain_action_is_possible (LAB_DOMAIN_ACTION_OPEN_IN_BROWSER, claimer));

  lab_console_attachment_detach (attachment);
  lab_app_act_and_wait (connection, claimer, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);
  g_object_unref (claimer);

  script = g_strdup_printf ("rm -f %s", path);
  g_assert_true (lab_fixture_exec_sh (lab, script, NULL, &status, &error));
  g_assert_no_error (error);
  lab_host_connection_poll_now (connection);
}

/* mirage 4's generated configs name their kernel relative to the config ("NAME.xen"); xl
 * opens it from its working directory, so Start runs xl in the config's folder. */
static void
test_relative_kernel (LabTestFixture *fixture)
{
  char *next;
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  LabDomain *guest;
  LabDomain *relative;
  g_autoptr(GRegex) kernel_line = NULL;
  g_autoptr(GRegex) ramdisk_line = NULL;
  g_autoptr(GRegex) name_line = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  guest = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (guest);
  kernel_line = g_regex_new ("^kernel\\s*=\\s*'[^']*/([^/']+)'", G_REGEX_MULTILINE, 0, NULL);
  ramdisk_line = g_regex_new ("^ramdisk\\s*=\\s*'[^']*/([^/']+)'", G_REGEX_MULTILINE, 0,
                              NULL);
  name_line = g_regex_new ("^name\\s*=.*$", G_REGEX_MULTILINE, 0, NULL);
  text = g_regex_replace (kernel_line, lab_xl_config_get_text (lab_domain_get_config (guest)),
                          -1, 0, "kernel = '\\1'", 0, NULL);
  next = g_regex_replace (ramdisk_line, text, -1, 0, "ramdisk = '\\1'", 0, NULL);
  g_free (text);
  text = next;
  next = g_regex_replace_literal (name_line, text, -1, 0, "name = 'relative'", 0, NULL);
  g_free (text);
  text = next;
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "kernel = 'guest-vmlinuz'"));
  path = g_build_filename (lab_fixture_get (lab, "LAB_HOME"), "unikernels", "relative.xl", NULL);
  lab_app_write_user_file (lab, path, text);

  relative = lab_app_wait_domain (connection, "relative", 60);
  g_assert_nonnull (relative);
  g_object_ref (relative);
  lab_app_start_domain (connection, relative);
  lab_app_act_and_wait (connection, relative, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);
  g_object_unref (relative);
}

static void
test_action_errors (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  LabDomain *www;
  g_autoptr(GError) error = NULL;

  www = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (www);
  /* Refused before anything is sent: the domain is not running. */
  error = lab_app_run_action (connection, www, LAB_DOMAIN_ACTION_PAUSE);
  g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED);
}

static gboolean
legacy_fixed (gpointer data)
{
  LabDomain *domain = data;

  return lab_domain_get_config (domain) != NULL
         && !lab_xl_config_has_legacy_builder (lab_domain_get_config (domain));
}

typedef struct
{
  gboolean  done;
  char     *backup;
  GError   *error;
} FixWait;

static void
fix_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  FixWait *wait = user_data;

  wait->backup = lab_host_connection_fix_legacy_config_finish (LAB_HOST_CONNECTION (source),
                                                               result, &wait->error);
  wait->done = TRUE;
}

static gboolean
fix_done (gpointer data)
{
  return ((FixWait *) data)->done;
}

static void
test_legacy_fix (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  LabDomain *www;
  LabDomain *classic;
  g_autoptr(GError) error = NULL;
  g_autofree char *legacy = NULL;
  g_autofree char *path = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GRegex) type_line = NULL;
  FixWait wait = { FALSE, NULL, NULL };
  int status = -1;

  /* The classic recipe's config: the sample with builder='linux' instead of a type. */
  www = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (www);
  type_line = g_regex_new ("^type\\s*=.*$", G_REGEX_MULTILINE, 0, NULL);
  legacy = g_regex_replace_literal (type_line, lab_xl_config_get_text (lab_domain_get_config (www)),
                                    -1, 0, "builder = 'linux'", 0, NULL);
  if (strstr (legacy, "builder") == NULL)
    {
      char *with = g_strconcat ("builder = 'linux'\n", legacy, NULL);

      g_free (legacy);
      legacy = with;
    }
  {
    g_autoptr(GRegex) name_line = g_regex_new ("^name\\s*=.*$", G_REGEX_MULTILINE, 0, NULL);
    char *named = g_regex_replace_literal (name_line, legacy, -1, 0, "name = \"classic\"", 0,
                                           NULL);

    g_free (legacy);
    legacy = named;
  }
  path = g_build_filename (lab_fixture_get (lab, "LAB_HOME"), "unikernels", "classic.xl", NULL);
  lab_app_write_user_file (lab, path, legacy);

  lab_host_connection_poll_now (connection);
  classic = NULL;
  for (guint i = 0; i < 3 && classic == NULL; i++)
    {
      /* Config folders are searched every few polls. */
      classic = lab_app_wait_domain (connection, "classic", 20);
    }
  g_assert_nonnull (classic);
  g_object_ref (classic);
  g_assert_true (lab_xl_config_has_legacy_builder (lab_domain_get_config (classic)));

  /* Starting it explains the problem instead of relaying xl's error. */
  error = lab_app_run_action (connection, classic, LAB_DOMAIN_ACTION_START);
  g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_LEGACY_CONFIG);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The fix: backup kept, file rewritten with type = "pv", start works. */
  lab_host_connection_fix_legacy_config_async (connection, classic, NULL, fix_cb, &wait);
  g_assert_true (lab_test_wait_for (fix_done, &wait, 60000));
  g_assert_no_error (wait.error);
  g_assert_true (g_str_has_suffix (wait.backup, "classic.xl.mirage-lab.bak"));

  script = g_strdup_printf ("cat %s; echo ===; cat %s; stat -c %%U %s", path, wait.backup, path);
  g_assert_true (lab_fixture_exec_sh (lab, script, &out, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("%s", out);
  {
    g_auto(GStrv) parts = g_strsplit (out, "===\n", 2);

    g_assert_nonnull (strstr (parts[0], "type = \"pv\""));
    g_assert_null (strstr (parts[0], "builder"));
    g_assert_true (g_str_has_prefix (parts[1], legacy));
    g_assert_nonnull (strstr (parts[1], lab_fixture_get (lab, "LAB_USER")));
  }

  /* The fix completes once the domain has the fixed config: a start right away uses it. */
  g_assert_true (legacy_fixed (classic));
  lab_app_start_domain (connection, classic);
  lab_app_act_and_wait (connection, classic, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);

  g_free (wait.backup);
  g_object_unref (classic);
}

/* dom0's xl state letters of @name, or "" when xl does not list it (as root in dom0). */
static char *
dom0_state_of (LabFixture *lab,
               const char *name)
{
  g_autofree char *quoted = g_shell_quote (name);
  g_autofree char *script = g_strdup_printf ("xl list | awk -v n=%s '$1 == n {print $5}'",
                                             quoted);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_true (lab_fixture_exec_sh (lab, script, &out, &status, &error));
  g_assert_no_error (error);
  return g_strstrip (out);
}

/* A copy of @sample's config under @file whose name is @literal, written as it stands in
 * the file (quotes and escapes included; any bytes). */
static void
write_config_with_name (LabFixture *lab,
                        LabDomain  *sample,
                        const char *file,
                        const char *literal)
{
  g_autoptr(GRegex) name_line = g_regex_new ("^name\\s*=.*$", G_REGEX_MULTILINE | G_REGEX_RAW,
                                             0, NULL);
  g_autofree char *quoted = g_strdup_printf ("name = %s", literal);
  g_autofree char *text = g_regex_replace_literal (name_line,
                                                   lab_xl_config_get_text (
                                                     lab_domain_get_config (sample)),
                                                   -1, 0, quoted, 0, NULL);
  g_autofree char *path = g_build_filename (lab_fixture_get (lab, "LAB_HOME"), "unikernels",
                                            file, NULL);

  lab_app_write_user_file (lab, path, text);
}

/* Removes the test's own configs (@files: names in ~/unikernels) and lists again. */
static void
remove_unikernel_files (LabFixture        *lab,
                        LabHostConnection *connection,
                        const char        *files)
{
  g_autofree char *script = g_strdup_printf ("cd %s/unikernels && rm -f %s",
                                             lab_fixture_get (lab, "LAB_HOME"), files);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (lab_fixture_exec_sh (lab, script, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  lab_host_connection_poll_now (connection);
}

static void
write_named_copy (LabFixture *lab,
                  LabDomain  *sample,
                  const char *file,
                  const char *name)
{
  g_autofree char *literal = g_strdup_printf ("'%s'", name);

  write_config_with_name (lab, sample, file, literal);
}

/* Names xl could misread: a config named like an option or an ID is refused with a
 * reason; a domain named "-a" started by hand is shut down and destroyed alone (by its ID,
 * not as xl's "-a" for all domains); a name with markup and "&" is just a name. */
static void
test_hostile_names (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  static const char * const names[] = { "-a", "12345", "R&D<b>x&amp;", NULL };
  LabDomain *guest;
  LabDomain *markup;
  LabDomain *dash;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *script = NULL;
  int status = -1;

  guest = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (guest);
  g_assert_true (lab_test_wait_for (lab_app_domain_stopped, guest, 60000));
  write_named_copy (lab, guest, "dash-a.xl", names[0]);
  write_named_copy (lab, guest, "digits.xl", names[1]);
  write_named_copy (lab, guest, "markup.xl", names[2]);
  lab_host_connection_poll_now (connection);

  for (guint i = 0; i < 2; i++)
    {
      LabDomain *domain = lab_app_wait_domain (connection, names[i], 60);

      g_assert_nonnull (domain);
      error = lab_app_run_action (connection, domain, LAB_DOMAIN_ACTION_START);
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED);
      g_test_message ("%s: %s", names[i], error->message);
      g_assert_nonnull (strstr (error->message, i == 0 ? "option" : "domain ID"));
      g_clear_error (&error);
    }

  error = lab_app_run_action (connection, guest, LAB_DOMAIN_ACTION_START);
  g_assert_no_error (error);
  markup = lab_app_wait_domain (connection, names[2], 60);
  g_assert_nonnull (markup);
  error = lab_app_run_action (connection, markup, LAB_DOMAIN_ACTION_START);
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (lab_app_domain_running, guest, 60000));
  g_assert_true (lab_test_wait_for (lab_app_domain_running, markup, 60000));

  /* "-a" started by hand on dom0, as xl itself allows. */
  script = g_strdup_printf ("cd %s/unikernels && xl create dash-a.xl",
                            lab_fixture_get (lab, "LAB_HOME"));
  g_assert_true (lab_fixture_exec_sh (lab, script, &out, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  dash = lab_app_wait_domain (connection, names[0], 60);
  g_assert_true (lab_test_wait_for (lab_app_domain_running, dash, 60000));

  /* Shut down "-a" (forced off if it ignores that): once it is gone, the others still
   * run. */
  error = lab_app_run_action (connection, dash, LAB_DOMAIN_ACTION_SHUTDOWN);
  g_assert_no_error (error);
  if (!lab_test_wait_for (lab_app_domain_stopped, dash, 60000))
    {
      error = lab_app_run_action (connection, dash, LAB_DOMAIN_ACTION_DESTROY);
      g_assert_no_error (error);
      g_assert_true (lab_test_wait_for (lab_app_domain_stopped, dash, 60000));
    }
  {
    g_autofree char *guest_state = dom0_state_of (lab, SAMPLE_NAME);
    g_autofree char *markup_state = dom0_state_of (lab, names[2]);

    g_test_message ("after shutting down -a: guest %s, %s %s", guest_state, names[2],
                    markup_state);
    g_assert_cmpuint (strlen (guest_state), ==, 6);
    g_assert_cmpuint (strlen (markup_state), ==, 6);
    g_assert_null (strchr (guest_state, 's'));
    g_assert_null (strchr (markup_state, 's'));
  }
  g_assert_true (lab_domain_get_running (guest));
  g_assert_true (lab_domain_get_running (markup));

  /* Force off the markup one: only it goes. */
  lab_app_act_and_wait (connection, markup, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);
  g_assert_true (lab_domain_get_running (guest));
  lab_app_act_and_wait (connection, guest, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);

  remove_unikernel_files (lab, connection, "dash-a.xl digits.xl markup.xl");
}

/* Whether xl list -l shows dom0 alone (it leaves out names that are not UTF-8, so the
 * test only asks this once they are gone). */
static gboolean
only_dom0_left (LabFixture *lab)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (lab_fixture_exec_sh (lab, "xl list -l | grep -c '\"domid\"'", &out, &status,
                                      &error));
  g_assert_no_error (error);
  return g_ascii_strtoull (out, NULL, 10) == 1;
}

/* Names with quotes and spaces, of 200 characters, with a newline (whose line before the
 * row looks like a row of its own), and with bytes that are not UTF-8: each is listed once,
 * under the name xl gave it, the list keeps working, and each is acted on alone. The app
 * starts only what its lists can show; the rest is started by hand on dom0. */
static void
test_odd_names (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  g_autofree char *long_name = g_strnfill (200, 'n');
  g_autofree char *long_literal = g_strdup_printf ("'%s'", long_name);
  const char *quotes = "it's \"q\" sp";
  /* Its first line looks like a row of a domain "x" with ID 1. */
  const char *split = "x 1 2 3 -b---- 0.0\nreal";
  const char *latin1 = "lat\xef\xbf\xbdn";
  LabDomain *guest, *quoted, *longest, *split_domain, *latin1_domain;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  int status = -1;

  guest = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (guest);
  g_assert_true (lab_test_wait_for (lab_app_domain_stopped, guest, 60000));
  write_config_with_name (lab, guest, "odd-quotes.xl", "'it\\'s \"q\" sp'");
  write_config_with_name (lab, guest, "odd-long.xl", long_literal);
  write_config_with_name (lab, guest, "odd-split.xl", "\"x 1 2 3 -b---- 0.0\\nreal\"");
  write_config_with_name (lab, guest, "odd-latin1.xl", "'lat\xe9n'");
  lab_host_connection_poll_now (connection);

  quoted = lab_app_wait_domain (connection, quotes, 60);
  longest = lab_app_wait_domain (connection, long_name, 60);
  split_domain = lab_app_wait_domain (connection, split, 60);
  latin1_domain = lab_app_wait_domain (connection, latin1, 60);
  g_assert_nonnull (quoted);
  g_assert_nonnull (longest);
  g_assert_nonnull (split_domain);
  g_assert_nonnull (latin1_domain);
  for (guint i = 0; i < 2; i++)
    {
      error = lab_app_run_action (connection, i ? latin1_domain : split_domain,
                                  LAB_DOMAIN_ACTION_START);
      g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "control character"));
      g_clear_error (&error);
    }

  error = lab_app_run_action (connection, quoted, LAB_DOMAIN_ACTION_START);
  g_assert_no_error (error);
  error = lab_app_run_action (connection, longest, LAB_DOMAIN_ACTION_START);
  g_assert_no_error (error);
  script = g_strdup_printf ("cd %s/unikernels && xl create -p odd-split.xl && "
                            "xl create -p odd-latin1.xl", lab_fixture_get (lab, "LAB_HOME"));
  g_assert_true (lab_fixture_exec_sh (lab, script, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (lab_test_wait_for (lab_app_domain_running, quoted, 60000));
  g_assert_true (lab_test_wait_for (lab_app_domain_running, longest, 60000));
  g_assert_true (lab_test_wait_for (lab_app_domain_running, split_domain, 60000));
  g_assert_true (lab_test_wait_for (lab_app_domain_running, latin1_domain, 60000));
  g_assert_null (lab_host_connection_get_poll_error (connection));
  g_assert_cmpstr (lab_domain_get_xl_name (latin1_domain), ==, "lat\xe9n");
  g_assert_null (lab_app_wait_domain (connection, "x", 0));
  g_assert_false (lab_domain_get_running (guest));

  /* Force off one at a time: only that one goes. The two booting guests go first, so that
   * a real Xen under emulation does not spend its time booting them. */
  {
    LabDomain *order[] = { quoted, longest, latin1_domain, split_domain };

    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
      {
        error = lab_app_run_action (connection, order[i], LAB_DOMAIN_ACTION_DESTROY);
        g_assert_no_error (error);
        g_assert_true (lab_test_wait_for (lab_app_domain_stopped, order[i], 60000));
        for (guint j = i + 1; j < G_N_ELEMENTS (order); j++)
          g_assert_true (lab_domain_get_running (order[j]));
        g_assert_true (only_dom0_left (lab) == (i + 1 == G_N_ELEMENTS (order)));
      }
  }

  remove_unikernel_files (lab, connection, "odd-quotes.xl odd-long.xl odd-split.xl odd-latin1.xl");
}

/* A lease "file" that never ends (/dev/zero, or a dom0 that lies): the list still
 * refreshes, and the domain's start is seen. */
static void
test_endless_leases (LabTestFixture *fixture)
{
  LabHostConnection *connection = fixture->connection;
  LabHost *host;
  LabDomain *guest;
  g_autofree char *leases = NULL;

  host = lab_host_connection_get_host (connection);
  leases = g_strdup (lab_host_get_leases_path (host));
  guest = lab_app_wait_domain (connection, SAMPLE_NAME, 30);
  g_assert_nonnull (guest);
  g_assert_true (lab_test_wait_for (lab_app_domain_stopped, guest, 60000));

  lab_host_set_leases_path (host, "/dev/zero");
  lab_host_connection_poll_now (connection);
  lab_app_start_domain (connection, guest);
  g_assert_null (lab_host_connection_get_poll_error (connection));
  g_assert_cmpint (lab_host_connection_get_state (connection), ==,
                   LAB_CONNECTION_STATE_CONNECTED);

  lab_host_set_leases_path (host, leases);
  lab_app_act_and_wait (connection, guest, LAB_DOMAIN_ACTION_DESTROY, lab_app_domain_stopped,
                        60000);
}

/* In the order they run. */
static const struct
{
  const char  *path;
  LabTestFunc  func;
} host_connection_tests[] = {
  { "/host-connection/connect-and-list", test_connect_and_list },
  { "/host-connection/configs-found", test_configs_found },
  { "/host-connection/new-config-next-poll", test_new_config_next_poll },
  { "/host-connection/start-needs-memory", test_start_needs_memory },
  { "/host-connection/delete-config", test_delete_config },
  { "/host-connection/duplicate-and-edit", test_duplicate_and_edit },
  { "/host-connection/config-check", test_config_check },
  { "/host-connection/start-lease-web-stop", test_start_lease_web_stop },
  { "/host-connection/web-through-ssh", test_web_through_ssh },
  { "/host-connection/remote-dom0-through-dom0", test_remote_dom0_through_dom0 },
  { "/host-connection/console-claim-outside-bridge", test_console_claim_outside_bridge },
  { "/host-connection/relative-kernel", test_relative_kernel },
  { "/host-connection/action-errors", test_action_errors },
  { "/host-connection/legacy-fix", test_legacy_fix },
  { "/host-connection/hostile-names", test_hostile_names },
  { "/host-connection/odd-names", test_odd_names },
  { "/host-connection/endless-leases", test_endless_leases },
};

int
main (int   argc,
      char *argv[])
{
  lab_app_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (host_connection_tests); i++)
    lab_app_add (host_connection_tests[i].path, NULL, host_connection_tests[i].func);

  return lab_test_run ();
}
