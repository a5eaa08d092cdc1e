/* test-lab-ssh.c — self-tests of the dom0 lab: sshd, user, keys, known_hosts, sudo, xl root
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs against the fast lab (tests/lab/mlab) or, with MIRAGE_LAB_KIND=xen, the real-Xen lab.
 * Uses the OpenSSH client; the app itself uses libssh2 (tested in tests/ssh/).
 */

#include <gio/gio.h>
#include <string.h>

#include "lab-test-utils.h"

#define PATH_WITH_SBIN "PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin "

static void
test_env_keys (LabTestFixture *fixture)
{
  static const char * const keys[] = {
    "LAB_KIND", "LAB_HOST", "LAB_PORT", "LAB_USER", "LAB_PASSWORD", "LAB_KEY",
    "LAB_KNOWN_HOSTS", "LAB_HOSTKEY_SHA256", "LAB_SUDO", "LAB_HOME", "LAB_LEASES", "LAB_DIR",
  };
  LabFixture *lab = fixture->lab;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_test_message ("%s=%s", keys[i], lab_fixture_get (lab, keys[i]));
      g_assert_nonnull (lab_fixture_get (lab, keys[i]));
      g_assert_cmpstr (lab_fixture_get (lab, keys[i]), !=, "");
    }
  g_assert_cmpstr (lab_fixture_get (lab, "LAB_KIND"), ==, lab_fixture_kind ());
  g_assert_cmpstr (lab_fixture_get (lab, "LAB_SUDO"), ==, "nopasswd");
  g_assert_true (g_str_has_prefix (lab_fixture_get (lab, "LAB_HOSTKEY_SHA256"), "SHA256:"));
  g_assert_true (g_file_test (lab_fixture_get (lab, "LAB_KEY"), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (lab_fixture_get (lab, "LAB_KNOWN_HOSTS"), G_FILE_TEST_IS_REGULAR));
}

static void
test_ssh_key (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *expected = g_strdup_printf ("%s\n%s\n", lab_fixture_get (lab, "LAB_USER"),
                                               lab_fixture_get (lab, "LAB_HOME"));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (lab_test_ssh (lab, NULL, NULL, "id -un; echo $HOME", NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, expected);
}

/* The ed25519 host key in known_hosts is the one whose fingerprint lab.env announces. */
static void
test_host_key (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *out = NULL;
  const char *kh = NULL;

  kh = lab_fixture_get (lab, "LAB_KNOWN_HOSTS");
  {
    const char *argv[] = { "ssh-keygen", "-l", "-E", "sha256", "-f", kh, NULL };

    g_assert_cmpint (lab_test_spawn (argv, NULL, &out, NULL), ==, 0);
  }
  g_assert_nonnull (strstr (out, lab_fixture_get (lab, "LAB_HOSTKEY_SHA256")));
  g_assert_nonnull (strstr (out, "(ED25519)"));
}

/* The extra keys of the fast lab: RSA (SHA-2 accepted, SHA-1 refused), ECDSA, and an
 * ed25519 key with a passphrase. */
static void
test_key_types (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  const char *rsa, *ecdsa, *pass;

  rsa = lab_fixture_get (lab, "LAB_KEY_RSA");
  ecdsa = lab_fixture_get (lab, "LAB_KEY_ECDSA");
  pass = lab_fixture_get (lab, "LAB_KEY_PASSPHRASE_PATH");
  if (rsa == NULL || ecdsa == NULL || pass == NULL)
    {
      g_test_skip ("this lab provides no extra key material");
      return;
    }
  g_assert_cmpint (lab_test_ssh (lab, rsa, NULL, "true", NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (lab_test_ssh (lab, ecdsa, NULL, "true", NULL, NULL, NULL), ==, 0);
  /* ssh-rsa (RSA with SHA-1, what libssh2 1.10 signs with) is refused by OpenSSH >= 8.8. */
  g_assert_cmpint (lab_test_ssh (lab, rsa, "PubkeyAcceptedAlgorithms=ssh-rsa", "true",
                                 NULL, NULL, NULL), ==, 255);
  /* Without the passphrase (BatchMode) the passphrase key cannot be used ... */
  g_assert_cmpint (lab_test_ssh (lab, pass, NULL, "true", NULL, NULL, NULL), ==, 255);
  /* ... and with it, its public half is among the authorised keys. */
  {
    g_autofree char *pub = NULL;
    g_autofree char *auth = NULL;
    g_auto(GStrv) fields = NULL;
    const char *argv[] = {
      "ssh-keygen", "-y", "-P", lab_fixture_get (lab, "LAB_KEY_PASSPHRASE"), "-f", pass, NULL,
    };

    g_assert_cmpint (lab_test_spawn (argv, NULL, &pub, NULL), ==, 0);
    fields = g_strsplit (pub, " ", 3);
    g_assert_cmpint (lab_test_ssh (lab, NULL, NULL, "cat ~/.ssh/authorized_keys", NULL,
                                   &auth, NULL), ==, 0);
    g_assert_nonnull (strstr (auth, fields[1]));
  }
}

static void
test_sudo_xl_list (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *out = NULL;

  g_assert_cmpint (lab_test_ssh (lab, NULL, NULL, "sudo -n xl list", NULL, &out, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Name                                        ID   Mem "
                                        "VCPUs\tState\tTime(s)\n"
                                        "Domain-0                                     0 "));
}

static void
test_xl_needs_root (LabTestFixture *fixture)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  LabFixture *lab = fixture->lab;

  g_assert_cmpint (lab_test_ssh (lab, NULL, NULL, PATH_WITH_SBIN "xl list", NULL, &out, &err),
                   ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_suffix (err, "cannot init xl context\n"));
  g_assert_nonnull (strstr (err, "xencall: error: Could not obtain handle on privileged "
                                 "command interface: Permission denied\n"));
}

static void
test_exec (LabTestFixture *fixture)
{
  const char *argv[] = { "sh", "-c", "id -u; exit 3", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (lab_fixture_exec (fixture->lab, argv, &out, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 3);
  g_assert_cmpstr (out, ==, "0\n");
}

static void
test_sshd_stop_start (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_true (lab_fixture_sshd_stop (lab, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lab_test_ssh (lab, NULL, "ConnectTimeout=5", "true", NULL, NULL, NULL),
                   ==, 255);
  g_assert_true (lab_fixture_sshd_start (lab, &error));
  g_assert_no_error (error);
  /* Same host key (StrictHostKeyChecking=yes) after the restart. */
  g_assert_cmpint (lab_test_ssh (lab, NULL, NULL, "echo back", NULL, &out, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "back\n");
}

/* Last: the lab restarted with sudo requiring the password (the fixture stops the other). */
static void
test_sudo_password (LabTestFixture *fixture)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *input = NULL;
  LabFixture *lab = fixture->lab;

  g_assert_cmpstr (lab_fixture_get (lab, "LAB_SUDO"), ==, "password");
  g_assert_cmpint (lab_test_ssh (lab, NULL, NULL, "sudo -n xl list", NULL, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "password is required"));
  input = g_strdup_printf ("%s\n", lab_fixture_get (lab, "LAB_PASSWORD"));
  g_assert_cmpint (lab_test_ssh (lab, NULL, NULL, "sudo -S -p '' xl list", input, &out, NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "\nDomain-0 "));
}

static void
test_password_refused_in_batch (LabTestFixture *fixture)
{
  LabFixture *lab = fixture->lab;
  g_autofree char *err = NULL;

  /* A key nobody authorised: the server offers the other methods, which the lab enables. */
  g_assert_cmpint (lab_test_ssh (lab, "/dev/null", NULL, "true", NULL, NULL, &err), ==, 255);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "Permission denied"));
  g_assert_nonnull (strstr (err, "password"));
  g_assert_nonnull (strstr (err, "keyboard-interactive"));
}

/* One table: the order is the order the tests run in (the password lab comes last). */
static const struct
{
  const char  *path;
  const char  *sudo_mode;
  LabTestFunc  func;
} lab_tests[] = {
  { "/lab/env-keys", "nopasswd", test_env_keys },
  { "/lab/ssh-key", "nopasswd", test_ssh_key },
  { "/lab/host-key", "nopasswd", test_host_key },
  { "/lab/key-types", "nopasswd", test_key_types },
  { "/lab/auth-methods", "nopasswd", test_password_refused_in_batch },
  { "/lab/sudo-xl-list", "nopasswd", test_sudo_xl_list },
  { "/lab/xl-needs-root", "nopasswd", test_xl_needs_root },
  { "/lab/exec", "nopasswd", test_exec },
  { "/lab/sshd-stop-start", "nopasswd", test_sshd_stop_start },
  { "/lab/sudo-password", "password", test_sudo_password },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (lab_tests); i++)
    lab_test_add (lab_tests[i].path, lab_tests[i].sudo_mode, NULL, lab_tests[i].func);
  return lab_test_run ();
}
