/* test-domain-store.c — LabDomain state and CPU usage, LabDomainStore reconciliation
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "xen/lab-domain-store.h"
#include "xen/lab-xl-commands.h"
#include "xen/lab-host-connection.h"
#include "lab-test-utils.h"

static LabXlDomainInfo *
make_info (const char *name,
           int         domid,
           const char *state,
           double      cpu_time)
{
  LabXlDomainInfo *info = lab_xl_domain_info_new ();

  info->name = g_strdup (name);
  info->domid = domid;
  info->state = g_strdup (state);
  info->cpu_time = cpu_time;
  info->memory_mib = 256;
  info->vcpus = 1;

  return info;
}

static GPtrArray *
infos (LabXlDomainInfo *first, ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_xl_domain_info_free);
  va_list args;

  va_start (args, first);
  for (LabXlDomainInfo *info = first; info != NULL; info = va_arg (args, LabXlDomainInfo *))
    g_ptr_array_add (array, info);
  va_end (args);

  return array;
}

static void
test_state_letters (void)
{
  struct { const char *letters; LabDomainState state; } cases[] = {
    { "r-----", LAB_DOMAIN_STATE_RUNNING },
    { "------", LAB_DOMAIN_STATE_RUNNING },
    { "-b----", LAB_DOMAIN_STATE_BLOCKED },
    { "--p---", LAB_DOMAIN_STATE_PAUSED },
    { "-bp---", LAB_DOMAIN_STATE_PAUSED },
    { "---s--", LAB_DOMAIN_STATE_SHUTDOWN },
    { "---sr-", LAB_DOMAIN_STATE_SHUTDOWN },
    { "---sc-", LAB_DOMAIN_STATE_CRASHED },
    { "----c-", LAB_DOMAIN_STATE_CRASHED },
    { "---s-d", LAB_DOMAIN_STATE_DYING },
    { "", LAB_DOMAIN_STATE_SHUT_OFF },
    { NULL, LAB_DOMAIN_STATE_SHUT_OFF },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      LabDomainState state = lab_domain_state_from_letters (cases[i].letters);

      g_assert_cmpint (state, ==, cases[i].state);
      g_assert_nonnull (lab_domain_state_to_string (state));
      g_assert_nonnull (lab_domain_state_get_icon_name (state));
    }
}

static void
test_cpu_usage (void)
{
  g_autoptr(LabDomain) domain = lab_domain_new ("web");
  g_autoptr(LabXlDomainInfo) a = make_info ("web", 5, "-b----", 10.0);
  g_autoptr(LabXlDomainInfo) b = make_info ("web", 5, "r-----", 10.5);
  g_autoptr(LabXlDomainInfo) c = make_info ("web", 9, "r-----", 0.1);
  const double *history;
  guint n = 0;

  lab_domain_update_from_info (domain, a, 1 * G_USEC_PER_SEC);
  g_assert_cmpfloat (lab_domain_get_cpu_usage (domain), ==, 0.0);
  lab_domain_get_cpu_history (domain, &n);
  g_assert_cmpuint (n, ==, 0);

  /* 0.5 s of CPU in 2 s of wall time on one vCPU: 25 %. */
  lab_domain_update_from_info (domain, b, 3 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (lab_domain_get_cpu_usage (domain), 25.0, 1e-9);
  history = lab_domain_get_cpu_history (domain, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat_with_epsilon (history[0], 25.0, 1e-9);
  g_assert_cmpint (lab_domain_get_state (domain), ==, LAB_DOMAIN_STATE_RUNNING);

  /* Same name, new domid (restarted): samples start again, no negative usage. */
  lab_domain_update_from_info (domain, c, 4 * G_USEC_PER_SEC);
  lab_domain_get_cpu_history (domain, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (lab_domain_get_domid (domain), ==, 9);

  /* The ring keeps the newest LAB_DOMAIN_CPU_HISTORY samples in order. */
  for (int i = 1; i <= 40; i++)
    {
      g_autoptr(LabXlDomainInfo) tick = make_info ("web", 9, "r-----", 0.1 + i * 0.01);

      lab_domain_update_from_info (domain, tick, (4 + i) * G_USEC_PER_SEC);
    }
  history = lab_domain_get_cpu_history (domain, &n);
  g_assert_cmpuint (n, ==, LAB_DOMAIN_CPU_HISTORY);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (history[i], 1.0, 1e-6);
}

typedef struct
{
  guint added;
  guint removed;
  guint changes;
  guint crashed;
  guint vanished;
} Counts;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Counts     *counts)
{
  counts->added += added;
  counts->removed += removed;
  counts->changes++;
}

static void
on_crashed (LabDomainStore *store,
            LabDomain      *domain,
            Counts         *counts)
{
  counts->crashed++;
}

static void
on_vanished (LabDomainStore *store,
             LabDomain      *domain,
             Counts         *counts)
{
  counts->vanished++;
}

static void
test_store_reconcile (void)
{
  g_autoptr(LabDomainStore) store = lab_domain_store_new ();
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) poll1 = NULL;
  g_autoptr(GPtrArray) poll2 = NULL;
  g_autoptr(GPtrArray) poll3 = NULL;
  g_autoptr(GPtrArray) poll4 = NULL;
  g_autoptr(LabDomain) web = NULL;
  Counts counts = { 0 };
  LabXlConfig *config;

  g_signal_connect (store, "items-changed", G_CALLBACK (on_items_changed), &counts);
  g_signal_connect (store, "domain-crashed", G_CALLBACK (on_crashed), &counts);
  g_signal_connect (store, "domain-vanished", G_CALLBACK (on_vanished), &counts);

  config = lab_xl_config_new_from_data ("/home/mirage/web.xl",
                                        "name = 'web'\nmemory = 64\n"
                                        "vif = ['mac=00:16:3e:00:00:0a,bridge=br0']\n",
                                        -1, NULL);
  g_ptr_array_add (configs, config);
  config = lab_xl_config_new_from_data ("/home/mirage/idle.xl", "memory = 32\n", -1, NULL);
  g_ptr_array_add (configs, config);

  /* Poll 1: dom0 running, two configs on disk. */
  poll1 = infos (make_info ("Domain-0", 0, "r-----", 10.0), NULL);
  lab_domain_store_update (store, poll1, configs, 1 * G_USEC_PER_SEC);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  web = g_object_ref (lab_domain_store_lookup (store, "web"));
  g_assert_nonnull (web);
  g_assert_false (lab_domain_get_running (web));
  g_assert_cmpint (lab_domain_get_state (web), ==, LAB_DOMAIN_STATE_SHUT_OFF);
  g_assert_cmpint (lab_domain_get_memory_mib (web), ==, 64);
  g_assert_cmpstr (lab_domain_get_macs (web)[0], ==, "00:16:3e:00:00:0a");
  g_assert_cmpstr (lab_domain_get_config_path (web), ==, "/home/mirage/web.xl");
  /* A config without a name is listed under its file name. */
  g_assert_nonnull (lab_domain_store_lookup (store, "idle"));

  /* Poll 2: web started. Same object, updated in place, no row added. */
  counts = (Counts) { 0 };
  poll2 = infos (make_info ("Domain-0", 0, "r-----", 11.0),
                 make_info ("web", 4, "-b----", 0.2), NULL);
  lab_domain_store_update (store, poll2, NULL, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (counts.changes, ==, 0);
  g_assert_true (lab_domain_store_lookup (store, "web") == web);
  g_assert_true (lab_domain_get_running (web));
  g_assert_cmpint (lab_domain_get_domid (web), ==, 4);
  g_assert_cmpstr (lab_domain_get_config_path (web), ==, "/home/mirage/web.xl");

  /* Poll 3: web crashed (preserved), a domain without config appeared. */
  counts = (Counts) { 0 };
  poll3 = infos (make_info ("Domain-0", 0, "r-----", 12.0),
                 make_info ("web", 4, "---sc-", 0.3),
                 make_info ("adhoc", 5, "-b----", 0.1), NULL);
  lab_domain_store_update (store, poll3, NULL, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (counts.crashed, ==, 1);
  g_assert_cmpuint (counts.added, ==, 1);
  g_assert_cmpint (lab_domain_get_state (web), ==, LAB_DOMAIN_STATE_CRASHED);

  /* Poll 4: both gone. web stays as a shut-off row (it has a config), adhoc goes. */
  counts = (Counts) { 0 };
  poll4 = infos (make_info ("Domain-0", 0, "r-----", 13.0), NULL);
  lab_domain_store_update (store, poll4, NULL, 4 * G_USEC_PER_SEC);
  g_assert_cmpuint (counts.vanished, ==, 2);
  g_assert_cmpuint (counts.removed, ==, 1);
  g_assert_cmpuint (counts.crashed, ==, 0);
  g_assert_null (lab_domain_store_lookup (store, "adhoc"));
  g_assert_true (lab_domain_store_lookup (store, "web") == web);
  g_assert_false (lab_domain_get_running (web));
  g_assert_cmpint (lab_domain_get_state (web), ==, LAB_DOMAIN_STATE_SHUT_OFF);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);

  /* Configs gone from disk: their shut-off rows go too. */
  counts = (Counts) { 0 };
  g_ptr_array_set_size (configs, 0);
  lab_domain_store_update (store, poll4, configs, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (counts.removed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
}

static void
test_store_many (void)
{
  g_autoptr(LabDomainStore) store = lab_domain_store_new ();
  g_autoptr(GPtrArray) poll = g_ptr_array_new_with_free_func (
    (GDestroyNotify) lab_xl_domain_info_free);

  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("unikernel-%04d", i);

      g_ptr_array_add (poll, make_info (name, i + 1, "-b----", i * 0.1));
    }

  lab_domain_store_update (store, poll, NULL, G_USEC_PER_SEC);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1000);
  lab_domain_store_update (store, poll, NULL, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1000);
}

static void
count_signal (LabHostConnection *connection,
              LabDomain         *domain,
              GPtrArray         *names)
{
  g_ptr_array_add (names, g_strdup (lab_domain_get_name (domain)));
}

static void
record_end (LabHostConnection *connection,
            LabDomain         *domain,
            GPtrArray         *ends)
{
  GEnumClass *klass = g_type_class_ref (LAB_TYPE_DOMAIN_END);
  GEnumValue *value = g_enum_get_value (klass, lab_domain_get_end_reason (domain));

  g_ptr_array_add (ends, g_strdup_printf ("%s=%s", lab_domain_get_name (domain),
                                          value->value_nick));
  g_type_class_unref (klass);
}

static gboolean
has_items (gpointer user_data)
{
  return ((GPtrArray *) user_data)->len > 0;
}

static void
test_connection_unexpected_ends (void)
{
  g_autoptr(LabHost) host = lab_host_new ("lab", "192.168.56.5");
  g_autoptr(LabHostConnection) connection = lab_host_connection_new (host);
  LabDomainStore *store = lab_host_connection_get_domains (connection);
  g_autoptr(GPtrArray) crashed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) poll1 = infos (make_info ("Domain-0", 0, "r-----", 1.0),
                                      make_info ("asked", 3, "-b----", 0.1),
                                      make_info ("surprise", 4, "-b----", 0.1),
                                      make_info ("crashy", 5, "-b----", 0.1), NULL);
  g_autoptr(GPtrArray) poll2 = infos (make_info ("Domain-0", 0, "r-----", 2.0),
                                      make_info ("crashy", 5, "---sc-", 0.2), NULL);

  g_signal_connect (connection, "domain-crashed", G_CALLBACK (count_signal), crashed);
  g_signal_connect (connection, "domain-lost", G_CALLBACK (count_signal), lost);
  g_signal_connect (connection, "domain-ended", G_CALLBACK (record_end), ended);
  g_assert_cmpint (lab_host_connection_get_state (connection), ==,
                   LAB_CONNECTION_STATE_DISCONNECTED);

  lab_domain_store_update (store, poll1, NULL, G_USEC_PER_SEC);
  /* The user forced "asked" off, and "crashy" too — but crashy crashes first. */
  lab_host_connection_expect_end (connection, "asked");
  lab_host_connection_expect_end (connection, "crashy");
  lab_domain_store_update (store, poll2, NULL, 2 * G_USEC_PER_SEC);

  /* An unexpected end is explained once the domain's console had its last say. */
  lab_test_wait_for (has_items, lost, 10000);
  g_assert_cmpuint (lost->len, ==, 1);
  g_assert_cmpstr (lost->pdata[0], ==, "surprise");
  g_assert_cmpuint (crashed->len, ==, 1);
  g_assert_cmpstr (crashed->pdata[0], ==, "crashy");

  /* Why each ended: asked for, seen in the state letters, not known (no console). */
  g_assert_cmpuint (ended->len, ==, 3);
  g_assert_true (g_ptr_array_find_with_equal_func (ended, "asked=destroyed-by-user",
                                                   g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (ended, "crashy=crash", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (ended, "surprise=unknown", g_str_equal,
                                                   NULL));
  g_assert_true (lab_domain_get_end_preserved (lab_domain_store_lookup (store, "crashy")));
  g_assert_true (g_str_has_prefix (lab_domain_get_end_summary (lab_domain_store_lookup (store,
                                                                                     "crashy")),
                                   "Crashed (preserved) — "));


  /* States for the UI. */
  lab_host_connection_set_state (connection, LAB_CONNECTION_STATE_FAILED, "refused");
  g_assert_cmpint (lab_host_connection_get_state (connection), ==, LAB_CONNECTION_STATE_FAILED);
  g_assert_cmpstr (lab_host_connection_get_message (connection), ==, "refused");
  for (int s = LAB_CONNECTION_STATE_DISCONNECTED; s <= LAB_CONNECTION_STATE_FAILED; s++)
    {
      g_assert_nonnull (lab_connection_state_to_string (s));
      g_assert_nonnull (lab_connection_state_get_icon_name (s));
    }
}

static void
test_end_reasons (void)
{
  g_autoptr(LabDomain) domain = lab_domain_new ("www");
  LabXlDomainInfo *running = make_info ("www", 7, "-b----", 0.1);
  LabXlDomainInfo *rebooted = make_info ("www", 8, "-b----", 0.1);
  LabXlDomainInfo *watchdog = make_info ("www", 8, "---sw-", 0.1);

  g_assert_cmpint (lab_domain_end_from_letters ("-b----"), ==, LAB_DOMAIN_END_NONE);
  g_assert_cmpint (lab_domain_end_from_letters ("---s--"), ==, LAB_DOMAIN_END_POWEROFF);
  g_assert_cmpint (lab_domain_end_from_letters ("---sr-"), ==, LAB_DOMAIN_END_REBOOT);
  g_assert_cmpint (lab_domain_end_from_letters ("---sc-"), ==, LAB_DOMAIN_END_CRASH);
  g_assert_cmpint (lab_domain_end_from_letters ("---sw-"), ==, LAB_DOMAIN_END_WATCHDOG);
  g_assert_cmpint (lab_domain_end_from_letters ("---sS-"), ==, LAB_DOMAIN_END_SOFT_RESET);
  g_assert_cmpint (lab_domain_end_from_letters (NULL), ==, LAB_DOMAIN_END_NONE);
  g_assert_cmpint (lab_domain_end_from_console ("Solo5: solo5_abort() called"), ==,
                   LAB_DOMAIN_END_CRASH);
  g_assert_cmpint (lab_domain_end_from_console ("Fatal error: exception Failure(\"x\")\n"
                                                "Do_exit called!"), ==, LAB_DOMAIN_END_CRASH);
  g_assert_cmpint (lab_domain_end_from_console ("Solo5: solo5_exit(0) called"), ==,
                   LAB_DOMAIN_END_POWEROFF);
  g_assert_cmpint (lab_domain_end_from_console ("[http] listening"), ==,
                   LAB_DOMAIN_END_UNKNOWN);
  g_assert_cmpint (lab_domain_end_from_console (NULL), ==, LAB_DOMAIN_END_UNKNOWN);

  /* Started by us 2.5 s ago; xl restarts it under a new domid: it rebooted. */
  running->uptime = 40;
  lab_domain_update_from_info (domain, running, G_USEC_PER_SEC);
  g_assert_cmpint (lab_domain_get_end_reason (domain), ==, LAB_DOMAIN_END_NONE);
  g_assert_null (lab_domain_get_end_summary (domain));
  lab_domain_mark_started (domain, g_get_real_time () - 5 * G_USEC_PER_SEC / 2);
  lab_domain_update_from_info (domain, rebooted, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (lab_domain_get_end_reason (domain), ==, LAB_DOMAIN_END_REBOOT);
  g_assert_cmpstr (lab_domain_get_end_summary (domain), ==, "Rebooted — 2.5 s after start");

  /* The new run ends by its watchdog, preserved; then the user destroys it. */
  lab_domain_update_from_info (domain, watchdog, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (lab_domain_get_end_reason (domain), ==, LAB_DOMAIN_END_WATCHDOG);
  g_assert_true (lab_domain_get_end_preserved (domain));
  lab_domain_set_stopped (domain);
  lab_domain_set_end (domain, LAB_DOMAIN_END_DESTROYED_BY_USER, FALSE, FALSE);
  g_assert_cmpint (lab_domain_get_end_reason (domain), ==, LAB_DOMAIN_END_WATCHDOG);
  g_assert_false (lab_domain_get_end_preserved (domain));
  g_assert_true (g_str_has_prefix (lab_domain_get_end_summary (domain),
                                   "Stopped by its watchdog — "));

  lab_xl_domain_info_free (running);
  lab_xl_domain_info_free (rebooted);
  lab_xl_domain_info_free (watchdog);
}

/* Two configs declare the same name: the domain knows both, and a start names them
 * instead of picking the first path. */
static void
test_same_name_configs (void)
{
  g_autoptr(LabDomainStore) store = lab_domain_store_new ();
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) poll = infos (make_info ("Domain-0", 0, "r-----", 10.0), NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  LabDomain *web;
  const char * const *conflicts;

  g_ptr_array_add (configs, lab_xl_config_new_from_data ("/b/web.xl", "name = 'web'\n", -1,
                                                         NULL));
  g_ptr_array_add (configs, lab_xl_config_new_from_data ("/a/web.xl", "name = 'web'\n", -1,
                                                         NULL));
  g_ptr_array_add (configs, lab_xl_config_new_from_data ("/c/other.xl", "name = 'other'\n",
                                                         -1, NULL));
  lab_domain_store_update (store, poll, configs, G_USEC_PER_SEC);

  web = lab_domain_store_lookup (store, "web");
  g_assert_nonnull (web);
  conflicts = lab_domain_get_config_conflicts (web);
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (g_strv_length ((char **) conflicts), ==, 2);
  g_assert_null (lab_domain_get_config_conflicts (lab_domain_store_lookup (store, "other")));

  argv = lab_xl_action_argv (LAB_DOMAIN_ACTION_START, web, &error);
  g_assert_null (argv);
  g_assert_error (error, LAB_XL_ERROR, LAB_XL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/a/web.xl"));
  g_assert_nonnull (strstr (error->message, "/b/web.xl"));
  g_clear_error (&error);

  /* One of them renamed: no conflict any more. */
  g_ptr_array_remove_index (configs, 0);
  lab_domain_store_update (store, poll, configs, 2 * G_USEC_PER_SEC);
  g_assert_null (lab_domain_get_config_conflicts (web));
  argv = lab_xl_action_argv (LAB_DOMAIN_ACTION_START, web, &error);
  g_assert_no_error (error);
  g_assert_nonnull (argv);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/domain/state-letters", test_state_letters);
  g_test_add_func ("/domain-store/same-name-configs", test_same_name_configs);
  g_test_add_func ("/domain/cpu-usage", test_cpu_usage);
  g_test_add_func ("/domain/end-reasons", test_end_reasons);
  g_test_add_func ("/domain-store/reconcile", test_store_reconcile);
  g_test_add_func ("/domain-store/many", test_store_many);
  g_test_add_func ("/host-connection/unexpected-ends", test_connection_unexpected_ends);

  return g_test_run ();
}
