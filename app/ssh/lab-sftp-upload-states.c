/* lab-sftp-upload-states.c: what LabSftpUpload does in each state (one function per
 * state): the local file read with GIO, SFTP calls that are repeated until libssh2 stops
 * saying EAGAIN, and the commands on dom0 that hash and move the .part
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-sftp-upload-states"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-display-text.h"
#include "lab-sftp-upload-internal.h"
#include "lab-sftp-upload-private.h"

/* sha256sum of a 100 MB image on a slow disk, with room to spare. */
#define HASH_TIMEOUT_MS (10 * 60 * 1000)
#define MOVE_TIMEOUT_MS (60 * 1000)
#define REMOTE_PATH_MAX 4096

/* ------------------------------------------------------------------------------------------ */
/* Local reads and commands on dom0                                                           */

static void lab_sftp_upload_states_read_local_cb (GObject      *source,
                                                  GAsyncResult *result,
                                                  gpointer      user_data);

static void
lab_sftp_upload_states_read_local (LabSftpUpload *self,
                                   gsize          count)
{
  self->pending++;
  g_input_stream_read_async (G_INPUT_STREAM (self->stream), self->buffer, count,
                             G_PRIORITY_DEFAULT, self->cancellable,
                             lab_sftp_upload_states_read_local_cb, g_object_ref (self));
}

static void
lab_sftp_upload_states_exec (LabSftpUpload       *self,
                             const char * const  *argv,
                             guint                timeout_ms,
                             GAsyncReadyCallback  callback)
{
  self->pending++;
  self->commands++;
  lab_ssh_session_exec_async (self->session, argv, LAB_SSH_EXEC_NONE, NULL, timeout_ms,
                              self->cancellable, callback, g_object_ref (self));
}

/* The end of an async call: FALSE when the upload failed meanwhile (the result is of no
 * use then). */
static gboolean
lab_sftp_upload_states_returned (LabSftpUpload *self,
                                 gboolean       command)
{
  self->pending--;
  if (command)
    self->commands--;
  _lab_sftp_upload_progress (self);
  return self->error == NULL && self->state != STATE_DONE;
}

static void
lab_sftp_upload_states_continue (LabSftpUpload *self)
{
  if (self->registered)
    _lab_ssh_session_kick (self->session);
}

gboolean
_lab_sftp_upload_parse_sha256sum (const char *output,
                                  char        digest[65])
{
  const char *p = output;
  const char *newline;

  g_return_val_if_fail (output != NULL, FALSE);

  if (*p == '\\')
    p++;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (p[i]) && !(p[i] >= 'a' && p[i] <= 'f'))
      return FALSE;
  if (p[64] != ' ')
    return FALSE;
  newline = strchr (p, '\n');
  if (newline == NULL || newline[1] != '\0')
    return FALSE;
  memcpy (digest, p, 64);
  digest[64] = '\0';
  return TRUE;
}

/* Why a command on dom0 failed: what it said on stderr (bounded), or its exit status. */
static char *
lab_sftp_upload_states_command_failure (LabSshExecResult *exec)
{
  g_autofree char *said = lab_text_for_display_lines (lab_ssh_exec_result_get_stderr_text (exec),
                                                      LAB_DISPLAY_MESSAGE_MAX);

  g_strstrip (said);
  if (*said != '\0')
    return g_steal_pointer (&said);
  return g_strdup_printf (_("exit status %d"), lab_ssh_exec_result_get_exit_status (exec));
}

/* What sha256sum printed for @shown_path, or NULL and @error. */
static char *
lab_sftp_upload_states_command_digest (LabSftpUpload  *self,
                                       GAsyncResult   *result,
                                       const char     *shown_path,
                                       GError        **error)
{
  g_autoptr(LabSshExecResult) exec = NULL;
  char digest[65];

  exec = lab_ssh_session_exec_finish (self->session, result, error);
  if (exec == NULL)
    return NULL;
  if (lab_ssh_exec_result_get_exit_status (exec) != 0)
    {
      g_autofree char *why = lab_sftp_upload_states_command_failure (exec);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not compute the checksum of %s on %s: %s"), shown_path,
                   self->host, why);
      return NULL;
    }
  if (!_lab_sftp_upload_parse_sha256sum (lab_ssh_exec_result_get_stdout_text (exec), digest))
    {
      g_autofree char *what = lab_text_for_display (lab_ssh_exec_result_get_stdout_text (exec),
                                                    LAB_DISPLAY_LINE_MAX);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("sha256sum on %s printed “%s”, which is not a checksum."), self->host,
                   what);
      return NULL;
    }
  return g_strdup (digest);
}

/* ------------------------------------------------------------------------------------------ */
/* Resuming                                                                                   */

static void
lab_sftp_upload_states_prefix_compare (LabSftpUpload *self)
{
  g_autoptr(GError) error = NULL;

  if (self->pending > 0)
    return;
  if (g_strcmp0 (self->local_prefix, self->remote_prefix) == 0)
    {
      g_debug ("%s: resuming after %" G_GUINT64_FORMAT " bytes", self->part, self->part_size);
      self->resumed_from = self->part_size;
      self->truncate = FALSE;
      _lab_sftp_upload_notify (self, PROP_RESUMED_FROM);
    }
  else
    {
      g_debug ("%s: not the start of the local file; starting over", self->part);
      if (!g_seekable_seek (G_SEEKABLE (self->stream), 0, G_SEEK_SET, NULL, &error))
        {
          _lab_sftp_upload_fail (self, g_steal_pointer (&error));
          return;
        }
      g_checksum_reset (self->checksum);
      self->offset = 0;
      self->truncate = TRUE;
    }
  self->state = STATE_OPEN;
  lab_sftp_upload_states_continue (self);
}

/* The local side of the check: hashes the file's first part_size bytes. */
static void
lab_sftp_upload_states_prefix_read (LabSftpUpload *self)
{
  guint64 left = self->part_size - self->offset;
  g_autoptr(GChecksum) copy = NULL;

  if (left > 0)
    {
      lab_sftp_upload_states_read_local (self, MIN (LAB_SFTP_UPLOAD_CHUNK_SIZE, left));
      return;
    }
  copy = g_checksum_copy (self->checksum);
  self->local_prefix = g_strdup (g_checksum_get_string (copy));
  lab_sftp_upload_states_prefix_compare (self);
}

static void
lab_sftp_upload_states_prefix_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(LabSftpUpload) self = user_data;
  g_autoptr(GError) error = NULL;
  char *digest = lab_sftp_upload_states_command_digest (self, result, self->shown_part, &error);

  if (!lab_sftp_upload_states_returned (self, TRUE))
    {
      g_free (digest);
      return;
    }
  if (digest == NULL)
    {
      _lab_sftp_upload_fail (self, g_steal_pointer (&error));
      return;
    }
  self->remote_prefix = digest;
  lab_sftp_upload_states_prefix_compare (self);
}

static void
lab_sftp_upload_states_read_local_cb (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(LabSftpUpload) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (!lab_sftp_upload_states_returned (self, FALSE))
    return;
  if (n < 0)
    _lab_sftp_upload_fail (self, g_steal_pointer (&error));
  else if ((n == 0 && self->offset < self->total) || self->offset + (guint64) n > self->total)
    _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                              _("%s changed while it was being uploaded."),
                                              self->shown_local));
  else if (n == 0)
    {
      /* The end of the file is where it was when it was opened. */
      self->state = STATE_CLOSE;
      lab_sftp_upload_states_continue (self);
    }
  else
    {
      g_checksum_update (self->checksum, self->buffer, n);
      self->offset += (guint64) n;
      self->buffer_len = (gsize) n;
      self->buffer_acked = 0;
      if (self->state == STATE_PREFIX)
        lab_sftp_upload_states_prefix_read (self);
      else
        {
          self->state = STATE_WRITE;
          lab_sftp_upload_states_continue (self);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The states                                                                                 */

typedef LabSftpUploadStep (*LabSftpUploadStateFunc) (LabSftpUpload   *self,
                                                     LIBSSH2_SESSION *raw,
                                                     int             *fatal_rc);

/* Waiting for GIO, or over. */
static LabSftpUploadStep
lab_sftp_upload_states_idle (LabSftpUpload   *self,
                             LIBSSH2_SESSION *raw,
                             int             *fatal_rc)
{
  return LAB_SFTP_UPLOAD_WAIT;
}

static LabSftpUploadStep
lab_sftp_upload_states_sftp_init (LabSftpUpload   *self,
                                  LIBSSH2_SESSION *raw,
                                  int             *fatal_rc)
{
  int rc;

  /* libssh2 opens one channel at a time, and SFTP starts with one. (When the server refuses
   * the subsystem, libssh2 1.10 frees that channel in a loop that waits for the server's
   * answer: one round trip on a live link.) */
  if (!_lab_ssh_session_claim_open (self->session, self))
    return LAB_SFTP_UPLOAD_WAIT;
  self->sftp = libssh2_sftp_init (raw);
  rc = self->sftp != NULL ? 0 : libssh2_session_last_errno (raw);
  if (rc != LIBSSH2_ERROR_EAGAIN)
    _lab_ssh_session_release_open (self->session, self);
  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (self->sftp == NULL)
    {
      _lab_sftp_upload_fail_rc (self, rc, _("Could not start SFTP on %s"), self->host);
      return LAB_SFTP_UPLOAD_GO_ON;
    }
  self->state = self->target == NULL ? STATE_HOME : STATE_STAT_FOLDER;
  return LAB_SFTP_UPLOAD_GO_ON;
}

void
_lab_sftp_upload_set_target (LabSftpUpload *self,
                             const char    *target)
{
  self->target = g_strdup (target);
  self->part = g_strconcat (target, ".part", NULL);
  self->shown_target = lab_text_for_display (self->target, LAB_DISPLAY_LINE_MAX);
  self->shown_part = lab_text_for_display (self->part, LAB_DISPLAY_LINE_MAX);
}

/* "~/NAME": the home is where the SFTP server starts, "." resolved. */
static LabSftpUploadStep
lab_sftp_upload_states_home (LabSftpUpload   *self,
                             LIBSSH2_SESSION *raw,
                             int             *fatal_rc)
{
  g_autofree char *home = g_malloc (REMOTE_PATH_MAX);
  g_autofree char *target = NULL;
  int rc = libssh2_sftp_realpath (self->sftp, ".", home, REMOTE_PATH_MAX);

  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (rc < 0)
    {
      _lab_sftp_upload_fail_rc (self, rc, _("Could not find the home folder on %s"),
                                self->host);
      return LAB_SFTP_UPLOAD_GO_ON;
    }
  if (rc == 0 || home[0] != '/' || memchr (home, '\0', (gsize) rc) != NULL)
    {
      _lab_sftp_upload_fail (self, g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_PROTOCOL,
                                                _("The SFTP server on %s named no usable "
                                                  "home folder."), self->host));
      return LAB_SFTP_UPLOAD_GO_ON;
    }
  home[rc] = '\0';
  target = g_strconcat (home, g_str_has_suffix (home, "/") ? "" : "/", self->remote_path + 2,
                        NULL);
  _lab_sftp_upload_set_target (self, target);
  self->state = STATE_STAT_FOLDER;
  return LAB_SFTP_UPLOAD_GO_ON;
}

/* stat or lstat (@how) of @path on dom0, non-blocking: LIBSSH2_ERROR_EAGAIN means again. */
static int
lab_sftp_upload_states_stat (LabSftpUpload           *self,
                             const char              *path,
                             int                      how,
                             LIBSSH2_SFTP_ATTRIBUTES *attrs)
{
  return libssh2_sftp_stat_ex (self->sftp, path, (unsigned int) strlen (path), how, attrs);
}

/* The folder must be there: a clear error now rather than a failed open later. */
static LabSftpUploadStep
lab_sftp_upload_states_stat_folder (LabSftpUpload   *self,
                                    LIBSSH2_SESSION *raw,
                                    int             *fatal_rc)
{
  g_autofree char *folder = g_path_get_dirname (self->target);
  g_autofree char *shown = lab_text_for_display (folder, LAB_DISPLAY_LINE_MAX);
  LIBSSH2_SFTP_ATTRIBUTES attrs = { 0 };
  int rc = lab_sftp_upload_states_stat (self, folder, LIBSSH2_SFTP_STAT, &attrs);

  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (rc == LIBSSH2_ERROR_SFTP_PROTOCOL
      && libssh2_sftp_last_error (self->sftp) == LIBSSH2_FX_NO_SUCH_FILE)
    _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                              _("The folder %s does not exist on %s."), shown,
                                              self->host));
  else if (rc < 0)
    _lab_sftp_upload_fail_rc (self, rc, _("Could not look at %s on %s"), shown, self->host);
  else if ((attrs.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS)
           && !LIBSSH2_SFTP_S_ISDIR (attrs.permissions))
    _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                                              _("%s on %s is not a folder."), shown,
                                              self->host));
  else
    self->state = STATE_STAT_TARGET;
  return LAB_SFTP_UPLOAD_GO_ON;
}

static LabSftpUploadStep
lab_sftp_upload_states_stat_target (LabSftpUpload   *self,
                                    LIBSSH2_SESSION *raw,
                                    int             *fatal_rc)
{
  LIBSSH2_SFTP_ATTRIBUTES attrs = { 0 };
  int rc = lab_sftp_upload_states_stat (self, self->target, LIBSSH2_SFTP_LSTAT, &attrs);

  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (rc == LIBSSH2_ERROR_SFTP_PROTOCOL
      && libssh2_sftp_last_error (self->sftp) == LIBSSH2_FX_NO_SUCH_FILE)
    self->state = STATE_STAT_PART;
  else if (rc < 0)
    _lab_sftp_upload_fail_rc (self, rc, _("Could not look at %s on %s"), self->shown_target,
                              self->host);
  else if ((attrs.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS)
           && LIBSSH2_SFTP_S_ISDIR (attrs.permissions))
    _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                                              _("%s on %s is a folder; a file cannot take "
                                                "its place."), self->shown_target,
                                              self->host));
  else if (!(self->flags & LAB_SFTP_UPLOAD_OVERWRITE))
    _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                              _("%s already exists on %s."),
                                              self->shown_target, self->host));
  else
    self->state = STATE_STAT_PART;
  return LAB_SFTP_UPLOAD_GO_ON;
}

/* A .part no larger than the local file may hold its start: check before going on. */
static LabSftpUploadStep
lab_sftp_upload_states_stat_part (LabSftpUpload   *self,
                                  LIBSSH2_SESSION *raw,
                                  int             *fatal_rc)
{
  LIBSSH2_SFTP_ATTRIBUTES attrs = { 0 };
  int rc = lab_sftp_upload_states_stat (self, self->part, LIBSSH2_SFTP_LSTAT, &attrs);

  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  self->truncate = TRUE;
  self->state = STATE_OPEN;
  if (rc == LIBSSH2_ERROR_SFTP_PROTOCOL
      && libssh2_sftp_last_error (self->sftp) == LIBSSH2_FX_NO_SUCH_FILE)
    return LAB_SFTP_UPLOAD_GO_ON;
  if (rc < 0)
    _lab_sftp_upload_fail_rc (self, rc, _("Could not look at %s on %s"), self->shown_part,
                              self->host);
  else if (!(attrs.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS)
           || !LIBSSH2_SFTP_S_ISREG (attrs.permissions))
    _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                              _("%s on %s is in the way: it is not a regular "
                                                "file."), self->shown_part, self->host));
  else if ((attrs.flags & LIBSSH2_SFTP_ATTR_SIZE) && attrs.filesize > 0
           && attrs.filesize <= self->total)
    {
      self->part_size = attrs.filesize;
      self->state = STATE_PREFIX;
    }
  return LAB_SFTP_UPLOAD_GO_ON;
}

/* Hashes the .part on dom0 and the same number of local bytes, side by side. */
static LabSftpUploadStep
lab_sftp_upload_states_prefix (LabSftpUpload   *self,
                               LIBSSH2_SESSION *raw,
                               int             *fatal_rc)
{
  /* The size and the name are arguments of a fixed script, never part of it. */
  const char *argv[] = { "sh", "-c", "head -c \"$1\" -- \"$2\" | sha256sum", "sh", NULL,
                         NULL, NULL };
  g_autofree char *size = NULL;

  if (self->pending > 0)
    return LAB_SFTP_UPLOAD_WAIT;
  size = g_strdup_printf ("%" G_GUINT64_FORMAT, self->part_size);
  argv[4] = size;
  argv[5] = self->part;
  lab_sftp_upload_states_exec (self, argv, HASH_TIMEOUT_MS, lab_sftp_upload_states_prefix_cb);
  lab_sftp_upload_states_prefix_read (self);
  return LAB_SFTP_UPLOAD_WAIT;
}

static LabSftpUploadStep
lab_sftp_upload_states_open (LabSftpUpload   *self,
                             LIBSSH2_SESSION *raw,
                             int             *fatal_rc)
{
  unsigned long flags = LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT
                        | (self->truncate ? LIBSSH2_FXF_TRUNC : 0);
  int rc;

  self->handle = libssh2_sftp_open_ex (self->sftp, self->part, (unsigned int) strlen (self->part),
                                       flags, 0644, LIBSSH2_SFTP_OPENFILE);
  rc = self->handle != NULL ? 0 : libssh2_session_last_errno (raw);
  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (self->handle == NULL)
    {
      _lab_sftp_upload_fail_rc (self, rc, _("Could not open %s on %s for writing"),
                                self->shown_part, self->host);
      return LAB_SFTP_UPLOAD_GO_ON;
    }
  libssh2_sftp_seek64 (self->handle, self->resumed_from);
  self->state = STATE_SET_MODE;
  return LAB_SFTP_UPLOAD_GO_ON;
}

/* The mode given at open only applies to a new file, and through the server's umask. */
static LabSftpUploadStep
lab_sftp_upload_states_set_mode (LabSftpUpload   *self,
                                 LIBSSH2_SESSION *raw,
                                 int             *fatal_rc)
{
  LIBSSH2_SFTP_ATTRIBUTES attrs = { 0 };
  int rc;

  attrs.flags = LIBSSH2_SFTP_ATTR_PERMISSIONS;
  attrs.permissions = 0644;
  rc = libssh2_sftp_fsetstat (self->handle, &attrs);
  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (rc < 0)
    _lab_sftp_upload_fail_rc (self, rc, _("Could not set the permissions of %s on %s"),
                              self->shown_part, self->host);
  else
    self->state = STATE_READ;
  return LAB_SFTP_UPLOAD_GO_ON;
}

static LabSftpUploadStep
lab_sftp_upload_states_read (LabSftpUpload   *self,
                             LIBSSH2_SESSION *raw,
                             int             *fatal_rc)
{
  guint64 left = self->total - self->offset;

  if (self->pending > 0)
    return LAB_SFTP_UPLOAD_WAIT;
  /* At the end, one byte more must find the end of the file. */
  lab_sftp_upload_states_read_local (self, left > 0 ? MIN (LAB_SFTP_UPLOAD_CHUNK_SIZE, left) : 1);
  return LAB_SFTP_UPLOAD_WAIT;
}

/* Writes the chunk; libssh2 returns what the server acknowledged, which is the progress. */
static LabSftpUploadStep
lab_sftp_upload_states_write (LabSftpUpload   *self,
                              LIBSSH2_SESSION *raw,
                              int             *fatal_rc)
{
  while (self->buffer_acked < self->buffer_len)
    {
      ssize_t n;

      /* Once written, the chunk's requests are in flight until all are acknowledged. */
      self->in_op = TRUE;
      n = libssh2_sftp_write (self->handle, (const char *) self->buffer + self->buffer_acked,
                              self->buffer_len - self->buffer_acked);
      if (n == 0)
        return LAB_SFTP_UPLOAD_WAIT;   /* the channel's window is full */
      if (n < 0)
        {
          if (_lab_sftp_upload_again (self, (int) n, fatal_rc))
            return LAB_SFTP_UPLOAD_WAIT;
          _lab_sftp_upload_fail_rc (self, (int) n, _("Could not write to %s on %s"),
                                    self->shown_part, self->host);
          return LAB_SFTP_UPLOAD_GO_ON;
        }
      _lab_sftp_upload_progress (self);
      self->buffer_acked += (gsize) n;
      self->bytes_sent += (guint64) n;
      self->in_op = self->buffer_acked < self->buffer_len;
      _lab_sftp_upload_notify (self, PROP_BYTES_SENT);
    }
  self->state = STATE_READ;
  return LAB_SFTP_UPLOAD_GO_ON;
}

static LabSftpUploadStep
lab_sftp_upload_states_close (LabSftpUpload   *self,
                              LIBSSH2_SESSION *raw,
                              int             *fatal_rc)
{
  int rc = libssh2_sftp_close_handle (self->handle);

  /* Whatever the answer but EAGAIN, libssh2 freed the handle. */
  if (rc != LIBSSH2_ERROR_EAGAIN)
    self->handle = NULL;
  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (rc < 0)
    _lab_sftp_upload_fail_rc (self, rc, _("Could not close %s on %s"), self->shown_part,
                              self->host);
  if (self->error != NULL)
    self->state = _lab_sftp_upload_cleanup_state (self);
  else
    self->state = STATE_VERIFY;
  return LAB_SFTP_UPLOAD_GO_ON;
}

static void
lab_sftp_upload_states_verify_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(LabSftpUpload) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = lab_sftp_upload_states_command_digest (self, result, self->shown_part,
                                                                   &error);

  if (!lab_sftp_upload_states_returned (self, TRUE))
    return;
  if (digest == NULL)
    _lab_sftp_upload_fail (self, g_steal_pointer (&error));
  else if (!g_str_equal (digest, g_checksum_get_string (self->checksum)))
    {
      self->remove_part = TRUE;
      _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                                _("%s arrived damaged on %s: its checksum "
                                                  "there differs from the local file’s. The "
                                                  "partial file is removed."),
                                                self->shown_local, self->host));
    }
  else
    {
      self->state = self->flags & LAB_SFTP_UPLOAD_OVERWRITE ? STATE_REPLACE : STATE_RENAME;
      lab_sftp_upload_states_continue (self);
    }
}

static LabSftpUploadStep
lab_sftp_upload_states_verify (LabSftpUpload   *self,
                               LIBSSH2_SESSION *raw,
                               int             *fatal_rc)
{
  const char *argv[] = { "sha256sum", "--", self->part, NULL };

  if (self->pending > 0)
    return LAB_SFTP_UPLOAD_WAIT;
  lab_sftp_upload_states_exec (self, argv, HASH_TIMEOUT_MS, lab_sftp_upload_states_verify_cb);
  return LAB_SFTP_UPLOAD_WAIT;
}

/* SFTP's rename never replaces a file (OpenSSH links the new name, which fails when it
 * exists): right when the target must stay. */
static LabSftpUploadStep
lab_sftp_upload_states_rename (LabSftpUpload   *self,
                               LIBSSH2_SESSION *raw,
                               int             *fatal_rc)
{
  int rc = libssh2_sftp_rename_ex (self->sftp, self->part, (unsigned int) strlen (self->part),
                                   self->target, (unsigned int) strlen (self->target),
                                   LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE);
  GQuark domain;
  int code;
  g_autofree char *reason = NULL;

  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (rc == 0)
    {
      self->state = STATE_SHUTDOWN;
      return LAB_SFTP_UPLOAD_GO_ON;
    }
  reason = _lab_sftp_upload_reason (self, rc, &domain, &code);
  self->rename_error = g_error_new (domain, code, _("Could not rename %s to %s on %s: %s"),
                                    self->shown_part, self->shown_target, self->host, reason);
  self->state = STATE_RENAME_REFUSED;
  return LAB_SFTP_UPLOAD_GO_ON;
}

/* A refused rename: the usual reason is a target that appeared during the upload. */
static LabSftpUploadStep
lab_sftp_upload_states_rename_refused (LabSftpUpload   *self,
                                       LIBSSH2_SESSION *raw,
                                       int             *fatal_rc)
{
  LIBSSH2_SFTP_ATTRIBUTES attrs = { 0 };
  int rc = lab_sftp_upload_states_stat (self, self->target, LIBSSH2_SFTP_LSTAT, &attrs);

  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  if (rc == 0)
    _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                              _("%s appeared on %s during the upload and is "
                                                "left alone; the upload is kept as %s."),
                                              self->shown_target, self->host,
                                              self->shown_part));
  else
    _lab_sftp_upload_fail (self, g_steal_pointer (&self->rename_error));
  return LAB_SFTP_UPLOAD_GO_ON;
}

static void
lab_sftp_upload_states_replace_cb (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(LabSftpUpload) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabSshExecResult) exec = lab_ssh_session_exec_finish (LAB_SSH_SESSION (source),
                                                                  result, &error);

  if (!lab_sftp_upload_states_returned (self, TRUE))
    return;
  if (exec == NULL)
    _lab_sftp_upload_fail (self, g_steal_pointer (&error));
  else if (lab_ssh_exec_result_get_exit_status (exec) != 0)
    {
      g_autofree char *why = lab_sftp_upload_states_command_failure (exec);

      _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                _("Could not replace %s on %s: %s"),
                                                self->shown_target, self->host, why));
    }
  else
    {
      self->state = STATE_SHUTDOWN;
      lab_sftp_upload_states_continue (self);
    }
}

/* Replacing needs rename(2), which SFTP version 3 (OpenSSH's) cannot ask for: mv does it,
 * atomically too. -T: a target that became a folder is not moved into. */
static LabSftpUploadStep
lab_sftp_upload_states_replace (LabSftpUpload   *self,
                                LIBSSH2_SESSION *raw,
                                int             *fatal_rc)
{
  const char *argv[] = { "mv", "-f", "-T", "--", self->part, self->target, NULL };

  if (self->pending > 0)
    return LAB_SFTP_UPLOAD_WAIT;
  lab_sftp_upload_states_exec (self, argv, MOVE_TIMEOUT_MS, lab_sftp_upload_states_replace_cb);
  return LAB_SFTP_UPLOAD_WAIT;
}

static LabSftpUploadStep
lab_sftp_upload_states_unlink (LabSftpUpload   *self,
                               LIBSSH2_SESSION *raw,
                               int             *fatal_rc)
{
  int rc = libssh2_sftp_unlink_ex (self->sftp, self->part, (unsigned int) strlen (self->part));

  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  /* The answer says what went wrong already; a .part left behind is not trusted later. */
  if (rc < 0)
    g_debug ("%s: could not remove it (%d)", self->part, rc);
  self->state = STATE_SHUTDOWN;
  return LAB_SFTP_UPLOAD_GO_ON;
}

static LabSftpUploadStep
lab_sftp_upload_states_shutdown (LabSftpUpload   *self,
                                 LIBSSH2_SESSION *raw,
                                 int             *fatal_rc)
{
  int rc = libssh2_sftp_shutdown (self->sftp);

  if (rc != LIBSSH2_ERROR_EAGAIN)
    self->sftp = NULL;
  /* A broken connection: lab_sftp_upload_lost_cb finishes. */
  if (_lab_sftp_upload_again (self, rc, fatal_rc))
    return LAB_SFTP_UPLOAD_WAIT;
  _lab_sftp_upload_finish (self);
  return LAB_SFTP_UPLOAD_WAIT;
}

static const LabSftpUploadStateFunc state_funcs[] = {
  [STATE_NEW] = lab_sftp_upload_states_idle,
  [STATE_LOCAL_OPEN] = lab_sftp_upload_states_idle,
  [STATE_SFTP_INIT] = lab_sftp_upload_states_sftp_init,
  [STATE_HOME] = lab_sftp_upload_states_home,
  [STATE_STAT_FOLDER] = lab_sftp_upload_states_stat_folder,
  [STATE_STAT_TARGET] = lab_sftp_upload_states_stat_target,
  [STATE_STAT_PART] = lab_sftp_upload_states_stat_part,
  [STATE_PREFIX] = lab_sftp_upload_states_prefix,
  [STATE_OPEN] = lab_sftp_upload_states_open,
  [STATE_SET_MODE] = lab_sftp_upload_states_set_mode,
  [STATE_READ] = lab_sftp_upload_states_read,
  [STATE_WRITE] = lab_sftp_upload_states_write,
  [STATE_CLOSE] = lab_sftp_upload_states_close,
  [STATE_VERIFY] = lab_sftp_upload_states_verify,
  [STATE_RENAME] = lab_sftp_upload_states_rename,
  [STATE_RENAME_REFUSED] = lab_sftp_upload_states_rename_refused,
  [STATE_REPLACE] = lab_sftp_upload_states_replace,
  [STATE_UNLINK] = lab_sftp_upload_states_unlink,
  [STATE_SHUTDOWN] = lab_sftp_upload_states_shutdown,
  [STATE_DONE] = lab_sftp_upload_states_idle,
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_funcs) == STATE_DONE + 1);

LabSftpUploadStep
_lab_sftp_upload_run_state (LabSftpUpload   *self,
                            LIBSSH2_SESSION *raw,
                            int             *fatal_rc)
{
  return state_funcs[self->state] (self, raw, fatal_rc);
}


/* ------------------------------------------------------------------------------------------ */
/* Starting                                                                                   */

static void
lab_sftp_upload_states_info_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(LabSftpUpload) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_input_stream_query_info_finish (G_FILE_INPUT_STREAM (source),
                                                                     result, &error);

  if (!lab_sftp_upload_states_returned (self, FALSE))
    return;
  if (info == NULL)
    _lab_sftp_upload_fail (self, g_steal_pointer (&error));
  else if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    _lab_sftp_upload_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                                              _("%s is not a regular file."),
                                              self->shown_local));
  else if (!_lab_ssh_session_is_connected (self->session))
    _lab_sftp_upload_fail (self, g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED,
                                              _("Not connected to %s."), self->host));
  else
    {
      self->total = (guint64) g_file_info_get_size (info);
      _lab_sftp_upload_notify (self, PROP_TOTAL);
      self->state = STATE_SFTP_INIT;
      _lab_sftp_upload_register (self);
    }
}

static void
lab_sftp_upload_states_opened_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(LabSftpUpload) self = user_data;
  g_autoptr(GError) error = NULL;

  self->stream = g_file_read_finish (G_FILE (source), result, &error);
  if (!lab_sftp_upload_states_returned (self, FALSE))
    return;
  if (self->stream == NULL)
    {
      _lab_sftp_upload_fail (self, g_steal_pointer (&error));
      return;
    }
  self->pending++;
  g_file_input_stream_query_info_async (self->stream, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE, G_PRIORITY_DEFAULT,
                                        self->cancellable, lab_sftp_upload_states_info_cb,
                                        g_object_ref (self));
}

void
_lab_sftp_upload_open_local (LabSftpUpload *self)
{
  self->pending++;
  g_file_read_async (self->local, G_PRIORITY_DEFAULT, self->cancellable,
                     lab_sftp_upload_states_opened_cb, g_object_ref (self));
}
