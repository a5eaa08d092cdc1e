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

/* lab_test_init(), then lab_core_init(). */
void               lab_app_init             (int                *argc,
                                             char             ***argv);

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

/* Registers @func as lab_test_add() does, with the "nopasswd" lab and fixture->connection
 * connected to it: the program's one connection, made by the first test that needs it,
 * kept for the next ones and closed by lab_test_run(). */
void               lab_app_add              (const char         *path,
                                             gconstpointer       data,
                                             LabTestFunc         func);

/* Waits until the store lists @name (running or from a config), at most @timeout_s (0:
 * only what it lists now). */
LabDomain         *lab_app_wait_domain      (LabHostConnection  *connection,
                                             const char         *name,
                                             guint               timeout_s);

/* Conditions on a LabDomain, for lab_test_wait_for(). */
gboolean           lab_app_domain_running   (gpointer            domain);
gboolean           lab_app_domain_stopped   (gpointer            domain);
gboolean           lab_app_domain_paused    (gpointer            domain);

/* Runs an action and waits for it; returns its error (NULL on success). */
GError            *lab_app_run_action       (LabHostConnection  *connection,
                                             LabDomain          *domain,
                                             LabDomainAction     action);

/* Runs @action on @domain (asserting it worked), then waits until @until holds for it. */
void               lab_app_act_and_wait     (LabHostConnection  *connection,
                                             LabDomain          *domain,
                                             LabDomainAction     action,
                                             LabTestCondition    until,
                                             guint               timeout_ms);
/* Starts @domain and waits until the list shows it running. */
void               lab_app_start_domain     (LabHostConnection  *connection,
                                             LabDomain          *domain);

/* Destroys @domain if it runs, and waits until the list shows it stopped. */
void               lab_app_destroy_domain   (LabHostConnection  *connection,
                                             LabDomain          *domain);

/* Writes @text as @path on dom0, owned by the lab user (root writes it via lab exec). */
void               lab_app_write_user_file  (LabFixture         *lab,
                                             const char         *path,
                                             const char         *text);

G_END_DECLS
