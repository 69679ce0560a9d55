// The world's side of faults: what each fault does to nodes, links and clocks (the timeline
// schedules them; a nemesis, sim/nemesis.hpp, draws them from the seed).
#include <algorithm>
#include <cassert>

#include "sim/network_change.hpp"
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
    case Fault::Kind::kDrop:
      return "drop";
  }
  return "?";
}

void World::apply(const Fault& fault) {
  // The faults a trigger causes are logged with it (log_fault), to replay as triggered faults.
  const FaultTrigger* outer = applying_trigger_;
  applying_trigger_ = fault.when ? &*fault.when : nullptr;
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
      partition(fault.partition, fault.partition_id, fault.stacks);
      break;
    case Fault::Kind::kHeal:
      heal(fault.partition_id);
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
    case Fault::Kind::kDrop:
      break;  // only a trigger's action: match_triggers loses the message that fired it
  }
  applying_trigger_ = outer;
}

void World::crash(NodeId id, bool wipe_storage) {
  NodeRecord& node = nodes_[id];
  if (!node.up) return;
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kCrash, .node = id, .wipe_storage = wipe_storage});
  node.actor.reset();
  node.up = false;
  if (keeps_inputs()) record_input(id, 3);
  node.paused = false;
  ++node.incarnation;  // timers armed before the crash never fire
  // What waited in the receive buffer of a paused node is lost with it: each such message ends
  // in a drop record, as every message does that is not delivered.
  for (const Event& e : node.deferred) {
    if (e.kind == EventKind::kDeliver) drop_message(e.slot, "crash");
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
  if (!intervals_.empty()) end_node_intervals(id, "crash");  // what it believed is gone
  fault_changed(true);
}

void World::restart(NodeId id) {
  NodeRecord& node = nodes_[id];
  if (node.up || !node.booted) return;
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kRestart, .node = id});
  boot(id, true);
  fault_changed(true);
}

void World::pause(NodeId id) {
  NodeRecord& node = nodes_[id];
  if (!node.up || node.paused) return;
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kPause, .node = id});
  node.paused = true;
  ++node.pauses;
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kPause, id);
    emit(e);
  }
  fault_changed(true);
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
  fault_changed(true);
}

PartitionId World::partition(const PartitionSpec& spec, PartitionId id, bool stacks) {
  ++stats_.faults;
  if (id == 0) id = next_partition_id_;
  next_partition_id_ = std::max(next_partition_id_, id + 1);
  PartitionCut cut = cut_links(spec, nodes_.size(), *choices_, faults_stream_, names_);
  transport_.cut(id, cut.links, stacks, nodes_.size());
  log_fault(Fault{.kind = Fault::Kind::kPartition,
                  .partition = cut.applied,
                  .partition_id = id,
                  .stacks = stacks});
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kPartition, kNoNode);
    e.detail = std::move(cut.description);
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& group : cut.applied.groups) {
      nlohmann::json names = nlohmann::json::array();
      for (NodeId n : group) names.push_back(names_[n]);
      groups.push_back(std::move(names));
    }
    e.data = {{"id", id}, {"mode", to_string(cut.applied.mode)}, {"groups", std::move(groups)}};
    if (stacks) e.data["stacks"] = true;
    emit(e);
  }
  fault_changed();
  return id;
}

void World::heal(PartitionId id) {
  const std::optional<bool> stacked = transport_.mend(id);
  if (!stacked) return;  // ended already, or replaced by a later one
  Fault logged{.kind = Fault::Kind::kHeal};
  // A replacing partition is replayed (run/timeline_shrink) without its id: its end is logged as
  // the heal of every link, which it is unless a stacked partition came after it.
  if (*stacked) logged.partition_id = id;
  log_fault(logged);
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kHeal, kNoNode);
    if (id != 0) e.data = {{"id", id}};
    emit(e);
  }
  fault_changed();
}

void World::jump_clock(NodeId id, Duration by) {
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kClockJump, .node = id, .amount = by});
  // Timers run on the monotonic clock, which a jump leaves alone: they keep their true deadlines.
  nodes_[id].clock.jump_wall(by);
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kClockJump, id);
    e.detail = (by >= Duration{} ? "+" : "") + format_duration(by);
    emit(e);
  }
  if (!intervals_.empty()) retime_intervals(id);  // those on its wall clock
  // A jump is over as soon as it happens, but the window of calm restarts from it.
  if (healthy_since_) healthy_since_ = now_;
}

void World::set_drift(NodeId id, Drift drift) {
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kClockDrift, .node = id, .drift = drift});
  nodes_[id].clock.set_drift(now_, drift);
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kClockDrift, id);
    e.detail = std::to_string(drift.ppm) + "ppm";
    emit(e);
  }
  // Timers wait for a reading of the node's clock: at the new rate it comes sooner or later.
  reschedule_timers(id);
  if (!intervals_.empty()) retime_intervals(id);
}

void World::set_network(const NetworkOptions& options) {
  ++stats_.faults;
  log_fault(Fault{.kind = Fault::Kind::kNetwork, .network = options});
  // The record says what changed (a reader of a latency fault sees the latency) and the settings
  // now in force, so that a trace is read without its scenario; with per-link settings in force
  // before or after, also which links changed.
  const NetworkOptions before = tracing() ? transport_.options() : NetworkOptions{};
  const LinkTable before_links = transport_.set_options(options);
  if (tracing()) {
    const LinkTable& after_links = transport_.link_table();
    const bool per_link = !options.links.empty() || !before.links.empty();
    const std::vector<Link> changed =
        per_link ? LinkTable::changed(before_links, after_links) : std::vector<Link>{};
    TraceEvent e = make_trace(TraceKind::kNetwork, kNoNode);
    e.detail = describe_network_change(before, options, before_links, after_links, changed, names_);
    e.data = {{"network", network_json(options, names_)}};
    if (per_link) {
      nlohmann::json links = nlohmann::json::array();
      for (const Link& l : changed) {
        links.push_back(
            {{"from", link_end_name(l.from, names_)}, {"to", link_end_name(l.to, names_)}});
      }
      e.data["changed"] = std::move(links);
    }
    emit(e);
  }
  fault_changed();
}

void World::heal_everything() {
  if (transport_.rules().any_in_force()) heal();
  if (!(transport_.options() == options_.network)) set_network(options_.network);
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    NodeRecord& node = nodes_[id];
    if (node.paused) resume(id);
    if (node.booted && !node.up) restart(id);
    if (node.clock.drift() != node.base_drift) set_drift(id, node.base_drift);
    // NTP steps a jumped clock back: the offset as configured.
    if (node.clock.wall_offset() != node.base_offset) {
      jump_clock(id, node.base_offset - node.clock.wall_offset());
    }
  }
  fault_changed();
}

void World::log_fault(Fault fault) {
  fault.at = now_;
  if (applying_trigger_) fault.when = *applying_trigger_;
  fault_log_.push_back(std::move(fault));
}

std::optional<TrueTime> World::healthy_since() const {
  return healthy_since_;
}

std::vector<std::string> World::faults_in_force() const {
  std::vector<std::string> out;
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    const NodeRecord& node = nodes_[id];
    const std::string& name = names_[id];
    if (node.booted && !node.up) out.push_back(name + " is down");
    if (node.paused) out.push_back(name + " is paused");
    if (node.clock.drift() != node.base_drift) {
      out.push_back(name + "'s clock drifts " + std::to_string(node.clock.drift().ppm) +
                    "ppm, configured " + std::to_string(node.base_drift.ppm) + "ppm");
    }
    if (node.clock.wall_offset() != node.base_offset) {
      out.push_back(name + "'s wall clock is " +
                    format_duration(node.clock.wall_offset() - node.base_offset) +
                    " off its configured offset");
    }
  }
  for (PartitionId id : transport_.rules().ids())
    out.push_back("partition " + std::to_string(id) + " is in force");
  if (!(transport_.options() == options_.network))
    out.push_back("the network differs from its configuration");
  return out;
}

void World::fault_changed(bool node_changed) {
  // A link's own settings that differ from the configuration are a fault in force (a slow or
  // lossy link), as a changed loss or duplication of every link is.
  const NetworkOptions& network = transport_.options();
  bool active = transport_.rules().any_blocked() || network.loss != options_.network.loss ||
                network.duplicate != options_.network.duplicate ||
                network.links != options_.network.links;
  for (const NodeRecord& node : nodes_) {
    if (node.booted && (!node.up || node.paused)) active = true;
  }
  const bool was_healthy = healthy_since_.has_value();
  if (active) {
    healthy_since_.reset();
  } else if (!healthy_since_) {
    healthy_since_ = now_;
  }
  if (node_changed || was_healthy != healthy_since_.has_value()) last_fault_change_ = now_;
}

}  // namespace faultline::sim
