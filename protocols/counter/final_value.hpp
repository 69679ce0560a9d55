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
  // The final state in words: "the counter ends at 14 on r2 (primary in epoch 2)".
  std::string ends;
  std::vector<std::string> ops;    // the label of each operation the final state counts
  std::string noun = "increment";  // what an operation is called: "increment", "update"
};

// `appends`: when each label was appended, to date a double count at its second append.
std::optional<Finding> check_final_value(const FinalCount& final_count,
                                         const std::vector<IncrementRecord>& increments,
                                         const std::vector<AppendRecord>& appends);

// The same promise for a counter whose final value is a number only (a key of the kv store, which
// keeps no labels): it must lie between the acknowledged increments and those plus the ones of
// unknown outcome. Each increment's record says which value it read and wrote; the increments
// that show a loss are those that read the same value as another and wrote the same (a lost
// update), named in pairs.
std::optional<Finding> check_final_total(const std::string& ends, int64_t value,
                                         const std::vector<IncrementRecord>& increments);

}  // namespace faultline::protocols::counter
