#include "run/registry.hpp"

#include "protocols/locks/etcd_lock.hpp"
#include "protocols/locks/lease_lock.hpp"
#include "protocols/locks/redlock.hpp"
#include "protocols/locks/zk_lock.hpp"
#include "protocols/paxos/multi_paxos.hpp"
#include "protocols/paxos/paxos.hpp"
#include "protocols/raft/raft.hpp"
#include "protocols/saga/saga.hpp"
#include "protocols/threepc/three_phase_commit.hpp"
#include "protocols/twopc/two_phase_commit.hpp"

namespace faultline::run {

const std::vector<protocols::ProtocolInfo>& protocol_registry() {
  static const std::vector<protocols::ProtocolInfo> registry = {
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
  };
  return registry;
}

const protocols::ProtocolInfo* find_protocol(const std::string& name) {
  for (const auto& info : protocol_registry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace faultline::run
