#!/usr/bin/env bash
# Writes TwoPhase.tla (TLA+ Examples) for N resource managers as Promela, to standard output: one
# process whose loop offers one `atomic` guarded step per TLA+ action instance, unrolled per RM,
# so that SPIN's stored states are TLC's distinct states (the loop head is the only control
# state). TCConsistent is asserted at the end of every step. Usage: twophase_pml.sh N
set -euo pipefail
n=${1:?usage: twophase_pml.sh N}
all_prepared=""
consistent_c=""
consistent_a=""
for ((r = 0; r < n; r++)); do
  all_prepared+="${all_prepared:+ && }tmPrepared[$r]"
  consistent_c+="${consistent_c:+ || }rmState[$r] == 2"
  consistent_a+="${consistent_a:+ || }rmState[$r] == 3"
done
cat <<PML
/* TwoPhase, $n RMs. rmState: 0 working, 1 prepared, 2 committed, 3 aborted.
   tmState: 0 init, 1 committed, 2 aborted. */
#define CONSISTENT (!(($consistent_c) && ($consistent_a)))
byte rmState[$n];
byte tmState;
bool tmPrepared[$n];
bool msgPrepared[$n];
bool msgCommit;
bool msgAbort;

active proctype TwoPhase() {
  do
  :: atomic { tmState == 0 && $all_prepared -> tmState = 1; msgCommit = 1; assert(CONSISTENT) }
  :: atomic { tmState == 0 -> tmState = 2; msgAbort = 1; assert(CONSISTENT) }
PML
for ((r = 0; r < n; r++)); do
  cat <<PML
  :: atomic { tmState == 0 && msgPrepared[$r] -> tmPrepared[$r] = 1; assert(CONSISTENT) }
  :: atomic { rmState[$r] == 0 -> rmState[$r] = 1; msgPrepared[$r] = 1; assert(CONSISTENT) }
  :: atomic { rmState[$r] == 0 -> rmState[$r] = 3; assert(CONSISTENT) }
  :: atomic { msgCommit -> rmState[$r] = 2; assert(CONSISTENT) }
  :: atomic { msgAbort -> rmState[$r] = 3; assert(CONSISTENT) }
PML
done
cat <<PML
  od
}
PML
