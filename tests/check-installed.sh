#!/bin/bash
# The app as a person or a distribution gets it: `meson install` into a temporary DESTDIR,
# then the installed binary started with only the installed files of the app (no build
# folder, no devenv). A private mount namespace puts the DESTDIR tree where the prefix says,
# so the binary finds its locale folder, schema and icons at the paths compiled into it.
#
#   tests/check-installed.sh BUILD_DIR PREFIX VERSION APP_ID
#
# Needs root (mount namespace), a display (the test runner's Xvfb) and a session bus.
# Checks: the files are where they belong; the desktop file and metainfo validate; the
# schema is found through XDG_DATA_DIRS; the icon is in hicolor (scalable and symbolic,
# which the desktop file's Icon= and the window need); --version; --help in Norwegian with
# LANGUAGE=nb (the .mo sits where LOCALEDIR points); the desktop file's Exec line opens a
# window; a second start raises it instead of opening another (single instance).
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
. "$(dirname "$0")/installed-common.sh"

for f in "bin/mirage-lab" "share/applications/$app_id.desktop" \
         "share/metainfo/$app_id.metainfo.xml" \
         "share/glib-2.0/schemas/$app_id.gschema.xml" \
         "share/icons/hicolor/scalable/apps/$app_id.svg" \
         "share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" \
         "share/locale/nb/LC_MESSAGES/mirage-lab.mo"; do
  if [ -s "$root/$f" ]; then ok "installed $prefix/$f"; else bad "missing $prefix/$f"; fi
done
desktop-file-validate "$share/applications/$app_id.desktop" && ok "desktop file validates" ||
  bad "desktop-file-validate"
appstreamcli validate --no-net --pedantic "$share/metainfo/$app_id.metainfo.xml" \
  > "$tmp/appstream.log" 2>&1 && ok "metainfo validates" ||
  { cat "$tmp/appstream.log"; bad "appstreamcli validate"; }
icon=$(sed -n 's/^Icon=//p' "$share/applications/$app_id.desktop")
[ "$icon" = "$app_id" ] && ok "desktop file's Icon= is the installed icon" ||
  bad "desktop file's Icon=$icon is not $app_id"
exec_line=$(sed -n 's/^Exec=//p' "$share/applications/$app_id.desktop")
# Field codes (%U, %f, ...) expand to nothing without files.
exec_line=$(sed 's/ *%[a-zA-Z]//g' <<<"$exec_line")

keys=$(in_prefix gsettings list-keys "$app_id" 2>&1)
[ -n "$keys" ] && ! grep -q "No such schema" <<<"$keys" &&
  ok "the schema is found from the installed data ($(wc -l <<<"$keys") keys)" ||
  bad "gsettings does not find $app_id: $keys"

out=$(in_prefix mirage-lab --version 2>&1)
[ "$out" = "mirage-lab $version" ] && ok "--version: $out" || bad "--version gave: $out"

nb_summary=$(awk '/^msgid "Run MirageOS unikernels on Xen"$/ { getline; sub(/^msgstr "/, "");
                                                                sub(/"$/, ""); print }' \
             "$(dirname "$0")/../po/nb.po")
out=$(in_prefix env LANG=C.UTF-8 LANGUAGE=nb mirage-lab --help 2>&1)
[ -n "$nb_summary" ] && grep -qF "$nb_summary" <<<"$out" &&
  ok "--help speaks Norwegian with LANGUAGE=nb: $nb_summary" ||
  bad "--help with LANGUAGE=nb lacks \"$nb_summary\": $out"

before=$(count_windows)
# shellcheck disable=SC2086 # the Exec line is split into words as a launcher would
in_prefix env LANG=C.UTF-8 LANGUAGE=nb $exec_line > "$tmp/app.log" 2>&1 &
app_pid=$!
if wait_windows $((before + 1)); then
  ok "the desktop file's Exec line ($exec_line) opens the window"
else
  cat "$tmp/app.log"
  bad "no Mirage Lab window within 30 s of Exec=$exec_line"
fi
kill -0 "$app_pid" 2>/dev/null && ok "the installed app runs" || bad "the installed app exited"

# A second start hands over to the first over the session bus and returns.
# shellcheck disable=SC2086
in_prefix $exec_line > "$tmp/second.log" 2>&1 &
second=$!
for i in $(seq 1 40); do
  kill -0 "$second" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$second" 2>/dev/null; then
  kill "$second"
  cat "$tmp/second.log"
  bad "a second start did not return within 20 s"
elif wait "$second"; then
  ok "a second start handed over to the first and returned"
else
  cat "$tmp/second.log"
  bad "a second start failed"
fi
sleep 1
expect_one_window "$before" "the second start"
check_app_log "$tmp/app.log"
exit $fail
