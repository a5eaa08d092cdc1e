#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Debian package, installed for real (suite `package`): builds the .deb with
# build-aux/build-deb.sh (lintian included), installs it with apt into a fresh Debian 12
# (bookworm) minbase chroot that has no network at all, and runs `mirage-lab --version` and
# `--help` there: a library the package does not declare is missing there, and one Debian 12
# does not have fails the install.
# Then checks what dpkg installed: desktop file, metainfo, GSettings schema (compiled by
# glib's trigger), icons and the nb translation.
#
#   tests/package/test-deb-install.sh SRCDIR VERSION
#
# The package is built from SRCDIR's HEAD (uncommitted changes are not in it).
# The chroot is cached in $MIRAGE_LAB_CACHE/deb-chroot-KEY (default /var/cache/mirage-lab),
# KEY from the package's Depends and Pre-Depends and the debootstrap arguments; the two
# newest are kept. Making it is the only step that uses the network: debootstrap from the
# machine's Debian mirror (or XENLAB_MIRROR / XENLAB_SECURITY_MIRROR, as the real-Xen lab),
# `apt-get update`, and `apt-get install --download-only` of the package's dependencies into
# the chroot's apt cache. The install itself runs on an overlay (or a copy) of the cached
# chroot in `unshare --net --mount`: no network, and every mount ends with the namespace.
#
# Exit 77 (skip) when not root or a tool is missing — a failure instead under
# MIRAGE_LAB_REQUIRE_LAB=1. Every wait is bounded by `timeout`.
set -uo pipefail

SELF=$(readlink -f "$0")
SUITE=bookworm
# Bump when the way the cached chroot is made changes (a new one is made).
RECIPE=1
PATH_IN_ROOT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
APP_ID=io.github.miragelab.MirageLab

# ---------------------------------------------------------------------------------------
# Inside `unshare --net --mount`: $0 --inside LOWER TMP DEB VERSION
# ---------------------------------------------------------------------------------------
in_root() {
  chroot "$R" env -i PATH="$PATH_IN_ROOT" HOME=/root LC_ALL=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

# mirage-lab ARGS in the root, started as a fresh login would start it, bounded.
app_in_root() {
  timeout 30 chroot "$R" env -i PATH="$PATH_IN_ROOT" HOME=/root LC_ALL=C.UTF-8 mirage-lab "$@"
}

# A failed check of inside(): "not ok: MESSAGE", then DETAIL (what the check saw) if given.
not_ok() {
  echo "not ok: $1"
  [ $# -lt 2 ] || echo "$2"
  fail=1
}

inside() {
  local lower=$1 tmp=$2 deb=$3 version=$4 fail=0 out status f
  # Everything the install writes goes to a tmpfs of this mount namespace, so that it is
  # gone with the namespace however the test ends.
  mount -t tmpfs -o size=1g,mode=0755 mirage-lab-package "$tmp" ||
    { echo "not ok: mounting a tmpfs on $tmp failed"; return 1; }
  R="$tmp/root"
  mkdir -p "$R" "$tmp/upper" "$tmp/work"
  # An overlay leaves the cache untouched and costs nothing; a copy where overlayfs is
  # not available.
  if mount -t overlay overlay \
       -o "lowerdir=$lower,upperdir=$tmp/upper,workdir=$tmp/work" "$R" 2> /dev/null; then
    echo "chroot: an overlay of the cached one"
  else
    echo "chroot: a copy of the cached one (no overlayfs here)"
    cp -a "$lower/." "$R/" || { echo "not ok: copying the chroot failed"; return 1; }
  fi
  mount -t proc proc "$R/proc" || { echo "not ok: mounting /proc failed"; return 1; }
  if ip -o link show 2> /dev/null | grep -qv ': lo:'; then
    echo "not ok: the namespace has a network interface besides lo"
    return 1
  fi

  cp "$deb" "$R/tmp/" && chmod 644 "$R/tmp/$(basename "$deb")"
  # Two apt runs, because apt 2.6 cannot hand a local .deb to dpkg under --no-download
  # ("Pathname to install is not absolute"): the first proves that every archive the
  # package needs is in the cache, the second installs, where a fetch could only fail.
  echo "--- apt-get install --no-install-recommends /tmp/$(basename "$deb"), offline"
  if ! timeout 300 chroot "$R" env -i PATH="$PATH_IN_ROOT" HOME=/root LC_ALL=C.UTF-8 \
         apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends --no-download \
         --download-only "/tmp/$(basename "$deb")" > "$tmp/apt.log" 2>&1 ||
     ! timeout 600 chroot "$R" env -i PATH="$PATH_IN_ROOT" HOME=/root LC_ALL=C.UTF-8 \
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 \
         --no-install-recommends "/tmp/$(basename "$deb")" >> "$tmp/apt.log" 2>&1; then
    cat "$tmp/apt.log"
    echo "not ok: apt-get could not install the package offline: a dependency Debian 12" \
         "does not have, or one the cached chroot lacks"
    return 1
  fi
  grep -E '^(Setting up|Processing triggers)' "$tmp/apt.log" | tail -n 8
  # shellcheck disable=SC2016
  status=$(in_root dpkg-query -W -f '${Status} ${Version}' mirage-lab 2>&1)
  case "$status" in
    "install ok installed "*) echo "ok: dpkg: $status" ;;
    *) echo "not ok: dpkg says: $status"; fail=1 ;;
  esac

  out=$(in_root ldd /usr/bin/mirage-lab 2>&1 | grep 'not found')
  if [ -n "$out" ]; then
    not_ok "libraries the package does not pull in:" "$out"
  else
    echo "ok: ldd finds every library of /usr/bin/mirage-lab"
  fi
  out=$(app_in_root --version 2>&1)
  status=$?
  if [ $status -ne 0 ] || [ "$out" != "mirage-lab $version" ]; then
    not_ok "mirage-lab --version gave status $status and: $out"
  else
    echo "ok: mirage-lab --version prints: $out"
  fi
  out=$(app_in_root --help 2>&1)
  status=$?
  if [ $status -ne 0 ] || ! grep -q -- '--version' <<<"$out" \
     || ! grep -q 'Run MirageOS unikernels on Xen' <<<"$out"; then
    not_ok "mirage-lab --help gave status $status and:" "$out"
  else
    echo "ok: mirage-lab --help lists --version"
  fi

  for f in /usr/bin/mirage-lab \
           "/usr/share/applications/$APP_ID.desktop" \
           "/usr/share/metainfo/$APP_ID.metainfo.xml" \
           "/usr/share/glib-2.0/schemas/$APP_ID.gschema.xml" \
           "/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg" \
           "/usr/share/icons/hicolor/symbolic/apps/$APP_ID-symbolic.svg" \
           /usr/share/locale/nb/LC_MESSAGES/mirage-lab.mo \
           /usr/share/man/man1/mirage-lab.1.gz \
           /usr/share/doc/mirage-lab/copyright; do
    if [ -s "$R$f" ] && in_root dpkg -S "$f" > /dev/null 2>&1; then
      echo "ok: installed $f"
    else
      echo "not ok: $f is missing or not the package's"
      fail=1
    fi
  done
  # The package ships the schema; libglib2.0-0's trigger compiles it (the package must not
  # ship gschemas.compiled itself).
  f=/usr/share/glib-2.0/schemas/gschemas.compiled
  if in_root dpkg -S "$f" > /dev/null 2>&1; then
    echo "not ok: a package ships $f instead of leaving it to glib's trigger"
    fail=1
  elif grep -aq "$APP_ID" "$R$f" 2> /dev/null; then
    echo "ok: glib's trigger compiled $APP_ID into $f"
  else
    echo "not ok: $f does not hold $APP_ID (glib-compile-schemas did not run?)"
    fail=1
  fi
  return $fail
}

if [ "${1:-}" = --inside ]; then
  shift
  inside "$@"
  exit $?
fi

# ---------------------------------------------------------------------------------------
# Outside
# ---------------------------------------------------------------------------------------
src=${1:?usage: test-deb-install.sh SRCDIR VERSION}
version=${2:?usage: test-deb-install.sh SRCDIR VERSION}
CACHE_ROOT="${MIRAGE_LAB_CACHE:-/var/cache/mirage-lab}"
T0=$(date +%s)

skip() {
  if [ "${MIRAGE_LAB_REQUIRE_LAB:-}" = 1 ]; then
    echo "FAIL: the package test cannot run and MIRAGE_LAB_REQUIRE_LAB=1: $*"
    exit 1
  fi
  echo "SKIP: $*"
  exit 77
}
fail() { echo "FAIL: $*"; exit 1; }

phase_t0=0
phase() { phase_t0=$(date +%s); echo "== $*"; }
phase_done() { echo "== $1 took $(( $(date +%s) - phase_t0 )) s"; }

[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot, unshare)"
for t in git dpkg-buildpackage dh lintian debootstrap unshare chroot flock timeout; do
  command -v "$t" > /dev/null || skip "$t missing (build-aux/dev.sh deps installs it)"
done
unmet=$(cd "$src/build-aux" && dpkg-checkbuilddeps debian/control 2>&1) ||
  skip "build dependencies missing: ${unmet##*: }"

# As tests/xen-lab/xenlab's mirror_urls(): the machine's own Debian mirror, else the CDN.
mirror_urls() {
  local main sec
  main=${XENLAB_MIRROR:-}
  sec=${XENLAB_SECURITY_MIRROR:-}
  if [ -z "$main" ]; then
    main=$(grep -rhoE '(http|https)://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
             /etc/apt/sources.list.d/ 2>/dev/null | head -n1 | tr -d ' ' || true)
    main=${main:-http://deb.debian.org/debian}
  fi
  if [ -z "$sec" ]; then
    sec=$(grep -rhoE '(http|https)://[^ ]+/debian-security/?( |$)' /etc/apt/sources.list \
            /etc/apt/sources.list.d/ 2>/dev/null | head -n1 | tr -d ' ' || true)
    sec=${sec:-http://deb.debian.org/debian-security}
  fi
  MIRROR=${main%/}
  SEC_MIRROR=${sec%/}
}

# The test's own output, for a message from a trap that runs while a step's output is
# redirected to its log.
exec 3>&1
TMP=$(mktemp -d /tmp/mirage-lab-package.XXXXXX)
MAKING=""
CHILD=""
cleanup() {
  # A chroot left half-made is removed (the next run starts it again); the lock goes with
  # the process. The install's mounts lived in its own namespace and are gone already.
  if [ -n "$MAKING" ] && [ ! -f "$MAKING/.complete" ]; then rm -rf "$MAKING"; fi
  rm -rf "$TMP"
}
# Stops the running step at once (`timeout` made it a process group of its own, and kills
# it 10 s after a TERM it ignores), then cleans up.
interrupted() {
  if [ -n "$CHILD" ]; then
    kill -TERM -- "-$CHILD" 2> /dev/null
    wait "$CHILD"
  fi
  echo "FAIL: interrupted" >&3
  exit 130
}
trap cleanup EXIT
trap interrupted INT TERM

# bounded SECONDS COMMAND...: COMMAND under `timeout` (KILL 10 s after TERM), waited for
# in the background so that a signal to this script is handled at once.
bounded() {
  local rc=0
  timeout -k 10 "$@" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return $rc
}

# 1. The package, from a clean export of HEAD.
phase "build the package (build-aux/build-deb.sh)"
if ! bounded 1800 "$src/build-aux/build-deb.sh" "$TMP/out" > "$TMP/build-deb.log" 2>&1; then
  cat "$TMP/build-deb.log"
  fail "build-aux/build-deb.sh failed"
fi
grep -v '^/' "$TMP/build-deb.log"
deb=$(tail -n 1 "$TMP/build-deb.log")
[ -f "$deb" ] || fail "build-deb.sh printed no .deb: $deb"
echo "package: $deb ($(du -k "$deb" | cut -f1) KiB)"
phase_done "build"

# 2. The cached chroot with the package's dependencies in its apt cache.
phase "Debian 12 chroot with the package's dependencies (cache)"
mirror_urls
depends=$(dpkg-deb -f "$deb" Depends)
predepends=$(dpkg-deb -f "$deb" Pre-Depends)
debootstrap_args=(--variant=minbase "$SUITE")
KEY=$( { echo "recipe $RECIPE"; echo "Depends: $depends"; echo "Pre-Depends: $predepends"
         echo "debootstrap ${debootstrap_args[*]} $MIRROR"; echo "security $SEC_MIRROR"; } |
       sha256sum | cut -c1-16)
C="$CACHE_ROOT/deb-chroot-$KEY"
echo "Depends: $depends"
mkdir -p "$CACHE_ROOT"
exec 9> "$CACHE_ROOT/.deb-chroot.lock"
flock -w 3600 9 || fail "another run has held $CACHE_ROOT/.deb-chroot.lock for an hour"
if [ -f "$C/.complete" ]; then
  echo "reusing $C (made $(cat "$C/made"))"
  # .complete's time is the chroot's last use, which pruning goes by.
  touch "$C/.complete"
else
  # Under the lock, a folder without .complete is one an interrupted run left.
  for old in "$CACHE_ROOT"/deb-chroot-*/; do
    [ ! -d "$old" ] || [ -f "$old/.complete" ] || rm -rf "$old"
  done
  MAKING=$C
  mkdir -p "$C"
  echo "making $C: debootstrap ${debootstrap_args[*]} from $MIRROR"
  if ! bounded 1800 debootstrap "${debootstrap_args[@]}" "$C/rootfs" "$MIRROR" \
         > "$C/debootstrap.log" 2>&1; then
    tail -n 30 "$C/debootstrap.log"
    fail "debootstrap failed (network or mirror $MIRROR)"
  fi
  cat > "$C/rootfs/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SEC_MIRROR $SUITE-security main
EOF
  # No service starts in the chroot.
  printf '#!/bin/sh\nexit 101\n' > "$C/rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$C/rootfs/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$C/rootfs/etc/resolv.conf" 2> /dev/null || true
  cp "$deb" "$C/rootfs/tmp/" && chmod 644 "$C/rootfs/tmp/$(basename "$deb")"
  # /proc only in a mount namespace of its own, so that no mount outlives this step.
  # shellcheck disable=SC2016
  if ! bounded 1800 unshare --mount --pid --fork --kill-child -- sh -ec '
         mount -t proc proc "$1/proc"
         chroot "$1" apt-get update -q
         chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
           --download-only --no-install-recommends "/tmp/$2"' \
         sh "$C/rootfs" "$(basename "$deb")" > "$C/apt.log" 2>&1; then
    tail -n 30 "$C/apt.log"
    fail "apt-get update / --download-only in the chroot failed"
  fi
  rm -f "$C/rootfs/tmp/$(basename "$deb")" "$C/rootfs/etc/resolv.conf"
  ls "$C/rootfs/var/cache/apt/archives/"mirage-lab_* > /dev/null 2>&1 &&
    fail "the package itself landed in the chroot's apt cache"
  { echo "Depends: $depends"; echo "Pre-Depends: $predepends"
    echo "debootstrap ${debootstrap_args[*]} $MIRROR"; echo "security $SEC_MIRROR"; } \
    > "$C/key.txt"
  date -u +%Y-%m-%dT%H:%M:%SZ > "$C/made"
  touch "$C/.complete"
  MAKING=""
  # Keep the two chroots used last.
  # shellcheck disable=SC2012
  for old in $(ls -1td "$CACHE_ROOT"/deb-chroot-*/.complete 2> /dev/null | tail -n +3); do
    echo "pruning $(dirname "$old")"
    rm -rf "$(dirname "$old")"
  done
fi
archives="$C/rootfs/var/cache/apt/archives"
echo "cache: $(du -sh "$C" | cut -f1), of which $(du -sh "$archives" | cut -f1) are the" \
  "dependencies' $(find "$archives" -maxdepth 1 -name '*.deb' | wc -l) .debs"
phase_done "cache"

# 3. Install and run, offline. The lock stays held: a newer run may not prune this chroot
# while it is the overlay's lower layer.
phase "apt install in the chroot without network, then run"
rc=0
mkdir "$TMP/inside"
bounded 1200 unshare --net --mount --pid --fork --kill-child -- \
  "$SELF" --inside "$C/rootfs" "$TMP/inside" "$deb" "$version" || rc=$?
phase_done "install"
echo "total $(( $(date +%s) - T0 )) s"
[ $rc -eq 0 ] || fail "the installed package failed its checks (exit $rc)"
echo "PASS"
