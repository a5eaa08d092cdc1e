#!/bin/bash
# Cheap source checks (see the style guide): no tabs, no trailing white space, at most 100
# columns in C sources, and an SPDX licence line in every C, header and UI file we own.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
src=${1:?usage: check-style.sh SRCDIR}
cd "$src" || exit 1
fail=0
files=$(find app tests ui -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' \) 2>/dev/null | sort)
for f in $files; do
  case "$f" in
    *.c|*.h)
      if grep -nP '\t' "$f" | head -3 | grep -q .; then
        echo "$f: tab characters:"; grep -nP '\t' "$f" | head -3; fail=1
      fi
      long=$(awk 'length > 100 { print FILENAME ":" FNR ": " length " columns" }' "$f" | head -3)
      [ -z "$long" ] || { echo "$long"; fail=1; }
      ;;
  esac
  if grep -nE '[[:space:]]+$' "$f" | head -3 | grep -q .; then
    echo "$f: trailing white space:"; grep -nE '[[:space:]]+$' "$f" | head -3; fail=1
  fi
  grep -q 'SPDX-License-Identifier:' "$f" || { echo "$f: no SPDX-License-Identifier line"; fail=1; }
done
echo "checked $(wc -w <<<"$files") files"
exit $fail
