/* lab-build-job.h — a Mirage project's build on dom0 over an SSH PTY channel: find the
 * project of a domain's config, run its build, tell how it ended
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ssh/lab-ssh-channel.h"
#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_BUILD_STATUS_IDLE,
  LAB_BUILD_STATUS_LOCATING,     /* looking for the project of the config */
  LAB_BUILD_STATUS_RUNNING,
  LAB_BUILD_STATUS_SUCCEEDED,
  LAB_BUILD_STATUS_FAILED,       /* no project, the build failed, or the connection went */
  LAB_BUILD_STATUS_CANCELLED,
} LabBuildStatus;

GType lab_build_status_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_BUILD_STATUS (lab_build_status_get_type ())

/* Locating or running: a start now does nothing, a cancel stops it. */
gboolean lab_build_status_is_busy (LabBuildStatus status);

#define LAB_TYPE_BUILD_JOB (lab_build_job_get_type ())

G_DECLARE_FINAL_TYPE (LabBuildJob, lab_build_job, LAB, BUILD_JOB, GObject)

/* The build of the project that @config_path (a domain's .xl on the host) belongs to. */
LabBuildJob       *lab_build_job_new             (LabHostConnection *connection,
                                                  const char        *config_path);

/* The size of the terminal that will show the build, for the PTY the next run asks for
 * (whoever shows the channel resizes it from then on). */
void               lab_build_job_set_grid_size   (LabBuildJob       *self,
                                                  guint              columns,
                                                  guint              rows);

/* Finds the project and runs its build; does nothing while one is busy. ::finished tells
 * how it went. */
void               lab_build_job_start           (LabBuildJob       *self);
/* Stops the build: closing the channel hangs up its terminal, and make and dune stop on
 * SIGHUP. The status turns CANCELLED at once. */
void               lab_build_job_cancel          (LabBuildJob       *self);
/* Stops a busy build (as lab_build_job_cancel) and starts afresh. */
void               lab_build_job_rerun           (LabBuildJob       *self);

LabHostConnection *lab_build_job_get_connection  (LabBuildJob       *self);
const char        *lab_build_job_get_config_path (LabBuildJob       *self);
LabBuildStatus     lab_build_job_get_status      (LabBuildJob       *self);
/* What the status is about ("Building: make build in …", why it failed…), or NULL. It can
 * quote dom0: bound it before showing it. */
const char        *lab_build_job_get_message     (LabBuildJob       *self);
/* The project folder on dom0, once found. */
const char        *lab_build_job_get_project     (LabBuildJob       *self);
/* The build as typed in the project folder ("make build"), once the project is found. */
const char        *lab_build_job_get_command     (LabBuildJob       *self);
/* dune's progress, 0..1, or -1 while unknown. */
double             lab_build_job_get_fraction    (LabBuildJob       *self);
/* The build's exit status once it exited, else -1 (also when it was killed or cancelled,
 * or the channel failed). */
int                lab_build_job_get_exit_status (LabBuildJob       *self);
/* The PTY channel the build runs on while running, else NULL: whoever shows the build
 * reads its output and writes keys (Ctrl-C, answers to prompts) to it. */
LabSshChannel     *lab_build_job_get_channel     (LabBuildJob       *self);

G_END_DECLS
