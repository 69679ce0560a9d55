#pragma once
// `sometimes` properties (sim/sometimes.hpp) of a workload whose clients keep a history
// (HistoryRecorder): that a write was acknowledged, and that a read returned something a write
// put there. A linearizability check of a run in which no read ever saw a write passes without
// having judged much; these lines say whether it did.

#include <string>

#include "protocols/history_recorder.hpp"
#include "sim/world.hpp"

namespace faultline::protocols {

struct HistorySometimesNames {
  std::string read_f;   // the history's read operation ("get", "read", "dequeue")
  std::string written;  // e.g. "a write is acknowledged": any other operation that completes ok
  std::string read;     // e.g. "a read returns a written value": `read_f` ok with a value
};

// Declares both properties on `world`. A read's value counts as written when it is not null, "",
// 0 or empty, or, for a [key, value] pair, when its value is not.
void add_history_sometimes(sim::World& world, const HistoryRecorder& history,
                           const HistorySometimesNames& names);

// The names a key-value or counter workload uses, with `read_f` its read.
HistorySometimesNames read_write_sometimes(std::string read_f);

}  // namespace faultline::protocols
