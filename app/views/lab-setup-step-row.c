/* lab-setup-step-row.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-step-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-setup-step-row.h"

struct _LabSetupStepRow
{
  AdwActionRow parent_instance;
};

G_DEFINE_FINAL_TYPE (LabSetupStepRow, lab_setup_step_row, ADW_TYPE_ACTION_ROW)

static void
lab_setup_step_row_class_init (LabSetupStepRowClass *klass)
{
}

static void
lab_setup_step_row_init (LabSetupStepRow *self)
{
}

GtkWidget *
lab_setup_step_row_new (const char            *title,
                        LabSetupStepRowStatus  status)
{
  GtkWidget *row = g_object_new (LAB_TYPE_SETUP_STEP_ROW, NULL);
  GtkWidget *icon;
  const char *icon_name, *subtitle;

  switch (status)
    {
    case LAB_SETUP_STEP_ROW_DONE:
      icon_name = "emblem-ok-symbolic";
      subtitle = _("Done");
      break;
    case LAB_SETUP_STEP_ROW_FAILED:
      icon_name = "dialog-error-symbolic";
      subtitle = _("Failed");
      break;
    case LAB_SETUP_STEP_ROW_REBOOT:
      icon_name = "system-reboot-symbolic";
      subtitle = _("Needs reboot");
      break;
    case LAB_SETUP_STEP_ROW_SKIPPED:
      icon_name = "dialog-warning-symbolic";
      subtitle = _("Skipped");
      break;
    case LAB_SETUP_STEP_ROW_TODO:
    default:
      icon_name = "content-loading-symbolic";
      subtitle = _("To do");
      break;
    }
  /* A step's title is text, not markup (rows read markup unless told not to). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  icon = gtk_image_new_from_icon_name (icon_name);
  if (status == LAB_SETUP_STEP_ROW_DONE)
    gtk_widget_add_css_class (icon, "success");
  else if (status == LAB_SETUP_STEP_ROW_FAILED)
    gtk_widget_add_css_class (icon, "error");
  else if (status != LAB_SETUP_STEP_ROW_TODO)
    gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}
