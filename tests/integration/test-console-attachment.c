/* test-console-attachment.c — a domain's console without a display, against a dom0 lab:
 * Start with Console (paused create → attach → unpause) when the domain list has not seen
 * the new domain yet, and when `xl console` cannot attach at first (another client holds
 * xenconsole's lock, as a slow or busy dom0 makes it fail); a reattach after a plain start
 * that fails at first. Each timing is provoked on purpose, on both labs.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "lab-app-util.h"
#include "lab-core.h"
#include "xen/lab-console-attachment.h"
#include "xen/lab-host-connection-private.h"

#define SAMPLE_NAME "guest"
#define HOLD_FLAG "/run/mlab-test-hold-consoles"
#define HELD_FLAG "/run/mlab-test-consoles-held"

static char *
dom0_sh (LabFixture *lab,
         const char *script)
{
  return g_strstrip (lab_test_root_sh (lab, script));
}

/* Another xenconsole client holds the console lock of every domain ID to come, as `xl
 * console` in a terminal does for its domain: xenconsole then fails at once ("Could not
 * lock /var/lock/xenconsole.N"), as it fails when it cannot attach for any other reason.
 * Each test program has a lab of its own, whose domain IDs start at 1 and stay well below
 * 64 here. Released on request; the holder gives up by itself after a minute. */
static void
hold_console_locks (LabFixture *lab)
{
  g_autofree char *out = dom0_sh (lab,
    "touch " HOLD_FLAG "; rm -f " HELD_FLAG "; "
    "setsid bash -c '"
    "  held=; for i in $(seq 1 64); do f=/var/lock/xenconsole.$i; [ -e $f ] && continue; "
    "    exec {fd}>$f; flock -n $fd && held=\"$held $f\"; done; "
    "  touch " HELD_FLAG "; "
    "  for n in $(seq 300); do [ -e " HOLD_FLAG " ] || break; sleep 0.2; done; "
    "  rm -f $held " HELD_FLAG "' </dev/null >/dev/null 2>&1 & "
    "for n in $(seq 600); do [ -e " HELD_FLAG " ] && break; sleep 0.1; done; "
    "[ -e " HELD_FLAG " ] && echo held || true");

  g_assert_cmpstr (out, ==, "held");
}

static void
release_console_locks (LabFixture *lab)
{
  g_autofree char *out = dom0_sh (lab, "rm -f " HOLD_FLAG "; "
                                       "for n in $(seq 300); do [ -e " HELD_FLAG " ] || break; "
                                       "sleep 0.1; done; [ -e " HELD_FLAG " ] || echo released");

  g_assert_cmpstr (out, ==, "released");
}

/* xl's state letters for @name on dom0 ("-b----", "--p---"…), or "" when not listed. */
static char *
dom0_state (LabFixture *lab,
            const char *name)
{
  g_autofree char *script = g_strdup_printf ("xl list %s 2>/dev/null | awk 'NR==2 {print $5}'",
                                             name);

  return dom0_sh (lab, script);
}

static gboolean
status_is (LabConsoleAttachment *attachment,
           LabConsoleStatus      status)
{
  return lab_console_attachment_get_status (attachment) == status;
}

static gboolean
is_live (gpointer data)
{
  return status_is (data, LAB_CONSOLE_STATUS_LIVE);
}

static gboolean
is_settled (gpointer data)
{
  return !status_is (data, LAB_CONSOLE_STATUS_CONNECTING);
}

/* Whether the attachment has said it waits for the console (a failed attach, tried again):
 * counted as it happens, since on a slow dom0 the wait can pass while a test still runs an
 * action of its own. */
static void
message_changed_cb (LabConsoleAttachment *attachment,
                    GParamSpec           *pspec,
                    guint                *waits)
{
  const char *message = lab_console_attachment_get_message (attachment);

  if (status_is (attachment, LAB_CONSOLE_STATUS_CONNECTING)
      && message != NULL && strstr (message, "Waiting for the console") != NULL)
    (*waits)++;
}

static gboolean
has_waited (gpointer data)
{
  return *(guint *) data > 0;
}

static LabConsoleAttachment *
attachment_new (LabHostConnection *connection,
                guint             *waits)
{
  LabConsoleAttachment *attachment = lab_console_attachment_new (connection, SAMPLE_NAME);

  *waits = 0;
  g_signal_connect (attachment, "notify::message", G_CALLBACK (message_changed_cb), waits);
  return attachment;
}

static gboolean
is_gone (gpointer data)
{
  return status_is (data, LAB_CONSOLE_STATUS_DOMAIN_GONE);
}

static char *
kept_output (LabHostConnection *connection)
{
  LabConsoleLog *log = lab_host_connection_lookup_console_log (connection, SAMPLE_NAME);
  g_autoptr(GBytes) bytes = NULL;

  if (log == NULL)
    return g_strdup ("");
  bytes = lab_console_log_dup_bytes (log);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static gboolean
kept_has_lease (gpointer data)
{
  LabHostConnection *connection = data;
  g_autofree char *text = kept_output (connection);

  return strstr (text, "Lease obtained! IP: ") != NULL;
}

/* The boot is there from its first line: xl's, then the guest's first words (a Solo5
 * banner in the fast lab, the PV kernel's in the real-Xen lab), then its lease. */
static void
assert_whole_boot (LabHostConnection *connection)
{
  g_autofree char *text = kept_output (connection);
  const char *first = strstr (text, "Solo5: Bindings");

  if (first == NULL)
    first = strstr (text, "guest: booting");
  g_test_message ("kept output:\n%s", text);
  g_assert_nonnull (strstr (text, "Parsing config from "));
  g_assert_nonnull (first);
  g_assert_true (strstr (text, "Parsing config from ") < first);
  g_assert_nonnull (strstr (first, "Lease obtained! IP: "));
}

static LabDomain *
stopped_sample (LabHostConnection *connection)
{
  LabDomain *domain = lab_app_wait_domain (connection, SAMPLE_NAME, 60);

  g_assert_nonnull (domain);
  g_assert_true (lab_test_wait_for (lab_app_domain_stopped, domain, 60000));
  if (lab_host_connection_lookup_console_log (connection, SAMPLE_NAME) != NULL)
    lab_console_log_clear (lab_host_connection_lookup_console_log (connection, SAMPLE_NAME));
  return g_object_ref (domain);
}

/* Waits (bounded) until the console has settled, and asserts it is live. */
static void
assert_settles_live (LabConsoleAttachment *attachment)
{
  g_assert_true (lab_test_wait_for (is_settled, attachment, 120000));
  g_test_message ("status %d: %s", lab_console_attachment_get_status (attachment),
                  lab_console_attachment_get_message (attachment));
  g_assert_true (is_live (attachment));
}

/* The list still shows the domain shut off when the console attaches and the unpause is
 * asked for: the start must not depend on it. */
static void
test_list_not_caught_up (LabTestFixture *fixture)
{
  guint waits;
  LabHostConnection *connection = fixture->connection;
  g_autoptr(LabDomain) domain = stopped_sample (connection);
  g_autoptr(LabConsoleAttachment) attachment = attachment_new (connection, &waits);
  g_autofree char *state = NULL;

  lab_host_connection_hold_list (connection, TRUE);
  lab_console_attachment_create_and_attach (attachment, lab_domain_get_config_path (domain));
  assert_settles_live (attachment);
  g_assert_cmpuint (waits, ==, 0);
  /* Nothing the list saw has moved, and yet the domain runs, unpaused. */
  g_assert_false (lab_domain_get_running (domain));
  state = dom0_state (fixture->lab, SAMPLE_NAME);
  g_test_message ("state on dom0: %s", state);
  g_assert_cmpuint (strlen (state), ==, 6);
  g_assert_null (strchr (state, 'p'));
  g_assert_true (lab_test_wait_for (kept_has_lease, connection, 120000));
  assert_whole_boot (connection);

  lab_host_connection_hold_list (connection, FALSE);
  g_assert_true (lab_test_wait_for (lab_app_domain_running, domain, 60000));
  g_assert_true (is_live (attachment));
  lab_app_destroy_domain (connection, domain);
  g_assert_true (lab_test_wait_for (is_gone, attachment, 60000));
}

/* `xl console` cannot attach at first while the new domain waits paused: it is tried
 * again, the domain stays paused until a console is there, and no line is lost. */
static void
test_console_not_ready (LabTestFixture *fixture)
{
  guint waits;
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  g_autoptr(LabDomain) domain = stopped_sample (connection);
  g_autoptr(LabConsoleAttachment) attachment = attachment_new (connection, &waits);
  g_autofree char *state = NULL;

  hold_console_locks (lab);
  lab_console_attachment_create_and_attach (attachment, lab_domain_get_config_path (domain));
  g_assert_true (lab_test_wait_for (has_waited, &waits, 120000));
  state = dom0_state (lab, SAMPLE_NAME);
  g_test_message ("state on dom0 while waiting: %s", state);
  g_assert_nonnull (strchr (state, 'p'));
  release_console_locks (lab);

  assert_settles_live (attachment);
  g_assert_true (lab_test_wait_for (kept_has_lease, connection, 120000));
  assert_whole_boot (connection);
  lab_app_destroy_domain (connection, domain);
}

/* With reattach on, a domain started elsewhere gets its console, even when the first
 * attach fails. */
static void
test_reattach_not_ready (LabTestFixture *fixture)
{
  guint waits;
  g_autoptr(GError) error = NULL;
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  g_autoptr(LabDomain) domain = stopped_sample (connection);
  g_autoptr(LabConsoleAttachment) attachment = attachment_new (connection, &waits);

  lab_console_attachment_set_reattach (attachment, TRUE);
  g_assert_true (is_gone (attachment));

  hold_console_locks (lab);
  error = lab_app_run_action (connection, domain, LAB_DOMAIN_ACTION_START);
  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (has_waited, &waits, 120000));
  release_console_locks (lab);
  assert_settles_live (attachment);
  g_assert_true (lab_test_wait_for (kept_has_lease, connection, 120000));
  lab_app_destroy_domain (connection, domain);
  g_assert_true (lab_test_wait_for (is_gone, attachment, 60000));
}

int
main (int   argc,
      char *argv[])
{
  lab_app_init (&argc, &argv);

  lab_app_add ("/console-attachment/list-not-caught-up", NULL, test_list_not_caught_up);
  lab_app_add ("/console-attachment/console-not-ready", NULL, test_console_not_ready);
  lab_app_add ("/console-attachment/reattach-not-ready", NULL, test_reattach_not_ready);

  return lab_test_run ();
}
