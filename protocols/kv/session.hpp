#pragma once
// A client session of the replicated kv service, for fiber clients (Ongaro's thesis §6.3): a
// session id and a sequence number per operation, reused by every retry of it, so that the state
// machine applies a retried write once. It finds the leader by following "not-leader" hints and
// otherwise trying the servers in turn (sim::RetryTargets, read by leader_hint.hpp).

#include <cstdint>
#include <optional>
#include <vector>

#include "protocols/kv/messages.hpp"
#include "sim/fiber.hpp"
#include "sim/retry.hpp"

namespace faultline::protocols::kv {

struct KvSessionTimeouts {
  sim::Duration call_timeout = sim::milliseconds(100);  // one attempt at one server
  sim::Duration retry_backoff = sim::milliseconds(20);  // after a redirect or a timeout
};

class KvSession {
 public:
  KvSession(sim::Process& co, std::vector<sim::NodeId> servers, uint64_t client,
            KvSessionTimeouts timeouts)
      : co_(&co),
        servers_(servers, co.random(servers.size())),
        client_(client),
        timeouts_(timeouts) {}

  // Stamps `command` with this session's id and its next sequence number.
  KvCommand next(KvCommand command) {
    command.client = client_;
    command.seq = ++seq_;
    return command;
  }

  // Sends the stamped `command` until a server answers ok, `give_up_after` passes on the local
  // clock, or `max_attempts` calls were made (0: no limit); the answer, if any. Retrying an
  // answered-nothing command later is safe: same number.
  std::optional<ClientReply> submit(const KvCommand& command, sim::Duration give_up_after,
                                    int max_attempts = 0);

 private:
  sim::Process* co_;
  sim::RetryTargets servers_;  // where the leader was last found, from one command to the next
  uint64_t client_;
  KvSessionTimeouts timeouts_;
  uint64_t seq_ = 0;
};

}  // namespace faultline::protocols::kv
