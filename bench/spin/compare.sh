#!/usr/bin/env bash
# TwoPhase (TLA+ Examples) with N resource managers, searched exhaustively by faultline
# (build/bench/spec_bench, breadth-first, one thread) and by SPIN (Debian package `spin`) on the
# same model in Promela (bench/spin/twophase_pml.sh), one after the other on this machine:
# states, seconds, states per second and memory. SPIN is compiled as the brief of issue 10 says:
# gcc -O2 -DNOREDUCE -DSAFETY, run with -E (no end-state check) and a hash table sized for the
# state count.
#
#   bench/spin/compare.sh [N]     (default 9; run from the repository root after ./dev build)
set -euo pipefail
n=${1:-9}
here=$(cd "$(dirname "$0")" && pwd)
bench=${SPEC_BENCH:-build/bench/spec_bench}
command -v spin >/dev/null || { echo "compare.sh: spin is not installed (apt-get install spin)" >&2; exit 2; }
[ -x "$bench" ] || { echo "compare.sh: $bench not built (./dev build)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== faultline: build/bench/spec_bench --rms $n"
/usr/bin/time -f "%e s wall, %U s user + %S s system, peak RSS %M KB" "$bench" --rms "$n" 2>&1

echo "== SPIN $(spin -V | sed 's/Spin Version \([^ ]*\).*/\1/'): twophase.pml, $n RMs"
"$here/twophase_pml.sh" "$n" > "$work/twophase.pml"
(cd "$work" && spin -a twophase.pml >/dev/null && gcc -O2 -DNOREDUCE -DSAFETY -o pan pan.c)
(cd "$work" && /usr/bin/time -f "%e s wall, %U s user + %S s system, peak RSS %M KB" \
  ./pan -E -w26 -m100000 2>&1) |
  grep -E 'State-vector|states, stored|transitions|state-vector as stored|total actual memory|elapsed time|peak RSS'
