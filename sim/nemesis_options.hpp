#pragma once
// A seeded nemesis's options (Jepsen's term): from `start` to `stop` it injects faults at random
// times, each undone after a random duration, each undo ending its own fault only (a partition's
// heal names the partition, which a later partition may have replaced already); at `stop` it
// returns the world to its configured fault state (World::faults_in_force) so that a liveness
// phase can follow (VOPR's safety phase, then liveness phase). With `swarm`, each seed first draws
// its own nemesis from these options (swarm testing). The nemesis itself: sim/nemesis.hpp.

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/clock.hpp"
#include "sim/faults.hpp"
#include "sim/network.hpp"
#include "sim/time.hpp"

namespace faultline::sim {

struct NemesisOptions {
  enum class Kind : uint8_t { kPartition, kCrash, kPause, kClockJump, kClockDrift, kLossBurst };

  std::vector<Kind> kinds;                 // what it may do; empty = nothing
  std::vector<NodeId> targets;             // nodes it may crash, pause, skew or partition
  TrueTime start;                          // first fault no earlier than this
  TrueTime stop;                           // no fault after this; everything healed at this time
  Duration interval_mean = seconds(1);     // mean gap between faults (exponential)
  Duration fault_min = milliseconds(100);  // shortest time a fault lasts before it is undone
  Duration fault_max = seconds(3);         // longest
  Duration max_clock_jump = seconds(5);    // wall-clock jumps are uniform in [-max, +max]
  int64_t max_drift_ppm = 100'000;         // drifts are uniform in [-max, +max] ppm
  double burst_loss = 0.5;                 // message loss during a loss burst
  // At most this many targets down (crashed or paused) at once; 0 = no limit. A quorum protocol
  // with 2f+1 nodes stays live with f.
  uint32_t max_down = 0;
  // The chance that a fault is aimed at a target that currently leads (sim::Node::leads) rather
  // than at any target. A crash, pause or clock fault hits the leader; a partition isolates it,
  // cuts it off one way, makes it the bridge, or puts it in the minority. With no leader up, the
  // fault goes to any target. Random faults rarely land in the few milliseconds that matter
  // (after a leader appends and before it replicates); aimed ones do far more often.
  Probability aim_at_leader;
  // Swarm testing (Groce et al., ISSTA 2012; FoundationDB and TigerBeetle's VOPR do the same):
  // each seed runs a nemesis of its own, drawn from this one: a random non-empty subset of
  // `kinds`, the mean interval times 1/4, 1/2, 1, 2 or 4, and aim_at_leader either as set or 0.
  // A bug that one kind of fault masks (crashes that clear the state a partition needs) shows in
  // the seeds that leave that kind out.
  bool swarm = false;

  bool enabled() const { return !kinds.empty() && stop > start; }
};

std::string_view to_string(NemesisOptions::Kind kind);

}  // namespace faultline::sim
