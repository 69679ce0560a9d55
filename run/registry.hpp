#pragma once
// Maps protocol names in scenarios to the protocols that implement them.

#include <string>
#include <vector>

#include "protocols/protocol.hpp"

namespace faultline::run {

const std::vector<protocols::ProtocolInfo>& protocol_registry();
// nullptr when no protocol has that name.
const protocols::ProtocolInfo* find_protocol(const std::string& name);

}  // namespace faultline::run
