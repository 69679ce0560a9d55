#pragma once
// The "wait until applied" half of the interface between the kv service and any replicated log:
// the log's leader submits a client's command at some index of its log and parks the request
// here; when the log applies that index, the request is answered with the state machine's
// result. If a different entry ends up at that index (the leader lost its term), or the server
// stops leading, the client is told to retry elsewhere: its retry carries the same sequence
// number, so the state machine's deduplication keeps the write from taking effect twice.

#include <cstdint>
#include <map>

#include "protocols/kv/messages.hpp"
#include "protocols/kv/store.hpp"
#include "sim/node.hpp"
#include "sim/state_hasher.hpp"
#include "sim/untimed.hpp"

namespace faultline::protocols::kv {

// The answer to a command the state machine has applied.
inline ClientReply reply_of(const KvResult& result, sim::NodeId self) {
  return ClientReply{"ok",
                     result.value,
                     static_cast<int64_t>(self),
                     result.succeeded,
                     result.revision,
                     result.create_revision,
                     result.lease,
                     result.key};
}

class PendingReplies {
 public:
  // `term` is the log's epoch (Raft term, Paxos ballot) under which `request` was submitted.
  void wait(uint64_t index, uint64_t term, const sim::Message& request) {
    waiting_[index] = Waiter{term, request};
  }

  void applied(sim::Context& ctx, uint64_t index, uint64_t term, const KvResult& result) {
    auto it = waiting_.find(index);
    if (it == waiting_.end()) return;
    if (it->second.term == term) {
      ctx.reply(it->second.request, reply_of(result, ctx.self()));
    } else {
      ctx.reply(it->second.request, ClientReply{"not-leader", "", -1});
    }
    waiting_.erase(it);
  }

  // The server no longer leads: nobody here will answer these requests.
  void abandon(sim::Context& ctx, int64_t leader_hint) {
    for (auto& [index, waiter] : waiting_) {
      ctx.reply(waiter.request, ClientReply{"not-leader", "", leader_hint});
    }
    waiting_.clear();
  }

  // For the server's node-state fingerprint: which request waits on which index and term.
  void hash(sim::StateHasher& hasher) const {
    hasher.add_range(waiting_, [](sim::StateHasher& h, const auto& entry) {
      h.add(entry.first).add(entry.second.term).add(sim::message_hash(entry.second.request));
    });
  }

 private:
  struct Waiter {
    uint64_t term = 0;
    sim::Message request;
  };
  std::map<uint64_t, Waiter> waiting_;
};

}  // namespace faultline::protocols::kv
