/* lab-check-result.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-check-result"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-check-result.h"

G_DEFINE_ENUM_TYPE (LabCheckStatus, lab_check_status,
  G_DEFINE_ENUM_VALUE (LAB_CHECK_STATUS_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (LAB_CHECK_STATUS_OK, "ok"),
  G_DEFINE_ENUM_VALUE (LAB_CHECK_STATUS_WARNING, "warning"),
  G_DEFINE_ENUM_VALUE (LAB_CHECK_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (LAB_CHECK_STATUS_SKIPPED, "skipped"))

struct _LabCheckResult
{
  GObject         parent_instance;

  char           *id;
  LabCheckStatus  status;
  char           *evidence;
  char           *fix;
  char           *fix_command;
};

G_DEFINE_FINAL_TYPE (LabCheckResult, lab_check_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_STATUS,
  PROP_EVIDENCE,
  PROP_FIX,
  PROP_FIX_COMMAND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const all_ids[] = {
  LAB_CHECK_XEN,
  LAB_CHECK_XENSTORED,
  LAB_CHECK_XENCONSOLED,
  LAB_CHECK_BRIDGE,
  LAB_CHECK_DNSMASQ,
  LAB_CHECK_LEASES,
  LAB_CHECK_PROMISC,
  LAB_CHECK_OPAM,
  LAB_CHECK_LEGACY_BUILDER,
  LAB_CHECK_PVH,
  NULL
};

const char * const *
lab_check_result_all_ids (void)
{
  return all_ids;
}

const char *
lab_check_status_to_string (LabCheckStatus status)
{
  switch (status)
    {
    case LAB_CHECK_STATUS_PENDING:
      return _("Checking…");
    case LAB_CHECK_STATUS_OK:
      return _("OK");
    case LAB_CHECK_STATUS_WARNING:
      return _("Warning");
    case LAB_CHECK_STATUS_FAILED:
      return _("Problem");
    case LAB_CHECK_STATUS_SKIPPED:
      return _("Not checked");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
lab_check_status_get_icon_name (LabCheckStatus status)
{
  switch (status)
    {
    case LAB_CHECK_STATUS_PENDING:
      return "content-loading-symbolic";
    case LAB_CHECK_STATUS_OK:
      return "emblem-ok-symbolic";
    case LAB_CHECK_STATUS_WARNING:
      return "dialog-warning-symbolic";
    case LAB_CHECK_STATUS_FAILED:
      return "dialog-error-symbolic";
    case LAB_CHECK_STATUS_SKIPPED:
      return "action-unavailable-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

LabCheckResult *
lab_check_result_new (const char *id)
{
  g_return_val_if_fail (id != NULL && g_strv_contains (all_ids, id), NULL);

  return g_object_new (LAB_TYPE_CHECK_RESULT, "id", id, NULL);
}

const char *
lab_check_result_get_id (LabCheckResult *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_RESULT (self), NULL);
  return self->id;
}

const char *
lab_check_result_get_title (LabCheckResult *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_RESULT (self), NULL);

  if (g_str_equal (self->id, LAB_CHECK_XEN))
    return _("Booted into Xen");
  if (g_str_equal (self->id, LAB_CHECK_XENSTORED))
    return _("xenstored running");
  if (g_str_equal (self->id, LAB_CHECK_XENCONSOLED))
    return _("xenconsoled running");
  if (g_str_equal (self->id, LAB_CHECK_BRIDGE))
    return _("Bridge up");
  if (g_str_equal (self->id, LAB_CHECK_DNSMASQ))
    return _("dnsmasq serving DHCP on the bridge");
  if (g_str_equal (self->id, LAB_CHECK_LEASES))
    return _("Domains get a DHCP lease");
  if (g_str_equal (self->id, LAB_CHECK_PROMISC))
    return _("Domains reachable from this computer");
  if (g_str_equal (self->id, LAB_CHECK_OPAM))
    return _("opam environment for the build user");
  if (g_str_equal (self->id, LAB_CHECK_LEGACY_BUILDER))
    return _("No classic builder= configs");
  if (g_str_equal (self->id, LAB_CHECK_PVH))
    return _("PVH guests possible");
  g_return_val_if_reached (NULL);
}

LabCheckStatus
lab_check_result_get_status (LabCheckResult *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_RESULT (self), LAB_CHECK_STATUS_PENDING);
  return self->status;
}

const char *
lab_check_result_get_evidence (LabCheckResult *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_RESULT (self), NULL);
  return self->evidence;
}

const char *
lab_check_result_get_fix (LabCheckResult *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_RESULT (self), NULL);
  return self->fix;
}

const char *
lab_check_result_get_fix_command (LabCheckResult *self)
{
  g_return_val_if_fail (LAB_IS_CHECK_RESULT (self), NULL);
  return self->fix_command;
}

static void
set_string (LabCheckResult  *self,
            char           **field,
            const char      *value,
            guint            prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
lab_check_result_set (LabCheckResult *self,
                      LabCheckStatus  status,
                      const char     *evidence,
                      const char     *fix,
                      const char     *fix_command)
{
  g_return_if_fail (LAB_IS_CHECK_RESULT (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->evidence, evidence, PROP_EVIDENCE);
  set_string (self, &self->fix, fix, PROP_FIX);
  set_string (self, &self->fix_command, fix_command, PROP_FIX_COMMAND);
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
lab_check_result_reset (LabCheckResult *self)
{
  lab_check_result_set (self, LAB_CHECK_STATUS_PENDING, NULL, NULL, NULL);
}

static void
lab_check_result_finalize (GObject *object)
{
  LabCheckResult *self = LAB_CHECK_RESULT (object);

  g_free (self->id);
  g_free (self->evidence);
  g_free (self->fix);
  g_free (self->fix_command);

  G_OBJECT_CLASS (lab_check_result_parent_class)->finalize (object);
}

static void
lab_check_result_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LabCheckResult *self = LAB_CHECK_RESULT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_TITLE: g_value_set_string (value, lab_check_result_get_title (self)); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_EVIDENCE: g_value_set_string (value, self->evidence); break;
    case PROP_FIX: g_value_set_string (value, self->fix); break;
    case PROP_FIX_COMMAND: g_value_set_string (value, self->fix_command); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_check_result_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LabCheckResult *self = LAB_CHECK_RESULT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_check_result_class_init (LabCheckResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lab_check_result_finalize;
  object_class->get_property = lab_check_result_get_property;
  object_class->set_property = lab_check_result_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LAB_TYPE_CHECK_STATUS,
                                               LAB_CHECK_STATUS_PENDING, ro);
  properties[PROP_EVIDENCE] = g_param_spec_string ("evidence", NULL, NULL, NULL, ro);
  properties[PROP_FIX] = g_param_spec_string ("fix", NULL, NULL, NULL, ro);
  properties[PROP_FIX_COMMAND] = g_param_spec_string ("fix-command", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_check_result_init (LabCheckResult *self)
{
}
