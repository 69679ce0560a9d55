#pragma once
// Untimed exploration (docs/model-checking.md, "Searching a protocol's implementation"): a world
// whose every step is a choice among all that could happen next, instead of the earliest event.
// Any pending delivery, any armed timer, or one of the faults left in the budget: a crash, a
// restart, a node cut off from the rest, a heal, a message lost or duplicated. Time only orders
// what a node observes (it never goes back), so a timer may fire before a message sent long
// before it arrives: the asynchronous model, in which every protocol's safety must hold, and in
// which no lease is ever safe. Each node's clocks follow its own timers only (a timer that fires
// moves its node's time to the deadline), so clocks of different nodes are unrelated, and true
// time (the trace's, the checkers') counts steps.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/node.hpp"
#include "sim/time.hpp"

namespace faultline::sim {

// The faults an untimed world may inject, in total over a run.
struct FaultBudget {
  uint32_t crashes = 0;     // a node crashes (it restarts by a later step, unbudgeted)
  uint32_t partitions = 0;  // one node is cut off from all others (healed by a later step)
  uint32_t drops = 0;       // a message in flight is lost
  uint32_t duplicates = 0;  // a message in flight arrives twice
  // Timer firings per node at most (kUnbounded: no bound). An untimed timer may fire at any step,
  // and a periodic one (a resend, a heartbeat) re-arms itself for ever: this bound makes the
  // space of a protocol with such timers finite, as retransmission bounds do in other checkers.
  static constexpr uint32_t kUnbounded = UINT32_MAX;
  uint32_t timers = kUnbounded;
  // The same bound given node by node (by NodeId), in place of `timers`, when not empty: a node
  // past its end fires none. Which timers a failure needs is often known (two servers' election
  // timeouts, none of the clients' resends); bounding the rest to none is what makes a deep
  // schedule reachable, as a TLC model's constraint bounds the terms of a Raft spec.
  std::vector<uint32_t> node_timers;
  uint32_t timer_limit(NodeId node) const {
    if (node_timers.empty()) return timers;
    return node < node_timers.size() ? node_timers[node] : 0;
  }
  // The nodes that may crash or be cut off; empty: every node.
  std::vector<NodeId> targets;
  // Not a fault: how fingerprint() tells a node's states apart. By the state the node gives
  // (Node::fingerprint_state) when it gives one; false (a scenario's `"fingerprint": "inputs"`):
  // always by its chain of inputs, to check that the two find the same.
  bool node_states = true;
  bool operator==(const FaultBudget&) const = default;
};

// One thing an untimed world can do next. The nodes' first starts are not among them: an untimed
// world starts every node, in order, before its first step (the order of starts is no choice
// worth a search's states). The actions of a state are listed in a fixed order:
// the pending events in the order they were scheduled, then crashes, restarts, partitions, the
// heal, drops and duplicates, each by node or by event.
struct UntimedAction {
  enum class Kind : uint8_t { kEvent, kCrash, kRestart, kIsolate, kHeal, kDrop, kDuplicate };
  Kind kind = Kind::kEvent;
  uint32_t index = 0;  // the pending event's position (kEvent, kDrop, kDuplicate) or the node
};

// What a step did, for a counterexample's listing: "deliver Prepare coordinator -> p1",
// "crash p2".
std::string describe_kind(UntimedAction::Kind kind);

// How far true time moves at each step of an untimed world.
constexpr Duration kUntimedStep = milliseconds(1);

// A message as a fingerprint sees it: sender, receiver, call id, whether it is a reply, and the
// payload's type and contents (through its JSON; ids and Lamport clocks left out).
uint64_t message_hash(const Message& message);

}  // namespace faultline::sim
