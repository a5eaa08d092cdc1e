/* bench-domain-list.c — 1,000 domains: parse `xl list` + `xl list -l` + `xl uptime` and
 * reconcile the domain store, and the main loop's longest stall while that runs at 1 Hz.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints figures (targets: ≤ 20 ms per poll, longest stall ≤ 16 ms); it is a benchmark, not a
 * timed test. The inputs have the exact shape of Xen 4.17's output (tools/xl/xl_info.c).
 */

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "xen/lab-domain-store.h"
#include "xen/lab-xl-list.h"

#define N_DOMAINS 1000
#define N_ROUNDS 50
#define LOOP_SECONDS 10

/* Two rounds of input, made before anything is measured; polls alternate between them so
 * CPU times move and every poll updates rows. */
static char *inputs[2][3];
static char *list_text;
static char *list_long_text;
static char *uptime_text;

static void
make_inputs (guint round)
{
  GString *list = g_string_new ("Name                                        ID   Mem VCPUs\t"
                                "State\tTime(s)\n");
  GString *json = g_string_new ("[\n");
  GString *uptime = g_string_new ("Name                                ID Uptime\n");

  for (guint i = 0; i < N_DOMAINS; i++)
    {
      g_autofree char *name = i == 0 ? g_strdup ("Domain-0")
                                     : g_strdup_printf ("unikernel-%04u", i);
      double cpu = i * 1.5 + round * 0.25 * (i % 7);

      g_string_append_printf (list, "%-40s %5u %5u %5d     %s  %8.1f\n", name, i,
                              i == 0 ? 1024 : 32, 1, i % 5 == 0 ? "r-----" : "-b----", cpu);
      g_string_append_printf (json,
                              "%s    {\n"
                              "        \"domid\": %u,\n"
                              "        \"config\": {\n"
                              "            \"c_info\": {\n"
                              "                \"type\": \"pvh\",\n"
                              "                \"name\": \"%s\",\n"
                              "                \"uuid\": \"5a6f1f0e-3c1d-4a7b-9d7e-%012x\"\n"
                              "            },\n"
                              "            \"b_info\": {\n"
                              "                \"max_vcpus\": 1,\n"
                              "                \"max_memkb\": 32768,\n"
                              "                \"target_memkb\": 32768,\n"
                              "                \"kernel\": \"/home/mirage/u/%s.xen\",\n"
                              "                \"cmdline\": \"--ipv4=10.0.%u.%u/16\",\n"
                              "                \"type.pvh\": {}\n"
                              "            },\n"
                              "            \"nics\": [\n"
                              "                {\n"
                              "                    \"devid\": 0,\n"
                              "                    \"mac\": \"00:16:3e:00:%02x:%02x\",\n"
                              "                    \"bridge\": \"br0\"\n"
                              "                }\n"
                              "            ],\n"
                              "            \"on_crash\": \"preserve\"\n"
                              "        }\n"
                              "    }",
                              i == 0 ? "" : ",\n", i, name, i, name, i / 256, i % 256,
                              i / 256, i % 256);
      g_string_append_printf (uptime, "%-33s %4u %u days, %2u:%02u:%02u\n", name, i, i / 100,
                              i % 24, i % 60, round % 60);
    }
  g_string_append (json, "\n]\n");

  list_text = g_string_free (list, FALSE);
  list_long_text = g_string_free (json, FALSE);
  uptime_text = g_string_free (uptime, FALSE);
}

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

/* One poll's work, as LabHostConnection does it: parse (in a worker thread there), then
 * reconcile the store on the main thread. */
static void
poll_once (LabDomainStore *store,
           gint64         *parse_us,
           gint64         *update_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) list = bytes_of (list_text);
  g_autoptr(GBytes) list_long = bytes_of (list_long_text);
  g_autoptr(GBytes) uptime = bytes_of (uptime_text);
  g_autoptr(GPtrArray) running = NULL;
  gint64 start = g_get_monotonic_time ();

  running = lab_xl_parse_poll (list, list_long, uptime, &error);
  g_assert_no_error (error);
  *parse_us = g_get_monotonic_time () - start;
  start = g_get_monotonic_time ();
  lab_domain_store_update (store, running, NULL, g_get_monotonic_time ());
  *update_us = g_get_monotonic_time () - start;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  LabDomainStore *store;
  gint64          last_tick;
  gint64          longest_gap;
  guint           polls;
  gboolean        done;
} LoopState;

static gboolean
tick_cb (gpointer data)
{
  LoopState *state = data;
  gint64 now = g_get_monotonic_time ();

  /* A 1 ms heartbeat: any gap beyond it is time the main loop could not answer. */
  if (state->last_tick != 0)
    state->longest_gap = MAX (state->longest_gap, now - state->last_tick);
  state->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  LoopState *state = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) running = lab_xl_parse_poll_finish (result, &error);

  g_assert_no_error (error);
  lab_domain_store_update (state->store, running, NULL, g_get_monotonic_time ());
  state->polls++;
}

static gboolean
poll_cb (gpointer data)
{
  LoopState *state = data;
  guint round = state->polls % 2;
  g_autoptr(GBytes) list = bytes_of (inputs[round][0]);
  g_autoptr(GBytes) list_long = bytes_of (inputs[round][1]);
  g_autoptr(GBytes) uptime = bytes_of (inputs[round][2]);

  lab_xl_parse_poll_async (list, list_long, uptime, NULL, parsed_cb, state);
  return G_SOURCE_CONTINUE;
}

static gboolean
stop_cb (gpointer data)
{
  ((LoopState *) data)->done = TRUE;
  return G_SOURCE_REMOVE;
}

int
main (void)
{
  g_autoptr(LabDomainStore) store = lab_domain_store_new ();
  double times[N_ROUNDS];
  double parse_times[N_ROUNDS];
  double update_times[N_ROUNDS];
  gint64 parse_us, update_us;
  LoopState state = { 0 };
  guint heartbeat, poller;

  for (guint i = 0; i < 2; i++)
    {
      make_inputs (i);
      inputs[i][0] = list_text;
      inputs[i][1] = list_long_text;
      inputs[i][2] = uptime_text;
    }

  /* First poll builds the rows; later polls update them in place (the steady state). */
  poll_once (store, &parse_us, &update_us);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, N_DOMAINS);

  for (guint r = 0; r < N_ROUNDS; r++)
    {
      list_text = inputs[(r + 1) % 2][0];
      list_long_text = inputs[(r + 1) % 2][1];
      uptime_text = inputs[(r + 1) % 2][2];
      poll_once (store, &parse_us, &update_us);
      parse_times[r] = parse_us / 1000.0;
      update_times[r] = update_us / 1000.0;
      times[r] = parse_times[r] + update_times[r];
    }
  qsort (times, N_ROUNDS, sizeof times[0], compare_doubles);
  qsort (parse_times, N_ROUNDS, sizeof times[0], compare_doubles);
  qsort (update_times, N_ROUNDS, sizeof times[0], compare_doubles);
  g_print ("domain list, %d domains: parse + merge + store update per poll: "
           "median %.2f ms, max %.2f ms (target <= 20 ms)\n",
           N_DOMAINS, times[N_ROUNDS / 2], times[N_ROUNDS - 1]);
  g_print ("  of which parsing (worker thread in the app): median %.2f ms; "
           "store update (main thread): median %.2f ms\n",
           parse_times[N_ROUNDS / 2], update_times[N_ROUNDS / 2]);

  state.store = store;
  heartbeat = g_timeout_add (1, tick_cb, &state);
  poller = g_timeout_add (1000, poll_cb, &state);
  g_timeout_add_seconds (LOOP_SECONDS, stop_cb, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (heartbeat);
  g_source_remove (poller);
  g_print ("main loop while polling at 1 Hz for %d s (%u polls): longest stall %.2f ms "
           "(target <= 16 ms)\n", LOOP_SECONDS, state.polls, state.longest_gap / 1000.0);

  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < 3; j++)
      g_free (inputs[i][j]);
  return 0;
}
