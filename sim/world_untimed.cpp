// Untimed worlds (sim/untimed.hpp): every step a choice among all that can happen next, and the
// fingerprint that lets a search recognise a state it has seen.
#include <algorithm>

#include "base/hash.hpp"
#include "sim/world.hpp"

namespace faultline::sim {

uint64_t message_hash(const Message& message) {
  uint64_t h = fnv1a(message.payload.to_json().dump());
  h = mix64(h ^ (uint64_t{message.from} << 32 | message.to));
  h = mix64(h ^ message.call_id);
  return mix64(h ^ (message.is_reply ? 1 : 0));
}

std::string describe_kind(UntimedAction::Kind kind) {
  switch (kind) {
    case UntimedAction::Kind::kEvent:
      return "event";
    case UntimedAction::Kind::kCrash:
      return "crash";
    case UntimedAction::Kind::kRestart:
      return "restart";
    case UntimedAction::Kind::kIsolate:
      return "isolate";
    case UntimedAction::Kind::kHeal:
      return "heal";
    case UntimedAction::Kind::kDrop:
      return "drop";
    case UntimedAction::Kind::kDuplicate:
      return "duplicate";
  }
  return "?";
}

void World::record_input(NodeId node, uint64_t input) {
  uint64_t& chain = nodes_[node].inputs;
  chain = mix64(chain ^ mix64(input));
  if (options_.timed_search) timed_input_gap(node);
}

void World::prune_pending() {
  std::erase_if(pending_, [this](const Event& e) { return !keep(e); });
}

void World::start_untimed() {
  if (untimed_started_) return;
  untimed_started_ = true;
  // Every first start, in the order the nodes were added (what they send is pending after).
  for (size_t i = 0; i < pending_.size();) {
    if (pending_[i].kind != EventKind::kBoot) {
      ++i;
      continue;
    }
    const Event boot_event = pending_[i];
    pending_.erase(pending_.begin() + static_cast<long>(i));
    nodes_[boot_event.node].local = boot_event.at;
    dispatch(boot_event);
  }
  if (!invariants_.empty()) check_invariants();
}

std::vector<UntimedAction> World::untimed_actions() {
  using Kind = UntimedAction::Kind;
  std::vector<UntimedAction> actions;
  if (!untimed() || stopped_) return actions;
  prune_pending();
  start_untimed();
  const FaultBudget& budget = *options_.untimed;
  // A FIFO link delivers its messages in the order they were sent: only the oldest of each link
  // may arrive next. Deliveries are what drops and duplicates act on, too.
  std::vector<uint32_t> deliveries;
  for (uint32_t i = 0; i < pending_.size(); ++i) {
    const Event& e = pending_[i];
    if (e.kind == EventKind::kDeliver && transport_.options().fifo_links) {
      const Message& m = transport_.at(e.slot).message;
      const bool younger = std::any_of(pending_.begin(), pending_.begin() + i, [&](const Event& o) {
        if (o.kind != EventKind::kDeliver) return false;
        const Message& earlier = transport_.at(o.slot).message;
        return earlier.from == m.from && earlier.to == m.to;
      });
      if (younger) continue;
    }
    if (e.kind == EventKind::kTimer && nodes_[e.node].timers_fired >= budget.timer_limit(e.node)) {
      continue;
    }
    actions.push_back({Kind::kEvent, i});
    if (e.kind == EventKind::kDeliver) deliveries.push_back(i);
  }
  auto targets = [&](auto&& each) {
    if (budget.targets.empty()) {
      for (NodeId n = 0; n < nodes_.size(); ++n) each(n);
    } else {
      for (NodeId n : budget.targets) each(n);
    }
  };
  if (spent_.crashes < budget.crashes) {
    targets([&](NodeId n) {
      if (nodes_[n].up) actions.push_back({Kind::kCrash, n});
    });
  }
  for (NodeId n = 0; n < nodes_.size(); ++n) {
    if (nodes_[n].booted && !nodes_[n].up) actions.push_back({Kind::kRestart, n});
  }
  const bool cut = transport_.rules().any_in_force();
  if (!cut && spent_.partitions < budget.partitions) {
    targets([&](NodeId n) { actions.push_back({Kind::kIsolate, n}); });
  }
  if (cut) actions.push_back({Kind::kHeal, 0});
  if (spent_.drops < budget.drops) {
    for (uint32_t i : deliveries) actions.push_back({Kind::kDrop, i});
  }
  if (spent_.duplicates < budget.duplicates) {
    for (uint32_t i : deliveries) actions.push_back({Kind::kDuplicate, i});
  }
  return actions;
}

std::string World::describe(const UntimedAction& action) const {
  using Kind = UntimedAction::Kind;
  const auto message_words = [&](const Event& e) {
    const Message& m = transport_.at(e.slot).message;
    return std::string(m.payload.type_name()) + " " + names_[m.from] + " -> " + names_[m.to];
  };
  switch (action.kind) {
    case Kind::kEvent: {
      const Event& e = pending_[action.index];
      switch (e.kind) {
        case EventKind::kBoot:
          return "start " + names_[e.node];
        case EventKind::kDeliver:
          return "deliver " + message_words(e);
        case EventKind::kTimer:
          return "timer " + std::to_string(timers_[e.slot].tag) + " of " + names_[e.node];
        default:
          return "fault";
      }
    }
    case Kind::kDrop:
    case Kind::kDuplicate:
      return describe_kind(action.kind) + " " + message_words(pending_[action.index]);
    case Kind::kHeal:
      return "heal";
    default:
      return describe_kind(action.kind) + " " + names_[action.index];
  }
}

NodeId World::action_node(const UntimedAction& action) const {
  return action.kind == UntimedAction::Kind::kEvent ? pending_[action.index].node : kNoNode;
}

std::string World::action_family(const UntimedAction& action) const {
  using Kind = UntimedAction::Kind;
  const auto type = [&] {
    return std::string(transport_.at(pending_[action.index].slot).message.payload.type_name());
  };
  switch (action.kind) {
    case Kind::kEvent:
      switch (pending_[action.index].kind) {
        case EventKind::kBoot:
          return "start";
        case EventKind::kDeliver:
          return "deliver " + type();
        case EventKind::kTimer:
          return "timer";
        default:
          return "fault";
      }
    case Kind::kDrop:
    case Kind::kDuplicate:
      return describe_kind(action.kind) + " " + type();
    default:
      return describe_kind(action.kind);
  }
}

void World::perform(const UntimedAction& action) {
  using Kind = UntimedAction::Kind;
  // True time counts steps: the trace, the ghost state and the clients' histories see the order
  // in which things happened, while each node's clocks follow its own timers alone.
  now_ += kUntimedStep;
  switch (action.kind) {
    case Kind::kEvent: {
      const Event event = pending_[action.index];
      pending_.erase(pending_.begin() + action.index);
      // A step never takes time back: what is due later than now happens now, late.
      if (event.kind == EventKind::kTimer) {
        // A timer fires when its node's clock reads its deadline: that node's time moves to it.
        NodeRecord& node = nodes_[event.node];
        ++node.timers_fired;
        node.local = std::max(node.local, event.at);
      }
      dispatch(event);
      break;
    }
    case Kind::kCrash:
      ++spent_.crashes;
      crash(action.index);
      break;
    case Kind::kRestart:
      restart(action.index);
      break;
    case Kind::kIsolate: {
      ++spent_.partitions;
      PartitionSpec spec;
      spec.mode = PartitionSpec::Mode::kIsolate;
      spec.groups = {{action.index}};
      partition(spec);
      break;
    }
    case Kind::kHeal:
      heal();
      break;
    case Kind::kDrop: {
      ++spent_.drops;
      const uint32_t slot = pending_[action.index].slot;
      pending_.erase(pending_.begin() + action.index);
      drop_message(slot, "loss");
      break;
    }
    case Kind::kDuplicate: {
      ++spent_.duplicates;
      const uint32_t copy = transport_.duplicate(pending_[action.index].slot);
      push(Event{now_, 0, EventKind::kDeliver, transport_.at(copy).message.to, copy});
      break;
    }
  }
}

bool World::step() {
  std::vector<UntimedAction> actions = untimed_actions();
  if (actions.empty()) return false;
  const size_t pick = actions.size() == 1 ? 0 : choices_->draw(schedule_stream_, actions.size());
  ++stats_.events;
  perform(actions[pick]);
  if (!invariants_.empty()) check_invariants();
  return true;
}

void World::add_ghost_state(std::function<void(StateHasher&)> hash) {
  ghost_state_.push_back(std::move(hash));
}

uint64_t World::node_fingerprint(NodeId n) const {
  const NodeRecord& node = nodes_[n];
  StateHasher state;
  // A node that gives its state is that state and its storage; a node that is down is its storage
  // alone, whatever its kind (a restart builds a fresh node from the factory, and it reads only
  // its storage). Otherwise its chain of inputs stands for both.
  const bool own =
      options_.untimed->node_states && (!node.up || node.actor->fingerprint_state(state));
  if (own) {
    node.storage.hash(state);
  } else {
    state.add(node.inputs);
  }
  // What the world keeps for the node besides: a chain of inputs implies each of these, a node's
  // own state does not.
  return state.add(node.booted)
      .add(node.up)
      .add(node.local)
      .add(node.draws)
      .add(node.calls)
      .add(node.timers_fired)
      .value();
}

uint64_t World::fingerprint() const {
  uint64_t h = mix64(uint64_t{spent_.crashes} << 48 | uint64_t{spent_.partitions} << 32 |
                     uint64_t{spent_.drops} << 16 | spent_.duplicates);
  for (NodeId n = 0; n < nodes_.size(); ++n) h = mix64(h ^ node_fingerprint(n));
  if (!ghost_state_.empty()) {
    StateHasher ghost;
    for (const auto& hash : ghost_state_) hash(ghost);
    h = mix64(h ^ ghost.value());
  }
  if (transport_.rules().any_blocked()) {
    for (NodeId a = 0; a < nodes_.size(); ++a) {
      for (NodeId b = 0; b < nodes_.size(); ++b) {
        if (transport_.rules().blocked(a, b)) h = mix64(h ^ (uint64_t{a} << 32 | b));
      }
    }
  }
  // What is pending, as a multiset: a sum of well-mixed element hashes is order-free.
  uint64_t pending = 0;
  for (const Event& e : pending_) {
    switch (e.kind) {
      case EventKind::kDeliver:
        pending += mix64(transport_.at(e.slot).hash ^ 0x6d7367);
        break;
      case EventKind::kTimer: {
        const TimerSlot& t = timers_[e.slot];
        if (e.version != t.version || !t.armed || t.incarnation != nodes_[t.node].incarnation)
          break;
        // Its deadline too: when it fires, the node's clock moves to the deadline. And its period
        // for a node that gives its own state (a chain of inputs implies which timers are
        // periodic; a node's state need not).
        StateHasher scratch;
        const NodeRecord& owner = nodes_[t.node];
        const bool own =
            options_.untimed->node_states && owner.up && owner.actor->fingerprint_state(scratch);
        const uint64_t period = own ? mix64(static_cast<uint64_t>(t.period.ns())) : 0;
        pending += mix64(mix64(t.tag) ^ (uint64_t{t.node} << 8) ^ 0x746d72 ^
                         mix64(static_cast<uint64_t>(t.deadline.ns()) ^ period));
        break;
      }
      default:
        pending += mix64(uint64_t{e.node} << 8 ^ static_cast<uint64_t>(e.kind));
        break;
    }
  }
  return mix64(h ^ pending);
}

}  // namespace faultline::sim
