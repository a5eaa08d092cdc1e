/* lab-ssh-channel.h
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lab-ssh-error.h"

G_BEGIN_DECLS

/* One SSH channel (an exec'd command or a PTY) on a LabSshSession, driven by the session's
 * dispatcher on the main loop. Create it with lab_ssh_session_create_exec_channel() or
 * lab_ssh_session_create_pty_channel(), connect the signals, then start it; or use
 * lab_ssh_session_exec_async() / lab_ssh_session_open_pty_async().
 *
 * Signals (all on the main context of the session):
 *  - stdout-data (GBytes *data): bytes from the remote stdout (for a PTY: the terminal output)
 *  - stderr-data (GBytes *data): bytes from the remote stderr (never for MERGE_STDERR/PTY)
 *  - eof: the remote side will send no more data
 *  - closed (int exit_status): the channel is gone; exit_status is -1 if the program was
 *    killed by a signal (see exit-signal), or if the channel failed or was closed locally
 *    (see lab_ssh_channel_get_error()). Emitted exactly once per channel.
 */
#define LAB_TYPE_SSH_CHANNEL (lab_ssh_channel_get_type ())
G_DECLARE_FINAL_TYPE (LabSshChannel, lab_ssh_channel, LAB, SSH_CHANNEL, GObject)

/* Completes when the remote program was started (or fails). Output is only delivered once
 * this callback has returned, so signals connected in it see everything. */
void          lab_ssh_channel_start_async     (LabSshChannel        *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      lab_ssh_channel_start_finish    (LabSshChannel        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Completes when the channel is closed: returns the exit status (or the channel's error). */
void          lab_ssh_channel_wait_async      (LabSshChannel        *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
int           lab_ssh_channel_wait_finish     (LabSshChannel        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Queue bytes for the remote stdin (may be called before start). Never blocks. */
void          lab_ssh_channel_write           (LabSshChannel        *self,
                                               GBytes               *bytes);
void          lab_ssh_channel_write_data      (LabSshChannel        *self,
                                               const void           *data,
                                               gsize                 len);
/* Send EOF once everything queued has been written. */
void          lab_ssh_channel_send_eof        (LabSshChannel        *self);
/* PTY only: change the terminal size (coalesced; the remote sees SIGWINCH). */
void          lab_ssh_channel_resize          (LabSshChannel        *self,
                                               guint                 cols,
                                               guint                 rows);
/* Close the channel now (the remote program loses its stdin/stdout). "closed" follows. */
void          lab_ssh_channel_close           (LabSshChannel        *self);
/* Flow control: while paused, no stdout/stderr data is delivered; the server stops sending
 * once the channel's window is full, so the remote program blocks. Input, resizes and
 * closing still work. */
void          lab_ssh_channel_set_output_paused (LabSshChannel      *self,
                                                 gboolean            paused);
gboolean      lab_ssh_channel_get_output_paused (LabSshChannel      *self);
/* Like close, but the channel (and its waiters) fail with @error. */
void          lab_ssh_channel_abort           (LabSshChannel        *self,
                                               const GError         *error);
/* Milliseconds from start to close before the channel is aborted with LAB_SSH_ERROR_TIMEOUT;
 * 0 = none. Set before starting. */
/* Before start: the remote program runs in @directory instead of the login's home (xl opens
 * a config's relative kernel path from its working directory). */
void          lab_ssh_channel_set_directory   (LabSshChannel        *self,
                                               const char           *directory);
void          lab_ssh_channel_set_timeout     (LabSshChannel        *self,
                                               guint                 timeout_ms);

const char   *lab_ssh_channel_get_command     (LabSshChannel        *self);
gboolean      lab_ssh_channel_get_is_pty      (LabSshChannel        *self);
gboolean      lab_ssh_channel_get_is_running  (LabSshChannel        *self);
gboolean      lab_ssh_channel_get_is_closed   (LabSshChannel        *self);
int           lab_ssh_channel_get_exit_status (LabSshChannel        *self);
const char   *lab_ssh_channel_get_exit_signal (LabSshChannel        *self);
const GError *lab_ssh_channel_get_error       (LabSshChannel        *self);
guint         lab_ssh_channel_get_cols        (LabSshChannel        *self);
guint         lab_ssh_channel_get_rows        (LabSshChannel        *self);

G_END_DECLS
