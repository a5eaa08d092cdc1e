/* lab-setup-settings-group.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-setup-settings-group"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-setup-settings-group.h"

struct _LabSetupSettingsGroup
{
  AdwPreferencesGroup parent_instance;

  AdwEntryRow *dom0_mem_row;
  AdwEntryRow *bridge_row;
  AdwEntryRow *address_row;
  AdwEntryRow *dhcp_start_row;
  AdwEntryRow *dhcp_end_row;
  AdwEntryRow *lease_row;
  AdwEntryRow *nic_row;
};

G_DEFINE_FINAL_TYPE (LabSetupSettingsGroup, lab_setup_settings_group,
                     ADW_TYPE_PREFERENCES_GROUP)

/* The settings that are one row each (dom0's address is "address/prefix", two variables). */
typedef struct
{
  AdwEntryRow *row;
  const char  *name;
} SettingRow;

#define N_SETTING_ROWS 6

static guint
lab_setup_settings_group_rows (LabSetupSettingsGroup *self,
                               SettingRow             rows[N_SETTING_ROWS])
{
  const SettingRow all[N_SETTING_ROWS] = {
    { self->dom0_mem_row, "dom0-mem" }, { self->bridge_row, "bridge" },
    { self->dhcp_start_row, "dhcp-start" }, { self->dhcp_end_row, "dhcp-end" },
    { self->lease_row, "dhcp-lease" }, { self->nic_row, "nic" },
  };

  memcpy (rows, all, sizeof all);
  return G_N_ELEMENTS (all);
}

void
lab_setup_settings_group_show_for (LabSetupSettingsGroup *self,
                                   gboolean               network,
                                   gboolean               xen)
{
  GtkWidget *network_rows[] = { GTK_WIDGET (self->bridge_row), GTK_WIDGET (self->address_row),
                                GTK_WIDGET (self->dhcp_start_row),
                                GTK_WIDGET (self->dhcp_end_row), GTK_WIDGET (self->lease_row),
                                GTK_WIDGET (self->nic_row) };

  gtk_widget_set_visible (GTK_WIDGET (self), network || xen);
  gtk_widget_set_visible (GTK_WIDGET (self->dom0_mem_row), xen);
  for (guint i = 0; i < G_N_ELEMENTS (network_rows); i++)
    gtk_widget_set_visible (network_rows[i], network);
}

void
lab_setup_settings_group_fill (LabSetupSettingsGroup *self,
                               LabSetupState         *state,
                               LabSetupRunner        *runner)
{
  SettingRow rows[N_SETTING_ROWS];
  guint n = lab_setup_settings_group_rows (self, rows);
  const char *address = lab_setup_state_get_setting (state, "bridge-address");
  const char *prefix = lab_setup_state_get_setting (state, "bridge-prefix");
  g_autofree char *cidr = NULL;

  for (guint i = 0; i < n; i++)
    {
      const char *value = lab_setup_state_get_setting (state, rows[i].name);

      if (value == NULL)
        value = lab_setup_runner_get_variable (runner, rows[i].name);
      gtk_editable_set_text (GTK_EDITABLE (rows[i].row), value != NULL ? value : "");
    }
  if (address == NULL || prefix == NULL)
    {
      address = lab_setup_runner_get_variable (runner, "bridge-address");
      prefix = lab_setup_runner_get_variable (runner, "bridge-prefix");
    }
  cidr = g_strdup_printf ("%s/%s", address, prefix);
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), cidr);
}

/* What @row holds, without the white space around it. */
static char *
lab_setup_settings_group_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The rows as the runner took them (checked, stripped); "nic" as typed, empty = by MAC. */
static void
lab_setup_settings_group_save (LabSetupSettingsGroup *self,
                               LabSetupState         *state,
                               LabSetupRunner        *runner,
                               const char            *nic)
{
  SettingRow rows[N_SETTING_ROWS];
  guint n = lab_setup_settings_group_rows (self, rows);

  for (guint i = 0; i < n; i++)
    lab_setup_state_set_setting (state, rows[i].name,
                                 g_str_equal (rows[i].name, "nic")
                                 ? nic : lab_setup_runner_get_variable (runner, rows[i].name));
  lab_setup_state_set_setting (state, "bridge-address",
                               lab_setup_runner_get_variable (runner, "bridge-address"));
  lab_setup_state_set_setting (state, "bridge-prefix",
                               lab_setup_runner_get_variable (runner, "bridge-prefix"));
}

gboolean
lab_setup_settings_group_take (LabSetupSettingsGroup  *self,
                               LabSetupState          *state,
                               LabSetupRunner         *runner,
                               GError                **error)
{
  g_autofree char *address = lab_setup_settings_group_text (self->address_row);
  g_autofree char *dom0_mem = lab_setup_settings_group_text (self->dom0_mem_row);
  g_autofree char *nic = lab_setup_settings_group_text (self->nic_row);
  g_autofree char *bridge = lab_setup_settings_group_text (self->bridge_row);
  g_autofree char *dhcp_start = lab_setup_settings_group_text (self->dhcp_start_row);
  g_autofree char *dhcp_end = lab_setup_settings_group_text (self->dhcp_end_row);
  g_autofree char *lease = lab_setup_settings_group_text (self->lease_row);
  char *slash = strchr (address, '/');
  guint64 prefix = 24;
  const char *mac = lab_setup_state_get_setting (state, "nic-mac");

  if (slash != NULL)
    {
      *slash = '\0';
      if (!g_ascii_string_to_unsigned (slash + 1, 10, 0, 32, &prefix, NULL))
        prefix = 0;
    }
  if (!lab_setup_runner_set_network (runner, bridge, address, prefix, dhcp_start, dhcp_end,
                                     lease, error))
    return FALSE;
  if (!g_regex_match_simple ("^[0-9]+[MG]$", dom0_mem, 0, 0))
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                   _("“%s” is not an amount of memory Xen understands (e.g. 1024M or 2G)."),
                   dom0_mem);
      return FALSE;
    }
  if (*nic != '\0' && !g_regex_match_simple ("^[A-Za-z0-9_.-]{1,15}$", nic, 0, 0))
    {
      g_set_error (error, LAB_SETUP_ERROR, LAB_SETUP_ERROR_FAILED,
                   _("“%s” is not a network interface name."), nic);
      return FALSE;
    }
  lab_setup_runner_set_variable (runner, "dom0-mem", dom0_mem);
  /* An interface typed in wins; else it is found from the MAC VirtualBox reported. */
  if (*nic != '\0')
    lab_setup_runner_set_variable (runner, "nic", nic);
  else
    lab_setup_runner_unset_variable (runner, "nic");
  if (mac != NULL)
    lab_setup_runner_set_variable (runner, "nic-mac", mac);
  lab_setup_settings_group_save (self, state, runner, nic);
  return TRUE;
}

static void
lab_setup_settings_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LAB_TYPE_SETUP_SETTINGS_GROUP);
  G_OBJECT_CLASS (lab_setup_settings_group_parent_class)->dispose (object);
}

static void
lab_setup_settings_group_class_init (LabSetupSettingsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_setup_settings_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/lab-setup-settings-group.ui");
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, LabSetupSettingsGroup, name)
  BIND (dom0_mem_row);
  BIND (bridge_row);
  BIND (address_row);
  BIND (dhcp_start_row);
  BIND (dhcp_end_row);
  BIND (lease_row);
  BIND (nic_row);
#undef BIND
}

static void
lab_setup_settings_group_init (LabSetupSettingsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
