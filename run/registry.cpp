#include "run/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include "protocols/cache/cache.hpp"
#include "protocols/counter/kv_counter.hpp"
#include "protocols/counter/redis_counter.hpp"
#include "protocols/dynamo/dynamo.hpp"
#include "protocols/locks/etcd_lock.hpp"
#include "protocols/locks/lease_lock.hpp"
#include "protocols/locks/redlock.hpp"
#include "protocols/locks/zk_lock.hpp"
#include "protocols/paxos/multi_paxos.hpp"
#include "protocols/paxos/paxos.hpp"
#include "protocols/queue/queue.hpp"
#include "protocols/raft/raft.hpp"
#include "protocols/saga/saga.hpp"
#include "protocols/threepc/three_phase_commit.hpp"
#include "protocols/twopc/two_phase_commit.hpp"

namespace faultline::run {
namespace {

std::vector<protocols::ProtocolInfo>& registry() {
  static std::vector<protocols::ProtocolInfo> protocols = {
      protocols::locks::lease_lock_info(),
      protocols::locks::redlock_info(),
      protocols::locks::zk_lock_info(),
      protocols::locks::etcd_lock_info(),
      protocols::paxos::paxos_info(),
      protocols::paxos::multi_paxos_info(),
      protocols::raft::raft_info(),
      protocols::twopc::two_phase_commit_info(),
      protocols::threepc::three_phase_commit_info(),
      protocols::saga::saga_info(),
      protocols::dynamo::dynamo_info(),
      protocols::cache::cache_info(),
      protocols::queue::queue_info(),
      protocols::counter::redis_counter_info(),
      protocols::counter::kv_counter_info(),
      protocols::counter::optimistic_lock_info(),
  };
  return protocols;
}

void validate(const protocols::ProtocolInfo& p) {
  const std::string who = "protocol \"" + p.name + "\"";
  if (p.name.empty()) throw std::invalid_argument("a protocol needs a name");
  if (find_protocol(p.name)) throw std::invalid_argument(who + " is registered already");
  if (p.variants.empty()) throw std::invalid_argument(who + " lists no variant");
  if (!p.make) throw std::invalid_argument(who + " has no make function");
  for (const std::string& checker : p.default_checkers) {
    if (std::none_of(p.checkers.begin(), p.checkers.end(),
                     [&](const protocols::CheckerInfo& c) { return c.name == checker; })) {
      throw std::invalid_argument(who + " enables checker \"" + checker +
                                  "\" by default but does not list it");
    }
  }
}

}  // namespace

const std::vector<protocols::ProtocolInfo>& protocol_registry() {
  return registry();
}

const protocols::ProtocolInfo* find_protocol(const std::string& name) {
  for (const auto& info : registry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

void register_protocol(protocols::ProtocolInfo protocol) {
  validate(protocol);
  registry().push_back(std::move(protocol));
}

}  // namespace faultline::run
