#pragma once
// What every lock of the family shares at the harness level: per-client durations read from the
// scenario, the checkers a lock run is judged by (mutual exclusion in true time, fenced access,
// bounded liveness; checkers/safety), and the figures of a run. Each lock's harness builds its
// own nodes and hands its LockGhost here.

#include <string>
#include <vector>

#include "base/finding.hpp"
#include "protocols/locks/lock_ghost.hpp"
#include "protocols/params.hpp"
#include "protocols/protocol.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::locks {

// `key`: absent -> `fallback` for every client; one duration -> the same for every client; a
// list -> one per client (a list of another length is an error naming the field).
std::vector<sim::Duration> read_per_client(Fields& p, const std::string& key, int clients,
                                           sim::Duration fallback);

// The checker descriptions every lock offers.
std::vector<CheckerInfo> lock_checkers();

struct LockRun {
  const LockGhost* ghost = nullptr;
  int clients = 0;
  int clients_done = 0;
  sim::Duration liveness_bound;
};

// Judges a lock run with the enabled checkers; findings carry the scenario's checker names.
std::vector<Finding> check_lock_run(const LockRun& run, const std::vector<std::string>& enabled,
                                    sim::World& world);

nlohmann::json lock_figures(const LockRun& run);

// What the world observes of a lock run's ghost: the state it should reach (sim/sometimes.hpp:
// "a lock is granted"), and the part of it a verdict depends on, for the search's fingerprint
// (LockGhost::hash).
void add_lock_observers(sim::World& world, const LockGhost& ghost);

}  // namespace faultline::protocols::locks
