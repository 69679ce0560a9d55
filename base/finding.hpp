#pragma once
// What every layer reports when a property breaks: one broken property, when it broke and who was
// involved. The kernel's invariants, the checkers, the run library and the reports all speak of a
// violation in this one shape, so nothing converts between them. Times are plain nanoseconds of
// true time and names are strings: the checkers know nothing of the kernel.

#include <cstdint>
#include <string>
#include <vector>

namespace faultline {

// A violation is a property shown broken. An undecided finding is a checker that ran out of a
// limit (the linearizability search's memory bound) before it could tell: neither a pass nor a
// violation, and a run that has one must not be reported as ok.
enum class FindingKind : std::uint8_t { violation, undecided };

struct Finding {
  std::string checker;                // the checker or invariant, e.g. "mutual-exclusion"
  int64_t at_ns = 0;                  // true time at which the property was first broken
  std::string message;                // one paragraph a person can act on
  std::vector<std::string> involved;  // node or process names, or operation ids, to highlight
  FindingKind kind = FindingKind::violation;
  std::string explanation;   // the protocol's word on it, if any (the run library adds it)
  uint64_t trace_index = 0;  // the trace's violation record, when the run was traced
  // A picture of the violation drawn by the checker that found it, as a self-contained HTML
  // fragment (its own style and script): the linearizability checker's timeline of the history
  // (checkers/linearizability_picture.hpp). The run report shows it; empty: none.
  std::string figure_html;
};

}  // namespace faultline
