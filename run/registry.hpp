#pragma once
// Maps protocol names in scenarios to the protocols that implement them: the built-in families,
// and any a program registers at run time (a user's own protocol, tested with everything the
// built-in ones have: scenario files naming it, run, explore, shrink, replay, reports).

#include <string>
#include <vector>

#include "protocols/protocol.hpp"

namespace faultline::run {

// Every protocol: the built-in ones, then the registered ones in registration order.
const std::vector<protocols::ProtocolInfo>& protocol_registry();
// nullptr when no protocol has that name.
const protocols::ProtocolInfo* find_protocol(const std::string& name);

// Adds a protocol. Call it before running anything (at the start of main): the registry is not
// locked, and a registration moves the others. Throws std::invalid_argument when the name is
// taken, or when the protocol has no variants, no `make`, or a default checker it does not list.
void register_protocol(protocols::ProtocolInfo protocol);

}  // namespace faultline::run
