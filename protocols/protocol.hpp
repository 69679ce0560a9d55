#pragma once
// What every protocol family offers the runner: a description for `faultline list`, and a
// Harness per run that builds the protocol's nodes into a world and judges the run at its end.
// A harness also keeps the ghost state checkers need (who held a lock when, what a client saw):
// it lives outside the nodes, so it survives their crashes, as an omniscient observer would.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/finding.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/params.hpp"
#include "sim/world.hpp"

namespace faultline::protocols {

// The clients' history a run records for its linearizability checker, and the model
// (checkers/models) that judges it: the run writes it as history.jsonl, which `faultline check
// --model MODEL` reads back (as Jepsen leaves history.edn for Knossos).
struct ClientHistory {
  const HistoryRecorder* recorder = nullptr;  // nullptr: the protocol records no history
  std::string model;
};

class Harness {
 public:
  virtual ~Harness() = default;
  // Adds nodes, clients and per-event invariants to `world`.
  virtual void build(sim::World& world) = 0;
  // Judges the finished run with the scenario's checkers.
  virtual std::vector<Finding> check(sim::World& world) = 0;
  // Figures about the run for the summary (acquisitions, writes accepted...).
  virtual nlohmann::json figures() const { return nlohmann::json::object(); }
  virtual ClientHistory client_history() const { return {}; }
  // A sentence for the summary that explains a finding in the protocol's terms, if any (2PC's
  // blocking is its nature, not a bug).
  virtual std::string explain(const Finding& finding) const {
    (void)finding;
    return {};
  }
};

struct VariantInfo {
  std::string name;
  std::string description;
  bool buggy = false;  // a known-bug variant, shipped so the checkers can be shown to catch it
};

struct CheckerInfo {
  std::string name;
  std::string description;
  // Judges progress or time (liveness, a bound on elections): meaningless in an untimed search,
  // in which any step may wait forever, so the search leaves it out and says so.
  bool timed = false;
};

// What the runner hands a protocol to build a harness from.
struct ProtocolSetup {
  std::string variant;
  Fields& params;                     // the scenario's "params", read strictly by the protocol
  std::vector<std::string> checkers;  // enabled checkers, already validated against the info
  sim::Duration duration;             // how long the run lasts (true time)
};

struct ProtocolInfo {
  std::string name;
  std::string description;
  std::vector<VariantInfo> variants;  // the first is the default
  std::vector<CheckerInfo> checkers;
  std::vector<std::string> default_checkers;
  std::function<std::unique_ptr<Harness>(ProtocolSetup&)> make;
};

}  // namespace faultline::protocols
