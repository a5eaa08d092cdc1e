/* lab-setup-step-item.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-step-item"

#include "config.h"

#include "lab-setup-step-item.h"

G_DEFINE_ENUM_TYPE (LabSetupStepItemStatus, lab_setup_step_item_status,
  G_DEFINE_ENUM_VALUE (LAB_SETUP_STEP_ITEM_TODO, "todo"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_STEP_ITEM_DONE, "done"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_STEP_ITEM_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_STEP_ITEM_REBOOT, "reboot"),
  G_DEFINE_ENUM_VALUE (LAB_SETUP_STEP_ITEM_SKIPPED, "skipped"))

struct _LabSetupStepItem
{
  GObject                 parent_instance;

  char                   *id;
  guint                   number;
  char                   *title;
  LabSetupStepItemStatus  status;
};

G_DEFINE_FINAL_TYPE (LabSetupStepItem, lab_setup_step_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_TITLE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

LabSetupStepItem *
lab_setup_step_item_new (const char *id,
                         guint       number,
                         const char *title)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  return g_object_new (LAB_TYPE_SETUP_STEP_ITEM,
                       "id", id,
                       "number", number,
                       "title", title,
                       NULL);
}

const char *
lab_setup_step_item_get_id (LabSetupStepItem *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_STEP_ITEM (self), NULL);
  return self->id;
}

guint
lab_setup_step_item_get_number (LabSetupStepItem *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_STEP_ITEM (self), 0);
  return self->number;
}

const char *
lab_setup_step_item_get_title (LabSetupStepItem *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_STEP_ITEM (self), NULL);
  return self->title;
}

LabSetupStepItemStatus
lab_setup_step_item_get_status (LabSetupStepItem *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_STEP_ITEM (self), LAB_SETUP_STEP_ITEM_TODO);
  return self->status;
}

void
lab_setup_step_item_set_status (LabSetupStepItem       *self,
                                LabSetupStepItemStatus  status)
{
  g_return_if_fail (LAB_IS_SETUP_STEP_ITEM (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
lab_setup_step_item_finalize (GObject *object)
{
  LabSetupStepItem *self = LAB_SETUP_STEP_ITEM (object);

  g_free (self->id);
  g_free (self->title);

  G_OBJECT_CLASS (lab_setup_step_item_parent_class)->finalize (object);
}

static void
lab_setup_step_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LabSetupStepItem *self = LAB_SETUP_STEP_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_setup_step_item_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LabSetupStepItem *self = LAB_SETUP_STEP_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NUMBER:
      self->number = g_value_get_uint (value);
      break;

    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;

    case PROP_STATUS:
      lab_setup_step_item_set_status (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_setup_step_item_class_init (LabSetupStepItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lab_setup_step_item_finalize;
  object_class->get_property = lab_setup_step_item_get_property;
  object_class->set_property = lab_setup_step_item_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT, 0, construct);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, construct);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, LAB_TYPE_SETUP_STEP_ITEM_STATUS,
                       LAB_SETUP_STEP_ITEM_TODO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_setup_step_item_init (LabSetupStepItem *self)
{
}
