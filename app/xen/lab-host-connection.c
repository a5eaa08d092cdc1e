/* lab-host-connection.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-connection"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-host-connection.h"

G_DEFINE_ENUM_TYPE (LabConnectionState, lab_connection_state,
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (LAB_CONNECTION_STATE_FAILED, "failed"))

struct _LabHostConnection
{
  GObject             parent_instance;

  LabHost            *host;
  LabDomainStore     *domains;
  LabConnectionState  state;
  char               *message;
  GHashTable         *expected_ends;   /* name → monotonic time (µs) of the request */
};

/* How long a stop request explains a domain's disappearance. */
#define EXPECTED_END_WINDOW_US (60 * G_USEC_PER_SEC)

enum {
  DOMAIN_CRASHED,
  DOMAIN_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LabHostConnection, lab_host_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_DOMAINS,
  PROP_STATE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
lab_connection_state_to_string (LabConnectionState state)
{
  switch (state)
    {
    case LAB_CONNECTION_STATE_DISCONNECTED:
      return _("Not connected");
    case LAB_CONNECTION_STATE_CONNECTING:
      return _("Connecting…");
    case LAB_CONNECTION_STATE_CONNECTED:
      return _("Connected");
    case LAB_CONNECTION_STATE_RECONNECTING:
      return _("Connection lost, reconnecting…");
    case LAB_CONNECTION_STATE_FAILED:
      return _("Connection failed");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
lab_connection_state_get_icon_name (LabConnectionState state)
{
  switch (state)
    {
    case LAB_CONNECTION_STATE_DISCONNECTED:
      return "network-offline-symbolic";
    case LAB_CONNECTION_STATE_CONNECTING:
    case LAB_CONNECTION_STATE_RECONNECTING:
      return "network-no-route-symbolic";
    case LAB_CONNECTION_STATE_CONNECTED:
      return "network-transmit-receive-symbolic";
    case LAB_CONNECTION_STATE_FAILED:
      return "network-error-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

LabHostConnection *
lab_host_connection_new (LabHost *host)
{
  g_return_val_if_fail (LAB_IS_HOST (host), NULL);

  return g_object_new (LAB_TYPE_HOST_CONNECTION, "host", host, NULL);
}

LabHost *
lab_host_connection_get_host (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  return self->host;
}

LabDomainStore *
lab_host_connection_get_domains (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  return self->domains;
}

LabConnectionState
lab_host_connection_get_state (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), LAB_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

const char *
lab_host_connection_get_message (LabHostConnection *self)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (self), NULL);
  return self->message;
}

void
lab_host_connection_expect_end (LabHostConnection *self,
                                const char        *name)
{
  gint64 *when;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));
  g_return_if_fail (name != NULL);

  when = g_new (gint64, 1);
  *when = g_get_monotonic_time ();
  g_hash_table_replace (self->expected_ends, g_strdup (name), when);
}

static void
on_domain_crashed (LabHostConnection *self,
                   LabDomain         *domain,
                   LabDomainStore    *store)
{
  /* A crash is news even right after a stop request. */
  g_signal_emit (self, signals[DOMAIN_CRASHED], 0, domain);
}

static void
on_domain_vanished (LabHostConnection *self,
                    LabDomain         *domain,
                    LabDomainStore    *store)
{
  gint64 *when = g_hash_table_lookup (self->expected_ends, lab_domain_get_name (domain));
  gboolean expected = when != NULL
                      && g_get_monotonic_time () - *when < EXPECTED_END_WINDOW_US;

  g_hash_table_remove (self->expected_ends, lab_domain_get_name (domain));
  if (!expected)
    g_signal_emit (self, signals[DOMAIN_LOST], 0, domain);
}

void
lab_host_connection_set_state (LabHostConnection  *self,
                               LabConnectionState  state,
                               const char         *message)
{
  g_return_if_fail (LAB_IS_HOST_CONNECTION (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
}

static void
lab_host_connection_finalize (GObject *object)
{
  LabHostConnection *self = LAB_HOST_CONNECTION (object);

  g_clear_object (&self->host);
  g_clear_object (&self->domains);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->expected_ends, g_hash_table_unref);

  G_OBJECT_CLASS (lab_host_connection_parent_class)->finalize (object);
}

static void
lab_host_connection_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LabHostConnection *self = LAB_HOST_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST: g_value_set_object (value, self->host); break;
    case PROP_DOMAINS: g_value_set_object (value, self->domains); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_connection_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LabHostConnection *self = LAB_HOST_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_connection_class_init (LabHostConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lab_host_connection_finalize;
  object_class->get_property = lab_host_connection_get_property;
  object_class->set_property = lab_host_connection_set_property;

  properties[PROP_HOST] =
    g_param_spec_object ("host", NULL, NULL, LAB_TYPE_HOST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAINS] = g_param_spec_object ("domains", NULL, NULL,
                                                  LAB_TYPE_DOMAIN_STORE, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LAB_TYPE_CONNECTION_STATE,
                                              LAB_CONNECTION_STATE_DISCONNECTED, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DOMAIN_CRASHED] =
    g_signal_new ("domain-crashed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_DOMAIN);
  signals[DOMAIN_LOST] =
    g_signal_new ("domain-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_DOMAIN);
}

static void
lab_host_connection_init (LabHostConnection *self)
{
  self->domains = lab_domain_store_new ();
  self->expected_ends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect_object (self->domains, "domain-crashed",
                           G_CALLBACK (on_domain_crashed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->domains, "domain-vanished",
                           G_CALLBACK (on_domain_vanished), self, G_CONNECT_SWAPPED);
}
