#pragma once
// Faults a world can suffer, each one a physical event. A scenario's timeline is a list of these
// at fixed true times, or fired by an event of the run (a trigger: the n-th send or delivery of a
// message); the nemesis (sim/nemesis.hpp) draws them from the seed instead.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/clock.hpp"
#include "sim/network.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace faultline::sim {

// An event that fires a fault instead of a true time: the `nth` send (or delivery) of a message
// matching the filters. Fires once. A send trigger's fault applies when the handler that sent the
// message returns (the message is already in flight); a delivery trigger's fault applies just
// before the receiving node handles the message, which then arrives into the faulted world (a
// pause buffers it, a crash loses it). docs/scenarios.md "Faults triggered by events".
struct FaultTrigger {
  enum class On : uint8_t { kSend, kDeliver };
  On on = On::kSend;
  std::string type;       // the message's payload type name; empty: any
  NodeId node = kNoNode;  // where it happens: the sender of a send, the receiver of a delivery
  NodeId peer = kNoNode;  // the other end of the message; kNoNode: any
  uint32_t nth = 1;       // which matching event fires it, from 1
  Duration after;         // the fault takes effect this long after the event (0: as above)
  std::string label;      // names the trigger in the trace ("faults[2]")
};

std::string_view to_string(FaultTrigger::On on);

struct Fault {
  enum class Kind : uint8_t {
    kCrash,       // node loses its volatile state and its unsynced writes; stays down
    kRestart,     // a crashed node boots again (on_start on a fresh object)
    kPause,       // node handles nothing (a GC pause, SIGSTOP, a VM migration); clocks run on
    kResume,      // a paused node handles what arrived meanwhile, and sees its clocks moved on
    kPartition,   // links fail as `partition` says (see `stacks`)
    kHeal,        // the links of partition `partition_id` work again; with id 0, every link
    kClockJump,   // node's wall clock jumps by `amount` (negative: backwards)
    kClockDrift,  // node's clocks run at rate 1 + drift from now on
    kNetwork,     // latency, loss and duplication change to `network`
    kDrop,        // the message that fired the trigger `when` is lost (a trigger's action only)
  };
  Kind kind = Kind::kCrash;
  TrueTime at;
  NodeId node = kNoNode;
  Duration amount;            // kClockJump
  Drift drift;                // kClockDrift
  PartitionSpec partition;    // kPartition
  NetworkOptions network;     // kNetwork
  bool wipe_storage = false;  // kCrash: the disk is lost too (an unpersisted in-memory store)
  // kPartition: the id its links are cut under (0: the world gives it one when it is scheduled
  // or applied); kHeal: the one partition it ends (0: every partition).
  PartitionId partition_id = 0;
  // kPartition: adds its cut to the partitions in force (the nemesis's, each undone alone);
  // false: replaces them all (a scenario timeline's partition).
  bool stacks = false;
  // Set: the fault waits for this event instead of `at` (World::schedule_fault). The world's
  // fault log keeps it on the faults a trigger fired, so that they replay as triggered faults.
  std::optional<FaultTrigger> when;
};

std::string_view to_string(Fault::Kind kind);

// How a crash treats unsynced writes, for every node of a world.
struct StorageFaults {
  bool torn_writes = false;  // a crash keeps a random subset of unsynced writes, not none
};

}  // namespace faultline::sim
