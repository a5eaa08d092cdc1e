/* test-ssh-config.c — the ~/.ssh/config subset Mirage Lab honours
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "ssh/lab-ssh-config.h"

static const char config_text[] =
  "# global part: applies to every host, first value wins\n"
  "ConnectTimeout 7\n"
  "\n"
  "Host dom0 dom0.lab\n"
  "  HostName 192.168.56.5\n"
  "  User mirage\n"
  "  Port 2222\n"
  "  IdentityFile ~/.ssh/lab_%h_%u_%r\n"
  "  IdentityFile \"/keys/with space\"\n"
  "\n"
  "Host *.lab !secret.lab\n"
  "  User labuser\n"
  "  HostName %h.internal\n"
  "\n"
  "Host=xen?\n"
  "  USER=xenadmin\n"
  "  port 2200\n"
  "\n"
  "Match exec \"false\"\n"
  "  User never\n"
  "\n"
  "Host *\n"
  "  User fallback\n"
  "  Port 22\n"
  "  ConnectTimeout 99\n"
  "  IdentityFile %d/.ssh/id_default\n";

static LabSshHostConfig *
lookup (const char *host)
{
  g_autoptr(LabSshConfig) config = lab_ssh_config_new_from_data (config_text, "/home/me/.ssh");

  return lab_ssh_config_lookup (config, host, "me", "/home/me");
}

static void
test_alias (void)
{
  g_autoptr(LabSshHostConfig) hc = lookup ("dom0");

  g_assert_cmpstr (hc->hostname, ==, "192.168.56.5");
  g_assert_cmpstr (hc->user, ==, "mirage");
  g_assert_cmpuint (hc->port, ==, 2222);
  g_assert_cmpuint (hc->connect_timeout, ==, 7);
  /* IdentityFile accumulates, in order; %h is the HostName, %u local, %r remote user. */
  g_assert_cmpuint (g_strv_length (hc->identity_files), ==, 3);
  g_assert_cmpstr (hc->identity_files[0], ==, "/home/me/.ssh/lab_192.168.56.5_me_mirage");
  g_assert_cmpstr (hc->identity_files[1], ==, "/keys/with space");
  g_assert_cmpstr (hc->identity_files[2], ==, "/home/me/.ssh/id_default");
}

static void
test_wildcards_and_negation (void)
{
  g_autoptr(LabSshHostConfig) web = lookup ("web.lab");
  g_autoptr(LabSshHostConfig) secret = lookup ("secret.lab");
  g_autoptr(LabSshHostConfig) xen1 = lookup ("xen1");
  g_autoptr(LabSshHostConfig) xen12 = lookup ("xen12");
  g_autoptr(LabSshHostConfig) dom0lab = lookup ("dom0.lab");

  g_assert_cmpstr (web->user, ==, "labuser");
  g_assert_cmpstr (web->hostname, ==, "web.lab.internal");
  g_assert_cmpuint (web->port, ==, 22);
  /* Negated: the *.lab block does not apply. */
  g_assert_cmpstr (secret->user, ==, "fallback");
  g_assert_null (secret->hostname);
  /* ? is exactly one character; keywords are case-insensitive, "=" is accepted. */
  g_assert_cmpstr (xen1->user, ==, "xenadmin");
  g_assert_cmpuint (xen1->port, ==, 2200);
  g_assert_cmpstr (xen12->user, ==, "fallback");
  /* First value wins: dom0.lab matches "dom0 dom0.lab" before "*.lab". */
  g_assert_cmpstr (dom0lab->user, ==, "mirage");
  g_assert_cmpstr (dom0lab->hostname, ==, "192.168.56.5");
}

typedef struct
{
  const char *host;
  const char *patterns;
  gboolean    match;
} PatternCase;

static void
assert_patterns (const PatternCase *cases,
                 gsize              n)
{
  for (gsize i = 0; i < n; i++)
    {
      gboolean match = lab_ssh_config_match_pattern_list (cases[i].host, cases[i].patterns);

      g_test_message ("pattern case %" G_GSIZE_FORMAT, i);
      g_assert_cmpint (match ? TRUE : FALSE, ==, cases[i].match);
    }
}

static void
test_pattern_lists (void)
{
  static const PatternCase cases[] = {
    { "a.example", "*.example", TRUE },
    { "A.Example", "*.example", TRUE },
    { "a.example", "!a.example,*", FALSE },
    { "b.example", "!a.example,*", TRUE },
    /* Only negations never match. */
    { "b.example", "!a.example", FALSE },
    { "h1", "h? x", TRUE },
    { "h10", "h?", FALSE },
  };

  assert_patterns (cases, G_N_ELEMENTS (cases));
}

static void
test_include_and_missing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ssh-config-XXXXXX", NULL);
  g_autofree char *main_path = g_build_filename (dir, "config", NULL);
  g_autofree char *inc_dir = g_build_filename (dir, "conf.d", NULL);
  g_autofree char *inc_path = g_build_filename (inc_dir, "lab.conf", NULL);
  g_autofree char *missing = g_build_filename (dir, "nope", NULL);
  g_autoptr(LabSshConfig) config = NULL;
  g_autoptr(LabSshConfig) empty = NULL;
  g_autoptr(LabSshHostConfig) hc = NULL;
  g_autoptr(LabSshHostConfig) other = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir (inc_dir, 0700);
  g_assert_true (g_file_set_contents (main_path, "Include conf.d/*.conf\n"
                                      "Host *\n  User last\n", -1, NULL));
  g_assert_true (g_file_set_contents (inc_path, "Host included\n  HostName 10.0.0.1\n"
                                      "  User inc\n", -1, NULL));
  config = lab_ssh_config_new_from_file (main_path, &error);
  g_assert_no_error (error);
  hc = lab_ssh_config_lookup (config, "included", "me", "/home/me");
  g_assert_cmpstr (hc->hostname, ==, "10.0.0.1");
  g_assert_cmpstr (hc->user, ==, "inc");
  other = lab_ssh_config_lookup (config, "other", "me", "/home/me");
  g_assert_cmpstr (other->user, ==, "last");
  g_assert_null (other->hostname);
  g_assert_cmpuint (other->port, ==, 0);

  /* A missing file is an empty configuration, not an error. */
  empty = lab_ssh_config_new_from_file (missing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (empty);

  g_unlink (inc_path);
  g_rmdir (inc_dir);
  g_unlink (main_path);
  g_rmdir (dir);
}

/* A ~/.ssh/config written in Latin-1: OpenSSH compares patterns and names as bytes, so a
 * non-UTF-8 pattern is an ordinary pattern that the (UTF-8) names we look up never match;
 * it must not upset the lookup of the other hosts. */
static void
test_not_utf8 (void)
{
  static const char text[] =
    "Host caf\xe9 *\xff* a*caf\xe9 web*.caf\xe9 \xc3\n"
    "  User latin1\n"
    "Host dom0 caf\xc3\xa9\n"
    "  User mirage\n"
    "Host *\n"
    "  User fallback\n";
  g_autoptr(LabSshConfig) config = lab_ssh_config_new_from_data (text, NULL);
  g_autoptr(LabSshHostConfig) dom0 = lab_ssh_config_lookup (config, "dom0", "me", "/home/me");
  g_autoptr(LabSshHostConfig) cafe = lab_ssh_config_lookup (config, "caf\xc3\xa9", "me",
                                                            "/home/me");
  g_autoptr(LabSshHostConfig) other = lab_ssh_config_lookup (config, "other", "me", "/home/me");
  static const PatternCase bytes[] = {
    { "caf\xe9", "caf\xe9", TRUE },
    { "caf\xe9", "caf?", TRUE },
    { "caf\xc3\xa9", "caf?", FALSE },
    { "caf\xc3\xa9", "caf??", TRUE },
    { "caf\xc3\xa9", "*\xa9", TRUE },
    { "dom0", "\xff*,!dom0", FALSE },
    { "web1.caf\xe9", "web*.caf\xe9", TRUE },
    { "web1.caf\xe9", "a*caf\xe9", FALSE },
  };

  g_assert_cmpstr (dom0->user, ==, "mirage");
  g_assert_cmpstr (cafe->user, ==, "mirage");
  g_assert_cmpstr (other->user, ==, "fallback");

  /* Bytes, as OpenSSH's match_pattern() compares them: '?' is one byte. */
  assert_patterns (bytes, G_N_ELEMENTS (bytes));
}

/* Many stars cost time in proportion to the lengths, not exponential backtracking. */
static void
test_many_stars (void)
{
  g_autofree char *host = g_strnfill (4000, 'a');
  g_autoptr(GString) pattern = g_string_new (NULL);
  static const PatternCase stars[] = {
    { "", "*", TRUE },
    { "", "?", FALSE },
    { "abc", "a*c", TRUE },
    { "ac", "a*c", TRUE },
    { "ab", "a*c", FALSE },
    { "abcbc", "*bc", TRUE },
    { "xyz", "x**z", TRUE },
  };

  for (guint i = 0; i < 200; i++)
    g_string_append (pattern, "*a");
  g_string_append (pattern, "*b");
  g_assert_false (lab_ssh_config_match_pattern_list (host, pattern->str));
  g_string_truncate (pattern, pattern->len - 1);
  g_string_append_c (pattern, 'a');
  g_assert_true (lab_ssh_config_match_pattern_list (host, pattern->str));
  assert_patterns (stars, G_N_ELEMENTS (stars));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ssh-config/alias", test_alias);
  g_test_add_func ("/ssh-config/wildcards-negation-first-wins", test_wildcards_and_negation);
  g_test_add_func ("/ssh-config/pattern-lists", test_pattern_lists);
  g_test_add_func ("/ssh-config/include-and-missing", test_include_and_missing);
  g_test_add_func ("/ssh-config/not-utf8", test_not_utf8);
  g_test_add_func ("/ssh-config/many-stars", test_many_stars);
  return g_test_run ();
}
