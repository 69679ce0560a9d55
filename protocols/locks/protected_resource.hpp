#pragma once
// The storage service a lock protects (a file server, a database row). Holders read a value,
// compute, and write it back. Fenced, it remembers the highest fencing token it has accepted and
// rejects any lower one, which is what makes a lease lock safe (Kleppmann 2016, "Making the lock
// safe with fencing"). Unfenced, it accepts every write: what most code protected by a lock does.

#include <cstdint>
#include <map>
#include <string>

#include "protocols/locks/lock_ghost.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::locks {

class ProtectedResource : public sim::Node {
 public:
  ProtectedResource(bool fenced, LockGhost& ghost) : fenced_(fenced), ghost_(&ghost) {}
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  std::string describe() const override;

 private:
  struct Cell {
    int64_t value = 0;
    uint64_t highest_token = 0;
  };
  bool fenced_;
  LockGhost* ghost_;
  std::map<std::string, Cell> cells_;
};

}  // namespace faultline::protocols::locks
