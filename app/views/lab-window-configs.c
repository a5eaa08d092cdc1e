/* lab-window-configs.c — making and changing configs: Duplicate… (asking for the copy's
 * name, and saving it) and Edit… (the editor window, and what its save says)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-window-configs"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-display-text.h"
#include "views/lab-config-editor.h"
#include "xen/lab-xl-commands.h"

#include "lab-window-private.h"

#define MAX_SUGGESTIONS 100

typedef struct
{
  LabWindow         *self;
  LabHostConnection *connection;
  LabDomain         *domain;
  GtkEntry          *entry;
  GtkLabel          *problem;
} DuplicateData;

static void
lab_window_configs_data_free (gpointer  user_data,
                                GClosure *closure)
{
  DuplicateData *data = user_data;

  g_clear_object (&data->self);
  g_clear_object (&data->connection);
  g_clear_object (&data->domain);
  g_free (data);
}

/* "NAME-2", "NAME-3", … : the first that is free (from "domain" when NAME is not plain). */
static char *
lab_window_configs_suggest (LabHostConnection *connection,
                              const char        *name)
{
  const char *base = lab_xl_name_is_plain (name) && strlen (name) <= 56 ? name : "domain";

  for (guint i = 2; i < MAX_SUGGESTIONS; i++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s-%u", base, i);

      if (lab_host_connection_check_new_name (connection, candidate, NULL))
        return g_steal_pointer (&candidate);
    }
  return g_strdup ("");
}

static void
lab_window_configs_changed_cb (GtkEditable      *editable,
                                 AdwMessageDialog *dialog)
{
  DuplicateData *data = g_object_get_data (G_OBJECT (dialog), "lab-duplicate");
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = lab_host_connection_check_new_name (data->connection, gtk_editable_get_text (editable),
                                           &error);
  adw_message_dialog_set_response_enabled (dialog, "duplicate", ok);
  gtk_label_set_text (data->problem, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (data->problem), !ok);
}

static void
lab_window_configs_created_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(LabXlConfig) copy = user_data;
  LabWindow *self = g_object_get_data (G_OBJECT (copy), "lab-window");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_autoptr(LabDomain) domain = NULL;

  domain = lab_host_connection_create_config_finish (LAB_HOST_CONNECTION (source), result,
                                                     &error);
  if (domain != NULL)
    /* Translators: "web-2 saved as /home/mirage/web/web-2.xl" */
    message = g_strdup_printf (_("%s saved as %s"), lab_xl_config_get_name (copy),
                               lab_xl_config_get_path (copy));
  else
    message = g_strdup_printf (_("Could not duplicate: %s"), error->message);
  lab_window_add_toast (self, message);
}

static void
lab_window_configs_response_cb (AdwMessageDialog *dialog,
                                  const char       *response,
                                  DuplicateData    *data)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (data->entry));
  LabXlConfig *config = lab_domain_get_config (data->domain);
  g_autoptr(LabXlConfig) copy = NULL;
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) used = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (g_strcmp0 (response, "duplicate") != 0 || config == NULL)
    return;
  folder = g_path_get_dirname (lab_xl_config_get_path (config));
  file = g_strconcat (name, ".xl", NULL);
  path = g_build_filename (folder, file, NULL);
  used = lab_domain_store_dup_macs (lab_host_connection_get_domains (data->connection));
  copy = lab_xl_config_duplicate (config, path, name, rand, (const char * const *) used, &error);
  if (copy == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not duplicate: %s"), error->message);

      lab_window_add_toast (data->self, message);
      return;
    }
  /* The copy goes along for the toast, and the window with it. */
  g_object_set_data_full (G_OBJECT (copy), "lab-window", g_object_ref (data->self),
                          g_object_unref);
  lab_host_connection_create_config_async (data->connection, copy, NULL,
                                           lab_window_configs_created_cb,
                                           g_object_ref (copy));
}

/* What a copy would share with the original that two running domains cannot. */
static void
lab_window_configs_add_warnings (GString     *body,
                                   LabXlConfig *config)
{
  const char * const *disks = lab_xl_config_get_list (config, "disk");
  const char *cmdline = lab_xl_config_get_cmdline (config);

  if (disks != NULL && disks[0] != NULL)
    g_string_append_printf (body, "\n\n%s", _("Both use the same disks: give the copy its "
                                              "own before running both."));
  if (cmdline != NULL && strstr (cmdline, "--ipv4=") != NULL)
    g_string_append_printf (body, "\n\n%s", _("Both claim the same fixed address (--ipv4=): "
                                              "change the copy's boot arguments before "
                                              "running both."));
}

void
_lab_window_confirm_duplicate (LabWindow *self,
                               LabDomain *domain)
{
  LabXlConfig *config = lab_domain_get_config (domain);
  g_autofree char *name = _lab_window_shown_name (lab_domain_get_name (domain));
  g_autofree char *folder = NULL;
  g_autofree char *shown_folder = NULL;
  g_autofree char *suggested = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog, *box;
  DuplicateData *data;

  if (config == NULL || self->connection == NULL)
    return;
  folder = g_path_get_dirname (lab_xl_config_get_path (config));
  shown_folder = lab_text_for_display (folder, LAB_DISPLAY_LINE_MAX);
  g_string_printf (body, _("A copy of “%s” with a name and network address (MAC) of its own, "
                           "saved beside it in %s. Both run the same kernel image."),
                   name, shown_folder);
  lab_window_configs_add_warnings (body, config);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Duplicate Domain"), body->str);

  data = g_new0 (DuplicateData, 1);
  data->self = g_object_ref (self);
  data->connection = g_object_ref (self->connection);
  data->domain = g_object_ref (domain);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  data->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_activates_default (data->entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name of the copy"), -1);
  data->problem = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (data->problem, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (data->problem), "error");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->problem));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "duplicate", _("D_uplicate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "duplicate",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "duplicate");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data (G_OBJECT (dialog), "lab-duplicate", data);
  g_signal_connect (data->entry, "changed", G_CALLBACK (lab_window_configs_changed_cb),
                    dialog);
  suggested = lab_window_configs_suggest (self->connection, lab_domain_get_name (domain));
  gtk_editable_set_text (GTK_EDITABLE (data->entry), suggested);
  lab_window_configs_changed_cb (GTK_EDITABLE (data->entry), ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_data (dialog, "response", G_CALLBACK (lab_window_configs_response_cb),
                         data, lab_window_configs_data_free, 0);
  gtk_widget_grab_focus (GTK_WIDGET (data->entry));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Edit… --------------------------------------------------------------------------- */

static void
lab_window_configs_saved_cb (LabConfigEditor *editor,
                             const char      *backup,
                             LabWindow       *self)
{
  LabConfigEdit *edit = lab_config_editor_get_edit (editor);
  LabDomain *domain = lab_config_edit_get_domain (edit);
  g_autofree char *name = _lab_window_shown_name (lab_domain_get_name (domain));
  g_autofree char *message = NULL;

  if (lab_config_edit_get_folder (edit) != NULL)
    {
      /* A new domain: @backup is where its config now is. */
      message = g_strdup_printf (_("%s saved as %s"), name, backup);
      lab_window_add_toast (self, message);
      if (lab_config_editor_get_start_when_saved (editor))
        _lab_window_run_domain_action (self, domain, LAB_DOMAIN_ACTION_START_WITH_CONSOLE);
      return;
    }
  if (lab_domain_get_running (domain))
    /* Translators: "web saved; it uses the new configuration when it next starts" */
    message = g_strdup_printf (_("%s saved; it uses the new configuration when it next "
                                 "starts"), name);
  else
    message = g_strdup_printf (_("%s saved; the old text is in %s"), name, backup);
  lab_window_add_toast (self, message);
}

void
_lab_window_new_domain (LabWindow         *self,
                        LabHostConnection *connection)
{
  g_autoptr(LabConfigEdit) edit = NULL;
  g_autofree char *folder = NULL;
  LabConfigEditor *editor;
  const char *bridge;

  if (connection == NULL)
    return;
  if (lab_host_connection_get_state (connection) != LAB_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *name = _lab_window_shown_name (
                                lab_host_get_name (lab_host_connection_get_host (connection)));
      g_autofree char *message = g_strdup_printf (_("Not connected to %s."), name);

      lab_window_add_toast (self, message);
      return;
    }
  folder = lab_host_connection_dup_new_config_folder (connection);
  if (folder == NULL)
    {
      lab_window_add_toast (self, _("This host has no configuration folder for a new domain: "
                                    "add one in Host Details."));
      return;
    }
  bridge = lab_host_get_bridge (lab_host_connection_get_host (connection));
  edit = lab_config_edit_new_domain (connection, folder,
                                     bridge != NULL && *bridge != '\0' ? bridge : "br0");
  editor = lab_config_editor_new (GTK_WINDOW (self), edit);
  g_signal_connect_object (editor, "saved", G_CALLBACK (lab_window_configs_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

void
_lab_window_edit_config (LabWindow *self,
                         LabDomain *domain)
{
  g_autoptr(LabConfigEdit) edit = NULL;
  LabConfigEditor *editor;

  if (lab_domain_get_config (domain) == NULL || self->connection == NULL)
    return;
  edit = lab_config_edit_new (self->connection, domain);
  editor = lab_config_editor_new (GTK_WINDOW (self), edit);
  g_signal_connect_object (editor, "saved", G_CALLBACK (lab_window_configs_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}
