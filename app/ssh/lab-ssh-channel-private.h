/* lab-ssh-channel-private.h: what the pieces of LabSshChannel share (lab-ssh-channel.c, the
 * object and its API; lab-ssh-channel-phase.c, what each pass does with libssh2;
 * lab-ssh-channel-sudo.c, running a command under sudo).
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-ssh-private.h"

G_BEGIN_DECLS

typedef enum
{
  PHASE_NEW,
  PHASE_PREPARING,   /* waiting for the session's sudo preparation */
  PHASE_OPENING,
  PHASE_PTY,
  PHASE_EXEC,
  PHASE_RUNNING,
  PHASE_DRAINING,    /* remote EOF seen: waiting for the remote close (exit status) */
  PHASE_CLOSING,     /* sending our close */
  PHASE_FREEING,
  PHASE_CLOSED,
} LabSshChannelPhase;

struct _LabSshChannel
{
  GObject            parent_instance;

  LabSshSession     *session;          /* strong while not closed */
  LIBSSH2_CHANNEL   *raw;
  LabSshChannelPhase phase;

  char             **argv;
  char              *command;          /* the line sent to the server */
  LabSshExecFlags    flags;
  gboolean           pty;
  gboolean           internal;
  char              *term;
  guint              cols;
  guint              rows;
  gboolean           resize_pending;

  GQueue             write_queue;      /* GBytes */
  gsize              write_offset;     /* into the head */
  gboolean           eof_requested;
  gboolean           eof_sent;
  gboolean           eof_emitted;
  guint              delivery_holds;   /* output waits until these callbacks ran */
  gboolean           output_paused;    /* flow control: the reader has enough for now */
  gboolean           close_requested;
  gboolean           started;          /* the remote program was started */
  gboolean           typed_password;   /* PTY: the sudo password is queued ahead of the input */
  /* sudo needs a password for some commands: this one first runs with `sudo -n`, and only
   * if sudo says a password is required is it run again with the password (see
   * lab-ssh-channel-sudo.c). Until then the password waits here, and what the caller wrote
   * and the output are kept back. */
  char              *sudo_password;
  gboolean           sudo_retry;       /* the `sudo -n` try asked for a password: run again */
  GQueue             replay_queue;     /* GBytes written during the try, for the second run */
  GString           *held_out;
  GString           *held_err;
  char              *tcpip_host;       /* direct-tcpip: where dom0 connects to, instead of exec */
  char              *directory;        /* the remote working directory, or NULL for home */
  gboolean           waiting_slot;     /* sshd's MaxSessions reached: retry when one closes */
  guint              tcpip_port;

  int                exit_status;
  char              *exit_signal;
  GError            *error;

  GTask             *start_task;
  GPtrArray         *wait_tasks;
  guint              timeout_ms;
  guint              timeout_id;
};

/* Channel services for the other pieces */
/* Everything that ends a channel goes through here, exactly once. */
void     _lab_ssh_channel_finish             (LabSshChannel *self);
/* Takes @error; the first error stays. */
void     _lab_ssh_channel_set_error          (LabSshChannel *self,
                                              GError        *error);
/* Emits stdout-data (@stream 0) or stderr-data with a copy of @buf. */
void     _lab_ssh_channel_emit_bytes         (LabSshChannel *self,
                                              int            stream,
                                              const guchar  *buf,
                                              gsize          len);
/* Emits eof. */
void     _lab_ssh_channel_emit_eof           (LabSshChannel *self);
/* Opens the channel on the session (arms the timeout). */
void     _lab_ssh_channel_begin_opening      (LabSshChannel *self);

/* sudo (lab-ssh-channel-sudo.c) */
/* The command runs as `sudo -n` while a password waits in case sudo asks for it. */
gboolean _lab_ssh_channel_sudo_trying        (LabSshChannel *self);
/* While sudo -n is tried, output is held until it is known to be the program's: returns
 * TRUE when it took @buf. */
gboolean _lab_ssh_channel_sudo_hold_output   (LabSshChannel *self,
                                              int            stream,
                                              const guchar  *buf,
                                              gsize          len);
/* The `sudo -n` try has exited: sets sudo_retry, or lets the held output out. */
void     _lab_ssh_channel_sudo_try_exited    (LabSshChannel *self);
/* The try was refused for want of a password: the same command again, with it. */
void     _lab_ssh_channel_sudo_retry_start   (LabSshChannel *self);
/* Prepares sudo on the session (the channel is PREPARING), then opens the channel. */
void     _lab_ssh_channel_sudo_start         (LabSshChannel *self,
                                              GCancellable  *cancellable);

G_END_DECLS
