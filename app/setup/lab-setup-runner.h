/* lab-setup-runner.h — runs the steps of a recipe on a host
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ssh/lab-ssh-session.h"
#include "lab-setup-error.h"
#include "lab-setup-recipe.h"

G_BEGIN_DECLS

/* Runs the declarative actions of a LabSetupStep: remote ones over @session (argv, quoted by
 * the SSH layer; root = sudo), local ones with GSubprocess; file actions through
 * lab_remote_file_replace_async (backup, atomic write, guarded by the contents read just
 * before). Main thread only, one operation at a time.
 *
 * Signals:
 *   output (const char *text): live output of the running command (and the engine's own
 *     notes, e.g. "$ command"), for the log view; lines end in "\n" (a terminal view
 *     turns them into CR LF).
 *   progress (double fraction): 0..1 when the length of the work is known, -1 = busy.
 *
 * Failures are LAB_SETUP_ERROR errors; lab_setup_runner_get_failure() then says what ran,
 * its output, what that means and the command to run by hand. */
#define LAB_TYPE_SETUP_RUNNER (lab_setup_runner_get_type ())
G_DECLARE_FINAL_TYPE (LabSetupRunner, lab_setup_runner, LAB, SETUP_RUNNER, GObject)

LabSetupRunner        *lab_setup_runner_new            (LabSshSession      *session);
LabSshSession         *lab_setup_runner_get_session    (LabSetupRunner     *self);
/* Values for ${name} in the recipe. ${user} and ${home}, when unset, are asked from the
 * host on first use; ${nic} (the host-only adapter's interface) is found from ${nic-mac}
 * (the MAC VirtualBox reports for adapter 2); @{mirage-configure} from the installed mirage's
 * version. Anything else (addresses, dom0 memory…) is set by the caller; a step that needs
 * an unset one fails saying which. */
void                   lab_setup_runner_set_variable   (LabSetupRunner     *self,
                                                        const char         *name,
                                                        const char         *value);
/* ${bridge}, ${bridge-address}, ${bridge-prefix}, ${bridge-netmask}, ${bridge-broadcast},
 * ${dhcp-start}, ${dhcp-end}, ${dhcp-lease}, after checking they fit together (defaults:
 * br0, 192.168.56.5/24, .150 – .200, 1h). */
gboolean               lab_setup_runner_set_network    (LabSetupRunner     *self,
                                                        const char         *bridge,
                                                        const char         *address,
                                                        guint               prefix,
                                                        const char         *dhcp_start,
                                                        const char         *dhcp_end,
                                                        const char         *lease,
                                                        GError            **error);
/* @text with the variables that have values replaced (for showing explanations). */
char                  *lab_setup_runner_expand         (LabSetupRunner     *self,
                                                        const char         *text);
const char            *lab_setup_runner_get_variable   (LabSetupRunner     *self,
                                                        const char         *name);
void                   lab_setup_runner_unset_variable (LabSetupRunner     *self,
                                                        const char         *name);
const LabSetupFailure *lab_setup_runner_get_failure    (LabSetupRunner     *self);

/* Is the step done? (its check actions all hold). */
void                   lab_setup_runner_check_async    (LabSetupRunner     *self,
                                                        const LabSetupStep *step,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gboolean               lab_setup_runner_check_finish   (LabSetupRunner     *self,
                                                        GAsyncResult       *result,
                                                        gboolean           *done,
                                                        GError            **error);
/* The exact commands and a unified diff of every file change, as text; changes nothing. */
void                   lab_setup_runner_plan_async     (LabSetupRunner     *self,
                                                        const LabSetupStep *step,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
char                  *lab_setup_runner_plan_finish    (LabSetupRunner     *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);
/* Check; when not done, apply; then verify (unless the step needs a reboot first: then
 * verify after lab_setup_runner_wait_for_host_async). @changed (nullable): whether anything
 * was changed (FALSE when the step was already done). */
void                   lab_setup_runner_apply_async    (LabSetupRunner     *self,
                                                        const LabSetupStep *step,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gboolean               lab_setup_runner_apply_finish   (LabSetupRunner     *self,
                                                        GAsyncResult       *result,
                                                        gboolean           *changed,
                                                        GError            **error);
void                   lab_setup_runner_verify_async   (LabSetupRunner     *self,
                                                        const LabSetupStep *step,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gboolean               lab_setup_runner_verify_finish  (LabSetupRunner     *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);
/* After a reboot or a lost link: reconnects the session, trying @max_attempts times with a
 * delay starting at @first_delay_ms and doubling (at most 30 s). Fails at once when the host
 * key changed or authentication fails (retrying cannot help). LAB_SETUP_ERROR_UNREACHABLE
 * when the host never answered. */
void                   lab_setup_runner_wait_for_host_async  (LabSetupRunner      *self,
                                                              guint                max_attempts,
                                                              guint                first_delay_ms,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean               lab_setup_runner_wait_for_host_finish (LabSetupRunner      *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

G_END_DECLS
