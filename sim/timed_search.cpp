// Timed search (sim/timed_search.hpp): the steered choices, the stepper that injects the budget's
// faults, and the world's timed fingerprint.
#include "sim/timed_search.hpp"

#include "base/hash.hpp"
#include "sim/world.hpp"

namespace faultline::sim {

uint64_t TimedSpent::hash() const {
  uint64_t h = mix64(uint64_t{pauses} << 32 | crashes);
  h = mix64(h ^ (uint64_t{partitions} << 32 | jumps));
  return mix64(h ^ drifts);
}

void TimedSteering::add_stream(std::string_view name) {
  streams_.push_back(Rng::stream(seed_, name));
  steered_.push_back(name == "schedule" || name == "network" || name == kTimedSearchStream);
}

uint64_t TimedSteering::pick(StreamId stream, uint64_t bound, Simplest) {
  if (!steered_[stream]) return streams_[stream].below(bound);
  const size_t next = draws_.size();
  uint64_t v = next < path_.size() ? path_[next] : 0;
  if (v >= bound) v = bound - 1;
  draws_.push_back({static_cast<uint32_t>(v), static_cast<uint32_t>(bound)});
  return v;
}

TimedStepper::TimedStepper(World& world, TimedBudget budget)
    : world_(world), budget_(std::move(budget)), stream_(world.stream(kTimedSearchStream)) {}

std::vector<TimedStepper::Option> TimedStepper::options() const {
  using Kind = Option::Kind;
  std::vector<Option> out;
  std::vector<NodeId> targets = budget_.targets;
  if (targets.empty()) {
    for (NodeId n = 0; n < world_.node_count(); ++n) targets.push_back(n);
  }
  const auto each_length = [&](Kind kind, size_t count, NodeId n) {
    for (size_t i = 0; i < count; ++i) out.push_back({kind, n, i});
  };
  for (NodeId n : targets) {
    const bool running = world_.is_up(n) && !world_.is_paused(n);
    if (running && spent_.pauses < budget_.pause_count)
      each_length(Kind::kPause, budget_.pauses.size(), n);
    if (world_.is_up(n) && spent_.crashes < budget_.crashes) out.push_back({Kind::kCrash, n, 0});
    if (spent_.jumps < budget_.jump_count) each_length(Kind::kJump, budget_.jumps.size(), n);
    if (spent_.drifts < budget_.drift_count)
      each_length(Kind::kDrift, budget_.drifts_ppm.size(), n);
  }
  // A node crashed by the search comes back at a step of its choosing, unbudgeted.
  if (spent_.crashes > 0) {
    for (NodeId n : targets) {
      if (!world_.is_up(n)) out.push_back({Kind::kRestart, n, 0});
    }
  }
  if (cut_) {
    out.push_back({Kind::kHeal, kNoNode, 0});
  } else if (spent_.partitions < budget_.partitions) {
    for (NodeId n : targets) out.push_back({Kind::kIsolate, n, 0});
  }
  return out;
}

void TimedStepper::inject(const Option& option) {
  using Kind = Option::Kind;
  const NodeId n = option.node;
  const std::string name = n == kNoNode ? "" : world_.node_name(n);
  const TrueTime now = world_.now();
  switch (option.kind) {
    case Kind::kPause: {
      ++spent_.pauses;
      const Duration length = budget_.pauses[option.value];
      world_.pause(n);
      world_.schedule_fault(Fault{.kind = Fault::Kind::kResume, .at = now + length, .node = n});
      last_fault_kind_ = "pause";
      last_fault_ = "pause " + name + " for " + format_duration(length);
      break;
    }
    case Kind::kCrash:
      ++spent_.crashes;
      world_.crash(n);
      last_fault_kind_ = "crash";
      last_fault_ = "crash " + name;
      break;
    case Kind::kRestart:
      world_.restart(n);
      last_fault_kind_ = "restart";
      last_fault_ = "restart " + name;
      break;
    case Kind::kIsolate: {
      ++spent_.partitions;
      PartitionSpec spec;
      spec.mode = PartitionSpec::Mode::kIsolate;
      spec.groups = {{n}};
      world_.partition(spec);
      cut_ = true;
      last_fault_kind_ = "isolate";
      last_fault_ = "isolate " + name;
      break;
    }
    case Kind::kHeal:
      world_.heal();
      cut_ = false;
      last_fault_kind_ = "heal";
      last_fault_ = "heal";
      break;
    case Kind::kJump: {
      ++spent_.jumps;
      const Duration by = budget_.jumps[option.value];
      world_.jump_clock(n, by);
      last_fault_kind_ = "clock jump";
      last_fault_ = "jump " + name + "'s wall clock by " + (by >= Duration{} ? "+" : "") +
                    format_duration(by);
      break;
    }
    case Kind::kDrift: {
      ++spent_.drifts;
      const int64_t ppm = budget_.drifts_ppm[option.value];
      world_.set_drift(n, Drift{ppm});
      last_fault_kind_ = "clock drift";
      last_fault_ = "drift " + name + "'s clock by " + std::to_string(ppm) + " ppm";
      break;
    }
  }
}

bool TimedStepper::step() {
  last_fault_.clear();
  last_fault_kind_.clear();
  if (world_.stopped()) return false;
  std::optional<TrueTime> next = world_.next_event_at();
  if (!next || *next > budget_.horizon) return false;
  const std::vector<Option> choices = options();
  const uint64_t pick = world_.choices().draw(stream_, choices.size() + 1);
  if (pick > 0) {
    inject(choices[pick - 1]);
    // A crash may have taken the next event with it; a restart or a pause brings new ones.
    next = world_.next_event_at();
  }
  if (next && *next <= budget_.horizon) world_.run_until(*next);
  return true;
}

uint64_t TimedStepper::fingerprint() const {
  return mix64(world_.timed_fingerprint() ^ spent_.hash() ^ (cut_ ? 0x637574 : 0));
}

// --- the world's side ----------------------------------------------------------------------

uint64_t World::reading_input(LocalTime reading) const {
  if (untimed()) return static_cast<uint64_t>(reading.ns());
  return static_cast<uint64_t>(reading.ns() - now_.ns());
}

void World::timed_input_gap(NodeId node) {
  NodeRecord& record = nodes_[node];
  record.inputs = mix64(record.inputs ^ static_cast<uint64_t>((now_ - record.last_input).ns()));
  record.last_input = now_;
}

std::optional<TrueTime> World::next_event_at() const {
  std::optional<TrueTime> next;
  const auto live = [this](const Event& e) {
    if (e.kind != EventKind::kTimer) return true;
    const TimerSlot& t = timers_[e.slot];
    return e.version == t.version && t.armed && t.incarnation == nodes_[t.node].incarnation;
  };
  for (const std::vector<Event>* events : {&ready_, &heap_}) {
    for (const Event& e : *events) {
      if (live(e) && (!next || e.at < *next)) next = e.at;
    }
  }
  return next;
}

uint64_t World::timed_fingerprint() const {
  const auto since = [this](TrueTime t) { return static_cast<uint64_t>((t - now_).ns()); };
  uint64_t h = 0x74696d6564;
  for (NodeId n = 0; n < nodes_.size(); ++n) {
    const NodeRecord& node = nodes_[n];
    h = mix64(h ^ node.inputs);
    h = mix64(h ^ (node.booted ? 4 : 0) ^ (node.up ? 2 : 0) ^ (node.paused ? 1 : 0));
    h = mix64(h ^ since(node.last_input));
    // The clocks as they run from now on: each reading's offset from true time, and the rate.
    h = mix64(h ^ static_cast<uint64_t>(node.clock.monotonic(now_).ns() - now_.ns()));
    h = mix64(h ^ static_cast<uint64_t>(node.clock.wall_offset().ns()));
    h = mix64(h ^ static_cast<uint64_t>(node.clock.drift().ppm));
    // A paused node holds messages and timers alike: a slot means a message only for a delivery.
    for (const Event& e : node.deferred) {
      h = mix64(h ^ (e.kind == EventKind::kDeliver ? transport_.at(e.slot).hash
                                                   : mix64(timers_[e.slot].tag) ^ 0x746d72));
    }
  }
  if (transport_.rules().any_blocked()) {
    for (NodeId a = 0; a < nodes_.size(); ++a) {
      for (NodeId b = 0; b < nodes_.size(); ++b) {
        if (transport_.rules().blocked(a, b)) h = mix64(h ^ (uint64_t{a} << 32 | b));
      }
    }
  }
  // What is pending, as a multiset of (what, when from now): a sum of well-mixed hashes.
  uint64_t pending = 0;
  for (const std::vector<Event>* events : {&ready_, &heap_}) {
    for (const Event& e : *events) {
      uint64_t what = 0;
      switch (e.kind) {
        case EventKind::kDeliver:
          what = mix64(transport_.at(e.slot).hash ^ 0x6d7367);
          break;
        case EventKind::kTimer: {
          const TimerSlot& t = timers_[e.slot];
          if (e.version != t.version || !t.armed || t.incarnation != nodes_[t.node].incarnation)
            continue;
          what = mix64(mix64(t.tag) ^ (uint64_t{t.node} << 8) ^ 0x746d72);
          break;
        }
        case EventKind::kFault: {
          const Fault& f = faults_[e.slot];
          what = mix64(uint64_t{f.node} << 8 ^ static_cast<uint64_t>(f.kind) ^ 0x666c74);
          break;
        }
        default:
          what = mix64(uint64_t{e.node} << 8 ^ static_cast<uint64_t>(e.kind));
          break;
      }
      pending += mix64(what ^ since(e.at));
    }
  }
  return mix64(h ^ pending);
}

}  // namespace faultline::sim
