#include "run/runner.hpp"

#include <algorithm>
#include <sstream>

#include "base/format_ns.hpp"
#include "checkers/history_formats.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/params.hpp"
#include "run/registry.hpp"
#include "sim/fault_undo.hpp"
#include "sim/nemesis.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::run {

using protocols::ScenarioError;

namespace {

// Hands every event to several sinks: the file writer and the in-memory buffer.
class FanOut : public sim::TraceSink {
 public:
  void add(sim::TraceSink* sink) { sinks_.push_back(sink); }
  bool empty() const { return sinks_.empty(); }
  void record(const sim::TraceEvent& event) override {
    for (sim::TraceSink* sink : sinks_) sink->record(event);
  }

 private:
  std::vector<sim::TraceSink*> sinks_;
};

// Stops the world once the trace file written reaches kMaxTraceBytes.
class TraceCap : public sim::TraceSink {
 public:
  TraceCap(const reports::JsonlTraceWriter& writer, sim::World& world)
      : writer_(writer), world_(world) {}
  bool reached() const { return reached_; }
  void record(const sim::TraceEvent&) override {
    if (!reached_ && writer_.bytes() >= kMaxTraceBytes) {
      reached_ = true;
      world_.stop();
    }
  }

 private:
  const reports::JsonlTraceWriter& writer_;
  sim::World& world_;
  bool reached_ = false;
};

// A run that stopped at a bound: the scenario asks for more than one run may hold.
[[noreturn]] void fail_at_bound(const Scenario& s, const sim::World& world,
                                const std::string& bound) {
  throw ScenarioError(s.file, "duration",
                      "a run within " + bound +
                          " (docs/limits.md; shorten the duration or slow "
                          "the faults)",
                      "more by " + format_ns(world.now().ns()) + " of simulated time");
}

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

sim::NodeId resolve(const sim::World& world, const Scenario& s, const NameRef& ref) {
  if (auto id = world.find_node(ref.name)) return *id;
  throw ScenarioError(s.file, ref.path,
                      "a node of this scenario (" + list_names(world.node_names()) + ")",
                      "\"" + ref.name + "\"");
}

const protocols::ProtocolInfo& resolve_protocol(const Scenario& s) {
  if (const auto* p = find_protocol(s.protocol)) return *p;
  std::vector<std::string> names;
  for (const auto& p : protocol_registry()) names.push_back(p.name);
  throw ScenarioError(s.file, "protocol", "one of " + list_names(names), "\"" + s.protocol + "\"");
}

std::vector<std::string> resolve_checkers(const Scenario& s, const protocols::ProtocolInfo& p) {
  if (s.checkers.empty()) return p.default_checkers;
  std::vector<std::string> known;
  for (const auto& c : p.checkers) known.push_back(c.name);
  for (size_t i = 0; i < s.checkers.size(); ++i) {
    if (std::find(known.begin(), known.end(), s.checkers[i]) == known.end()) {
      throw ScenarioError(s.file, "checkers[" + std::to_string(i) + "]",
                          "a checker of " + p.name + " (" + list_names(known) + ")",
                          "\"" + s.checkers[i] + "\"");
    }
  }
  return s.checkers;
}

// `network` with the node ids of its links' entries filled from `names` (one per entry).
sim::NetworkOptions resolve_network(const sim::World& world, const Scenario& s,
                                    sim::NetworkOptions network,
                                    const std::vector<LinkNames>& names) {
  for (size_t i = 0; i < network.links.size(); ++i) {
    sim::LinkOverride& link = network.links[i];
    link.from.clear();
    link.to.clear();
    for (const NameRef& ref : names.at(i).from) link.from.push_back(resolve(world, s, ref));
    for (const NameRef& ref : names.at(i).to) link.to.push_back(resolve(world, s, ref));
  }
  return network;
}

void schedule_faults(sim::World& world, const Scenario& s) {
  for (const ClockSpec& c : s.clocks) {
    world.configure_clock(resolve(world, s, c.node), sim::NodeClock(c.drift, c.offset));
  }
  const sim::NetworkOptions network = resolve_network(world, s, s.network, s.link_names);
  if (!network.links.empty()) world.configure_network(network);
  for (const FaultSpec& spec : s.faults) {
    sim::Fault fault = spec.fault;
    if (fault.kind == sim::Fault::Kind::kNetwork)
      fault.network = resolve_network(world, s, fault.network, spec.link_names);
    // A node fault always names its node (an empty name too: it is an unknown node).
    if (!spec.node.path.empty()) fault.node = resolve(world, s, spec.node);
    fault.partition.groups.clear();
    for (const auto& group : spec.groups) {
      fault.partition.groups.emplace_back();
      for (const NameRef& ref : group)
        fault.partition.groups.back().push_back(resolve(world, s, ref));
    }
    if (spec.when) {
      fault.when = spec.when->trigger;
      if (spec.when->node) fault.when->node = resolve(world, s, *spec.when->node);
      if (spec.when->peer) fault.when->peer = resolve(world, s, *spec.when->peer);
    }
    fault = world.schedule_fault(fault);  // a partition gets its id: its `for` ends it alone
    if (!spec.lasts) continue;
    // A network change lasts until the scenario's own network is back (scenarios give no `for`
    // to clock faults).
    std::optional<sim::Fault> undo = sim::undo_of(fault, network);
    if (!undo) continue;
    undo->at = fault.at + *spec.lasts;
    // A triggered fault's undo waits for the same event, `for` later: both triggers count the
    // same events, so they fire on the same one.
    undo->when = fault.when;
    if (undo->when) undo->when->after += *spec.lasts;
    world.schedule_fault(*undo);
  }
  if (s.nemesis) {
    sim::NemesisOptions options = s.nemesis->options;
    for (const NameRef& ref : s.nemesis->targets) options.targets.push_back(resolve(world, s, ref));
    if (options.targets.empty()) {
      for (sim::NodeId id = 0; id < world.node_count(); ++id) options.targets.push_back(id);
    }
    sim::Nemesis::start(world, options);
  }
}

}  // namespace

const protocols::ProtocolInfo& protocol_of(const Scenario& s) {
  return resolve_protocol(s);
}

std::string resolve_variant(const Scenario& s, const protocols::ProtocolInfo& p) {
  if (s.variant.empty()) return p.variants.front().name;
  std::vector<std::string> names;
  for (const auto& v : p.variants) {
    if (v.name == s.variant) return v.name;
    names.push_back(v.name);
  }
  throw ScenarioError(s.file, "variant", "a variant of " + p.name + " (" + list_names(names) + ")",
                      "\"" + s.variant + "\"");
}

std::vector<std::string> scenario_checkers(const Scenario& s) {
  return resolve_checkers(s, resolve_protocol(s));
}

BuiltWorld build_world(const Scenario& s, std::unique_ptr<sim::Choices> choices, bool untimed) {
  const protocols::ProtocolInfo& protocol = resolve_protocol(s);
  BuiltWorld built;
  built.variant = resolve_variant(s, protocol);
  built.checkers = resolve_checkers(s, protocol);
  const bool timed_search = !untimed && s.search && s.search->timed;
  if (untimed || timed_search) {
    std::erase_if(built.checkers, [&](const std::string& name) {
      const auto info =
          std::find_if(protocol.checkers.begin(), protocol.checkers.end(),
                       [&](const protocols::CheckerInfo& c) { return c.name == name; });
      if (info == protocol.checkers.end() || !info->timed) return false;
      built.left_out.push_back(name);
      return true;
    });
  }

  protocols::Fields params(s.params, s.file, "params");
  protocols::ProtocolSetup setup{built.variant, params, built.checkers, s.duration};
  built.harness = protocol.make(setup);
  params.finish();

  sim::WorldOptions world_options;
  world_options.network = s.network;
  world_options.storage.torn_writes = s.torn_writes;
  world_options.buggify = s.buggify;
  world_options.stop_on_violation = true;
  world_options.max_events = kMaxRunEvents;
  world_options.max_faults = kMaxRunFaults;
  const SearchSpec search = s.search.value_or(SearchSpec{});
  if (untimed) world_options.untimed = search.budget;
  if (timed_search) {
    // Loss and duplication would draw from a range of 2^20 each: the search's faults replace them.
    const bool lossy =
        std::any_of(s.network.links.begin(), s.network.links.end(),
                    [](const sim::LinkOverride& l) { return l.loss || l.duplicate; });
    if (!s.network.loss.never() || !s.network.duplicate.never() || lossy) {
      throw ScenarioError(s.file, "network", "no loss or duplication in a timed search", "some");
    }
    world_options.timed_search = search.timed_budget.latencies;
  }
  built.world = std::make_unique<sim::World>(world_options, std::move(choices));
  sim::World& world = *built.world;
  built.harness->build(world);
  if (untimed) {
    // The clients' history judges every state too; what the nodes' states leave out of it (how
    // clients' operations interleave) must tell states apart (HistoryRecorder::hash).
    if (const protocols::HistoryRecorder* history = built.harness->client_history().recorder)
      world.add_ghost_state([history](sim::StateHasher& h) { history->hash(h); });
    sim::FaultBudget budget = search.budget;
    for (const NameRef& ref : search.targets) budget.targets.push_back(resolve(world, s, ref));
    if (!search.node_timers.empty()) budget.node_timers.assign(world.node_count(), 0);
    for (const auto& [ref, limit] : search.node_timers)
      budget.node_timers[resolve(world, s, ref)] = limit;
    world.configure_untimed(budget);
  }
  if (timed_search) {
    built.timed = search.timed_budget;
    for (const NameRef& ref : search.targets)
      built.timed->targets.push_back(resolve(world, s, ref));
    built.timed->horizon = sim::TrueTime{} + s.duration;
  }
  schedule_faults(world, s);
  return built;
}

RunOutcome run_scenario(const Scenario& s, const RunOptions& options) {
  RunOutcome out;
  out.seed = options.seed.value_or(s.seed);
  std::unique_ptr<sim::Choices> choices;
  if (options.replay) {
    choices = std::make_unique<sim::ReplayChoices>(*options.replay);
  } else if (options.steer && options.timed_steps) {
    choices = std::make_unique<sim::TimedSteering>(*options.steer, out.seed);
  } else if (options.steer) {
    choices = std::make_unique<sim::SteeredChoices>(*options.steer, out.seed);
  } else {
    choices = std::make_unique<sim::RandomChoices>(out.seed);
  }
  if (options.record_tape) choices->start_recording();
  sim::Choices* tape_source = choices.get();

  const bool untimed = options.untimed_steps.has_value();
  BuiltWorld built = build_world(s, std::move(choices), untimed);
  out.variant = built.variant;
  out.checkers = built.checkers;
  protocols::Harness* harness = built.harness.get();
  sim::World& world = *built.world;
  if (options.inspect_world) options.inspect_world(world);

  FanOut sinks;
  std::optional<reports::JsonlTraceWriter> writer;
  std::optional<reports::TraceBuffer> buffer;
  std::optional<TraceCap> trace_cap;
  if (options.trace_out) {
    writer.emplace(*options.trace_out, &world.node_names());
    sinks.add(&*writer);
    trace_cap.emplace(*writer, world);
    sinks.add(&*trace_cap);
  }
  if (options.keep_trace) {
    buffer.emplace(&world.node_names());
    sinks.add(&*buffer);
  }
  if (!sinks.empty()) world.set_trace(&sinks);

  if (untimed) {
    for (uint64_t step = 0; step < *options.untimed_steps && world.step();) ++step;
  } else if (options.timed_steps && built.timed) {
    sim::TimedStepper stepper(world, *built.timed);
    for (uint64_t step = 0; step < *options.timed_steps && stepper.step();) ++step;
  } else {
    world.run_until(sim::TrueTime{} + s.duration);
  }
  if (world.limit_reached() == "events") {
    fail_at_bound(s, world, std::to_string(kMaxRunEvents) + " events");
  }
  if (world.limit_reached() == "faults") {
    fail_at_bound(s, world, std::to_string(kMaxRunFaults) + " faults");
  }
  if (trace_cap && trace_cap->reached()) {
    fail_at_bound(s, world, "a trace of " + std::to_string(kMaxTraceBytes >> 20) + " MiB");
  }

  for (const Finding& finding : harness->check(world)) {
    // A checker that could not decide (a memory bound ran out) found nothing: its verdict is
    // unknown, never a pass and never a violation.
    if (finding.kind == FindingKind::undecided) {
      out.undecided.push_back({finding.checker, finding.message});
      continue;
    }
    world.report_violation(finding);
  }
  for (Finding v : world.violations()) {
    v.explanation = harness->explain(v);
    out.violations.push_back(std::move(v));
  }
  if (s.expect) {
    if (s.expect->ok) {
      out.expectation_met = out.violations.empty();
    } else {
      out.expectation_met =
          std::any_of(out.violations.begin(), out.violations.end(),
                      [&](const Finding& v) { return v.checker == s.expect->violation; });
    }
  }
  if (writer) out.trace_hash = writer->hash_hex();
  out.trace_events = world.trace_events();
  if (buffer) out.trace = buffer->take();
  if (options.record_tape) out.tape = tape_source->tape();
  out.stats = world.stats();
  out.simulated_ns = world.now().ns();
  out.figures = harness->figures();
  if (protocols::ClientHistory h = harness->client_history(); options.keep_history && h.recorder) {
    std::ostringstream jsonl;
    checkers::write_history_jsonl(jsonl, h.recorder->history(),
                                  [&](int64_t p) { return h.recorder->process_name(p); });
    out.history_jsonl = jsonl.str();
    out.history_model = h.model;
  }
  out.node_names = world.node_names();
  out.faults = world.fault_log();
  out.unfired_triggers = world.unfired_triggers();
  out.untimed_steps = options.untimed_steps;
  for (const sim::SometimesRegistry::Property& p : world.sometimes().properties())
    out.sometimes.push_back(
        {p.name, p.first_event.has_value(), p.first_event.value_or(0), p.first_at_ns});
  out.timed_steps = options.timed_steps;
  world.set_trace(nullptr);
  return out;
}

}  // namespace faultline::run
