#!/bin/sh
# Runs "$@" with a private D-Bus session bus and a throwaway, unlocked gnome-keyring, so that
# libsecret tests never touch the user's keyring.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || {
  echo "1..0 # SKIP dbus-run-session or gnome-keyring-daemon missing"; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/run" && chmod 700 "$dir/run"
HOME=$dir XDG_DATA_HOME=$dir/data XDG_RUNTIME_DIR=$dir/run \
  dbus-run-session -- sh -c '
    printf keyring-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' sh "$@"
