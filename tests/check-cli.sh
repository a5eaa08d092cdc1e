#!/bin/bash
# The command line a person tries first: --version and --help, with no display and no
# session bus (they are answered before any window or connection exists).
#
#   tests/check-cli.sh MIRAGE_LAB_BINARY VERSION
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
bin=${1:?usage: check-cli.sh BINARY VERSION}
version=${2:?usage: check-cli.sh BINARY VERSION}
fail=0

out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS "$bin" --version 2>&1)
status=$?
if [ $status -ne 0 ] || [ "$out" != "mirage-lab $version" ]; then
  echo "not ok: --version gave status $status and: $out"
  fail=1
else
  echo "ok: --version prints: $out"
fi

out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS "$bin" --help 2>&1)
status=$?
if [ $status -ne 0 ] || ! grep -q -- '--version' <<<"$out" \
   || ! grep -q 'Run MirageOS unikernels on Xen' <<<"$out"; then
  echo "not ok: --help gave status $status and:"
  echo "$out"
  fail=1
else
  echo "ok: --help lists --version"
fi

out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS "$bin" --no-such-option 2>&1)
status=$?
if [ $status -eq 0 ]; then
  echo "not ok: an unknown option was accepted"
  fail=1
else
  echo "ok: an unknown option is refused (status $status)"
fi
exit $fail
