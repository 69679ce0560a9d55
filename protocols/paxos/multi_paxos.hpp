#pragma once
// Multi-Paxos replicating a key-value store, as the runner sees it: servers "s1".."sN" (each a
// proposer, acceptor and learner) and kv clients "client1".."clientM".
// Variants: "correct", "forget-promise-on-restart", "trust-own-log", "leader-local-reads".

#include "protocols/protocol.hpp"

namespace faultline::protocols::paxos {

ProtocolInfo multi_paxos_info();

}  // namespace faultline::protocols::paxos
