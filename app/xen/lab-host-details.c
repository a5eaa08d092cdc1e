/* lab-host-details.c — what a host's dom0 says about itself: Xen's version, memory and CPUs
 * from `xl info`, and its bridges
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-host-details"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ssh/lab-ssh-session.h"
#include "xen/lab-host.h"
#include "xen/lab-xl-commands.h"

#include "lab-host-details.h"

#define FETCH_TIMEOUT_MS 60000
/* Bounds for what dom0 sends: a real host has a handful of each. */
#define MAX_CAPS      32
#define MAX_BRIDGES   64
#define MAX_WORD      32
#define MAX_HOST_NAME 64

struct _LabHostDetails
{
  GObject  parent_instance;

  char    *xen_version;
  char    *dom0_name;
  gint64   total_memory;
  gint64   free_memory;
  int      n_cpus;
  GStrv    virt_caps;
  GStrv    bridges;
};

G_DEFINE_FINAL_TYPE (LabHostDetails, lab_host_details, G_TYPE_OBJECT)

/* A version such as 4.17.7: digits and dots only. */
static char *
lab_host_details_version (const char *xl_info)
{
  g_autofree char *version = lab_xl_info_field (xl_info, "xen_version");

  if (version == NULL || *version == '\0' || strlen (version) > MAX_WORD
      || strspn (version, "0123456789.") != strlen (version))
    return NULL;
  return g_steal_pointer (&version);
}

static gint64
lab_host_details_number (const char *xl_info,
                         const char *key)
{
  g_autofree char *text = lab_xl_info_field (xl_info, key);
  gint64 value = -1;

  if (text == NULL
      || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, &value, NULL))
    return -1;
  return value;
}

static gboolean
lab_host_details_is_word (const char *word)
{
  gsize len = strlen (word);

  return len > 0 && len <= MAX_WORD
         && strspn (word, "abcdefghijklmnopqrstuvwxyz0123456789_-") == len;
}

static GStrv
lab_host_details_caps (const char *xl_info)
{
  g_autofree char *text = lab_xl_info_field (xl_info, "virt_caps");
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "", " \t", -1);
  g_autoptr(GStrvBuilder) caps = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; words[i] != NULL && n < MAX_CAPS; i++)
    if (lab_host_details_is_word (words[i]))
      {
        g_strv_builder_add (caps, words[i]);
        n++;
      }
  return g_strv_builder_end (caps);
}

static int
lab_host_details_compare (gconstpointer a,
                          gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GStrv
lab_host_details_bridges (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  g_autoptr(GPtrArray) bridges = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL && bridges->len < MAX_BRIDGES; i++)
    {
      const char *name = g_strstrip (lines[i]);

      if (*name != '\0' && lab_host_parse_bridge (name, NULL))
        g_ptr_array_add (bridges, g_strdup (name));
    }
  g_ptr_array_sort (bridges, lab_host_details_compare);
  g_ptr_array_add (bridges, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&bridges), FALSE);
}

static char *
lab_host_details_host_name (const char *xl_info)
{
  g_autofree char *name = lab_xl_info_field (xl_info, "host");

  if (name == NULL || *name == '\0' || strlen (name) > MAX_HOST_NAME
      || !g_utf8_validate (name, -1, NULL))
    return NULL;
  return g_steal_pointer (&name);
}

LabHostDetails *
lab_host_details_new_from_output (const char *xl_info,
                                  const char *bridges)
{
  LabHostDetails *self = g_object_new (LAB_TYPE_HOST_DETAILS, NULL);
  const char *info = xl_info != NULL ? xl_info : "";

  self->xen_version = lab_host_details_version (info);
  self->dom0_name = lab_host_details_host_name (info);
  self->total_memory = lab_host_details_number (info, "total_memory");
  self->free_memory = lab_host_details_number (info, "free_memory");
  self->n_cpus = (int) lab_host_details_number (info, "nr_cpus");
  self->virt_caps = lab_host_details_caps (info);
  self->bridges = lab_host_details_bridges (bridges);
  return self;
}

const char *
lab_host_details_get_xen_version (LabHostDetails *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS (self), NULL);
  return self->xen_version;
}

const char *
lab_host_details_get_dom0_name (LabHostDetails *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS (self), NULL);
  return self->dom0_name;
}

gint64
lab_host_details_get_total_memory (LabHostDetails *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS (self), -1);
  return self->total_memory;
}

gint64
lab_host_details_get_free_memory (LabHostDetails *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS (self), -1);
  return self->free_memory;
}

int
lab_host_details_get_n_cpus (LabHostDetails *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS (self), -1);
  return self->n_cpus;
}

const char * const *
lab_host_details_get_virt_caps (LabHostDetails *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS (self), NULL);
  return (const char * const *) self->virt_caps;
}

gboolean
lab_host_details_has_virt_cap (LabHostDetails *self,
                               const char     *cap)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS (self), FALSE);
  return g_strv_contains ((const char * const *) self->virt_caps, cap);
}

const char * const *
lab_host_details_get_bridges (LabHostDetails *self)
{
  g_return_val_if_fail (LAB_IS_HOST_DETAILS (self), NULL);
  return (const char * const *) self->bridges;
}

/* ---- fetching ------------------------------------------------------------------------ */

/* The bridges of dom0: every interface with a bridge/ folder in sysfs. A fixed script; no
 * value of ours goes into it. */
static const char * const bridges_argv[] = {
  "sh", "-c",
  "for d in /sys/class/net/*/bridge; do [ -d \"$d\" ] && basename \"${d%/bridge}\"; done; true",
  NULL
};

static void
lab_host_details_bridges_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;
  const char *bridges = NULL;

  /* Without its bridges the rest still says something: they are left empty. */
  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec != NULL && lab_ssh_exec_result_get_exit_status (exec) == 0)
    bridges = lab_ssh_exec_result_get_stdout_text (exec);
  else
    g_debug ("listing the bridges failed: %s", error ? error->message : "exit status");
  g_task_return_pointer (task,
                         lab_host_details_new_from_output (g_task_get_task_data (task), bridges),
                         g_object_unref);
}

static void
lab_host_details_xl_info_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LabSshExecResult) exec = NULL;
  g_autoptr(GError) error = NULL;

  exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (exec == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (lab_ssh_exec_result_get_exit_status (exec) != 0)
    {
      g_autofree char *said = g_strstrip (g_strdup (lab_ssh_exec_result_get_stderr_text (exec)));

      g_task_return_new_error (task, LAB_XL_ERROR, LAB_XL_ERROR_FAILED,
                               _("“xl info” failed: %s"), said);
      return;
    }
  g_task_set_task_data (task, g_strdup (lab_ssh_exec_result_get_stdout_text (exec)), g_free);
  lab_ssh_session_exec_async (LAB_SSH_SESSION (source), bridges_argv, LAB_SSH_EXEC_NONE, NULL,
                              FETCH_TIMEOUT_MS, g_task_get_cancellable (task),
                              lab_host_details_bridges_cb, g_object_ref (task));
}

void
lab_host_details_fetch_async (LabHostConnection   *connection,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LabSshSession *session;
  static const char * const argv[] = { "xl", "info", NULL };

  g_return_if_fail (LAB_IS_HOST_CONNECTION (connection));

  task = g_task_new (connection, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_host_details_fetch_async);
  session = lab_host_connection_get_session (connection);
  if (session == NULL
      || lab_host_connection_get_state (connection) != LAB_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."),
                               lab_host_get_name (lab_host_connection_get_host (connection)));
      return;
    }
  lab_ssh_session_exec_async (session, argv, LAB_SSH_EXEC_SUDO, NULL, FETCH_TIMEOUT_MS,
                              cancellable, lab_host_details_xl_info_cb, g_steal_pointer (&task));
}

LabHostDetails *
lab_host_details_fetch_finish (LabHostConnection  *connection,
                               GAsyncResult       *result,
                               GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lab_host_details_finalize (GObject *object)
{
  LabHostDetails *self = LAB_HOST_DETAILS (object);

  g_free (self->xen_version);
  g_free (self->dom0_name);
  g_strfreev (self->virt_caps);
  g_strfreev (self->bridges);

  G_OBJECT_CLASS (lab_host_details_parent_class)->finalize (object);
}

static void
lab_host_details_class_init (LabHostDetailsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lab_host_details_finalize;
}

static void
lab_host_details_init (LabHostDetails *self)
{
  self->total_memory = -1;
  self->free_memory = -1;
  self->n_cpus = -1;
}
