#pragma once
// Sagas as the runner sees them ("saga"): step services "flight", "hotel", "car" and "payment";
// orchestrated, orchestrators "o1".."oN" booking trips one after the other; choreographed, a
// "broker" and trip clients "c1".."cN" whose requests the services carry forward by events.

#include "protocols/protocol.hpp"

namespace faultline::protocols::saga {

ProtocolInfo saga_info();

}  // namespace faultline::protocols::saga
