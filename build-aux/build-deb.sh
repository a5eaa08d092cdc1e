#!/bin/bash
# Builds Mirage Lab's Debian package from a clean tree and checks it with lintian.
#
#   build-aux/build-deb.sh OUTDIR
#
# Exports the committed state of the repository (`git archive HEAD`: uncommitted changes are
# not in the package) into a temporary folder, copies build-aux/debian there as debian/,
# runs `dpkg-buildpackage -us -uc -b`, then `lintian` on the result (any error fails the
# build; warnings are printed), and leaves the .deb (with its -dbgsym .deb, .changes and
# .buildinfo) in OUTDIR. The last line printed is the .deb's path. The source tree is only read.
#
# Needs the Build-Depends of build-aux/debian/control, plus debhelper, lintian and git
# (build-aux/dev.sh deps installs them). Root is not needed. DEB_BUILD_OPTIONS is passed
# through; without it the build uses every core (parallel=$(nproc)).
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

die() { echo "build-deb: $*" >&2; exit 1; }

out=${1:-}
if [ -z "$out" ] || [ $# -ne 1 ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$here")
for t in git dpkg-buildpackage dpkg-checkbuilddeps dh lintian; do
  command -v "$t" > /dev/null || die "$t is missing (build-aux/dev.sh deps installs it)"
done
git -C "$top" rev-parse --verify -q HEAD > /dev/null || die "$top is not a git checkout"
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/mirage-lab-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src="$work/mirage-lab"
mkdir "$src"
git -C "$top" archive --format=tar HEAD | tar -x -C "$src"
# From the export, not the working tree: the package is what HEAD holds.
cp -a "$src/build-aux/debian" "$src/debian"

version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
echo "build-deb: mirage-lab $version ($arch) from $(git -C "$top" rev-parse --short HEAD)"
(cd "$src" && dpkg-checkbuilddeps) || die "build dependencies missing (see above)"

t0=$(date +%s)
export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=$(nproc)}"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log" >&2
  die "dpkg-buildpackage failed (the last lines of its log are above)"
fi
echo "build-deb: built in $(( $(date +%s) - t0 )) s"

changes="$work/mirage-lab_${version}_${arch}.changes"
deb="$work/mirage-lab_${version}_${arch}.deb"
[ -f "$changes" ] || die "dpkg-buildpackage made no $(basename "$changes")"
[ -f "$deb" ] || die "dpkg-buildpackage made no $(basename "$deb")"
# lintian exits non-zero on an error (its default --fail-on); its tags go to stdout.
echo "build-deb: lintian"
lintian_rc=0
lintian --fail-on error "$changes" || lintian_rc=$?
[ $lintian_rc -eq 0 ] || die "lintian reports errors (exit $lintian_rc)"

# Every file the .changes names (the package, its debug symbols, the .buildinfo), and it.
cp "$work"/*.deb "$work"/*.buildinfo "$changes" "$out/"
echo "$out/$(basename "$deb")"
