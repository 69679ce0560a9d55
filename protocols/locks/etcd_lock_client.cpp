// etcd's lock client (etcd client v3, concurrency/session.go and concurrency/mutex.go); see
// etcd_lock_client.hpp.
#include "protocols/locks/etcd_lock_client.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "protocols/client_operation.hpp"
#include "protocols/kv/lease_expiry.hpp"
#include "protocols/locks/messages.hpp"

namespace faultline::protocols::locks {
namespace {

struct EtcdLockClient {
  sim::Process& co;
  const EtcdLockClientOptions& options;
  kv::KvSession session;
  uint64_t lease = 0;
  sim::LocalTime next_keepalive;

  // Until a server answers: an unanswered command retried with its number is applied once.
  kv::ClientReply execute(kv::KvCommand command) {
    command = session.next(std::move(command));
    while (true) {
      if (auto reply = session.submit(command, options.ttl)) return *reply;
    }
  }

  // etcd's NewSession: a lease of the TTL, kept alive from now on.
  void grant() {
    kv::KvCommand command;
    command.f = "lease-grant";
    command.ttl_ns = options.ttl.ns();
    lease = execute(command).lease;
    next_keepalive = co.now() + options.keepalive_interval;
    believe_alive();
  }

  // The lease as the session counts it, drawn in the trace: a TTL from the last answer that kept
  // it (etcd's client sets its deadline on each keepalive response). Observation only.
  void believe_alive() {
    co.ctx().hold_interval(kv::lease_interval(lease), co.now() + options.ttl);
  }
  void believe_gone() { co.ctx().end_interval(kv::lease_interval(lease)); }

  // A keepalive if one is due; false once the lease is gone (etcd closes the session's Done).
  bool keepalive_if_due() {
    if (co.now() < next_keepalive) return true;
    kv::KvCommand command;
    command.f = "lease-keepalive";
    command.lease = lease;
    next_keepalive = co.now() + options.keepalive_interval;
    const bool alive = execute(command).succeeded;
    if (alive) {
      believe_alive();
    } else {
      believe_gone();
    }
    return alive;
  }

  // Sleeps `d` in slices, keeping the lease alive as the session's background loop would.
  bool sleep_keeping_alive(sim::Duration d) {
    bool alive = true;
    while (d > sim::Duration{}) {
      alive = keepalive_if_due() && alive;
      sim::Duration slice = std::min(d, std::max(next_keepalive - co.now(), sim::microseconds(1)));
      co.sleep(slice);
      d -= slice;
    }
    return alive;
  }

  std::string my_key() const {
    char id[24];
    std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(lease));
    return options.prefix + id;
  }

  // A linearizable read (Raft's ReadIndex, no log entry): whether our own key still exists (only
  // we create it, so it cannot have been deleted and created again behind our back). Lock keys
  // hold their owner's name, never "".
  bool exists(const std::string& key) {
    kv::KvCommand get;
    get.f = "get";
    get.key = key;
    return !execute(get).value.empty();
  }

  // Mutex.Lock: the key's create revision once no key under the prefix has a lower one; nullopt
  // when the lease expired first.
  std::optional<uint64_t> lock() {
    kv::KvCommand create;
    create.f = "put-if-absent";
    create.key = my_key();
    create.value = co.ctx().name();
    create.lease = lease;
    kv::ClientReply created = execute(create);
    if (created.create_revision == 0) return std::nullopt;  // the lease is gone
    // waitDeletes: while some key was created before ours, wait for it to go. etcd watches the
    // predecessor for its delete event; we ask again every poll_interval. Reading the
    // predecessor's key would not do: its owner may release and create it again (a new create
    // revision, behind us) between two reads, which a watch sees and a read does not.
    kv::KvCommand ahead;
    ahead.f = "last-created-below";
    ahead.key = options.prefix;
    ahead.below = created.create_revision;
    while (!execute(ahead).key.empty()) {
      if (!sleep_keeping_alive(options.poll_interval)) return std::nullopt;
    }
    // As etcd's Lock does: our key may have gone with the lease while we waited.
    if (!exists(create.key)) return std::nullopt;
    return created.create_revision;
  }

  void unlock() {
    kv::KvCommand remove;
    remove.f = "delete";
    remove.key = my_key();
    execute(remove);
  }
};

}  // namespace

void run_etcd_lock_client(sim::Process& co, const EtcdLockClientOptions& options,
                          const std::vector<sim::NodeId>& servers, sim::NodeId storage,
                          LockGhost& ghost) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  // A session id per incarnation, drawn from the seed: a restarted client starts a new one.
  EtcdLockClient client{
      co, options, kv::KvSession(co, servers, co.random(uint64_t(1) << 62) + 1, options.timeouts)};
  client.grant();
  ClientOperations ops(co);
  for (int round = 0; round < options.rounds;) {
    ops.invoke("acquire", options.prefix);
    std::optional<uint64_t> token = client.lock();
    if (!token) {
      ops.fail("acquire", "lease expired");
      client.believe_gone();
      client.grant();
      continue;
    }
    ops.ok("acquire", *token);
    Holding holding(ghost, co.ctx(), options.prefix, *token);
    auto read = co.call(storage, Read{options.resource}, options.timeouts.call_timeout);
    int64_t value = 0;
    if (read) {
      if (const auto* result = read->payload.as<ReadResult>()) value = result->value;
    }
    // A failed keepalive here goes unnoticed, as in code that takes etcd's Mutex and works.
    client.sleep_keeping_alive(options.compute);
    ops.invoke("write", value + 1);
    auto written =
        co.call(storage, Write{options.resource, value + 1, *token}, options.timeouts.call_timeout);
    const auto* result = written ? written->payload.as<WriteResult>() : nullptr;
    ops.record(written_outcome(result), "write", value + 1);
    holding.end(co.ctx());
    client.unlock();
    ops.ok("release", *token);
    ++round;
    if (!client.sleep_keeping_alive(options.think)) client.grant();
  }
  kv::KvCommand revoke;  // Session.Close
  revoke.f = "lease-revoke";
  revoke.lease = client.lease;
  client.execute(revoke);
  client.believe_gone();
}

}  // namespace faultline::protocols::locks
