#pragma once
// A ZooKeeper-like coordination server, one node (Hunt et al., "ZooKeeper: wait-free coordination
// for Internet-scale systems", USENIX ATC 2010, sections 2.1-2.3): sessions kept alive by client
// pings and expired by the server's own monotonic clock; ephemeral znodes that die with their
// session; sequential znodes named with a per-parent counter; one-shot watches; and the zxid that
// numbers every change. Its state is synced to disk before each reply, as ZooKeeper logs every
// transaction; sessions survive a restart, their timeouts counted again from the restart.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/node.hpp"

namespace faultline::protocols::locks {

// Counted by the harness outside the server, so the herd-effect figures survive its crashes.
struct ZkCounters {
  uint64_t notifications = 0;      // watch events sent
  uint64_t children_requests = 0;  // getChildren calls served
  uint64_t deletes = 0;            // lock nodes deleted (releases and session expiries)
};

struct Znode {
  std::string name;
  uint64_t czxid = 0;
  uint64_t session = 0;  // owner of an ephemeral node; 0 for a persistent one
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Znode, name, czxid, session)

struct ZkSession {
  uint64_t id = 0;
  int64_t timeout_ns = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkSession, id, timeout_ns)

// The whole state as logged (one record: the toy's snapshot stands for ZooKeeper's txn log).
struct ZkSnapshot {
  static constexpr const char* kName = "ZkSnapshot";
  uint64_t zxid = 0;
  uint64_t last_session = 0;
  std::map<std::string, uint64_t> sequence;  // per parent
  std::map<std::string, std::vector<Znode>> children;
  std::vector<ZkSession> sessions;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkSnapshot, zxid, last_session, sequence, children, sessions)

class ZkServer : public sim::Node {
 public:
  ZkServer(sim::Duration tick, ZkCounters& counters) : tick_(tick), counters_(&counters) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  bool fingerprint_state(sim::StateHasher& hasher) const override;  // lock_fingerprint.cpp

 private:
  struct Live {
    int64_t timeout_ns = 0;
    int64_t last_seen_ns = 0;  // monotonic
    sim::NodeId client = sim::kNoNode;
  };
  struct Watch {
    uint64_t session = 0;
    sim::NodeId client = sim::kNoNode;
  };

  void handle_create(sim::Context& ctx, const sim::Message& message);
  void handle_get_children(sim::Context& ctx, const sim::Message& message);
  void handle_exists(sim::Context& ctx, const sim::Message& message);
  void handle_delete(sim::Context& ctx, const sim::Message& message);
  bool remove_node(sim::Context& ctx, const std::string& path);
  void add_watch(std::vector<Watch>& watches, uint64_t session, sim::NodeId client);
  void fire(sim::Context& ctx, std::map<std::string, std::vector<Watch>>& watches,
            const std::string& path);
  void expire_sessions(sim::Context& ctx);
  void persist(sim::Context& ctx);
  bool touch(sim::Context& ctx, uint64_t session, sim::NodeId from);
  // The session's validity as an interval of the trace; observation only.
  void trace_session(sim::Context& ctx, uint64_t session) const;

  sim::Duration tick_;
  ZkCounters* counters_;
  ZkSnapshot state_;
  std::map<uint64_t, Live> live_;
  std::map<std::string, std::vector<Watch>> node_watches_;   // exists watches, by path
  std::map<std::string, std::vector<Watch>> child_watches_;  // getChildren watches, by parent
};

}  // namespace faultline::protocols::locks
