#!/bin/bash
# Mirage Lab developer entry point for a fresh Debian 12 / Ubuntu 24.04 machine.
#
#   build-aux/dev.sh run    install dependencies, build, launch the app
#   build-aux/dev.sh test   install dependencies, build with -Werror, run the whole test
#                           suite (unit, ui under Xvfb, lab, xen), then again under ASan+UBSan
#   build-aux/dev.sh deps   only install the dependencies
#
# Works as root or as a user with sudo. The labs need root (network namespaces), so `test`
# re-runs itself under sudo when started by a normal user.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$here")
cd "$top"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Build and runtime libraries (Debian 12 versions are the target stack).
build_packages=(
  meson ninja-build pkg-config gcc gettext libglib2.0-dev-bin
  libgtk-4-dev libadwaita-1-dev libvte-2.91-gtk4-dev libssh2-1-dev libjson-glib-dev
  libsoup-3.0-dev libsecret-1-dev desktop-file-utils appstream adwaita-icon-theme
  fonts-cantarell fonts-dejavu-core
)
# What the tests start for real: Xvfb, a session bus, sshd, dnsmasq, sudo, namespaces,
# busybox (udhcpc, httpd) for the lab's domains, QEMU and debootstrap for the real-Xen lab
# (dpkg-dev: dpkg-scanpackages for its first-boot mode's package mirror; the Debian archive
# keyring, so that debootstrap checks the Debian 12 dom0 it fetches on Ubuntu too); clang and its
# runtime for the libFuzzer smoke run of the parsers (tests/fuzz); fish and tcsh, the
# login shells the SSH lab tests run commands through; debhelper, lintian and git for
# build-aux/build-deb.sh (the Debian package), which the package suite runs before it
# installs the .deb into a debootstrapped Debian 12 chroot; the accessibility bus and
# pyatspi, with which tests/a11y walks the app through its accessibility tree and presses
# its keys, and a small window manager that gives the focus back to a window when another
# closes, as on a desktop; dunst, the notification server the installed app's desktop
# notifications are checked against (tests/check-installed-notify.sh).
test_packages=(
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0 matchbox-window-manager
  openssh-server openssh-client dnsmasq busybox sudo iproute2 bridge-utils procps
  util-linux psmisc python3 python3-yaml openssl make ifupdown acl fish tcsh
  qemu-system-x86 debootstrap debian-archive-keyring cpio gzip zstd xz-utils kmod dpkg-dev
  clang libclang-rt-dev debhelper lintian git dunst
)

install_deps() {
  local packages=("${build_packages[@]}")
  if [ "${1:-}" = test ]; then packages+=("${test_packages[@]}"); fi
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}"
  fi
}

configure() {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
  ninja -C "$dir"
}

run_suites() {
  local dir=$1; shift
  # UI tests need a display and a session bus; everything else runs in the same wrapper.
  xvfb-run -a -s "-screen 0 1280x800x24" \
    dbus-run-session -- meson test -C "$dir" --print-errorlogs "$@"
}

cmd=${1:-}
case "$cmd" in
  deps)
    install_deps test
    ;;
  run)
    install_deps
    configure _build
    exec meson devenv -C _build ./app/mirage-lab
    ;;
  test)
    if [ "$(id -u)" -ne 0 ]; then
      install_deps test
      exec sudo --preserve-env=CI,MIRAGE_LAB_CACHE,MIRAGE_LAB_SKIP_XEN "$0" test
    fi
    install_deps test
    export MIRAGE_LAB_REQUIRE_DISPLAY=1
    # In CI nothing may quietly skip: a lab that can't start is a failure.
    if [ "${CI:-}" = true ]; then
      export MIRAGE_LAB_REQUIRE_LAB=1
    fi
    start=$(date +%s)
    echo "== build (-Werror)"
    configure _build-test -Dwerror=true -Dbuildtype=debug
    # The xen suite is the long pole (real Xen under QEMU, one core, ~45 min); it runs in
    # the background on its own display and log while everything else shares the other
    # core at a lower priority, so that QEMU keeps its pace.
    echo "== xen suite started in the background (its output follows at the end)"
    xen_out=_build-test/meson-logs/xen-suite.out
    run_suites _build-test --no-rebuild --logbase testlog-xen --suite xen > "$xen_out" 2>&1 &
    xen_pid=$!
    # xvfb-run -a picks a free display by looking; give the first one time to take it.
    sleep 5
    rc=0
    nice -n 10 "$0" test-rest || rc=$?
    xen_rc=0
    wait "$xen_pid" || xen_rc=$?
    echo "== xen suite (real Xen 4.17 under QEMU)"
    cat "$xen_out"
    if [ "$rc" -ne 0 ] || [ "$xen_rc" -ne 0 ]; then
      echo "== FAILED: unit/ui/lab/ASan/fuzz exit $rc, xen suite exit $xen_rc"
      exit 1
    fi
    echo "== all suites passed in $(( $(date +%s) - start )) s"
    ;;
  test-rest)
    # Everything but the xen suite, on _build-test as `test` left it.
    echo "== unit, ui and lab suites"
    run_suites _build-test --no-rebuild --suite unit --suite ui --suite lab
    echo "== ASan + UBSan build"
    configure _build-asan -Dwerror=true -Dbuildtype=debug \
      -Db_sanitize=address,undefined -Db_lundef=false
    echo "== unit, ui and lab suites under ASan + UBSan"
    ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      run_suites _build-asan --timeout-multiplier 3 --suite unit --suite ui --suite lab
    echo "== package suite: the app installed with meson install, and the Debian package in a chroot"
    run_suites _build-test --no-rebuild --suite package
    echo "== fuzz smoke run: every parser's libFuzzer harness for a few seconds"
    if [ ! -f _build-fuzz/build.ninja ]; then
      CC=clang meson setup _build-fuzz -Dfuzz=true -Db_lundef=false -Dbuildtype=debug >/dev/null
    fi
    # Only the harnesses and the core they link: the UI is not fuzzed.
    ninja -C _build-fuzz $(cd _build-fuzz && ninja -t targets all \
      | sed -n 's|^\(tests/fuzz/fuzz-[a-z-]*\): .*|\1|p' | sort -u)
    tests/fuzz/smoke.sh _build-fuzz
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
