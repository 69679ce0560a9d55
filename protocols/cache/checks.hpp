#pragma once
// The cache family's own checkers, judged at the end of a run from the clients' history and the
// store's ghost log (ghost.hpp). Linearizability of reads through the cache is the kv model's
// (protocols/kv/service_checks.hpp); these are the weaker promises and the durability one.
//
// bounded-staleness, with bound Δ. Let a key's writes be applied by the store at true times
// a_1 < a_2 < ... (values v_1, v_2, ...), the key holding "" on [0, a_1), v_i on [a_i, a_{i+1})
// and the last value from its a_n on. A read of the key that completes ok at true time c and
// returns v satisfies the bound when v was the store's current value at some true time in
// [c - Δ, c], or was applied by the store only after c (a write-back cache serving a write that
// has not reached the store yet: newer than the store, not older). It violates it when v had
// been replaced in the store at a time a_{i+1} < c - Δ: the read is then (c - a_{i+1}) stale.
// A value the store never applied (a lost write) is left to no-lost-write.
//
// no-lost-write. Every put that completed ok (was acknowledged to its client) has been applied
// by the store by the end of the run. Values are unique per put, so "applied" is "the store's
// log of the key holds the value".

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/finding.hpp"
#include "checkers/history.hpp"
#include "protocols/cache/ghost.hpp"
#include "sim/time.hpp"

namespace faultline::protocols::cache {

// The client that ran a history's process, for messages ("reader2").
using ProcessName = std::function<std::string(int64_t)>;

// The earliest-completing read beyond the bound, or nullopt. `history` holds the clients'
// operations in true-time order, values [key, value] (get and put).
std::optional<Finding> check_bounded_staleness(const checkers::History& history,
                                               const ProcessName& name, const Ghost& ghost,
                                               sim::Duration bound);

// The earliest-acknowledged put the store never applied, or nullopt.
std::optional<Finding> check_no_lost_write(const checkers::History& history,
                                           const ProcessName& name, const Ghost& ghost);

}  // namespace faultline::protocols::cache
