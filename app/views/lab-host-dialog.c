/* lab-host-dialog.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "views/lab-accessible.h"

#include "lab-host-dialog-private.h"

struct _LabHostDialog
{
  AdwWindow      parent_instance;

  LabHost       *host;       /* the host being edited, NULL for a new one */
  LabHost       *result;     /* what "save" produced */
  char          *problem;

  /* Template widgets */
  AdwWindowTitle *title;
  GtkButton      *save_button;
  AdwEntryRow    *name_row;
  AdwEntryRow    *address_row;
  AdwEntryRow    *user_row;
  AdwEntryRow    *port_row;
  AdwComboRow    *auth_row;
  AdwEntryRow    *identity_row;
  AdwEntryRow    *folders_row;
  AdwEntryRow    *leases_row;
  GtkSwitch      *tunnel_switch;
  AdwEntryRow    *bridge_row;
  GtkSwitch      *any_address_switch;
  GtkLabel       *problem_label;
};

G_DEFINE_FINAL_TYPE (LabHostDialog, lab_host_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* The address row (a name, an IPv6 address, maybe with ":port") and the port row, read with
 * the core's parser. A port in the address fills an empty port row; two different ports are
 * a problem. @port_wrong tells which row to mark. */
static gboolean
lab_host_dialog_parse (LabHostDialog  *self,
                       char          **address,
                       guint          *port,
                       gboolean       *port_wrong,
                       GError        **error)
{
  g_autofree char *typed = g_strstrip (g_strdup (row_text (self->address_row)));
  g_autofree char *port_text = g_strstrip (g_strdup (row_text (self->port_row)));
  g_autofree char *host = NULL;
  guint address_port = 0, row_port = 0;

  *port_wrong = FALSE;
  if (!lab_host_parse_address (typed, &host, &address_port, error))
    return FALSE;
  if (*port_text != '\0' && !lab_host_parse_port (port_text, &row_port, error))
    {
      *port_wrong = TRUE;
      return FALSE;
    }
  if (address_port != 0 && row_port != 0 && address_port != row_port)
    {
      *port_wrong = TRUE;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The address and the port row name different ports."));
      return FALSE;
    }
  *address = g_steal_pointer (&host);
  *port = row_port != 0 ? row_port : address_port != 0 ? address_port : LAB_HOST_DEFAULT_PORT;
  return TRUE;
}

/* A row whose text is wrong is red, and a screen reader says it is invalid (and reads the
 * problem label, which describes it). */
static void
lab_host_dialog_mark_row (AdwEntryRow *row,
                          gboolean     wrong)
{
  if (wrong)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               wrong ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
lab_host_dialog_validate (LabHostDialog *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (row_text (self->address_row)));
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  gboolean port_wrong = FALSE;
  guint port;

  g_clear_pointer (&self->problem, g_free);
  lab_host_dialog_mark_row (self->address_row, FALSE);
  lab_host_dialog_mark_row (self->port_row, FALSE);
  lab_host_dialog_mark_row (self->bridge_row, FALSE);

  if (*typed == '\0')
    self->problem = g_strdup (_("Enter the host name or address of the dom0."));
  else if (!lab_host_dialog_parse (self, &address, &port, &port_wrong, &error))
    {
      self->problem = g_strdup (error->message);
      lab_host_dialog_mark_row (port_wrong ? self->port_row : self->address_row, TRUE);
    }
  else if (*row_text (self->bridge_row) != '\0'
           && !lab_host_parse_bridge (row_text (self->bridge_row), &error))
    {
      self->problem = g_strdup (error->message);
      lab_host_dialog_mark_row (self->bridge_row, TRUE);
    }

  /* An empty address is not worth a red message before anything was typed. */
  gtk_label_set_label (self->problem_label,
                       self->problem && *typed != '\0' ? self->problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label),
                          self->problem != NULL && *typed != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->problem == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "host.save", self->problem == NULL);
}

static GStrv
split_folders (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ",;", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *folder = g_strstrip (parts[i]);

      if (*folder != '\0')
        g_strv_builder_add (builder, folder);
    }

  return g_strv_builder_end (builder);
}

static void
lab_host_dialog_save (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LabHostDialog *self = LAB_HOST_DIALOG (widget);
  g_autofree char *address = NULL;
  g_autofree char *name = NULL;
  g_autofree char *user = NULL;
  g_auto(GStrv) folders = NULL;
  LabHost *host;
  guint port = LAB_HOST_DEFAULT_PORT;
  gboolean port_wrong;

  lab_host_dialog_validate (self);
  if (self->problem != NULL || !lab_host_dialog_parse (self, &address, &port, &port_wrong, NULL))
    return;

  name = g_strstrip (g_strdup (row_text (self->name_row)));
  user = g_strstrip (g_strdup (row_text (self->user_row)));
  folders = split_folders (row_text (self->folders_row));

  host = self->host ? g_object_ref (self->host) : lab_host_new (NULL, address);
  g_object_freeze_notify (G_OBJECT (host));
  lab_host_set_address (host, address);
  lab_host_set_name (host, *name ? name : address);
  lab_host_set_user (host, user);
  lab_host_set_port (host, port);
  lab_host_set_auth (host, adw_combo_row_get_selected (self->auth_row));
  lab_host_set_identity_file (host, row_text (self->identity_row));
  lab_host_set_config_folders (host, folders[0] ? (const char * const *) folders : NULL);
  lab_host_set_leases_path (host, *row_text (self->leases_row) ? row_text (self->leases_row)
                                                               : NULL);
  lab_host_set_web_through_ssh (host, gtk_switch_get_active (self->tunnel_switch));
  lab_host_set_bridge (host, row_text (self->bridge_row));
  lab_host_set_probe_any_address (host, gtk_switch_get_active (self->any_address_switch));
  g_object_thaw_notify (G_OBJECT (host));

  g_set_object (&self->result, host);
  g_object_unref (host);

  g_signal_emit (self, signals[SAVED], 0, self->result);
  gtk_window_close (GTK_WINDOW (self));
}

static void
lab_host_dialog_cancel (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

LabHostDialog *
lab_host_dialog_new (GtkWindow *parent,
                     LabHost   *host)
{
  LabHostDialog *self = g_object_new (LAB_TYPE_HOST_DIALOG,
                                      "transient-for", parent,
                                      "modal", TRUE,
                                      NULL);

  if (host != NULL)
    {
      g_autofree char *folders = g_strjoinv (", ", (GStrv) lab_host_get_config_folders (host));

      self->host = g_object_ref (host);
      adw_window_title_set_title (self->title, _("Edit Host"));
      gtk_button_set_label (self->save_button, _("_Save"));
      set_row_text (self->name_row, lab_host_get_name (host));
      set_row_text (self->address_row, lab_host_get_address (host));
      set_row_text (self->user_row, lab_host_get_user (host));
      if (lab_host_get_port (host) != LAB_HOST_DEFAULT_PORT)
        {
          g_autofree char *port = g_strdup_printf ("%u", lab_host_get_port (host));

          set_row_text (self->port_row, port);
        }
      adw_combo_row_set_selected (self->auth_row, lab_host_get_auth (host));
      set_row_text (self->identity_row, lab_host_get_identity_file (host));
      set_row_text (self->folders_row, folders);
      set_row_text (self->leases_row, lab_host_get_leases_path (host));
      gtk_switch_set_active (self->tunnel_switch, lab_host_get_web_through_ssh (host));
      set_row_text (self->bridge_row, lab_host_get_bridge (host));
      gtk_switch_set_active (self->any_address_switch, lab_host_get_probe_any_address (host));
    }
  else
    {
      set_row_text (self->folders_row, "~/mirage-skeleton, ~/unikernels");
      set_row_text (self->leases_row, LAB_HOST_DEFAULT_LEASES);
      set_row_text (self->bridge_row, LAB_HOST_DEFAULT_BRIDGE);
    }

  lab_host_dialog_validate (self);
  /* The keyboard starts in the first field, not on Cancel. */
  lab_accessible_focus_on_map (GTK_WINDOW (self), GTK_WIDGET (self->address_row));

  return self;
}

LabHost *
lab_host_dialog_get_host (LabHostDialog *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DIALOG (self), NULL);
  return self->result;
}

void
lab_host_dialog_set_fields (LabHostDialog *self,
                            const char    *name,
                            const char    *address,
                            const char    *user,
                            guint          port)
{
  g_autofree char *port_text = port ? g_strdup_printf ("%u", port) : NULL;

  g_return_if_fail (LAB_IS_HOST_DIALOG (self));

  set_row_text (self->name_row, name);
  set_row_text (self->address_row, address);
  set_row_text (self->user_row, user);
  set_row_text (self->port_row, port_text);
  lab_host_dialog_validate (self);
}

void
lab_host_dialog_set_network (LabHostDialog *self,
                             const char    *bridge,
                             gboolean       probe_any_address)
{
  g_return_if_fail (LAB_IS_HOST_DIALOG (self));

  set_row_text (self->bridge_row, bridge);
  gtk_switch_set_active (self->any_address_switch, probe_any_address);
  /* Where typing would have left the focus (and the view). */
  gtk_widget_grab_focus (GTK_WIDGET (self->bridge_row));
  lab_host_dialog_validate (self);
}

const char *
lab_host_dialog_get_problem (LabHostDialog *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DIALOG (self), NULL);
  return self->problem;
}

static void
lab_host_dialog_dispose (GObject *object)
{
  LabHostDialog *self = LAB_HOST_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_HOST_DIALOG);
  g_clear_object (&self->host);
  g_clear_object (&self->result);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (lab_host_dialog_parent_class)->dispose (object);
}

static void
lab_host_dialog_class_init (LabHostDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_host_dialog_dispose;

  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_HOST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-host-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, title);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, auth_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, identity_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, folders_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, leases_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, tunnel_switch);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, bridge_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, any_address_switch);
  gtk_widget_class_bind_template_child (widget_class, LabHostDialog, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, lab_host_dialog_validate);

  gtk_widget_class_install_action (widget_class, "host.save", NULL, lab_host_dialog_save);
  gtk_widget_class_install_action (widget_class, "host.cancel", NULL, lab_host_dialog_cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "host.cancel", NULL);
}

static void
lab_host_dialog_init (LabHostDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The problem label says what is wrong with whichever row is marked invalid. */
  for (AdwEntryRow **row = (AdwEntryRow *[]) { self->address_row, self->port_row,
                                              self->bridge_row, NULL }; *row; row++)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (*row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                    self->problem_label, NULL, -1);
}
