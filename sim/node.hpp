#pragma once
// The actor contract every protocol is written against (after Stateright's actor.rs):
//   on_start    first boot and every restart; a fresh object, so member state is volatile,
//   on_message  one message delivered,
//   on_timer    one of the node's timers fired (timers run on the node's monotonic clock).
// Effects go through the Context: send, reply, one-shot and periodic timers and their cancels,
// durable storage, random draws, fault sites. A crash destroys the object; only what was synced
// to Storage survives it.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sim/payload.hpp"
#include "sim/state_hasher.hpp"
#include "sim/storage.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace faultline::sim {

class World;

// Where a fault site is in the source.
struct CodeSite {
  const char* file;
  int line;
};

struct Message {
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  uint64_t id = 0;       // unique in the world; a duplicate keeps its original's id
  uint64_t call_id = 0;  // nonzero for client calls: a reply carries its request's call_id
  bool is_reply = false;
  uint64_t lamport = 0;  // sender's Lamport clock at the send
  Payload payload;
};

// Identifies one armed timer; stale ids (fired, cancelled, or from before a crash) are harmless.
struct TimerId {
  uint32_t slot = UINT32_MAX;
  uint32_t generation = 0;
  bool operator==(const TimerId&) const = default;
  bool valid() const { return slot != UINT32_MAX; }
};

// The clock an interval's deadline is read on (Context::hold_interval).
enum class IntervalClock : uint8_t { kMonotonic, kWall };

class Context {
 public:
  Context(World& world, NodeId self) : world_(&world), self_(self) {}

  NodeId self() const { return self_; }
  const std::string& name() const;
  const std::string& name_of(NodeId node) const;
  // The node with this name; asserts that it exists (names come from the harness that built it).
  NodeId node_named(std::string_view name) const;
  size_t node_count() const;

  LocalTime now() const;       // monotonic clock: never jumps, rate = 1 + drift
  LocalTime wall_now() const;  // wall clock: monotonic + offset, jumps under skew faults

  void send(NodeId to, Payload payload);
  // Sends as a request of a client call: the reply to it will carry `call_id`.
  void send_call(NodeId to, Payload payload, uint64_t call_id);
  void reply(const Message& request, Payload payload);
  // A fresh id for a client call, unique in the world (so a reply from before a crash never
  // matches a call made after it).
  uint64_t new_call_id();

  // Fires `after` from now on this node's monotonic clock; `tag` comes back in on_timer.
  TimerId set_timer(Duration after, uint64_t tag = 0);
  // A periodic timer: fires `period` from now, and again `period` after each firing, for ever,
  // under one TimerId. The kernel re-arms it as it fires, before on_timer runs, so the handler
  // finds the next tick armed already and cancel_timer there stops the series. The period counts
  // from the firing on the node's monotonic clock (fixed delay: a tick made late by a pause is
  // followed by the next a whole period later, never by a burst of catch-up ticks). It dies with
  // a crash like any timer; a restart's on_start arms it again. `period` must be positive.
  TimerId every(Duration period, uint64_t tag = 0);
  // Stops a timer, one-shot or periodic; a stale id (fired, cancelled, before a crash) is harmless.
  void cancel_timer(TimerId id);

  Storage& storage();

  // Uniform in [0, bound), drawn through the choice tape from this node's own stream.
  uint64_t random(uint64_t bound);
  // Uniform in [lo, hi], at nanosecond resolution.
  Duration random_duration(Duration lo, Duration hi);

  // A fault site inside the code (FoundationDB's BUGGIFY): whether the site is enabled for this
  // run is drawn once per site from the seed; an enabled site fires with `probability`.
  // (The site is filled by the compiler at the call: clang 14 with libstdc++ 12 has no
  // std::source_location, so the builtins it is made of are used directly.)
  bool buggify(double probability, const char* file = __builtin_FILE(),
               int line = __builtin_LINE());

  // Crashes this node once the running handler returns (the handler must do nothing more: its
  // effects until then stand, as a real process's do until it dies), and restarts it
  // `restart_after` later. For fault sites: "crash between logging the decision and sending it".
  void crash_after_handler(Duration restart_after);

  // Free text in the trace, on this node's lifeline.
  void note(std::string text);

  // A protocol's interval for the trace, drawn as a bar on the node's lifeline: a lease as this
  // node counts it, valid until its clock reads `until` (its monotonic clock, or its wall clock
  // for code that measures on that one). Opens the interval `label`, or moves the deadline of the
  // one open under that label (a renewed lease: one bar, not one per renewal; the same deadline
  // again records nothing). The kernel records its end at the true time the node's clock passes
  // `until`, whatever the node is doing then (a paused node's lease runs out while it sleeps), as
  // drift changes and wall-clock jumps move that time; a crash ends it too. Observation only: it
  // reads no clock as the node's input, schedules no event and draws nothing, so a run takes the
  // same course with or without it; outside a traced timed world it does nothing.
  void hold_interval(std::string_view label, LocalTime until,
                     IntervalClock clock = IntervalClock::kMonotonic);
  // Ends the interval `label` now (a release, a step-down); nothing if none is open.
  void end_interval(std::string_view label);

  // True time, for ghost state only: histories and checkers record when things happened. A real
  // node cannot read true time; protocol logic must use now() or wall_now().
  TrueTime observer_time() const;

  World& world() const { return *world_; }

 private:
  World* world_;
  NodeId self_;
};

class Node {
 public:
  virtual ~Node() = default;
  virtual void on_start(Context& ctx) { (void)ctx; }
  virtual void on_message(Context& ctx, const Message& message) = 0;
  virtual void on_timer(Context& ctx, TimerId timer, uint64_t tag) {
    (void)ctx, (void)timer, (void)tag;
  }
  // What the node is doing, for the diagram and invariant messages ("leader term 3").
  virtual std::string describe() const { return {}; }
  // Whether the node currently acts as its protocol's leader (a Raft leader, a distinguished
  // proposer, a commit coordinator). A nemesis may aim its faults at such nodes, as Jepsen's
  // `:primaries` does: the interesting moments of a leader-based protocol are the leader's.
  virtual bool leads() const { return false; }
  // Node-state fingerprints (docs/model-checking.md, "How states are told apart"). An untimed
  // world recognises a state it has seen by a fingerprint; by default a node counts in it as the
  // hash chain of every input it has had, which is sound for any deterministic code (fiber
  // clients need it) but tells apart two orders of inputs that leave the node the same. A node
  // that can name its state feeds it to `hasher` and returns true; the world then uses that in
  // place of its chain. Two nodes that hash alike must behave alike from then on, whatever comes,
  // so the hash covers EVERY member that can affect what the node does next (a decision, a
  // counter, a set of votes, a value it read from its clock), fed in a fixed order (an unordered
  // container sorted first). The world hashes the rest itself, for every node: its storage
  // (synced and unsynced writes), its armed timers (tag, deadline, period), its clock's time, its
  // random stream's position (the bounds of every draw), its timer firings and call ids so far.
  // What a node may leave out: its options (fixed at construction), its ghost pointer (the ghost
  // state is hashed by the world, World::add_ghost_state), and a TimerId it holds only to cancel
  // or recognise the one timer it keeps armed. A message a node keeps (a client waiting for an
  // answer) is hashed as sim::message_hash does: ids and Lamport clocks never count, so a node
  // must not act on them.
  virtual bool fingerprint_state(StateHasher& hasher) const {
    (void)hasher;
    return false;
  }
};

// Builds a fresh node: called at first boot and at every restart.
using NodeFactory = std::function<std::unique_ptr<Node>()>;

}  // namespace faultline::sim
