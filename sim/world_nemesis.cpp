// The nemesis: from its `start` to its `stop` it draws faults from the seed, each undone alone
// after a drawn time, and at `stop` it returns the world to its configured fault state.
#include <algorithm>
#include <cassert>

#include "sim/fault_undo.hpp"
#include "sim/world.hpp"

namespace faultline::sim {

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
  std::optional<NemesisUndo> undo = nemesis_strike(kind, target, aimed);
  if (undo) {
    uint64_t span = static_cast<uint64_t>((n.fault_max - n.fault_min).ns()) + 1;
    TrueTime until = now_ + n.fault_min + Duration::nanoseconds(static_cast<int64_t>(draw(span)));
    // An undo due at or after `stop` is not needed: heal_everything undoes every fault there.
    if (until < n.stop) {
      nemesis_undo_.push_back(std::move(*undo));
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

std::optional<World::NemesisUndo> World::nemesis_strike(NemesisOptions::Kind kind, NodeId target,
                                                        bool aimed) {
  const NemesisOptions& n = *nemesis_;
  auto draw = [&](uint64_t bound) { return choices_->draw(faults_stream_, bound); };
  uint32_t down = 0;
  for (NodeId t : n.targets) down += (!nodes_[t].up || nodes_[t].paused) ? 1 : 0;
  const bool may_take_down = n.max_down == 0 || down < n.max_down;
  NodeRecord& node = nodes_[target];
  // The fault as it took effect, whose undo (sim/fault_undo.hpp) ends it, and what names that
  // fault alone.
  Fault done{.node = target};
  uint64_t token = 0;
  switch (kind) {
    case NemesisOptions::Kind::kCrash:
      if (!may_take_down || !node.up) return std::nullopt;
      crash(target);
      done.kind = Fault::Kind::kCrash;
      token = node.incarnation;
      break;
    case NemesisOptions::Kind::kPause:
      if (!may_take_down || !node.up || node.paused) return std::nullopt;
      pause(target);
      done.kind = Fault::Kind::kPause;
      token = node.pauses;
      break;
    case NemesisOptions::Kind::kPartition:
      // One partition at a time, as the timeline's: a new one replaces the one in force, whose
      // undo then finds nothing of its own to heal and leaves the new one alone.
      done.kind = Fault::Kind::kPartition;
      done.partition_id = partition(nemesis_partition(target, aimed));
      break;
    case NemesisOptions::Kind::kClockJump: {
      int64_t max = n.max_clock_jump.ns();
      done.kind = Fault::Kind::kClockJump;
      done.amount = Duration::nanoseconds(static_cast<int64_t>(draw(2 * uint64_t(max) + 1)) - max);
      jump_clock(target, done.amount);
      break;
    }
    case NemesisOptions::Kind::kClockDrift: {
      int64_t max = n.max_drift_ppm;
      done.kind = Fault::Kind::kClockDrift;
      done.drift = Drift{static_cast<int64_t>(draw(2 * uint64_t(max) + 1)) - max};
      token = next_undo_token_++;
      node.nemesis_drifts.emplace_back(token, done.drift);
      set_drift(target, done.drift);
      break;
    }
    case NemesisOptions::Kind::kLossBurst: {
      done.kind = Fault::Kind::kNetwork;
      done.network = transport_.options();
      done.network.loss = Probability::from_double(n.burst_loss);
      token = next_undo_token_++;
      loss_bursts_.push_back(token);
      set_network(done.network);
      break;
    }
  }
  // A drift's and a burst's undo find what to return to when they come (nemesis_undo): a later
  // drift or burst may rule by then.
  std::optional<Fault> undo = undo_of(done, options_.network, node.base_drift);
  if (!undo) return std::nullopt;
  return NemesisUndo{std::move(*undo), token};
}

PartitionSpec World::nemesis_partition(NodeId target, bool aimed) {
  const NemesisOptions& n = *nemesis_;
  auto draw = [&](uint64_t bound) { return choices_->draw(faults_stream_, bound); };
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
      if (aimed) return minority_around(target, others, draw);
      spec.groups = {n.targets};
      return spec;
    case PartitionSpec::Mode::kIsolate:
      spec.groups = {{target}};
      return spec;
    case PartitionSpec::Mode::kOneWay:
      spec.groups = draw(2) ? std::vector<std::vector<NodeId>>{{target}, others}
                            : std::vector<std::vector<NodeId>>{others, {target}};
      return spec;
    default: {
      // The target bridges two halves of the others.
      std::vector<NodeId> a(others.begin(), others.begin() + static_cast<long>(others.size() / 2));
      std::vector<NodeId> b(others.begin() + static_cast<long>(others.size() / 2), others.end());
      spec.groups = {a, b, {target}};
      return spec;
    }
  }
}

void World::nemesis_undo(uint32_t index) {
  if (index == UINT32_MAX) {
    heal_everything();
    return;
  }
  if (now_ >= nemesis_->stop) return;  // heal_everything already did it
  const NemesisUndo& undo = nemesis_undo_[index];
  const NodeId target = undo.fault.node;
  NodeRecord& node = nodes_[target];
  // Each undo ends its own fault and nothing else: not a later crash, pause, drift or burst of
  // the same node or network, not another partition.
  switch (undo.fault.kind) {
    case Fault::Kind::kRestart:
      if (!node.up && node.incarnation == undo.token) restart(target);
      return;
    case Fault::Kind::kResume:
      if (node.paused && node.pauses == undo.token) resume(target);
      return;
    case Fault::Kind::kClockDrift:
      end_nemesis_drift(target, undo.token);
      return;
    case Fault::Kind::kNetwork:
      end_loss_burst(undo.token);
      return;
    default:
      apply(undo.fault);  // a heal of its own partition; a clock jump back by as much
  }
}

void World::end_nemesis_drift(NodeId id, uint64_t token) {
  auto& drifts = nodes_[id].nemesis_drifts;
  auto it = std::find_if(drifts.begin(), drifts.end(),
                         [token](const auto& d) { return d.first == token; });
  if (it == drifts.end()) return;
  const bool ruling = it + 1 == drifts.end();
  drifts.erase(it);
  if (!ruling) return;  // a later drift rules the clock, and goes on doing so
  set_drift(id, drifts.empty() ? nodes_[id].base_drift : drifts.back().second);
}

void World::end_loss_burst(uint64_t token) {
  auto it = std::find(loss_bursts_.begin(), loss_bursts_.end(), token);
  if (it == loss_bursts_.end()) return;
  loss_bursts_.erase(it);
  if (loss_bursts_.empty()) set_network(options_.network);
}

void World::heal_everything() {
  if (transport_.rules().any_in_force()) heal();
  loss_bursts_.clear();
  if (!(transport_.options() == options_.network)) set_network(options_.network);
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    NodeRecord& node = nodes_[id];
    if (node.paused) resume(id);
    if (node.booted && !node.up) restart(id);
    node.nemesis_drifts.clear();
    if (node.clock.drift() != node.base_drift) set_drift(id, node.base_drift);
    // NTP steps a jumped clock back: the offset as configured.
    if (node.clock.wall_offset() != node.base_offset) {
      jump_clock(id, node.base_offset - node.clock.wall_offset());
    }
  }
  fault_changed();
}

}  // namespace faultline::sim
