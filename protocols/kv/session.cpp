// A kv client session (Ongaro's thesis §6.3); see session.hpp.
#include "protocols/kv/session.hpp"

#include <algorithm>

namespace faultline::protocols::kv {

std::optional<ClientReply> KvSession::submit(const KvCommand& command, sim::Duration give_up_after,
                                             int max_attempts) {
  sim::Process& co = *co_;
  const sim::LocalTime deadline = co.now() + give_up_after;
  for (int attempt = 1; co.now() < deadline; ++attempt) {
    auto reply = co.call(servers_[target_], ClientRequest{command}, timeouts_.call_timeout);
    const ClientReply* answer = reply ? reply->payload.as<ClientReply>() : nullptr;
    if (answer && answer->status == "ok") return *answer;
    if (max_attempts > 0 && attempt >= max_attempts) break;
    auto hinted =
        answer ? std::find(servers_.begin(), servers_.end(), answer->leader_hint) : servers_.end();
    if (hinted != servers_.end() && static_cast<size_t>(hinted - servers_.begin()) != target_) {
      target_ = static_cast<size_t>(hinted - servers_.begin());
      continue;  // a redirect to a known leader: no need to wait
    }
    // "retry" means the right server is not ready yet; otherwise try the next server.
    if (!answer || answer->status != "retry") target_ = (target_ + 1) % servers_.size();
    co.sleep(timeouts_.retry_backoff);
  }
  return std::nullopt;
}

}  // namespace faultline::protocols::kv
