// The nemesis: from its `start` to its `stop` it draws faults from the seed, each undone alone
// after a drawn time, and at `stop` it returns the world to its configured fault state.
#include "sim/nemesis.hpp"

#include <algorithm>

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
PartitionSpec minority_around(NodeId target, std::vector<NodeId> others, Draw&& draw) {
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

std::shared_ptr<Nemesis> Nemesis::start(World& world, const NemesisOptions& options) {
  if (!options.enabled() || options.targets.empty()) return nullptr;
  auto nemesis = std::make_shared<Nemesis>(world, options);
  // Gaps between faults are simplest longest (Simplest::kHighest): a shrunk tape means fewer
  // faults, not a fault every few microseconds.
  TrueTime first = options.start + Duration::nanoseconds(draw_exponential_ns(
                                       world.choices(), nemesis->stream_,
                                       nemesis->options_.interval_mean.ns(), Simplest::kHighest));
  if (first < options.stop) world.wake_at(first, [nemesis] { nemesis->tick(); });
  world.wake_at(options.stop, [nemesis] { nemesis->heal_everything(); });
  return nemesis;
}

Nemesis::Nemesis(World& world, const NemesisOptions& options)
    : world_(world), stream_(world.stream("faults")), drifts_(world.node_count()) {
  options_ = options.swarm ? draw_swarm(options) : options;
}

uint64_t Nemesis::draw(uint64_t bound) {
  return world_.choices().draw(stream_, bound);
}

NemesisOptions Nemesis::draw_swarm(const NemesisOptions& options) {
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
                            kScale[world_.choices().draw(stream_, 5, Simplest::kHighest)],
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

void Nemesis::tick() {
  const NemesisOptions& n = options_;
  const TrueTime now = world_.now();
  if (now >= n.stop) return;
  if (!swarm_description_.empty()) {  // said once, at the first fault, where the trace has it
    world_.note(kNoNode, std::move(swarm_description_));
    swarm_description_.clear();
  }
  auto kind = n.kinds[draw(n.kinds.size())];
  NodeId target = n.targets[draw(n.targets.size())];
  bool aimed = false;
  if (n.aim_at_leader.happens(world_.choices(), stream_)) {
    std::vector<NodeId> leaders;
    for (NodeId t : n.targets)
      if (world_.leads(t)) leaders.push_back(t);
    if (!leaders.empty()) {
      target = leaders[draw(leaders.size())];
      aimed = true;
    }
  }
  std::optional<Undo> ending = strike(kind, target, aimed);
  if (ending) {
    uint64_t span = static_cast<uint64_t>((n.fault_max - n.fault_min).ns()) + 1;
    TrueTime until = now + n.fault_min + Duration::nanoseconds(static_cast<int64_t>(draw(span)));
    // An undo due at or after `stop` is not needed: heal_everything undoes every fault there.
    if (until < n.stop) {
      undos_.push_back(std::move(*ending));
      const auto index = static_cast<uint32_t>(undos_.size() - 1);
      world_.wake_at(until, [self = shared_from_this(), index] { self->undo(index); });
    }
  }
  // A floor on the gap: an edited tape must not stack every fault on one instant.
  int64_t gap = std::max(
      draw_exponential_ns(world_.choices(), stream_, n.interval_mean.ns(), Simplest::kHighest),
      std::max<int64_t>(n.interval_mean.ns() / 64, 1000));
  TrueTime next = now + Duration::nanoseconds(gap);
  if (next < n.stop) world_.wake_at(next, [self = shared_from_this()] { self->tick(); });
}

std::optional<Nemesis::Undo> Nemesis::strike(NemesisOptions::Kind kind, NodeId target, bool aimed) {
  const NemesisOptions& n = options_;
  uint32_t down = 0;
  for (NodeId t : n.targets) down += (!world_.is_up(t) || world_.is_paused(t)) ? 1 : 0;
  const bool may_take_down = n.max_down == 0 || down < n.max_down;
  // The fault as it took effect, whose undo (sim/fault_undo.hpp) ends it, and what names that
  // fault alone.
  Fault done{.node = target};
  uint64_t token = 0;
  switch (kind) {
    case NemesisOptions::Kind::kCrash:
      if (!may_take_down || !world_.is_up(target)) return std::nullopt;
      world_.crash(target);
      done.kind = Fault::Kind::kCrash;
      token = world_.incarnation(target);
      break;
    case NemesisOptions::Kind::kPause:
      if (!may_take_down || !world_.is_up(target) || world_.is_paused(target)) return std::nullopt;
      world_.pause(target);
      done.kind = Fault::Kind::kPause;
      token = world_.pauses(target);
      break;
    case NemesisOptions::Kind::kPartition:
      // One partition at a time, as the timeline's: a new one replaces the one in force, whose
      // undo then finds nothing of its own to heal and leaves the new one alone.
      done.kind = Fault::Kind::kPartition;
      done.partition_id = world_.partition(partition_around(target, aimed));
      break;
    case NemesisOptions::Kind::kClockJump: {
      int64_t max = n.max_clock_jump.ns();
      done.kind = Fault::Kind::kClockJump;
      done.amount = Duration::nanoseconds(static_cast<int64_t>(draw(2 * uint64_t(max) + 1)) - max);
      world_.jump_clock(target, done.amount);
      break;
    }
    case NemesisOptions::Kind::kClockDrift: {
      int64_t max = n.max_drift_ppm;
      done.kind = Fault::Kind::kClockDrift;
      // Aimed at a leader, the drift slows its clock: the direction in which a leader's timing
      // assumptions break (a lease outlasts the followers' election timeouts); a fast leader
      // clock only ends its leases early.
      done.drift = aimed ? Drift{-static_cast<int64_t>(draw(uint64_t(max) + 1))}
                         : Drift{static_cast<int64_t>(draw(2 * uint64_t(max) + 1)) - max};
      token = next_token_++;
      if (drifts_.size() <= target) drifts_.resize(target + 1);
      drifts_[target].emplace_back(token, done.drift);
      world_.set_drift(target, done.drift);
      break;
    }
    case NemesisOptions::Kind::kLossBurst: {
      done.kind = Fault::Kind::kNetwork;
      done.network = world_.network();
      done.network.loss = Probability::from_double(n.burst_loss);
      token = next_token_++;
      loss_bursts_.push_back(token);
      world_.set_network(done.network);
      break;
    }
  }
  // A drift's and a burst's undo return to the configured drift or network only if no later
  // drift or burst rules by then (end_drift, end_loss_burst).
  std::optional<Fault> ending =
      undo_of(done, world_.configured_network(), world_.configured_drift(target));
  if (!ending) return std::nullopt;
  return Undo{std::move(*ending), token};
}

PartitionSpec Nemesis::partition_around(NodeId target, bool aimed) {
  const NemesisOptions& n = options_;
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
      if (aimed) return minority_around(target, others, [this](uint64_t b) { return draw(b); });
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

void Nemesis::undo(uint32_t index) {
  if (world_.now() >= options_.stop) return;  // heal_everything did it already
  const Undo& ending = undos_[index];
  const NodeId target = ending.fault.node;
  switch (ending.fault.kind) {
    case Fault::Kind::kRestart:
      if (!world_.is_up(target) && world_.incarnation(target) == ending.token) {
        world_.apply(ending.fault);
      }
      return;
    case Fault::Kind::kResume:
      if (world_.is_paused(target) && world_.pauses(target) == ending.token) {
        world_.apply(ending.fault);
      }
      return;
    case Fault::Kind::kClockDrift:
      end_drift(ending);
      return;
    case Fault::Kind::kNetwork:
      end_loss_burst(ending);
      return;
    default:
      world_.apply(ending.fault);  // a heal of its own partition; a clock jump back by as much
  }
}

void Nemesis::end_drift(const Undo& ending) {
  auto& drifts = drifts_[ending.fault.node];
  auto it = std::find_if(drifts.begin(), drifts.end(),
                         [&ending](const auto& d) { return d.first == ending.token; });
  if (it == drifts.end()) return;
  const bool ruling = it + 1 == drifts.end();
  drifts.erase(it);
  if (!ruling) return;  // a later drift rules the clock, and goes on doing so
  if (drifts.empty()) {
    world_.apply(ending.fault);  // the configured drift
  } else {
    world_.set_drift(ending.fault.node, drifts.back().second);
  }
}

void Nemesis::end_loss_burst(const Undo& ending) {
  auto it = std::find(loss_bursts_.begin(), loss_bursts_.end(), ending.token);
  if (it == loss_bursts_.end()) return;
  loss_bursts_.erase(it);
  if (loss_bursts_.empty()) world_.apply(ending.fault);  // the configured network
}

void Nemesis::heal_everything() {
  for (auto& drifts : drifts_) drifts.clear();
  loss_bursts_.clear();
  world_.heal_everything();
}

}  // namespace faultline::sim
