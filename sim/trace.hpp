#pragma once
// The trace: one record per thing that happened in a world, in the order it happened. The world
// hands each record to a TraceSink; with no sink attached (exploration's hot path) nothing is
// built. The JSON Lines rendering of a record is the trace file format (docs/trace-format.md); its
// bytes are what the trace hash covers.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/time.hpp"

namespace faultline::sim {

using NodeId = uint32_t;
constexpr NodeId kNoNode = UINT32_MAX;

enum class TraceKind : uint8_t {
  kSend,         // node sent message `message_id` to `peer`
  kDeliver,      // node received message `message_id` from `peer`
  kDrop,         // message `message_id` from `peer` to node was lost; `detail` says why
  kTimer,        // timer `timer` of node fired; `detail` holds its tag
  kTimerSet,     // node armed timer `timer` for `deadline` on its monotonic clock
  kTimerCancel,  // node cancelled timer `timer` before it fired
  kStart,        // node booted (first time)
  kCrash,        // node lost its volatile state and unsynced writes
  kRestart,      // node booted again after a crash
  kPause,        // node stopped handling events (its clocks run on)
  kResume,       // node handles events again
  kPartition,    // link rules changed; `detail` describes them
  kHeal,         // every link works again
  kClockJump,    // node's wall clock jumped by `detail`
  kClockDrift,   // node's clock rate changed; `detail` gives the new drift
  kNetwork,      // network options changed (loss, duplication, latency)
  kConfig,       // the first record: every node's clock and the network as configured
  kBuggify,      // a fault site inside the code fired; `detail` names it
  kNote,         // free text from a node or a harness
  kOperation,    // a client operation: `data` = {process, type, f, value}
  kTrigger,      // a timeline fault's trigger fired on message `message_id`; `data` says which
  kViolation,    // a checker or invariant failed; `detail` explains
  // A protocol's interval on the node's clock opened or had its deadline moved (a lease granted,
  // believed or renewed): `detail` names it, `data` = {until, clock} (Context::hold_interval).
  kInterval,
  // The interval `detail` ended: `data` = {why}, "deadline" (the node's clock passed it, recorded
  // at that true time even while the node is paused), "ended" (the protocol ended it) or "crash".
  kIntervalEnd,
};

std::string_view to_string(TraceKind kind);

// What a fault record concerns: one node (a crash, restart, pause, resume, clock change or fired
// fault site, `node` names it) or the network between nodes (a partition, heal or network change);
// kNone for what is not a fault. The story and the causal slice pick faults by it.
enum class FaultScope : uint8_t { kNone, kNode, kNetwork };
constexpr FaultScope fault_scope(TraceKind kind) {
  switch (kind) {
    case TraceKind::kCrash:
    case TraceKind::kRestart:
    case TraceKind::kPause:
    case TraceKind::kResume:
    case TraceKind::kClockJump:
    case TraceKind::kClockDrift:
    case TraceKind::kBuggify:
      return FaultScope::kNode;
    case TraceKind::kPartition:
    case TraceKind::kHeal:
    case TraceKind::kNetwork:
      return FaultScope::kNetwork;
    default:
      return FaultScope::kNone;
  }
}

// Records for auditors and for the bars drawn from them, not things that happened to show one by
// one: the configuration, timers armed and cancelled, a protocol interval's start, move and end.
// Diagrams, the step-through and ShiViz leave them out of their events.
// The records of a protocol interval (Context::hold_interval): drawn as bars, not as events.
constexpr bool is_interval(TraceKind kind) {
  return kind == TraceKind::kInterval || kind == TraceKind::kIntervalEnd;
}

constexpr bool is_bookkeeping(TraceKind kind) {
  switch (kind) {
    case TraceKind::kConfig:
    case TraceKind::kTimerSet:
    case TraceKind::kTimerCancel:
    case TraceKind::kInterval:
    case TraceKind::kIntervalEnd:
      return true;
    default:
      return false;
  }
}

struct TraceEvent {
  uint64_t index = 0;  // position in the trace, from 0
  TrueTime at;         // true time of the event
  TraceKind kind = TraceKind::kNote;
  NodeId node = kNoNode;    // where it happened (kNoNode: the world itself, e.g. a partition)
  LocalTime local;          // node's monotonic clock at that moment
  LocalTime wall;           // node's wall clock at that moment
  uint64_t lamport = 0;     // node's Lamport clock after the event
  NodeId peer = kNoNode;    // the other end of a message
  uint64_t message_id = 0;  // links a send to its deliveries and drops (0: none)
  uint64_t call_id = 0;     // request/reply pairing for client calls (0: none)
  uint64_t timer = 0;       // which timer (timer, timer-set, timer-cancel; 0: none)
  LocalTime deadline;       // timer-set: when it is due on the node's monotonic clock
  std::string detail;       // short human text (a drop's reason, a fault's description)
  nlohmann::json data;      // message payload (with "type") or structured detail; may be null
};

// Receives every event of a world in order. Implementations: the JSON Lines writer (reports/),
// an in-memory buffer for diagrams, the trace hash.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void record(const TraceEvent& event) = 0;
};

}  // namespace faultline::sim
