# Sourced by the tests of the installed app (check-installed.sh, check-installed-notify.sh):
# `meson install` into a temporary DESTDIR, and `in_prefix`, which runs a command in a
# private mount namespace that puts the DESTDIR tree where the prefix says, so the installed
# binary finds its locale folder, schema and icons at the paths compiled into it and sees
# none of the build folder.
#
#   . installed-common.sh BUILD_DIR PREFIX VERSION APP_ID
#
# Needs root (mount namespace), a display (the test runner's Xvfb) and a session bus; sets
# build, prefix, version, app_id, tmp (removed on exit), root (the tree at the prefix),
# share, fail, app_pid, and the helpers ok, bad, in_prefix, count_windows, wait_windows,
# expect_one_window, check_app_log. A script
# that starts more adds it to the `cleanups` array, run in reverse order on exit.
# SPDX-License-Identifier: GPL-3.0-or-later
build=${1:?usage: $0 BUILD_DIR PREFIX VERSION APP_ID}
prefix=${2:?}
version=${3:?}
app_id=${4:?}
fail=0
ok() { echo "ok: $*"; }
bad() { echo "not ok: $*"; fail=1; }

if [ "$(id -u)" -ne 0 ]; then
  # Without root there is no private mount namespace to put the install at its prefix.
  if [ "${MIRAGE_LAB_REQUIRE_LAB:-}" = 1 ]; then echo "not ok: needs root"; exit 1; fi
  echo "SKIP: needs root (a private mount namespace)"; exit 77
fi
if [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  if [ "${MIRAGE_LAB_REQUIRE_DISPLAY:-}" = 1 ]; then echo "not ok: no display or bus"; exit 1; fi
  echo "SKIP: needs a display and a session bus (run under xvfb-run dbus-run-session)"; exit 77
fi

tmp=$(mktemp -d /tmp/mirage-lab-installed-XXXXXX)
app_pid=""   # the installed app started in the background, stopped on exit
stop_app() {
  [ -n "$app_pid" ] || return 0
  kill "$app_pid" 2>/dev/null && sleep 0.5
  kill -9 "$app_pid" 2>/dev/null
}
cleanups=(stop_app)
run_cleanups() {
  local i
  for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}"; done
  rm -rf "$tmp"
}
trap run_cleanups EXIT

dest=$tmp/dest
if ! meson install -C "$build" --no-rebuild --quiet --destdir "$dest" > "$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"
  bad "meson install --destdir failed"
  exit 1
fi
root=$dest$prefix
share=$root/share

# What a distribution's triggers do after unpacking.
glib-compile-schemas "$share/glib-2.0/schemas" || bad "glib-compile-schemas failed"

# Runs a command with the install at its prefix and only the app's installed data. In a
# subshell (`$(…)`, or `in_prefix … &`) it execs, so that $! is the app's own PID: killing
# the subshell of a background function would leave the app running.
in_prefix() {
  local cmd=(unshare --mount --propagation private -- bash -c '
    mount --bind "$1" "$2" || exit 90
    shift 2
    exec "$@"' in-prefix "$root" "$prefix"
    env -u GSETTINGS_SCHEMA_DIR -u G_RESOURCE_OVERLAYS -u GDK_DEBUG
      HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache"
      XDG_DATA_HOME="$tmp/home/.local/share" XDG_DATA_DIRS="$prefix/share:/usr/share"
      PATH="$prefix/bin:/usr/bin:/bin" "$@")
  if [ "$BASHPID" != "$$" ]; then exec "${cmd[@]}"; fi
  "${cmd[@]}"
}
mkdir -p "$tmp/home"

# Top-level windows titled Mirage Lab, less GDK's 1x1 client leader (titled after the
# application name too).
count_windows() {
  xwininfo -root -tree 2>/dev/null | grep '"Mirage Lab"' | grep -vc ' 1x1+' || true
}
wait_windows() {
  local want=$1 i
  for i in $(seq 1 60); do
    [ "$(count_windows)" -ge "$want" ] && return 0
    sleep 0.5
  done
  return 1
}

# After a second start or a notification's click: the app still runs, with one window.
expect_one_window() {
  local before=$1 what=$2 now
  kill -0 "$app_pid" 2>/dev/null && ok "the app runs after $what" || bad "the app exited"
  now=$(count_windows)
  [ "$now" -eq $((before + 1)) ] && ok "still one window after $what" ||
    bad "$now windows after $what (expected $((before + 1)))"
}

check_app_log() {
  if grep -qiE "critical|warning" "$1"; then
    cat "$1"
    bad "the installed app printed warnings"
  fi
}
