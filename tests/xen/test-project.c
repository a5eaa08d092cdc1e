/* test-project.c — finding a domain's Mirage project and building it: the pure parts
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "xen/lab-project.h"

static void
test_kind_from_listing (void)
{
  /* What `mirage configure -t xen` leaves (setup-recipes.md §1.3), before and after a build. */
  g_assert_cmpint (lab_project_kind_from_listing ("Makefile\n_build\nconfig.ml\ndist\ndune\n"
                                                  "dune-project\ndune-workspace\ndune.build\n"
                                                  "dune.config\nmirage\n"),
                   ==, LAB_PROJECT_KIND_MIRAGE4);
  g_assert_cmpint (lab_project_kind_from_listing ("config.ml\ndune-project\nunikernel.ml\n"),
                   ==, LAB_PROJECT_KIND_DUNE);
  /* mirage 2.x after `mirage configure --xen` (the 2015 recipe). */
  g_assert_cmpint (lab_project_kind_from_listing ("Makefile\nconfig.ml\ndispatch.ml\nfiles\n"
                                                  "main.ml\nmir-www.xen\nwww.xl\n"),
                   ==, LAB_PROJECT_KIND_CLASSIC);
  g_assert_cmpint (lab_project_kind_from_listing ("config.ml\nunikernel.ml\n"),
                   ==, LAB_PROJECT_KIND_UNCONFIGURED);
  g_assert_cmpint (lab_project_kind_from_listing ("https.xen\nhttps.xl\nhttps.xl.in\n"),
                   ==, LAB_PROJECT_KIND_NONE);
  g_assert_cmpint (lab_project_kind_from_listing (""), ==, LAB_PROJECT_KIND_NONE);
  /* Names are whole lines, not substrings. */
  g_assert_cmpint (lab_project_kind_from_listing ("old-config.ml\nMakefile.bak\n"), ==,
                   LAB_PROJECT_KIND_NONE);
}

static void
test_candidate_folders (void)
{
  g_auto(GStrv) mirage4 = lab_project_candidate_folders ("/home/mirage/src/https/dist/https.xl");
  g_auto(GStrv) classic = lab_project_candidate_folders ("/home/mirage/www/www.xl");
  g_auto(GStrv) shallow = lab_project_candidate_folders ("/www.xl");
  const char * const want4[] = { "/home/mirage/src/https/dist", "/home/mirage/src/https",
                                 "/home/mirage/src", NULL };
  const char * const want_classic[] = { "/home/mirage/www", "/home/mirage", "/home", NULL };
  const char * const want_shallow[] = { "/", NULL };

  g_assert_true (g_strv_equal ((const char * const *) mirage4, want4));
  g_assert_true (g_strv_equal ((const char * const *) classic, want_classic));
  g_assert_true (g_strv_equal ((const char * const *) shallow, want_shallow));
}

static void
test_build_argv (void)
{
  g_auto(GStrv) mirage4 = lab_project_build_argv (LAB_PROJECT_KIND_MIRAGE4);
  g_auto(GStrv) classic = lab_project_build_argv (LAB_PROJECT_KIND_CLASSIC);
  g_auto(GStrv) dune = lab_project_build_argv (LAB_PROJECT_KIND_DUNE);
  const char * const want4[] = { "sh", "-lc", "make build", NULL };
  const char * const want_classic[] = { "sh", "-lc", "make", NULL };
  const char * const want_dune[] = { "sh", "-lc", "dune build", NULL };

  g_assert_true (g_strv_equal ((const char * const *) mirage4, want4));
  g_assert_true (g_strv_equal ((const char * const *) classic, want_classic));
  g_assert_true (g_strv_equal ((const char * const *) dune, want_dune));
  g_assert_null (lab_project_build_argv (LAB_PROJECT_KIND_UNCONFIGURED));
  g_assert_null (lab_project_build_argv (LAB_PROJECT_KIND_NONE));
}

static void
test_parse_progress (void)
{
  static const char dune3[] = "\r\033[KDone: 97% (1234/1270, 36 left) (jobs: 2)";
  static const char dune2[] = "\rDone: 300/1200 (jobs: 1)\rDone: 600/1200 (jobs: 1)";
  static const char none[] = "dune build --profile release --root . ./dist\n";
  static const char broken[] = "Done: 12/0 Done: x/3 Done: 5/4 Done: 97% (";

  g_assert_cmpfloat_with_epsilon (lab_project_parse_progress (dune3, strlen (dune3)),
                                  1234.0 / 1270.0, 1e-9);
  /* The last one counts. */
  g_assert_cmpfloat_with_epsilon (lab_project_parse_progress (dune2, strlen (dune2)), 0.5,
                                  1e-9);
  g_assert_cmpfloat (lab_project_parse_progress (none, strlen (none)), ==, -1);
  g_assert_cmpfloat (lab_project_parse_progress (broken, strlen (broken)), ==, -1);
  /* Only @length bytes are read. */
  g_assert_cmpfloat (lab_project_parse_progress (dune2, 10), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/project/kind-from-listing", test_kind_from_listing);
  g_test_add_func ("/project/candidate-folders", test_candidate_folders);
  g_test_add_func ("/project/build-argv", test_build_argv);
  g_test_add_func ("/project/parse-progress", test_parse_progress);
  return g_test_run ();
}
