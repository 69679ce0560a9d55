// The ZooKeeper lock recipe's client (ZooKeeper Recipes and Solutions, "Locks"); see
// zk_lock_client.hpp.
#include "protocols/locks/zk_lock_client.hpp"

#include <optional>

#include "protocols/client_operation.hpp"
#include "protocols/locks/lock_intervals.hpp"
#include "protocols/locks/messages.hpp"
#include "sim/retry.hpp"

namespace faultline::protocols::locks {
namespace {

// One client's view of its session and its lock node.
struct ZkLockClient {
  sim::Process& co;
  const ZkClientOptions& options;
  sim::NodeId server;
  uint64_t session = 0;
  std::string node;  // our child's name, once created
  uint64_t token = 0;

  // The session as this client counts it, drawn in the trace: alive until a session timeout
  // after the server last said so (a connect, a live pong, a create), since the server expires it
  // no sooner; over once the server says it has expired. Observation only.
  void heard_alive() {
    co.ctx().hold_interval(session_interval(session), co.now() + options.session_timeout);
  }
  void heard_expired() { co.ctx().end_interval(session_interval(session)); }

  bool ping() {
    auto reply = co.call(server, ZkPing{session}, options.call_timeout);
    const auto* pong = reply ? reply->payload.as<ZkPong>() : nullptr;
    if (!pong) return true;  // no answer yet is not an expiry
    if (pong->alive) {
      heard_alive();
    } else {
      heard_expired();
    }
    return pong->alive;
  }

  // Calls the server until `done` accepts a reply, `backoff` apart (zero: at each timeout): the
  // client cannot go on without the answer.
  std::optional<sim::Message> until_answered(const sim::Payload& request, sim::Duration backoff,
                                             bool (*done)(const sim::Message&)) {
    sim::RetryTargets only({server}, 0);
    return only.call(co, request, sim::RetryPolicy::until_answered(options.call_timeout, backoff),
                     [done](const std::optional<sim::Message>& reply) {
                       return reply && done(*reply) ? sim::RetryStep::done()
                                                    : sim::RetryStep::next();
                     });
  }

  void connect() {
    auto reply = until_answered(ZkConnect{options.session_timeout.ns()}, options.ping_interval,
                                [](const sim::Message& m) { return m.payload.is<ZkConnected>(); });
    session = reply->payload.as<ZkConnected>()->session;
    heard_alive();
  }

  std::optional<ZkChildren> children(bool watch) {
    auto reply = co.call(server, ZkGetChildren{session, options.lock, watch}, options.call_timeout);
    if (!reply) return std::nullopt;
    const auto* list = reply->payload.as<ZkChildren>();
    return list ? std::optional<ZkChildren>(*list) : std::nullopt;
  }

  // Step 1, with the recipe's guard against a lost reply: the name carries a client id, and
  // before creating again the client looks for a child bearing it.
  bool create(uint64_t guid) {
    std::string prefix = options.naive_retry ? "lock-" : "lock-" + std::to_string(guid) + "-";
    while (true) {
      auto reply = co.call(server, ZkCreate{session, options.lock, prefix, true, true},
                           options.call_timeout);
      if (reply) {
        const auto* created = reply->payload.as<ZkCreated>();
        if (!created || !created->ok) {  // session expired
          heard_expired();
          return false;
        }
        heard_alive();
        node = created->name;
        token = created->czxid;
        return true;
      }
      co.note("create: connection loss");
      if (options.naive_retry) continue;
      // Look until the server answers: creating again before knowing would risk an orphan.
      std::optional<ZkChildren> list;
      while (!(list = children(false))) {
        if (!ping()) return false;
      }
      for (size_t i = 0; i < list->names.size(); ++i) {
        if (list->names[i].rfind(prefix, 0) == 0) {
          node = list->names[i];
          token = list->czxids[i];
          return true;
        }
      }
      // Not there: the create itself was lost, not its reply; create again.
    }
  }

  // Waits for a watch event or one ping interval, pinging; false when the session expired. The
  // caller looks again either way: a watch is lost with a lost event or a server restart.
  bool wait_for_event() {
    if (co.receive(options.ping_interval)) return true;
    return ping();
  }

  // Steps 2-3; false when the session expired before the lock was ours.
  bool wait_until_lowest() {
    while (true) {
      auto list = children(options.watch_parent);
      if (!list) {
        if (!ping()) return false;
        continue;
      }
      // Sequential names sort by their 10-digit suffix.
      auto seq = [](const std::string& name) { return name.substr(name.size() - 10); };
      std::optional<std::string> predecessor;
      bool mine_found = false;
      for (const std::string& name : list->names) {
        if (name == node) mine_found = true;
        if (seq(name) < seq(node) && (!predecessor || seq(*predecessor) < seq(name))) {
          predecessor = name;
        }
      }
      if (!mine_found) {  // our ephemeral node died with the session
        heard_expired();
        return false;
      }
      if (!predecessor) return true;
      if (!options.watch_parent) {
        auto reply = co.call(server, ZkExists{session, options.lock + "/" + *predecessor, true},
                             options.call_timeout);
        const auto* exists = reply ? reply->payload.as<ZkExistsResult>() : nullptr;
        if (!exists || !exists->exists) continue;
      }
      if (!wait_for_event()) return false;
    }
  }

  // Works `compute` in slices, pinging before each, as a client's heartbeat thread would.
  void compute_pinging(sim::Duration compute) {
    while (compute > sim::Duration{}) {
      ping();
      sim::Duration slice = std::min(compute, options.ping_interval);
      co.sleep(slice);
      compute -= slice;
    }
  }
};

}  // namespace

void run_zk_lock_client(sim::Process& co, const ZkClientOptions& options, sim::NodeId server,
                        sim::NodeId storage, LockGhost& ghost) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  ZkLockClient client{co, options, server};
  client.connect();
  ClientOperations ops(co);
  for (int round = 0; round < options.rounds;) {
    ops.invoke("acquire", options.lock);
    if (!client.create(co.random(uint64_t(1) << 62)) || !client.wait_until_lowest()) {
      ops.fail("acquire", "session expired");
      client.connect();  // a new session; the old one's node is gone with it
      continue;
    }
    ops.ok("acquire", client.token);
    Holding holding(ghost, co.ctx(), options.lock, client.token);
    auto read = co.call(storage, Read{options.resource}, options.call_timeout);
    int64_t value = 0;
    if (read) {
      if (const auto* result = read->payload.as<ReadResult>()) value = result->value;
    }
    client.compute_pinging(options.compute);
    ops.invoke("write", value + 1);
    auto written =
        co.call(storage, Write{options.resource, value + 1, client.token}, options.call_timeout);
    const auto* result = written ? written->payload.as<WriteResult>() : nullptr;
    ops.record(written_outcome(result), "write", value + 1);
    holding.end(co.ctx());
    // Until the server answers: a delete lost on the way would leave our node blocking all.
    client.until_answered(ZkDelete{options.lock + "/" + client.node}, {},
                          [](const sim::Message&) { return true; });
    ops.ok("release", client.token);
    ++round;
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::locks
