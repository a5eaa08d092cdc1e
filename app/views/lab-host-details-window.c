/* lab-host-details-window.c — a host's details: what dom0 says about itself, and the host's
 * configuration folders
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-details-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-display-text.h"
#include "views/lab-plain-text.h"
#include "xen/lab-host-details.h"

#include "lab-host-details-window-private.h"

struct _LabHostDetailsWindow
{
  AdwWindow          parent_instance;

  LabHostConnection *connection;
  GCancellable      *cancellable;    /* the fetch under way */
  GtkStringList     *bridges;
  GtkStringList     *folders;

  /* Template widgets */
  AdwWindowTitle    *title;
  GtkSpinner        *spinner;
  AdwActionRow      *problem_row;
  AdwActionRow      *version_row;
  AdwActionRow      *memory_row;
  AdwActionRow      *cpus_row;
  AdwActionRow      *caps_row;
  AdwPreferencesGroup *bridges_group;
  GtkListBox        *bridges_list;
  GtkListBox        *folders_list;
  AdwEntryRow       *add_folder_row;
};

G_DEFINE_FINAL_TYPE (LabHostDetailsWindow, lab_host_details_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static LabHost *
lab_host_details_window_host (LabHostDetailsWindow *self)
{
  return lab_host_connection_get_host (self->connection);
}

/* Rows say dom0's words as plain text. */
static void
lab_host_details_window_set_row (AdwActionRow *row,
                                 const char   *text)
{
  g_autofree char *markup = lab_plain_dup_markup (text != NULL ? text : "—");

  adw_action_row_set_subtitle (row, markup);
}

static void
lab_host_details_window_show_problem (LabHostDetailsWindow *self,
                                      const GError         *error)
{
  const char *message = error != NULL ? error->message : NULL;

  if (error != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problem_row),
                                   g_error_matches (error, G_IO_ERROR,
                                                    G_IO_ERROR_NOT_CONNECTED)
                                   ? _("Not Connected") : _("Could Not Ask dom0"));
  gtk_widget_set_visible (GTK_WIDGET (self->problem_row), message != NULL);
  lab_host_details_window_set_row (self->problem_row, message);
  gtk_widget_set_visible (GTK_WIDGET (self->version_row), message == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->memory_row), message == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->cpus_row), message == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->caps_row), message == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->bridges_group), message == NULL);
}

static char *
lab_host_details_window_memory_text (LabHostDetails *details)
{
  gint64 total = lab_host_details_get_total_memory (details);
  gint64 free_mib = lab_host_details_get_free_memory (details);
  g_autofree char *total_text = NULL;
  g_autofree char *free_text = NULL;

  if (total < 0 || free_mib < 0)
    return NULL;
  total_text = g_strdup_printf ("%" G_GINT64_FORMAT, total);
  free_text = g_strdup_printf ("%" G_GINT64_FORMAT, free_mib);
  /* Translators: Xen's memory in mebibytes: the free, then the total figure */
  return g_strdup_printf (_("%s MiB free of %s MiB"), free_text, total_text);
}

/* What PVH unikernels need is said in words; the rest as Xen lists it. */
static char *
lab_host_details_window_caps_text (LabHostDetails *details)
{
  g_autofree char *caps = g_strjoinv (" ", (GStrv) lab_host_details_get_virt_caps (details));
  gboolean pvh = lab_host_details_has_virt_cap (details, "hvm")
                 && lab_host_details_has_virt_cap (details, "hap");

  if (*caps == '\0')
    return NULL;
  return g_strdup_printf ("%s — %s", caps,
                          pvh ? _("PVH unikernels can run")
                              : _("no PVH: Xen lacks hvm or hap (hardware-assisted paging)"));
}

static void
lab_host_details_window_show (LabHostDetailsWindow *self,
                              LabHostDetails       *details)
{
  g_autofree char *memory = lab_host_details_window_memory_text (details);
  g_autofree char *caps = lab_host_details_window_caps_text (details);
  g_autofree char *cpus = NULL;
  const char * const *bridges = lab_host_details_get_bridges (details);

  if (lab_host_details_get_n_cpus (details) >= 0)
    cpus = g_strdup_printf ("%d", lab_host_details_get_n_cpus (details));
  lab_host_details_window_show_problem (self, NULL);
  lab_host_details_window_set_row (self->version_row, lab_host_details_get_xen_version (details));
  lab_host_details_window_set_row (self->memory_row, memory);
  lab_host_details_window_set_row (self->cpus_row, cpus);
  lab_host_details_window_set_row (self->caps_row, caps);
  gtk_string_list_splice (self->bridges, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->bridges)), bridges);
}

static void
lab_host_details_window_fetched_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(LabHostDetailsWindow) self = user_data;
  g_autoptr(LabHostDetails) details = NULL;
  g_autoptr(GError) error = NULL;

  details = lab_host_details_fetch_finish (LAB_HOST_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (details == NULL)
    lab_host_details_window_show_problem (self, error);
  else
    lab_host_details_window_show (self, details);
}

static void
lab_host_details_window_refresh (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  LabHostDetailsWindow *self = LAB_HOST_DETAILS_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);
  lab_host_details_fetch_async (self->connection, self->cancellable,
                                lab_host_details_window_fetched_cb, g_object_ref (self));
}

/* ---- configuration folders ------------------------------------------------------------ */

static void
lab_host_details_window_sync_folders_cb (LabHostDetailsWindow *self)
{
  const char * const *folders = lab_host_get_config_folders (lab_host_details_window_host (self));

  gtk_string_list_splice (self->folders, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->folders)), folders);
}

static void
lab_host_details_window_set_folders (LabHostDetailsWindow *self,
                                     const char           *add,
                                     const char           *remove)
{
  const char * const *folders = lab_host_get_config_folders (lab_host_details_window_host (self));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) changed = NULL;

  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    if (g_strcmp0 (folders[i], remove) != 0 && g_strcmp0 (folders[i], add) != 0)
      g_strv_builder_add (builder, folders[i]);
  if (add != NULL)
    g_strv_builder_add (builder, add);
  changed = g_strv_builder_end (builder);
  /* The host store saves the change; the connection looks in the folders at its next poll. */
  lab_host_set_config_folders (lab_host_details_window_host (self),
                               changed[0] != NULL ? (const char * const *) changed : NULL);
}

static void
lab_host_details_window_remove_folder (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  lab_host_details_window_set_folders (LAB_HOST_DETAILS_WINDOW (widget), NULL,
                                       g_variant_get_string (parameter, NULL));
}

void
lab_host_details_window_add_folder (LabHostDetailsWindow *self,
                                    const char           *folder)
{
  g_autofree char *path = g_strstrip (g_strdup (folder));

  g_return_if_fail (LAB_IS_HOST_DETAILS_WINDOW (self));

  /* Paths on dom0 are absolute or in the user's home (~/, as the defaults are); anything
   * else would be looked for in an unknown place. */
  if (!(g_path_is_absolute (path) || g_str_has_prefix (path, "~/"))
      || !g_utf8_validate (path, -1, NULL))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->add_folder_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->add_folder_row), "error");
  lab_host_details_window_set_folders (self, path, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->add_folder_row), "");
}

static void
lab_host_details_window_add_folder_cb (LabHostDetailsWindow *self)
{
  lab_host_details_window_add_folder (self,
                                      gtk_editable_get_text (GTK_EDITABLE (self->add_folder_row)));
}

/* A refused path stays marked until it is edited. */
static void
lab_host_details_window_folder_edited_cb (LabHostDetailsWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->add_folder_row), "error");
}

static GtkWidget *
lab_host_details_window_folder_row (gpointer item,
                                    gpointer user_data)
{
  const char *folder = gtk_string_object_get_string (item);
  g_autofree char *markup = lab_plain_dup_markup (folder);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *label = g_strdup_printf (_("Remove %s"), folder);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), markup);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove Folder"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (remove, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "details.remove-folder");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", folder);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static GtkWidget *
lab_host_details_window_bridge_row (gpointer item,
                                    gpointer user_data)
{
  GtkWidget *row = adw_action_row_new ();
  /* A Linux interface name may hold "<" or "&": the title is markup. */
  g_autofree char *markup = lab_plain_dup_markup (gtk_string_object_get_string (item));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), markup);
  return row;
}

/* ---- for the tests -------------------------------------------------------------------- */

gboolean
lab_host_details_window_is_busy (LabHostDetailsWindow *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS_WINDOW (self), FALSE);
  return self->cancellable != NULL;
}

const char *
lab_host_details_window_get_row_text (LabHostDetailsWindow *self,
                                      const char           *row)
{
  AdwActionRow *rows[] = { self->version_row, self->memory_row, self->cpus_row,
                           self->caps_row, self->problem_row };
  const char *names[] = { "version", "memory", "cpus", "caps", "problem" };

  g_return_val_if_fail (LAB_IS_HOST_DETAILS_WINDOW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (row, names[i]))
      return gtk_widget_get_visible (GTK_WIDGET (rows[i]))
             ? adw_action_row_get_subtitle (rows[i]) : NULL;
  g_return_val_if_reached (NULL);
}

GListModel *
lab_host_details_window_get_bridges (LabHostDetailsWindow *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->bridges);
}

/* ---- the object ----------------------------------------------------------------------- */

LabHostDetailsWindow *
lab_host_details_window_new (GtkWindow         *parent,
                             LabHostConnection *connection)
{
  g_return_val_if_fail (LAB_IS_HOST_CONNECTION (connection), NULL);

  return g_object_new (LAB_TYPE_HOST_DETAILS_WINDOW,
                       "transient-for", parent,
                       "connection", connection,
                       NULL);
}

static void
lab_host_details_window_constructed (GObject *object)
{
  LabHostDetailsWindow *self = LAB_HOST_DETAILS_WINDOW (object);
  LabHost *host = lab_host_details_window_host (self);
  g_autofree char *name = lab_text_for_display (lab_host_get_name (host), LAB_DISPLAY_NAME_MAX);

  G_OBJECT_CLASS (lab_host_details_window_parent_class)->constructed (object);

  adw_window_title_set_subtitle (self->title, name);
  g_signal_connect_object (host, "notify::config-folders",
                           G_CALLBACK (lab_host_details_window_sync_folders_cb), self,
                           G_CONNECT_SWAPPED);
  lab_host_details_window_sync_folders_cb (self);
  lab_host_details_window_refresh (GTK_WIDGET (self), NULL, NULL);
}

static void
lab_host_details_window_dispose (GObject *object)
{
  LabHostDetailsWindow *self = LAB_HOST_DETAILS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_HOST_DETAILS_WINDOW);
  g_clear_object (&self->connection);
  g_clear_object (&self->bridges);
  g_clear_object (&self->folders);

  G_OBJECT_CLASS (lab_host_details_window_parent_class)->dispose (object);
}

static void
lab_host_details_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  LabHostDetailsWindow *self = LAB_HOST_DETAILS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION: g_value_set_object (value, self->connection); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_details_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  LabHostDetailsWindow *self = LAB_HOST_DETAILS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION: self->connection = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_host_details_window_class_init (LabHostDetailsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lab_host_details_window_constructed;
  object_class->dispose = lab_host_details_window_dispose;
  object_class->get_property = lab_host_details_window_get_property;
  object_class->set_property = lab_host_details_window_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, LAB_TYPE_HOST_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-host-details-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, title);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, problem_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, version_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, memory_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, cpus_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, caps_row);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, bridges_group);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, bridges_list);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, folders_list);
  gtk_widget_class_bind_template_child (widget_class, LabHostDetailsWindow, add_folder_row);
  gtk_widget_class_bind_template_callback (widget_class, lab_host_details_window_add_folder_cb);
  gtk_widget_class_bind_template_callback (widget_class,
                                           lab_host_details_window_folder_edited_cb);

  gtk_widget_class_install_action (widget_class, "details.refresh", NULL,
                                   lab_host_details_window_refresh);
  gtk_widget_class_install_action (widget_class, "details.remove-folder", "s",
                                   lab_host_details_window_remove_folder);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "details.refresh", NULL);
}

static void
lab_host_details_window_init (LabHostDetailsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bridges = gtk_string_list_new (NULL);
  self->folders = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->bridges_list, G_LIST_MODEL (self->bridges),
                           lab_host_details_window_bridge_row, NULL, NULL);
  gtk_list_box_bind_model (self->folders_list, G_LIST_MODEL (self->folders),
                           lab_host_details_window_folder_row, NULL, NULL);
}
