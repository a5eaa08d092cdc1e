/* lab-setup-window-log.c — each step of the guided setup shows its own log
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-ui-log"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "views/lab-setup-window-private.h"

/* The step that made some output. VirtualBox's belongs to its own step: the VM list and
 * address are read while a page shows, and may come in after the user moved on. The rest
 * belongs to the step on screen: the list is locked while a step runs, and Check Host's
 * findings, which come once connected, are for the steps that follow. */
static const char *
lab_setup_window_log_output_step (LabSetupWindow *self,
                              GObject        *source)
{
  for (guint i = 0; source == G_OBJECT (self->vbox)
                    && i < lab_setup_recipe_get_n_steps (self->recipe); i++)
    if (g_strcmp0 (lab_setup_recipe_get_step (self->recipe, i)->builtin, "virtualbox") == 0)
      return lab_setup_recipe_get_step (self->recipe, i)->id;
  return _lab_setup_window_current_step (self)->id;
}

static void
lab_setup_window_log_step_text (LabSetupWindow *self,
               const char     *step_id,
               const char     *text)
{
  lab_setup_logs_append (self->logs, step_id, text, strlen (text));
  /* Command output ends lines with LF only; the terminal wants CR LF. */
  if (g_strcmp0 (step_id, self->log_step) == 0)
    lab_terminal_feed_console (self->log, (const guint8 *) text, strlen (text));
}

void
_lab_setup_window_log (LabSetupWindow *self,
          const char     *text)
{
  lab_setup_window_log_step_text (self, _lab_setup_window_current_step (self)->id, text);
}

void
_lab_setup_window_output_cb (GObject    *source,
           const char *text,
           gpointer    user_data)
{
  LabSetupWindow *self = user_data;

  if (self->recipe != NULL)
    lab_setup_window_log_step_text (self, lab_setup_window_log_output_step (self, source), text);
}

/* The log shows what the step on screen printed, in this run of the wizard. */
void
_lab_setup_window_show_log_of (LabSetupWindow *self,
                              const char     *step_id)
{
  const char *text;
  gsize length;

  if (g_strcmp0 (step_id, self->log_step) == 0)
    return;
  g_free (self->log_step);
  self->log_step = g_strdup (step_id);
  /* A new terminal: VTE keeps parsing what it was given even after a reset. */
  self->log = LAB_TERMINAL (lab_terminal_new ());
  vte_terminal_set_input_enabled (VTE_TERMINAL (self->log), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->log), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Log"), -1);
  gtk_frame_set_child (self->log_frame, GTK_WIDGET (self->log));
  text = lab_setup_logs_get (self->logs, step_id, &length);
  lab_terminal_feed_console (self->log, (const guint8 *) text, length);
}
