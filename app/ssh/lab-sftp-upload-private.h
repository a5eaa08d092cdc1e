/* lab-sftp-upload-private.h — what tests may use of LabSftpUpload
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lab-sftp-upload.h"

G_BEGIN_DECLS

/* Reads the one line `sha256sum` prints: 64 lower-case hex digits (after the "\" GNU
 * puts before a line whose file name it escaped), a space, then the rest of the line,
 * which is the only one. Copies the digits into @digest. */
gboolean _lab_sftp_upload_parse_sha256sum    (const char    *output,
                                              char           digest[65]);

/* Seconds without any progress before the upload fails with LAB_SSH_ERROR_TIMEOUT
 * (default 60); set before running. */
void     _lab_sftp_upload_set_stall_timeout  (LabSftpUpload *self,
                                              guint          seconds);

G_END_DECLS
