/* lab-sftp-upload-internal.h: what the pieces of LabSftpUpload share (lab-sftp-upload.c, the
 * object, its answer and its place among the session's clients; lab-sftp-upload-states.c,
 * what each state does). Not for tests: they have lab-sftp-upload-private.h.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libssh2_sftp.h>

#include "lab-ssh-private.h"
#include "lab-sftp-upload.h"

G_BEGIN_DECLS

/* What is read from the local file and handed to libssh2_sftp_write() at a time. libssh2
 * sends it as pipelined requests of 30000 bytes, so this is also how much is in flight: a
 * round trip per chunk costs little, and a cancel waits for at most one chunk's
 * acknowledgements. */
#define LAB_SFTP_UPLOAD_CHUNK_SIZE (256 * 1024)

typedef enum
{
  STATE_NEW,
  STATE_LOCAL_OPEN,      /* opening the local file (GIO) */
  STATE_SFTP_INIT,
  STATE_HOME,            /* the SFTP home, for "~/" */
  STATE_STAT_FOLDER,
  STATE_STAT_TARGET,
  STATE_STAT_PART,
  STATE_PREFIX,          /* does the .part hold the local file's first bytes? */
  STATE_OPEN,
  STATE_SET_MODE,
  STATE_READ,            /* the next chunk of the local file (GIO) */
  STATE_WRITE,
  STATE_CLOSE,
  STATE_VERIFY,          /* sha256sum of the .part on dom0 */
  STATE_RENAME,
  STATE_RENAME_REFUSED,  /* why: the target appeared meanwhile? */
  STATE_REPLACE,         /* mv -f onto an existing target */
  STATE_UNLINK,          /* the .part is damaged */
  STATE_SHUTDOWN,
  STATE_DONE,
} LabSftpUploadState;

typedef enum
{
  LAB_SFTP_UPLOAD_GO_ON,   /* the next state can run now */
  LAB_SFTP_UPLOAD_WAIT,    /* for the socket, the local file or a command on dom0 */
} LabSftpUploadStep;

struct _LabSftpUpload
{
  GObject              parent_instance;

  LabSshSession       *session;
  GFile               *local;
  char                *remote_path;       /* as given */
  LabSftpUploadFlags   flags;
  guint                stall_timeout;

  char                *target;            /* absolute */
  char                *part;              /* target + ".part" */
  char                *host;              /* for messages, like the paths below */
  char                *shown_local;
  char                *shown_target;
  char                *shown_part;

  LabSftpUploadState   state;
  GTask               *task;              /* until the caller has its answer */
  GCancellable        *cancellable;
  gulong               cancel_id;
  GError              *error;             /* the first failure; the cleanup states follow */
  gboolean             remove_part;       /* the .part is damaged: unlink it */
  gboolean             registered;        /* a client of the session */
  gboolean             in_op;             /* a libssh2 call said EAGAIN: call it again */
  gboolean             progressed;        /* during one step */
  guint                pending;           /* local reads and commands under way */
  guint                commands;          /* of those, commands (they have own timeouts) */
  gint64               last_progress;
  guint                watchdog_id;
  guint                grace_id;

  LIBSSH2_SFTP        *sftp;
  LIBSSH2_SFTP_HANDLE *handle;
  GError              *rename_error;

  GFileInputStream    *stream;
  GChecksum           *checksum;          /* of the local bytes read so far */
  guchar              *buffer;
  gsize                buffer_len;
  gsize                buffer_acked;      /* written and acknowledged */
  guint64              offset;            /* local bytes read */
  guint64              total;
  guint64              part_size;         /* of the .part found on dom0 */
  gboolean             truncate;          /* start the .part over */
  char                *local_prefix;      /* SHA-256 of the first part_size local bytes */
  char                *remote_prefix;     /* and of the .part, from dom0 */
  guint64              resumed_from;
  guint64              bytes_sent;
  char                *sha256;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_LOCAL,
  PROP_REMOTE_PATH,
  PROP_FLAGS,
  PROP_TOTAL,
  PROP_RESUMED_FROM,
  PROP_BYTES_SENT,
  N_PROPS
};

/* The object (lab-sftp-upload.c) */
/* Takes @error; the first one is the answer. The upload goes to its cleanup states once no
 * libssh2 call is under way. */
void               _lab_sftp_upload_fail          (LabSftpUpload   *self,
                                                   GError          *error);
/* Fails with "WHAT: why @rc", WHAT made from @format. */
void               _lab_sftp_upload_fail_rc       (LabSftpUpload   *self,
                                                   int              rc,
                                                   const char      *format,
                                                   ...) G_GNUC_PRINTF (3, 4);
/* Why a libssh2 call failed, in words, with the error's domain and code. */
char              *_lab_sftp_upload_reason        (LabSftpUpload   *self,
                                                   int              rc,
                                                   GQuark          *domain,
                                                   int             *code);
/* The state after a failure: close the file, remove a damaged .part, shut SFTP down. */
LabSftpUploadState _lab_sftp_upload_cleanup_state (LabSftpUpload   *self);
/* TRUE when @rc says to wait: the call is under way (EAGAIN), or the connection broke
 * (*fatal_rc; the session tears down and the upload hears it is lost). */
gboolean           _lab_sftp_upload_again         (LabSftpUpload   *self,
                                                   int              rc,
                                                   int             *fatal_rc);
/* Something moved: the stall watchdog starts again. */
void               _lab_sftp_upload_progress      (LabSftpUpload   *self);
/* STATE_DONE: nothing of the upload is left on the session; the caller gets its answer. */
void               _lab_sftp_upload_finish        (LabSftpUpload   *self);
/* The local file is open and sized: the session's dispatch drives the upload from now. */
void               _lab_sftp_upload_register      (LabSftpUpload   *self);
void               _lab_sftp_upload_notify        (LabSftpUpload   *self,
                                                   guint            prop_id);

/* The states (lab-sftp-upload-states.c) */
/* Opens the local file (STATE_LOCAL_OPEN), then registers the upload. */
void               _lab_sftp_upload_open_local    (LabSftpUpload   *self);
/* Runs the current state once. */
LabSftpUploadStep  _lab_sftp_upload_run_state     (LabSftpUpload   *self,
                                                   LIBSSH2_SESSION *raw,
                                                   int             *fatal_rc);
void               _lab_sftp_upload_set_target    (LabSftpUpload   *self,
                                                   const char      *target);

G_END_DECLS
