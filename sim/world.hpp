#pragma once
// A world: nodes, the network between them, their clocks and disks, the faults they suffer, and
// the one event loop that runs it all in virtual time on one thread. Same choices in, same run
// out: the world never reads the wall clock, never iterates in pointer or hash order, and breaks
// every tie between simultaneous events through the choice tape.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/finding.hpp"
#include "sim/choices.hpp"
#include "sim/clock.hpp"
#include "sim/faults.hpp"
#include "sim/network.hpp"
#include "sim/node.hpp"
#include "sim/sometimes.hpp"
#include "sim/storage.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"
#include "sim/transport.hpp"
#include "sim/untimed.hpp"

namespace faultline::sim {

struct WorldOptions {
  NetworkOptions network;
  StorageFaults storage;
  // Fault sites inside the code (Context::buggify): off, none fires and none draws.
  bool buggify = false;
  // Chance that a given fault site is enabled for a whole run (drawn once per site).
  double buggify_site_probability = 0.25;
  bool stop_on_violation = true;
  // Bounds on one run, so that no scenario can exhaust memory or time (docs/limits.md): the run
  // stops once this many events have run, or this many faults have taken effect (each is kept
  // in fault_log()), and limit_reached() says which. 0: unbounded.
  uint64_t max_events = 0;
  uint64_t max_faults = 0;
  // An untimed world (sim/untimed.hpp) with this budget of faults: each step is drawn from the
  // schedule stream among every enabled action. Latency, loss and duplication are then not drawn
  // (the budget's drops and duplicates take their place), call ids are numbered per node, and
  // the world keeps what fingerprint() needs. Timeline faults, triggers and drivers (wake_at, a
  // nemesis) belong to timed worlds only.
  std::optional<FaultBudget> untimed;
  // A world a timed search steps (sim/timed_search.hpp), each message's latency one of these
  // values: timed as any, but call ids are numbered per node and the world keeps each node's
  // inputs, as an untimed world does, for timed_fingerprint().
  std::optional<std::vector<Duration>> timed_search;
};

struct WorldStats {
  uint64_t events = 0;
  uint64_t messages_sent = 0;
  uint64_t messages_delivered = 0;
  uint64_t messages_dropped = 0;
  uint64_t timers_fired = 0;
  uint64_t faults = 0;
};

class World {
 public:
  World(WorldOptions options, std::unique_ptr<Choices> choices);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // --- building ---------------------------------------------------------------------------
  // Adds a node that boots at true time `boot_at`. Names must be unique.
  NodeId add_node(std::string name, NodeFactory factory, NodeClock clock = {},
                  TrueTime boot_at = {});
  // Replaces a node's clock before the run starts (scenarios configure drift and offset by name).
  void configure_clock(NodeId node, NodeClock clock);
  // Replaces the configured network before the run starts: per-link settings name nodes, which
  // exist only once the nodes are added. What heal_everything restores.
  void configure_network(NetworkOptions network);
  // Replaces an untimed world's fault budget before the run starts (its targets name nodes).
  void configure_untimed(FaultBudget budget);
  void set_trace(TraceSink* sink) { trace_ = sink; }
  bool tracing() const { return trace_ != nullptr; }
  // Returns the fault as scheduled: a partition gets its id here, so that the fault that ends
  // it (a timeline's `for`) can name it. A fault with a trigger (`when`) waits for its event
  // instead of `at` (sim/faults.hpp FaultTrigger).
  Fault schedule_fault(Fault fault);
  // Checked after every event. A broken invariant returns a finding: its message and the nodes
  // involved (the diagram highlights them); the world sets its checker to the invariant's name
  // and its time to now. Every invariant broken by the same event is reported, then the run
  // stops (WorldOptions::stop_on_violation).
  void add_invariant(std::string name, std::function<std::optional<Finding>()> check);
  // The same for an invariant that names no nodes: it returns the message alone.
  void add_invariant(std::string name, std::function<std::optional<std::string>()> check);
  // A state some run should reach (sim/sometimes.hpp): evaluated where the invariants are, until
  // it first holds; sometimes() says whether and when.
  void add_sometimes(std::string name, std::function<bool()> reached);
  const SometimesRegistry& sometimes() const { return sometimes_; }
  // Ghost state the checkers judge (kept outside the nodes, so it survives their crashes): an
  // untimed world's fingerprint() hashes it, since two states whose nodes are alike but whose
  // ghosts differ may still come to different verdicts. Feed what a verdict can depend on, in a
  // fixed order, and leave out what cannot (the times things happened).
  void add_ghost_state(std::function<void(StateHasher&)> hash);
  // Interns a named random stream (see Choices).
  StreamId stream(std::string_view name);

  // --- running ----------------------------------------------------------------------------
  // Runs every event at or before `end`; returns early when stopped (e.g. on a violation).
  void run_until(TrueTime end);
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  // "events" or "faults" when the run stopped at WorldOptions::max_events or max_faults; else "".
  std::string_view limit_reached() const { return limit_reached_; }
  // No event is pending: nothing will ever happen again.
  bool quiescent() const { return heap_.empty() && ready_.empty() && pending_.empty(); }
  // A driver's wake-up: code outside the world (a nemesis, sim/nemesis.hpp; a search that injects
  // faults of its own) has `callback` run at true time `at` as an event of the loop, ordered with
  // boots, messages, timers and faults as they are among themselves: by time, then by the order
  // of scheduling, a tie among events due at once drawn from the schedule stream. The callback
  // may act on the world through its public API and wake itself again. Timed worlds only.
  void wake_at(TrueTime at, std::function<void()> callback);

  // --- untimed exploration (world_untimed.cpp) ----------------------------------------------
  bool untimed() const { return options_.untimed.has_value(); }
  // Every action an untimed world can take next, in their fixed order (sim/untimed.hpp).
  std::vector<UntimedAction> untimed_actions();
  // Takes one step of an untimed world: draws an action among untimed_actions() (no draw when
  // there is one) and performs it, then checks the invariants. False when nothing is enabled or
  // the world is stopped.
  bool step();
  // What `action` would do, in words ("deliver Prepare coordinator -> p1", "crash p2").
  std::string describe(const UntimedAction& action) const;
  // The node that takes the step: a delivery's receiver, a timer's node; kNoNode for a fault (the
  // environment takes those). PCT schedules by it.
  NodeId action_node(const UntimedAction& action) const;
  // What kind of step it is, without the nodes: "deliver Prepare", "timer", "crash" (coverage).
  std::string action_family(const UntimedAction& action) const;
  // The state of an untimed world as 64 bits: each node's own state (Node::fingerprint_state) with
  // its storage, or else its history of inputs (deliveries, timers, boots, crashes and clock
  // readings: a node's code is deterministic, so the same inputs give the same state); each
  // node's clock, random stream and timer and call counts; the ghost state; the messages in
  // flight and the armed timers as multisets, the links cut and the budget spent. Not true time:
  // two orders of independent steps reach the same fingerprint.
  uint64_t fingerprint() const;

  // --- timed search (timed_search.cpp) ------------------------------------------------------
  // The true time of the next event that will happen (cancelled timers skipped); nullopt: none.
  std::optional<TrueTime> next_event_at() const;
  // The state of a timed search's world as 64 bits, with no absolute time in it: each node's
  // inputs (each with the time since the node's previous input, a clock reading as its offset
  // from true time), its state (booted, up, paused), its clocks' offset and rate and the time
  // since its last input; every pending event as its kind, node, contents and time from now; the
  // messages a paused node holds, and the links cut.
  uint64_t timed_fingerprint() const;

  // --- faults (the timeline, the nemesis and other drivers call these; tests may too) -------
  void crash(NodeId node, bool wipe_storage = false);
  void restart(NodeId node);
  void pause(NodeId node);
  void resume(NodeId node);
  // Cuts the links `spec` says, under `id` (0: a fresh one), which it returns. A partition that
  // `stacks` adds its cut to those in force; otherwise it replaces them all.
  PartitionId partition(const PartitionSpec& spec, PartitionId id = 0, bool stacks = false);
  // Ends partition `id` alone (nothing if it is not in force); with 0, every partition.
  void heal(PartitionId id = 0);
  void jump_clock(NodeId node, Duration by);
  void set_drift(NodeId node, Drift drift);
  void set_network(const NetworkOptions& options);
  void apply(const Fault& fault);
  // Returns the world to its configured fault state, with a record for each fault it ends: heals
  // every partition, sets the network as configured, resumes every paused node, restarts every
  // crashed one, and sets every clock's drift and wall-clock offset as configured (NTP steps a
  // jumped clock back). faults_in_force() is empty afterwards. A nemesis's end (its `stop`).
  void heal_everything();

  // --- observing --------------------------------------------------------------------------
  TrueTime now() const { return now_; }
  size_t node_count() const { return nodes_.size(); }
  const std::string& node_name(NodeId node) const { return names_[node]; }
  const std::vector<std::string>& node_names() const { return names_; }
  std::optional<NodeId> find_node(std::string_view name) const;
  bool is_up(NodeId node) const { return nodes_[node].up; }
  bool is_paused(NodeId node) const { return nodes_[node].paused; }
  // How many times the node has crashed (its incarnation, sim/incarnation.hpp) and been paused:
  // what tells one crash or pause of a node from a later one.
  uint32_t incarnation(NodeId node) const { return nodes_[node].incarnation; }
  uint64_t pauses(NodeId node) const { return nodes_[node].pauses; }
  // Up and acting as its protocol's leader (sim::Node::leads).
  bool leads(NodeId node) const { return nodes_[node].actor && nodes_[node].actor->leads(); }
  // The live node object if it is up and of type T, else nullptr (for invariants and harnesses).
  template <class T>
  T* node_as(NodeId node) {
    return dynamic_cast<T*>(nodes_[node].actor.get());
  }
  Storage& storage(NodeId node) { return nodes_[node].storage; }
  const NodeClock& clock(NodeId node) const { return nodes_[node].clock; }
  LocalTime monotonic(NodeId node) const { return nodes_[node].clock.monotonic(node_time(node)); }
  LocalTime wall(NodeId node) const { return nodes_[node].clock.wall(node_time(node)); }
  // The true time the node's clocks read: now(), or in an untimed world the node's own time,
  // which only its timers move (sim/untimed.hpp).
  TrueTime node_time(NodeId node) const { return untimed() ? nodes_[node].local : now_; }
  const NetworkOptions& network() const { return transport_.options(); }
  // The fault state as configured, which heal_everything restores: the network's options and a
  // node's clock drift (configure_network, configure_clock).
  const NetworkOptions& configured_network() const { return options_.network; }
  Drift configured_drift(NodeId node) const { return nodes_[node].base_drift; }
  // What the link from `from` to `to` does to a message now (its own settings or the world's).
  const LinkParams& link(NodeId from, NodeId to) const { return transport_.link(from, to); }
  // Whether a partition in force cuts the link (messages from `from` to `to` are lost).
  bool link_blocked(NodeId from, NodeId to) const { return transport_.rules().blocked(from, to); }
  // Every way the world differs from its configured fault state, one line each ("n2 is down",
  // "partition 3 is in force", "n1's wall clock is 5s off its configured offset"); empty when every
  // node is up and running, no link is cut, every clock has its configured drift and offset and
  // the network its configured options. What a nemesis must leave behind at its `stop`.
  std::vector<std::string> faults_in_force() const;
  // Since when no fault has been active (every node up and running, no partition, the network
  // as configured); nullopt while one is. The start of a liveness window.
  std::optional<TrueTime> healthy_since() const;
  // When the fault state last changed: a node crashed, restarted, paused or resumed, or the world
  // went from healthy to faulty or back (healthy_since() appeared or went away); the start of the
  // run if nothing has. The start of a liveness window for a protocol that must progress with
  // nodes down for good (a crash-stop failure): unlike healthy_since() it opens while one is.
  // Only a change counts: a fault that does nothing (crashing a node that is down, a second
  // partition while one is in force) leaves it, as does a clock jump or drift (no node stops).
  TrueTime last_fault_change() const { return last_fault_change_; }
  const std::vector<Finding>& violations() const { return violations_; }
  const WorldStats& stats() const { return stats_; }
  // Every fault that took effect, from the timeline or the nemesis, in order, as a concrete
  // timeline: node ids resolved, a majority-minority partition as the split it drew. Replaying it
  // as a scenario's `faults` without the nemesis gives the same faults (run/timeline_shrink).
  const std::vector<Fault>& fault_log() const { return fault_log_; }
  // The labels of the triggered faults whose event never came (FaultTrigger::label, each once, in
  // timeline order): a `when` whose filters match nothing, a type name misspelt, says so here.
  std::vector<std::string> unfired_triggers() const;
  Choices& choices() { return *choices_; }
  uint64_t trace_events() const { return trace_index_; }

  // Records a violation found outside the event loop (a checker at the end of a run); its
  // trace_index is set to its record in the trace.
  void report_violation(Finding violation);
  // A client operation for the trace (history entries); `data` = {process,type,f,value}.
  void trace_operation(NodeId node, nlohmann::json data);
  void note(NodeId node, std::string text);
  // Context::hold_interval and end_interval (world_intervals.cpp).
  void hold_interval(NodeId node, std::string_view label, LocalTime until, IntervalClock clock);
  void end_interval(NodeId node, std::string_view label);

 private:
  friend class Context;

  enum class EventKind : uint8_t { kBoot, kDeliver, kTimer, kFault, kWake };
  struct Event {
    TrueTime at;
    uint64_t seq;
    EventKind kind;
    NodeId node;    // the node it happens to (kNoNode for world events)
    uint32_t slot;  // message slot, timer slot, fault index or wake-up slot
    // kTimer: the timer's deadline version; an event of an older version was superseded when a
    // drift change moved the deadline, and is no event at all.
    uint32_t version = 0;
  };
  // Events are ordered by (time, sequence number), a total order: the key packs both into one
  // integer so that the queue compares without branches. True time is never negative.
  static UInt128 order_key(const Event& e) {
    return (static_cast<UInt128>(static_cast<uint64_t>(e.at.ns())) << 64) | e.seq;
  }
  struct TimerSlot {
    NodeId node = kNoNode;
    uint32_t incarnation = 0;
    uint32_t generation = 0;  // of the TimerId handed out: a stale id cancels nothing
    uint32_t version = 0;     // of the pending event (Event::version); bumped at every (re)arm
    bool armed = false;
    uint64_t tag = 0;
    Duration period;      // of a periodic timer (Context::every); zero: it fires once
    LocalTime deadline;   // on the node's monotonic clock: what the timer waits for
    uint64_t serial = 0;  // names the timer in the trace, unique in the world
  };
  struct NodeRecord {
    NodeFactory factory;
    std::unique_ptr<Node> actor;  // null while down
    NodeClock clock;
    Drift base_drift;      // as configured, restored by heal_everything
    Duration base_offset;  // the same for the wall clock's offset
    uint64_t pauses = 0;   // pauses so far (World::pauses)
    Storage storage;
    uint32_t incarnation = 0;
    bool booted = false;
    bool up = false;
    bool paused = false;
    uint64_t lamport = 0;
    StreamId stream = 0;
    std::vector<Event> deferred;  // arrived while paused, in arrival order
    // Untimed worlds: the hash chain of every input the node has had (fingerprint()), and its
    // call ids so far (numbered per node there, so that independent steps commute).
    uint64_t inputs = 0;
    uint64_t calls = 0;
    uint64_t draws = 0;  // the bounds of its random draws, chained: its stream's position
    uint32_t timers_fired = 0;
    TrueTime local;       // its own time: the latest deadline of its timers that fired
    TrueTime last_input;  // timed search: when it had its latest input
  };
  struct Invariant {
    std::string name;
    std::function<std::optional<Finding>()> check;
  };

  void push(Event event);
  // The pending events: a 4-ary min-heap on order_key (shallower than a binary heap; the
  // scheduler's hottest code).
  void heap_insert(const Event& event);
  Event heap_remove_first();
  void heap_sift_down(size_t index);
  bool pop(TrueTime end, Event& out);
  // False for a timer that was cancelled or belongs to a crashed incarnation (its slot is freed):
  // such an event is no event at all, and never takes part in a tie.
  bool keep(const Event& event);
  // Removes cancelled timers from the heap once they make up half of it: a client that arms a
  // timeout per call and cancels it at the reply would otherwise fill the heap with them.
  void compact_heap();
  void dispatch(const Event& event);
  void deliver(const Event& event);
  // Why the message in `slot` cannot be handed to its node now: the network's reason
  // (Transport::arrival_drop), or "down"; null: it can (a paused node buffers it).
  const char* arrival_drop(uint32_t slot) const;
  void fire_timer(const Event& event);
  void boot(NodeId node, bool restart);
  void check_invariants();
  // Untimed worlds: mixes an input into the node's chain (fingerprint()).
  void record_input(NodeId node, uint64_t input);
  // Untimed worlds: one node's part of fingerprint().
  uint64_t node_fingerprint(NodeId node) const;
  bool keeps_inputs() const { return untimed() || options_.timed_search.has_value(); }
  // A clock reading as a node's input: the reading itself untimed, its offset from true time in
  // a timed search (so that the same history later in time is the same state).
  uint64_t reading_input(LocalTime reading) const;
  // Timed search: mixes the time since the node's previous input into its chain.
  void timed_input_gap(NodeId node);
  void perform(const UntimedAction& action);
  // Starts every node of an untimed world, once, before its first step.
  void start_untimed();
  // Drops the timers of pending_ that no longer fire (cancelled, or of a crashed incarnation).
  void prune_pending();

  void send_message(NodeId from, NodeId to, Payload payload, uint64_t call_id, bool is_reply);
  // Schedules the arrival of the message in `slot` after a latency drawn now.
  void schedule_delivery(uint32_t slot);
  // `period` zero: a one-shot timer; otherwise a periodic one, first due `after` from now.
  TimerId arm_timer(NodeId node, Duration after, uint64_t tag, Duration period = {});
  // A periodic timer that fired: due again a period from the node's clock now, under a fresh
  // trace serial (a timer-set record), in the same slot and generation (its TimerId stays valid).
  void rearm_timer(uint32_t slot);
  void disarm_timer(TimerId id);
  // Pushes the timer's event for its deadline under the node's clock as it runs now.
  void schedule_timer(uint32_t slot);
  // After a change of the node's rate: moves every armed timer of the node not yet due to the
  // true time at which the clock now reaches its deadline.
  void reschedule_timers(NodeId node);
  void trace_timer(TraceKind kind, const TimerSlot& timer);
  // Drops the message in `slot` with a trace record saying why, and frees the slot.
  void drop_message(uint32_t slot, const char* reason);

  // --- triggers (world_triggers.cpp) ---
  // A triggered fault waiting for its event.
  struct ArmedTrigger {
    Fault fault;
    uint32_t seen = 0;  // matching events so far
    bool fired = false;
  };
  // Counts the message in `slot` (just sent, or about to be handled) against every armed trigger
  // of `on`. Fires those it completes: a drop marks `drop`, a fault with a delay is scheduled, the
  // others are returned in `now` (in timeline order) for the caller to apply at its point.
  void match_triggers(FaultTrigger::On on, uint32_t slot, bool& drop, std::vector<Fault>& now);
  // Applies the faults that send triggers fired during the event just dispatched.
  void apply_triggered_after_step();
  void trace_trigger(const Fault& fault, const Message& message);
  bool buggify_site(NodeId node, double probability, const CodeSite& site);

  // Runs the callback of the wake-up in `slot` (wake_at), whose slot is free again.
  void wake(uint32_t slot);
  // After every fault: recomputes healthy_since_ and last_fault_change_. `node_changed`: the
  // caller changed a node's up or paused state (always a change of the fault state).
  void fault_changed(bool node_changed = false);
  void log_fault(Fault fault);

  // --- protocol intervals (world_intervals.cpp) ---
  // An interval open on a node's lifeline, for the trace only (Context::hold_interval).
  struct OpenInterval {
    NodeId node = kNoNode;
    std::string label;
    LocalTime until;  // on the clock `clock` names
    IntervalClock clock = IntervalClock::kMonotonic;
    TrueTime ends;  // when that clock reads `until`, at its rate now
  };
  // The interval open on `node` under `label`, or intervals_.end().
  std::vector<OpenInterval>::iterator open_interval(NodeId node, std::string_view label);
  // The true time at which the node's clock `clock` reads `until` (rounded up, as a timer's).
  TrueTime interval_end(NodeId node, LocalTime until, IntervalClock clock) const;
  // Records the end of every interval due at or before `upto`, in order of their ends (then of
  // their opening), each at its own true time: called before the loop moves time to `upto`. No
  // event and no draw: the run takes the same course as without intervals.
  void end_intervals_due(TrueTime upto);
  // After a change of the node's clock (its rate, its wall offset): moves its intervals' ends,
  // and records the end now of those whose deadline the clock has passed.
  void retime_intervals(NodeId node);
  // Ends every interval of the node, with `why` (a crash).
  void end_node_intervals(NodeId node, const char* why);
  void trace_interval_end(const OpenInterval& interval, const char* why);

  TraceEvent make_trace(TraceKind kind, NodeId node);
  void emit(TraceEvent& event);
  // The first record of a trace: every node's clock and the network as configured.
  void trace_configuration();

  WorldOptions options_;
  std::unique_ptr<Choices> choices_;
  // Streams are interned in a fixed order, first thing, so that their ids never depend on who
  // asks first (the transport draws from "network").
  std::map<std::string, StreamId, std::less<>> streams_;
  StreamId schedule_stream_, network_stream_, faults_stream_, buggify_stream_;
  Transport transport_;  // the messages in flight, the network's settings and its partitions
  TraceSink* trace_ = nullptr;

  std::vector<NodeRecord> nodes_;
  std::vector<std::string> names_;
  std::vector<Event> heap_;
  std::vector<Event> ready_;    // the events due at now_, not yet dispatched; ties drawn from here
  std::vector<Event> pending_;  // untimed worlds: every pending event, in scheduling order
  FaultBudget spent_;           // untimed worlds: the faults taken so far (targets unused)
  bool untimed_started_ = false;
  uint64_t next_seq_ = 0;
  TrueTime now_;
  bool stopped_ = false;
  std::string_view limit_reached_;

  uint64_t next_call_id_ = 1;
  std::vector<TimerSlot> timers_;
  std::vector<uint32_t> free_timers_;
  size_t cancelled_since_compaction_ = 0;

  std::vector<Fault> faults_;
  std::vector<ArmedTrigger> triggers_;    // in timeline order; empty in most worlds
  std::vector<Fault> triggered_pending_;  // fired by a send: applied when its handler returns
  const FaultTrigger* applying_trigger_ = nullptr;  // logged with the faults it causes
  std::vector<std::function<void()>> wakes_;        // the pending wake-ups' callbacks, by slot
  std::vector<uint32_t> free_wakes_;                // slots of wakes_ free for reuse
  PartitionId next_partition_id_ = 1;
  std::vector<Fault> fault_log_;
  std::optional<TrueTime> healthy_since_ = TrueTime{};
  TrueTime last_fault_change_;

  std::vector<Invariant> invariants_;
  SometimesRegistry sometimes_;
  std::vector<std::function<void(StateHasher&)>> ghost_state_;  // fingerprint()
  std::vector<Finding> violations_;
  std::map<std::string, bool> buggify_sites_;
  uint64_t trace_index_ = 0;
  std::vector<OpenInterval> intervals_;  // in order of opening; a handful at most
  bool configuration_traced_ = false;
  uint64_t next_timer_serial_ = 1;
  WorldStats stats_;
};

}  // namespace faultline::sim
