#pragma once
// Raft's safety properties (Ongaro & Ousterhout 2014, Figure 3), checked after every event of a
// run: Election Safety, Log Matching, Leader Completeness, State Machine Safety, and that terms
// and commit indexes never go backwards.

#include <string>
#include <vector>

#include "protocols/raft/raft_ghost.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::raft {

// Adds the invariants named in `enabled` (the scenario's checkers) over `servers`.
void add_raft_invariants(sim::World& world, const std::vector<sim::NodeId>& servers,
                         RaftGhost& ghost, const std::vector<std::string>& enabled);

}  // namespace faultline::protocols::raft
