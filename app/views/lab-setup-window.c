/* lab-setup-window.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-display-text.h"
#include "setup/lab-setup-connect.h"
#include "setup/lab-setup-logs.h"
#include "setup/lab-setup-runner.h"
#include "setup/lab-vbox.h"
#include "views/lab-accessible.h"
#include "views/lab-setup-settings-group.h"
#include "views/lab-setup-step-row.h"
#include "views/lab-setup-window-private.h"
#include "views/lab-ssh-prompt.h"
#include "views/lab-terminal.h"
#include "xen/lab-host-check.h"


G_DEFINE_FINAL_TYPE (LabSetupWindow, lab_setup_window, ADW_TYPE_WINDOW)

/* What a step's page can scroll back through (an opam build prints megabytes). */
#define LOG_MAX_PER_STEP (2 * 1024 * 1024)

enum { SIGNAL_START_UNIKERNEL, N_SIGNALS };
static guint signals[N_SIGNALS];

static void show_step (LabSetupWindow *self);
static void host_back (GObject *source, GAsyncResult *result, gpointer user_data);

const LabSetupStep *
_lab_setup_window_current_step (LabSetupWindow *self)
{
  /* current is always a valid index: set from the list rows or clamped on load. */
  return lab_setup_recipe_get_step (self->recipe, self->current);
}

static void
save_state (LabSetupWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!lab_setup_state_save (self->state, self->state_path, &error))
    gtk_label_set_text (self->status_label, error->message);
}

static void
on_progress (LabSetupRunner *runner,
             double          fraction,
             gpointer        user_data)
{
  LabSetupWindow *self = user_data;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), fraction >= 0);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
set_busy (LabSetupWindow *self,
          gboolean        busy,
          const char     *status)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->plan_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->steps_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->vbox_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_group), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  if (!busy)
    gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  if (busy)
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  else
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      /* The list and the buttons are insensitive while a step runs: a focus they had, or
       * the first one at the window's opening, went to a scrolled window or nowhere. */
      if (focus == NULL || !gtk_widget_is_sensitive (focus) || GTK_IS_SCROLLED_WINDOW (focus))
        _lab_setup_window_focus_step (self);
    }
}

static void
hide_failure (LabSetupWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->failure_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->shutdown_button), FALSE);
}

static void
show_failure (LabSetupWindow        *self,
              const GError          *error,
              const LabSetupFailure *failure)
{
  const LabSetupStep *step = _lab_setup_window_current_step (self);
  g_autofree char *command = NULL;
  g_autofree char *output = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (self, FALSE, _("Cancelled. Nothing more was changed."));
      return;
    }
  g_hash_table_add (self->failed, g_strdup (step->id));
  set_busy (self, FALSE, NULL);
  _lab_setup_window_update_steps (self);

  gtk_label_set_text (self->failure_title, error->message);
  gtk_label_set_text (self->failure_meaning,
                      failure != NULL && failure->meaning != NULL ? failure->meaning
                                                                  : error->message);
  command = failure != NULL && failure->command != NULL
            ? g_strdup_printf (_("What ran: %s"), failure->command) : NULL;
  gtk_label_set_text (self->failure_command, command != NULL ? command : "");
  gtk_widget_set_visible (GTK_WIDGET (self->failure_command), command != NULL);
  /* The host's output, kept as its last bytes: the cut may fall inside a character. */
  output = g_strstrip (lab_text_for_display_lines (failure != NULL && failure->output != NULL
                                                   ? failure->output : "",
                                                   4 * LAB_DISPLAY_MESSAGE_MAX));
  gtk_label_set_text (self->failure_output, output);
  gtk_widget_set_visible (GTK_WIDGET (self->failure_output), *output != '\0');
  gtk_label_set_text (self->fix_command, failure != NULL && failure->fix_command != NULL
                                         ? failure->fix_command : "");
  gtk_widget_set_visible (GTK_WIDGET (self->fix_box),
                          failure != NULL && failure->fix_command != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->shutdown_button),
                          g_error_matches (error, LAB_SETUP_ERROR,
                                           LAB_SETUP_ERROR_VM_RUNNING));
  gtk_widget_set_visible (GTK_WIDGET (self->failure_box), TRUE);
}

static void
show_plan (LabSetupWindow *self,
           const char     *plan)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->plan_view),
                            plan != NULL && *plan != '\0' ? plan
                                                          : _("Nothing to change."), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->plan_heading), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->plan_frame), TRUE);
}

static void
step_done (LabSetupWindow *self,
           const char     *message)
{
  const LabSetupStep *step = _lab_setup_window_current_step (self);

  g_hash_table_remove (self->failed, step->id);
  lab_setup_state_set_step_status (self->state, step->id, LAB_SETUP_STEP_STATUS_DONE);
  if ((guint) self->current + 1 < lab_setup_recipe_get_n_steps (self->recipe))
    lab_setup_state_set_step (self->state,
                              lab_setup_recipe_get_step (self->recipe,
                                                         self->current + 1)->id);
  save_state (self);
  set_busy (self, FALSE, message);
  /* On to the next step, with the result still readable in the status line. */
  if ((guint) self->current + 1 < lab_setup_recipe_get_n_steps (self->recipe))
    {
      self->current++;
      _lab_setup_window_update_steps (self);
      show_step (self);
      gtk_label_set_text (self->status_label, message);
    }
  else
    _lab_setup_window_update_steps (self);
}

/* ---- settings ---- */

/* Takes the rows into the runner (checked together) and the saved state. */
static gboolean
take_settings (LabSetupWindow  *self,
               LabSetupRunner  *runner,
               GError         **error)
{
  if (!lab_setup_settings_group_take (self->settings_group, self->state, runner, error))
    return FALSE;
  save_state (self);
  return TRUE;
}

/* A new runner (after connecting) gets what was chosen; a bad setting shows when a step
 * that needs it is planned or applied. */
static void
new_runner (LabSetupWindow *self,
            LabSshSession  *session)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->runner);
  self->runner = lab_setup_runner_new (session);
  g_signal_connect_object (self->runner, "output", G_CALLBACK (_lab_setup_window_output_cb),
                           self, 0);
  g_signal_connect_object (self->runner, "progress", G_CALLBACK (on_progress), self, 0);
  if (!take_settings (self, self->runner, &error))
    g_debug ("settings not taken yet: %s", error->message);
}

/* ---- VirtualBox ---- */

static char *
selected_vm (LabSetupWindow *self)
{
  GObject *item = adw_combo_row_get_selected_item (self->vm_row);

  return item != NULL ? g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)))
                      : NULL;
}

static gboolean
recipe_is_modern (LabSetupWindow *self)
{
  return g_strcmp0 (lab_setup_state_get_recipe (self->state), "classic") != 0;
}

static void
vms_listed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LabSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) vms = lab_vbox_list_vms_finish (LAB_VBOX (source), result, &error);
  g_autoptr(GtkStringList) model = NULL;

  if (vms == NULL)
    {
      show_failure (self, error, lab_vbox_get_failure (self->vbox));
      return;
    }
  set_busy (self, FALSE, g_strv_length (vms) == 0
                         ? _("VirtualBox has no VM yet: create one for Ubuntu Server or "
                             "Debian (2 GB of memory, a 20 GB disk, the OpenSSH server), "
                             "then come back.")
                         : NULL);
  model = gtk_string_list_new ((const char * const *) vms);
  adw_combo_row_set_model (self->vm_row, G_LIST_MODEL (model));
  for (guint i = 0; vms[i] != NULL; i++)
    if (g_strcmp0 (vms[i], lab_setup_state_get_vm (self->state)) == 0)
      adw_combo_row_set_selected (self->vm_row, i);
}

static void
vbox_setup_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LabSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabVboxResult) done = lab_vbox_setup_finish (LAB_VBOX (source), result, &error);
  g_autofree char *message = NULL;

  if (done == NULL)
    {
      show_failure (self, error, lab_vbox_get_failure (self->vbox));
      return;
    }
  if (done->plan != NULL && self->busy && gtk_widget_get_visible (GTK_WIDGET (self->plan_frame))
      && g_object_get_data (G_OBJECT (source), "dry-run") != NULL)
    {
      g_object_set_data (G_OBJECT (source), "dry-run", NULL);
      show_plan (self, done->plan);
      set_busy (self, FALSE, NULL);
      return;
    }
  /* The network step finds the host-only adapter in dom0 by this MAC. */
  if (done->mac2 != NULL)
    {
      lab_setup_state_set_setting (self->state, "nic-mac", done->mac2);
      save_state (self);
    }
  message = lab_vbox_result_dup_summary (done);
  step_done (self, message);
}

static void
vbox_run (LabSetupWindow *self,
          gboolean        dry_run)
{
  g_autofree char *vm = selected_vm (self);
  const char *ip = gtk_editable_get_text (GTK_EDITABLE (self->host_ip_row));

  if (vm == NULL)
    {
      /* No VM list yet (VirtualBox was missing, or had no VM): look again. */
      show_step (self);
      return;
    }
  lab_setup_state_set_vm (self->state, vm);
  save_state (self);
  set_busy (self, TRUE, dry_run ? _("Reading VirtualBox's settings…")
                                : _("Setting up VirtualBox…"));
  if (dry_run)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->plan_frame), TRUE);
      g_object_set_data (G_OBJECT (self->vbox), "dry-run", GINT_TO_POINTER (1));
    }
  lab_vbox_setup_async (self->vbox, vm, ip, recipe_is_modern (self), dry_run,
                        self->cancellable, vbox_setup_done, g_object_ref (self));
}

static void
vm_shut_down (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LabSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_vbox_shutdown_vm_finish (LAB_VBOX (source), result, &error))
    {
      show_failure (self, error, lab_vbox_get_failure (self->vbox));
      return;
    }
  set_busy (self, FALSE, NULL);
  vbox_run (self, FALSE);
}

static void
shutdown_button_clicked (LabSetupWindow *self)
{
  g_autofree char *vm = selected_vm (self);

  hide_failure (self);
  set_busy (self, TRUE, _("Shutting the VM down…"));
  lab_vbox_shutdown_vm_async (self->vbox, vm, 120, self->cancellable, vm_shut_down,
                              g_object_ref (self));
}

/* ---- Connect: LabSetupConnect runs it, the window shows it ---- */

static void
lab_setup_window_connect_request_cb (LabSetupConnect *connect,
                                     LabSshRequest   *request,
                                     LabSetupWindow  *self)
{
  lab_ssh_prompt_present (GTK_WINDOW (self), request);
}

/* The step is done once the recipe is known; the host's checks go on in the log. */
static void
lab_setup_window_connect_done (LabSetupWindow *self)
{
  const char *picked = lab_setup_connect_get_recipe (self->connect);
  g_autofree char *message = g_strdup (lab_setup_connect_get_message (self->connect));

  lab_setup_state_set_recipe (self->state, picked);
  if (g_strcmp0 (picked, lab_setup_recipe_get_id (self->recipe)) != 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabSetupRecipe) recipe = lab_setup_recipe_new_from_resource (picked, &error);

      /* Both recipes start with the same steps, so the index stays valid. */
      if (recipe != NULL && lab_setup_recipe_get_n_steps (recipe) > (guint) self->current)
        {
          g_set_object (&self->recipe, recipe);
          adw_window_title_set_subtitle (self->window_title,
                                         lab_setup_recipe_get_title (self->recipe));
        }
    }
  step_done (self, message);
}

static void
lab_setup_window_connect_changed_cb (LabSetupConnect *connect,
                                     LabSetupWindow  *self)
{
  LabSetupConnectState state = lab_setup_connect_get_state (connect);
  LabSshSession *session = lab_setup_connect_get_session (connect);

  if (!self->connecting)
    return;
  /* Connected: the dom0 steps run on this session from now on, even if the key fails. */
  if (state > LAB_SETUP_CONNECT_STATE_CONNECTING && state != LAB_SETUP_CONNECT_STATE_FAILED
      && lab_setup_runner_get_session (self->runner) != session)
    new_runner (self, session);
  if (lab_setup_connect_get_busy (connect))
    {
      gtk_label_set_text (self->status_label, lab_setup_connect_get_message (connect));
      return;
    }
  self->connecting = FALSE;
  if (state == LAB_SETUP_CONNECT_STATE_FAILED)
    show_failure (self, lab_setup_connect_get_error (connect),
                  lab_setup_connect_get_failure (connect));
  else if (state == LAB_SETUP_CONNECT_STATE_CHECKING_HOST
           || state == LAB_SETUP_CONNECT_STATE_DONE)
    lab_setup_window_connect_done (self);
}

static void
connect_run (LabSetupWindow *self)
{
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text
                                                     (GTK_EDITABLE (self->host_row))));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char * const overrides[] = { NULL, "classic", "modern" };
  guint override = adw_combo_row_get_selected (self->recipe_row);
  g_autoptr(GError) error = NULL;

  lab_setup_connect_set_recipe_override (self->connect,
                                         override < G_N_ELEMENTS (overrides)
                                         ? overrides[override] : NULL);
  set_busy (self, TRUE, NULL);
  self->connecting = TRUE;
  if (!lab_setup_connect_start (self->connect, address, user, password,
                                gtk_switch_get_active (self->key_switch), &error))
    {
      self->connecting = FALSE;
      set_busy (self, FALSE, error->message);
      return;
    }
  /* Saved as the chain took them (never the password): reopening resumes with them. */
  lab_setup_state_set_host (self->state, lab_setup_connect_get_host (self->connect));
  lab_setup_state_set_port (self->state, lab_setup_connect_get_port (self->connect));
  lab_setup_state_set_user (self->state, lab_setup_connect_get_user (self->connect));
  save_state (self);
}

static char *
connect_plan (LabSetupWindow *self)
{
  GString *plan = g_string_new (NULL);

  g_string_append_printf (plan, "$ ssh %s@%s\n",
                          gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->host_row)));
  if (gtk_switch_get_active (self->key_switch))
    g_string_append (plan, _("$ ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519   (on this "
                             "computer, unless the key exists)\n"
                             "# append ~/.ssh/id_ed25519.pub to ~/.ssh/authorized_keys on "
                             "the host\n"));
  g_string_append (plan, "$ cat /etc/os-release\n");
  return g_string_free (plan, FALSE);
}

/* ---- declarative steps ---- */

static void
step_planned (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LabSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = lab_setup_runner_plan_finish (LAB_SETUP_RUNNER (source), result,
                                                        &error);

  if (plan == NULL)
    {
      show_failure (self, error, lab_setup_runner_get_failure (self->runner));
      return;
    }
  set_busy (self, FALSE, NULL);
  show_plan (self, plan);
}

static void
step_verified (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LabSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_setup_runner_verify_finish (LAB_SETUP_RUNNER (source), result, &error))
    {
      show_failure (self, error, lab_setup_runner_get_failure (self->runner));
      return;
    }
  lab_setup_state_set_pending_reboot (self->state, FALSE);
  step_done (self, _("Done: the host is back and the step is verified."));
}

static void
host_back (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LabSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lab_setup_runner_wait_for_host_finish (LAB_SETUP_RUNNER (source), result, &error))
    {
      show_failure (self, error, lab_setup_runner_get_failure (self->runner));
      return;
    }
  lab_setup_runner_verify_async (self->runner, _lab_setup_window_current_step (self),
                                 self->cancellable, step_verified, g_object_ref (self));
}

static void
step_applied (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LabSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const LabSetupStep *step = _lab_setup_window_current_step (self);
  gboolean changed = FALSE;

  if (!lab_setup_runner_apply_finish (LAB_SETUP_RUNNER (source), result, &changed, &error))
    {
      show_failure (self, error, lab_setup_runner_get_failure (self->runner));
      return;
    }
  if (step->reboot_after && changed)
    {
      /* Saved first: if the app is closed meanwhile, the wizard opens at this step again. */
      lab_setup_state_set_step (self->state, step->id);
      lab_setup_state_set_pending_reboot (self->state, TRUE);
      save_state (self);
      _lab_setup_window_update_steps (self);
      gtk_label_set_text (self->status_label, _("The host reboots; waiting for it to come "
                                                "back…"));
      lab_setup_runner_wait_for_host_async (self->runner, 12, 2000, self->cancellable,
                                            host_back, g_object_ref (self));
      return;
    }
  step_done (self, changed ? _("Done.") : _("Already done: nothing was changed."));
}

/* ---- buttons ---- */

/* The unikernel the recipe's build step makes: its .xl on the host, or NULL. Before the
 * runner knows the home folder it is "~/…" (@for_display) or relative to the home folder,
 * which is how host settings take config folders. */
static char *
unikernel_config (LabSetupWindow *self,
                  gboolean        for_display)
{
  int index = lab_setup_recipe_find_step (self->recipe, "build");
  const LabSetupStep *build;

  if (index < 0)
    return NULL;
  build = lab_setup_recipe_get_step (self->recipe, index);
  for (guint i = 0; i < build->apply->len; i++)
    {
      const LabSetupAction *action = build->apply->pdata[i];

      if (action->path != NULL && g_str_has_suffix (action->path, ".xl"))
        {
          g_autofree char *expanded = lab_setup_runner_expand (self->runner, action->path);
          GString *path = g_string_new (expanded);

          g_string_replace (path, "${home}/", for_display ? "~/" : "", 1);
          return g_string_free (path, FALSE);
        }
    }
  return NULL;
}

static char *
unikernel_plan (LabSetupWindow *self)
{
  g_autofree char *config = unikernel_config (self, TRUE);

  return g_strdup_printf (_("In Mirage Lab’s main window, on this host:\n"
                            "$ sudo xl create -p %s\n$ sudo xl console NAME   (in a tab)\n"
                            "$ sudo xl unpause NAME\n"
                            "# then its address from dnsmasq’s leases and its console, a "
                            "probe of its web server, and Open in Browser\n"),
                          config != NULL ? config : "?");
}

/* Hands the unikernel to the main window, which starts it with its console, finds its
 * address and offers it in the browser. */
static void
start_unikernel_clicked (LabSetupWindow *self)
{
  g_autofree char *config = unikernel_config (self, FALSE);
  g_autofree char *message = NULL;

  if (lab_setup_runner_get_session (self->runner) == NULL
      || lab_setup_state_get_host (self->state) == NULL || config == NULL)
    {
      gtk_label_set_text (self->status_label, _("Connect to the host first."));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_START_UNIKERNEL], 0,
                 lab_setup_state_get_host (self->state), lab_setup_state_get_port (self->state),
                 lab_setup_state_get_user (self->state), config);
  message = g_strdup_printf (_("Started from %s in the main window."), config);
  step_done (self, message);
}

/* Declarative steps run on the connected host with the settings as they are now. */
static gboolean
ready_to_run (LabSetupWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!take_settings (self, self->runner, &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      return FALSE;
    }
  if (lab_setup_runner_get_session (self->runner) == NULL)
    {
      gtk_label_set_text (self->status_label, _("Connect to the host first."));
      return FALSE;
    }
  return TRUE;
}

static void
plan_button_clicked (LabSetupWindow *self)
{
  const LabSetupStep *step = _lab_setup_window_current_step (self);

  hide_failure (self);
  if (g_strcmp0 (step->builtin, "virtualbox") == 0)
    vbox_run (self, TRUE);
  else if (g_strcmp0 (step->builtin, "connect") == 0)
    {
      g_autofree char *plan = connect_plan (self);
      show_plan (self, plan);
    }
  else if (g_strcmp0 (step->builtin, "first-unikernel") == 0)
    {
      g_autofree char *plan = unikernel_plan (self);
      show_plan (self, plan);
    }
  else if (ready_to_run (self))
    {
      set_busy (self, TRUE, _("Working out the plan…"));
      lab_setup_runner_plan_async (self->runner, step, self->cancellable, step_planned,
                                   g_object_ref (self));
    }
}

static void
apply_button_clicked (LabSetupWindow *self)
{
  const LabSetupStep *step = _lab_setup_window_current_step (self);
  g_autofree char *note = g_strdup_printf ("\n== %s ==\n", step->title);

  hide_failure (self);
  g_hash_table_remove (self->failed, step->id);
  _lab_setup_window_log (self, note);
  if (g_strcmp0 (step->builtin, "virtualbox") == 0)
    vbox_run (self, FALSE);
  else if (g_strcmp0 (step->builtin, "connect") == 0)
    connect_run (self);
  else if (g_strcmp0 (step->builtin, "first-unikernel") == 0)
    start_unikernel_clicked (self);
  else if (ready_to_run (self))
    {
      set_busy (self, TRUE, step->reboot_after ? _("Applying; the host reboots at the end…")
                                               : _("Applying…"));
      lab_setup_runner_apply_async (self->runner, step, self->cancellable, step_applied,
                                    g_object_ref (self));
    }
}

static void
cancel_button_clicked (LabSetupWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  if (self->connecting)
    lab_setup_connect_cancel (self->connect);
}

static void
skip_button_clicked (LabSetupWindow *self)
{
  const LabSetupStep *step = _lab_setup_window_current_step (self);
  g_autofree char *message = g_strdup_printf (_("Skipped “%s”: later steps that need it may "
                                                "fail."), step->title);

  hide_failure (self);
  g_hash_table_remove (self->failed, step->id);
  lab_setup_state_set_step_status (self->state, step->id, LAB_SETUP_STEP_STATUS_SKIPPED);
  save_state (self);
  if ((guint) self->current + 1 < lab_setup_recipe_get_n_steps (self->recipe))
    self->current++;
  _lab_setup_window_update_steps (self);
  show_step (self);
  gtk_label_set_text (self->status_label, message);
}

static void
copy_fix_clicked (LabSetupWindow *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          gtk_label_get_text (self->fix_command));
}

static void
steps_list_row_selected (LabSetupWindow *self,
                         GtkListBoxRow  *row)
{
  if (row == NULL || gtk_list_box_row_get_index (row) == self->current)
    return;
  self->current = gtk_list_box_row_get_index (row);
  show_step (self);
}

static void
guest_ip_found (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LabSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *ip = lab_vbox_guest_ip_finish (LAB_VBOX (source), result, &error);
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->host_row));

  if (ip == NULL)
    {
      g_debug ("the VM does not report its address: %s", error ? error->message : "no value");
      return;
    }
  /* Only replace the default (the classic recipe's avahi name, as in the template), never
   * what the user typed meanwhile. */
  if (*typed == '\0' || g_str_equal (typed, "virtualxen.local"))
    gtk_editable_set_text (GTK_EDITABLE (self->host_row), ip);
}

static void
show_step (LabSetupWindow *self)
{
  const LabSetupStep *step = _lab_setup_window_current_step (self);
  gboolean is_vbox = g_strcmp0 (step->builtin, "virtualbox") == 0;
  gboolean is_connect = g_strcmp0 (step->builtin, "connect") == 0;
  gboolean is_unikernel = g_strcmp0 (step->builtin, "first-unikernel") == 0;
  gboolean is_network = g_str_equal (step->id, "network");
  gboolean is_xen = g_str_equal (step->id, "xen") && recipe_is_modern (self);
  /* The explanation names the settings as they are now (${bridge} → br0). */
  g_autofree char *explanation = lab_setup_runner_expand (self->runner, step->explanation);

  gtk_label_set_text (self->step_title, step->title);
  gtk_label_set_text (self->step_explanation, explanation);
  _lab_setup_window_show_log_of (self, step->id);
  gtk_widget_set_visible (GTK_WIDGET (self->vbox_group), is_vbox);
  gtk_widget_set_visible (GTK_WIDGET (self->connect_group), is_connect);
  lab_setup_settings_group_show_for (self->settings_group, is_network, is_xen);
  gtk_widget_set_visible (GTK_WIDGET (self->unikernel_group), is_unikernel);
  if (is_unikernel)
    {
      g_autofree char *config = unikernel_config (self, TRUE);

      adw_action_row_set_subtitle (self->unikernel_row, config != NULL ? config : "");
    }
  gtk_button_set_label (self->apply_button,
                        step->reboot_after ? _("Apply and _Reboot")
                        : is_unikernel ? _("_Start") : _("_Apply"));
  gtk_widget_set_visible (GTK_WIDGET (self->plan_heading), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->plan_frame), FALSE);
  gtk_label_set_text (self->status_label, "");
  hide_failure (self);
  if (is_vbox && !self->busy)
    {
      set_busy (self, TRUE, _("Looking for VirtualBox…"));
      lab_vbox_list_vms_async (self->vbox, self->cancellable, vms_listed, g_object_ref (self));
    }
  /* Nothing typed yet: the VM may say its address (guest additions). */
  if (is_connect && lab_setup_state_get_vm (self->state) != NULL
      && lab_setup_state_get_host (self->state) == NULL)
    lab_vbox_guest_ip_async (self->vbox, lab_setup_state_get_vm (self->state),
                             self->cancellable, guest_ip_found, g_object_ref (self));
}

/* ---- object ---- */

LabTerminal *
lab_setup_window_get_log (LabSetupWindow *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_WINDOW (self), NULL);

  return self->log;
}

LabHostCheck *
lab_setup_window_get_host_check (LabSetupWindow *self)
{
  g_return_val_if_fail (LAB_IS_SETUP_WINDOW (self), NULL);

  return lab_setup_connect_get_host_check (self->connect);
}

static void
lab_setup_window_dispose (GObject *object)
{
  LabSetupWindow *self = LAB_SETUP_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->connect != NULL)
    lab_setup_connect_close (self->connect);
  g_clear_object (&self->runner);
  g_clear_object (&self->connect);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_SETUP_WINDOW);
  G_OBJECT_CLASS (lab_setup_window_parent_class)->dispose (object);
}

static void
lab_setup_window_finalize (GObject *object)
{
  LabSetupWindow *self = LAB_SETUP_WINDOW (object);

  g_free (self->state_path);
  g_clear_object (&self->state);
  g_clear_object (&self->recipe);
  g_clear_object (&self->vbox);
  g_clear_object (&self->logs);
  g_free (self->log_step);
  g_hash_table_unref (self->failed);
  g_clear_object (&self->steps);
  G_OBJECT_CLASS (lab_setup_window_parent_class)->finalize (object);
}

static void
lab_setup_window_class_init (LabSetupWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_setup_window_dispose;
  object_class->finalize = lab_setup_window_finalize;

  g_type_ensure (LAB_TYPE_TERMINAL);
  g_type_ensure (LAB_TYPE_SETUP_SETTINGS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/miragelab/MirageLab/"
                                               "lab-setup-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, LabSetupWindow, name)
  BIND (window_title);
  BIND (steps_list);
  BIND (page_scroller);
  BIND (step_title);
  BIND (step_explanation);
  BIND (vbox_group);
  BIND (vm_row);
  BIND (host_ip_row);
  BIND (connect_group);
  BIND (host_row);
  BIND (user_row);
  BIND (password_row);
  BIND (key_switch);
  BIND (recipe_row);
  BIND (plan_button);
  BIND (apply_button);
  BIND (cancel_button);
  BIND (spinner);
  BIND (status_label);
  BIND (progress_bar);
  BIND (failure_box);
  BIND (failure_title);
  BIND (failure_meaning);
  BIND (failure_command);
  BIND (failure_output);
  BIND (fix_box);
  BIND (fix_command);
  BIND (shutdown_button);
  BIND (plan_heading);
  BIND (plan_frame);
  BIND (plan_view);
  BIND (log_frame);
  BIND (settings_group);
  BIND (unikernel_group);
  BIND (unikernel_row);
#undef BIND
  /* The header bar's close button is not on the keyboard's way; a step left half done
   * resumes when the window is opened again. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_bind_template_callback (widget_class, steps_list_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, plan_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, apply_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, skip_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, shutdown_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, copy_fix_clicked);

  /* start-unikernel (host, port, user, config path): the first unikernel is built; the
   * main window starts it with its console and offers it in the browser. */
  signals[SIGNAL_START_UNIKERNEL] =
    g_signal_new ("start-unikernel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING,
                  G_TYPE_STRING);
}

/* The step list is one stop for Tab: Up and Down choose the step, Tab goes on to the first
 * control of its page and Shift+Tab, round the window, to the last. GTK 4.8's list box Tabs
 * from row to row, choosing each step on the way, which left the chosen step's page out of
 * the keyboard's reach. */
static gboolean
lab_setup_window_steps_key_cb (LabSetupWindow  *self,
                               guint            keyval,
                               guint            keycode,
                               GdkModifierType  state)
{
  gboolean backward = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0;

  if ((keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
      || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  return gtk_widget_child_focus (self->page_scroller,
                                 backward ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
}

static void
lab_setup_window_init (LabSetupWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Once shown: see lab_accessible_focus_on_map(). */
  g_signal_connect (self, "map", G_CALLBACK (_lab_setup_window_focus_step), NULL);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (lab_setup_window_steps_key_cb),
                              self);
    gtk_widget_add_controller (GTK_WIDGET (self->steps_list), keys);
  }
  lab_accessible_name_group (self->vbox_group, _("Virtual Machine"));
  lab_accessible_name_group (self->connect_group, _("Connection"));
  lab_accessible_name_group (self->unikernel_group, _("First Unikernel"));
  self->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->steps = g_list_store_new (LAB_TYPE_SETUP_STEP_ITEM);
  gtk_list_box_bind_model (self->steps_list, G_LIST_MODEL (self->steps),
                           _lab_setup_window_create_step_row, NULL, NULL);
  self->logs = lab_setup_logs_new (LOG_MAX_PER_STEP);
  self->vbox = lab_vbox_new ();
  g_signal_connect_object (self->vbox, "output", G_CALLBACK (_lab_setup_window_output_cb), self, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), g_get_user_name ());
  /* Without a host yet: for the settings' defaults and the explanations. */
  self->runner = lab_setup_runner_new (NULL);
  self->connect = lab_setup_connect_new ();
  g_signal_connect_object (self->connect, "output", G_CALLBACK (_lab_setup_window_output_cb),
                           self, 0);
  g_signal_connect_object (self->connect, "request",
                           G_CALLBACK (lab_setup_window_connect_request_cb), self, 0);
  g_signal_connect_object (self->connect, "changed",
                           G_CALLBACK (lab_setup_window_connect_changed_cb), self, 0);
}

/* Opened again while a step waits for its reboot (app restarted, or dom0 rebooted while it
 * was closed): reconnect with what was saved, wait for SSH, then verify the step. */
static void
resume_after_reboot (LabSetupWindow *self)
{
  g_autofree char *note = NULL;

  new_runner (self, lab_setup_connect_reopen (self->connect,
                                              lab_setup_state_get_host (self->state),
                                              lab_setup_state_get_port (self->state),
                                              lab_setup_state_get_user (self->state)));
  set_busy (self, TRUE, _("The host was rebooting; waiting for it to come back…"));
  note = g_strdup_printf ("$ ssh %s@%s\n", lab_setup_state_get_user (self->state),
                          lab_setup_state_get_host (self->state));
  _lab_setup_window_log (self, note);
  lab_setup_runner_wait_for_host_async (self->runner, 12, 2000, self->cancellable, host_back,
                                        g_object_ref (self));
}

LabSetupWindow *
lab_setup_window_new (GtkWindow  *parent,
                      const char *state_path)
{
  LabSetupWindow *self = g_object_new (LAB_TYPE_SETUP_WINDOW,
                                       "transient-for", parent, NULL);
  g_autoptr(GError) error = NULL;
  const char *recipe;
  int index;

  self->state_path = g_strdup (state_path);
  self->state = lab_setup_state_load (state_path, &error);
  if (self->state == NULL)
    {
      g_warning ("%s", error->message);
      self->state = lab_setup_state_new ();
    }
  recipe = lab_setup_state_get_recipe (self->state);
  self->recipe = lab_setup_recipe_new_from_resource (recipe != NULL ? recipe : "modern",
                                                     NULL);
  if (self->recipe == NULL)
    self->recipe = lab_setup_recipe_new_from_resource ("modern", &error);
  g_assert (self->recipe != NULL);
  adw_window_title_set_subtitle (self->window_title,
                                 lab_setup_recipe_get_title (self->recipe));
  if (lab_setup_state_get_host (self->state) != NULL)
    {
      const char *saved = lab_setup_state_get_host (self->state);
      guint port = lab_setup_state_get_port (self->state);
      /* An IPv6 address takes its port after brackets, as lab_host_parse_address reads it. */
      gboolean brackets = port != 0 && strchr (saved, ':') != NULL;
      g_autofree char *host = port != 0 ? g_strdup_printf (brackets ? "[%s]:%u" : "%s:%u",
                                                           saved, port)
                                        : g_strdup (saved);

      gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
    }
  if (lab_setup_state_get_user (self->state) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->user_row),
                           lab_setup_state_get_user (self->state));
  lab_setup_settings_group_fill (self->settings_group, self->state, self->runner);
  /* The runner (for the explanations, until connected) gets what was chosen before. */
  {
    g_autoptr(GError) settings_error = NULL;

    if (!take_settings (self, self->runner, &settings_error))
      g_debug ("saved settings not taken: %s", settings_error->message);
  }
  index = lab_setup_recipe_find_step (self->recipe, lab_setup_state_get_step (self->state));
  self->current = MAX (index, 0);
  _lab_setup_window_update_steps (self);
  show_step (self);
  if (lab_setup_state_get_pending_reboot (self->state)
      && lab_setup_state_get_host (self->state) != NULL && !self->busy)
    resume_after_reboot (self);
  return self;
}

void
lab_setup_window_select_step (LabSetupWindow *self,
                              const char     *id)
{
  int index = lab_setup_recipe_find_step (self->recipe, id);

  g_return_if_fail (index >= 0);
  gtk_list_box_select_row (self->steps_list,
                           gtk_list_box_get_row_at_index (self->steps_list, index));
}

LabSetupState *
lab_setup_window_get_state (LabSetupWindow *self)
{
  return self->state;
}

gboolean
lab_setup_window_get_busy (LabSetupWindow *self)
{
  return self->busy;
}
