/* lab-setup-window-steps.c — the guided setup's list of steps and where each stands
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-ui-steps"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "views/lab-setup-step-row.h"
#include "views/lab-setup-window-private.h"

/* Where @step stands: failed in this run, waiting for its reboot, or as saved. */
static LabSetupStepItemStatus
lab_setup_window_steps_status (LabSetupWindow     *self,
                              const LabSetupStep *step)
{
  if (g_hash_table_contains (self->failed, step->id))
    return LAB_SETUP_STEP_ITEM_FAILED;
  if (lab_setup_state_get_pending_reboot (self->state)
      && g_strcmp0 (lab_setup_state_get_step (self->state), step->id) == 0)
    return LAB_SETUP_STEP_ITEM_REBOOT;
  switch (lab_setup_state_get_step_status (self->state, step->id))
    {
    case LAB_SETUP_STEP_STATUS_DONE:
      return LAB_SETUP_STEP_ITEM_DONE;
    case LAB_SETUP_STEP_STATUS_SKIPPED:
      return LAB_SETUP_STEP_ITEM_SKIPPED;
    case LAB_SETUP_STEP_STATUS_TODO:
    default:
      return LAB_SETUP_STEP_ITEM_TODO;
    }
}

/* The keyboard starts at the current step; Tab goes on to its page. */
void
_lab_setup_window_focus_step (LabSetupWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->steps_list);

  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* The list's steps follow the recipe and where each stands. A step that stays keeps its
 * item (its row updates in place); only another recipe brings other steps. */
void
_lab_setup_window_update_steps (LabSetupWindow *self)
{
  GListModel *model = G_LIST_MODEL (self->steps);
  guint n_steps = lab_setup_recipe_get_n_steps (self->recipe);
  guint n_items = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  GtkListBoxRow *current;
  guint same;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean had_focus = focus != NULL && gtk_widget_is_ancestor (focus,
                                                                GTK_WIDGET (self->steps_list));

  for (same = 0; same < MIN (n_steps, n_items); same++)
    {
      g_autoptr(LabSetupStepItem) item = g_list_model_get_item (model, same);
      const LabSetupStep *step = lab_setup_recipe_get_step (self->recipe, same);

      if (g_strcmp0 (lab_setup_step_item_get_id (item), step->id) != 0
          || g_strcmp0 (lab_setup_step_item_get_title (item), step->title) != 0)
        break;
      lab_setup_step_item_set_status (item, lab_setup_window_steps_status (self, step));
    }
  for (guint i = same; i < n_steps; i++)
    {
      const LabSetupStep *step = lab_setup_recipe_get_step (self->recipe, i);
      LabSetupStepItem *item = lab_setup_step_item_new (step->id, i + 1, step->title);

      lab_setup_step_item_set_status (item, lab_setup_window_steps_status (self, step));
      g_ptr_array_add (added, item);
    }
  if (same < n_items || added->len > 0)
    g_list_store_splice (self->steps, same, n_items - same, added->pdata, added->len);

  current = gtk_list_box_get_row_at_index (self->steps_list, self->current);
  if (gtk_list_box_get_selected_row (self->steps_list) != current)
    gtk_list_box_select_row (self->steps_list, current);
  /* The row with the focus went (another recipe): the keyboard stays in the list, at the
   * current step. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (had_focus && (focus == NULL || !gtk_widget_is_ancestor (focus,
                                                              GTK_WIDGET (self->steps_list))))
    _lab_setup_window_focus_step (self);
}

GtkWidget *
_lab_setup_window_create_step_row (gpointer item,
                                  gpointer user_data)
{
  return lab_setup_step_row_new (LAB_SETUP_STEP_ITEM (item));
}
