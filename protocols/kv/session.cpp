// A kv client session (Ongaro's thesis §6.3); see session.hpp.
#include "protocols/kv/session.hpp"

#include "protocols/kv/leader_hint.hpp"

namespace faultline::protocols::kv {

std::optional<ClientReply> KvSession::submit(const KvCommand& command, sim::Duration give_up_after,
                                             int max_attempts) {
  const sim::RetryPolicy policy{timeouts_.call_timeout, timeouts_.retry_backoff, give_up_after,
                                max_attempts};
  // "retry" means the right server is not ready yet: wait there rather than move on.
  auto reply = servers_.call(*co_, ClientRequest{command}, policy,
                             [](const auto& r) { return leader_retry_step(r, true); });
  if (!reply) return std::nullopt;
  return *reply->payload.as<ClientReply>();
}

}  // namespace faultline::protocols::kv
