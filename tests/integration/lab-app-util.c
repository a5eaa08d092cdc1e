/* lab-app-util.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-app-util"

#include <glib/gstdio.h>
#include <string.h>

#include "lab-core.h"
#include "lab-app-util.h"

void
lab_app_init (int    *argc,
              char ***argv)
{
  lab_test_init (argc, argv);
  lab_core_init ();
}

void
lab_app_trust_lab (LabFixture *lab)
{
  g_autofree char *known = NULL;
  g_autofree char *target = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts",
                                             NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (lab_fixture_get (lab, "LAB_KNOWN_HOSTS"), &known, NULL,
                                      &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (target, known, -1, &error));
  g_assert_no_error (error);
}

LabHost *
lab_app_host_new (LabFixture *lab,
                  const char *folder)
{
  LabHost *host = lab_host_new ("lab", lab_fixture_get (lab, "LAB_HOST"));
  const char *folders[] = { folder ? folder : "~/unikernels", NULL };

  lab_host_set_port (host, (guint) g_ascii_strtoull (lab_fixture_get (lab, "LAB_PORT"), NULL,
                                                     10));
  lab_host_set_user (host, lab_fixture_get (lab, "LAB_USER"));
  lab_host_set_auth (host, LAB_HOST_AUTH_KEY);
  lab_host_set_identity_file (host, lab_fixture_get (lab, "LAB_KEY"));
  lab_host_set_config_folders (host, folders);
  /* The real-Xen lab's bridge is inside QEMU: its 192.168.56.x addresses are not ours to
   * send packets to from here (they would leave by the default route), so its web pages are
   * only ever reached through SSH. */
  if (g_strcmp0 (lab_fixture_get (lab, "LAB_KIND"), "fast") != 0)
    lab_host_set_web_through_ssh (host, TRUE);
  return host;
}

static gboolean
lab_app_connected_and_listed (gpointer data)
{
  LabHostConnection *connection = data;
  LabConnectionState state = lab_host_connection_get_state (connection);

  if (state == LAB_CONNECTION_STATE_FAILED)
    return TRUE;
  return state == LAB_CONNECTION_STATE_CONNECTED
         && lab_domain_store_lookup (lab_host_connection_get_domains (connection),
                                     "Domain-0") != NULL;
}

static void
lab_app_reject_requests_cb (LabHostConnection *connection,
                 LabSshRequest     *request)
{
  /* The lab is trusted through known_hosts and the key; anything else is a bug. */
  g_test_message ("unexpected SSH request of kind %d", lab_ssh_request_get_kind (request));
  lab_ssh_request_cancel (request);
}

LabHostConnection *
lab_app_connect (LabFixture *lab,
                 const char *folder)
{
  g_autoptr(LabHost) host = lab_app_host_new (lab, folder);
  LabHostConnection *connection = lab_host_connection_new (host);

  g_signal_connect (connection, "request", G_CALLBACK (lab_app_reject_requests_cb), NULL);
  lab_host_connection_set_refresh_interval (connection, 500);
  lab_host_connection_connect (connection);
  lab_test_wait_for (lab_app_connected_and_listed, connection, 60000);
  if (lab_host_connection_get_state (connection) != LAB_CONNECTION_STATE_CONNECTED)
    g_test_message ("connection: %s", lab_host_connection_get_message (connection));
  g_assert_cmpint (lab_host_connection_get_state (connection), ==,
                   LAB_CONNECTION_STATE_CONNECTED);
  g_assert_nonnull (lab_domain_store_lookup (lab_host_connection_get_domains (connection),
                                             "Domain-0"));
  return connection;
}

/* The program's one connection, to lab-test-utils' one lab. */
static LabHostConnection *lab_app_connection;
static LabFixture *lab_app_connection_lab;
static gboolean lab_app_connection_failed;

static void
lab_app_disconnect (gpointer unused)
{
  g_clear_object (&lab_app_connection);
  lab_app_connection_lab = NULL;
}

static gboolean
lab_app_prepare_connection (LabTestFixture *fixture)
{
  if (lab_app_connection != NULL && lab_app_connection_lab != fixture->lab)
    lab_app_disconnect (NULL);
  if (lab_app_connection == NULL)
    {
      if (lab_app_connection_failed)
        {
          g_test_fail_printf ("an earlier test failed to connect to the lab");
          return FALSE;
        }
      /* Reset on success: a failed connect ends the test in lab_app_connect's assertions. */
      lab_app_connection_failed = TRUE;
      lab_app_trust_lab (fixture->lab);
      lab_app_connection = lab_app_connect (fixture->lab, NULL);
      lab_app_connection_lab = fixture->lab;
      lab_app_connection_failed = FALSE;
      lab_test_at_end (lab_app_disconnect, NULL);
    }
  fixture->connection = lab_app_connection;
  return TRUE;
}

void
lab_app_add (const char    *path,
             gconstpointer  data,
             LabTestFunc    func)
{
  lab_test_add_full (path, "nopasswd", data, lab_app_prepare_connection, func);
}

typedef struct
{
  LabHostConnection *connection;
  const char        *name;
} LabAppLookup;

static gboolean
lab_app_domain_listed (gpointer data)
{
  LabAppLookup *lookup = data;

  return lab_domain_store_lookup (lab_host_connection_get_domains (lookup->connection),
                                  lookup->name) != NULL;
}

LabDomain *
lab_app_wait_domain (LabHostConnection *connection,
                     const char        *name,
                     guint              timeout_s)
{
  LabAppLookup lookup = { connection, name };

  /* 0 is a look at the list as it is, not lab_test_wait_for's wait without a limit. */
  if (timeout_s == 0)
    lab_test_run_pending ();
  else
    lab_test_wait_for (lab_app_domain_listed, &lookup, timeout_s * 1000);
  return lab_domain_store_lookup (lab_host_connection_get_domains (connection), name);
}

gboolean
lab_app_domain_running (gpointer domain)
{
  return lab_domain_get_running (domain);
}

gboolean
lab_app_domain_stopped (gpointer domain)
{
  return !lab_domain_get_running (domain);
}

gboolean
lab_app_domain_paused (gpointer domain)
{
  return lab_domain_get_state (domain) == LAB_DOMAIN_STATE_PAUSED;
}

typedef struct
{
  gboolean  done;
  GError   *error;
} LabAppActionWait;

static void
lab_app_action_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LabAppActionWait *wait = user_data;

  lab_host_connection_run_action_finish (LAB_HOST_CONNECTION (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
lab_app_action_done (gpointer data)
{
  return ((LabAppActionWait *) data)->done;
}

GError *
lab_app_run_action (LabHostConnection *connection,
                    LabDomain         *domain,
                    LabDomainAction    action)
{
  LabAppActionWait wait = { FALSE, NULL };

  lab_host_connection_run_action_async (connection, domain, action, NULL, lab_app_action_cb, &wait);
  g_assert_true (lab_test_wait_for (lab_app_action_done, &wait, 90000));
  return wait.error;
}

void
lab_app_act_and_wait (LabHostConnection *connection,
                      LabDomain         *domain,
                      LabDomainAction    action,
                      LabTestCondition   until,
                      guint              timeout_ms)
{
  g_autoptr(GError) error = lab_app_run_action (connection, domain, action);

  g_assert_no_error (error);
  g_assert_true (lab_test_wait_for (until, domain, timeout_ms));
}

void
lab_app_start_domain (LabHostConnection *connection,
                      LabDomain         *domain)
{
  lab_app_act_and_wait (connection, domain, LAB_DOMAIN_ACTION_START, lab_app_domain_running,
                        60000);
}

void
lab_app_destroy_domain (LabHostConnection *connection,
                        LabDomain         *domain)
{
  if (lab_domain_get_running (domain))
    lab_app_act_and_wait (connection, domain, LAB_DOMAIN_ACTION_DESTROY,
                          lab_app_domain_stopped, 60000);
}

void
lab_app_write_user_file (LabFixture *lab,
                         const char *path,
                         const char *text)
{
  g_autofree char *quoted_path = g_shell_quote (path);
  g_autofree char *quoted_text = g_shell_quote (text);
  g_autofree char *quoted_user = g_shell_quote (lab_fixture_get (lab, "LAB_USER"));
  g_autofree char *script = g_strdup_printf ("mkdir -p \"$(dirname %s)\" && printf '%%s' %s > %s"
                                             " && chown -R %s: \"$(dirname %s)\"",
                                             quoted_path, quoted_text, quoted_path,
                                             quoted_user, quoted_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (lab_fixture_exec_sh (lab, script, &out, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
}
