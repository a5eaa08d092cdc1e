/* ssh-test-util.h — the SSH core's lab tests: a session to the lab, and running on it
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-test-utils.h"
#include "ssh/lab-ssh-session.h"

G_BEGIN_DECLS

/* A session to the lab's login user: the lab's known_hosts, the given key (NULL: LAB_KEY),
 * the app's known_hosts in the private HOME (lab_test_isolate_home), no agent, no keyring. */
LabSshSession    *ssh_test_session    (LabFixture          *lab,
                                       const char          *key);
gboolean          ssh_test_connect    (LabSshSession       *session,
                                       GError             **error);
LabSshExecResult *ssh_test_exec       (LabSshSession       *session,
                                       const char * const  *argv,
                                       LabSshExecFlags      flags,
                                       GBytes              *input,
                                       guint                timeout_ms,
                                       GCancellable        *cancellable,
                                       GError             **error);
/* Runs a short command and returns its stdout; asserts success. */
char             *ssh_test_run_ok     (LabSshSession       *session,
                                       const char * const  *argv,
                                       LabSshExecFlags      flags);
/* Starts @argv @n times at once on @session, then asserts that each run printed
 * @expected. */
void              ssh_test_exec_many  (LabSshSession       *session,
                                       const char * const  *argv,
                                       LabSshExecFlags      flags,
                                       guint                timeout_ms,
                                       guint                n,
                                       const char          *expected);
/* Iterates the main loop until @session reaches @state, at most @timeout_s seconds. */
gboolean          ssh_test_wait_state (LabSshSession       *session,
                                       LabSshState          state,
                                       guint                timeout_s);

G_END_DECLS
