/* lab-ssh-error.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LabSshError:
 * @LAB_SSH_ERROR_FAILED: generic failure
 * @LAB_SSH_ERROR_HOST_KEY_UNKNOWN: the host key is not known and was not accepted
 * @LAB_SSH_ERROR_HOST_KEY_CHANGED: the host presented a different key than the one on file;
 *   nothing was sent to it
 * @LAB_SSH_ERROR_AUTH_FAILED: no authentication method succeeded
 * @LAB_SSH_ERROR_RSA_UNSUPPORTED: only RSA keys were available and the server refused them
 *   (libssh2 1.10 can only sign with ssh-rsa/SHA-1, which OpenSSH >= 8.8 refuses)
 * @LAB_SSH_ERROR_SUDO_PASSWORD_WRONG: the sudo password was not accepted
 * @LAB_SSH_ERROR_SUDO_PASSWORD_REQUIRED: sudo needs a password and none could be obtained
 * @LAB_SSH_ERROR_DISCONNECTED: the connection is not established or was lost
 * @LAB_SSH_ERROR_TIMEOUT: an operation did not finish in time
 * @LAB_SSH_ERROR_CHANNEL: the server refused or broke a channel
 * @LAB_SSH_ERROR_PROTOCOL: SSH protocol or library error
 * @LAB_SSH_ERROR_CONFIG: bad configuration (ssh config file, missing host name, ...)
 * @LAB_SSH_ERROR_KEYGEN: creating or installing a key failed
 * @LAB_SSH_ERROR_HOST_KEY_REVOKED: the host presented a key marked @revoked in known_hosts;
 *   nothing was sent to it
 */
typedef enum
{
  LAB_SSH_ERROR_FAILED,
  LAB_SSH_ERROR_HOST_KEY_UNKNOWN,
  LAB_SSH_ERROR_HOST_KEY_CHANGED,
  LAB_SSH_ERROR_AUTH_FAILED,
  LAB_SSH_ERROR_RSA_UNSUPPORTED,
  LAB_SSH_ERROR_SUDO_PASSWORD_WRONG,
  LAB_SSH_ERROR_SUDO_PASSWORD_REQUIRED,
  LAB_SSH_ERROR_DISCONNECTED,
  LAB_SSH_ERROR_TIMEOUT,
  LAB_SSH_ERROR_CHANNEL,
  LAB_SSH_ERROR_PROTOCOL,
  LAB_SSH_ERROR_CONFIG,
  LAB_SSH_ERROR_KEYGEN,
  LAB_SSH_ERROR_HOST_KEY_REVOKED,
} LabSshError;

#define LAB_SSH_ERROR (lab_ssh_error_quark ())
GQuark lab_ssh_error_quark (void);

#define LAB_TYPE_SSH_ERROR (lab_ssh_error_get_type ())
GType lab_ssh_error_get_type (void);

/**
 * LabSshState:
 * @LAB_SSH_STATE_DISCONNECTED: never connected, or closed by the application
 * @LAB_SSH_STATE_CONNECTING: first connection in progress (TCP, handshake, host key, auth)
 * @LAB_SSH_STATE_CONNECTED: authenticated; channels can be opened
 * @LAB_SSH_STATE_RECONNECTING: the connection was lost; automatic reconnect with backoff
 * @LAB_SSH_STATE_FAILED: gave up; see #LabSshSession:error-message
 */
typedef enum
{
  LAB_SSH_STATE_DISCONNECTED,
  LAB_SSH_STATE_CONNECTING,
  LAB_SSH_STATE_CONNECTED,
  LAB_SSH_STATE_RECONNECTING,
  LAB_SSH_STATE_FAILED,
} LabSshState;

#define LAB_TYPE_SSH_STATE (lab_ssh_state_get_type ())
GType lab_ssh_state_get_type (void);

/**
 * LabSshExecFlags:
 * @LAB_SSH_EXEC_NONE: run the command as the login user
 * @LAB_SSH_EXEC_SUDO: run the command through sudo (NOPASSWD detected; otherwise the sudo
 *   password is asked once per session, and each command first runs with `sudo -n`: only
 *   when sudo says that command needs a password does it run again, fed with
 *   `sudo -S -p ''`)
 * @LAB_SSH_EXEC_MERGE_STDERR: deliver stderr as stdout (stderr-data is never emitted)
 */
typedef enum
{
  LAB_SSH_EXEC_NONE = 0,
  LAB_SSH_EXEC_SUDO = 1 << 0,
  LAB_SSH_EXEC_MERGE_STDERR = 1 << 1,
} LabSshExecFlags;

#define LAB_TYPE_SSH_EXEC_FLAGS (lab_ssh_exec_flags_get_type ())
GType lab_ssh_exec_flags_get_type (void);

const char *lab_ssh_state_to_string (LabSshState state);

G_END_DECLS

G_BEGIN_DECLS
/* Calls libssh2_init() once (idempotent; main thread). Every entry point calls it. */
void lab_ssh_library_init (void);
G_END_DECLS
