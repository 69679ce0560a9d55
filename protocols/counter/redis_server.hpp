#pragma once
// A Redis-like counter server: primary or replica, as the sentinel's latest epoch says (Redis
// replication and Sentinel). The primary appends each INCR to its log, synced to disk, and
// streams the log to the replica (Replicate, resent every replicate_interval until acknowledged;
// a full resynchronisation at the start of each epoch, which replaces the replica's log, as
// Redis's full sync does). A replica applies the stream in order and acknowledges its length.
//
// When the primary answers is the lesson:
//   - after the replica has the entry (Redis's WAIT 1, min-replicas-to-write 1): an increment
//     acknowledged is on both servers, so a failover keeps it. GET is answered after the replica
//     acknowledges a Replicate sent after the GET arrived, with the sum of the prefix the replica
//     holds: a deposed primary cannot answer (its replica has moved to a newer epoch and refuses
//     it), and no read shows an increment a failover could discard.
//   - at once (`ack_after_replication` false, Redis's default): an increment acknowledged may be
//     on the primary alone; a failover promotes a replica without it, and when the old primary
//     returns it resynchronises from the new one and the increment is gone. GET reads the
//     primary's own log.
// An INCR with an idempotency key already in the log is not applied again: the answer is the
// value after that entry, given when the entry is acknowledged as a new one would be.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "protocols/counter/counter_ghost.hpp"
#include "protocols/counter/messages.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::counter {

struct ServerOptions {
  sim::NodeId initial_primary = sim::kNoNode;
  sim::NodeId peer = sim::kNoNode;  // the other server
  bool ack_after_replication = true;
  sim::Duration replicate_interval = sim::milliseconds(20);
};

class RedisServer : public sim::Node {
 public:
  RedisServer(ServerOptions options, CounterGhost& ghost) : options_(options), ghost_(&ghost) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  bool leads() const override { return primary_; }

 private:
  void adopt(sim::Context& ctx, uint64_t epoch, int64_t primary);
  void on_incr(sim::Context& ctx, const sim::Message& request, const Incr& incr);
  void on_get(sim::Context& ctx, const sim::Message& request);
  void on_replicate(sim::Context& ctx, const sim::Message& m, const Replicate& r);
  void on_ack(sim::Context& ctx, const ReplicateAck& ack);
  void replicate(sim::Context& ctx);
  void answer_ready(sim::Context& ctx);
  int64_t sum(size_t prefix) const;
  void persist(sim::Context& ctx);

  ServerOptions options_;
  CounterGhost* ghost_;
  ServerState state_;
  bool primary_ = false;
  // Primary only, volatile: what it knows of the replica in this epoch.
  int64_t replica_size_ = -1;  // -1: unknown, the next Replicate is a full sync
  uint64_t round_ = 0;
  uint64_t acked_round_ = 0;
  std::multimap<uint64_t, sim::Message> waiting_writes_;  // by the log length they need
  std::multimap<uint64_t, sim::Message> waiting_reads_;   // by the round they need
};

}  // namespace faultline::protocols::counter
