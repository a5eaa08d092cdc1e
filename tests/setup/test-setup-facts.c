/* test-setup-facts.c — versions, mirage's DHCP flag, MAC to interface, causes in output
 *
 * Copyright 2026 The Mirage Lab authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "setup/lab-setup-facts.h"

/* ---- versions ---- */

/* Each text of the NULL-terminated list after @patch gives the version major.minor.patch. */
static void G_GNUC_NULL_TERMINATED
assert_version (guint major,
                guint minor,
                guint patch,
                ...)
{
  va_list texts;
  const char *text;

  va_start (texts, patch);
  while ((text = va_arg (texts, const char *)) != NULL)
    {
      LabVersion version = { 99, 99, 99 };

      if (!lab_version_parse (text, &version))
        g_error ("no version found in “%s”", text);
      g_assert_cmpuint (version.major, ==, major);
      g_assert_cmpuint (version.minor, ==, minor);
      g_assert_cmpuint (version.patch, ==, patch);
    }
  va_end (texts);
}

static void
test_version_parse (void)
{
  LabVersion version = { 7, 7, 7 };

  /* mirage 4 (cmdliner ~version:"%%VERSION%%", substituted with the tag) and plain forms */
  assert_version (4, 11, 1, "v4.11.1\n", "4.11.1\n", NULL);
  assert_version (4, 10, 5, "4.10.5\n", NULL);
  /* mirage --version in the 2015 blog */
  assert_version (2, 0, 0, "2.0.0\n", "mirage 2.0.0", "2.0.0~beta", NULL);
  /* opam --version: Debian 12, Ubuntu 24.04, the 2015 recipe */
  assert_version (2, 1, 2, "2.1.2\n", NULL);
  assert_version (2, 1, 5, "2.1.5\n", NULL);
  assert_version (1, 2, 2, "1.2.2\n", NULL);
  /* ocaml -version */
  assert_version (5, 4, 1, "The OCaml toplevel, version 5.4.1\n", NULL);
  assert_version (4, 14, 1, "The OCaml toplevel, version 4.14.1", NULL);
  assert_version (2, 2, 0, "2.2", NULL);
  assert_version (3, 9, 0, "  V3.9.0 ", NULL);

  g_assert_false (lab_version_parse ("", &version));
  g_assert_false (lab_version_parse (NULL, &version));
  g_assert_false (lab_version_parse ("bash: line 1: mirage: command not found\n", &version));
  g_assert_false (lab_version_parse ("mirage: command not found", &version));
  g_assert_false (lab_version_parse ("version x.y", &version));
  g_assert_false (lab_version_parse ("4", &version));
  g_assert_false (lab_version_parse ("99999999999.1.0", &version));
  /* a failed parse leaves the version alone */
  g_assert_cmpuint (version.major, ==, 7);
  g_assert_true (lab_version_parse ("4.10.5", NULL));
}

static void
test_version_compare (void)
{
  LabVersion version = { 4, 10, 5 };
  g_autofree char *text = NULL;

  g_assert_cmpint (lab_version_compare (&version, 4, 10, 5), ==, 0);
  g_assert_cmpint (lab_version_compare (&version, 4, 10, 4), >, 0);
  g_assert_cmpint (lab_version_compare (&version, 4, 10, 6), <, 0);
  g_assert_cmpint (lab_version_compare (&version, 4, 9, 99), >, 0);
  g_assert_cmpint (lab_version_compare (&version, 4, 11, 0), <, 0);
  g_assert_cmpint (lab_version_compare (&version, 3, 99, 99), >, 0);
  g_assert_cmpint (lab_version_compare (&version, 5, 0, 0), <, 0);

  text = lab_version_to_string (&version);
  g_assert_cmpstr (text, ==, "4.10.5");
}

/* ---- mirage configure ---- */

static void
assert_configure (const char        *mirage,
                  const char *const *expected)
{
  LabVersion version;
  g_auto(GStrv) argv = NULL;
  g_autofree char *why = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *wanted = NULL;

  g_assert_true (lab_version_parse (mirage, &version));
  argv = lab_mirage_configure_argv (&version, &why);
  joined = g_strjoinv (" ", argv);
  wanted = g_strjoinv (" ", (char **) expected);
  g_assert_cmpstr (joined, ==, wanted);
  g_assert_cmpuint (g_strv_length (argv), ==, g_strv_length ((char **) expected));
  /* why names the version it is about */
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, mirage));

  g_strfreev (g_steal_pointer (&argv));
  argv = lab_mirage_configure_argv (&version, NULL);
  g_assert_cmpuint (g_strv_length (argv), ==, g_strv_length ((char **) expected));
}

static void
test_configure_argv (void)
{
  const char *const legacy[] = { "env", "DHCP=true", "mirage", "configure", "--xen", NULL };
  const char *const dhcp_true[] = { "mirage", "configure", "-t", "xen", "--dhcp", "true",
                                    NULL };
  const char *const plain[] = { "mirage", "configure", "-t", "xen", NULL };
  LabVersion version = { 4, 11, 1 };
  g_autofree char *why = NULL;

  assert_configure ("2.0.0", legacy);
  assert_configure ("2.6.0", legacy);
  assert_configure ("3.9.0", dhcp_true);
  assert_configure ("4.0.0", dhcp_true);
  assert_configure ("4.10.4", dhcp_true);
  assert_configure ("4.10.5", plain);
  assert_configure ("4.10.6", plain);
  assert_configure ("4.11.0", plain);
  assert_configure ("4.11.1", plain);
  assert_configure ("5.0.0", plain);

  /* the sentences differ where the reason differs */
  g_strfreev (lab_mirage_configure_argv (&version, &why));
  g_assert_cmpstr (why, ==, "mirage 4.11.1 uses DHCP unless --no-dhcp is given.");
}

/* ---- MAC to interface ---- */

/* `ip -o link` in a Debian 12 dom0 running in VirtualBox: NAT adapter 1, host-only adapter 2
 * as a port of br0 (which copied its MAC), and one unikernel's vif. */
static const char debian_dom0[] =
  "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group "
  "default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
  "2: enp0s3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode "
  "DEFAULT group default qlen 1000\\    link/ether 08:00:27:5c:1e:0a brd ff:ff:ff:ff:ff:ff\n"
  "3: enp0s8: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master br0 "
  "state UP mode DEFAULT group default qlen 1000\\    link/ether 08:00:27:a1:b2:c3 brd "
  "ff:ff:ff:ff:ff:ff\n"
  "4: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT "
  "group default qlen 1000\\    link/ether 08:00:27:a1:b2:c3 brd ff:ff:ff:ff:ff:ff\n"
  "7: vif3.0@if2: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master "
  "br0 state UP mode DEFAULT group default qlen 32\\    link/ether fe:ff:ff:ff:ff:ff brd "
  "ff:ff:ff:ff:ff:ff\n";

/* The same with the bridge listed before its port (order must not matter). */
static const char bridge_first[] =
  "4: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT "
  "group default qlen 1000\\    link/ether 08:00:27:a1:b2:c3 brd ff:ff:ff:ff:ff:ff\n"
  "3: enp0s8: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master br0 "
  "state UP mode DEFAULT group default qlen 1000\\    link/ether 08:00:27:a1:b2:c3 brd "
  "ff:ff:ff:ff:ff:ff\\    altname enp0s8f0\n";

/* Ubuntu 14.04 (iproute2 3.12): eth0 NAT, eth1 host-only, no "mode DEFAULT group". */
static const char ubuntu_trusty[] =
  "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN \\    link/loopback "
  "00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
  "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP qlen 1000\\"
  "    link/ether 08:00:27:12:34:56 brd ff:ff:ff:ff:ff:ff\n"
  "3: eth1: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP "
  "qlen 1000\\    link/ether 08:00:27:ab:cd:ef brd ff:ff:ff:ff:ff:ff\n";

static char *
interface_for (const char *output,
               const char *mac)
{
  g_autoptr(GError) error = NULL;
  char *name = lab_interface_for_mac (output, mac, &error);

  g_assert_no_error (error);
  return name;
}

static void
test_interface_for_mac (void)
{
  const char *forms[] = { "080027A1B2C3", "080027a1b2c3", "08:00:27:a1:b2:c3",
                          "08:00:27:A1:B2:C3", "08-00-27-A1-B2-C3", " 080027A1B2C3\n" };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *name = interface_for (debian_dom0, forms[i]);

      /* the port, not the bridge that copied its MAC */
      g_assert_cmpstr (name, ==, "enp0s8");
    }

  {
    g_autofree char *nat = interface_for (debian_dom0, "0800275C1E0A");
    g_autofree char *vif = interface_for (debian_dom0, "fe:ff:ff:ff:ff:ff");
    g_autofree char *port = interface_for (bridge_first, "080027A1B2C3");
    g_autofree char *eth1 = interface_for (ubuntu_trusty, "080027ABCDEF");
    g_autofree char *eth0 = interface_for (ubuntu_trusty, "08:00:27:12:34:56");

    g_assert_cmpstr (nat, ==, "enp0s3");
    g_assert_cmpstr (vif, ==, "vif3.0");
    g_assert_cmpstr (port, ==, "enp0s8");
    g_assert_cmpstr (eth1, ==, "eth1");
    g_assert_cmpstr (eth0, ==, "eth0");
  }

  /* a bridge with no port of that MAC (its address set by hand) is still found */
  {
    const char only_bridge[] =
      "4: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT "
      "group default qlen 1000\\    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n"
      "3: enp0s8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast master br0 "
      "state UP mode DEFAULT group default qlen 1000\\    link/ether 08:00:27:a1:b2:c3 brd "
      "ff:ff:ff:ff:ff:ff\n";
    g_autofree char *name = interface_for (only_bridge, "02:00:00:00:00:01");

    g_assert_cmpstr (name, ==, "br0");
  }
}

static void
test_interface_for_mac_errors (void)
{
  const char *invalid[] = { "", "08002", "080027AABBCCDD", "08:00:27:aa:bb:cg",
                            "GG0027AABBCC", "08:00:27:aa:bb", "08:00:27:aabb:cc" };
  g_autoptr(GError) error = NULL;
  char *name;

  /* not found: names the MAC and the interfaces seen, but not lo */
  name = lab_interface_for_mac (debian_dom0, "080027000001", &error);
  g_assert_null (name);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "08:00:27:00:00:01"));
  g_assert_nonnull (strstr (error->message, "enp0s3, enp0s8, br0, vif3.0"));
  g_assert_null (strstr (error->message, "lo,"));
  g_clear_error (&error);

  /* the loopback's all-zero address is no match */
  name = lab_interface_for_mac (debian_dom0, "000000000000", &error);
  g_assert_null (name);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Found by fuzzing: "@0:" left an empty name, and a name must be a device name as Linux
   * takes it before it goes into dom0's network configuration. */
  name = lab_interface_for_mac ("2: @0: <BROADCAST> mtu 1500\\    link/ether "
                                "08:00:27:a1:b2:c3 brd ff:ff:ff:ff:ff:ff\n"
                                "3: -x: <BROADCAST> mtu 1500\\    link/ether "
                                "08:00:27:a1:b2:c3 brd ff:ff:ff:ff:ff:ff\n",
                                "080027A1B2C3", &error);
  g_assert_null (name);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  name = lab_interface_for_mac ("", "080027A1B2C3", &error);
  g_assert_null (name);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "08:00:27:a1:b2:c3"));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      name = lab_interface_for_mac (debian_dom0, invalid[i], &error);
      g_assert_null (name);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  name = lab_interface_for_mac (debian_dom0, NULL, &error);
  g_assert_null (name);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* ---- causes in a failed command's output ---- */

static void
assert_cause (const char    *output,
              LabSetupCause  expected,
              const char    *in_meaning,
              const char    *in_fix)
{
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;
  LabSetupCause cause = lab_setup_diagnose_output (output, &meaning, &fix);

  g_test_message ("cause %d: %s / %s", cause, meaning != NULL ? meaning : "-",
                  fix != NULL ? fix : "-");
  g_assert_cmpint (cause, ==, expected);
  if (expected == LAB_SETUP_CAUSE_NONE)
    {
      g_assert_null (meaning);
      g_assert_null (fix);
      return;
    }
  g_assert_nonnull (meaning);
  g_assert_nonnull (fix);
  if (in_meaning != NULL && strstr (meaning, in_meaning) == NULL)
    g_error ("meaning “%s” does not contain “%s”", meaning, in_meaning);
  if (in_fix != NULL && strstr (fix, in_fix) == NULL)
    g_error ("fix “%s” does not contain “%s”", fix, in_fix);

  /* the out arguments are optional */
  g_assert_cmpint (lab_setup_diagnose_output (output, NULL, NULL), ==, expected);
}

static const char apt_update_dns[] =
  "Err:1 http://deb.debian.org/debian bookworm InRelease\n"
  "  Temporary failure resolving 'deb.debian.org'\n"
  "Err:2 http://deb.debian.org/debian-security bookworm-security InRelease\n"
  "  Temporary failure resolving 'deb.debian.org'\n"
  "Reading package lists... Done\n"
  "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary "
  "failure resolving 'deb.debian.org'\n"
  "W: Some index files failed to download. They have been ignored, or old ones used "
  "instead.\n";

static const char apt_install_connect[] =
  "Reading package lists...\n"
  "Building dependency tree...\n"
  "The following NEW packages will be installed:\n"
  "  opam\n"
  "Err:1 http://deb.debian.org/debian bookworm/main amd64 opam amd64 2.1.2-1+deb12u2\n"
  "  Could not connect to deb.debian.org:80 (151.101.130.132), connection timed out\n"
  "E: Failed to fetch http://deb.debian.org/debian/pool/main/o/opam/"
  "opam_2.1.2-1%2bdeb12u2_amd64.deb  Could not connect to deb.debian.org:80 "
  "(151.101.130.132), connection timed out\n"
  "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?\n";

/* opam 2.1 wraps its error lines at the terminal width. */
static const char opam_init_offline[] =
  "[NOTE] Will configure from built-in defaults.\n"
  "Checking for available remotes: rsync and local, git.\n"
  "\n"
  "<><> Fetching repository information ><><><><><><><><><><><><><><><><><><><><><>\n"
  "[ERROR] Could not update repository \"default\":\n"
  "        OpamDownload.Download_fail(_, \"Curl failed: \\\"/usr/bin/curl --write-out\n"
  "        %{http_code}\\\\\\\\n --retry 3 --retry-delay 2 --user-agent opam/2.1.2 -L -o\n"
  "        /tmp/opam-4242-8b1c7e/index.tar.gz.part --\n"
  "        https://opam.ocaml.org/index.tar.gz\\\" exited with code 6\")\n"
  "[ERROR] Initial download of repository failed.\n";

static const char opam_overlay_repository[] =
  "[ERROR] Could not update repository \"mirage-overlays\": \"/usr/bin/git fetch\n"
  "        -q\" exited with code 128 \"fatal: unable to access\n"
  "        'https://github.com/dune-universe/mirage-opam-overlays.git/':\n"
  "        Could not resolve host: github.com\"\n"
  "[ERROR] Initial repository fetch failed\n";

static const char opam_sources_connect[] =
  "<><> Processing actions <><><><><><><><><><><><><><><><><><><><><><><><><><><><>\n"
  "[ERROR] Failed to get sources of mirage.4.11.1: Curl failed\n"
  "\n"
  "OpamSolution.Fetch_fail(\"https://github.com/mirage/mirage/releases/download/v4.11.1/"
  "mirage-4.11.1.tbz (Curl failed: \\\"/usr/bin/curl --write-out %{http_code}\\\\\\\\n "
  "--retry 3 --retry-delay 2 --user-agent opam/2.1.5 -L -o "
  "/home/mirage/.opam/mirage/.opam-switch/sources/mirage.4.11.1/mirage-4.11.1.tbz.part -- "
  "https://github.com/mirage/mirage/releases/download/v4.11.1/mirage-4.11.1.tbz\\\" "
  "exited with code 7)\")\n";

/* A TLS failure while opam fetches an overlay repository with git (captured by a user of
 * mirage-skeleton's applications/dns; no host-name failure in it). */
static const char opam_overlay_tls[] =
  "[ERROR] Could not update repository \"mirage-overlays\": \"/usr/bin/git fetch\n"
  "        -q\" exited with code 128 \"fatal: unable to access\n"
  "        'https://github.com/dune-universe/mirage-opam-overlays.git/':\n"
  "        gnutls_handshake() failed: The TLS connection was non-properly\n"
  "        terminated.\"\n"
  "[ERROR] Initial repository fetch failed\n"
  "[ERROR] No repository mirage-overlays found\n"
  "make[4]: *** [Makefile:18: repo-add] Error 5\n";

static const char git_clone_offline[] =
  "Cloning into 'mirage-skeleton'...\n"
  "fatal: unable to access 'https://github.com/mirage/mirage-skeleton.git/': Could not "
  "resolve host: github.com\n";

static const char git_connect_refused[] =
  "Cloning into 'mirage-skeleton'...\n"
  "fatal: unable to access 'https://github.com/mirage/mirage-skeleton.git/': Failed to "
  "connect to github.com port 443 after 3 ms: Couldn't connect to server\n";

static const char curl_offline[] =
  "curl: (6) Could not resolve host: raw.githubusercontent.com\n";

static const char wget_offline[] =
  "--2026-12-03 10:00:00--  https://opam.ocaml.org/install.sh\n"
  "Resolving opam.ocaml.org (opam.ocaml.org)... failed: Temporary failure in name "
  "resolution.\n"
  "wget: unable to resolve host address ‘opam.ocaml.org’\n";

static const char unreachable[] =
  "Err:1 http://deb.debian.org/debian bookworm InRelease\n"
  "  Cannot initiate the connection to deb.debian.org:80 (2a04:4e42::644). - connect (101: "
  "Network is unreachable)\n";

static const char no_route[] =
  "connect: Network is unreachable\n";

/* ocaml/opam#5968 (Ubuntu 24.04, opam 2.1.5) */
static const char opam_sandbox[] =
  "[ERROR] Sandboxing is not working on your platform ubuntu:\n"
  "        \"~/.opam/opam-init/hooks/sandbox.sh build sh -c echo SUCCESS "
  ">$TMPDIR/opam-sandbox-check-out && cat $TMPDIR/opam-sandbox-check-out; rm -f "
  "$TMPDIR/opam-sandbox-check-out\" exited with code 1 \"bwrap: loopback: Failed "
  "RTM_NEWADDR: Operation not permitted\"\n"
  "Do you want to disable it?  Note that this will result in less secure package builds, so "
  "please ensure that you have some other isolation mechanisms in place (such as running "
  "within a container or virtual machine). [y/n] n\n";

/* The same at build time, after opam init passed (the sandbox wraps every build). */
static const char opam_build_sandbox[] =
  "#=== ERROR while compiling ocamlfind.1.9.8 ====================================#\n"
  "# context     2.1.5 | linux/x86_64 | ocaml-base-compiler.5.4.1 | "
  "https://opam.ocaml.org#2026-12-01\n"
  "# path        ~/.opam/mirage/.opam-switch/build/ocamlfind.1.9.8\n"
  "# command     ~/.opam/opam-init/hooks/sandbox.sh build ./configure -bindir "
  "/home/mirage/.opam/mirage/bin\n"
  "# exit-code   1\n"
  "### output ###\n"
  "# bwrap: setting up uid map: Permission denied\n";

static const char dpkg_locked[] =
  "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1873 "
  "(unattended-upgr)\n"
  "N: Be aware that removing the lock file is not a solution and may break your system.\n"
  "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another "
  "process using it?\n";

/* Ubuntu 14.04's apt */
static const char dpkg_locked_trusty[] =
  "E: Could not get lock /var/lib/dpkg/lock - open (11: Resource temporarily unavailable)\n"
  "E: Unable to lock the administration directory (/var/lib/dpkg/), is another process "
  "using it?\n";

/* apt run without sudo: the same words, but not a lock held by someone else */
static const char apt_not_root[] =
  "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n"
  "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n";

static const char apt_not_root_trusty[] =
  "E: Could not open lock file /var/lib/dpkg/lock - open (13: Permission denied)\n"
  "E: Unable to lock the administration directory (/var/lib/dpkg/), are you root?\n";

static const char no_space[] =
  "[ERROR] The compilation of ocaml-base-compiler.5.4.1 failed at \"make -j2\".\n"
  "#=== ERROR while compiling ocaml-base-compiler.5.4.1 =========================#\n"
  "# output ###\n"
  "# /usr/bin/ld: final link failed: No space left on device\n"
  "# collect2: error: ld returned 1 exit status\n";

static const char apt_no_space[] =
  "Need to get 310 MB of archives.\n"
  "After this operation, 1,234 MB of additional disk space will be used.\n"
  "E: You don't have enough free space in /var/cache/apt/archives/.\n";

static const char compiler_error[] =
  "File \"unikernel.ml\", line 12, characters 4-20:\n"
  "12 |     Stack.listen stack\n"
  "         ^^^^^^^^^^^^^^^^\n"
  "Error: This expression has type unit Lwt.t\n"
  "       but an expression was expected of type unit\n"
  "make[1]: *** [Makefile:35: build] Error 1\n";

static const char gcc_error[] =
  "bindings/xen/platform.c:42:5: error: implicit declaration of function 'foo' "
  "[-Werror=implicit-function-declaration]\n"
  "warning: unreachable code\n"
  "make: *** [Makefile:12: all] Error 1\n";

static void
test_diagnose_offline (void)
{
  assert_cause (apt_update_dns, LAB_SETUP_CAUSE_OFFLINE, "deb.debian.org",
                "getent hosts deb.debian.org");
  assert_cause (apt_install_connect, LAB_SETUP_CAUSE_OFFLINE, "connect to deb.debian.org",
                "ping -c 3 deb.debian.org");
  assert_cause (opam_init_offline, LAB_SETUP_CAUSE_OFFLINE, "opam.ocaml.org",
                "opam.ocaml.org");
  assert_cause (opam_overlay_repository, LAB_SETUP_CAUSE_OFFLINE, "github.com", NULL);
  assert_cause (opam_overlay_tls, LAB_SETUP_CAUSE_OFFLINE, "“mirage-overlays” from github.com",
                "github.com");
  assert_cause (opam_sources_connect, LAB_SETUP_CAUSE_OFFLINE, "connect to github.com", NULL);
  assert_cause (git_clone_offline, LAB_SETUP_CAUSE_OFFLINE, "look up the address of github.com",
                "getent hosts github.com");
  assert_cause (git_connect_refused, LAB_SETUP_CAUSE_OFFLINE, "connect to github.com", NULL);
  assert_cause (curl_offline, LAB_SETUP_CAUSE_OFFLINE, "raw.githubusercontent.com", NULL);
  assert_cause (wget_offline, LAB_SETUP_CAUSE_OFFLINE, "opam.ocaml.org", NULL);
  assert_cause (unreachable, LAB_SETUP_CAUSE_OFFLINE, "deb.debian.org", NULL);
  assert_cause (no_route, LAB_SETUP_CAUSE_OFFLINE, "internet", "resolv.conf");
  assert_cause ("[ERROR] Could not update repository \"default\": timeout\n",
                LAB_SETUP_CAUSE_OFFLINE, "“default”", NULL);
}

static void
test_diagnose_other (void)
{
  assert_cause (opam_sandbox, LAB_SETUP_CAUSE_SANDBOX, "bubblewrap", "--disable-sandboxing");
  assert_cause (opam_build_sandbox, LAB_SETUP_CAUSE_SANDBOX, NULL, "opam init");
  assert_cause (dpkg_locked, LAB_SETUP_CAUSE_DPKG_LOCKED, "unattended-upgr (process 1873)",
                NULL);
  assert_cause (dpkg_locked_trusty, LAB_SETUP_CAUSE_DPKG_LOCKED, "dpkg lock", NULL);
  assert_cause (no_space, LAB_SETUP_CAUSE_NO_SPACE, "No space left on device", "df -h");
  assert_cause (apt_no_space, LAB_SETUP_CAUSE_NO_SPACE, "/var/cache/apt/archives/", NULL);

  /* bwrap ran, but the build command was missing; "Permission denied" is another tool's */
  {
    g_autofree char *far = g_strconcat ("# bwrap: execvp gmake: No such file or directory\n",
                                        gcc_error,
                                        "cp: cannot create regular file '/usr/local/bin/x': "
                                        "Permission denied\n", NULL);

    assert_cause (far, LAB_SETUP_CAUSE_NONE, NULL, NULL);
  }
  assert_cause (apt_not_root, LAB_SETUP_CAUSE_NONE, NULL, NULL);
  assert_cause (apt_not_root_trusty, LAB_SETUP_CAUSE_NONE, NULL, NULL);
  assert_cause (compiler_error, LAB_SETUP_CAUSE_NONE, NULL, NULL);
  assert_cause (gcc_error, LAB_SETUP_CAUSE_NONE, NULL, NULL);
  assert_cause ("", LAB_SETUP_CAUSE_NONE, NULL, NULL);
  assert_cause (NULL, LAB_SETUP_CAUSE_NONE, NULL, NULL);
  assert_cause ("E: Unable to locate package xen-hypervisor-4.4-amd64\n",
                LAB_SETUP_CAUSE_NONE, NULL, NULL);
  /* not UTF-8 (a Latin-1 locale's output) still reads */
  assert_cause ("fatal: impossible d'acc\xe9" "der \xe0" " 'https://github.com/m.git/': Could not "
                "resolve host: github.com\n", LAB_SETUP_CAUSE_OFFLINE, "github.com", NULL);
}

/* A disk that fills up while apt also cannot reach a mirror: space is the cause to fix. */
static void
test_diagnose_order (void)
{
  g_autofree char *both = g_strconcat (apt_update_dns, no_space, NULL);
  g_autofree char *locked_offline = g_strconcat (apt_update_dns, dpkg_locked, NULL);

  assert_cause (both, LAB_SETUP_CAUSE_NO_SPACE, NULL, NULL);
  assert_cause (locked_offline, LAB_SETUP_CAUSE_DPKG_LOCKED, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/facts/version/parse", test_version_parse);
  g_test_add_func ("/setup/facts/version/compare", test_version_compare);
  g_test_add_func ("/setup/facts/mirage-configure", test_configure_argv);
  g_test_add_func ("/setup/facts/interface-for-mac", test_interface_for_mac);
  g_test_add_func ("/setup/facts/interface-for-mac/errors", test_interface_for_mac_errors);
  g_test_add_func ("/setup/facts/diagnose/offline", test_diagnose_offline);
  g_test_add_func ("/setup/facts/diagnose/other", test_diagnose_other);
  g_test_add_func ("/setup/facts/diagnose/order", test_diagnose_order);
  return g_test_run ();
}
