/* lab-setup-runner-private.h: what the pieces of LabSetupRunner share (lab-setup-runner.c,
 * the job that walks a step's actions; lab-setup-runner-actions.c, one executor per action
 * kind; lab-setup-runner-variables.c, the variables and what the host answers for them;
 * lab-setup-runner-wait.c, waiting for the host to come back).
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ssh/lab-ssh-channel.h"
#include "lab-setup-runner.h"

G_BEGIN_DECLS

struct _LabSetupRunner
{
  GObject parent_instance;

  LabSshSession *session;
  GHashTable *variables;   /* name → value, for ${name} */
  GHashTable *lists;       /* name → GStrv, for @{name} */
  LabSetupFailure *failure;
  char *boot_id;           /* of the system a reboot action took down, until it is back */
};

typedef enum { MODE_CHECK, MODE_PLAN, MODE_APPLY, MODE_VERIFY } Mode;
typedef enum { OP_CHECK, OP_PLAN, OP_APPLY, OP_VERIFY } Op;

/* The task data of a check, plan, apply or verify: the task's source object is the runner. */
typedef struct
{
  const LabSetupStep *step;
  Op op;
  Mode mode;
  GPtrArray *actions;
  guint index;
  gboolean holds;       /* CHECK/VERIFY: every action so far held */
  gboolean changed;
  gboolean was_done;    /* APPLY: the check held, only the verification runs */
  GString *plan;
  GString *output;      /* of the running action */
  char *command;        /* of the running action, for failures */
  char *old_text;       /* file actions: what was read */
  gboolean old_exists;
  guint when_passed;    /* index + 1 of the action whose "when" held */
  guint resolving;      /* index in resolvers[] of the variable being asked for */
  guint reconnected;    /* index + 1 of the action run again after the link dropped */
  GHashTable *planned;  /* PLAN: path → the text earlier actions of the plan give it */
  LabSshChannel *channel;
  gulong cancel_id;
} Job;

/* The job (lab-setup-runner.c) */
void   _lab_setup_runner_emit_output       (LabSetupRunner       *self,
                                            const char           *text);
void   _lab_setup_runner_set_failure       (LabSetupRunner       *self,
                                            const char           *command,
                                            const char           *output,
                                            const char           *meaning,
                                            const char           *fix);
/* Takes @error; records the failure (unless cancelled) and returns @error from @task. */
void   _lab_setup_runner_job_fail          (GTask                *task,
                                            GError               *error,
                                            const char           *meaning,
                                            const char           *fix);
/* The current action ran: @holds is whether it succeeded (or, checking, held). */
void   _lab_setup_runner_action_done       (GTask                *task,
                                            gboolean              holds);
void   _lab_setup_runner_next_action       (GTask                *task);

/* Action executors (lab-setup-runner-actions.c), one per kind */
void   _lab_setup_runner_run_action        (GTask                *task,
                                            const LabSetupAction *action);
void   _lab_setup_runner_packages_action   (GTask                *task,
                                            const LabSetupAction *action);
void   _lab_setup_runner_file_action       (GTask                *task,
                                            const LabSetupAction *action);
void   _lab_setup_runner_reboot_action     (GTask                *task);

/* Variables (lab-setup-runner-variables.c) */
char **_lab_setup_runner_expand_argv       (LabSetupRunner       *self,
                                            char                **argv);
/* "$name" or "@name" of the first variable @action needs that has no value yet, or NULL. */
char  *_lab_setup_runner_unset_variable    (LabSetupRunner       *self,
                                            const LabSetupAction *action);
/* Asks the host for @variable, then goes on with the job; fails it for a variable nobody
 * can give. */
void   _lab_setup_runner_resolve_variable  (GTask                *task,
                                            const char           *variable);
/* Asks the host for ${home} and ${user} when they are not known yet, then goes on with the
 * job. */
void   _lab_setup_runner_learn_home        (GTask                *task);

G_END_DECLS
