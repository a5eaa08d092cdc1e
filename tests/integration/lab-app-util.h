/* lab-app-util.h — connecting the app's own core to a dom0 lab, for integration tests
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-test-utils.h"
#include "xen/lab-host-connection.h"

G_BEGIN_DECLS

/* Copies the lab's known_hosts to ~/.ssh/known_hosts of the private HOME
 * (lab_test_isolate_home), so the SSH layer trusts the lab. */
void               lab_app_trust_lab        (LabFixture         *lab);

/* A LabHost for the lab's user with its ed25519 key, looking for configs in @folder
 * (NULL: "~/unikernels"). */
LabHost           *lab_app_host_new         (LabFixture         *lab,
                                             const char         *folder);

/* Connects and waits for the first domain list (Domain-0 present). Fails the test with the
 * connection's message otherwise. */
LabHostConnection *lab_app_connect          (LabFixture         *lab,
                                             const char         *folder);

/* The lab (lab_test_get_lab, sudo NOPASSWD) and the connection one test program shares:
 * connected by the first test that asks, kept for the next ones and closed by
 * lab_test_run(). FALSE when there is no lab (the test was skipped, or failed in CI) or an
 * earlier connection failed (the test failed). */
gboolean           lab_app_shared_connection (LabFixture        **lab,
                                              LabHostConnection **connection);

/* Waits until the store lists @name (running or from a config). */
LabDomain         *lab_app_wait_domain      (LabHostConnection  *connection,
                                             const char         *name,
                                             guint               timeout_s);

/* Runs an action and waits for it; returns its error (NULL on success). */
GError            *lab_app_run_action       (LabHostConnection  *connection,
                                             LabDomain          *domain,
                                             LabDomainAction     action);

/* Writes @text as @path on dom0, owned by the lab user (root writes it via lab exec). */
void               lab_app_write_user_file  (LabFixture         *lab,
                                             const char         *path,
                                             const char         *text);

G_END_DECLS
