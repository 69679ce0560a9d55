#pragma once
// Turns a scenario into a world, runs it under a strategy (a seed, or a tape to replay), and
// judges it: scenario -> world -> run -> trace -> checkers -> verdict. Writes nothing to disk;
// run/outputs does that.

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/finding.hpp"
#include "protocols/protocol.hpp"
#include "reports/story.hpp"
#include "reports/trace_jsonl.hpp"
#include "run/scenario.hpp"
#include "sim/choices.hpp"
#include "sim/world.hpp"

namespace faultline::run {

// Bounds on one run (docs/limits.md). A run that reaches one stops and is a bad-input error
// naming the scenario's duration: the scenario asks for more than a run can hold.
constexpr uint64_t kMaxRunEvents = 50'000'000;  // events dispatched
constexpr uint64_t kMaxRunFaults = 1'000'000;   // faults taken effect (each kept in fault_log)
constexpr uint64_t kMaxTraceBytes = uint64_t{1} << 30;  // the trace.jsonl written

struct RunOptions {
  std::optional<uint64_t> seed;           // overrides the scenario's
  std::optional<sim::ChoiceTape> replay;  // replays this tape instead of drawing from the seed
  std::ostream* trace_out = nullptr;      // JSON Lines trace; nullptr: none written
  bool keep_trace = false;                // keep the records in memory (for the diagram)
  bool record_tape = false;
  bool keep_history = false;  // the clients' history as JSON Lines, if the protocol records one
  // Runs the scenario's search world instead (untimed: build_world below) for at most this many
  // steps: how a search's counterexample is replayed.
  std::optional<uint64_t> untimed_steps;
  // With untimed_steps: the schedule's draws to take (sim::SteeredChoices), the rest from the seed.
  std::optional<std::vector<uint32_t>> steer;
  // Runs the scenario's timed search world (`"time": "timed"`) for at most this many steps
  // (sim::TimedStepper), steered by `steer` (sim::TimedSteering) unless replayed from a tape.
  std::optional<uint64_t> timed_steps;
  // Called with the world once it is built, before it runs (tests add invariants through it).
  std::function<void(sim::World&)> inspect_world;
};

// A checker that gave up before a verdict (a memory bound): the run's verdict for it is unknown.
struct UndecidedCheck {
  std::string checker;
  std::string reason;
};

// A `sometimes` property of the run's world (sim/sometimes.hpp): whether it held at some point,
// and when it first did.
struct ReachedProperty {
  std::string name;
  bool reached = false;
  uint64_t event = 0;  // the world's events when it first held (untimed worlds: its steps)
  int64_t at_ns = 0;   // the true time when it first held
};

struct RunOutcome {
  uint64_t seed = 0;
  std::string variant;
  std::vector<std::string> checkers;
  std::vector<Finding> violations;  // each with the protocol's explanation, if any
  std::vector<UndecidedCheck> undecided;
  bool expectation_met = true;  // against the scenario's `expect` (true when it has none)
  std::string trace_hash;       // of the JSON Lines bytes; empty when no trace was written
  uint64_t trace_events = 0;
  std::vector<reports::TraceRecord> trace;  // when keep_trace
  // The steps that led to the violations (reports/story.hpp), told once from the kept trace by
  // run_with_outputs for the terminal and the report alike; empty otherwise.
  reports::Story story;
  sim::ChoiceTape tape;  // when record_tape
  sim::WorldStats stats;
  int64_t simulated_ns = 0;
  nlohmann::json figures;
  std::vector<std::string> node_names;
  std::vector<sim::Fault> faults;  // every fault that took effect (sim::World::fault_log)
  std::vector<std::string> unfired_triggers;  // faults[i] whose `when` never came
  std::optional<uint64_t> untimed_steps;      // RunOptions::untimed_steps, for the tape
  std::vector<ReachedProperty> sometimes;     // the harness's, in the order it declared them
  std::optional<uint64_t> timed_steps;        // RunOptions::timed_steps, for the tape
  // With keep_history, the clients' history (checkers/history_formats.hpp's jsonl) and the model
  // its linearizability is judged against; empty when the protocol records none.
  std::string history_jsonl;
  std::string history_model;
};

// A scenario built into a world that has not run yet, with the harness that will judge it.
struct BuiltWorld {
  // Declared before the world, so destroyed after it: the nodes, unwound with the world, hold
  // references into the harness (its ghost state, its history), though they write none then.
  std::unique_ptr<protocols::Harness> harness;
  std::unique_ptr<sim::World> world;
  std::string variant;
  std::vector<std::string> checkers;  // those that judge this world
  std::vector<std::string> left_out;  // untimed: the scenario's checkers of time or progress
  // A timed search's world: its budget, targets resolved and horizon set (sim::TimedStepper).
  std::optional<sim::TimedBudget> timed;
};

// Builds a scenario's world: its nodes, clocks, network and faults. With `untimed`, the world its
// search explores: untimed (sim/untimed.hpp), with the `search` section's fault budget in place
// of a timeline or a nemesis, judged by the checkers that need no time. Without, a scenario whose
// search is timed gets the world of a timed search (sim/timed_search.hpp), judged alike. Throws
// protocols::ScenarioError.
BuiltWorld build_world(const Scenario& scenario, std::unique_ptr<sim::Choices> choices,
                       bool untimed);

// Runs one scenario. Throws protocols::ScenarioError on input the scenario file got wrong that
// only shows once the protocol has built its nodes (an unknown node name in a fault).
RunOutcome run_scenario(const Scenario& scenario, const RunOptions& options);

// The checkers that judge a scenario's runs (its own, or the protocol's defaults); validates them.
std::vector<std::string> scenario_checkers(const Scenario& scenario);

// The protocol a scenario names; throws protocols::ScenarioError naming the known ones.
const protocols::ProtocolInfo& protocol_of(const Scenario& scenario);

// The variant a scenario runs (its own, or the protocol's default); validates it.
std::string resolve_variant(const Scenario& scenario, const protocols::ProtocolInfo& protocol);

}  // namespace faultline::run
