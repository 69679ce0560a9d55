#!/bin/sh
# Writes a register history in JSON Lines, for measuring `faultline check` on the two shapes that
# cost most (docs/benchmarks.md):
#   sequential LINES   one process, LINES/2 operations each returning before the next is invoked:
#                      writes of 1, 2, 3... each followed by a read of it. Linearizable.
#   concurrent OPS     OPS processes invoke at once, then all complete: writes of distinct values
#                      and reads of them, plus one read of a value nobody wrote. Not
#                      linearizable, and proving it means trying every subset of the writes.
# e.g.  bench/make_history.sh sequential 200000 > /tmp/seq.jsonl
#       /usr/bin/time -v build/cli/faultline check --model register /tmp/seq.jsonl
set -eu
kind=${1:?usage: make_history.sh sequential LINES | concurrent OPS}
n=${2:?usage: make_history.sh sequential LINES | concurrent OPS}
case "$kind" in
  sequential | concurrent) ;;
  *) echo "make_history.sh: expected sequential or concurrent, got $kind" >&2; exit 2 ;;
esac
awk -v kind="$kind" -v n="$n" '
function op(p, type, f, v) {
  printf "{\"process\":%d,\"type\":\"%s\",\"f\":\"%s\",\"value\":%s}\n", p, type, f, v
}
BEGIN {
  if (kind == "sequential") {
    for (i = 0; i < n / 2; i++) {
      v = int(i / 2) + 1
      if (i % 2 == 0) { op(0, "invoke", "write", v); op(0, "ok", "write", v) }
      else { op(0, "invoke", "read", "null"); op(0, "ok", "read", v) }
    }
    exit
  }
  for (p = 0; p < n; p++) op(p, "invoke", p % 2 == 0 ? "write" : "read", p % 2 == 0 ? p : "null")
  for (p = 0; p < n; p++) {
    if (p % 2 == 0) op(p, "ok", "write", p)
    else op(p, "ok", "read", p == n - 1 ? -1 : p - 1)
  }
}'
