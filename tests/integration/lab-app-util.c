/* lab-app-util.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "lab-app-util.h"
#include "lab-test-home.h"

void
lab_app_isolate_home (void)
{
  lab_test_isolate_home ();
  lab_app_prepare_home ();
}

void
lab_app_prepare_home (void)
{
  g_autofree char *ssh = NULL;

  /* Keys come from the lab, never from the machine's agent. */
  g_unsetenv ("SSH_AUTH_SOCK");
  ssh = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_mkdir_with_parents (ssh, 0700);
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
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
lab_app_wait (gboolean (*check) (gpointer data),
              gpointer   data,
              guint      timeout_s)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (timeout_s, timeout_cb, &timed_out);
  gboolean done;

  while (!(done = check (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (source);
  return done;
}

static gboolean
connected_and_listed (gpointer data)
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
reject_requests (LabHostConnection *connection,
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

  g_signal_connect (connection, "request", G_CALLBACK (reject_requests), NULL);
  lab_host_connection_set_refresh_interval (connection, 500);
  lab_host_connection_connect (connection);
  lab_app_wait (connected_and_listed, connection, 60);
  if (lab_host_connection_get_state (connection) != LAB_CONNECTION_STATE_CONNECTED)
    g_test_message ("connection: %s", lab_host_connection_get_message (connection));
  g_assert_cmpint (lab_host_connection_get_state (connection), ==,
                   LAB_CONNECTION_STATE_CONNECTED);
  g_assert_nonnull (lab_domain_store_lookup (lab_host_connection_get_domains (connection),
                                             "Domain-0"));
  return connection;
}

gboolean
lab_app_shared_connection (LabFixture        **lab,
                           LabHostConnection **connection)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  if (*connection != NULL)
    return TRUE;
  if (*lab != NULL)
    return FALSE;   /* an earlier test failed to connect */
  if (!lab_fixture_available (&reason))
    {
      lab_fixture_skip_or_fail (reason);
      return FALSE;
    }
  *lab = lab_fixture_up ("nopasswd", &error);
  g_assert_no_error (error);
  lab_app_trust_lab (*lab);
  *connection = lab_app_connect (*lab, NULL);
  return TRUE;
}

typedef struct
{
  LabHostConnection *connection;
  const char        *name;
} Lookup;

static gboolean
domain_listed (gpointer data)
{
  Lookup *lookup = data;

  return lab_domain_store_lookup (lab_host_connection_get_domains (lookup->connection),
                                  lookup->name) != NULL;
}

LabDomain *
lab_app_wait_domain (LabHostConnection *connection,
                     const char        *name,
                     guint              timeout_s)
{
  Lookup lookup = { connection, name };

  lab_app_wait (domain_listed, &lookup, timeout_s);
  return lab_domain_store_lookup (lab_host_connection_get_domains (connection), name);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} ActionWait;

static void
action_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ActionWait *wait = user_data;

  lab_host_connection_run_action_finish (LAB_HOST_CONNECTION (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
action_done (gpointer data)
{
  return ((ActionWait *) data)->done;
}

GError *
lab_app_run_action (LabHostConnection *connection,
                    LabDomain         *domain,
                    LabDomainAction    action)
{
  ActionWait wait = { FALSE, NULL };

  lab_host_connection_run_action_async (connection, domain, action, NULL, action_cb, &wait);
  g_assert_true (lab_app_wait (action_done, &wait, 90));
  return wait.error;
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
