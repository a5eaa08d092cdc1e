/* test-ssh-sftp.c — LabSftpUpload against the lab's real sshd and its sftp subsystem
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An upload with its progress, checksum and mode; cancelled then resumed; a damaged .part
 * started over; an existing target kept or replaced by a rename; a hostile file name; a
 * missing folder; the connection closed, sshd gone, the sftp server frozen. Runs against the
 * fast lab, or the real-Xen lab with MIRAGE_LAB_KIND=xen.
 */

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/lab-sftp-upload-private.h"
#include "ssh-test-util.h"

#define MIB (1024 * 1024)
/* 20 MB through QEMU's emulated network of the real-Xen lab, with room to spare. */
#define UPLOAD_TIMEOUT_MS (5 * 60 * 1000)

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                  */

typedef struct
{
  LabFixture    *lab;
  LabSshSession *session;
  char          *dir;       /* a fresh folder in the lab user's home */
} SftpTest;

static LabSshSession *
sftp_test_connect (LabFixture *lab)
{
  g_autoptr(GError) error = NULL;
  LabSshSession *session = ssh_test_session (lab, NULL);

  g_object_set (session, "keepalive-interval", 3u, "auto-reconnect", FALSE, NULL);
  g_assert_true (ssh_test_connect (session, &error));
  g_assert_no_error (error);
  return session;
}

/* Runs the fixed @script with @arg1 and @arg2 (either may be NULL) as $1 and $2 on dom0;
 * asserts it succeeded and returns its stdout without the last newline. */
static char *
remote_sh (LabSshSession *session,
           const char    *script,
           const char    *arg1,
           const char    *arg2)
{
  const char *argv[] = { "sh", "-c", script, "sh", arg1, arg2, NULL };
  char *out = ssh_test_run_ok (session, argv, LAB_SSH_EXEC_NONE);

  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';
  return out;
}

static void
sftp_test_begin (SftpTest       *test,
                 LabTestFixture *fixture)
{
  test->lab = fixture->lab;
  test->session = sftp_test_connect (fixture->lab);
  test->dir = remote_sh (test->session, "mktemp -d \"$HOME/sftp-test.XXXXXX\"", NULL, NULL);
  g_assert_true (g_str_has_prefix (test->dir, "/"));
}

static void
sftp_test_end (SftpTest *test)
{
  g_autoptr(LabSshSession) session = sftp_test_connect (test->lab);

  g_free (remote_sh (session, "rm -rf -- \"$1\"", test->dir, NULL));
  lab_ssh_session_close (session);
  if (test->session != NULL)
    lab_ssh_session_close (test->session);
  g_clear_object (&test->session);
  g_clear_pointer (&test->dir, g_free);
}

/* The closed session of a test that broke it, replaced by a new one. */
static void
sftp_test_reconnect (SftpTest *test)
{
  lab_ssh_session_close (test->session);
  g_clear_object (&test->session);
  test->session = sftp_test_connect (test->lab);
}

static char *
sftp_test_path (SftpTest   *test,
                const char *name)
{
  return g_strconcat (test->dir, "/", name, NULL);
}

static gboolean
remote_exists (SftpTest   *test,
               const char *path)
{
  g_autofree char *out = remote_sh (test->session,
                                    "if [ -e \"$1\" ]; then echo yes; else echo no; fi",
                                    path, NULL);

  return g_str_equal (out, "yes");
}

static char *
remote_sha256 (SftpTest   *test,
               const char *path)
{
  return remote_sh (test->session, "sha256sum < \"$1\" | cut -c1-64", path, NULL);
}

static guint64
remote_size (SftpTest   *test,
             const char *path)
{
  g_autofree char *out = remote_sh (test->session, "stat -c %s -- \"$1\"", path, NULL);

  return g_ascii_strtoull (out, NULL, 10);
}

/* A file of @size pseudo-random bytes (from the test's seed) in the private HOME. */
static GFile *
make_local_file (const char  *name,
                 gsize        size,
                 char       **sha256)
{
  g_autofree char *path = lab_test_home_file (name);
  g_autofree guint32 *data = g_new (guint32, size / 4 + 1);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size / 4 + 1; i++)
    data[i] = g_test_rand_int ();
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) size, &error));
  g_assert_no_error (error);
  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, size);
  return g_file_new_for_path (path);
}

/* What notify::bytes-sent showed, and what to do once it reaches act_at. */
typedef struct
{
  GArray        *sent;
  gboolean       backwards;
  guint64        act_at;
  GCancellable  *cancel;
  LabSshSession *close;
  gboolean       acted;
} Progress;

static void
on_bytes_sent (LabSftpUpload *upload,
               GParamSpec    *pspec,
               Progress      *progress)
{
  guint64 sent = lab_sftp_upload_get_bytes_sent (upload);

  if (progress->sent->len > 0
      && sent < g_array_index (progress->sent, guint64, progress->sent->len - 1))
    progress->backwards = TRUE;
  g_array_append_val (progress->sent, sent);
  if (progress->act_at == 0 || sent < progress->act_at || progress->acted)
    return;
  progress->acted = TRUE;
  if (progress->cancel != NULL)
    g_cancellable_cancel (progress->cancel);
  if (progress->close != NULL)
    lab_ssh_session_close (progress->close);
}

static void
progress_init (Progress *progress)
{
  memset (progress, 0, sizeof *progress);
  progress->sent = g_array_new (FALSE, FALSE, sizeof (guint64));
}

static void
progress_clear (Progress *progress)
{
  g_clear_pointer (&progress->sent, g_array_unref);
}

static guint64
progress_last (Progress *progress)
{
  g_assert_cmpuint (progress->sent->len, >, 0);
  return g_array_index (progress->sent, guint64, progress->sent->len - 1);
}

static void
upload_start (LabSftpUpload  *upload,
              GCancellable   *cancellable,
              Progress       *progress,
              GAsyncResult  **result)
{
  if (progress != NULL)
    g_signal_connect (upload, "notify::bytes-sent", G_CALLBACK (on_bytes_sent), progress);
  lab_sftp_upload_run_async (upload, cancellable, lab_test_result_cb, result);
}

static gboolean
upload_finish (LabSftpUpload  *upload,
               GAsyncResult  **result,
               guint           timeout_ms,
               GError        **error)
{
  gboolean ok;

  lab_test_wait_result (result, timeout_ms);
  ok = lab_sftp_upload_run_finish (upload, *result, error);
  g_signal_handlers_disconnect_matched (upload, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_bytes_sent, NULL);
  g_clear_object (result);
  return ok;
}

/* Uploads @local to @remote; the answer within the test's bounds. */
static gboolean
upload (LabSshSession       *session,
        GFile               *local,
        const char          *remote,
        LabSftpUploadFlags   flags,
        Progress            *progress,
        LabSftpUpload      **out,
        GError             **error)
{
  g_autoptr(LabSftpUpload) job = lab_sftp_upload_new (session, local, remote, flags);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  upload_start (job, progress != NULL ? progress->cancel : NULL, progress, &result);
  ok = upload_finish (job, &result, UPLOAD_TIMEOUT_MS, error);
  if (out != NULL)
    *out = g_steal_pointer (&job);
  return ok;
}

/* @path holds exactly @sha256, mode 0644, and no .part is left beside it. */
static void
assert_uploaded (SftpTest   *test,
                 const char *path,
                 const char *sha256)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *remote = remote_sha256 (test, path);
  g_autofree char *mode = remote_sh (test->session, "stat -c %a -- \"$1\"", path, NULL);

  g_assert_cmpstr (remote, ==, sha256);
  g_assert_cmpstr (mode, ==, "644");
  g_assert_false (remote_exists (test, part));
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                    */

static void
test_parse_sha256sum (void)
{
  const char *hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  g_autofree char *plain = g_strconcat (hex, "  /home/mirage/x.img\n", NULL);
  g_autofree char *escaped = g_strconcat ("\\", hex, "  /home/mirage/a\\nb\n", NULL);
  g_autofree char *binary = g_strconcat (hex, " *-\n", NULL);
  g_autofree char *upper = g_ascii_strup (plain, -1);
  g_autofree char *two = g_strconcat (plain, plain, NULL);
  g_autofree char *no_newline = g_strconcat (hex, "  x", NULL);
  g_autofree char *short_hex = g_strconcat (hex + 1, "  x\n", NULL);
  g_autofree char *no_space = g_strconcat (hex, "x\n", NULL);
  char digest[65];

  g_assert_true (_lab_sftp_upload_parse_sha256sum (plain, digest));
  g_assert_cmpstr (digest, ==, hex);
  g_assert_true (_lab_sftp_upload_parse_sha256sum (escaped, digest));
  g_assert_cmpstr (digest, ==, hex);
  g_assert_true (_lab_sftp_upload_parse_sha256sum (binary, digest));
  g_assert_false (_lab_sftp_upload_parse_sha256sum (upper, digest));
  g_assert_false (_lab_sftp_upload_parse_sha256sum (two, digest));
  g_assert_false (_lab_sftp_upload_parse_sha256sum (no_newline, digest));
  g_assert_false (_lab_sftp_upload_parse_sha256sum (short_hex, digest));
  g_assert_false (_lab_sftp_upload_parse_sha256sum (no_space, digest));
  g_assert_false (_lab_sftp_upload_parse_sha256sum ("", digest));
  g_assert_false (_lab_sftp_upload_parse_sha256sum ("sha256sum: x: No such file\n", digest));
}

/* 20 MB with progress: it only rises, and ends at the size; the checksum on dom0 is the
 * local one; mode 0644; the name is there, the .part is not. */
static void
test_upload (LabTestFixture *fixture)
{
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = make_local_file ("image-20m", 20 * MIB, &sha256);
  g_autofree char *path = NULL;
  g_autoptr(LabSftpUpload) job = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress;
  gint64 start = g_get_monotonic_time ();

  sftp_test_begin (&test, fixture);
  progress_init (&progress);
  path = sftp_test_path (&test, "image.img");
  g_assert_true (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, &progress, &job,
                         &error));
  g_assert_no_error (error);
  g_test_message ("20 MB in %.1f s, %u progress notifications",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  progress.sent->len);

  g_assert_false (progress.backwards);
  g_assert_cmpuint (progress.sent->len, >, 10);
  g_assert_cmpuint (progress_last (&progress), ==, 20 * MIB);
  g_assert_cmpuint (lab_sftp_upload_get_total (job), ==, 20 * MIB);
  g_assert_cmpuint (lab_sftp_upload_get_resumed_from (job), ==, 0);
  g_assert_cmpstr (lab_sftp_upload_get_target (job), ==, path);
  g_assert_cmpstr (lab_sftp_upload_get_sha256 (job), ==, sha256);
  assert_uploaded (&test, path, sha256);
  progress_clear (&progress);
  sftp_test_end (&test);
}

/* Cancelled after some bytes: an error, the .part holds what was acknowledged, the name is
 * not there. The next upload goes on from there, and sends only the rest. */
static void
test_resume (LabTestFixture *fixture)
{
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = make_local_file ("image-resume", 20 * MIB + 123, &sha256);
  g_autofree char *path = NULL;
  g_autofree char *part = NULL;
  g_autoptr(LabSftpUpload) first = NULL;
  g_autoptr(LabSftpUpload) second = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Progress progress;
  guint64 kept;

  sftp_test_begin (&test, fixture);
  path = sftp_test_path (&test, "resumed.img");
  part = g_strconcat (path, ".part", NULL);
  progress_init (&progress);
  progress.act_at = 4 * MIB;
  progress.cancel = cancellable;
  g_assert_false (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, &progress, &first,
                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (progress.acted);
  g_assert_false (remote_exists (&test, path));
  /* A cancel waits for the chunk in flight: what was acknowledged is what is there. */
  kept = remote_size (&test, part);
  g_test_message ("cancelled with %" G_GUINT64_FORMAT " bytes on dom0", kept);
  g_assert_cmpuint (kept, ==, lab_sftp_upload_get_bytes_sent (first));
  g_assert_cmpuint (kept, >=, 4 * MIB);
  g_assert_cmpuint (kept, <, 20 * MIB);
  progress_clear (&progress);

  progress_init (&progress);
  g_assert_true (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, &progress, &second,
                         &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_sftp_upload_get_resumed_from (second), ==, kept);
  g_assert_cmpuint (lab_sftp_upload_get_bytes_sent (second), ==, 20 * MIB + 123 - kept);
  g_assert_cmpuint (lab_sftp_upload_get_bytes_sent (second), <, 20 * MIB + 123);
  g_assert_false (progress.backwards);
  assert_uploaded (&test, path, sha256);
  progress_clear (&progress);
  sftp_test_end (&test);
}

/* A .part that is not the local file's start (or is longer than it) is written over from
 * the start, and its mode (0600 here) becomes 0644. */
static void
test_part_wrong (LabTestFixture *fixture)
{
  const char *make_part = "head -c \"$2\" /dev/urandom > \"$1\" && chmod 600 -- \"$1\"";
  const char *sizes[] = { "3145728", "6291456" };
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = make_local_file ("image-5m", 5 * MIB, &sha256);

  sftp_test_begin (&test, fixture);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("wrong-%u.img", i);
      g_autofree char *path = sftp_test_path (&test, name);
      g_autofree char *part = g_strconcat (path, ".part", NULL);
      g_autoptr(LabSftpUpload) job = NULL;
      g_autoptr(GError) error = NULL;

      g_free (remote_sh (test.session, make_part, part, sizes[i]));
      g_assert_true (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, NULL, &job,
                             &error));
      g_assert_no_error (error);
      g_assert_cmpuint (lab_sftp_upload_get_resumed_from (job), ==, 0);
      g_assert_cmpuint (lab_sftp_upload_get_bytes_sent (job), ==, 5 * MIB);
      assert_uploaded (&test, path, sha256);
    }
  sftp_test_end (&test);
}

/* Without the flag an existing file stays as it is, and nothing is sent; with it, the new
 * file takes its place by a rename: a new inode, and a hard link to the old one still holds
 * the old bytes (nothing was written into it). */
static void
test_existing (LabTestFixture *fixture)
{
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = make_local_file ("image-2m", 2 * MIB + 1, &sha256);
  g_autofree char *path = NULL;
  g_autofree char *link = NULL;
  g_autofree char *inode = NULL;
  g_autofree char *inode_after = NULL;
  g_autofree char *old = NULL;
  g_autoptr(LabSftpUpload) job = NULL;
  g_autoptr(GError) error = NULL;

  sftp_test_begin (&test, fixture);
  path = sftp_test_path (&test, "existing.img");
  link = sftp_test_path (&test, "old-link");
  g_free (remote_sh (test.session, "echo old > \"$1\" && ln -- \"$1\" \"$2\"", path, link));
  inode = remote_sh (test.session, "stat -c %i -- \"$1\"", path, NULL);

  g_assert_false (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, NULL, &job, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (lab_sftp_upload_get_bytes_sent (job), ==, 0);
  old = remote_sh (test.session, "cat -- \"$1\"", path, NULL);
  g_assert_cmpstr (old, ==, "old");
  g_clear_pointer (&old, g_free);
  g_clear_object (&job);

  g_assert_true (upload (test.session, local, path, LAB_SFTP_UPLOAD_OVERWRITE, NULL, &job,
                         &error));
  g_assert_no_error (error);
  assert_uploaded (&test, path, sha256);
  inode_after = remote_sh (test.session, "stat -c %i -- \"$1\"", path, NULL);
  g_assert_cmpstr (inode_after, !=, inode);
  old = remote_sh (test.session, "cat -- \"$1\"", link, NULL);
  g_assert_cmpstr (old, ==, "old");
  sftp_test_end (&test);
}

/* Spaces, a leading "-", both quotes, a backslash and non-ASCII, under "~/". */
static void
test_odd_name (LabTestFixture *fixture)
{
  const char *name = "-n x 'q\" b\\s ø日.img";
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = make_local_file ("image-odd", MIB + 7, &sha256);
  g_autofree char *base = NULL;
  g_autofree char *tilde = NULL;
  g_autofree char *path = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(LabSftpUpload) job = NULL;
  g_autoptr(GError) error = NULL;

  sftp_test_begin (&test, fixture);
  base = g_path_get_basename (test.dir);
  tilde = g_strconcat ("~/", base, "/", name, NULL);
  path = sftp_test_path (&test, name);
  g_assert_true (upload (test.session, local, tilde, LAB_SFTP_UPLOAD_NONE, NULL, &job, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lab_sftp_upload_get_target (job), ==, path);
  assert_uploaded (&test, path, sha256);
  /* Nothing else was made of the name's pieces. */
  listing = remote_sh (test.session, "ls -A -- \"$1\"", test.dir, NULL);
  g_assert_cmpstr (listing, ==, name);
  sftp_test_end (&test);
}

/* A folder that is not there, and paths that name no file: clear errors, nothing sent. */
static void
test_missing_folder (LabTestFixture *fixture)
{
  const char *bad[] = { "relative.img", "~/", "/tmp/", "~", "/tmp/x/.." };
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = make_local_file ("image-small", 1000, &sha256);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/image.img");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  sftp_test_begin (&test, fixture);
  path = sftp_test_path (&test, "no-such-folder/image.img");
  g_assert_false (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (upload (test.session, local, bad[i], LAB_SFTP_UPLOAD_NONE, NULL, NULL,
                              &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }

  g_assert_false (upload (test.session, missing, path, LAB_SFTP_UPLOAD_NONE, NULL, NULL,
                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  sftp_test_end (&test);
}

/* The app closes the session mid-upload: an error at once, the name not there, and a new
 * session resumes. */
static void
test_dropped_closed (LabTestFixture *fixture)
{
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = make_local_file ("image-drop", 20 * MIB, &sha256);
  g_autofree char *path = NULL;
  g_autoptr(LabSftpUpload) job = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress;

  sftp_test_begin (&test, fixture);
  path = sftp_test_path (&test, "dropped.img");
  progress_init (&progress);
  progress.act_at = 3 * MIB;
  progress.close = test.session;
  g_assert_false (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, &progress, &job,
                          &error));
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_true (progress.acted);
  g_assert_cmpuint (lab_sftp_upload_get_bytes_sent (job), <, 20 * MIB);
  progress_clear (&progress);
  g_clear_object (&job);

  sftp_test_reconnect (&test);
  g_assert_false (remote_exists (&test, path));
  g_assert_true (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, NULL, &job, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_sftp_upload_get_resumed_from (job), >, 0);
  assert_uploaded (&test, path, sha256);
  sftp_test_end (&test);
}

static gboolean
sent_at_least (gpointer user_data)
{
  Progress *progress = user_data;

  return progress->sent->len > 0 && progress_last (progress) >= progress->act_at;
}

/* sshd goes away mid-upload (its processes killed): an error, not a hang. */
static void
test_dropped_server (LabTestFixture *fixture)
{
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = make_local_file ("image-server", 20 * MIB, &sha256);
  g_autofree char *path = NULL;
  g_autoptr(LabSftpUpload) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress;
  gint64 start;

  sftp_test_begin (&test, fixture);
  path = sftp_test_path (&test, "server-gone.img");
  progress_init (&progress);
  progress.act_at = 3 * MIB;
  job = lab_sftp_upload_new (test.session, local, path, LAB_SFTP_UPLOAD_NONE);
  upload_start (job, NULL, &progress, &result);
  /* The upload waits on this main loop while sshd is stopped. */
  g_assert_true (lab_test_wait_for (sent_at_least, &progress, UPLOAD_TIMEOUT_MS));
  g_assert_true (lab_fixture_sshd_stop (test.lab, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  /* The keepalive (3 s) notices a dead link that sends nothing. */
  g_assert_false (upload_finish (job, &result, 10000, &error));
  g_test_message ("failed after %.1f s: %s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, error->message);
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_DISCONNECTED);
  g_clear_error (&error);
  progress_clear (&progress);

  g_assert_true (lab_fixture_sshd_start (test.lab, &error));
  g_assert_no_error (error);
  sftp_test_reconnect (&test);
  g_assert_false (remote_exists (&test, path));
  sftp_test_end (&test);
}

/* The sftp server freezes (SIGSTOP) while sshd keeps answering keepalives: the upload
 * fails once nothing moved for the stall timeout; once the server thaws, the session is
 * fine and the next upload finishes the file. */
static void
test_stalled (LabTestFixture *fixture)
{
  SftpTest test = { 0 };
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) local = NULL;
  g_autofree char *path = NULL;
  g_autoptr(LabSftpUpload) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress;
  gint64 start;

  if (!lab_test_needs_fast_lab (fixture->lab, "a separate sftp-server process to freeze"))
    return;
  local = make_local_file ("image-stall", 20 * MIB, &sha256);
  sftp_test_begin (&test, fixture);
  path = sftp_test_path (&test, "stalled.img");
  progress_init (&progress);
  progress.act_at = 2 * MIB;
  job = lab_sftp_upload_new (test.session, local, path, LAB_SFTP_UPLOAD_NONE);
  _lab_sftp_upload_set_stall_timeout (job, 3);
  upload_start (job, NULL, &progress, &result);
  g_assert_true (lab_test_wait_for (sent_at_least, &progress, UPLOAD_TIMEOUT_MS));
  g_free (lab_test_root_sh (test.lab, "pkill -STOP -x sftp-server; echo stopped"));
  start = g_get_monotonic_time ();
  g_assert_false (upload_finish (job, &result, 10000, &error));
  g_test_message ("failed after %.1f s: %s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, error->message);
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_TIMEOUT);
  g_clear_error (&error);
  g_free (lab_test_root_sh (test.lab, "pkill -CONT -x sftp-server; echo resumed"));
  progress_clear (&progress);
  g_clear_object (&job);

  g_assert_cmpint (lab_ssh_session_get_state (test.session), ==, LAB_SSH_STATE_CONNECTED);
  g_assert_true (upload (test.session, local, path, LAB_SFTP_UPLOAD_NONE, NULL, &job, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_sftp_upload_get_resumed_from (job), >, 0);
  assert_uploaded (&test, path, sha256);
  sftp_test_end (&test);
}

int
main (int   argc,
      char *argv[])
{
  lab_test_init (&argc, &argv);

  g_test_add_func ("/ssh/sftp/parse-sha256sum", test_parse_sha256sum);
  lab_test_add ("/ssh/sftp/upload", "nopasswd", NULL, test_upload);
  lab_test_add ("/ssh/sftp/resume", "nopasswd", NULL, test_resume);
  lab_test_add ("/ssh/sftp/part-wrong", "nopasswd", NULL, test_part_wrong);
  lab_test_add ("/ssh/sftp/existing", "nopasswd", NULL, test_existing);
  lab_test_add ("/ssh/sftp/odd-name", "nopasswd", NULL, test_odd_name);
  lab_test_add ("/ssh/sftp/missing-folder", "nopasswd", NULL, test_missing_folder);
  lab_test_add ("/ssh/sftp/dropped/closed", "nopasswd", NULL, test_dropped_closed);
  lab_test_add ("/ssh/sftp/dropped/server", "nopasswd", NULL, test_dropped_server);
  lab_test_add ("/ssh/sftp/stalled", "nopasswd", NULL, test_stalled);

  return lab_test_run ();
}
