#pragma once
// How a client of a leader-based service (the replicated kv store, a Raft cluster's membership
// changes) reads a server's ClientReply for sim::RetryTargets: "ok" is the answer; "not-leader"
// with a hint sends it to the leader named, at once; a timeout or anything else moves it on to
// the next server.

#include <cstdint>
#include <optional>

#include "protocols/kv/messages.hpp"
#include "sim/retry.hpp"

namespace faultline::protocols::kv {

// The server a leader hint names (kNoNode: none).
inline sim::NodeId hinted_node(int64_t leader_hint) {
  return leader_hint >= 0 && leader_hint < static_cast<int64_t>(sim::kNoNode)
             ? static_cast<sim::NodeId>(leader_hint)
             : sim::kNoNode;
}

// `wait_on_retry`: whether a "retry" (the server leads but cannot serve yet) is waited out at
// that server or, like a timeout, moves on to the next one.
inline sim::RetryStep leader_retry_step(const std::optional<sim::Message>& reply,
                                        bool wait_on_retry) {
  const ClientReply* answer = reply ? reply->payload.as<ClientReply>() : nullptr;
  if (!answer) return sim::RetryStep::next();
  if (answer->status == "ok") return sim::RetryStep::done();
  const sim::NodeId hint = hinted_node(answer->leader_hint);
  if (wait_on_retry && answer->status == "retry") return sim::RetryStep::stay(hint);
  return sim::RetryStep::next(hint);
}

}  // namespace faultline::protocols::kv
