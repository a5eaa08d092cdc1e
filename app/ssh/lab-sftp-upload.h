/* lab-sftp-upload.h — copying a local file to dom0 over SFTP: resumable, checked, atomic
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lab-ssh-session.h"

G_BEGIN_DECLS

/**
 * LabSftpUploadFlags:
 * @LAB_SFTP_UPLOAD_NONE: a file that already has the remote name is left alone (the upload
 *   fails with G_IO_ERROR_EXISTS before anything is sent)
 * @LAB_SFTP_UPLOAD_OVERWRITE: a file with the remote name is replaced, by a rename once the
 *   new one is complete and checked (never truncated in place)
 */
typedef enum
{
  LAB_SFTP_UPLOAD_NONE = 0,
  LAB_SFTP_UPLOAD_OVERWRITE = 1 << 0,
} LabSftpUploadFlags;

#define LAB_TYPE_SFTP_UPLOAD_FLAGS (lab_sftp_upload_flags_get_type ())
GType lab_sftp_upload_flags_get_type (void);

/* One upload of a local file (a unikernel image) to a path on the host of a connected
 * LabSshSession, over the session's own connection (libssh2's SFTP, non-blocking, on the
 * main loop; the host's sshd needs its sftp subsystem, and sha256sum, head and mv).
 *
 * The bytes go to REMOTE.part (mode 0644). When a REMOTE.part from an earlier, interrupted
 * upload is there and no larger than the local file, and a SHA-256 of it computed on the
 * host equals that of as many first bytes of the local file, the upload goes on from its
 * end; otherwise it starts over. Once everything is written, the SHA-256 of REMOTE.part
 * computed on the host must equal the local file's, else the .part is removed and the upload
 * fails; only then is it renamed onto REMOTE. So REMOTE is either absent, the file it was,
 * or the complete new file: never a partial one.
 *
 * @remote_path is absolute, or starts with "~/" (the login's home, as the SFTP server sees
 * it). Errors: G_IO_ERROR (NOT_FOUND for a missing remote folder, EXISTS, IS_DIRECTORY,
 * PERMISSION_DENIED, NO_SPACE, INVALID_DATA for a checksum that differs, CANCELLED, …, and
 * the local file's own), LAB_SSH_ERROR (DISCONNECTED when the connection went, TIMEOUT when
 * nothing moved for a minute, CHANNEL for SFTP that broke). Every message is meant for
 * people.
 *
 * Progress: notify::total (the local file's size, once opened), notify::resumed-from (bytes
 * already on the host from an earlier upload and kept) and notify::bytes-sent (written and
 * acknowledged by this run; resumed-from + bytes-sent rises to total). Signals are emitted
 * on the main context, also from inside the session's dispatch: a handler may cancel or
 * close the session, but must not iterate the main loop.
 *
 * One run per object. */
#define LAB_TYPE_SFTP_UPLOAD (lab_sftp_upload_get_type ())
G_DECLARE_FINAL_TYPE (LabSftpUpload, lab_sftp_upload, LAB, SFTP_UPLOAD, GObject)

LabSftpUpload *lab_sftp_upload_new              (LabSshSession       *session,
                                                 GFile               *local,
                                                 const char          *remote_path,
                                                 LabSftpUploadFlags   flags);

void           lab_sftp_upload_run_async        (LabSftpUpload       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       lab_sftp_upload_run_finish       (LabSftpUpload       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

guint64        lab_sftp_upload_get_total        (LabSftpUpload       *self);
guint64        lab_sftp_upload_get_resumed_from (LabSftpUpload       *self);
guint64        lab_sftp_upload_get_bytes_sent   (LabSftpUpload       *self);
/* The absolute remote path ("~/" resolved) once known, else NULL. */
const char    *lab_sftp_upload_get_target       (LabSftpUpload       *self);
/* The file's SHA-256 (lower-case hex) once the upload succeeded, else NULL. */
const char    *lab_sftp_upload_get_sha256       (LabSftpUpload       *self);

G_END_DECLS
