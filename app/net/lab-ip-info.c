/* lab-ip-info.c — a unikernel's address, combined from its sources with provenance
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ip-info"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "net/lab-net-util.h"

#include "net/lab-ip-info.h"

/* Precedence: CONSOLE > LEASE > STATIC.
 *
 * The console line and the lease are observations of what the running domain did; the
 * static address is what its boot arguments asked for. Observations win because a
 * request can be ignored: a unikernel built without the MirageOS >= 4.5 runtime network
 * arguments (mirage 2.x, or no network device) does not read --ipv4, a config file can be
 * edited after boot, and `xl create` can override its cmdline.
 *
 * The console beats the lease because it is the unikernel's own statement about its
 * current boot ("Lease obtained!", "stack assembled"), while the lease file is the DHCP
 * server's record: with a fixed MAC (mac= in the vif) an unexpired lease may belong to an
 * earlier boot of the same MAC. The caller keeps the console candidate fresh: it clears
 * it (lab_ip_info_update_console (info, NULL)) on LabConsoleIpScanner::boot-detected and
 * when the domain gets a new domid, and it only passes a lease that
 * lab_lease_find_for_mac() found unexpired for the domain's current MAC.
 *
 * Except when the console and the lease disagree: the console is whatever the guest
 * chooses to print, so it cannot overrule dnsmasq silently. Then there is no effective
 * address (nothing is probed or opened) and the description names both, with their
 * sources, for the user to decide. */

struct _LabIpInfo
{
  GObject      parent_instance;

  char        *console_ip;
  char        *lease_ip;
  char        *static_ip;

  /* The effective address: a copy of the winning candidate. */
  char        *ip;
  LabIpSource  source;
  gboolean     conflict;      /* console and lease disagree: no effective address */
  char        *description;
};

G_DEFINE_FINAL_TYPE (LabIpInfo, lab_ip_info, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (LabIpSource, lab_ip_source,
                    G_DEFINE_ENUM_VALUE (LAB_IP_SOURCE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (LAB_IP_SOURCE_LEASE, "lease"),
                    G_DEFINE_ENUM_VALUE (LAB_IP_SOURCE_CONSOLE, "console"),
                    G_DEFINE_ENUM_VALUE (LAB_IP_SOURCE_STATIC, "static"))

enum {
  PROP_0,
  PROP_IP,
  PROP_SOURCE,
  PROP_DESCRIPTION,
  PROP_CONSOLE_IP,
  PROP_LEASE_IP,
  PROP_STATIC_IP,
  PROP_CONFLICT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * lab_ip_source_get_description:
 * @source: a #LabIpSource
 *
 * Returns: (nullable): a translated phrase telling where an address came from, for
 *   display next to the address; %NULL for %LAB_IP_SOURCE_NONE
 */
const char *
lab_ip_source_get_description (LabIpSource source)
{
  switch (source)
    {
    case LAB_IP_SOURCE_LEASE:
      /* Translators: where a unikernel's IP address was found */
      return _("from DHCP lease");

    case LAB_IP_SOURCE_CONSOLE:
      /* Translators: where a unikernel's IP address was found */
      return _("from console");

    case LAB_IP_SOURCE_STATIC:
      /* Translators: where a unikernel's IP address was found: its boot configuration */
      return _("static, from config");

    case LAB_IP_SOURCE_NONE:
    default:
      return NULL;
    }
}

static void
recompute (LabIpInfo *self)
{
  const char *ip = NULL;
  LabIpSource source = LAB_IP_SOURCE_NONE;
  gboolean conflict = self->console_ip != NULL && self->lease_ip != NULL
                      && g_strcmp0 (self->console_ip, self->lease_ip) != 0;
  g_autofree char *description = NULL;

  if (conflict)
    {
      /* Translators: a unikernel's DHCP lease and its console give different addresses:
       * "conflict: 192.168.56.150 from DHCP lease, 192.0.2.7 from console" */
      description = g_strdup_printf (_("conflict: %s from DHCP lease, %s from console"),
                                     self->lease_ip, self->console_ip);
    }
  else if (self->console_ip != NULL)
    {
      ip = self->console_ip;
      source = LAB_IP_SOURCE_CONSOLE;
    }
  else if (self->lease_ip != NULL)
    {
      ip = self->lease_ip;
      source = LAB_IP_SOURCE_LEASE;
    }
  else if (self->static_ip != NULL)
    {
      ip = self->static_ip;
      source = LAB_IP_SOURCE_STATIC;
    }

  if (g_strcmp0 (self->ip, ip) != 0)
    {
      g_free (self->ip);
      self->ip = g_strdup (ip);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IP]);
    }

  if (self->source != source)
    {
      self->source = source;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
    }

  if (self->conflict != conflict)
    {
      self->conflict = conflict;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICT]);
    }

  if (description == NULL)
    description = g_strdup (lab_ip_source_get_description (source));
  if (g_strcmp0 (self->description, description) != 0)
    {
      g_free (self->description);
      self->description = g_steal_pointer (&description);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
    }
}

static void
update (LabIpInfo  *self,
        char      **slot,
        GParamSpec *pspec,
        const char *ip)
{
  if (ip != NULL && !lab_ipv4_is_valid (ip))
    {
      g_critical ("%s: \"%s\" is not a dotted-quad IPv4 address", G_STRFUNC, ip);
      return;
    }

  if (g_strcmp0 (*slot, ip) == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  g_free (*slot);
  *slot = g_strdup (ip);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  recompute (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * lab_ip_info_update_console:
 * @self: a #LabIpInfo
 * @ip: (nullable): the address the console gave for the current boot, or %NULL to forget it
 *
 * Sets the console candidate. Notifies only what changed.
 */
void
lab_ip_info_update_console (LabIpInfo  *self,
                            const char *ip)
{
  g_return_if_fail (LAB_IS_IP_INFO (self));

  update (self, &self->console_ip, properties[PROP_CONSOLE_IP], ip);
}

/**
 * lab_ip_info_update_lease:
 * @self: a #LabIpInfo
 * @ip: (nullable): the address of the newest unexpired lease for the domain's MAC, or %NULL
 *
 * Sets the lease candidate. Notifies only what changed.
 */
void
lab_ip_info_update_lease (LabIpInfo  *self,
                          const char *ip)
{
  g_return_if_fail (LAB_IS_IP_INFO (self));

  update (self, &self->lease_ip, properties[PROP_LEASE_IP], ip);
}

/**
 * lab_ip_info_update_static:
 * @self: a #LabIpInfo
 * @ip: (nullable): the --ipv4 address from the domain's boot arguments, or %NULL
 *
 * Sets the static candidate. Notifies only what changed.
 */
void
lab_ip_info_update_static (LabIpInfo  *self,
                           const char *ip)
{
  g_return_if_fail (LAB_IS_IP_INFO (self));

  update (self, &self->static_ip, properties[PROP_STATIC_IP], ip);
}

/**
 * lab_ip_info_clear:
 * @self: a #LabIpInfo
 *
 * Forgets every candidate (the domain was destroyed).
 */
void
lab_ip_info_clear (LabIpInfo *self)
{
  g_return_if_fail (LAB_IS_IP_INFO (self));

  g_object_freeze_notify (G_OBJECT (self));
  lab_ip_info_update_console (self, NULL);
  lab_ip_info_update_lease (self, NULL);
  lab_ip_info_update_static (self, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * lab_ip_info_get_ip:
 * @self: a #LabIpInfo
 *
 * Returns: (nullable): the effective address, or %NULL when no source knows one
 */
const char *
lab_ip_info_get_ip (LabIpInfo *self)
{
  g_return_val_if_fail (LAB_IS_IP_INFO (self), NULL);

  return self->ip;
}

LabIpSource
lab_ip_info_get_source (LabIpInfo *self)
{
  g_return_val_if_fail (LAB_IS_IP_INFO (self), LAB_IP_SOURCE_NONE);

  return self->source;
}

/**
 * lab_ip_info_get_description:
 * @self: a #LabIpInfo
 *
 * Returns: (nullable): the translated provenance of lab_ip_info_get_ip(), e.g.
 *   "from console"; during a conflict both addresses with their sources; %NULL when
 *   there is no address
 */
const char *
lab_ip_info_get_description (LabIpInfo *self)
{
  g_return_val_if_fail (LAB_IS_IP_INFO (self), NULL);

  return self->description;
}

/**
 * lab_ip_info_get_conflict:
 * @self: a #LabIpInfo
 *
 * Returns: %TRUE while the console and the lease give different addresses (then
 *   lab_ip_info_get_ip() is %NULL)
 */
gboolean
lab_ip_info_get_conflict (LabIpInfo *self)
{
  g_return_val_if_fail (LAB_IS_IP_INFO (self), FALSE);

  return self->conflict;
}

/**
 * lab_ip_info_get_candidate:
 * @self: a #LabIpInfo
 * @source: a source other than %LAB_IP_SOURCE_NONE
 *
 * Returns: (nullable): what @source currently says, whether or not it wins
 */
const char *
lab_ip_info_get_candidate (LabIpInfo   *self,
                           LabIpSource  source)
{
  g_return_val_if_fail (LAB_IS_IP_INFO (self), NULL);

  switch (source)
    {
    case LAB_IP_SOURCE_CONSOLE:
      return self->console_ip;
    case LAB_IP_SOURCE_LEASE:
      return self->lease_ip;
    case LAB_IP_SOURCE_STATIC:
      return self->static_ip;
    case LAB_IP_SOURCE_NONE:
    default:
      return NULL;
    }
}

LabIpInfo *
lab_ip_info_new (void)
{
  return g_object_new (LAB_TYPE_IP_INFO, NULL);
}

static void
lab_ip_info_finalize (GObject *object)
{
  LabIpInfo *self = LAB_IP_INFO (object);

  g_clear_pointer (&self->console_ip, g_free);
  g_clear_pointer (&self->lease_ip, g_free);
  g_clear_pointer (&self->static_ip, g_free);
  g_clear_pointer (&self->ip, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (lab_ip_info_parent_class)->finalize (object);
}

static void
lab_ip_info_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LabIpInfo *self = LAB_IP_INFO (object);

  switch (prop_id)
    {
    case PROP_IP:
      g_value_set_string (value, self->ip);
      break;

    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, lab_ip_info_get_description (self));
      break;

    case PROP_CONSOLE_IP:
      g_value_set_string (value, self->console_ip);
      break;

    case PROP_LEASE_IP:
      g_value_set_string (value, self->lease_ip);
      break;

    case PROP_STATIC_IP:
      g_value_set_string (value, self->static_ip);
      break;

    case PROP_CONFLICT:
      g_value_set_boolean (value, self->conflict);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_ip_info_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LabIpInfo *self = LAB_IP_INFO (object);

  switch (prop_id)
    {
    case PROP_CONSOLE_IP:
      lab_ip_info_update_console (self, g_value_get_string (value));
      break;

    case PROP_LEASE_IP:
      lab_ip_info_update_lease (self, g_value_get_string (value));
      break;

    case PROP_STATIC_IP:
      lab_ip_info_update_static (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_ip_info_class_init (LabIpInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_ip_info_finalize;
  object_class->get_property = lab_ip_info_get_property;
  object_class->set_property = lab_ip_info_set_property;

  /**
   * LabIpInfo:ip:
   *
   * The effective address (see the precedence at the top of lab-ip-info.c), or %NULL.
   */
  properties[PROP_IP] =
    g_param_spec_string ("ip", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LabIpInfo:source:
   *
   * Which source gave #LabIpInfo:ip.
   */
  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL,
                       LAB_TYPE_IP_SOURCE, LAB_IP_SOURCE_NONE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LabIpInfo:description:
   *
   * #LabIpInfo:source as a translated phrase ("from DHCP lease", "from console",
   * "static, from config"), or %NULL.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONSOLE_IP] =
    g_param_spec_string ("console-ip", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LEASE_IP] =
    g_param_spec_string ("lease-ip", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATIC_IP] =
    g_param_spec_string ("static-ip", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LabIpInfo:conflict:
   *
   * The console and the lease give different addresses; #LabIpInfo:ip is %NULL.
   */
  properties[PROP_CONFLICT] =
    g_param_spec_boolean ("conflict", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_ip_info_init (LabIpInfo *self)
{
  self->source = LAB_IP_SOURCE_NONE;
}
