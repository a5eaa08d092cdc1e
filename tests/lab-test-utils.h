/* lab-test-utils.h — what every test program shares: waiting on the main loop, a private
 * HOME, running a program, and the dom0 lab as a GTest fixture
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib and GIO only, so display-less tests link it too; the GTK helpers are in
 * lab-test-gtk-utils.h.
 */

#pragma once

#include <gio/gio.h>

#include "lab-fixture.h"

G_BEGIN_DECLS

/* Waiting ------------------------------------------------------------------------------ */

typedef gboolean (*LabTestCondition) (gpointer user_data);

/* Iterates the default main context until @condition returns TRUE or @timeout_ms passes
 * (0: no limit of its own, meson's test timeout ends a hang); returns @condition's last
 * answer. */
gboolean      lab_test_wait_for        (LabTestCondition     condition,
                                        gpointer             user_data,
                                        guint                timeout_ms);
/* The same, until *@flag is TRUE. */
gboolean      lab_test_wait_flag       (const gboolean      *flag,
                                        guint                timeout_ms);
/* Iterates the default main context for @ms, whatever happens. */
void          lab_test_run_for         (guint                ms);
/* Dispatches what is ready now, without blocking. */
void          lab_test_run_pending     (void);

/* A GAsyncReadyCallback that keeps a reference to the result in the GAsyncResult * that
 * @user_data points to; lab_test_wait_result() then waits for it. */
void          lab_test_result_cb       (GObject             *source,
                                        GAsyncResult        *result,
                                        gpointer             user_data);
/* Waits (as lab_test_wait_for) until *@slot holds a result and returns it; the caller keeps
 * owning *@slot. Fails the test when none came in time. */
GAsyncResult *lab_test_wait_result     (GAsyncResult       **slot,
                                        guint                timeout_ms);

/* A private HOME ------------------------------------------------------------------------ */

/* Points HOME and the XDG directories at a fresh temporary folder with an empty ~/.ssh, and
 * forgets the machine's ssh-agent and SSH config override, so tests never read or write the
 * user's files. Call before anything asks GLib for these directories (it caches them).
 * Returns the folder. */
const char   *lab_test_isolate_home    (void);
/* A file in the private HOME (newly allocated). */
char         *lab_test_home_file       (const char          *name);
/* lab_test_isolate_home(), then g_test_init(): the start of a display-less test program
 * (lab_test_gtk_init() is the one with a display). */
void          lab_test_init            (int                 *argc,
                                        char              ***argv);
/* Removes the private HOME (lab_test_run() does it at the end). */
void          lab_test_cleanup_home    (void);

/* The contents of tests/fixtures/@folder/@name (G_TEST_DIST), asserted readable; @len may
 * be NULL. */
char         *lab_test_read_fixture    (const char          *folder,
                                        const char          *name,
                                        gsize               *len);

/* Programs ------------------------------------------------------------------------------- */

/* Runs @argv on the test side; returns the exit status (128 + signal), collects stdout and
 * stderr. */
int           lab_test_spawn           (const char * const  *argv,
                                        const char          *input,
                                        char               **out,
                                        char               **err);

/* The lab as a fixture ------------------------------------------------------------------ */

typedef struct _LabHostConnection LabHostConnection;
typedef struct _LabSshSession LabSshSession;

typedef struct
{
  /* The program's one lab, started by the first test that needs it and kept for the next
   * ones; never NULL inside a test function. */
  LabFixture        *lab;
  /* The app's connection to that lab, for tests registered by lab_app_add
   * (integration/lab-app-util.h); NULL otherwise. */
  LabHostConnection *connection;
  /* A session of the app's SSH layer to that lab, for tests registered by setup_test_add
   * (setup/setup-test-util.h); NULL otherwise. */
  LabSshSession     *session;
  /* What the test was registered with. */
  gconstpointer      data;
} LabTestFixture;

typedef void     (*LabTestFunc)    (LabTestFixture *fixture);
/* Runs after the lab is up and before the test function; FALSE when the test cannot run
 * (it has marked the test failed or skipped). */
typedef gboolean (*LabTestPrepare) (LabTestFixture *fixture);

/* Registers @func with g_test_add: the fixture's setup brings up the lab with @sudo_mode
 * ("nopasswd" or "password"; a lab of the other mode is stopped first), and when there is no
 * lab the test is skipped (failed with MIRAGE_LAB_REQUIRE_LAB=1) without running @func. */
void          lab_test_add             (const char          *path,
                                        const char          *sudo_mode,
                                        gconstpointer        data,
                                        LabTestFunc          func);
void          lab_test_add_full        (const char          *path,
                                        const char          *sudo_mode,
                                        gconstpointer        data,
                                        LabTestPrepare       prepare,
                                        LabTestFunc          func);

/* The shared lab outside a fixture (a benchmark's main): NULL when there is none, after
 * skipping or failing the current test. */
LabFixture   *lab_test_get_lab         (const char          *sudo_mode);
void          lab_test_stop_lab        (void);
/* Called by lab_test_run() before the lab stops (for what a test program built on it). */
void          lab_test_at_end          (GDestroyNotify       func,
                                        gpointer             data);
/* g_test_run(), then what lab_test_at_end() asked for, the lab down and the private HOME
 * removed. */
int           lab_test_run             (void);

/* TRUE in the fast lab; elsewhere skips the test with @reason (what it needs of the fast
 * lab) and returns FALSE. */
gboolean      lab_test_needs_fast_lab  (LabFixture          *lab,
                                        const char          *reason);
/* Runs the lab program's @command on this lab (`mlab COMMAND --dir DIR ARG1 ARG2`, the
 * fast lab's knobs; @arg1 and @arg2 may be NULL) and asserts it succeeded. */
void          lab_test_lab_command     (LabFixture          *lab,
                                        const char          *command,
                                        const char          *arg1,
                                        const char          *arg2);
/* Starts the lab's sshd again @seconds from now, from the main loop (as after a reboot). */
void          lab_test_sshd_start_later (LabFixture         *lab,
                                         guint               seconds);
/* Runs SCRIPT as root in dom0 and returns its stdout; asserts exit status 0. */
char         *lab_test_root_sh         (LabFixture          *lab,
                                        const char          *script);
/* OpenSSH's ssh to the lab's user with the given identity (NULL: LAB_KEY) and lab's
 * known_hosts; @extra_opt (an -o option) may be NULL. Returns the exit status. */
int           lab_test_ssh             (LabFixture          *lab,
                                        const char          *key,
                                        const char          *extra_opt,
                                        const char          *command,
                                        const char          *input,
                                        char               **out,
                                        char               **err);

/* TRUE when all @len bytes at @mem are zero (a wiped secret). */
gboolean      lab_test_is_zeroed       (gconstpointer        mem,
                                        gsize                len);

/* A copy of the @len bytes at @data and the one after them (a fixture's NUL), with @changes
 * bytes set to random values (g_test_rand_*(): the test's --seed replays it). */
guint8       *lab_test_mutated_copy    (gconstpointer        data,
                                        gsize                len,
                                        guint                changes);

G_END_DECLS
