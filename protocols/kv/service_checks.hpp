#pragma once
// How any replicated kv service (Raft, Multi-Paxos) is judged at the end of a run, from the
// history its clients recorded: linearizability against the kv model, and bounded liveness
// (after the last fault heals, a client write completes within the bound).

#include <cstdint>
#include <optional>

#include "checkers/finding.hpp"
#include "protocols/history_recorder.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::kv {

// A "linearizable" finding naming the longest linearizable prefix's last operation and the
// operation that fits no order, or nullopt (linearizable, or the search gave up).
std::optional<checkers::Finding> check_linearizable(const HistoryRecorder& recorder);

// A "liveness" finding when no put or append completed within `bound` of the last heal.
std::optional<checkers::Finding> check_write_liveness(const sim::World& world,
                                                      const HistoryRecorder& recorder,
                                                      sim::Duration bound);

}  // namespace faultline::protocols::kv
