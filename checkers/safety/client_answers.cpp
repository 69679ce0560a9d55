#include "checkers/safety/client_answers.hpp"

#include <algorithm>

#include "base/format_ns.hpp"

namespace faultline::checkers {

std::optional<Finding> check_clients_answered(const ClientAnswersInput& input) {
  const ClientRequest* first = nullptr;
  int64_t first_deadline = kNever;
  int overdue = 0, answered = 0;
  for (const ClientRequest& r : input.requests) {
    answered += r.answered_at_ns != kNever;
    const int64_t from = std::max(r.invoked_at_ns, input.healed_at_ns);
    const int64_t deadline = input.bound_ns >= kNever - from ? kNever : from + input.bound_ns;
    // Answered before the heal, or in time, or still within its time when the run ended.
    if (r.answered_at_ns <= deadline || deadline > input.run_end_ns) continue;
    ++overdue;
    if (deadline < first_deadline) {
      first = &r;
      first_deadline = deadline;
    }
  }
  if (!first) return std::nullopt;
  Finding f;
  f.checker = "clients-answered";
  f.at_ns = first_deadline;
  f.message = first->client + "'s " + first->what + " (invoked at " +
              format_ns(first->invoked_at_ns) + ") was not answered within " +
              format_ns(input.bound_ns) + " after the last fault healed at " +
              format_ns(input.healed_at_ns) + ": " +
              (first->answered_at_ns == kNever
                   ? "no answer came before the run ended at " + format_ns(input.run_end_ns)
                   : "the answer came only at " + format_ns(first->answered_at_ns)) +
              " (" + std::to_string(overdue) + " request" + (overdue == 1 ? "" : "s") +
              " overdue; " + std::to_string(answered) + " of " +
              std::to_string(input.requests.size()) + " answered in the whole run)";
  f.involved = {first->client};
  return f;
}

}  // namespace faultline::checkers
