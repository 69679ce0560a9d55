#pragma once
// Every client request answered: the half of liveness a user sees. Faults may keep a client
// waiting, but once the last fault has healed, every request the client is still waiting on (and
// every request it makes afterwards) must be answered within a stated bound. A system whose
// internal state converges while its clients wait for ever (a coordinator that restarted and
// learnt nothing, a reply that never comes) fails here even when every other checker is content.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/finding.hpp"
#include "base/format_ns.hpp"

namespace faultline::checkers {

// One request, from its first send to its answer (a client retrying the same request is still
// waiting on one request). A request its client abandoned (the client crashed, or gave up) is not
// a request the system owes an answer; the caller leaves it out.
struct ClientRequest {
  std::string client;  // the client node waiting
  std::string what;    // "commit t3", for messages
  int64_t invoked_at_ns = 0;
  int64_t answered_at_ns = kNever;  // kNever: never answered
};

struct ClientAnswersInput {
  std::vector<ClientRequest> requests;
  int64_t healed_at_ns = 0;  // true time the last fault healed
  int64_t bound_ns = 0;      // an answer is due within bound of max(invoked, healed)
  int64_t run_end_ns = 0;    // a deadline after the end of the run proves nothing
};

// One finding for the first request (in order of deadline) answered late or never, with the
// count of every such request; nullopt when all were answered in time or their time is not up.
std::optional<Finding> check_clients_answered(const ClientAnswersInput& input);

}  // namespace faultline::checkers
