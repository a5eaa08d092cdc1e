/* test-known-hosts.c — known_hosts matching (pure: files in a temp dir, no network)
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <libssh2.h>
#include <string.h>

#include "ssh/lab-known-hosts.h"
#include "ssh/lab-ssh-error.h"

#define KEY_A_B64 "AAAAC3NzaC1lZDI1NTE5AAAAIAefWH4Rdz2Wptm+xZarx+jrcSnoBtPjv6sOhs2RJ8jS"
#define KEY_A_SHA256 "SHA256:asVbnZG3xwpf5tN9HGU2+LptriQ25F2N2gM0ZVRrZzI"
#define KEY_B_B64 "AAAAC3NzaC1lZDI1NTE5AAAAIBBBBWH4Rdz2Wptm+xZarx+jrcSnoBtPjv6sOhs2RJ8jS"
#define KEY_ECDSA_B64 "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAAAAAAAAAAAAAAA"

static char *tmpdir;

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static guchar *
key_a (gsize *len)
{
  return g_base64_decode (KEY_A_B64, len);
}

static LabKnownHostsResult *
check (const char *file,
       const char *host,
       guint16     port,
       int         type)
{
  const char *files[] = { file, NULL };
  gsize len;
  g_autofree guchar *key = key_a (&len);

  return lab_known_hosts_check (files, host, port, type, key, len);
}

/* The same with an ed25519 key, what most entries here are. */
static LabKnownHostsResult *
check_ed25519 (const char *file,
               const char *host,
               guint16     port)
{
  return check (file, host, port, LIBSSH2_HOSTKEY_TYPE_ED25519);
}

/* |1|salt|HMAC-SHA1(salt, name), as ssh-keygen -H writes it. */
static char *
hashed_name (const char *name)
{
  const guchar salt[20] = "0123456789abcdefghi";
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, salt, sizeof salt);
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  g_autofree char *salt_b64 = g_base64_encode (salt, sizeof salt);
  g_autofree char *hash_b64 = NULL;

  g_hmac_update (hmac, (const guchar *) name, strlen (name));
  g_hmac_get_digest (hmac, digest, &digest_len);
  hash_b64 = g_base64_encode (digest, digest_len);
  return g_strdup_printf ("|1|%s|%s", salt_b64, hash_b64);
}

static void
test_plain (void)
{
  g_autofree char *file = write_file ("plain", "# comment\n\n"
                                      "other.example ssh-ed25519 " KEY_B_B64 "\n"
                                      "dom0.example,192.168.56.5 ssh-ed25519 " KEY_A_B64
                                      " comment\n");
  g_autoptr(LabKnownHostsResult) r1 = check_ed25519 (file, "dom0.example", 22);
  g_autoptr(LabKnownHostsResult) r2 = check_ed25519 (file, "192.168.56.5", 22);
  g_autoptr(LabKnownHostsResult) r3 = check_ed25519 (file, "unknown.example", 22);

  g_assert_cmpint (r1->status, ==, LAB_KNOWN_HOSTS_MATCH);
  g_assert_cmpstr (r1->file, ==, file);
  g_assert_cmpuint (r1->line, ==, 4);
  g_assert_cmpint (r2->status, ==, LAB_KNOWN_HOSTS_MATCH);
  g_assert_cmpint (r3->status, ==, LAB_KNOWN_HOSTS_NOT_FOUND);
  g_assert_false (r3->other_types_known);
}

static void
test_hashed (void)
{
  g_autofree char *h = hashed_name ("dom0.example");
  g_autofree char *hp = hashed_name ("[dom0.example]:2222");
  g_autofree char *contents = g_strdup_printf ("%s ssh-ed25519 " KEY_A_B64 "\n"
                                               "%s ssh-ed25519 " KEY_B_B64 "\n", h, hp);
  g_autofree char *file = write_file ("hashed", contents);
  g_autoptr(LabKnownHostsResult) r1 = check_ed25519 (file, "dom0.example", 22);
  g_autoptr(LabKnownHostsResult) r2 = check_ed25519 (file, "dom0.example", 2222);
  g_autoptr(LabKnownHostsResult) r3 = check_ed25519 (file, "dom0.exampl", 22);

  g_assert_cmpint (r1->status, ==, LAB_KNOWN_HOSTS_MATCH);
  /* Hashed [host]:port entry with another key: changed. */
  g_assert_cmpint (r2->status, ==, LAB_KNOWN_HOSTS_CHANGED);
  g_assert_cmpuint (r2->line, ==, 2);
  g_assert_cmpint (r3->status, ==, LAB_KNOWN_HOSTS_NOT_FOUND);
}

static void
test_port (void)
{
  g_autofree char *file = write_file ("port", "dom0.example ssh-ed25519 " KEY_B_B64 "\n"
                                      "[dom0.example]:2222 ssh-ed25519 " KEY_A_B64 "\n");
  g_autoptr(LabKnownHostsResult) r1 = check_ed25519 (file, "dom0.example", 2222);
  g_autoptr(LabKnownHostsResult) r2 = check_ed25519 (file, "dom0.example", 2200);
  g_autoptr(LabKnownHostsResult) r3 = check_ed25519 (file, "dom0.example", 22);
  g_autofree char *n1 = lab_known_hosts_lookup_name ("h", 22);
  g_autofree char *n2 = lab_known_hosts_lookup_name ("h", 2222);

  g_assert_cmpint (r1->status, ==, LAB_KNOWN_HOSTS_MATCH);
  /* Like OpenSSH: a plain "host" entry does not speak for other ports. */
  g_assert_cmpint (r2->status, ==, LAB_KNOWN_HOSTS_NOT_FOUND);
  g_assert_cmpint (r3->status, ==, LAB_KNOWN_HOSTS_CHANGED);
  g_assert_cmpstr (n1, ==, "h");
  g_assert_cmpstr (n2, ==, "[h]:2222");
}

static void
test_other_type (void)
{
  g_autofree char *file = write_file ("other", "dom0.example ecdsa-sha2-nistp256 "
                                      KEY_ECDSA_B64 "\n");
  g_autoptr(LabKnownHostsResult) r = check_ed25519 (file, "dom0.example", 22);

  g_assert_cmpint (r->status, ==, LAB_KNOWN_HOSTS_NOT_FOUND);
  g_assert_true (r->other_types_known);
}

static void
test_changed (void)
{
  g_autofree char *file = write_file ("changed", "garbage line without key\n"
                                      "dom0.example ssh-ed25519 " KEY_B_B64 "\n");
  g_autoptr(LabKnownHostsResult) r = check_ed25519 (file, "dom0.example", 22);

  g_assert_cmpint (r->status, ==, LAB_KNOWN_HOSTS_CHANGED);
  g_assert_cmpstr (r->file, ==, file);
  g_assert_cmpuint (r->line, ==, 2);
}

static void
test_match_wins (void)
{
  g_autofree char *f1 = write_file ("first", "dom0.example ssh-ed25519 " KEY_B_B64 "\n");
  g_autofree char *f2 = write_file ("second", "dom0.example ssh-ed25519 " KEY_A_B64 "\n");
  const char *files[] = { f1, "/nonexistent/known_hosts", f2, NULL };
  gsize len;
  g_autofree guchar *key = key_a (&len);
  g_autoptr(LabKnownHostsResult) r = lab_known_hosts_check (files, "dom0.example", 22,
                                                            LIBSSH2_HOSTKEY_TYPE_ED25519,
                                                            key, len);

  g_assert_cmpint (r->status, ==, LAB_KNOWN_HOSTS_MATCH);
  g_assert_cmpstr (r->file, ==, f2);
}

static void
test_add (void)
{
  g_autofree char *file = g_build_filename (tmpdir, "sub", "dir", "known_hosts", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabKnownHostsResult) r = NULL;
  gsize len;
  g_autofree guchar *key = key_a (&len);
  GStatBuf st;

  g_assert_true (lab_known_hosts_add (file, "dom0.example", 2222, LIBSSH2_HOSTKEY_TYPE_ED25519,
                                      key, len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "[dom0.example]:2222 ssh-ed25519 " KEY_A_B64 "\n");
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  r = check_ed25519 (file, "dom0.example", 2222);
  g_assert_cmpint (r->status, ==, LAB_KNOWN_HOSTS_MATCH);
}

static void
test_fingerprint (void)
{
  gsize len;
  g_autofree guchar *key = key_a (&len);
  g_autofree char *fp = lab_known_hosts_fingerprint (key, len);

  /* As printed by `ssh-keygen -l -E sha256` for this key. */
  g_assert_cmpstr (fp, ==, KEY_A_SHA256);
  g_assert_cmpstr (lab_known_hosts_key_type_name (LIBSSH2_HOSTKEY_TYPE_ED25519), ==,
                   "ssh-ed25519");
}

/* OpenSSH lowercases the host name before matching (and before hashing), so "DOM0" must
 * find "dom0": otherwise a changed key would be offered as a first-use prompt. */
static void
test_case_insensitive (void)
{
  g_autofree char *h = hashed_name ("dom0.example");
  g_autofree char *contents = g_strdup_printf ("Dom0.Example ssh-ed25519 " KEY_B_B64 "\n"
                                               "%s ssh-ed25519 " KEY_A_B64 "\n", h);
  g_autofree char *file = write_file ("case", contents);
  g_autofree char *hashed_only = write_file ("case-hashed", strchr (contents, '\n') + 1);
  g_autoptr(LabKnownHostsResult) r1 = check_ed25519 (file, "DOM0.example", 22);
  g_autoptr(LabKnownHostsResult) r2 = check_ed25519 (hashed_only, "DOM0.EXAMPLE", 22);
  g_autoptr(LabKnownHostsResult) r3 = NULL;
  g_autofree char *plain_only = write_file ("case-plain",
                                            "dom0.example ssh-ed25519 " KEY_B_B64 "\n");
  g_autofree char *n = lab_known_hosts_lookup_name ("DOM0.Example", 2222);

  /* The hashed line matches (same key); the plain line says CHANGED, the match wins. */
  g_assert_cmpint (r1->status, ==, LAB_KNOWN_HOSTS_MATCH);
  g_assert_cmpuint (r1->line, ==, 2);
  g_assert_cmpint (r2->status, ==, LAB_KNOWN_HOSTS_MATCH);
  r3 = check_ed25519 (plain_only, "DOM0.EXAMPLE", 22);
  g_assert_cmpint (r3->status, ==, LAB_KNOWN_HOSTS_CHANGED);
  g_assert_cmpstr (n, ==, "[dom0.example]:2222");
}

static void
test_revoked (void)
{
  g_autofree char *f1 = write_file ("revoked-host",
                                    "dom0.example ssh-ed25519 " KEY_A_B64 "\n"
                                    "@revoked dom0.example ssh-ed25519 " KEY_A_B64 "\n");
  g_autofree char *f2 = write_file ("revoked-star",
                                    "@revoked * ssh-ed25519 " KEY_A_B64 "\n");
  g_autofree char *f3 = write_file ("revoked-other",
                                    "@revoked other.example ssh-ed25519 " KEY_A_B64 "\n"
                                    "@revoked dom0.example ssh-ed25519 " KEY_B_B64 "\n");
  g_autoptr(LabKnownHostsResult) r1 = check_ed25519 (f1, "dom0.example", 22);
  g_autoptr(LabKnownHostsResult) r2 = check_ed25519 (f2, "anything.example", 2222);
  g_autoptr(LabKnownHostsResult) r3 = check_ed25519 (f3, "dom0.example", 22);
  /* Revoked in a later file still beats a match in an earlier one. */
  g_autofree char *plain = write_file ("revoked-plain", "dom0.example ssh-ed25519 " KEY_A_B64
                                       "\n");
  const char *files[] = { plain, f2, NULL };
  gsize len;
  g_autofree guchar *key = key_a (&len);
  g_autoptr(LabKnownHostsResult) r4 = lab_known_hosts_check (files, "dom0.example", 22,
                                                             LIBSSH2_HOSTKEY_TYPE_ED25519,
                                                             key, len);

  g_assert_cmpint (r1->status, ==, LAB_KNOWN_HOSTS_REVOKED);
  g_assert_cmpstr (r1->file, ==, f1);
  g_assert_cmpuint (r1->line, ==, 2);
  g_assert_cmpint (r2->status, ==, LAB_KNOWN_HOSTS_REVOKED);
  /* Revocations of other hosts or other keys say nothing about this key. */
  g_assert_cmpint (r3->status, ==, LAB_KNOWN_HOSTS_NOT_FOUND);
  g_assert_false (r3->other_types_known);
  g_assert_cmpint (r4->status, ==, LAB_KNOWN_HOSTS_REVOKED);
  g_assert_cmpstr (r4->file, ==, f2);
}

static void
test_cert_authority (void)
{
  /* A CA key is not a host key: it must neither match nor count as "changed". */
  g_autofree char *file = write_file ("ca", "@cert-authority dom0.example ssh-ed25519 "
                                      KEY_B_B64 "\n"
                                      "@cert-authority dom0.example ssh-ed25519 "
                                      KEY_A_B64 "\n");
  g_autoptr(LabKnownHostsResult) r = check_ed25519 (file, "dom0.example", 22);

  g_assert_cmpint (r->status, ==, LAB_KNOWN_HOSTS_NOT_FOUND);
  g_assert_false (r->other_types_known);
}

static void
test_patterns (void)
{
  g_autofree char *file = write_file ("patterns",
                                      "!bad.lab.example,*.lab.example ssh-ed25519 " KEY_A_B64
                                      "\n"
                                      "dom?.test ssh-ed25519 " KEY_A_B64 "\n"
                                      "[*.port.example]:2222 ssh-ed25519 " KEY_A_B64 "\n");
  struct { const char *host; guint16 port; LabKnownHostsStatus status; } cases[] = {
    { "dom0.lab.example", 22, LAB_KNOWN_HOSTS_MATCH },
    { "DOM0.LAB.EXAMPLE", 22, LAB_KNOWN_HOSTS_MATCH },
    { "bad.lab.example", 22, LAB_KNOWN_HOSTS_NOT_FOUND },
    { "BAD.lab.example", 22, LAB_KNOWN_HOSTS_NOT_FOUND },
    { "lab.example", 22, LAB_KNOWN_HOSTS_NOT_FOUND },
    { "dom1.test", 22, LAB_KNOWN_HOSTS_MATCH },
    { "dom10.test", 22, LAB_KNOWN_HOSTS_NOT_FOUND },
    { "a.port.example", 2222, LAB_KNOWN_HOSTS_MATCH },
    { "a.port.example", 22, LAB_KNOWN_HOSTS_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LabKnownHostsResult) r = check (file, cases[i].host, cases[i].port,
                                                LIBSSH2_HOSTKEY_TYPE_ED25519);

      g_test_message ("%s:%u", cases[i].host, cases[i].port);
      g_assert_cmpint (r->status, ==, cases[i].status);
    }
}

static void
test_validate_host (void)
{
  const char *good[] = { "dom0", "dom0.example", "192.168.56.5", "fe80::1", "[fe80::1]",
                         "xn--bcher-kva.example", "bücher.example", "my_host", NULL };
  const char *bad[] = { "", "dom0,evil", "dom 0", "dom0\tx", "dom0\nx", "-oProxyCommand=x",
                        "[dom0]", "dom0]", "[::1", "*", "dom?", "!dom0", "a;b",
                        "\xff\xfe", "dom0\x7f", NULL };
  g_autofree char *long_name = g_strnfill (254, 'a');
  g_autofree char *max_name = g_strnfill (253, 'a');
  g_autofree char *file = g_build_filename (tmpdir, "validate", NULL);
  g_autoptr(GError) error = NULL;
  gsize len;
  g_autofree guchar *key = key_a (&len);

  for (guint i = 0; good[i] != NULL; i++)
    {
      g_test_message ("good: %s", good[i]);
      g_assert_true (lab_known_hosts_validate_host (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("bad: %s", shown);
      g_assert_false (lab_known_hosts_validate_host (bad[i], &error));
      g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_CONFIG);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_clear_error (&error);
    }
  g_assert_true (lab_known_hosts_validate_host (max_name, NULL));
  g_assert_false (lab_known_hosts_validate_host (long_name, NULL));

  /* Nothing is written for a name that would forge or widen an entry. */
  g_assert_false (lab_known_hosts_add (file, "evil,dom0", 22, LIBSSH2_HOSTKEY_TYPE_ED25519,
                                       key, len, &error));
  g_assert_error (error, LAB_SSH_ERROR, LAB_SSH_ERROR_CONFIG);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  int ret;
  const char *rm[] = { "rm", "-rf", NULL, NULL };

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("known-hosts-XXXXXX", NULL);

  g_test_add_func ("/known-hosts/plain", test_plain);
  g_test_add_func ("/known-hosts/hashed", test_hashed);
  g_test_add_func ("/known-hosts/port", test_port);
  g_test_add_func ("/known-hosts/other-type-is-new", test_other_type);
  g_test_add_func ("/known-hosts/changed", test_changed);
  g_test_add_func ("/known-hosts/match-wins", test_match_wins);
  g_test_add_func ("/known-hosts/add", test_add);
  g_test_add_func ("/known-hosts/fingerprint", test_fingerprint);
  g_test_add_func ("/known-hosts/case-insensitive", test_case_insensitive);
  g_test_add_func ("/known-hosts/revoked", test_revoked);
  g_test_add_func ("/known-hosts/cert-authority-ignored", test_cert_authority);
  g_test_add_func ("/known-hosts/patterns", test_patterns);
  g_test_add_func ("/known-hosts/validate-host", test_validate_host);
  ret = g_test_run ();

  rm[2] = tmpdir;
  g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
  g_free (tmpdir);
  return ret;
}
