#pragma once

// A picture of a history: a self-contained HTML page (inline SVG and CSS, no external assets)
// with one row per process, each operation a bar from invoke to return, the linearization the
// checker found numbered on the bars, and the operation that cannot be placed highlighted.

#include <ostream>
#include <string>
#include <vector>

#include "checkers/history.hpp"
#include "checkers/linearizability.hpp"

namespace faultline::checkers {

void write_history_timeline(std::ostream& out, const std::vector<CallReturn>& calls,
                            const CheckResult& result, const std::string& title);

}  // namespace faultline::checkers
