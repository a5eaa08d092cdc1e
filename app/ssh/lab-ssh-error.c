/* lab-ssh-error.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-ssh-error"

#include "config.h"

#include "lab-ssh-error.h"

G_DEFINE_QUARK (lab-ssh-error-quark, lab_ssh_error)

G_DEFINE_ENUM_TYPE (LabSshError, lab_ssh_error,
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_HOST_KEY_UNKNOWN, "host-key-unknown"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_HOST_KEY_CHANGED, "host-key-changed"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_AUTH_FAILED, "auth-failed"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_RSA_UNSUPPORTED, "rsa-unsupported"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_SUDO_PASSWORD_WRONG, "sudo-password-wrong"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_SUDO_PASSWORD_REQUIRED, "sudo-password-required"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_TIMEOUT, "timeout"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_CHANNEL, "channel"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_PROTOCOL, "protocol"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_CONFIG, "config"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_KEYGEN, "keygen"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_ERROR_HOST_KEY_REVOKED, "host-key-revoked"))

G_DEFINE_ENUM_TYPE (LabSshState, lab_ssh_state,
  G_DEFINE_ENUM_VALUE (LAB_SSH_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_STATE_FAILED, "failed"))

G_DEFINE_FLAGS_TYPE (LabSshExecFlags, lab_ssh_exec_flags,
  G_DEFINE_ENUM_VALUE (LAB_SSH_EXEC_NONE, "none"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_EXEC_SUDO, "sudo"),
  G_DEFINE_ENUM_VALUE (LAB_SSH_EXEC_MERGE_STDERR, "merge-stderr"))

const char *
lab_ssh_state_to_string (LabSshState state)
{
  switch (state)
    {
    case LAB_SSH_STATE_DISCONNECTED: return "disconnected";
    case LAB_SSH_STATE_CONNECTING: return "connecting";
    case LAB_SSH_STATE_CONNECTED: return "connected";
    case LAB_SSH_STATE_RECONNECTING: return "reconnecting";
    case LAB_SSH_STATE_FAILED: return "failed";
    default: return "invalid";
    }
}

#include <libssh2.h>

void
lab_ssh_library_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      int rc = libssh2_init (0);

      if (rc != 0)
        g_critical ("libssh2_init failed: %d", rc);
      g_once_init_leave (&initialized, 1);
    }
}
