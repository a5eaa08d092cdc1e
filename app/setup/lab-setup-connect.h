/* lab-setup-connect.h — the guided setup's Connect step: connect, trust the host key, make
 * and install an ed25519 key, read /etc/os-release for the recipe, then Check Host's checks
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "setup/lab-setup-error.h"
#include "ssh/lab-ssh-request.h"
#include "ssh/lab-ssh-session.h"
#include "xen/lab-host-check.h"

G_BEGIN_DECLS

/* Where the chain is. CONNECTING to READING_OS_RELEASE are the step itself; CHECKING_HOST
 * comes after the step is done (the recipe is known by then) and ends in DONE whatever the
 * checks find. */
typedef enum
{
  LAB_SETUP_CONNECT_STATE_IDLE,
  LAB_SETUP_CONNECT_STATE_CONNECTING,
  LAB_SETUP_CONNECT_STATE_MAKING_KEY,
  LAB_SETUP_CONNECT_STATE_INSTALLING_KEY,
  LAB_SETUP_CONNECT_STATE_READING_OS_RELEASE,
  LAB_SETUP_CONNECT_STATE_CHECKING_HOST,
  LAB_SETUP_CONNECT_STATE_DONE,
  LAB_SETUP_CONNECT_STATE_FAILED,   /* see the error; start again to retry */
} LabSetupConnectState;

GType lab_setup_connect_state_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_SETUP_CONNECT_STATE (lab_setup_connect_state_get_type ())

/* Runs the chain on its own LabSshSession. No GTK: a view shows the state, the message and
 * the output, and answers ::request (a host key to trust, a password or a passphrase) as it
 * answers LabSshSession's requests; a request nobody answers is cancelled.
 *
 * Properties (read-only but for recipe-override): state, message (what is happening or what
 * went wrong, for a status line), host, port, user (as the last start took them), recipe
 * ("classic" or "modern", once os-release is read), recipe-override (NULL: from
 * os-release). Signals: changed (after any of them changed), output (text for the log:
 * the commands as OpenSSH would run them, then the host's checks), request
 * (LabSshRequest). */
#define LAB_TYPE_SETUP_CONNECT (lab_setup_connect_get_type ())
G_DECLARE_FINAL_TYPE (LabSetupConnect, lab_setup_connect, LAB, SETUP_CONNECT, GObject)

LabSetupConnect      *lab_setup_connect_new                (void);

/* Checks @address (lab_host_parse_address) and @user, then starts the chain on a new
 * session, ending whatever ran before. @password (nullable, memory only) is offered to the
 * server; without it ::request asks when the server wants one. @make_key: make
 * ~/.ssh/id_ed25519 unless it exists and install it on the host. FALSE with the reason,
 * and nothing started, when the address or the user will not do. */
gboolean              lab_setup_connect_start              (LabSetupConnect  *self,
                                                            const char       *address,
                                                            const char       *user,
                                                            const char       *password,
                                                            gboolean          make_key,
                                                            GError          **error);
/* A session for a host connected before (a step waits for it after a reboot): made, not
 * connected, its requests through ::request; whoever uses it connects it. */
LabSshSession        *lab_setup_connect_reopen             (LabSetupConnect  *self,
                                                            const char       *host,
                                                            guint             port,
                                                            const char       *user);
/* Stops the chain (FAILED with G_IO_ERROR_CANCELLED if it was in the step itself). */
void                  lab_setup_connect_cancel             (LabSetupConnect  *self);
/* Cancels and closes the session: channels on it (a runner's) fail. */
void                  lab_setup_connect_close              (LabSetupConnect  *self);

LabSetupConnectState  lab_setup_connect_get_state          (LabSetupConnect  *self);
/* In the step itself: CONNECTING to READING_OS_RELEASE. */
gboolean              lab_setup_connect_get_busy           (LabSetupConnect  *self);
const char           *lab_setup_connect_get_message        (LabSetupConnect  *self);
/* Why it FAILED, else NULL; and for a failed connection what ran, what the server said,
 * what to check and the command to try by hand (else NULL). */
const GError         *lab_setup_connect_get_error          (LabSetupConnect  *self);
const LabSetupFailure *lab_setup_connect_get_failure       (LabSetupConnect  *self);
const char           *lab_setup_connect_get_host           (LabSetupConnect  *self);
/* 0: the default (22 or ~/.ssh/config's). */
guint                 lab_setup_connect_get_port           (LabSetupConnect  *self);
const char           *lab_setup_connect_get_user           (LabSetupConnect  *self);
/* The session of the last start or reopen; connected from READING_OS_RELEASE on. */
LabSshSession        *lab_setup_connect_get_session        (LabSetupConnect  *self);
const char           *lab_setup_connect_get_recipe         (LabSetupConnect  *self);
/* e.g. "Debian GNU/Linux 12 (bookworm)", once os-release is read. */
const char           *lab_setup_connect_get_os_description (LabSetupConnect  *self);
const char           *lab_setup_connect_get_recipe_override (LabSetupConnect *self);
void                  lab_setup_connect_set_recipe_override (LabSetupConnect *self,
                                                             const char      *recipe);
/* The checks run once connected (NULL before); their results stay after DONE. */
LabHostCheck         *lab_setup_connect_get_host_check     (LabSetupConnect  *self);
/* The OpenSSH command that does what the step does, e.g. "ssh -p 2222 me@host". */
char                 *lab_setup_connect_dup_ssh_command    (LabSetupConnect  *self);

G_END_DECLS
