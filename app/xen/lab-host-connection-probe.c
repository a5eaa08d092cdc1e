/* lab-host-connection-probe.c — the web pages of a host's domains: which networks dom0's
 * bridge is on, and each live domain's port 80 there, looked at directly or through a port
 * forwarded over SSH
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-connection-probe"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "net/lab-http-probe.h"
#include "net/lab-local-net.h"
#include "ssh/lab-ssh-forward.h"

#include "lab-host-connection-internal.h"
#include "lab-host-connection.h"

#define PROBE_TIMEOUT_MS 3000
/* A domain's web page is looked at again after this long, in case it came up late. */
#define PROBE_AGAIN_US (15 * G_USEC_PER_SEC)

typedef struct
{
  char   *ip;
  gint64  when;
  gboolean answered;
} ProbeState;

static void
lab_host_connection_probe_state_free (ProbeState *probe)
{
  g_free (probe->ip);
  g_free (probe);
}

static void lab_host_connection_probe_bridge_cb (GObject      *source,
                                                 GAsyncResult *result,
                                                 gpointer      user_data);

typedef struct
{
  LabHostConnection *self;
  char              *bridge;
} BridgeAsk;

static void
lab_host_connection_probe_bridge_ask_free (BridgeAsk *ask)
{
  g_object_unref (ask->self);
  g_free (ask->bridge);
  g_free (ask);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BridgeAsk, lab_host_connection_probe_bridge_ask_free)

static BridgeAsk *
lab_host_connection_probe_bridge_ask_new (LabHostConnection *self)
{
  BridgeAsk *ask = g_new0 (BridgeAsk, 1);

  ask->self = g_object_ref (self);
  ask->bridge = g_strdup (self->bridge);
  return ask;
}

/* Which IPv4 networks the host's bridge is on: the addresses inside them are the ones
 * probed. Asked again when the user names another bridge. */
void
_lab_host_connection_probe_read_bridge_networks (LabHostConnection *self)
{
  const char *argv[] = { "ip", "-o", "-4", "addr", "show", "dev", NULL, NULL };

  g_free (self->bridge);
  self->bridge = g_strdup (lab_host_get_bridge (self->host));
  argv[6] = self->bridge;
  g_clear_pointer (&self->bridge_networks, g_strfreev);
  /* The answer carries the bridge it is about: when the user names another bridge before
   * it comes, the later question's answer may come first. */
  lab_ssh_session_exec_async (self->session, argv, LAB_SSH_EXEC_NONE, NULL, POLL_TIMEOUT_MS,
                              self->cancellable, lab_host_connection_probe_bridge_cb,
                              lab_host_connection_probe_bridge_ask_new (self));
}

static void
lab_host_connection_probe_bridge_changed_cb (LabHostConnection *self)
{
  if (self->session == NULL || self->home == NULL
      || lab_ssh_session_get_state (self->session) != LAB_SSH_STATE_CONNECTED)
    return;
  if (g_strcmp0 (self->bridge, lab_host_get_bridge (self->host)) != 0)
    _lab_host_connection_probe_read_bridge_networks (self);
}

static void
lab_host_connection_probe_bridge_cb (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(BridgeAsk) ask = user_data;
  LabHostConnection *self = ask->self;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* An answer about a bridge the host no longer names is not this bridge's. */
  if (g_strcmp0 (ask->bridge, self->bridge) != 0)
    {
      g_debug ("dropping the networks of %s, asked before %s", ask->bridge, self->bridge);
      return;
    }

  g_clear_pointer (&self->bridge_networks, g_strfreev);
  /* No answer, or no such device: no network is known, so nothing is probed (and the
   * rows say why). */
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0)
    self->bridge_networks = lab_ip_addr_parse_inet (lab_ssh_exec_result_get_stdout_text (exec));
  else
    self->bridge_networks = g_new0 (char *, 1);
  g_debug ("%s's networks: %u", self->bridge, g_strv_length (self->bridge_networks));
  _lab_host_connection_probe_domains (self);
}

typedef struct
{
  LabHostConnection *self;
  char              *name;
  char              *ip;
  gboolean           tunnel;   /* through a port forwarded over SSH */
} ProbeRequest;

static void
lab_host_connection_probe_request_free (ProbeRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->name);
  g_free (request->ip);
  g_free (request);
}

static gboolean lab_host_connection_probe_through_ssh (ProbeRequest *request);

static void
lab_host_connection_probe_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  ProbeRequest *request = user_data;
  g_autoptr(LabHttpProbeResult) probe = NULL;
  g_autoptr(GError) error = NULL;
  LabDomain *domain;
  ProbeState *state;

  probe = lab_http_probe_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      lab_host_connection_probe_request_free (request);
      return;
    }

  domain = lab_domain_store_lookup (request->self->domains, request->name);
  state = g_hash_table_lookup (request->self->probes, request->name);
  if (probe == NULL && !request->tunnel && domain != NULL
      && g_strcmp0 (lab_domain_get_ip (domain), request->ip) == 0)
    {
      /* On a link of this computer but not answering on it (promiscuous mode denied, a
       * firewall): dom0 can still reach it. */
      g_debug ("%s: %s does not answer directly (%s); trying through SSH", request->name,
               request->ip, error ? error->message : "?");
      request->tunnel = TRUE;
      if (lab_host_connection_probe_through_ssh (request))
        return;
    }
  if (domain != NULL && g_strcmp0 (lab_domain_get_ip (domain), request->ip) == 0)
    {
      if (probe != NULL && probe->offsite_redirect != NULL)
        {
          g_autofree char *shown = g_utf8_make_valid (probe->offsite_redirect, -1);
          /* Translators: the web page of a unikernel answered with a redirect to another
           * web site, which was not followed; %s is its address */
          g_autofree char *summary = g_strdup_printf (_("redirects to another host (%s)"),
                                                      shown);

          /* What was probed, never the unchecked target. */
          lab_domain_set_web (domain, probe->url, summary);
          if (state != NULL)
            state->answered = TRUE;
        }
      else if (probe != NULL)
        {
          g_autofree char *summary = NULL;

          if (probe->title != NULL && *probe->title != '\0')
            summary = g_strdup_printf ("%u %s · %s", probe->status,
                                       probe->reason_phrase ? probe->reason_phrase : "",
                                       probe->title);
          else
            summary = g_strdup_printf ("%u %s", probe->status,
                                       probe->reason_phrase ? probe->reason_phrase : "");
          if (probe->tls_self_signed)
            {
              char *full = g_strdup_printf (_("%s (self-signed certificate)"), summary);

              g_free (summary);
              summary = full;
            }
          {
            /* Translators: which way a domain's web page was reached: forwarded through
             * dom0 over SSH, or straight from this computer */
            char *full = g_strdup_printf (request->tunnel ? _("%s, through dom0")
                                                          : _("%s, direct"), summary);

            g_free (summary);
            summary = full;
          }
          lab_domain_set_web (domain, probe->final_url ? probe->final_url : probe->url,
                              summary);
          if (state != NULL)
            state->answered = TRUE;
        }
      else
        lab_domain_set_web (domain, NULL, NULL);
    }
  lab_host_connection_probe_request_free (request);
}

/* Probes the domain's port 80 through a local port forwarded over the SSH session. */
static gboolean
lab_host_connection_probe_through_ssh (ProbeRequest *request)
{
  LabHostConnection *self = request->self;
  LabSshForward *forward = g_hash_table_lookup (self->forwards, request->ip);
  g_autofree char *url = NULL;

  if (self->session == NULL || self->cancellable == NULL)
    return FALSE;
  if (forward == NULL)
    {
      g_autoptr(GError) error = NULL;

      forward = lab_ssh_forward_new (self->session, request->ip, 80, &error);
      if (forward == NULL)
        {
          g_debug ("no local port for %s: %s", request->ip, error->message);
          return FALSE;
        }
      g_hash_table_replace (self->forwards, g_strdup (request->ip), forward);
    }
  url = g_strdup_printf ("http://127.0.0.1:%u/", lab_ssh_forward_get_local_port (forward));
  lab_http_probe_async (url, PROBE_TIMEOUT_MS, self->cancellable, lab_host_connection_probe_cb,
                        request);
  return TRUE;
}

static gboolean
lab_host_connection_probe_address_on_bridge (LabHostConnection *self,
                                             const char        *ip)
{
  for (guint i = 0; self->bridge_networks[i] != NULL; i++)
    if (lab_ipv4_cidr_contains (self->bridge_networks[i], ip))
      return TRUE;
  return FALSE;
}

/* "192.0.2.7 is outside br0's network 192.168.56.0/24; not probed" */
static char *
lab_host_connection_probe_describe_off_bridge (LabHostConnection *self,
                                               const char        *ip)
{
  g_autoptr(GString) networks = g_string_new (NULL);

  if (self->bridge_networks[0] == NULL)
    /* Translators: %s is an IP address, then a bridge device such as br0 */
    return g_strdup_printf (_("%s was not probed: %s has no IPv4 network on dom0"), ip,
                            self->bridge);

  for (guint i = 0; self->bridge_networks[i] != NULL; i++)
    {
      const char *cidr = self->bridge_networks[i];
      const char *slash = strchr (cidr, '/');
      g_autofree char *address = g_strndup (cidr, slash - cidr);
      g_autofree char *network = lab_ipv4_network_of (address, atoi (slash + 1));

      g_string_append_printf (networks, "%s%s", i > 0 ? ", " : "", network);
    }
  /* Translators: an IP address, a bridge device (br0) and its networks (192.168.56.0/24) */
  return g_strdup_printf (_("%s is outside %s's network %s; not probed. A guest picks its "
                            "own address, and this one may belong to something else; the "
                            "host’s settings can allow probing it anyway."), ip, self->bridge,
                          networks->str);
}

void
_lab_host_connection_probe_domains (LabHostConnection *self)
{
  GListModel *model = G_LIST_MODEL (self->domains);
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LabDomain) domain = g_list_model_get_item (model, i);
      const char *ip = lab_domain_get_ip (domain);
      const char *name = lab_domain_get_name (domain);
      ProbeState *state = g_hash_table_lookup (self->probes, name);
      ProbeRequest *request;

      if (ip == NULL || !lab_domain_get_live (domain))
        {
          /* A crashed or dying domain serves nothing, whatever it served before. */
          if (state != NULL)
            g_hash_table_remove (self->forwards, state->ip);
          g_hash_table_remove (self->probes, name);
          lab_domain_set_web (domain, NULL,
                              lab_domain_get_live (domain)
                              && lab_ip_info_get_conflict (lab_domain_get_ip_info (domain))
                              ? _("not probed: the DHCP lease and the console disagree")
                              : NULL);
          continue;
        }
      if (self->bridge_networks == NULL)
        continue;   /* dom0 has not said yet which network its bridge is on */
      if (!lab_host_connection_probe_address_on_bridge (self, ip)
          && !lab_host_get_probe_any_address (self->host))
        {
          g_autofree char *why = lab_host_connection_probe_describe_off_bridge (self, ip);

          if (state != NULL)
            g_hash_table_remove (self->forwards, state->ip);
          g_hash_table_remove (self->probes, name);
          lab_domain_set_web (domain, NULL, why);
          continue;
        }
      /* A new address is looked at once; one that did not answer yet is tried again now
       * and then, since a unikernel's web server may start after its lease. */
      if (state != NULL && g_strcmp0 (state->ip, ip) == 0
          && (state->answered || now - state->when < PROBE_AGAIN_US))
        continue;

      state = g_new0 (ProbeState, 1);
      state->ip = g_strdup (ip);
      state->when = now;
      g_hash_table_replace (self->probes, g_strdup (name), state);

      request = g_new0 (ProbeRequest, 1);
      request->self = g_object_ref (self);
      request->name = g_strdup (name);
      request->ip = g_strdup (ip);
      /* Straight from here only when the address is on one of this computer's own links:
       * otherwise the request would leave through the default route, and whatever answers
       * there (a captive portal, a proxy, a machine with the same private address) is not
       * the unikernel. */
      if (lab_host_get_web_through_ssh (self->host) || !lab_local_net_is_on_link (ip, NULL))
        {
          request->tunnel = TRUE;
          if (!lab_host_connection_probe_through_ssh (request))
            lab_host_connection_probe_request_free (request);
        }
      else
        lab_http_probe_async (ip, PROBE_TIMEOUT_MS, self->cancellable,
                              lab_host_connection_probe_cb, request);
    }
}

void
_lab_host_connection_probe_init (LabHostConnection *self)
{
  self->bridge = g_strdup (LAB_HOST_DEFAULT_BRIDGE);
  self->probes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) lab_host_connection_probe_state_free);
  self->forwards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

void
_lab_host_connection_probe_follow_host (LabHostConnection *self)
{
  g_signal_connect_object (self->host, "notify::bridge",
                           G_CALLBACK (lab_host_connection_probe_bridge_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->host, "notify::probe-any-address",
                           G_CALLBACK (_lab_host_connection_probe_domains), self,
                           G_CONNECT_SWAPPED);
}

void
_lab_host_connection_probe_reset (LabHostConnection *self)
{
  if (self->forwards != NULL)
    g_hash_table_remove_all (self->forwards);
  g_hash_table_remove_all (self->probes);
  g_clear_pointer (&self->bridge_networks, g_strfreev);
}
