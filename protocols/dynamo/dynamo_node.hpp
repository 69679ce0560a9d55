#pragma once
// A node of a Dynamo-style key-value store (DeCandia et al., SOSP 2007): keys live on the N
// successors of their hash on a ring with virtual nodes (protocols/ring/placement); any node
// coordinates a client's get or put over those replicas with R/W quorums. Each replica keeps one
// versioned value per key, synced to disk before it acknowledges.
//
// The correct variant is the versioned quorum register of Attiya, Bar-Noy and Dolev: a put first
// reads a quorum of R to pick a version above every one seen, then writes a quorum of W; a get
// reads R and writes the newest value back to W before answering (read repair). With R + W > N
// every read quorum meets every write quorum, and that is linearizable for single-key gets and
// puts under crashes and partitions (it is unavailable, not wrong, without a quorum). The
// known-bug variants drop one piece each.

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "protocols/dynamo/messages.hpp"
#include "protocols/kv/messages.hpp"
#include "protocols/ring/placement.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::dynamo {

enum class DynamoBug : uint8_t {
  kNone,
  kNoReadRepair,       // a get answers the newest of R without writing it back
  kWallClockVersions,  // a put skips the read phase: its version is the coordinator's wall clock
  kSloppyQuorum,       // short of a quorum, a phase counts stand-ins beyond the N home replicas
};

struct DynamoOptions {
  std::vector<sim::NodeId> nodes;  // every node, in ring-name order
  std::vector<std::string> names;  // their names, which place them on the ring
  size_t replicas = 3;             // N
  size_t read_quorum = 2;          // R
  size_t write_quorum = 2;         // W
  size_t vnodes = 16;
  // A phase that has not heard from enough replicas by then gives up (the client tries another
  // coordinator), or with a sloppy quorum reaches past the home replicas once.
  sim::Duration phase_timeout = sim::milliseconds(40);
  sim::Duration handoff_interval = sim::milliseconds(200);
  DynamoBug bug = DynamoBug::kNone;
};

class DynamoNode : public sim::Node {
 public:
  explicit DynamoNode(DynamoOptions options);

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;

 private:
  // One client operation this node coordinates.
  struct Operation {
    sim::Message request;
    kv::KvCommand command;
    bool writing = false;           // phase 2 (write or read repair) rather than phase 1
    bool extended = false;          // a sloppy quorum already reached past the home replicas
    std::vector<sim::NodeId> home;  // the key's N home replicas
    std::set<sim::NodeId> asked, answered;
    ReplicaReadReply newest;  // phase 1's newest answer
    Version version;          // phase 2's
    std::string value;        // phase 2's
    sim::TimerId timer;
  };

  void start(sim::Context& ctx, const sim::Message& request);
  void read_phase(sim::Context& ctx, uint64_t id, Operation& op);
  void write_phase(sim::Context& ctx, uint64_t id, Operation& op, std::string value,
                   Version version);
  void on_read_reply(sim::Context& ctx, const ReplicaReadReply& reply, sim::NodeId from);
  void on_write_ack(sim::Context& ctx, const ReplicaWriteAck& ack, sim::NodeId from);
  void on_phase_timeout(sim::Context& ctx, uint64_t id);
  void finish(sim::Context& ctx, uint64_t id, const std::string& status, const std::string& value);

  void store(sim::Context& ctx, const std::string& key, const std::string& value, Version version);
  StoredValue stored(sim::Context& ctx, const std::string& key) const;
  void hand_off(sim::Context& ctx);

  DynamoOptions options_;
  std::unique_ptr<ring::Placement> placement_;
  std::map<uint64_t, Operation> operations_;  // by id; ordered, so iteration is deterministic
};

}  // namespace faultline::protocols::dynamo
