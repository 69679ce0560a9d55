#pragma once
// The storage service a lock protects (a file server, a database row). Holders read a value,
// compute, and write it back. Fenced, it remembers the highest fencing token it has accepted and
// rejects any lower one, which is what makes a lease lock safe (Kleppmann 2016, "Making the lock
// safe with fencing"). Unfenced, it accepts every write: what most code protected by a lock does.

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "protocols/locks/lock_ghost.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::locks {

// A resource's value and the highest token it has accepted, as its storage keeps them. Durable:
// a file server or a database that forgot the highest token when it restarted would accept the
// stale write fencing exists to refuse.
struct ResourceCell {
  static constexpr const char* kName = "ResourceCell";
  int64_t value = 0;
  uint64_t highest_token = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ResourceCell, value, highest_token)

class ProtectedResource : public sim::Node {
 public:
  ProtectedResource(bool fenced, LockGhost& ghost) : fenced_(fenced), ghost_(&ghost) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  std::string describe() const override;
  bool fingerprint_state(sim::StateHasher& hasher) const override;  // lock_fingerprint.cpp

 private:
  bool fenced_;
  LockGhost* ghost_;
  std::map<std::string, ResourceCell> cells_;  // as in storage, read back at every start
};

}  // namespace faultline::protocols::locks
