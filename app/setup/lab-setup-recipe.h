/* lab-setup-recipe.h — a guided-setup recipe: steps made of declarative actions
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ssh/lab-remote-file.h"

G_BEGIN_DECLS

/* A recipe is a JSON file (resources/recipes/NAME.json, compiled into the GResource under
 * /io/github/miragelab/MirageLab/recipes/):
 *
 *   { "id": "modern", "title": "…", "description": "…",
 *     "steps": [ { "id": "…", "title": "…", "explanation": "…",
 *                  "builtin": "virtualbox" | "connect" | "first-unikernel",
 *                                                         (optional: done in C)
 *                  "needs": { "root": true, "reboot-after": false, "reconnect": false },
 *                  "check":  [ ACTION… ],   (all succeed = the step is done; default: every
 *                                            ensure-* action of apply already holds)
 *                  "check-files": true,     (the ensure-* actions of apply are checked too,
 *                                            before "check")
 *                  "apply":  [ ACTION… ],   (the plan is rendered from these)
 *                  "verify": [ ACTION… ] } ] }  (default: check)
 *
 * ACTION is one of
 *   { "run": [ "argv0", "arg"… ], "root": bool, "local": bool, "timeout": seconds,
 *     "description": "…" }      — succeeds when the program exits 0
 *   { "ensure-line": "text", "path": "/abs/path", "root": bool }
 *                                — the file has this exact line (appended when missing)
 *   { "ensure-file": "text", "path": "/abs/path", "root": bool, "mode": "0600",
 *     "validate": "sudoers" }   — the file holds exactly this text (mode: what it gets when
 *                                  written; validate: `visudo -c`, or with "netplan"
 *                                  `netplan generate`, must accept it first)
 *   { "ensure-line": "text", "path": …, "replaces": "REGEX" }
 *                                — with "replaces", the first line matching REGEX becomes
 *                                  the line (appended when none matches): for settings
 *                                  such as "#XEN_OVERRIDE_GRUB_DEFAULT=" → "…=1"
 *   { "ensure-block": "line\nline\n", "path": … }
 *                                — these lines appear together in the file (appended after
 *                                  a blank line when missing)
 *   { "ensure-packages": [ "name", … ] }
 *                                — these Debian/Ubuntu packages are installed (as root:
 *                                  `apt-get update`, then `apt-get install -y` of the
 *                                  missing ones)
 *   { "reboot": true, "description": "…" }
 *                                — reboots the host (as root, detached, so the command
 *                                  returns before the link drops)
 * Any action may have "when": [ "argv0", … ]: it is only checked, planned or applied on a
 * host where that command succeeds (e.g. [ "test", "-d", "/etc/netplan" ]).
 * "root" defaults to the step's needs.root. Strings may use ${name} variables (the runner's:
 * ${user}, ${home}, and what the wizard sets), replaced by whole values (never through a
 * shell); a "run" argument that is exactly @{name} stands for a list of arguments (e.g.
 * @{mirage-configure}, worked out from the host). */

typedef enum
{
  LAB_SETUP_ACTION_RUN,
  LAB_SETUP_ACTION_ENSURE_LINE,
  LAB_SETUP_ACTION_ENSURE_FILE,
  LAB_SETUP_ACTION_ENSURE_BLOCK,
  LAB_SETUP_ACTION_REBOOT,
  LAB_SETUP_ACTION_ENSURE_PACKAGES,
} LabSetupActionKind;

typedef struct
{
  LabSetupActionKind kind;
  char **argv;          /* RUN; ENSURE_PACKAGES: the package names */
  char *path;           /* ENSURE_* */
  char *text;           /* ENSURE_*: the line, the block or the whole contents */
  char *replaces;       /* ENSURE_LINE: regex of the line it replaces, or NULL */
  char **when;          /* a command that must succeed for the action to apply, or NULL */
  guint mode;           /* ENSURE_FILE: the file's mode, 0 = keep (new files: 0644) */
  LabRemoteFileCheck validate; /* ENSURE_FILE: sudoers (visudo) or netplan */
  char *description;
  gboolean root;
  gboolean local;       /* RUN on the desktop (GSubprocess) instead of over SSH */
  guint timeout_s;      /* 0 = none */
} LabSetupAction;

typedef struct
{
  char *id;
  char *title;
  char *explanation;
  char *builtin;        /* NULL, "virtualbox", "connect" or "first-unikernel" */
  gboolean check_files; /* the ensure-* actions of apply are part of the check */
  gboolean needs_root;
  gboolean reboot_after;
  gboolean reconnect;
  GPtrArray *check;     /* LabSetupAction *; empty = derived from apply */
  GPtrArray *apply;
  GPtrArray *verify;    /* empty = same as check */
} LabSetupStep;

#define LAB_TYPE_SETUP_RECIPE (lab_setup_recipe_get_type ())
G_DECLARE_FINAL_TYPE (LabSetupRecipe, lab_setup_recipe, LAB, SETUP_RECIPE, GObject)

LabSetupRecipe     *lab_setup_recipe_new_from_data     (const char      *data,
                                                        gssize           length,
                                                        GError         **error);
/* @name: "classic" or "modern" (the resource recipes/NAME.json). */
LabSetupRecipe     *lab_setup_recipe_new_from_resource (const char      *name,
                                                        GError         **error);
const char         *lab_setup_recipe_get_id            (LabSetupRecipe  *self);
const char         *lab_setup_recipe_get_title         (LabSetupRecipe  *self);
/* What a person must know before the recipe's steps run (what no longer works as it did),
 * translated; NULL when nothing. */
const char         *lab_setup_recipe_get_caveat        (LabSetupRecipe  *self);
guint               lab_setup_recipe_get_n_steps       (LabSetupRecipe  *self);
const LabSetupStep *lab_setup_recipe_get_step          (LabSetupRecipe  *self,
                                                        guint            index);
/* -1 when there is no such step. */
int                 lab_setup_recipe_find_step         (LabSetupRecipe  *self,
                                                        const char      *id);

/* ensure-line, ensure-block, ensure-file and ensure-packages: actions that are their own
 * check. */
gboolean            lab_setup_action_is_file           (const LabSetupAction *action);
/* The check actions of @step (explicit, or one per ensure-* action of apply). */
GPtrArray          *lab_setup_step_get_check           (const LabSetupStep *step);
GPtrArray          *lab_setup_step_get_verify          (const LabSetupStep *step);

/* The recipe for a host from its /etc/os-release text: "classic" for Ubuntu 14.04,
 * "modern" otherwise. @description (nullable) receives e.g. "Ubuntu 14.04.6 LTS". */
const char         *lab_setup_pick_recipe              (const char      *os_release,
                                                        char           **description);

/* A command line for showing (and copying): each argument quoted for a POSIX shell only
 * when it needs to be. */
char               *lab_setup_format_argv              (const char * const *argv);

/* The recipes' titles and explanations, as msgids for translators (generated, see
 * tests/check-recipe-strings.py); a loaded recipe shows them translated. */
extern const char * const lab_setup_recipe_texts[];

G_END_DECLS
