/* test-lab-domains.c — self-tests of the dom0 lab's domains: xl create/list/console/destroy,
 * DHCP leases, HTTP, pause/unpause/reboot/shutdown, crash with on_crash='preserve'
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything goes through ssh + `sudo -n xl` from ~mirage/unikernels, like the app. Runs
 * against the fast lab or, with MIRAGE_LAB_KIND=xen, the real-Xen lab: both ship guest.xl,
 * crash.xl, classic.xl and missing-kernel.xl there. xl output is parsed with the app's own
 * parsers (app/xen/lab-xl-list.c), so the stand-in and the parsers are kept in agreement.
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "xen/lab-xl-list.h"

#include "lab-test-utils.h"

#define XL_HEADER "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"

/* Bounds for polling loops: generous for the real-Xen lab under TCG. */
static int
wait_seconds (void)
{
  return g_str_equal (lab_fixture_kind (), "xen") ? 120 : 20;
}

static gboolean
is_fast (void)
{
  return g_str_equal (lab_fixture_kind (), "fast");
}

/* `sudo -n xl ARGS` in ~/unikernels; returns the exit status. */
static int
xl (LabFixture *lab,
    const char *args,
    char      **out,
    char      **err)
{
  g_autofree char *command = g_strdup_printf ("cd unikernels && sudo -n xl %s", args);

  return lab_test_ssh (lab, NULL, NULL, command, NULL, out, err);
}

static GPtrArray *
xl_list (LabFixture *lab)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  g_assert_cmpint (xl (lab, "list", &out, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, XL_HEADER));
  list = lab_xl_parse_list (out, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpuint (list->len, >=, 1);
  g_assert_cmpstr (((LabXlDomainInfo *) g_ptr_array_index (list, 0))->name, ==, "Domain-0");
  g_assert_cmpint (((LabXlDomainInfo *) g_ptr_array_index (list, 0))->domid, ==, 0);
  return list;
}

/* The domain's row in `xl list`, or NULL. */
static LabXlDomainInfo *
find (GPtrArray  *list,
      const char *name)
{
  for (guint i = 0; i < list->len; i++)
    {
      LabXlDomainInfo *info = g_ptr_array_index (list, i);

      if (g_str_equal (info->name, name))
        return info;
    }
  return NULL;
}

/* Polls `xl list` until NAME's state has LETTER at POS (or, with letter 0, until NAME is
 * gone); returns the domid seen (-1 when gone). */
static LabXlDomainInfo *
find_required (GPtrArray  *list,
               const char *name)
{
  LabXlDomainInfo *info = find (list, name);

  if (info == NULL)
    g_error ("domain %s is not in xl list", name);
  return info;
}

static int
wait_state (LabFixture *lab,
            const char *name,
            int         pos,
            char        letter)
{
  gint64 deadline = g_get_monotonic_time () + wait_seconds () * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GPtrArray) list = xl_list (lab);
      LabXlDomainInfo *info = find (list, name);

      if (letter == 0 && info == NULL)
        return -1;
      if (letter != 0 && info != NULL && info->state[pos] == letter)
        return info->domid;
      g_usleep (G_USEC_PER_SEC / 4);
    }
  g_test_message ("timed out waiting for %s state[%d] == '%c'", name, pos, letter);
  g_assert_not_reached ();
  return -2;
}

static void
destroy_if_present (LabFixture *lab,
                    const char *name)
{
  g_autoptr(GPtrArray) list = xl_list (lab);

  if (find (list, name) != NULL)
    {
      g_autofree char *args = g_strdup_printf ("destroy %s", name);

      g_assert_cmpint (xl (lab, args, NULL, NULL), ==, 0);
    }
}

static char *
create (LabFixture *lab,
        const char *config,
        int         expected_status)
{
  g_autofree char *args = g_strdup_printf ("create %s", config);
  char *err = NULL;

  g_assert_cmpint (xl (lab, args, NULL, &err), ==, expected_status);
  return err;
}

/* The domain's first MAC, from `xl network-list`. */
static char *
domain_mac (LabFixture *lab,
            const char *name)
{
  g_autofree char *args = g_strdup_printf ("network-list %s", name);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_cmpint (xl (lab, args, &out, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "Idx BE Mac Addr.         handle state evt-ch   "
                                             "tx-/rx-ring-ref BE-path"));
  g_assert_nonnull (lines[1]);
  fields = g_strsplit_set (g_strstrip (lines[1]), " ", -1);
  for (guint i = 0, n = 0; fields[i] != NULL; i++)
    {
      if (*fields[i] == '\0')
        continue;
      if (n++ == 2)
        {
          g_assert_true (g_regex_match_simple ("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", fields[i],
                                               0, 0));
          return g_strdup (fields[i]);
        }
    }
  g_assert_not_reached ();
  return NULL;
}

/* Waits for a dnsmasq lease line with MAC and returns its IP. */
static char *
wait_lease (LabFixture *lab,
            const char *mac,
            const char *hostname)
{
  gint64 deadline = g_get_monotonic_time () + wait_seconds () * G_USEC_PER_SEC;
  g_autofree char *command = g_strdup_printf ("cat %s", lab_fixture_get (lab, "LAB_LEASES"));

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;

      lab_test_ssh (lab, NULL, NULL, command, NULL, &out, NULL);
      lines = g_strsplit (out != NULL ? out : "", "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);

          /* <expiry> <MAC> <IPv4> <hostname or *> <client-id or *> */
          if (g_strv_length (f) == 5 && g_str_equal (f[1], mac))
            {
              g_test_message ("lease: %s", lines[i]);
              g_assert_true (g_str_has_prefix (f[2], "192.168.56."));
              if (hostname != NULL && is_fast ())
                g_assert_cmpstr (f[3], ==, hostname);
              return g_strdup (f[2]);
            }
        }
      g_usleep (G_USEC_PER_SEC / 4);
    }
  g_test_message ("no lease for %s", mac);
  g_assert_not_reached ();
  return NULL;
}

/* `xl console NAME` without a tty, for a few seconds. */
static char *
console_output (LabFixture *lab,
                const char *name,
                int         seconds)
{
  g_autofree char *args = g_strdup_printf ("cd unikernels && timeout %d sudo -n xl console %s"
                                           " </dev/null", seconds, name);
  char *out = NULL;
  int status = lab_test_ssh (lab, NULL, NULL, args, NULL, &out, NULL);

  /* timeout's 124, or 0 when the domain went away. */
  g_assert_true (status == 124 || status == 0);
  /* A Linux guest's console (the real-Xen lab) has CRLF line ends. */
  g_strdelimit (out, "\r", '\n');
  return out;
}

/* HTTP GET / of IP, from the test side (fast lab: the host-only network) and from dom0. */
static void
check_http (LabFixture *lab,
            const char *ip,
            const char *name)
{
  g_autofree char *command = g_strdup_printf ("timeout 20 busybox wget -q -O - http://%s/", ip);
  g_autofree char *page = NULL;

  g_assert_cmpint (lab_test_ssh (lab, NULL, NULL, command, NULL, &page, NULL), ==, 0);
  g_assert_nonnull (strstr (page, name));

  if (is_fast ())
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) conn = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *request = g_strdup_printf ("GET / HTTP/1.0\r\nHost: %s\r\n\r\n", ip);
      g_autofree char *title = g_strdup_printf ("<title>%s</title>", name);
      g_autoptr(GString) response = g_string_new (NULL);
      char buf[4096];
      gssize n;

      g_socket_client_set_timeout (client, 10);
      conn = g_socket_client_connect_to_host (client, ip, 80, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                 request, strlen (request), NULL, NULL, &error);
      g_assert_no_error (error);
      while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)),
                                       buf, sizeof buf, NULL, &error)) > 0)
        g_string_append_len (response, buf, n);
      g_assert_no_error (error);
      g_assert_true (g_regex_match_simple ("^HTTP/1\\.[01] 200 ", response->str, 0, 0));
      g_assert_nonnull (strstr (response->str, title));
    }
}

/* The dom0 side of a domain's network: 0 when vif<domid>.0 does not exist, 1 while it is
 * not (yet) in a bridge, 2 when it is enslaved to br0. */
static int
vif_state (LabFixture *lab,
           int         domid)
{
  g_autofree char *script = g_strdup_printf ("ip -o link show vif%d.0", domid);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (lab_fixture_exec_sh (lab, script, &out, &status, &error));
  g_assert_no_error (error);
  if (status != 0)
    return 0;
  return strstr (out, "master br0") != NULL ? 2 : 1;
}

/* Waits (bounded) until vif<domid>.0 is there or gone: on real Xen the vif is hotplugged
 * after the domain shows up in xl list. */
static gboolean
wait_vif (LabFixture *lab,
          int         domid,
          gboolean    present)
{
  gint64 deadline = g_get_monotonic_time () + wait_seconds () * G_USEC_PER_SEC;

  while (vif_state (lab, domid) != (present ? 2 : 0))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (G_USEC_PER_SEC / 4);
    }
  return TRUE;
}

static void
test_create_lease_console_http_destroy (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *err = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *ip = NULL;
  g_autofree char *console = NULL;
  g_autofree char *lease_line = NULL;
  g_autoptr(GPtrArray) list = NULL;
  LabXlDomainInfo *info;
  int domid;

  destroy_if_present (lab, "guest");

  err = create (lab, "guest.xl", 0);
  g_assert_cmpstr (err, ==, "Parsing config from guest.xl\n");

  list = xl_list (lab);
  info = find_required (list, "guest");
  domid = info->domid;
  g_assert_cmpint (domid, >, 0);
  g_assert_cmpint (info->memory_mib, >=, 128);
  g_assert_cmpint (info->vcpus, ==, 1);
  g_assert_null (strchr (info->state, 'c'));
  g_assert_true (wait_vif (lab, domid, TRUE));

  mac = domain_mac (lab, "guest");
  ip = wait_lease (lab, mac, "guest");

  /* The console shows the charrua lease line with the IP the domain really got. Like
   * xenconsoled, the lab delivers console output once: what one attach read is gone. */
  /* No line end in the pattern: MirageOS on Xen ends it with \r\n (Solo5's console turns
   * LF into CR LF), the fast lab's stand-in with \n. */
  lease_line = g_strdup_printf ("[INFO] [dhcp_client_lwt] Lease obtained! IP: %s, routers: "
                                "192.168.56.5", ip);
  {
    gint64 deadline = g_get_monotonic_time () + wait_seconds () * G_USEC_PER_SEC;

    g_autoptr(GString) all = g_string_new (NULL);

    do
      {
        g_clear_pointer (&console, g_free);
        console = console_output (lab, "guest", 2);
        g_string_append (all, console);
      }
    while (strstr (all->str, lease_line) == NULL && g_get_monotonic_time () < deadline);
    g_clear_pointer (&console, g_free);
    console = g_strdup (all->str);
    g_test_message ("console:\n%s", console);
    g_assert_nonnull (strstr (console, lease_line));

    /* A second attach gets only what was printed since (nothing: the guest is idle). */
    g_clear_pointer (&console, g_free);
    console = console_output (lab, "guest", 1);
    g_assert_null (strstr (console, "Lease obtained!"));
  }

  check_http (lab, ip, "guest");

  /* xl list -l agrees with the config, through the app's parser. */
  {
    g_autofree char *out = NULL;
    g_autoptr(GPtrArray) details = NULL;
    g_autoptr(GError) error = NULL;
    LabXlDomainInfo *d;

    g_assert_cmpint (xl (lab, "list -l guest", &out, NULL), ==, 0);
    details = lab_xl_parse_list_long (out, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (details->len, ==, 1);
    d = g_ptr_array_index (details, 0);
    g_assert_cmpstr (d->name, ==, "guest");
    g_assert_cmpint (d->domid, ==, domid);
    g_assert_cmpstr (d->type, ==, "pv");
    g_assert_cmpstr (d->kernel, ==, "/home/mirage/unikernels/guest-vmlinuz");
    g_assert_cmpstr (d->on_crash, ==, "preserve");
    g_assert_cmpint (d->max_memory_mib, ==, 128);
    g_assert_nonnull (d->macs);
    g_assert_cmpstr (d->macs[0], ==, mac);
    g_assert_cmpstr (d->bridges[0], ==, "br0");
  }

  /* xl uptime, through the app's parser. */
  {
    gint64 *seconds;
    g_autofree char *out = NULL;
    g_autoptr(GHashTable) uptimes = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (xl (lab, "uptime", &out, NULL), ==, 0);
    uptimes = lab_xl_parse_uptime (out, -1, &error);
    g_assert_no_error (error);
    g_assert_true (g_hash_table_contains (uptimes, "Domain-0"));
    seconds = g_hash_table_lookup (uptimes, "guest");
    g_assert_nonnull (seconds);
    g_assert_cmpint (*seconds, >=, 0);
    g_assert_cmpint (*seconds, <, 3600);
  }

  /* A second domain of the same name is refused like libxl does. */
  {
    g_autofree char *dup = create (lab, "guest.xl", 3);

    g_assert_nonnull (strstr (dup, "Domain with name \"guest\" already exists.\n"));
  }

  g_assert_cmpint (xl (lab, "destroy guest", NULL, NULL), ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = xl_list (lab);
  g_assert_null (find (list, "guest"));
  g_assert_true (wait_vif (lab, domid, FALSE));
  if (is_fast ())
    {
      g_autofree char *netns = lab_test_root_sh (lab, "ip netns list");
      g_autofree char *name = g_strdup_printf ("domu%d", domid);

      g_assert_null (strstr (netns, name));
    }
}

static void
test_pause_reboot_shutdown (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  int domid, rebooted;

  destroy_if_present (lab, "guest");
  g_free (create (lab, "guest.xl", 0));
  domid = wait_state (lab, "guest", 1, 'b');

  g_assert_cmpint (xl (lab, "pause guest", NULL, NULL), ==, 0);
  g_assert_cmpint (wait_state (lab, "guest", 2, 'p'), ==, domid);
  g_assert_cmpint (xl (lab, "unpause guest", NULL, NULL), ==, 0);
  g_assert_cmpint (wait_state (lab, "guest", 2, '-'), ==, domid);

  /* on_reboot defaults to restart: the domain comes back with a new ID. */
  g_assert_cmpint (xl (lab, "reboot guest", NULL, &err), ==, 0);
  expected = g_strdup_printf ("Rebooting domain %d\n", domid);
  g_assert_cmpstr (err, ==, expected);
  {
    gint64 deadline = g_get_monotonic_time () + wait_seconds () * G_USEC_PER_SEC;

    rebooted = domid;
    while (rebooted == domid && g_get_monotonic_time () < deadline)
      {
        g_autoptr(GPtrArray) list = xl_list (lab);
        LabXlDomainInfo *info = find (list, "guest");

        if (info != NULL)
          rebooted = info->domid;
        g_usleep (G_USEC_PER_SEC / 4);
      }
    g_assert_cmpint (rebooted, >, domid);
  }
  g_assert_true (wait_vif (lab, domid, FALSE));
  g_assert_true (wait_vif (lab, rebooted, TRUE));
  wait_state (lab, "guest", 1, 'b');

  /* on_poweroff defaults to destroy. */
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (xl (lab, "shutdown -w guest", NULL, &err), ==, 0);
  expected = g_strdup_printf ("Shutting down domain %d\nWaiting for 1 domains\n"
                              "Domain %d has been shut down, reason code 0\n",
                              rebooted, rebooted);
  g_assert_cmpstr (err, ==, expected);
  g_assert_cmpint (wait_state (lab, "guest", 0, 0), ==, -1);
  g_assert_true (wait_vif (lab, rebooted, FALSE));
}

/* xl create -p: the domain is created paused and has not run a single instruction, so no
 * DHCP yet; it boots on unpause. */
static void
test_create_paused (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *err = NULL;
  g_autofree char *mac = NULL;
  int domid;
  g_autofree char *ip = NULL;
  g_autofree char *leases = NULL;
  g_autofree char *command = NULL;

  destroy_if_present (lab, "guest");
  g_assert_cmpint (xl (lab, "create -p guest.xl", NULL, &err), ==, 0);
  g_assert_cmpstr (err, ==, "Parsing config from guest.xl\n");
  domid = wait_state (lab, "guest", 2, 'p');
  mac = domain_mac (lab, "guest");
  g_usleep (2 * G_USEC_PER_SEC);
  command = g_strdup_printf ("cat %s", lab_fixture_get (lab, "LAB_LEASES"));
  lab_test_ssh (lab, NULL, NULL, command, NULL, &leases, NULL);
  g_assert_null (strstr (leases != NULL ? leases : "", mac));

  g_assert_cmpint (xl (lab, "unpause guest", NULL, NULL), ==, 0);
  g_assert_cmpint (wait_state (lab, "guest", 2, '-'), ==, domid);
  ip = wait_lease (lab, mac, "guest");
  check_http (lab, ip, "guest");
  g_assert_cmpint (xl (lab, "destroy guest", NULL, NULL), ==, 0);
}

/* mirage 4's https.xl has `kernel = 'https.xen'`: xl opens it relative to its working
 * directory, not the config's (setup-recipes.md §0.4). Fast lab only (sample config). */
static void
test_relative_kernel (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  if (!is_fast ())
    {
      g_test_skip ("the real-Xen lab has no https.xl sample");
      return;
    }
  destroy_if_present (lab, "https");
  err = create (lab, "https/https.xl", 3);
  g_assert_nonnull (strstr (err, "failed to open file 'https.xen': No such file or directory"));
  g_assert_nonnull (strstr (err, "libxl__domain_firmware: xc_dom_kernel_file failed"));

  g_assert_cmpint (lab_test_ssh (lab, NULL, NULL,
                                 "cd unikernels/https && sudo -n xl create https.xl", NULL,
                                 NULL, &err2), ==, 0);
  g_assert_cmpstr (err2, ==, "Parsing config from https.xl\n");
  g_assert_cmpint (xl (lab, "destroy https", NULL, NULL), ==, 0);

  /* The override of setup-recipes.md §0.4: key=value arguments win over the file. */
  g_assert_cmpint (xl (lab, "create https/https.xl 'kernel=\"https/https.xen\"' memory=64",
                       NULL, NULL), ==, 0);
  {
    g_autoptr(GPtrArray) list = xl_list (lab);

    g_assert_cmpint (find_required (list, "https")->memory_mib, ==, 64);
  }
  g_assert_cmpint (xl (lab, "destroy https", NULL, NULL), ==, 0);
}

static void
test_classic_builder_linux (LabTestFixture *fixture)
{
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (xl (fixture->lab, "create classic.xl", &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "Parsing config from classic.xl\nInvalid domain type linux.\n");
}

static void
test_missing_kernel (LabTestFixture *fixture)
{
  g_autofree char *err = NULL;

  err = create (fixture->lab, "missing-kernel.xl", 3);
  g_assert_true (g_str_has_prefix (err, "Parsing config from missing-kernel.xl\n"
                                        "xc: error: panic: xg_dom_core.c:205: failed to open "
                                        "file '/home/mirage/unikernels/no-such-kernel.xen': No "
                                        "such file or directory: Internal error\n"));
  g_assert_nonnull (strstr (err, "xc_dom_kernel_file failed: No such file or directory\n"));
  g_assert_nonnull (strstr (err, ":cannot (re-)build domain: -3\n"));
}

static void
test_unknown_domain (LabTestFixture *fixture)
{
  static const char * const commands[] = { "list", "destroy", "shutdown", "console" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *args = g_strdup_printf ("%s nosuchdomain", commands[i]);
      g_autofree char *err = NULL;
      g_autofree char *out = NULL;

      g_assert_cmpint (xl (fixture->lab, args, &out, &err), ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, "nosuchdomain is an invalid domain identifier (rc=-6)\n");
    }
}

static void
test_crash_preserve (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) list = NULL;
  LabXlDomainInfo *info;
  int domid;

  destroy_if_present (lab, "crash");
  g_free (create (lab, "crash.xl", 0));
  domid = wait_state (lab, "crash", 4, 'c');
  list = xl_list (lab);
  info = find_required (list, "crash");
  g_assert_cmpstr (info->state, ==, "---sc-");

  g_assert_cmpint (xl (lab, "list -v crash", &out, NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("^crash +[0-9]+ +128 +1 +---sc- +[0-9.]+ "
                                       "[0-9a-f-]{36}        3                -$", out,
                                       G_REGEX_MULTILINE, 0));
  g_assert_cmpint (xl (lab, "destroy crash", NULL, NULL), ==, 0);
  g_assert_cmpint (wait_state (lab, "crash", 0, 0), ==, -1);
  g_assert_true (wait_vif (lab, domid, FALSE));
}

/* The OpenSSH command line (for sh -c) that logs in to the lab's user, every path quoted;
 * @options go before the destination (e.g. "-tt"). */
static char *
ssh_line (LabFixture *lab,
          const char *options)
{
  g_autofree char *key = g_shell_quote (lab_fixture_get (lab, "LAB_KEY"));
  g_autofree char *known = g_shell_quote (lab_fixture_get (lab, "LAB_KNOWN_HOSTS"));

  return g_strdup_printf ("ssh %s -F /dev/null -i %s -p %s -o UserKnownHostsFile=%s"
                          " -o BatchMode=yes -o LogLevel=ERROR %s@%s", options, key,
                          lab_fixture_get (lab, "LAB_PORT"), known,
                          lab_fixture_get (lab, "LAB_USER"), lab_fixture_get (lab, "LAB_HOST"));
}

/* The guest started afresh; returns the ssh_line() to reach dom0 with. */
static char *
guest_up (LabFixture *lab,
          const char *ssh_options)
{
  destroy_if_present (lab, "guest");
  g_free (create (lab, "guest.xl", 0));
  wait_state (lab, "guest", 1, 'b');
  return ssh_line (lab, ssh_options);
}

/* Runs @script with sh -c on the test side; asserts it exits 0, returns its stdout. */
static char *
sh_ok (const char *script)
{
  const char *argv[] = { "sh", "-c", script, NULL };
  char *out = NULL;

  g_assert_cmpint (lab_test_spawn (argv, NULL, &out, NULL), ==, 0);
  return out;
}

/* `xl console` with a tty: Ctrl-] detaches (exit status 0). */
static void
test_console_tty_detach (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *ssh = guest_up (lab, "-tt");
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;

  script = g_strdup_printf ("(sleep 3; printf '\\035'; sleep 1) | timeout 30 %s"
                            " 'sudo -n xl console guest'", ssh);
  out = sh_ok (script);
  g_test_message ("%s", out);
  if (is_fast ())
    g_assert_nonnull (strstr (out, "Solo5: Bindings version"));
  g_assert_cmpint (xl (lab, "destroy guest", NULL, NULL), ==, 0);
}

/* A console attached without a tty ends (status 0) when its domain is destroyed. */
static void
test_console_exits_on_destroy (LabTestFixture *fixture)
{
  g_autofree char *ssh = guest_up (fixture->lab, "-T");
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;

  script = g_strdup_printf ("timeout 60 %s 'sudo -n xl console guest' </dev/null >/dev/null &"
                            " pid=$!; sleep 2; %s 'sudo -n xl destroy guest' || exit 99;"
                            " wait $pid; echo console=$?", ssh, ssh);
  out = sh_ok (script);
  g_assert_cmpstr (out, ==, "console=0\n");
}

/* Counts what a domain leaves behind: dom0 netns and vifs, root-namespace links and
 * (non-zombie) processes of the lab. */
static char *
footprint (LabFixture *lab)
{
  g_autofree char *dom0 = lab_test_root_sh (lab,
    "echo netns=$(ip netns list | wc -l) vifs=$(ip -o link | grep -c ' vif')"
    " bridge_ports=$(ls /sys/class/net/br0/brif | wc -l)"
    " busybox=$(ps -e -o stat=,comm= | grep -v '^Z' | grep -c busybox)");
  g_autofree char *host_links = NULL;

  /* Root-namespace links only mean something for the fast lab (the real-Xen lab is behind
   * QEMU user networking), and only while it holds the fast lab's lock. */
  if (!is_fast ())
    return g_strdup (g_strstrip (dom0));
  host_links = sh_ok ("ip -o link | wc -l");
  return g_strdup_printf ("%s host_links=%s", g_strstrip (dom0), g_strstrip (host_links));
}

static void
test_repeat_leaves_nothing (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  destroy_if_present (lab, "guest");
  before = footprint (lab);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *mac = NULL;
      g_autofree char *ip = NULL;

      g_free (create (lab, "guest.xl", 0));
      mac = domain_mac (lab, "guest");
      ip = wait_lease (lab, mac, "guest");
      g_assert_cmpint (xl (lab, "destroy guest", NULL, NULL), ==, 0);
    }
  after = footprint (lab);
  g_test_message ("before: %s\nafter:  %s", before, after);
  g_assert_cmpstr (after, ==, before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  lab_test_add ("/lab/domains/create-lease-console-http-destroy", "nopasswd", NULL,
                test_create_lease_console_http_destroy);
  lab_test_add ("/lab/domains/pause-reboot-shutdown", "nopasswd", NULL, test_pause_reboot_shutdown);
  lab_test_add ("/lab/domains/create-paused", "nopasswd", NULL, test_create_paused);
  lab_test_add ("/lab/domains/relative-kernel", "nopasswd", NULL, test_relative_kernel);
  lab_test_add ("/lab/domains/classic-builder-linux", "nopasswd", NULL, test_classic_builder_linux);
  lab_test_add ("/lab/domains/missing-kernel", "nopasswd", NULL, test_missing_kernel);
  lab_test_add ("/lab/domains/unknown-domain", "nopasswd", NULL, test_unknown_domain);
  lab_test_add ("/lab/domains/crash-preserve", "nopasswd", NULL, test_crash_preserve);
  lab_test_add ("/lab/domains/console-tty-detach", "nopasswd", NULL, test_console_tty_detach);
  lab_test_add ("/lab/domains/console-exits-on-destroy", "nopasswd", NULL,
                test_console_exits_on_destroy);
  lab_test_add ("/lab/domains/repeat-leaves-nothing", "nopasswd", NULL, test_repeat_leaves_nothing);
  return lab_test_run ();
}
