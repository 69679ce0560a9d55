#pragma once
// How any replicated kv service (Raft, Multi-Paxos) is judged at the end of a run, from the
// history its clients recorded: linearizability against the kv model, and bounded liveness
// (after the last fault heals, a client write completes within the bound).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/finding.hpp"
#include "protocols/history_recorder.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::kv {

// A "liveness" finding when no put or append completed within `bound` of the last heal.
std::optional<Finding> check_write_liveness(const sim::World& world,
                                            const HistoryRecorder& recorder, sim::Duration bound);

// Appends the findings of the `enabled` checkers among "linearizable" and "liveness" (the latter
// only while some client has not finished: a finished workload writes nothing more).
void judge_kv_service(std::vector<Finding>& findings, const std::vector<std::string>& enabled,
                      const sim::World& world, const HistoryRecorder& recorder,
                      bool clients_unfinished, sim::Duration liveness_bound);

// The figures every kv service reports: operations completed, and with an unknown outcome.
nlohmann::json operation_counts(const HistoryRecorder& recorder);

}  // namespace faultline::protocols::kv
