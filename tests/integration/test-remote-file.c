/* test-remote-file.c — replacing a file on dom0 (backup, then an atomic write) against a
 * dom0 lab, as the login user and as root: through a symlink (also a dangling one), a
 * read-only file, hard links, a file owned by someone else, ACLs, two backups in the same
 * second. Nothing but the edit and its backup may be left behind.
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "lab-app-util.h"
#include "lab-core.h"
#include "ssh/lab-remote-file.h"

/* Runs @script as root in dom0 with $D set to the test's folder; returns its stdout. */
static char *
dom0 (LabFixture *lab,
      const char *script)
{
  g_autofree char *full = g_strdup_printf ("D=%s/rf-test U=%s; %s",
                                           lab_fixture_get (lab, "LAB_HOME"),
                                           lab_fixture_get (lab, "LAB_USER"), script);

  return lab_test_root_sh (lab, full);
}

typedef struct
{
  gboolean  done;
  char     *backup;
  GError   *error;
} Replace;

static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Replace *replace = user_data;

  replace->backup = lab_remote_file_replace_finish (LAB_SSH_SESSION (source), result,
                                                    &replace->error);
  replace->done = TRUE;
}

/* Replaces $D/@name with @text (or makes it, with LAB_REMOTE_FILE_NEW as @expected), as
 * root when @root; returns the backup's path (or NULL with @error). */
static char *
write_file (LabTestFixture  *fixture,
            const char      *name,
            const char      *expected,
            const char      *text,
            gboolean         root,
            GError         **error)
{
  LabFixture *lab = fixture->lab;
  LabHostConnection *connection = fixture->connection;
  g_autofree char *path = g_strdup_printf ("%s/rf-test/%s", lab_fixture_get (lab, "LAB_HOME"),
                                           name);
  Replace state = { FALSE, NULL, NULL };

  lab_remote_file_replace_async (lab_host_connection_get_session (connection), path, expected,
                                 text, root ? LAB_SSH_EXEC_SUDO : LAB_SSH_EXEC_NONE, NULL,
                                 replaced_cb, &state);
  g_assert_true (lab_test_wait_flag (&state.done, 60000));
  if (state.error != NULL)
    g_propagate_error (error, state.error);
  return state.backup;
}

static char *
replace (LabTestFixture  *fixture,
         const char      *name,
         const char      *text,
         gboolean         root,
         GError         **error)
{
  return write_file (fixture, name, NULL, text, root, error);
}

static void
assert_dom0 (LabFixture *lab,
             const char *script,
             const char *expected)
{
  g_autofree char *out = dom0 (lab, script);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_edits (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *second = NULL;

  g_free (dom0 (lab, "rm -rf \"$D\"; mkdir -m 755 \"$D\"; cd \"$D\"; "
                     "printf 'old\\n' > plain.xl; chmod 640 plain.xl; "
                     "printf 'real\\n' > real.xl; ln -s real.xl link.xl; "
                     "ln -s missing.xl dangling.xl; "
                     "printf 'ro\\n' > ro.xl; chmod 444 ro.xl; "
                     "printf 'hard\\n' > a.xl; ln a.xl b.xl; "
                     "chown -R \"$U:\" \"$D\"; "
                     "printf 'theirs\\n' > theirs.xl; chown root:\"$(id -gn \"$U\")\" theirs.xl; "
                     "chmod 664 theirs.xl"));

  /* A plain file: new text, the old one in the backup, the mode kept. */
  backup = replace (fixture, "plain.xl", "new\n", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (backup, "/rf-test/plain.xl.mirage-lab.bak"));
  assert_dom0 (lab, "cd \"$D\"; cat plain.xl plain.xl.mirage-lab.bak; stat -c %a plain.xl",
               "new\nold\n640\n");
  /* Again in the same second: a second backup, the first one kept. */
  second = replace (fixture, "plain.xl", "newer\n", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, !=, backup);
  assert_dom0 (lab, "cd \"$D\"; cat plain.xl plain.xl.mirage-lab.bak; ls plain.xl.* | wc -l",
               "newer\nold\n2\n");
  g_clear_pointer (&backup, g_free);
  g_clear_pointer (&second, g_free);
  backup = replace (fixture, "plain.xl", "newest\n", FALSE, &error);
  g_assert_no_error (error);
  assert_dom0 (lab, "cd \"$D\"; cat plain.xl; ls plain.xl.* | wc -l", "newest\n3\n");
  g_clear_pointer (&backup, g_free);

  /* Through a symlink: the link stays a link, its target changes. */
  backup = replace (fixture, "link.xl", "through\n", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (backup, "/rf-test/real.xl.mirage-lab.bak"));
  assert_dom0 (lab, "cd \"$D\"; readlink link.xl; cat real.xl real.xl.mirage-lab.bak",
               "real.xl\nthrough\nreal\n");
  g_clear_pointer (&backup, g_free);

  /* A dangling symlink: its target is made, the link kept. */
  backup = replace (fixture, "dangling.xl", "made\n", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (backup, ==, "");
  assert_dom0 (lab, "cd \"$D\"; readlink dangling.xl; cat missing.xl", "missing.xl\nmade\n");
  g_clear_pointer (&backup, g_free);

  /* Read-only: refused before anything, no backup, nothing left behind. */
  backup = replace (fixture, "ro.xl", "changed\n", FALSE, &error);
  g_assert_null (backup);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_test_message ("read-only: %s", error->message);
  g_clear_error (&error);
  assert_dom0 (lab,
               "cd \"$D\"; cat ro.xl; ls -A | grep -c -e '^ro.xl.' -e '^\\.mirage-lab' || true",
               "ro\n0\n");

  /* Hard links: both names see the new text. */
  backup = replace (fixture, "a.xl", "both\n", FALSE, &error);
  g_assert_no_error (error);
  assert_dom0 (lab, "cd \"$D\"; cat b.xl; stat -c %h a.xl", "both\n2\n");
  g_clear_pointer (&backup, g_free);

  /* Someone else's file that we may write: still theirs. */
  backup = replace (fixture, "theirs.xl", "ours too\n", FALSE, &error);
  g_assert_no_error (error);
  assert_dom0 (lab, "cd \"$D\"; cat theirs.xl; stat -c '%U %a' theirs.xl", "ours too\nroot 664\n");
  g_clear_pointer (&backup, g_free);

  /* As root, a file of the user's: still the user's. */
  backup = replace (fixture, "plain.xl", "by root\n", TRUE, &error);
  g_assert_no_error (error);
  {
    g_autofree char *expected = g_strdup_printf ("by root\n%s 640\n",
                                                 lab_fixture_get (lab, "LAB_USER"));

    assert_dom0 (lab, "cd \"$D\"; cat plain.xl; stat -c '%U %a' plain.xl", expected);
  }
  g_clear_pointer (&backup, g_free);

  /* No temporary file anywhere. */
  assert_dom0 (lab, "cd \"$D\"; ls -A | grep -c '^\\.mirage-lab' || true", "0\n");
  g_free (dom0 (lab, "rm -rf \"$D\""));
}

/* ACLs (setfacl in dom0) survive an edit, by the user and by root. */
static void
test_acl (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *acl = NULL;

  g_free (dom0 (lab, "rm -rf \"$D\"; mkdir -m 755 \"$D\"; cd \"$D\"; printf 'acl\\n' > acl.xl; "
                     "chown -R \"$U:\" \"$D\"; setfacl -m u:root:rw,u:nobody:r acl.xl"));
  acl = dom0 (lab, "cd \"$D\"; getfacl -cp acl.xl");
  g_test_message ("ACL before: %s", acl);
  g_assert_nonnull (strstr (acl, "user:nobody:r--"));

  backup = replace (fixture, "acl.xl", "user\n", FALSE, &error);
  g_assert_no_error (error);
  assert_dom0 (lab, "cd \"$D\"; getfacl -cp acl.xl | grep -c 'user:nobody:r--'", "1\n");
  g_clear_pointer (&backup, g_free);
  backup = replace (fixture, "acl.xl", "root\n", TRUE, &error);
  g_assert_no_error (error);
  assert_dom0 (lab, "cd \"$D\"; cat acl.xl; getfacl -cp acl.xl | grep -c 'user:nobody:r--'",
               "root\n1\n");
  g_free (dom0 (lab, "rm -rf \"$D\""));
}

/* A new file (a duplicated domain's config): made with the text and mode 644, owned by the
 * writer; never over a file, a symlink or a dangling one, which stay as they were. */
static void
test_create (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  static const char * const taken[] = { "here.xl", "link.xl", "dangling.xl" };
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;

  g_free (dom0 (lab, "rm -rf \"$D\"; mkdir -m 755 \"$D\"; cd \"$D\"; printf 'mine\\n' > here.xl; "
                     "ln -s here.xl link.xl; ln -s gone.xl dangling.xl; chown -R \"$U:\" \"$D\""));
  backup = write_file (fixture, "-new 'copy'.xl", LAB_REMOTE_FILE_NEW, "name = 'c'\n", FALSE,
                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (backup, ==, "");
  assert_dom0 (lab, "cd \"$D\"; cat -- \"-new 'copy'.xl\"; "
                    "stat -c '%a %U' -- \"-new 'copy'.xl\" | sed \"s/ $U$/ user/\"",
               "name = 'c'\n644 user\n");
  for (guint i = 0; i < G_N_ELEMENTS (taken); i++)
    {
      g_autofree char *none = write_file (fixture, taken[i], LAB_REMOTE_FILE_NEW, "over\n",
                                          FALSE, &error);

      g_assert_null (none);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
      g_clear_error (&error);
    }
  /* Nothing else made, nothing changed: no temporary file, no target of the dangling link. */
  assert_dom0 (lab, "cd \"$D\"; ls -A | LC_ALL=C sort | tr '\\n' ' '; cat here.xl",
               "-new 'copy'.xl dangling.xl here.xl link.xl mine\n");
  g_free (dom0 (lab, "rm -rf \"$D\""));
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Replace *read = user_data;

  if (!lab_remote_file_read_finish (LAB_SSH_SESSION (source), result, &read->backup,
                                    &read->error))
    g_assert_nonnull (read->error);
  read->done = TRUE;
}

/* Reading: a file's bytes, nothing for a missing one, and what the host said (one bounded
 * line) for one that cannot be read. */
static void
test_read (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  LabSshSession *session = lab_host_connection_get_session (fixture->connection);
  const char *names[] = { "bytes.xl", "missing.xl", "folder.xl" };
  Replace reads[3] = { { FALSE, NULL, NULL }, };

  g_free (dom0 (lab, "rm -rf \"$D\"; mkdir -m 755 \"$D\"; cd \"$D\"; "
                     "printf 'a\\tb\\n' > bytes.xl; mkdir folder.xl; chown -R \"$U:\" \"$D\""));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/rf-test/%s",
                                               lab_fixture_get (lab, "LAB_HOME"), names[i]);

      lab_remote_file_read_async (session, path, LAB_SSH_EXEC_NONE, NULL, read_cb, &reads[i]);
      g_assert_true (lab_test_wait_flag (&reads[i].done, 60000));
    }
  g_assert_no_error (reads[0].error);
  g_assert_cmpstr (reads[0].backup, ==, "a\tb\n");
  g_assert_no_error (reads[1].error);
  g_assert_null (reads[1].backup);
  g_assert_error (reads[2].error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", reads[2].error->message);
  g_assert_nonnull (strstr (reads[2].error->message, "Is a directory"));
  g_assert_null (strchr (reads[2].error->message, '\n'));
  for (guint i = 0; i < G_N_ELEMENTS (reads); i++)
    {
      g_free (reads[i].backup);
      g_clear_error (&reads[i].error);
    }
  g_free (dom0 (lab, "rm -rf \"$D\""));
}

int
main (int   argc,
      char *argv[])
{
  lab_app_init (&argc, &argv);

  lab_app_add ("/remote-file/edits", NULL, test_edits);
  lab_app_add ("/remote-file/acl", NULL, test_acl);
  lab_app_add ("/remote-file/create", NULL, test_create);
  lab_app_add ("/remote-file/read", NULL, test_read);

  return lab_test_run ();
}
