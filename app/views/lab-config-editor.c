/* lab-config-editor.c — Edit…: a domain's config as a form and as text, the diff, saving
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form and the text both change the core's working copy (LabConfigEdit). The text view
 * is read back only when the user leaves it or asks to review, so that half-typed text is
 * never refused while it is typed; a text that does not parse keeps the user on it.
 */

#define G_LOG_DOMAIN "lab-config-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-display-text.h"
#include "views/lab-plain-text.h"

#include "lab-config-editor.h"
#include "lab-config-editor-private.h"

/* Text beyond this is shown without colours: an .xl file is a few hundred bytes. */
#define HIGHLIGHT_MAX (64 * 1024)

struct _LabConfigEditor
{
  AdwWindow         parent_instance;

  LabConfigEdit    *edit;
  gboolean          updating;     /* the form or text is being filled from the config */
  gboolean          text_edited;  /* the text view has changes not read back yet */
  gboolean          saving;

  AdwToastOverlay  *toasts;
  AdwViewSwitcherTitle *switcher_title;
  GtkRevealer      *later_revealer;
  GtkLabel         *later_label;
  GtkStack         *pages;
  AdwViewStack     *views;
  AdwPreferencesGroup *domain_group;
  AdwEntryRow      *name_row;
  AdwEntryRow      *kernel_row;
  AdwComboRow      *type_row;
  AdwEntryRow      *bridge_row;
  GtkCheckButton   *start_check;
  AdwActionRow     *upload_row;
  GtkProgressBar   *upload_progress;
  LabSftpUpload    *upload;       /* while one runs */
  GCancellable     *uploading;
  GtkSpinButton    *memory_spin;
  GtkSpinButton    *vcpus_spin;
  AdwEntryRow      *cmdline_row;
  AdwComboRow      *on_poweroff_row;
  AdwComboRow      *on_reboot_row;
  AdwComboRow      *on_crash_row;
  GtkTextView      *text_view;
  GtkLabel         *review_label;
  GtkLabel         *problems_label;
  GtkButton        *save_button;
  GCancellable     *checking;
  GtkTextView      *diff_view;
};

G_DEFINE_FINAL_TYPE (LabConfigEditor, lab_config_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_EDIT,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const end_keys[] = { "on_poweroff", "on_reboot", "on_crash" };
/* What xl does when the setting is absent. */
static const char * const end_defaults[] = { "destroy", "restart", "destroy" };

static AdwComboRow *
lab_config_editor_end_row (LabConfigEditor *self,
                           guint            i)
{
  AdwComboRow *rows[] = { self->on_poweroff_row, self->on_reboot_row, self->on_crash_row };

  return rows[i];
}

static void
lab_config_editor_toast (LabConfigEditor *self,
                         const char      *message)
{
  /* Messages carry paths and names from dom0 and the config: never markup. */
  adw_toast_overlay_add_toast (self->toasts, lab_plain_toast_new (message));
}

/* ---- the form ---------------------------------------------------------------------- */

/* Shows @value, or what xl does without one (@fallback); a value the list does not know
 * (xl would refuse it at start) is added, so that it shows as it is. */
static void
lab_config_editor_select_end (AdwComboRow *row,
                              const char  *value,
                              const char  *fallback)
{
  GtkStringList *list = GTK_STRING_LIST (adw_combo_row_get_model (row));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  const char *shown = value != NULL ? value : fallback;

  for (guint i = 0; i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (list, i), shown))
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
  gtk_string_list_append (list, shown);
  adw_combo_row_set_selected (row, n);
}

/* A new domain's own rows: its name, kernel, type and bridge. */
static void
lab_config_editor_fill_domain (LabConfigEditor *self,
                               LabXlConfig     *config)
{
  const char *name = lab_xl_config_get_name (config);
  const char *kernel = lab_xl_config_get_string (config, "kernel");
  const char * const *vifs = lab_xl_config_get_list (config, "vif");
  g_autoptr(GHashTable) vif = lab_xl_parse_vif_spec (vifs != NULL ? vifs[0] : NULL);
  const char *bridge = g_hash_table_lookup (vif, "bridge");

  if (lab_config_edit_get_domain (self->edit) != NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->kernel_row), kernel ? kernel : "");
  gtk_editable_set_text (GTK_EDITABLE (self->bridge_row), bridge ? bridge : "");
  lab_config_editor_select_end (self->type_row, lab_xl_config_get_domain_type (config), "pv");
}

static void
lab_config_editor_fill_form (LabConfigEditor *self)
{
  LabXlConfig *config = lab_config_edit_get_config (self->edit);
  gint64 memory = 128, vcpus = 1;
  const char *cmdline = lab_xl_config_get_cmdline (config);

  self->updating = TRUE;
  lab_xl_config_get_number (config, "memory", &memory);
  lab_xl_config_get_number (config, "vcpus", &vcpus);
  gtk_spin_button_set_value (self->memory_spin, memory);
  gtk_spin_button_set_value (self->vcpus_spin, vcpus);
  gtk_editable_set_text (GTK_EDITABLE (self->cmdline_row), cmdline ? cmdline : "");
  for (guint i = 0; i < G_N_ELEMENTS (end_keys); i++)
    lab_config_editor_select_end (lab_config_editor_end_row (self, i),
                                  lab_xl_config_get_string (config, end_keys[i]),
                                  end_defaults[i]);
  lab_config_editor_fill_domain (self, config);
  self->updating = FALSE;
}

static void
lab_config_editor_report (LabConfigEditor *self,
                          gboolean         done,
                          GError          *error)
{
  if (!done)
    lab_config_editor_toast (self, error->message);
}

/* Memory or vCPUs changed. */
static void
lab_config_editor_spin_changed_cb (GtkSpinButton   *spin,
                                   LabConfigEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;
  lab_config_editor_report (self, lab_config_edit_set_number (
                                    self->edit, spin == self->memory_spin ? "memory" : "vcpus",
                                    gtk_spin_button_get_value_as_int (spin), &error), error);
}

/* A text row of the form changed: its setting follows (boot arguments go where the config
 * has them; a bridge becomes the first vif's). */
static void
lab_config_editor_entry_changed_cb (GtkEditable     *row,
                                    LabConfigEditor *self)
{
  const char *text = gtk_editable_get_text (row);
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (self->updating)
    return;
  if (row == GTK_EDITABLE (self->cmdline_row))
    done = lab_config_edit_set_cmdline (self->edit, text, &error);
  else if (row == GTK_EDITABLE (self->bridge_row))
    done = lab_config_edit_set_bridge (self->edit, text, &error);
  else
    done = lab_config_edit_set_string (self->edit,
                                       row == GTK_EDITABLE (self->name_row) ? "name" : "kernel",
                                       text, &error);
  lab_config_editor_report (self, done, error);
}

static void
lab_config_editor_type_changed_cb (AdwComboRow     *row,
                                   GParamSpec      *pspec,
                                   LabConfigEditor *self)
{
  g_autoptr(GError) error = NULL;
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  if (self->updating || item == NULL)
    return;
  lab_config_editor_report (self, lab_config_edit_set_string (
                                    self->edit, "type", gtk_string_object_get_string (item),
                                    &error), error);
}

static void
lab_config_editor_end_changed_cb (AdwComboRow     *row,
                                  GParamSpec      *pspec,
                                  LabConfigEditor *self)
{
  g_autoptr(GError) error = NULL;
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  if (self->updating || item == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (end_keys); i++)
    if (lab_config_editor_end_row (self, i) == row)
      lab_config_editor_report (self, lab_config_edit_set_string (
                                        self->edit, end_keys[i],
                                        gtk_string_object_get_string (item), &error), error);
}

/* ---- the text ---------------------------------------------------------------------- */

static void
lab_config_editor_tag_range (GtkTextBuffer *buffer,
                             const char    *tag,
                             const char    *text,
                             gsize          start,
                             gsize          end)
{
  GtkTextIter from, to;

  gtk_text_buffer_get_iter_at_offset (buffer, &from, g_utf8_pointer_to_offset (text,
                                                                                text + start));
  gtk_text_buffer_get_iter_at_offset (buffer, &to, g_utf8_pointer_to_offset (text, text + end));
  gtk_text_buffer_apply_tag_by_name (buffer, tag, &from, &to);
}

/* Comments, setting names and quoted strings, read as xl does on each line. */
static void
lab_config_editor_highlight (LabConfigEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  gsize i = 0, length;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_all_tags (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  length = strlen (text);
  if (length > HIGHLIGHT_MAX)
    return;
  while (i < length)
    {
      gsize from = i;

      if (text[i] == '#')
        {
          while (i < length && text[i] != '\n')
            i++;
          lab_config_editor_tag_range (buffer, "comment", text, from, i);
        }
      else if (text[i] == '"' || text[i] == '\'')
        {
          for (i++; i < length && text[i] != text[from] && text[i] != '\n'; i++)
            i += text[i] == '\\' && i + 1 < length && text[i + 1] != '\n';
          i = MIN (i + 1, length);
          lab_config_editor_tag_range (buffer, "string", text, from, i);
        }
      else if ((g_ascii_isalpha (text[i]) || text[i] == '_')
               && (i == 0 || text[i - 1] == '\n' || text[i - 1] == ';'))
        {
          while (i < length && (g_ascii_isalnum (text[i]) || strchr ("_.-", text[i])))
            i++;
          lab_config_editor_tag_range (buffer, "key", text, from, i);
        }
      else
        i++;
    }
}

static void
lab_config_editor_fill_text (LabConfigEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  self->updating = TRUE;
  gtk_text_buffer_set_text (buffer, lab_xl_config_get_text (lab_config_edit_get_config (
                                                               self->edit)), -1);
  self->updating = FALSE;
  self->text_edited = FALSE;
  lab_config_editor_highlight (self);
}

static void
lab_config_editor_text_changed_cb (GtkTextBuffer   *buffer,
                                   LabConfigEditor *self)
{
  if (self->updating)
    return;
  self->text_edited = TRUE;
  lab_config_editor_highlight (self);
}

/* Reads the text view back into the edit; FALSE (and the user on the text, told why) when
 * it does not parse. */
static gboolean
lab_config_editor_take_text (LabConfigEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (!self->text_edited)
    return TRUE;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!lab_config_edit_set_text (self->edit, text, &error))
    {
      adw_view_stack_set_visible_child_name (self->views, "text");
      lab_config_editor_toast (self, error->message);
      return FALSE;
    }
  self->text_edited = FALSE;
  lab_config_editor_fill_form (self);
  return TRUE;
}

static void
lab_config_editor_view_changed_cb (AdwViewStack    *views,
                                   GParamSpec      *pspec,
                                   LabConfigEditor *self)
{
  const char *name = adw_view_stack_get_visible_child_name (views);

  if (g_strcmp0 (name, "text") == 0 && !self->text_edited)
    lab_config_editor_fill_text (self);
  else if (g_strcmp0 (name, "settings") == 0)
    lab_config_editor_take_text (self);
}

/* ---- an image from this computer ------------------------------------------------------ */

static void
lab_config_editor_upload_progress_cb (LabSftpUpload   *upload,
                                      GParamSpec      *pspec,
                                      LabConfigEditor *self)
{
  guint64 total = lab_sftp_upload_get_total (upload);
  guint64 sent = lab_sftp_upload_get_bytes_sent (upload);
  g_autofree char *sent_text = g_format_size (sent);
  g_autofree char *total_text = g_format_size (total);
  g_autofree char *status = NULL;

  /* Translators: "12.3 MB of 40.0 MB" */
  status = g_strdup_printf (_("%s of %s"), sent_text, total_text);
  gtk_progress_bar_set_fraction (self->upload_progress,
                                 total > 0 ? (double) MIN (sent, total) / total : 0.0);
  adw_action_row_set_subtitle (self->upload_row, status);
}

static void
lab_config_editor_uploaded_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(LabConfigEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *status = NULL;

  target = lab_config_edit_upload_kernel_finish (LAB_CONFIG_EDIT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->upload != NULL)
    g_signal_handlers_disconnect_by_data (self->upload, self);
  g_clear_object (&self->upload);
  gtk_widget_set_visible (GTK_WIDGET (self->upload_progress), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.upload", TRUE);
  if (target == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Not uploaded: %s"), error->message);

      adw_action_row_set_subtitle (self->upload_row, "");
      lab_config_editor_toast (self, message);
      return;
    }
  status = g_strdup_printf (_("Copied to %s; its checksum matches."), target);
  adw_action_row_set_subtitle (self->upload_row, status);
  lab_config_editor_fill_form (self);
}

void
lab_config_editor_upload (LabConfigEditor *self,
                          GFile           *local)
{
  /* Text typed but not read back would hide the new kernel setting: read it first. */
  if (self->upload != NULL || !lab_config_editor_take_text (self))
    return;
  g_clear_object (&self->uploading);
  self->uploading = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.upload", FALSE);
  gtk_progress_bar_set_fraction (self->upload_progress, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->upload_progress), TRUE);
  lab_config_edit_upload_kernel_async (self->edit, local, &self->upload, self->uploading,
                                       lab_config_editor_uploaded_cb, g_object_ref (self));
  /* No upload when it could not start (no connection): the callback says why. */
  if (self->upload != NULL)
    g_signal_connect (self->upload, "notify::bytes-sent",
                      G_CALLBACK (lab_config_editor_upload_progress_cb), self);
}

static void
lab_config_editor_chosen_cb (GtkNativeDialog *chooser,
                             int              response,
                             LabConfigEditor *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    lab_config_editor_upload (self, file);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
lab_config_editor_choose_upload (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Unikernel Image to Copy to dom0"),
                                         GTK_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Upload"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (lab_config_editor_chosen_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
lab_config_editor_drop_cb (GtkDropTarget   *target,
                           const GValue    *value,
                           double           x,
                           double           y,
                           LabConfigEditor *self)
{
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE) || self->upload != NULL)
    return FALSE;
  lab_config_editor_upload (self, g_value_get_object (value));
  return TRUE;
}

/* ---- review and save --------------------------------------------------------------- */

static void
lab_config_editor_fill_diff (LabConfigEditor *self,
                             const char      *diff)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->diff_view);
  g_auto(GStrv) lines = g_strsplit (diff, "\n", -1);
  GtkTextIter end;

  gtk_text_buffer_set_text (buffer, "", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *tag = NULL;

      if (lines[i][0] == '+' && !g_str_has_prefix (lines[i], "+++ "))
        tag = "added";
      else if (lines[i][0] == '-' && !g_str_has_prefix (lines[i], "--- "))
        tag = "removed";
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, lines[i], -1, tag, NULL);
      if (lines[i + 1] != NULL)
        {
          gtk_text_buffer_get_end_iter (buffer, &end);
          gtk_text_buffer_insert (buffer, &end, "\n", 1);
        }
    }
}

/* The review page has its own buttons: the header's switcher and Review… rest meanwhile. */
static void
lab_config_editor_show_page (LabConfigEditor *self,
                             const char      *name)
{
  gboolean editing = g_str_equal (name, "edit");

  gtk_stack_set_visible_child_name (self->pages, name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.review", editing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->switcher_title), editing);
}

/* What the check found, above the diff: saving is still the user's choice (a kernel may
 * be built later), but the button says it is against the advice. */
static void
lab_config_editor_show_problems (LabConfigEditor    *self,
                                 const char * const *problems,
                                 const char         *failure)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    {
      g_autofree char *shown = lab_text_for_display (problems[i], LAB_DISPLAY_LINE_MAX);

      g_string_append_printf (text, "%s• %s", i > 0 ? "\n" : "", shown);
    }
  if (failure != NULL)
    g_string_printf (text, _("Could not check the configuration on dom0: %s"), failure);
  gtk_label_set_text (self->problems_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), text->len > 0);
  if (problems != NULL && problems[0] != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->problems_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->problems_label), "error");
  gtk_button_set_label (self->save_button, problems != NULL && problems[0] != NULL
                                           ? _("Save _Anyway") : _("_Save"));
}

static void
lab_config_editor_checked_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(LabConfigEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;

  problems = lab_config_edit_check_finish (LAB_CONFIG_EDIT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  lab_config_editor_show_problems (self, (const char * const *) problems,
                                   error != NULL ? error->message : NULL);
}

static void
lab_config_editor_check (LabConfigEditor *self)
{
  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  self->checking = g_cancellable_new ();
  gtk_label_set_text (self->problems_label, _("Checking the configuration on dom0…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->problems_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
  gtk_button_set_label (self->save_button, _("_Save"));
  lab_config_edit_check_async (self->edit, self->checking, lab_config_editor_checked_cb,
                               g_object_ref (self));
}

static void
lab_config_editor_review (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  LabConfigEditor *self = LAB_CONFIG_EDITOR (widget);
  g_autofree char *diff = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;
  g_autofree char *label = NULL;

  if (!lab_config_editor_take_text (self))
    return;
  diff = lab_config_edit_dup_diff (self->edit);
  if (*diff == '\0')
    {
      lab_config_editor_toast (self, _("Nothing has changed."));
      return;
    }
  file = lab_config_edit_dup_path (self->edit);
  path = lab_text_for_display (file, LAB_DISPLAY_LINE_MAX);
  if (lab_config_edit_get_domain (self->edit) == NULL)
    label = g_strdup_printf (_("%s is made with these lines."), path);
  else
    label = g_strdup_printf (_("These lines of %s change. The file as it is now is kept as a "
                               "backup beside it."), path);
  gtk_label_set_text (self->review_label, label);
  lab_config_editor_fill_diff (self, diff);
  lab_config_editor_show_page (self, "review");
  lab_config_editor_check (self);
}

static void
lab_config_editor_back (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  lab_config_editor_show_page (LAB_CONFIG_EDITOR (widget), "edit");
}

static void
lab_config_editor_saved_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(LabConfigEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;

  self->saving = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", TRUE);
  backup = lab_config_edit_save_finish (LAB_CONFIG_EDIT (source), result, &error);
  if (backup == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Not saved: %s"), error->message);

      lab_config_editor_toast (self, message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, backup);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
lab_config_editor_save (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LabConfigEditor *self = LAB_CONFIG_EDITOR (widget);

  if (self->saving)
    return;
  self->saving = TRUE;
  gtk_widget_action_set_enabled (widget, "editor.save", FALSE);
  lab_config_edit_save_async (self->edit, NULL, lab_config_editor_saved_cb,
                              g_object_ref (self));
}

/* ---- closing ----------------------------------------------------------------------- */

static void
lab_config_editor_discard_cb (AdwMessageDialog *dialog,
                              const char       *response,
                              LabConfigEditor  *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->text_edited = FALSE;
  self->saving = TRUE;   /* nothing more to ask */
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
lab_config_editor_close_request (GtkWindow *window)
{
  LabConfigEditor *self = LAB_CONFIG_EDITOR (window);
  GtkWidget *dialog;

  if (self->saving || (!self->text_edited && !lab_config_edit_get_modified (self->edit)))
    return GTK_WINDOW_CLASS (lab_config_editor_parent_class)->close_request (window);
  dialog = adw_message_dialog_new (window, _("Discard Changes?"),
                                   _("The changes to this configuration have not been saved."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (lab_config_editor_discard_cb), self,
                           0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---- the object -------------------------------------------------------------------- */

static void
lab_config_editor_update_running (LabConfigEditor *self,
                                  const char      *name)
{
  g_autofree char *notice = g_strdup_printf (_("%s is running: what you change here applies "
                                               "when it next starts."), name);
  g_autofree char *title = g_strdup_printf (_("Edit %s"), name);

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->later_label, notice);
  gtk_revealer_set_reveal_child (self->later_revealer,
                                 lab_config_edit_get_applies_later (self->edit));
}

static void
lab_config_editor_update_notice (LabConfigEditor *self)
{
  LabDomain *domain = lab_config_edit_get_domain (self->edit);
  g_autofree char *name = NULL;

  /* A new domain: its own rows, and the choice to start it once saved. */
  gtk_widget_set_visible (GTK_WIDGET (self->domain_group), domain == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->start_check), domain == NULL);
  if (domain == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Domain"));
      return;
    }
  name = lab_text_for_display (lab_domain_get_name (domain), LAB_DISPLAY_LINE_MAX);
  lab_config_editor_update_running (self, name);
}

static void
lab_config_editor_constructed (GObject *object)
{
  LabConfigEditor *self = LAB_CONFIG_EDITOR (object);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  G_OBJECT_CLASS (lab_config_editor_parent_class)->constructed (object);

  gtk_text_buffer_create_tag (buffer, "comment", "foreground", "#8a8a8a", "style",
                              PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "key", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "string", "foreground", "#2ec27e", NULL);
  buffer = gtk_text_view_get_buffer (self->diff_view);
  gtk_text_buffer_create_tag (buffer, "added", "foreground", "#2ec27e", NULL);
  gtk_text_buffer_create_tag (buffer, "removed", "foreground", "#e01b24", NULL);

  lab_config_editor_fill_form (self);
  lab_config_editor_fill_text (self);
  lab_config_editor_update_notice (self);
  g_signal_connect (gtk_text_view_get_buffer (self->text_view), "changed",
                    G_CALLBACK (lab_config_editor_text_changed_cb), self);
  g_signal_connect (self->views, "notify::visible-child-name",
                    G_CALLBACK (lab_config_editor_view_changed_cb), self);
  for (guint i = 0; i < G_N_ELEMENTS (end_keys); i++)
    g_signal_connect (lab_config_editor_end_row (self, i), "notify::selected",
                      G_CALLBACK (lab_config_editor_end_changed_cb), self);
  g_signal_connect (self->type_row, "notify::selected",
                    G_CALLBACK (lab_config_editor_type_changed_cb), self);
  g_signal_connect (self->memory_spin, "value-changed",
                    G_CALLBACK (lab_config_editor_spin_changed_cb), self);
  g_signal_connect (self->vcpus_spin, "value-changed",
                    G_CALLBACK (lab_config_editor_spin_changed_cb), self);
  for (guint i = 0; i < 4; i++)
    {
      AdwEntryRow *rows[] = { self->name_row, self->kernel_row, self->bridge_row,
                              self->cmdline_row };

      g_signal_connect (rows[i], "changed", G_CALLBACK (lab_config_editor_entry_changed_cb),
                        self);
    }
  /* A new domain's image may also be dropped on the window. */
  if (lab_config_edit_get_domain (self->edit) == NULL)
    {
      GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

      g_signal_connect (drop, "drop", G_CALLBACK (lab_config_editor_drop_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
    }
}

static void
lab_config_editor_dispose (GObject *object)
{
  LabConfigEditor *self = LAB_CONFIG_EDITOR (object);

  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_cancellable_cancel (self->uploading);
  g_clear_object (&self->uploading);
  if (self->upload != NULL)
    g_signal_handlers_disconnect_by_data (self->upload, self);
  g_clear_object (&self->upload);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_CONFIG_EDITOR);
  g_clear_object (&self->edit);

  G_OBJECT_CLASS (lab_config_editor_parent_class)->dispose (object);
}

static void
lab_config_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LabConfigEditor *self = LAB_CONFIG_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EDIT:
      g_value_set_object (value, self->edit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_config_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LabConfigEditor *self = LAB_CONFIG_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EDIT:
      self->edit = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_config_editor_class_init (LabConfigEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lab_config_editor_constructed;
  object_class->dispose = lab_config_editor_dispose;
  object_class->get_property = lab_config_editor_get_property;
  object_class->set_property = lab_config_editor_set_property;
  window_class->close_request = lab_config_editor_close_request;

  properties[PROP_EDIT] =
    g_param_spec_object ("edit", NULL, NULL, LAB_TYPE_CONFIG_EDIT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-config-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, toasts);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, later_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, later_label);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, pages);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, views);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, domain_group);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, kernel_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, type_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, bridge_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, start_check);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, upload_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, upload_progress);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, memory_spin);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, vcpus_spin);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, cmdline_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, on_poweroff_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, on_reboot_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, on_crash_row);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, review_label);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, problems_label);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, LabConfigEditor, diff_view);

  gtk_widget_class_install_action (widget_class, "editor.review", NULL,
                                   lab_config_editor_review);
  gtk_widget_class_install_action (widget_class, "editor.back", NULL, lab_config_editor_back);
  gtk_widget_class_install_action (widget_class, "editor.upload", NULL,
                                   lab_config_editor_choose_upload);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, lab_config_editor_save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.review", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lab_config_editor_init (LabConfigEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LabConfigEditor *
lab_config_editor_new (GtkWindow     *parent,
                       LabConfigEdit *edit)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDIT (edit), NULL);

  return g_object_new (LAB_TYPE_CONFIG_EDITOR, "transient-for", parent, "edit", edit, NULL);
}

LabConfigEdit *
lab_config_editor_get_edit (LabConfigEditor *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDITOR (self), NULL);
  return self->edit;
}

gboolean
lab_config_editor_get_start_when_saved (LabConfigEditor *self)
{
  g_return_val_if_fail (LAB_IS_CONFIG_EDITOR (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->start_check))
         && gtk_check_button_get_active (self->start_check);
}

/* ---- for the tests --------------------------------------------------------------------- */

const char *
lab_config_editor_get_page (LabConfigEditor *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "review") == 0)
    return "review";
  return adw_view_stack_get_visible_child_name (self->views);
}

void
lab_config_editor_show_view (LabConfigEditor *self,
                             const char      *name)
{
  adw_view_stack_set_visible_child_name (self->views, name);
}

GtkSpinButton *
lab_config_editor_get_memory_spin (LabConfigEditor *self)
{
  return self->memory_spin;
}

GtkEditable *
lab_config_editor_get_cmdline (LabConfigEditor *self)
{
  return GTK_EDITABLE (self->cmdline_row);
}

GtkEditable *
lab_config_editor_get_domain_entry (LabConfigEditor *self,
                                    const char      *which)
{
  if (g_str_equal (which, "name"))
    return GTK_EDITABLE (self->name_row);
  if (g_str_equal (which, "kernel"))
    return GTK_EDITABLE (self->kernel_row);
  return GTK_EDITABLE (self->bridge_row);
}

AdwComboRow *
lab_config_editor_get_type_row (LabConfigEditor *self)
{
  return self->type_row;
}

AdwComboRow *
lab_config_editor_get_end_row (LabConfigEditor *self,
                               guint            i)
{
  return lab_config_editor_end_row (self, i);
}

GtkTextBuffer *
lab_config_editor_get_text (LabConfigEditor *self)
{
  return gtk_text_view_get_buffer (self->text_view);
}

GtkTextBuffer *
lab_config_editor_get_diff (LabConfigEditor *self)
{
  return gtk_text_view_get_buffer (self->diff_view);
}

const char *
lab_config_editor_get_problems (LabConfigEditor *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->problems_label))
         ? gtk_label_get_text (self->problems_label) : NULL;
}

const char *
lab_config_editor_get_save_label (LabConfigEditor *self)
{
  return gtk_button_get_label (self->save_button);
}

const char *
lab_config_editor_get_notice (LabConfigEditor *self)
{
  return gtk_revealer_get_reveal_child (self->later_revealer)
         ? gtk_label_get_text (self->later_label) : NULL;
}

const char *
lab_config_editor_get_upload_status (LabConfigEditor *self)
{
  return adw_action_row_get_subtitle (self->upload_row);
}
