/* lab-ssh-command.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The ONLY way remote command lines are built: every argument is quoted with g_shell_quote()
 * (byte-exact, so non-UTF-8 and newlines survive) and the words are joined by spaces. A
 * POSIX sh turns the line back into exactly @argv; channels send it through
 * lab_ssh_command_for_login_shell(), whatever the user's login shell is. */
char *lab_ssh_command_build (const char * const *argv);

/* `sudo -n -- ARGV...` (NOPASSWD; fails fast with "a password is required" otherwise). The
 * LC_ALL=C prefix keeps sudo's own messages in English so they can be recognised. */
char *lab_ssh_command_build_sudo_nopasswd (const char * const *argv);

/* `sudo -k -S -p '' -- ARGV...`: the password is the first line of stdin. */
char *lab_ssh_command_build_sudo_stdin (const char * const *argv);

/* `sudo -k -S -p '' -v`: checks the password on stdin (exit 0 if accepted). */
char *lab_ssh_command_build_sudo_validate (void);

/* `sudo -p PROMPT -- ARGV...` for PTY channels, where sudo reads the password from the tty. */
char *lab_ssh_command_build_sudo_pty (const char * const *argv, const char *prompt);

/* The line to send to sshd for the POSIX sh command line @posix. sshd has the user's login
 * shell run it, and that may be fish or tcsh, which parse quotes, "!", "$" and newlines
 * their own way: this gives `exec /bin/sh -c '…'` with a body that every login shell
 * passes through unchanged, so /bin/sh runs exactly @posix. */
char *lab_ssh_command_for_login_shell (const char *posix);

/* The exact stderr of `sudo -n` when a password is needed (LC_ALL=C). */
#define LAB_SSH_SUDO_PASSWORD_REQUIRED_MESSAGE "sudo: a password is required\n"

G_END_DECLS
