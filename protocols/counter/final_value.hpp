#pragma once
// The counter's promise, judged at the end of a run: the final value counts every acknowledged
// increment once, none twice. Increments whose outcome is unknown (the client gave up, or
// crashed) may count once or not at all. The input is the final log (each entry's operation
// label) and the clients' record of each increment; a finding names the operations that show
// the break: the acknowledged ones missing, and the ones counted twice.

#include <optional>
#include <string>
#include <vector>

#include "base/finding.hpp"
#include "protocols/counter/counter_ghost.hpp"

namespace faultline::protocols::counter {

struct FinalCount {
  std::string holder;            // who holds the final value: "r2 (primary in epoch 2)"
  std::vector<std::string> ops;  // the label of each increment in the final log, in order
  int64_t value = 0;             // the counter's final value (the sum of the log)
};

// `appends`: when each label was appended, to date a double count at its second append.
std::optional<Finding> check_final_value(const FinalCount& final_count,
                                         const std::vector<IncrementRecord>& increments,
                                         const std::vector<AppendRecord>& appends);

}  // namespace faultline::protocols::counter
