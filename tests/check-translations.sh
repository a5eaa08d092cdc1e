#!/bin/bash
# Translation checks, run as a unit test:
#  1. every file with translatable strings is listed in po/POTFILES.in (and every listed file exists);
#  2. the template regenerates from POTFILES.in without a warning;
#  3. every .po in LINGUAS passes `msgfmt --check` and is complete against the fresh template.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
src=${1:?usage: check-translations.sh SRCDIR}
cd "$src" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

listed=$(grep -v '^\s*#' po/POTFILES.in | sed '/^\s*$/d' | sort)
for f in $listed; do
  [ -f "$f" ] || { echo "POTFILES.in lists $f, which does not exist"; fail=1; }
done

# Files that carry user-visible strings.
{
  grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext)\s*\("' app --include='*.c' 2>/dev/null
  grep -rl 'translatable="yes"' ui app --include='*.ui' 2>/dev/null
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null
} | sort -u > "$tmp/needed"
for f in $(cat "$tmp/needed"); do
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "$f has translatable strings but is missing from po/POTFILES.in"
    fail=1
  fi
done

# Regenerate the template with the same keywords as meson's 'glib' preset.
if ! xgettext --files-from=<(printf '%s\n' $listed) --directory=. \
      --from-code=UTF-8 --add-comments=Translators \
      --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
      --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
      --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
      --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
      --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
      --package-name=mirage-lab -o "$tmp/mirage-lab.pot" 2> "$tmp/xgettext.err"; then
  cat "$tmp/xgettext.err"; echo "xgettext failed"; exit 1
fi
if [ -s "$tmp/xgettext.err" ]; then
  echo "xgettext warnings:"; cat "$tmp/xgettext.err"; fail=1
fi
n_msgs=$(grep -c '^msgid ' "$tmp/mirage-lab.pot")
echo "template: $((n_msgs - 1)) messages"
[ "$n_msgs" -gt 10 ] || { echo "template has too few messages"; fail=1; }

for lang in $(sed 's/#.*//' po/LINGUAS); do
  po="po/$lang.po"
  [ -f "$po" ] || { echo "LINGUAS lists $lang but $po is missing"; fail=1; continue; }
  if ! msgfmt --check -o /dev/null "$po"; then
    echo "$po: msgfmt --check failed"; fail=1
  fi
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/mirage-lab.pot"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  if grep -qE 'untranslated|fuzzy' <<<"$stats"; then
    echo "$po is not complete against the regenerated template:"
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid' | head -40
    fail=1
  fi
done

exit $fail
