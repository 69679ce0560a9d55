#pragma once
// Agreement, the safety half of consensus (Lamport, "Paxos Made Simple", §2): for each instance
// (a Paxos slot, a Raft log index, a transaction) at most one value is ever decided, whoever
// decides it and whenever. Validity, optionally: only a proposed value can be decided.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/finding.hpp"

namespace faultline::checkers {

struct Decision {
  std::string instance;  // slot, index or transaction id
  std::string decider;   // the node that learnt or applied the value
  std::string value;     // the decided value, rendered as text (compared exactly)
  int64_t at_ns = 0;
};

struct Proposal {
  std::string instance;
  std::string value;
};

// One finding per instance and conflicting value (the first decision of each value is named).
// With `proposed`, also one finding per decision of a value never proposed for its instance.
std::vector<Finding> check_agreement(
    const std::vector<Decision>& decisions,
    const std::optional<std::vector<Proposal>>& proposed = std::nullopt);

}  // namespace faultline::checkers
