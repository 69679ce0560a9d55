#pragma once
// The "linearizable" checker of a protocol whose clients keep a history (HistoryRecorder): the
// search of checkers/linearizability.hpp under a model of checkers/models/registry.hpp, turned
// into a finding that names the clients. Shared by every family judged by linearizability: the
// kv services (Raft, Multi-Paxos), Dynamo, the cache, the counters and the queue.

#include <optional>
#include <string_view>

#include "base/finding.hpp"
#include "protocols/history_recorder.hpp"

namespace faultline::protocols {

// A "linearizable" finding naming the longest linearizable prefix's last operation and the
// operation that fits no order, with what the object could hold; an undecided one
// (FindingKind::undecided) when the search ran out of its memory bound; nullopt when the history
// is linearizable. `model`: "kv" for a store, "counter", "queue", "set"...
std::optional<Finding> check_linearizable(const HistoryRecorder& recorder,
                                          std::string_view model = "kv");

}  // namespace faultline::protocols
