#pragma once
// Mutual exclusion judged in true time, the only frame in which "at once" means anything: each
// holder's clock may say its lease is still valid, but if two holders believed they held one lock
// at the same true instant, the lock failed (Kleppmann, "How to do distributed locking", 2016).
//
// Fenced mutual exclusion is the weaker property a fencing token buys: overlapping holders are
// allowed, but the protected resource must never accept a token lower than one it already accepted,
// and a token belongs to one holder only.

#include <cstdint>
#include <string>
#include <vector>

#include "base/finding.hpp"
#include "base/format_ns.hpp"

namespace faultline::checkers {

// The interval [from_ns, until_ns) of true time during which `holder` believed it held `lock`.
// Half-open: a release at t and the next acquire at t do not overlap.
struct LockHolding {
  std::string lock;
  std::string holder;
  uint64_t token = 0;         // fencing token granted with the lock (0: none)
  int64_t from_ns = 0;        // when the holder learnt it had the lock
  int64_t until_ns = kNever;  // when it stopped believing so (kNever: never released)
};

// One finding per pair of holdings of the same lock that overlap in true time.
std::vector<Finding> check_mutual_exclusion(const std::vector<LockHolding>& holdings);

// One attempt by `client` to use `resource` with a fencing token, and whether it was accepted.
struct ResourceAccess {
  std::string resource;
  std::string client;
  uint64_t token = 0;
  int64_t at_ns = 0;
  bool accepted = false;
};

// One finding per accepted access whose token is lower than the highest the resource had already
// accepted (the lost update a stale lock holder causes), and per accepted access with the same
// token as the highest accepted but from another client (a token granted twice: fencing cannot
// tell the holders apart). Accesses are judged in true-time order; equal times keep their input
// order.
std::vector<Finding> check_fenced_access(const std::vector<ResourceAccess>& accesses);

}  // namespace faultline::checkers
