#pragma once
// A single lease lock server, the shape of Redis used as a lock: `SET key owner NX PX ttl` grants
// the key to one owner until the lease expires on the SERVER's clock; release deletes the key only
// if the caller still owns it. Every grant carries a fencing token that grows with each grant.
//
// Two facts make this lock unsafe without fencing, and the catalog shows both: the lease is
// measured on the server's clock, so a jump of its wall clock expires it early; and the holder
// cannot know it was paused past the lease.

#include <cstdint>
#include <map>
#include <string>

#include "sim/node.hpp"

namespace faultline::protocols::locks {

struct LeaseServerOptions {
  // Which server clock measures a lease: "wall" (as Redis does, by gettimeofday) jumps under
  // skew faults; "monotonic" does not, but drifts.
  bool expire_on_wall_clock = true;
  // Keys and the token counter written to disk and synced before each reply (Redis with
  // appendfsync always); off, a restarted server has forgotten every lease.
  bool persist = true;
  // `SET key value NX`: grant only a free or expired key. Off, the snippet tutorials copy
  // (`SET key 1 EX 60` without NX): every acquire overwrites the holder.
  bool require_nx = true;
  // Release deletes only the caller's own value (the Lua compare-and-delete). Off, a plain
  // `DEL key` that also deletes whoever took the key after the caller's lease expired.
  bool compare_on_release = true;
};

// One lease as the server stores it (also the on-disk record).
struct LeaseRecord {
  static constexpr const char* kName = "LeaseRecord";
  uint64_t owner = 0;
  uint64_t token = 0;
  int64_t expires_at_ns = 0;  // on the clock named by expire_on_wall_clock
  // The node that asked (its connection, to a real server): a restarted server names the grants
  // it reloads after it, as it named them when it made them. Never compared: `owner` decides.
  sim::NodeId holder = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LeaseRecord, owner, token, expires_at_ns, holder)

struct TokenCounter {
  static constexpr const char* kName = "TokenCounter";
  uint64_t last = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TokenCounter, last)

class LeaseLockServer : public sim::Node {
 public:
  explicit LeaseLockServer(LeaseServerOptions options) : options_(options) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  std::string describe() const override;
  bool fingerprint_state(sim::StateHasher& hasher) const override;  // lock_fingerprint.cpp

 private:
  sim::LocalTime clock(sim::Context& ctx) const;
  void store(sim::Context& ctx, const std::string& key);
  // The grant as an interval of the trace, on the clock that measures it; observation only.
  void trace_grant(sim::Context& ctx, const std::string& key, const LeaseRecord& lease);
  void end_grant(sim::Context& ctx, const std::string& key);

  LeaseServerOptions options_;
  std::map<std::string, LeaseRecord> leases_;
  uint64_t last_token_ = 0;
  std::map<std::string, std::string> grant_labels_;  // key -> the interval of its latest grant
};

}  // namespace faultline::protocols::locks
