/* lab-config-check.c — what is wrong with a config before it is saved
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * xl finds these only at start, in words meant for Xen's developers; the editor shows them
 * beside the diff, before anything is written.
 */

#define G_LOG_DOMAIN "lab-config-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-elf-notes.h"
#include "lab-xl-commands.h"

#include "lab-config-check.h"

#define CHECK_TIMEOUT_MS 30000
#define DEFAULT_BRIDGE "xenbr0"
/* An image's notes come right after its headers. */
#define HEADER_BYTES "262144"

/* One word per thing asked, in order: the kernel ($1, "-" for none), then each bridge.
 * Fixed text; the paths and names are only its arguments. */
static const char check_script[] =
  "k=$1; shift\n"
  "if [ \"$k\" = - ]; then echo none\n"
  "elif [ ! -e \"$k\" ]; then echo missing\n"
  "elif [ ! -f \"$k\" ]; then echo notfile\n"
  "elif [ ! -r \"$k\" ]; then echo unreadable\n"
  "else echo ok; fi\n"
  "for b; do if [ -d \"/sys/class/net/$b/bridge\" ]; then echo ok; else echo missing; fi; done\n";

typedef struct
{
  LabXlConfig *config;
  LabDomain   *replacing;
  GPtrArray   *problems;
  GStrv        bridges;
  char        *kernel;
  gboolean     kernel_ok;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->config);
  g_clear_object (&check->replacing);
  g_ptr_array_unref (check->problems);
  g_strfreev (check->bridges);
  g_free (check->kernel);
  g_free (check);
}

GStrv
lab_config_check_dup_bridges (LabXlConfig *config)
{
  const char * const *vifs = lab_xl_config_get_list (config, "vif");
  g_autoptr(GPtrArray) bridges = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; vifs != NULL && vifs[i] != NULL; i++)
    {
      g_autoptr(GHashTable) options = lab_xl_parse_vif_spec (vifs[i]);
      const char *bridge = g_hash_table_lookup (options, "bridge");

      if (bridge == NULL || *bridge == '\0')
        bridge = DEFAULT_BRIDGE;
      if (!g_ptr_array_find_with_equal_func (bridges, bridge, g_str_equal, NULL))
        g_ptr_array_add (bridges, g_strdup (bridge));
    }
  g_ptr_array_add (bridges, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&bridges), FALSE);
}

static void
check_add (Check      *check,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
check_add (Check      *check,
           const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (check->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* A MAC another domain on the host has (running, or in its config). */
static void
check_macs (Check             *check,
            LabHostConnection *connection)
{
  GListModel *domains = G_LIST_MODEL (lab_host_connection_get_domains (connection));
  g_auto(GStrv) macs = lab_xl_config_dup_macs (check->config);

  for (guint i = 0; i < g_list_model_get_n_items (domains); i++)
    {
      g_autoptr(LabDomain) other = g_list_model_get_item (domains, i);
      LabXlConfig *config = lab_domain_get_config (other);
      g_auto(GStrv) theirs = config != NULL ? lab_xl_config_dup_macs (config) : NULL;
      const char * const *live = lab_domain_get_macs (other);

      if (other == check->replacing)
        continue;
      for (guint m = 0; macs[m] != NULL; m++)
        if ((theirs != NULL && g_strv_contains ((const char * const *) theirs, macs[m]))
            || (live != NULL && g_strv_contains (live, macs[m])))
          check_add (check, _("The network address %s is also %s's: two domains with one "
                              "MAC cannot share a network."), macs[m],
                     lab_domain_get_name (other));
    }
}

static void
check_memory_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  guint64 free_mib = 0;
  gint64 needs = 0;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  /* What cannot be read is not a problem of the config: the start says it if it is one. */
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0
      && lab_xl_parse_free_memory (lab_ssh_exec_result_get_stdout_text (exec), &free_mib)
      && lab_xl_config_get_number (check->config, "memory", &needs) && needs > 0)
    {
      /* A running domain gives its memory back when it stops for the new config. */
      if (check->replacing != NULL && lab_domain_get_running (check->replacing))
        free_mib += MAX (lab_domain_get_memory_mib (check->replacing), 0);
      if ((guint64) needs > free_mib)
        {
          g_autofree char *needs_text = g_strdup_printf ("%" G_GINT64_FORMAT, needs);
          g_autofree char *free_text = g_strdup_printf ("%" G_GUINT64_FORMAT, free_mib);

          /* Translators: "It needs 256 MiB, and Xen has 180 MiB free." */
          check_add (check, _("It needs %s MiB, and Xen has %s MiB free."), needs_text,
                     free_text);
        }
    }
  else if (error != NULL)
    g_debug ("xl info for a check: %s", error->message);
  g_ptr_array_add (check->problems, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_ptr_array_ref (check->problems), FALSE),
                         (GDestroyNotify) g_strfreev);
}

static void
check_read_answers (Check      *check,
                    const char *answers)
{
  g_auto(GStrv) lines = g_strsplit (answers, "\n", -1);
  guint n = g_strv_length (lines);
  const char *kernel = n > 0 ? lines[0] : "";

  check->kernel_ok = g_str_equal (kernel, "ok");
  if (g_str_equal (kernel, "missing"))
    check_add (check, _("Its kernel image, %s, is not on dom0."), check->kernel);
  else if (g_str_equal (kernel, "notfile"))
    check_add (check, _("Its kernel image, %s, is not a file."), check->kernel);
  else if (g_str_equal (kernel, "unreadable"))
    check_add (check, _("Its kernel image, %s, cannot be read."), check->kernel);
  for (guint i = 0; check->bridges[i] != NULL; i++)
    if (i + 1 < n && g_str_equal (lines[i + 1], "missing"))
      check_add (check, _("Its network bridge %s does not exist on dom0."), check->bridges[i]);
}

static void
check_ask_memory (LabSshSession *session,
                  GTask         *task)
{
  static const char * const info[] = { "xl", "info", NULL };

  lab_ssh_session_exec_async (session, info, LAB_SSH_EXEC_SUDO, NULL, CHECK_TIMEOUT_MS,
                              g_task_get_cancellable (task), check_memory_cb, task);
}

static void
check_header_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0)
    {
      GBytes *header = lab_ssh_exec_result_get_stdout (exec);
      LabElfBoot boot = lab_elf_read_boot (g_bytes_get_data (header, NULL),
                                           g_bytes_get_size (header));

      if (lab_elf_boot_refuses_type (boot, lab_xl_config_get_domain_type (check->config)))
        check_add (check, _("Its kernel image, %s, has no PVH entry point (a PV image, such "
                            "as mirage 2 made): give it type = \"pv\"."), check->kernel);
    }
  check_ask_memory (LAB_SSH_SESSION (source), g_steal_pointer (&task));
}

static void
check_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  check_read_answers (check, lab_ssh_exec_result_get_stdout_text (exec));
  /* Only a PVH domain can be told from its image that it will not boot. */
  if (check->kernel_ok
      && g_strcmp0 (lab_xl_config_get_domain_type (check->config), "pvh") == 0)
    {
      const char *head[] = { "head", "-c", HEADER_BYTES, "--", check->kernel, NULL };
      GCancellable *cancellable = g_task_get_cancellable (task);

      lab_ssh_session_exec_async (LAB_SSH_SESSION (source), head, LAB_SSH_EXEC_NONE, NULL,
                                  CHECK_TIMEOUT_MS, cancellable, check_header_cb,
                                  g_steal_pointer (&task));
      return;
    }
  check_ask_memory (LAB_SSH_SESSION (source), g_steal_pointer (&task));
}

void
lab_config_check_async (LabHostConnection   *connection,
                        LabXlConfig         *config,
                        LabDomain           *replacing,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  LabSshSession *session;
  Check *check;

  g_return_if_fail (LAB_IS_HOST_CONNECTION (connection));
  g_return_if_fail (LAB_IS_XL_CONFIG (config));

  task = g_task_new (connection, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_config_check_async);
  session = lab_host_connection_get_session (connection);
  if (session == NULL
      || lab_host_connection_get_state (connection) != LAB_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the domain's host."));
      return;
    }
  check = g_new0 (Check, 1);
  check->config = g_object_ref (config);
  check->replacing = replacing ? g_object_ref (replacing) : NULL;
  check->problems = g_ptr_array_new_with_free_func (g_free);
  check->bridges = lab_config_check_dup_bridges (config);
  check->kernel = lab_xl_config_dup_kernel_path (config);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  if (check->kernel == NULL)
    check_add (check, "%s", _("It names no kernel image."));
  check_macs (check, connection);

  g_strv_builder_add_many (argv, "sh", "-c", check_script, "sh",
                           check->kernel != NULL ? check->kernel : "-", NULL);
  g_strv_builder_addv (argv, (const char **) check->bridges);
  args = g_strv_builder_end (argv);
  lab_ssh_session_exec_async (session, (const char * const *) args, LAB_SSH_EXEC_NONE, NULL,
                              CHECK_TIMEOUT_MS, cancellable, check_answered_cb,
                              g_steal_pointer (&task));
}

GStrv
lab_config_check_finish (LabHostConnection  *connection,
                         GAsyncResult       *result,
                         GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
