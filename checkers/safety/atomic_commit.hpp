#pragma once
// Atomic commitment (Bernstein, Hadzilacos & Goodman, "Concurrency Control and Recovery in
// Database Systems", §7.1, AC1–AC4): all processes that decide reach the same decision; a process
// cannot reverse its decision; commit is decided only if every participant voted yes.

#include <cstdint>
#include <string>
#include <vector>

#include "base/finding.hpp"

namespace faultline::checkers {

struct Vote {
  std::string txn;
  std::string participant;
  bool yes = false;
  int64_t at_ns = 0;  // when the vote was cast (sent or logged)
};

struct Outcome {
  std::string txn;
  std::string participant;  // the coordinator or a participant that decided
  bool commit = false;      // false: abort
  int64_t at_ns = 0;
};

struct Transaction {
  std::string txn;
  std::vector<std::string> participants;  // everyone whose yes vote a commit requires
};

// Findings of three kinds, per transaction:
//   "atomic-commit.agreement": two deciders decided differently (first commit and first abort
//   named); "atomic-commit.validity":  a commit although a participant voted no or had not voted by
//   then; "atomic-commit.reversal":  one decider's decision changed later (e.g. after a restart).
std::vector<Finding> check_atomic_commit(const std::vector<Vote>& votes,
                                         const std::vector<Outcome>& outcomes,
                                         const std::vector<Transaction>& transactions);

}  // namespace faultline::checkers
