/* lab-ssh-request.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LabSshRequestKind:
 * @LAB_SSH_REQUEST_HOST_KEY: first contact: show the fingerprint, accept or reject
 * @LAB_SSH_REQUEST_PASSWORD: the login password (password or keyboard-interactive auth)
 * @LAB_SSH_REQUEST_PASSPHRASE: the passphrase of #LabSshRequest:key-file
 * @LAB_SSH_REQUEST_SUDO_PASSWORD: the sudo password on the remote host
 */
typedef enum
{
  LAB_SSH_REQUEST_HOST_KEY,
  LAB_SSH_REQUEST_PASSWORD,
  LAB_SSH_REQUEST_PASSPHRASE,
  LAB_SSH_REQUEST_SUDO_PASSWORD,
} LabSshRequestKind;

#define LAB_TYPE_SSH_REQUEST_KIND (lab_ssh_request_kind_get_type ())
GType lab_ssh_request_kind_get_type (void);

typedef enum
{
  LAB_SSH_HOST_KEY_REJECT,
  LAB_SSH_HOST_KEY_ACCEPT_ONCE,  /* trust for this session object only */
  LAB_SSH_HOST_KEY_ACCEPT_SAVE,  /* append to the app's known_hosts file */
} LabSshHostKeyDecision;

#define LAB_TYPE_SSH_HOST_KEY_DECISION (lab_ssh_host_key_decision_get_type ())
GType lab_ssh_host_key_decision_get_type (void);

/* An interactive decision the session needs from the user. It is carried by the
 * LabSshSession::verify-host-key and ::ask-secret signals; a handler returns TRUE and
 * replies now or later (keep a reference), exactly once. Dropping the last reference
 * without replying counts as a cancel, so nothing waits forever. */
#define LAB_TYPE_SSH_REQUEST (lab_ssh_request_get_type ())
G_DECLARE_FINAL_TYPE (LabSshRequest, lab_ssh_request, LAB, SSH_REQUEST, GObject)

LabSshRequestKind  lab_ssh_request_get_kind              (LabSshRequest *self);
const char        *lab_ssh_request_get_host              (LabSshRequest *self);
guint              lab_ssh_request_get_port              (LabSshRequest *self);
const char        *lab_ssh_request_get_user              (LabSshRequest *self);
/* Host keys */
const char        *lab_ssh_request_get_key_type          (LabSshRequest *self);
const char        *lab_ssh_request_get_fingerprint       (LabSshRequest *self);
gboolean           lab_ssh_request_get_other_types_known (LabSshRequest *self);
/* Secrets */
const char        *lab_ssh_request_get_key_file          (LabSshRequest *self);
const char        *lab_ssh_request_get_message           (LabSshRequest *self);
guint              lab_ssh_request_get_attempt           (LabSshRequest *self);

void               lab_ssh_request_reply_host_key        (LabSshRequest         *self,
                                                          LabSshHostKeyDecision  decision);
void               lab_ssh_request_reply_secret          (LabSshRequest         *self,
                                                          const char            *secret,
                                                          gboolean               remember);
void               lab_ssh_request_cancel                (LabSshRequest         *self);
gboolean           lab_ssh_request_get_replied           (LabSshRequest         *self);

G_END_DECLS
