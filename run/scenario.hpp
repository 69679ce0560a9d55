#pragma once
// A scenario file (docs/scenarios.md): which protocol and variant, its parameters, the network,
// clocks, the fault timeline and/or nemesis, how long to run, which checkers judge the run, and
// what the run must show (`expect`). Read strictly: unknown keys, wrong types and impossible
// values are one-line errors naming the file and the field.
//
// Node names in faults are resolved only once the protocol has built its nodes, so a fault keeps
// the field path it came from to name it in the error.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/shard.hpp"
#include "protocols/params.hpp"
#include "sim/clock.hpp"
#include "sim/faults.hpp"
#include "sim/nemesis_options.hpp"
#include "sim/network.hpp"
#include "sim/time.hpp"
#include "sim/timed_search.hpp"
#include "sim/untimed.hpp"

namespace faultline::run {

// A node name as written, with where it was written (for "no node named X" errors).
struct NameRef {
  std::string name;
  std::string path;
};

// The node names of one entry of a network's `links`, as written: the entry's ids are filled at
// resolve time.
struct LinkNames {
  std::vector<NameRef> from;
  std::vector<NameRef> to;
};

// A fault's `when`: the trigger, its node filters by name until resolved.
struct TriggerSpec {
  sim::FaultTrigger trigger;  // node and peer filled at resolve time
  std::optional<NameRef> node, peer;
};

struct FaultSpec {
  sim::Fault fault;                          // node ids and partition groups filled at resolve time
  std::optional<TriggerSpec> when;           // set: fired by this event, not at fault.at
  NameRef node;                              // for node faults
  std::vector<std::vector<NameRef>> groups;  // for partitions
  std::vector<LinkNames> link_names;         // for network faults: per fault.network.links entry
  std::optional<sim::Duration> lasts;        // "for": undo it after this long
  std::string path;                          // faults[i]
};

struct ClockSpec {
  NameRef node;
  sim::Drift drift;
  sim::Duration offset;
};

struct NemesisSpec {
  sim::NemesisOptions options;   // targets filled at resolve time
  std::vector<NameRef> targets;  // empty: every node
};

// An exhaustive search of the implementation (`search`; docs/model-checking.md, "Searching a
// protocol's implementation"): its strategy, bounds, and the faults it injects at any step in
// place of a timeline or a nemesis.
struct SearchSpec {
  std::string strategy = "bfs";  // "bfs" (shortest counterexample), "dfs" or "pct"
  uint32_t pct_depth = 3;        // pct: the bug depth aimed at (`depth`)
  uint64_t pct_runs = 1000;      // pct: seeds 1..runs, one schedule each (`runs`)
  uint32_t max_depth = 0;        // steps from the initial state; 0: no bound
  uint64_t max_states = 0;       // distinct states stored; 0: the store's limit
  sim::FaultBudget budget;       // its targets filled at build time from `targets`
  std::vector<NameRef> targets;  // the nodes that may crash or be cut off; empty: every node
  // `timers` given as an object, node by node (budget.node_timers filled at build time); the
  // nodes it does not name fire no timer.
  std::vector<std::pair<NameRef, uint32_t>> node_timers;
  // `time`: false, "untimed" (sim/untimed.hpp); true, "timed" (sim/timed_search.hpp): the real
  // clocks, each latency, pause, clock jump and drift one of the values `timed_budget` lists,
  // up to the scenario's duration. Its targets are filled at build time from `targets`.
  bool timed = false;
  sim::TimedBudget timed_budget;
  // bfs/dfs: skip orders of independent steps already explored from a sibling (sleep sets). The
  // same states are reached either way; off only to measure what the sets save.
  bool sleep_sets = true;
  // bfs/dfs: one shard of the search (base/shard.hpp; `explore --shard`); a state's shard is a
  // hash of its fingerprint.
  SearchShard shard;
  // bfs/dfs: called with the fingerprint of each distinct state (tests compare the shards').
  std::function<void(uint64_t fingerprint)> on_state;
};

struct Expectation {
  bool ok = true;
  std::string violation;  // the checker that must fire when !ok
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::string protocol;
  std::string variant;
  nlohmann::json params = nlohmann::json::object();
  uint64_t seed = 1;
  sim::Duration duration = sim::seconds(10);
  sim::NetworkOptions network;
  // Per network.links entry: its node names (the entry's ids are filled at resolve time).
  std::vector<LinkNames> link_names;
  bool torn_writes = false;
  bool buggify = false;
  std::vector<ClockSpec> clocks;
  std::vector<FaultSpec> faults;
  std::optional<NemesisSpec> nemesis;
  std::optional<SearchSpec> search;
  std::vector<std::string> checkers;  // empty: the protocol's defaults
  std::optional<Expectation> expect;
  nlohmann::json document;  // as read (after --set overrides), for the summary
};

// Parses `text` (the contents of `file`). Throws protocols::ScenarioError.
Scenario parse_scenario(const std::string& file, const nlohmann::json& document);

// Reads a scenario file as JSON and applies `--set` overrides (below) to it, before it is parsed
// as a protocol scenario or a spec-level one (run/spec_scenario).
nlohmann::json load_scenario_document(const std::string& file,
                                      const std::vector<std::string>& overrides = {});

// Reads and parses a file; `overrides` are `--set key=value` pairs applied to the JSON first
// (dotted paths, the value parsed as JSON if it can be, else taken as a string).
Scenario load_scenario(const std::string& file, const std::vector<std::string>& overrides = {});

// A scenario's `expect`: "ok", or {"violation": NAME} where NAME is what must fire
// (`what_fires` names it in the error: "<checker>", "<invariant>"); nullopt when absent.
std::optional<Expectation> read_expectation(protocols::Fields& f, const std::string& what_fires);

// Reads a 64-bit seed (any of them, 0 to 2^64-1) from `key`; `fallback` when absent.
uint64_t read_seed(protocols::Fields& f, const std::string& key, uint64_t fallback);

// Applies one `key.path=value` override to a document. Throws ScenarioError on a bad path.
void apply_override(nlohmann::json& document, const std::string& file, const std::string& setting);

}  // namespace faultline::run
