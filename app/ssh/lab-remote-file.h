/* lab-remote-file.h — reading a file on the remote host, and replacing one safely
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ssh/lab-ssh-session.h"

G_BEGIN_DECLS

/* The @expected text of a file that must not exist yet. */
extern const char LAB_REMOTE_FILE_NEW[];

/* Reads @path on the host (as root with LAB_SSH_EXEC_SUDO in @flags). Finishes with the
 * file's own bytes, or NULL contents (and TRUE) when it does not exist. */
void     lab_remote_file_read_async         (LabSshSession        *session,
                                             const char           *path,
                                             LabSshExecFlags       flags,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean lab_remote_file_read_finish        (LabSshSession        *session,
                                             GAsyncResult         *result,
                                             char                **contents,
                                             GError              **error);

/* Replaces @path on the host with @contents, losing nothing:
 *  - the current file is first copied to PATH.mirage-lab.bak (or, when that exists,
 *    PATH.mirage-lab.bak.YYYYMMDD-HHMMSS), mode and owner kept;
 *  - the new text is written to a temporary file in the same folder, which takes the old
 *    file's mode and owner, and is renamed over PATH (atomic: readers see old or new; a
 *    PATH that is itself a mount point, as bind-mounted configs are, is rewritten in place);
 *  - when @expected is not NULL and the file no longer holds exactly @expected (someone
 *    edited it meanwhile), nothing is changed and the call fails;
 *  - when @expected is LAB_REMOTE_FILE_NEW, the file is made only if nothing has its name
 *    (else G_IO_ERROR_EXISTS), and never replaces one that appears meanwhile.
 * A missing file is created (mode 0644), without a backup. With LAB_SSH_EXEC_SUDO in
 * @flags the whole operation runs as root (for /etc).
 *
 * Finishes with the backup's path, "" when there was nothing to back up. */
void  lab_remote_file_replace_async  (LabSshSession        *session,
                                      const char           *path,
                                      const char           *expected,
                                      const char           *contents,
                                      LabSshExecFlags       flags,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
typedef enum
{
  LAB_REMOTE_FILE_CHECK_NONE,
  LAB_REMOTE_FILE_CHECK_SUDOERS,  /* `visudo -cf` must accept the new text */
  LAB_REMOTE_FILE_CHECK_NETPLAN,  /* `netplan generate` must accept the netplan folder with
                                   * the new text in the file's place */
} LabRemoteFileCheck;

/* The same, and: @mode (nonzero) is the mode the file gets (e.g. 0600 for netplan, 0440 for
 * sudoers); @check is run on the new text before it replaces the file (a refused text
 * changes nothing: G_IO_ERROR_INVALID_DATA with the checker's words). Files in a drop-in
 * folder (NAME.d) written as root are backed up under /var/backups/mirage-lab/ instead of
 * beside them, where the service would read the backup as configuration. */
void  lab_remote_file_replace_full_async (LabSshSession        *session,
                                          const char           *path,
                                          const char           *expected,
                                          const char           *contents,
                                          guint                 mode,
                                          LabRemoteFileCheck    check,
                                          LabSshExecFlags       flags,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char *lab_remote_file_replace_finish (LabSshSession        *session,
                                      GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
