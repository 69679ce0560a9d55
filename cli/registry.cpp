#include "cli/registry.hpp"

#include "protocols/locks/lease_lock.hpp"
#include "protocols/paxos/paxos.hpp"

namespace faultline::cli {

const std::vector<protocols::ProtocolInfo>& protocol_registry() {
  static const std::vector<protocols::ProtocolInfo> registry = {
      protocols::locks::lease_lock_info(),
      protocols::paxos::paxos_info(),
  };
  return registry;
}

const protocols::ProtocolInfo* find_protocol(const std::string& name) {
  for (const auto& info : protocol_registry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace faultline::cli
