// The world's side of faults: what each fault does to nodes, links and clocks, and the nemesis
// that draws them from the seed.
#include <algorithm>
#include <cassert>

#include "sim/world.hpp"

namespace faultline::sim {

std::string_view to_string(Fault::Kind kind) {
  switch (kind) {
    case Fault::Kind::kCrash:
      return "crash";
    case Fault::Kind::kRestart:
      return "restart";
    case Fault::Kind::kPause:
      return "pause";
    case Fault::Kind::kResume:
      return "resume";
    case Fault::Kind::kPartition:
      return "partition";
    case Fault::Kind::kHeal:
      return "heal";
    case Fault::Kind::kClockJump:
      return "clock-jump";
    case Fault::Kind::kClockDrift:
      return "clock-drift";
    case Fault::Kind::kNetwork:
      return "network";
  }
  return "?";
}

std::string_view to_string(NemesisOptions::Kind kind) {
  switch (kind) {
    case NemesisOptions::Kind::kPartition:
      return "partition";
    case NemesisOptions::Kind::kCrash:
      return "crash";
    case NemesisOptions::Kind::kPause:
      return "pause";
    case NemesisOptions::Kind::kClockJump:
      return "clock-jump";
    case NemesisOptions::Kind::kClockDrift:
      return "clock-drift";
    case NemesisOptions::Kind::kLossBurst:
      return "loss-burst";
  }
  return "?";
}

void World::apply(const Fault& fault) {
  switch (fault.kind) {
    case Fault::Kind::kCrash:
      crash(fault.node, fault.wipe_storage);
      break;
    case Fault::Kind::kRestart:
      restart(fault.node);
      break;
    case Fault::Kind::kPause:
      pause(fault.node);
      break;
    case Fault::Kind::kResume:
      resume(fault.node);
      break;
    case Fault::Kind::kPartition:
      partition(fault.partition);
      break;
    case Fault::Kind::kHeal:
      heal();
      break;
    case Fault::Kind::kClockJump:
      jump_clock(fault.node, fault.amount);
      break;
    case Fault::Kind::kClockDrift:
      set_drift(fault.node, fault.drift);
      break;
    case Fault::Kind::kNetwork:
      set_network(fault.network);
      break;
  }
}

void World::crash(NodeId id, bool wipe_storage) {
  NodeRecord& node = nodes_[id];
  if (!node.up) return;
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kCrash, .node = id, .wipe_storage = wipe_storage});
  node.actor.reset();
  node.up = false;
  node.paused = false;
  ++node.incarnation;  // timers armed before the crash never fire
  for (const Event& e : node.deferred) {
    if (e.kind == EventKind::kDeliver) free_messages_.push_back(e.slot);
    if (e.kind == EventKind::kTimer) {
      timers_[e.slot].armed = false;
      free_timers_.push_back(e.slot);
    }
  }
  node.deferred.clear();
  if (wipe_storage) {
    node.storage.wipe();
  } else {
    node.storage.crash(options_.storage.torn_writes,
                       [this] { return choices_->draw(faults_stream_, 2) == 1; });
  }
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kCrash, id);
    if (wipe_storage) e.detail = "storage wiped";
    emit(e);
  }
  fault_changed();
}

void World::restart(NodeId id) {
  NodeRecord& node = nodes_[id];
  if (node.up || !node.booted) return;
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kRestart, .node = id});
  boot(id, true);
  fault_changed();
}

void World::pause(NodeId id) {
  NodeRecord& node = nodes_[id];
  if (!node.up || node.paused) return;
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kPause, .node = id});
  node.paused = true;
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kPause, id);
    emit(e);
  }
  fault_changed();
}

void World::resume(NodeId id) {
  NodeRecord& node = nodes_[id];
  if (!node.paused) return;
  node.paused = false;
  log_fault(Fault{.kind = Fault::Kind::kResume, .node = id});
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kResume, id);
    emit(e);
  }
  // What arrived during the pause is handled now, in the order it arrived. One nanosecond apart:
  // at the same instant they would be a tie, drawn from the tape, and could be reordered (a FIFO
  // link would not be FIFO across a pause).
  std::vector<Event> deferred = std::move(node.deferred);
  node.deferred.clear();
  TrueTime at = now_;
  for (Event e : deferred) {
    e.at = at;
    push(e);
    at += nanoseconds(1);
  }
  fault_changed();
}

void World::partition(const PartitionSpec& spec) {
  ++stats_.faults;
  // Sized here, not at every add_node: the rules are a nodes x nodes matrix, and re-making it per
  // node made building a world of 10,000 fibers cubic. Nodes beyond its size are never blocked.
  if (links_.size() != nodes_.size()) links_.resize(nodes_.size());
  Fault applied{.kind = Fault::Kind::kPartition};
  std::string description =
      apply_partition(spec, links_, *choices_, faults_stream_, names_, &applied.partition);
  log_fault(std::move(applied));
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kPartition, kNoNode);
    e.detail = std::move(description);
    emit(e);
  }
  fault_changed();
}

void World::heal() {
  links_.heal();
  log_fault(Fault{.kind = Fault::Kind::kHeal});
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kHeal, kNoNode);
    emit(e);
  }
  fault_changed();
}

void World::jump_clock(NodeId id, Duration by) {
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kClockJump, .node = id, .amount = by});
  nodes_[id].clock.jump_wall(by);
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kClockJump, id);
    e.detail = (by >= Duration{} ? "+" : "") + format_duration(by);
    emit(e);
  }
  // A jump is over as soon as it happens, but the window of calm restarts from it.
  if (healthy_since_) healthy_since_ = now_;
}

void World::set_drift(NodeId id, Drift drift) {
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kClockDrift, .node = id, .drift = drift});
  nodes_[id].clock.set_drift(now_, drift);
  // Timers already armed keep their true deadline; the next ones use the new rate. A protocol
  // re-arms its timers often enough that the difference is one period.
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kClockDrift, id);
    e.detail = std::to_string(drift.ppm) + "ppm";
    emit(e);
  }
}

void World::set_network(const NetworkOptions& options) {
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kNetwork, .network = options});
  network_ = options;
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kNetwork, kNoNode);
    e.detail = "loss " + std::to_string(options.loss.value()) + ", duplicate " +
               std::to_string(options.duplicate.value());
    emit(e);
  }
  fault_changed();
}

void World::log_fault(Fault fault) {
  fault.at = now_;
  fault_log_.push_back(std::move(fault));
}

std::optional<TrueTime> World::healthy_since() const {
  return healthy_since_;
}

void World::fault_changed() {
  bool active = links_.any_blocked() || network_.loss != options_.network.loss ||
                network_.duplicate != options_.network.duplicate;
  for (const NodeRecord& node : nodes_) {
    if (node.booted && (!node.up || node.paused)) active = true;
  }
  if (active) {
    healthy_since_.reset();
  } else if (!healthy_since_) {
    healthy_since_ = now_;
  }
}

// --- the nemesis ---------------------------------------------------------------------------

namespace {

// A majority-minority split whose minority holds `target` and a random few of `others`.
template <class Draw>
PartitionSpec minority_around(NodeId target, std::vector<NodeId> others, Draw& draw) {
  for (size_t i = others.size(); i > 1; --i) std::swap(others[i - 1], others[draw(i)]);
  size_t companions = others.size() / 2;  // of n = others + 1 targets, floor((n - 1) / 2) - 1
  companions = companions > 0 ? companions - 1 : 0;
  std::vector<NodeId> small{target};
  small.insert(small.end(), others.begin(), others.begin() + static_cast<long>(companions));
  std::vector<NodeId> big(others.begin() + static_cast<long>(companions), others.end());
  std::sort(small.begin(), small.end());
  std::sort(big.begin(), big.end());
  return PartitionSpec{PartitionSpec::Mode::kSplit, {small, big}};
}

}  // namespace

// This seed's nemesis under swarm testing (NemesisOptions::swarm), and its description.
NemesisOptions World::draw_swarm(const NemesisOptions& options) {
  auto draw = [&](uint64_t bound) { return choices_->draw(faults_stream_, bound); };
  NemesisOptions n = options;
  n.kinds.clear();
  // A non-empty subset: each kind with probability 1/2, drawn again while none was taken. A tape
  // of zeros (a shrunk one, past its end) takes none, ever: after 64 empty rounds, which a seed
  // all but never draws, the first kind alone, the simplest swarm.
  for (int round = 0; n.kinds.empty(); ++round) {
    if (round == 64) {
      n.kinds.push_back(options.kinds.front());
      break;
    }
    for (NemesisOptions::Kind kind : options.kinds) {
      if (draw(2) == 1) n.kinds.push_back(kind);
    }
  }
  // The longest mean interval is the simplest: the fewest faults.
  static constexpr int64_t kScale[] = {1, 2, 4, 8, 16};  // in quarters: x1/4 .. x4
  n.interval_mean = Duration::nanoseconds(
      std::max<int64_t>(options.interval_mean.ns() / 4 *
                            kScale[choices_->draw(faults_stream_, 5, Simplest::kHighest)],
                        1000));
  if (draw(2) == 0) n.aim_at_leader = Probability{};
  std::string kinds;
  for (NemesisOptions::Kind kind : n.kinds)
    kinds += (kinds.empty() ? "" : ", ") + std::string(to_string(kind));
  swarm_description_ = "nemesis (swarm) for this seed: " + kinds + " every " +
                       format_duration(n.interval_mean) + " on average, aimed at the leader " +
                       std::to_string(static_cast<int>(n.aim_at_leader.value() * 100 + 0.5)) +
                       "% of the time";
  return n;
}

void World::set_nemesis(const NemesisOptions& options) {
  if (!options.enabled() || options.targets.empty()) return;
  nemesis_ = options.swarm ? draw_swarm(options) : options;
  // Gaps between faults are simplest longest (Simplest::kHighest): a shrunk tape means fewer
  // faults, not a fault every few microseconds.
  TrueTime first = options.start + Duration::nanoseconds(draw_exponential_ns(
                                       *choices_, faults_stream_, nemesis_->interval_mean.ns(),
                                       Simplest::kHighest));
  if (first < options.stop) push(Event{first, 0, EventKind::kNemesis, kNoNode, 0});
  // UINT32_MAX as the undo index: heal everything at the end of the fault phase.
  push(Event{options.stop, 0, EventKind::kNemesisUndo, kNoNode, UINT32_MAX});
}

void World::nemesis_tick() {
  const NemesisOptions& n = *nemesis_;
  if (now_ >= n.stop) return;
  if (!swarm_description_.empty()) {  // said once, at the first fault, where the trace has it
    note(kNoNode, std::move(swarm_description_));
    swarm_description_.clear();
  }
  auto draw = [&](uint64_t bound) { return choices_->draw(faults_stream_, bound); };
  auto kind = n.kinds[draw(n.kinds.size())];
  NodeId target = n.targets[draw(n.targets.size())];
  bool aimed = false;
  if (n.aim_at_leader.happens(*choices_, faults_stream_)) {
    std::vector<NodeId> leaders;
    for (NodeId t : n.targets)
      if (leads(t)) leaders.push_back(t);
    if (!leaders.empty()) {
      target = leaders[draw(leaders.size())];
      aimed = true;
    }
  }
  uint32_t down = 0;
  for (NodeId t : n.targets) down += (!nodes_[t].up || nodes_[t].paused) ? 1 : 0;
  bool may_take_down = n.max_down == 0 || down < n.max_down;

  Fault undo;
  undo.node = target;
  bool has_undo = true;
  switch (kind) {
    case NemesisOptions::Kind::kCrash:
      if (!may_take_down || !nodes_[target].up) {
        has_undo = false;
        break;
      }
      crash(target);
      undo.kind = Fault::Kind::kRestart;
      break;
    case NemesisOptions::Kind::kPause:
      if (!may_take_down || !nodes_[target].up) {
        has_undo = false;
        break;
      }
      pause(target);
      undo.kind = Fault::Kind::kResume;
      break;
    case NemesisOptions::Kind::kPartition: {
      PartitionSpec spec;
      static constexpr PartitionSpec::Mode kModes[] = {
          PartitionSpec::Mode::kMajorityMinority, PartitionSpec::Mode::kIsolate,
          PartitionSpec::Mode::kOneWay, PartitionSpec::Mode::kBridge};
      size_t modes = n.targets.size() >= 3 ? 4 : 3;
      spec.mode = kModes[draw(modes)];
      std::vector<NodeId> others;
      for (NodeId t : n.targets)
        if (t != target) others.push_back(t);
      switch (spec.mode) {
        case PartitionSpec::Mode::kMajorityMinority:
          if (aimed) {
            spec = minority_around(target, others, draw);
          } else {
            spec.groups = {n.targets};
          }
          break;
        case PartitionSpec::Mode::kIsolate:
          spec.groups = {{target}};
          break;
        case PartitionSpec::Mode::kOneWay:
          spec.groups = draw(2) ? std::vector<std::vector<NodeId>>{{target}, others}
                                : std::vector<std::vector<NodeId>>{others, {target}};
          break;
        default: {
          // The target bridges two halves of the others.
          std::vector<NodeId> a(others.begin(),
                                others.begin() + static_cast<long>(others.size() / 2));
          std::vector<NodeId> b(others.begin() + static_cast<long>(others.size() / 2),
                                others.end());
          spec.groups = {a, b, {target}};
        }
      }
      partition(spec);
      undo.kind = Fault::Kind::kHeal;
      break;
    }
    case NemesisOptions::Kind::kClockJump: {
      int64_t max = n.max_clock_jump.ns();
      Duration by = Duration::nanoseconds(static_cast<int64_t>(draw(2 * uint64_t(max) + 1)) - max);
      jump_clock(target, by);
      undo.kind = Fault::Kind::kClockJump;  // NTP steps the clock back
      undo.amount = -by;
      break;
    }
    case NemesisOptions::Kind::kClockDrift: {
      int64_t max = n.max_drift_ppm;
      set_drift(target, Drift{static_cast<int64_t>(draw(2 * uint64_t(max) + 1)) - max});
      undo.kind = Fault::Kind::kClockDrift;
      undo.drift = nodes_[target].base_drift;
      break;
    }
    case NemesisOptions::Kind::kLossBurst: {
      NetworkOptions burst = network_;
      burst.loss = Probability::from_double(n.burst_loss);
      set_network(burst);
      undo.kind = Fault::Kind::kNetwork;
      undo.network = options_.network;
      break;
    }
  }
  if (has_undo) {
    uint64_t span = static_cast<uint64_t>((n.fault_max - n.fault_min).ns()) + 1;
    TrueTime until = now_ + n.fault_min + Duration::nanoseconds(static_cast<int64_t>(draw(span)));
    if (until < n.stop) {
      nemesis_undo_.push_back(undo);
      push(Event{until, 0, EventKind::kNemesisUndo, target,
                 static_cast<uint32_t>(nemesis_undo_.size() - 1)});
    }
  }
  // A floor on the gap: an edited tape must not stack every fault on one instant.
  int64_t gap = std::max(
      draw_exponential_ns(*choices_, faults_stream_, n.interval_mean.ns(), Simplest::kHighest),
      std::max<int64_t>(n.interval_mean.ns() / 64, 1000));
  TrueTime next = now_ + Duration::nanoseconds(gap);
  if (next < n.stop) push(Event{next, 0, EventKind::kNemesis, kNoNode, 0});
}

void World::nemesis_undo(uint32_t index) {
  if (index == UINT32_MAX) {
    heal_everything();
    return;
  }
  if (now_ >= nemesis_->stop) return;  // heal_everything already did it
  apply(nemesis_undo_[index]);
}

void World::heal_everything() {
  if (links_.any_blocked()) heal();
  if (network_.loss != options_.network.loss || network_.duplicate != options_.network.duplicate) {
    set_network(options_.network);
  }
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    NodeRecord& node = nodes_[id];
    if (node.paused) resume(id);
    if (node.booted && !node.up) restart(id);
    if (node.clock.drift() != node.base_drift) set_drift(id, node.base_drift);
  }
  fault_changed();
}

}  // namespace faultline::sim
