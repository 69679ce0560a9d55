#pragma once
// Timed search (docs/model-checking.md, "Searching a protocol's implementation"): a world whose
// clocks are real, stepped one instant of true time at a time, where every draw that shapes the
// schedule is a small choice a search enumerates. Each message's latency is one of a few values
// the scenario lists, simultaneous events go in any order, and before each instant a fault from
// the budget may be injected: a pause of one of a few lengths, a crash, a restart, one node cut
// off, the heal, a clock jump or a drift. Leases, timeouts and clock skew keep their meaning:
// a timer fires when its deadline comes, never before a message that arrives earlier.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/choices.hpp"
#include "sim/node.hpp"
#include "sim/time.hpp"

namespace faultline::sim {

class World;

// What a timed search may draw: the values each draw takes, and how many faults of each kind a
// whole run may have.
struct TimedBudget {
  std::vector<Duration> latencies;  // a message's latency is one of these (at least one)
  std::vector<Duration> pauses;     // a pause lasts one of these
  std::vector<Duration> jumps;      // a wall clock jumps by one of these
  std::vector<int64_t> drifts_ppm;  // a clock's rate changes to one of these
  uint32_t pause_count = 0;
  uint32_t crashes = 0;     // a crashed node restarts at a later step of the search's choosing
  uint32_t partitions = 0;  // one node cut off from all others, healed at a later step
  uint32_t jump_count = 0;
  uint32_t drift_count = 0;
  std::vector<NodeId> targets;  // the nodes faults strike; empty: every node
  TrueTime horizon;             // no instant after this true time is taken
};

// The faults a timed run has taken so far.
struct TimedSpent {
  uint32_t pauses = 0, crashes = 0, partitions = 0, jumps = 0, drifts = 0;
  uint64_t hash() const;
};

// The streams a timed search steers: which event of an instant goes first ("schedule"), each
// latency ("network") and the fault injected before an instant ("search").
constexpr std::string_view kTimedSearchStream = "search";

// A timed search's choices: every draw of a steered stream read from `path` (past its end, 0),
// every other stream (the nodes' own randomness) drawn from its seeded PRNG. Each steered draw
// is kept with its bound, so that a search knows the alternatives of the draws past the path.
class TimedSteering final : public Choices {
 public:
  TimedSteering(std::vector<uint32_t> path, uint64_t seed) : path_(std::move(path)), seed_(seed) {}
  void add_stream(std::string_view name) override;
  struct Draw {
    uint32_t value = 0;
    uint32_t bound = 0;
  };
  // Every steered draw so far, in order: the first path().size() read from the path.
  const std::vector<Draw>& draws() const { return draws_; }
  const std::vector<uint32_t>& path() const { return path_; }

 protected:
  uint64_t pick(StreamId stream, uint64_t bound, Simplest simplest) override;

 private:
  std::vector<uint32_t> path_;
  uint64_t seed_;
  std::vector<Rng> streams_;
  std::vector<bool> steered_;
  std::vector<Draw> draws_;
};

// Steps a world built for a timed search (WorldOptions::timed_search): each step draws the fault
// to inject now (0: none) from the "search" stream, then runs every event of the next instant
// (World::run_until), their order drawn from the "schedule" stream.
class TimedStepper {
 public:
  TimedStepper(World& world, TimedBudget budget);
  // False, doing nothing, when no event is due at or before the horizon or the world stopped.
  bool step();
  const TimedSpent& spent() const { return spent_; }
  // The world's state as 64 bits, with the budget spent (World::timed_fingerprint).
  uint64_t fingerprint() const;
  // The last step's fault in words ("pause client1 for 15s"), or "" when it injected none.
  const std::string& last_fault() const { return last_fault_; }
  // The kind of the last step's fault ("pause", "crash"...), or "" (coverage).
  const std::string& last_fault_kind() const { return last_fault_kind_; }

 private:
  struct Option {
    enum class Kind : uint8_t { kPause, kCrash, kRestart, kIsolate, kHeal, kJump, kDrift };
    Kind kind;
    NodeId node;
    size_t value;  // index into the budget's pauses, jumps or drifts
  };
  std::vector<Option> options() const;
  void inject(const Option& option);

  World& world_;
  TimedBudget budget_;
  TimedSpent spent_;
  StreamId stream_;
  std::string last_fault_;
  std::string last_fault_kind_;
  bool cut_ = false;  // a node is cut off (the heal is an option)
};

}  // namespace faultline::sim
