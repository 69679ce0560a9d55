// The lock family's handler nodes as the exhaustive search sees them
// (sim::Node::fingerprint_state): the lease lock server (alone, and as each of Redlock's
// instances), the ZooKeeper-like server and the protected storage. Each feeds every member its next
// reply, send or expiry can depend on, so that two orders of inputs that leave it the same are one
// state. Left out everywhere: options fixed at construction, the harness's counters and ghost (the
// ghost's verdict-bearing part is hashed by the world, add_lock_observers), and what only names a
// bar of the trace. The lock clients run on fibers and keep the world's chain of their inputs.
// etcd's servers are Raft's (raft_fingerprint.cpp).
//
// Times are readings of the node's own clock (a lease's deadline, a session's last ping), fed as
// times: the untimed world hashes the node's clock beside them, so together they say how long is
// left. The timed search could not use them as they are, since its fingerprint holds no absolute
// time; it tells states apart by each node's chain of inputs (World::timed_fingerprint).
#include "protocols/locks/lease_lock_server.hpp"
#include "protocols/locks/protected_resource.hpp"
#include "protocols/locks/zk_server.hpp"

namespace faultline::protocols::locks {

bool LeaseLockServer::fingerprint_state(sim::StateHasher& h) const {
  // A lease's expiry decides whether an Acquire is granted or denied (and what the Denied says);
  // its owner whether a Release deletes it; last_token_ the next grant's token. Left out: a
  // record's `holder`, which names the grant's bar only, and grant_labels_, the bars themselves.
  h.add_range(leases_, [](sim::StateHasher& s, const auto& entry) {
    const LeaseRecord& lease = entry.second;
    s.add(entry.first).add(lease.owner).add(lease.token);
    s.add(sim::LocalTime::from_ns(lease.expires_at_ns));
  });
  h.add(last_token_);
  return true;
}

bool ZkServer::fingerprint_state(sim::StateHasher& h) const {
  const auto watch = [](sim::StateHasher& w, const Watch& one) {
    w.add(one.session).add(one.client);
  };
  // Each path's watches in the order they fire, which is the order their events are sent.
  const auto watches = [&watch](sim::StateHasher& s, const auto& entry) {
    s.add(entry.first).add_range(entry.second, watch);
  };
  h.add(state_.zxid).add(state_.last_session);
  h.add_range(state_.sequence,
              [](sim::StateHasher& s, const auto& entry) { s.add(entry.first).add(entry.second); });
  // Children in creation order: getChildren answers in it, and the recipe's lowest holds.
  h.add_range(state_.children, [](sim::StateHasher& s, const auto& entry) {
    s.add(entry.first).add_range(entry.second, [](sim::StateHasher& z, const Znode& node) {
      z.add(node.name).add(node.czxid).add(node.session);
    });
  });
  // state_.sessions is left out: persist() rebuilds it from live_ before each write, and only a
  // restart reads it, from storage (which the world hashes).
  h.add_range(live_, [](sim::StateHasher& s, const auto& entry) {
    const Live& live = entry.second;
    s.add(entry.first).add(sim::nanoseconds(live.timeout_ns));
    s.add(sim::LocalTime::from_ns(live.last_seen_ns)).add(live.client);
  });
  h.add_range(node_watches_, watches).add_range(child_watches_, watches);
  return true;
}

bool ProtectedResource::fingerprint_state(sim::StateHasher& h) const {
  // A Read answers the value; a fenced Write is judged against the highest token, and its reply
  // carries it either way.
  h.add_range(cells_, [](sim::StateHasher& s, const auto& entry) {
    s.add(entry.first).add(entry.second.value).add(entry.second.highest_token);
  });
  return true;
}

}  // namespace faultline::protocols::locks
