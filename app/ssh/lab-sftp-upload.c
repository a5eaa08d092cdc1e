/* lab-sftp-upload.c: copying a local file to dom0 over SFTP on a LabSshSession: into
 * NAME.part, resumed where what is there matches, checked with SHA-256 on both sides, then
 * renamed onto NAME. The object, its answer, its place among the session's clients; what
 * each state does is in lab-sftp-upload-states.c
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lab-sftp-upload"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lab-display-text.h"
#include "lab-sftp-upload-internal.h"
#include "lab-sftp-upload-private.h"

#include "lab-sftp-upload.h"

#define DEFAULT_STALL_TIMEOUT_S 60
/* A cancelled upload closes its file on dom0 first; a server that does not answer that in
 * time is not waited for (the closing goes on behind). */
#define CANCEL_GRACE_MS 5000

G_DEFINE_FLAGS_TYPE (LabSftpUploadFlags, lab_sftp_upload_flags,
  G_DEFINE_ENUM_VALUE (LAB_SFTP_UPLOAD_NONE, "none"),
  G_DEFINE_ENUM_VALUE (LAB_SFTP_UPLOAD_OVERWRITE, "overwrite"))

G_DEFINE_FINAL_TYPE (LabSftpUpload, lab_sftp_upload, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* Failing and answering                                                                      */

static gboolean
lab_sftp_upload_is_cleanup (LabSftpUploadState state)
{
  return state == STATE_CLOSE || state == STATE_UNLINK || state == STATE_SHUTDOWN
         || state == STATE_DONE;
}

/* Where an upload that failed goes: what it holds on dom0 is closed, a damaged .part
 * removed, and SFTP shut down. */
LabSftpUploadState
_lab_sftp_upload_cleanup_state (LabSftpUpload *self)
{
  if (self->handle != NULL)
    return STATE_CLOSE;
  if (self->sftp != NULL)
    return self->remove_part ? STATE_UNLINK : STATE_SHUTDOWN;
  return STATE_DONE;
}

/* Moves to the cleanup once no libssh2 call is under way (one that said EAGAIN must be
 * called again until it is done): at once, or at the end of that call. */
static void
lab_sftp_upload_cleanup_if_idle (LabSftpUpload *self)
{
  if (self->in_op || lab_sftp_upload_is_cleanup (self->state) || self->error == NULL)
    return;
  self->state = _lab_sftp_upload_cleanup_state (self);
  if (self->state == STATE_DONE)
    _lab_sftp_upload_finish (self);
  else if (self->registered)
    _lab_ssh_session_kick (self->session);
}

/* Takes @error; the first one is the answer. */
void
_lab_sftp_upload_fail (LabSftpUpload *self,
                       GError        *error)
{
  if (self->error == NULL)
    {
      g_debug ("%s: %s", self->remote_path, error->message);
      self->error = error;
    }
  else
    g_error_free (error);
  lab_sftp_upload_cleanup_if_idle (self);
}

typedef struct
{
  GTask  *task;
  GError *error;
} LabSftpUploadAnswer;

static gboolean
lab_sftp_upload_answer_idle (gpointer user_data)
{
  LabSftpUploadAnswer *answer = user_data;

  if (answer->error != NULL)
    g_task_return_error (answer->task, answer->error);
  else
    g_task_return_boolean (answer->task, TRUE);
  g_object_unref (answer->task);
  g_free (answer);
  return G_SOURCE_REMOVE;
}

/* The caller gets its answer (once), from an idle: never from inside libssh2's dispatch or
 * the session's teardown. */
static void
lab_sftp_upload_answer (LabSftpUpload *self)
{
  LabSftpUploadAnswer *answer;

  if (self->task == NULL)
    return;
  if (self->cancel_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancel_id);
  self->cancel_id = 0;
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);

  answer = g_new0 (LabSftpUploadAnswer, 1);
  answer->task = g_steal_pointer (&self->task);
  answer->error = self->error != NULL ? g_error_copy (self->error) : NULL;
  g_idle_add_full (G_PRIORITY_DEFAULT, lab_sftp_upload_answer_idle, answer, NULL);
}

/* STATE_DONE: nothing of the upload is left on the session. */
void
_lab_sftp_upload_finish (LabSftpUpload *self)
{
  g_autoptr(LabSftpUpload) hold = g_object_ref (self);

  self->state = STATE_DONE;
  if (self->error == NULL)
    self->sha256 = g_strdup (g_checksum_get_string (self->checksum));
  if (self->registered)
    {
      self->registered = FALSE;
      _lab_ssh_session_remove_client (self->session, G_OBJECT (self));
    }
  lab_sftp_upload_answer (self);
}

void
_lab_sftp_upload_progress (LabSftpUpload *self)
{
  self->progressed = TRUE;
  self->last_progress = g_get_monotonic_time ();
}

/* TRUE when @rc says to wait: the call is under way (EAGAIN), or the connection broke (the
 * session tears down and calls lab_sftp_upload_lost_cb). */
gboolean
_lab_sftp_upload_again (LabSftpUpload *self,
                        int            rc,
                        int           *fatal_rc)
{
  if (rc == LIBSSH2_ERROR_EAGAIN)
    {
      self->in_op = TRUE;
      return TRUE;
    }
  self->in_op = FALSE;
  _lab_sftp_upload_progress (self);
  if (_lab_ssh_rc_is_fatal (rc))
    {
      *fatal_rc = rc;
      return TRUE;
    }
  return FALSE;
}

/* Why a libssh2 call failed, in words, and the error code that goes with it. The status of
 * an SFTP reply is mapped to our own words; libssh2's texts are bounded like everything
 * else that comes from outside. */
char *
_lab_sftp_upload_reason (LabSftpUpload *self,
                         int            rc,
                         GQuark        *domain,
                         int           *code)
{
  unsigned long status = rc == LIBSSH2_ERROR_SFTP_PROTOCOL && self->sftp != NULL
                         ? libssh2_sftp_last_error (self->sftp) : LIBSSH2_FX_OK;
  LIBSSH2_SESSION *raw = _lab_ssh_session_get_raw (self->session);
  char *text = NULL;
  g_autofree char *shown = NULL;

  *domain = G_IO_ERROR;
  switch (status)
    {
    case LIBSSH2_FX_NO_SUCH_FILE:
    case LIBSSH2_FX_NO_SUCH_PATH:
      *code = G_IO_ERROR_NOT_FOUND;
      return g_strdup (_("no such file or folder"));
    case LIBSSH2_FX_PERMISSION_DENIED:
    case LIBSSH2_FX_WRITE_PROTECT:
      *code = G_IO_ERROR_PERMISSION_DENIED;
      return g_strdup (_("permission denied"));
    case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM:
    case LIBSSH2_FX_QUOTA_EXCEEDED:
      *code = G_IO_ERROR_NO_SPACE;
      return g_strdup (_("no space left on the disk"));
    case LIBSSH2_FX_FILE_ALREADY_EXISTS:
      *code = G_IO_ERROR_EXISTS;
      return g_strdup (_("it already exists"));
    case LIBSSH2_FX_OK:
      break;
    default:
      *code = G_IO_ERROR_FAILED;
      return g_strdup_printf (_("the server refused (SFTP status %lu)"), status);
    }

  *domain = LAB_SSH_ERROR;
  *code = LAB_SSH_ERROR_CHANNEL;
  if (raw != NULL)
    libssh2_session_last_error (raw, &text, NULL, 0);
  shown = lab_text_for_display (text != NULL && *text != '\0' ? text : _("unknown error"),
                                LAB_DISPLAY_LINE_MAX);
  return g_strdup_printf ("%s (%d)", shown, rc);
}

/* Fails with "WHAT: why @rc", WHAT made from @format. */
void
_lab_sftp_upload_fail_rc (LabSftpUpload *self,
                          int            rc,
                          const char    *format,
                          ...)
{
  g_autofree char *what = NULL;
  g_autofree char *reason = NULL;
  GQuark domain;
  int code;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  reason = _lab_sftp_upload_reason (self, rc, &domain, &code);
  _lab_sftp_upload_fail (self, g_error_new (domain, code, "%s: %s", what, reason));
}

static gboolean
lab_sftp_upload_watchdog_cb (gpointer user_data)
{
  LabSftpUpload *self = user_data;
  gint64 now = g_get_monotonic_time ();

  /* Commands on dom0 have timeouts of their own. */
  if (self->commands > 0)
    self->last_progress = now;
  if (now - self->last_progress < (gint64) self->stall_timeout * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  self->watchdog_id = 0;
  _lab_sftp_upload_fail (self, g_error_new (LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT,
                                            _("The upload to %s made no progress for %u "
                                              "seconds."),
                                            self->host, self->stall_timeout));
  /* What is under way on dom0 is left to finish, or to the session's end. */
  lab_sftp_upload_answer (self);
  return G_SOURCE_REMOVE;
}

static gboolean
lab_sftp_upload_grace_cb (gpointer user_data)
{
  LabSftpUpload *self = user_data;
  GError *error = NULL;

  self->grace_id = 0;
  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    _lab_sftp_upload_fail (self, error);
  lab_sftp_upload_answer (self);
  return G_SOURCE_REMOVE;
}

static void
lab_sftp_upload_cancelled_cb (GCancellable *cancellable,
                              gpointer      user_data)
{
  LabSftpUpload *self = user_data;

  /* Local reads and commands see the cancellable themselves; libssh2 calls are stopped
   * between two of them (see lab_sftp_upload_step_cb). */
  if (self->grace_id == 0)
    self->grace_id = g_timeout_add (CANCEL_GRACE_MS, lab_sftp_upload_grace_cb, self);
  if (self->registered)
    _lab_ssh_session_kick (self->session);
}

/* The session's dispatch: runs states until one must wait. A cancel or a failure takes
 * effect between libssh2 calls, never inside one. */
static gboolean
lab_sftp_upload_step_cb (GObject *client,
                         int     *fatal_rc)
{
  LabSftpUpload *self = LAB_SFTP_UPLOAD (client);
  g_autoptr(LabSftpUpload) hold = g_object_ref (self);
  LIBSSH2_SESSION *raw = _lab_ssh_session_get_raw (self->session);

  self->progressed = FALSE;
  while (raw != NULL && *fatal_rc == 0 && self->registered)
    {
      GError *error = NULL;

      if (!self->in_op && self->error == NULL && !lab_sftp_upload_is_cleanup (self->state)
          && g_cancellable_set_error_if_cancelled (self->cancellable, &error))
        _lab_sftp_upload_fail (self, error);
      lab_sftp_upload_cleanup_if_idle (self);
      if (_lab_sftp_upload_run_state (self, raw, fatal_rc) == LAB_SFTP_UPLOAD_WAIT)
        break;
    }
  return self->progressed;
}

/* The connection is gone: the socket is shut down, so closing the file and SFTP fails at
 * once without waiting, and frees what libssh2 holds for them (libssh2 1.10 frees the SFTP
 * session with its channel only when the channel's close runs, which a server's
 * DISCONNECT message skips). */
static void
lab_sftp_upload_lost_cb (GObject      *client,
                         const GError *error)
{
  LabSftpUpload *self = LAB_SFTP_UPLOAD (client);
  g_autoptr(LabSftpUpload) hold = g_object_ref (self);

  self->registered = FALSE;
  if (self->handle != NULL && libssh2_sftp_close_handle (self->handle) == LIBSSH2_ERROR_EAGAIN)
    g_debug ("%s: the SFTP handle could not be freed", self->remote_path);
  self->handle = NULL;
  if (self->sftp != NULL && libssh2_sftp_shutdown (self->sftp) == LIBSSH2_ERROR_EAGAIN)
    g_debug ("%s: SFTP could not be shut down", self->remote_path);
  self->sftp = NULL;
  self->in_op = FALSE;
  if (self->error == NULL)
    self->error = g_error_copy (error);
  _lab_sftp_upload_finish (self);
}

void
_lab_sftp_upload_register (LabSftpUpload *self)
{
  self->registered = TRUE;
  _lab_ssh_session_add_client (self->session, G_OBJECT (self), lab_sftp_upload_step_cb,
                               lab_sftp_upload_lost_cb);
}

void
_lab_sftp_upload_notify (LabSftpUpload *self,
                         guint          prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* ------------------------------------------------------------------------------------------ */
/* Starting                                                                                   */

/* An absolute path or "~/…", naming a file (not ending in "/", ".", ".."). */
static gboolean
lab_sftp_upload_check_path (LabSftpUpload  *self,
                            GError        **error)
{
  const char *path = self->remote_path;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *shown = lab_text_for_display (path, LAB_DISPLAY_LINE_MAX);

  if ((path[0] == '/' || g_str_has_prefix (path, "~/")) && !g_str_has_suffix (path, "/")
      && !g_str_equal (path, "~/") && !g_str_equal (base, ".") && !g_str_equal (base, ".."))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("The remote path %s does not name a file: it must be absolute or start "
                 "with ~/."), shown);
  return FALSE;
}

void
lab_sftp_upload_run_async (LabSftpUpload       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GError *error = NULL;

  g_return_if_fail (LAB_IS_SFTP_UPLOAD (self));
  g_return_if_fail (self->state == STATE_NEW);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, lab_sftp_upload_run_async);
  /* A cancel that comes after the rename does not undo it: the answer says what happened. */
  g_task_set_check_cancellable (self->task, FALSE);
  self->state = STATE_LOCAL_OPEN;
  self->host = g_strdup (lab_ssh_session_get_hostname (self->session) != NULL
                         ? lab_ssh_session_get_hostname (self->session)
                         : lab_ssh_session_get_host (self->session));
  self->last_progress = g_get_monotonic_time ();
  if (!lab_sftp_upload_check_path (self, &error))
    {
      _lab_sftp_upload_fail (self, error);
      return;
    }
  if (self->remote_path[0] == '/')
    _lab_sftp_upload_set_target (self, self->remote_path);
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancel_id = g_cancellable_connect (cancellable,
                                               G_CALLBACK (lab_sftp_upload_cancelled_cb),
                                               self, NULL);
    }
  self->watchdog_id = g_timeout_add_seconds (1, lab_sftp_upload_watchdog_cb, self);
  _lab_sftp_upload_open_local (self);
}

gboolean
lab_sftp_upload_run_finish (LabSftpUpload  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lab_sftp_upload_run_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

LabSftpUpload *
lab_sftp_upload_new (LabSshSession      *session,
                     GFile              *local,
                     const char         *remote_path,
                     LabSftpUploadFlags  flags)
{
  g_return_val_if_fail (LAB_IS_SSH_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_FILE (local), NULL);
  g_return_val_if_fail (remote_path != NULL, NULL);

  return g_object_new (LAB_TYPE_SFTP_UPLOAD, "session", session, "local", local,
                       "remote-path", remote_path, "flags", flags, NULL);
}

guint64
lab_sftp_upload_get_total (LabSftpUpload *self)
{
  g_return_val_if_fail (LAB_IS_SFTP_UPLOAD (self), 0);
  return self->total;
}

guint64
lab_sftp_upload_get_resumed_from (LabSftpUpload *self)
{
  g_return_val_if_fail (LAB_IS_SFTP_UPLOAD (self), 0);
  return self->resumed_from;
}

guint64
lab_sftp_upload_get_bytes_sent (LabSftpUpload *self)
{
  g_return_val_if_fail (LAB_IS_SFTP_UPLOAD (self), 0);
  return self->bytes_sent;
}

const char *
lab_sftp_upload_get_target (LabSftpUpload *self)
{
  g_return_val_if_fail (LAB_IS_SFTP_UPLOAD (self), NULL);
  return self->target;
}

const char *
lab_sftp_upload_get_sha256 (LabSftpUpload *self)
{
  g_return_val_if_fail (LAB_IS_SFTP_UPLOAD (self), NULL);
  return self->sha256;
}

void
_lab_sftp_upload_set_stall_timeout (LabSftpUpload *self,
                                    guint          seconds)
{
  g_return_if_fail (LAB_IS_SFTP_UPLOAD (self));
  g_return_if_fail (seconds > 0);
  self->stall_timeout = seconds;
}

static void
lab_sftp_upload_constructed (GObject *object)
{
  LabSftpUpload *self = LAB_SFTP_UPLOAD (object);
  g_autofree char *name = g_file_get_parse_name (self->local);

  G_OBJECT_CLASS (lab_sftp_upload_parent_class)->constructed (object);
  self->shown_local = lab_text_for_display (name, LAB_DISPLAY_LINE_MAX);
}

static void
lab_sftp_upload_dispose (GObject *object)
{
  LabSftpUpload *self = LAB_SFTP_UPLOAD (object);

  /* Running uploads are held by the session and their callbacks: only a finished one (or
   * one never run) gets here. */
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (lab_sftp_upload_parent_class)->dispose (object);
}

static void
lab_sftp_upload_finalize (GObject *object)
{
  LabSftpUpload *self = LAB_SFTP_UPLOAD (object);

  g_clear_object (&self->session);
  g_clear_object (&self->local);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_error (&self->rename_error);
  g_checksum_free (self->checksum);
  g_free (self->buffer);
  g_free (self->remote_path);
  g_free (self->target);
  g_free (self->part);
  g_free (self->host);
  g_free (self->shown_local);
  g_free (self->shown_target);
  g_free (self->shown_part);
  g_free (self->local_prefix);
  g_free (self->remote_prefix);
  g_free (self->sha256);

  G_OBJECT_CLASS (lab_sftp_upload_parent_class)->finalize (object);
}

static void
lab_sftp_upload_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LabSftpUpload *self = LAB_SFTP_UPLOAD (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_LOCAL: g_value_set_object (value, self->local); break;
    case PROP_REMOTE_PATH: g_value_set_string (value, self->remote_path); break;
    case PROP_FLAGS: g_value_set_flags (value, self->flags); break;
    case PROP_TOTAL: g_value_set_uint64 (value, self->total); break;
    case PROP_RESUMED_FROM: g_value_set_uint64 (value, self->resumed_from); break;
    case PROP_BYTES_SENT: g_value_set_uint64 (value, self->bytes_sent); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_sftp_upload_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LabSftpUpload *self = LAB_SFTP_UPLOAD (object);

  switch (prop_id)
    {
    case PROP_SESSION: self->session = g_value_dup_object (value); break;
    case PROP_LOCAL: self->local = g_value_dup_object (value); break;
    case PROP_REMOTE_PATH: self->remote_path = g_value_dup_string (value); break;
    case PROP_FLAGS: self->flags = g_value_get_flags (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_sftp_upload_class_init (LabSftpUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lab_sftp_upload_constructed;
  object_class->dispose = lab_sftp_upload_dispose;
  object_class->finalize = lab_sftp_upload_finalize;
  object_class->get_property = lab_sftp_upload_get_property;
  object_class->set_property = lab_sftp_upload_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, LAB_TYPE_SSH_SESSION,
                                                  co);
  properties[PROP_LOCAL] = g_param_spec_object ("local", NULL, NULL, G_TYPE_FILE, co);
  properties[PROP_REMOTE_PATH] = g_param_spec_string ("remote-path", NULL, NULL, "", co);
  properties[PROP_FLAGS] = g_param_spec_flags ("flags", NULL, NULL, LAB_TYPE_SFTP_UPLOAD_FLAGS,
                                               LAB_SFTP_UPLOAD_NONE, co);
  properties[PROP_TOTAL] = g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_RESUMED_FROM] = g_param_spec_uint64 ("resumed-from", NULL, NULL, 0,
                                                       G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_SENT] = g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64,
                                                     0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_sftp_upload_init (LabSftpUpload *self)
{
  lab_ssh_library_init ();

  self->stall_timeout = DEFAULT_STALL_TIMEOUT_S;
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->buffer = g_malloc (LAB_SFTP_UPLOAD_CHUNK_SIZE);
}
