/* lab-project.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-project"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lab-project.h"

G_DEFINE_QUARK (lab-project-error-quark, lab_project_error)

/* Enough for a folder listing; a project folder has a dozen names. */
#define LISTING_TIMEOUT_MS 20000

LabProjectKind
lab_project_kind_from_listing (const char *listing)
{
  g_auto(GStrv) names = NULL;
  gboolean config_ml = FALSE, makefile = FALSE, dune_project = FALSE;

  g_return_val_if_fail (listing != NULL, LAB_PROJECT_KIND_NONE);

  names = g_strsplit (listing, "\n", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strcmp (names[i], "config.ml") == 0)
        config_ml = TRUE;
      else if (strcmp (names[i], "Makefile") == 0)
        makefile = TRUE;
      else if (strcmp (names[i], "dune-project") == 0)
        dune_project = TRUE;
    }

  if (!config_ml)
    return LAB_PROJECT_KIND_NONE;
  if (dune_project && makefile)
    return LAB_PROJECT_KIND_MIRAGE4;
  if (dune_project)
    return LAB_PROJECT_KIND_DUNE;
  if (makefile)
    return LAB_PROJECT_KIND_CLASSIC;
  return LAB_PROJECT_KIND_UNCONFIGURED;
}

GStrv
lab_project_candidate_folders (const char *config_path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *folder = NULL;

  g_return_val_if_fail (config_path != NULL, NULL);

  folder = g_path_get_dirname (config_path);
  for (guint level = 0; level < 3; level++)
    {
      g_autofree char *parent = NULL;

      g_strv_builder_add (builder, folder);
      parent = g_path_get_dirname (folder);
      if (strcmp (parent, folder) == 0)
        break;
      g_free (folder);
      folder = g_steal_pointer (&parent);
    }
  return g_strv_builder_end (builder);
}

const char *
lab_project_build_command (LabProjectKind kind)
{
  switch (kind)
    {
    case LAB_PROJECT_KIND_MIRAGE4:
      return "make build";
    case LAB_PROJECT_KIND_DUNE:
      return "dune build";
    case LAB_PROJECT_KIND_CLASSIC:
      return "make";
    case LAB_PROJECT_KIND_NONE:
    case LAB_PROJECT_KIND_UNCONFIGURED:
    default:
      return NULL;
    }
}

GStrv
lab_project_build_argv (LabProjectKind kind)
{
  const char *command = lab_project_build_command (kind);
  const char *argv[] = { "sh", "-lc", command, NULL };

  if (command == NULL)
    return NULL;
  return g_strdupv ((char **) argv);
}

double
lab_project_parse_progress (const char *text,
                            gsize       length)
{
  static const char marker[] = "Done: ";
  /* The numbers are parsed with strtoull, which must not run past @length. */
  g_autofree char *copy = g_strndup (text, length);
  const char *end = copy + strlen (copy);
  double fraction = -1;

  for (const char *at = copy; at < end;)
    {
      const char *found = g_strstr_len (at, end - at, marker);
      guint64 done, total;
      char *rest;

      if (found == NULL)
        break;
      at = found + strlen (marker);
      /* dune 3: "97% (1234/1270, 36 left)"; dune 2: "1234/1270". */
      done = g_ascii_strtoull (at, &rest, 10);
      if (rest == at)
        continue;
      if (*rest == '%' && rest[1] == ' ' && rest[2] == '(')
        {
          const char *paren = rest + 3;

          done = g_ascii_strtoull (paren, &rest, 10);
          if (rest == paren)
            continue;
        }
      if (*rest != '/')
        continue;
      total = g_ascii_strtoull (rest + 1, &rest, 10);
      if (total == 0 || done > total)
        continue;
      fraction = (double) done / (double) total;
    }
  return fraction;
}

typedef struct
{
  GStrv          folders;
  guint          next;
  LabProjectKind kind;
  gboolean       unconfigured;
  char          *unconfigured_folder;
} Locate;

static void
locate_free (Locate *locate)
{
  g_strfreev (locate->folders);
  g_free (locate->unconfigured_folder);
  g_free (locate);
}

static void locate_next (GTask *task);

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Locate *locate = g_task_get_task_data (task);
  g_autoptr(LabSshExecResult) listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *folder = locate->folders[locate->next];
  LabProjectKind kind;

  listing = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source), result, &error);
  if (listing == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  locate->next++;
  if (lab_ssh_exec_result_get_exit_status (listing) != 0)
    {
      locate_next (g_steal_pointer (&task));
      return;
    }

  kind = lab_project_kind_from_listing (lab_ssh_exec_result_get_stdout_text (listing));
  g_debug ("%s: project kind %d", folder, kind);
  if (kind == LAB_PROJECT_KIND_UNCONFIGURED)
    {
      if (locate->unconfigured_folder == NULL)
        locate->unconfigured_folder = g_strdup (folder);
    }
  else if (kind != LAB_PROJECT_KIND_NONE)
    {
      locate->kind = kind;
      g_task_return_pointer (task, g_strdup (folder), g_free);
      return;
    }
  locate_next (g_steal_pointer (&task));
}

static void
locate_next (GTask *task)
{
  Locate *locate = g_task_get_task_data (task);
  LabSshSession *session = g_task_get_source_object (task);
  const char *folder = locate->folders[locate->next];

  if (folder == NULL)
    {
      if (locate->unconfigured_folder != NULL)
        g_task_return_new_error (task, LAB_PROJECT_ERROR, LAB_PROJECT_ERROR_NOT_CONFIGURED,
                                 _("%s has a config.ml but was never configured. Run "
                                   "“mirage configure -t xen” there first."),
                                 locate->unconfigured_folder);
      else
        g_task_return_new_error (task, LAB_PROJECT_ERROR, LAB_PROJECT_ERROR_NOT_A_PROJECT,
                                 _("No Mirage project found: there is no config.ml in %s "
                                   "or the folders above it."), locate->folders[0]);
      g_object_unref (task);
      return;
    }

  {
    const char *argv[] = { "ls", "-1A", "--", folder, NULL };

    lab_ssh_session_exec_async (session, argv, LAB_SSH_EXEC_NONE, NULL, LISTING_TIMEOUT_MS,
                                g_task_get_cancellable (task), listed_cb, task);
  }
}

void
lab_project_locate_async (LabSshSession       *session,
                          const char          *config_path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  Locate *locate;

  g_return_if_fail (LAB_IS_SSH_SESSION (session));
  g_return_if_fail (config_path != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, lab_project_locate_async);
  locate = g_new0 (Locate, 1);
  locate->folders = lab_project_candidate_folders (config_path);
  g_task_set_task_data (task, locate, (GDestroyNotify) locate_free);
  locate_next (task);
}

char *
lab_project_locate_finish (LabSshSession  *session,
                           GAsyncResult   *result,
                           LabProjectKind *kind,
                           GError        **error)
{
  char *folder;

  g_return_val_if_fail (g_task_is_valid (result, session), NULL);

  folder = g_task_propagate_pointer (G_TASK (result), error);
  if (kind != NULL)
    *kind = folder != NULL
            ? ((Locate *) g_task_get_task_data (G_TASK (result)))->kind
            : LAB_PROJECT_KIND_NONE;
  return folder;
}
