/* lab-project.h — the Mirage project on dom0 a domain's .xl config was built from
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ssh/lab-ssh-session.h"

G_BEGIN_DECLS

#define LAB_PROJECT_ERROR (lab_project_error_quark ())
GQuark lab_project_error_quark (void);

typedef enum
{
  LAB_PROJECT_ERROR_NOT_A_PROJECT,   /* no config.ml next to the config or above it */
  LAB_PROJECT_ERROR_NOT_CONFIGURED,  /* config.ml, but `mirage configure` was never run */
} LabProjectError;

typedef enum
{
  LAB_PROJECT_KIND_NONE,             /* not a Mirage project folder */
  LAB_PROJECT_KIND_UNCONFIGURED,     /* config.ml only */
  LAB_PROJECT_KIND_MIRAGE4,          /* mirage 4: generated Makefile + dune-project */
  LAB_PROJECT_KIND_DUNE,             /* dune-project without a Makefile */
  LAB_PROJECT_KIND_CLASSIC,          /* mirage 2/3: a Makefile, no dune-project */
} LabProjectKind;

/* What a folder listing (`ls -1A`, one name a line) says the folder is. */
LabProjectKind  lab_project_kind_from_listing  (const char     *listing);
/* Where to look for the project of @config_path: its folder (classic: www.xl next to
 * config.ml), the parent (mirage 4: dist/NAME.xl or mirage/NAME.xl) and the one above. */
GStrv           lab_project_candidate_folders  (const char     *config_path);
/* The build, as the user would type it in the project folder. */
const char     *lab_project_build_command      (LabProjectKind  kind);
/* The same run by a login shell, so that opam's environment (~/.profile) is loaded as in a
 * terminal. The command is a constant: nothing from the user or dom0 reaches the shell. */
GStrv           lab_project_build_argv         (LabProjectKind  kind);
/* dune's progress line ("Done: 97% (1234/1270, 36 left) (jobs: 2)" or "Done: 1234/1270"):
 * the fraction done, or -1 when @text has none. The last one in @text counts. */
double          lab_project_parse_progress     (const char     *text,
                                                gsize           length);

/* Finds the project of @config_path on the host (one `ls` per candidate folder). */
void            lab_project_locate_async       (LabSshSession       *session,
                                                const char          *config_path,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* The project's folder, and its kind; NULL with LAB_PROJECT_ERROR or an SSH error. */
char           *lab_project_locate_finish      (LabSshSession       *session,
                                                GAsyncResult        *result,
                                                LabProjectKind      *kind,
                                                GError             **error);

G_END_DECLS
