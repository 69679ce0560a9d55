#pragma once

// Linearizability checking: the verdict and its explanation. The search itself is a template
// over the model (linearizability_search.hpp); models/registry.hpp maps model names to it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/history.hpp"

namespace faultline::checkers {

enum class Verdict : std::uint8_t {
  ok,       // a linearization exists (for every partition)
  illegal,  // no linearization exists (for at least one partition)
  unknown,  // a limit ran out before the search could tell
};

const char* to_string(Verdict verdict);

struct CheckOptions {
  // Wall-clock budget for the whole check; zero = none. Honoured inside a single partition.
  std::chrono::nanoseconds timeout{0};
  // Bound on the search's memory, all partitions together: memo tables, event lists, stacks and
  // the models' interned values; zero = none. Charged before it is allocated.
  std::size_t max_memory_bytes = 0;
  // Split keyed models by key (P-compositionality). Off only to measure the whole-map search.
  bool partition = true;
  // Values are Jepsen `independent` tuples [key, v]: any model is then checked key by key, and
  // an illegal verdict names the key. (The kv model's values are always [key, v].)
  bool independent = false;
  // Worker threads for partitions; zero = one per hardware thread.
  unsigned threads = 0;
  // Describe the model state after every operation of each linearization found (a linearizable
  // history's picture shows them). Off by default: a run's check would pay for strings it drops.
  // An illegal verdict's prefix always carries them.
  bool describe_states = false;
};

// One operation as the explanation shows it.
struct ExplainedOp {
  std::size_t id = 0;  // CallReturn::id
  std::int64_t process = 0;
  std::string description;  // the model's rendering, e.g. "cas(1, 2) -> false"
  // In a linearizable prefix: the model's state once this operation took effect, the prefix's
  // operations before it having taken effect in order. Empty for the operation that cannot be
  // placed.
  std::string state_after;
};

// Why a history is not linearizable, for one partition: the longest linearizable prefix the
// search found, the operation that could not be placed after it, and the model states reached
// by the prefixes of that length.
struct Explanation {
  std::string partition;  // the key, or "" when the model is not keyed
  std::vector<ExplainedOp> prefix;
  std::optional<ExplainedOp> unplaceable;
  std::vector<std::string> states;
};

struct PartitionStats {
  std::string label;
  Verdict verdict = Verdict::ok;
  std::size_t operations = 0;
  std::uint64_t steps = 0;          // model steps taken
  std::uint64_t cache_entries = 0;  // (linearized set, state) pairs memoized
  double seconds = 0;
};

struct CheckResult {
  Verdict verdict = Verdict::ok;
  std::string model;
  std::string unknown_reason;  // "timeout" or "memory limit" when verdict == unknown
  std::size_t operations = 0;
  std::vector<PartitionStats> partitions;
  std::optional<Explanation> explanation;  // set when verdict == illegal
  // By call id (CallReturn::id): the index in `partitions` of the partition it was checked in.
  std::vector<std::uint32_t> partition_of;
  // When ok: one linearization of every partition, in order (call ids), for the picture; with
  // CheckOptions::describe_states, the state after each of its operations, parallel to it.
  std::vector<std::vector<std::size_t>> linearizations;
  std::vector<std::vector<std::string>> linearization_states;
  std::size_t peak_memory_bytes = 0;  // memo tables, as accounted against max_memory_bytes
  double seconds = 0;
};

// Who a process is, for the explanation: a node name from the history, or unset for "process N".
using ProcessNamer = std::function<std::string(std::int64_t)>;

// With `process_name`, each explained operation also carries its process's "node".
nlohmann::json to_json(const CheckResult& result, const ProcessNamer& process_name = {});
// Human-readable verdict: one line for ok/unknown, the explanation for illegal.
void write_text(std::ostream& out, const CheckResult& result, const std::vector<CallReturn>& calls,
                const ProcessNamer& process_name = {});

}  // namespace faultline::checkers
