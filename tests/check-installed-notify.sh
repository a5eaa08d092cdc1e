#!/bin/bash
# Desktop notifications of the installed app, shown by a real notification server.
#
#   tests/check-installed-notify.sh BUILD_DIR PREFIX VERSION APP_ID
#
# The installed binary (see installed-common.sh) connects to the fast lab with a hosts.json
# as the Add Host dialog writes it; a domain started on dom0 behind its back crashes a few
# seconds later. dunst, a notification server as desktops run it, owns the session bus's
# org.freedesktop.Notifications (with no org.gtk.Notifications server, GLib talks to it).
# Checks, from what crosses the bus: one Notify, from "Mirage Lab" with the installed
# desktop file as its desktop-entry (servers group and theme notifications by it), titled
# "Domain Crashed" with the domain's name in the body; dunst shows it; clicking it (dunst's
# default action) goes back to the app (its app.activate), which keeps its one window and
# warns of nothing.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
. "$(dirname "$0")/installed-common.sh"
mlab=$(cd "$(dirname "$0")/lab" && pwd)/mlab
for tool in dunst dunstctl dbus-monitor; do
  if ! command -v "$tool" > /dev/null; then
    if [ "${MIRAGE_LAB_REQUIRE_LAB:-}" = 1 ]; then echo "not ok: $tool is missing"; exit 1; fi
    echo "SKIP: $tool is missing (apt install dunst dbus-bin)"; exit 77
  fi
done

lab=$tmp/lab
"$mlab" up --dir "$lab" --sudo nopasswd --owner-pid $$ > "$tmp/mlab.log" 2>&1
status=$?
if [ $status -eq 77 ] && [ "${MIRAGE_LAB_REQUIRE_LAB:-}" != 1 ]; then
  echo "SKIP: $(tail -1 "$tmp/mlab.log")"; exit 77
fi
[ $status -eq 0 ] || { cat "$tmp/mlab.log"; echo "not ok: the fast lab did not start"; exit 1; }
cleanups+=('"$mlab" down --dir "$lab" > /dev/null 2>&1')
# shellcheck disable=SC1091
. "$lab/lab.env"

# The host as the app saves it, and its host keys as the app's first connection keeps them.
config=$tmp/home/.config/mirage-lab
mkdir -p "$config"
cp "$LAB_KNOWN_HOSTS" "$config/known_hosts"
cat > "$config/hosts.json" <<JSON
{ "hosts": [ { "id": "lab", "name": "Lab dom0", "address": "$LAB_HOST", "port": $LAB_PORT,
               "user": "$LAB_USER", "auth": "key", "identity-file": "$LAB_KEY",
               "config-folders": [ "$LAB_UNIKERNELS" ] } ] }
JSON

# A real notification server, and a log of what the bus carries to and from it.
dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications'" \
  "type='signal',interface='org.freedesktop.Notifications'" > "$tmp/bus.log" 2>&1 &
monitor_pid=$!
cleanups+=('kill "$monitor_pid" 2>/dev/null')
dunst -config /dev/null > "$tmp/dunst.log" 2>&1 &
dunst_pid=$!
cleanups+=('kill "$dunst_pid" 2>/dev/null')
# Asked of the bus, not of dunst: a call to the name would start a second dunst by D-Bus
# activation while the first is still on its way.
owned() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null |
    grep -q true
}
for _ in $(seq 1 40); do owned && break; sleep 0.25; done
owned && ok "dunst owns org.freedesktop.Notifications" ||
  { cat "$tmp/dunst.log"; bad "dunst did not start"; exit 1; }

before=$(count_windows)
in_prefix mirage-lab > "$tmp/app.log" 2>&1 &
app_pid=$!
wait_windows $((before + 1)) && ok "the installed app opened its window" ||
  { cat "$tmp/app.log"; bad "no window"; exit 1; }

# Connected: its commands reach dom0 (xl list, as the poll runs it).
connected=no
for _ in $(seq 1 60); do
  grep -q "Accepted publickey for $LAB_USER" "$LAB_SSHD_LOG" 2>/dev/null && { connected=yes; break; }
  sleep 0.5
done
[ $connected = yes ] && ok "the installed app connected to dom0 with its hosts.json" ||
  { cat "$tmp/app.log"; bad "no connection within 30 s"; exit 1; }
sleep 3

# A unikernel that crashes eight seconds after it boots, kept as crashed.
"$mlab" exec --dir "$lab" -- sh -c "
  printf '%s\n' \"name = 'crasher'\" \"type = 'pvh'\" \"kernel = '$LAB_UNIKERNELS/www.xen'\" \
    'memory = 64' \"on_crash = 'preserve'\" 'mlab_crash_after = 8' > '$LAB_UNIKERNELS/crasher.xl'
  chown $LAB_USER: '$LAB_UNIKERNELS/crasher.xl'
  xl create '$LAB_UNIKERNELS/crasher.xl'" > "$tmp/create.log" 2>&1 ||
  { cat "$tmp/create.log"; bad "xl create crasher failed"; exit 1; }

notified=no
for _ in $(seq 1 80); do
  grep -q 'member=Notify' "$tmp/bus.log" && { notified=yes; break; }
  sleep 0.5
done
sleep 1
if [ $notified = no ]; then
  cat "$tmp/app.log"
  bad "no notification within 40 s of the start"
  exit 1
fi
# Notify (app_name, replaces_id, app_icon, summary, body, actions, hints, timeout).
call=$(awk '/member=Notify/ { on = 1 } on { print } on && /^ *int32 -?[0-9]+$/ { exit }' \
           "$tmp/bus.log")
strings=$(grep -o '^ *string "[^"]*' <<<"$call" | sed 's/^ *string "//')
app_name=$(sed -n 1p <<<"$strings")
summary=$(sed -n 3p <<<"$strings")
[ "$(grep -c 'member=Notify' "$tmp/bus.log")" -eq 1 ] && ok "one notification for one crash" ||
  bad "$(grep -c 'member=Notify' "$tmp/bus.log") notifications for one crash"
[ "$app_name" = "Mirage Lab" ] && ok "sent by \"$app_name\"" ||
  bad "the sender's name is \"$app_name\", not Mirage Lab"
[ "$summary" = "Domain Crashed" ] && ok "titled \"$summary\"" || bad "titled \"$summary\""
grep -qF 'crasher' <<<"$(sed -n 4p <<<"$strings")" && ok "the body names the domain" ||
  bad "the body does not name the domain: $call"
entry=$(grep -A1 'string "desktop-entry"' <<<"$call" | sed -n 's/.*variant *string "\([^"]*\)"/\1/p')
[ "$entry" = "$app_id" ] && [ -f "$share/applications/$entry.desktop" ] &&
  ok "its desktop-entry is the installed $entry.desktop" ||
  bad "desktop-entry \"$entry\" is not the installed $app_id.desktop"
[ "$(dunstctl count displayed)" -ge 1 ] && ok "dunst shows it" || bad "dunst shows nothing"

# A click on it (dunst's default action) comes back as ActionInvoked; the app presents the
# window it has.
dunstctl action 0
for _ in $(seq 1 20); do
  grep -q 'member=ActionInvoked' "$tmp/bus.log" && break
  sleep 0.25
done
grep -q 'member=ActionInvoked' "$tmp/bus.log" && ok "a click is sent back to the app" ||
  bad "dunst sent no ActionInvoked"
sleep 1
expect_one_window "$before" "the click"
check_app_log "$tmp/app.log"
exit $fail
