#pragma once
// Single-decree Paxos as the runner sees it: acceptors "a1".."aN", proposers "p1".."pM" (proposer
// i wants value "vi" chosen and starts (i-1) * stagger after boot) and learners "l1".."lK".
// Variants: "correct", "forget-promise-on-restart", "ignore-highest-accepted", "fixed-retry".

#include "protocols/protocol.hpp"

namespace faultline::protocols::paxos {

ProtocolInfo paxos_info();

}  // namespace faultline::protocols::paxos
