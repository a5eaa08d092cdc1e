#!/bin/bash
# Runs every fuzz harness of a -Dfuzz=true build for a few seconds over its seed corpus and
# fails if any of them finds a crash, a leak, undefined behaviour or a broken invariant.
#
#   tests/fuzz/smoke.sh BUILD_DIR [SECONDS]    (default 3 seconds a harness)
#
# New inputs found on the way go to a temporary folder, never into the committed corpus; a
# crashing input is kept in BUILD_DIR/tests/fuzz/artifacts/ to reproduce with
# BUILD_DIR/tests/fuzz/fuzz-NAME FILE.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
build=${1:?usage: smoke.sh BUILD_DIR [SECONDS]}
seconds=${2:-3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin="$build/tests/fuzz"
artifacts="$bin/artifacts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$artifacts"

export G_SLICE=always-malloc
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/lsan.supp}
# Harnesses that reach the leaks of lsan.supp need the slow unwinder on malloc, or the
# stacks stop at the first library frame and the suppressions cannot match them.
slow_unwind=" fuzz-known-hosts fuzz-recipe fuzz-xl-list-long "

harnesses=$(find "$bin" -maxdepth 1 -type f -name 'fuzz-*' -perm -u+x | sort)
if [ -z "$harnesses" ]; then
  echo "no fuzz harnesses in $bin (configure with CC=clang meson setup … -Dfuzz=true)"
  exit 1
fi

fail=0
for harness in $harnesses; do
  name=$(basename "$harness")
  corpus="$here/corpus/${name#fuzz-}"
  mkdir -p "$tmp/$name"
  log="$tmp/$name.log"
  asan=detect_leaks=1:abort_on_error=1
  [[ $slow_unwind == *" $name "* ]] && asan=$asan:fast_unwind_on_malloc=0
  # In a subshell, so that a harness killed by a signal is reported in its log only.
  ( ASAN_OPTIONS=${ASAN_OPTIONS:-$asan} "$harness" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
      "$tmp/$name" "$corpus" ) >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  if [ $status -ne 0 ]; then
    echo "FAIL $name (exit $status):"
    grep -E 'ERROR|runtime error|fuzz invariant|Assertion|CRITICAL|WARNING|Test unit written' \
      "$log" | head -20
    fail=1
  else
    echo "ok   $name: ${runs:-?} runs in ${seconds}s"
  fi
done
exit $fail
