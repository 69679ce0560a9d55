#pragma once
// Three-phase commit as the runner sees it ("3pc"): a coordinator ("coordinator"), participants
// "p1".."pN" and one client ("client") running transactions t1..tM one after the other.
// Variants: "quorum" (Skeen's quorum commit with E3PC's ballots: safe under partitions) and
// "plain" (Skeen 1981: non-blocking when nodes only crash, split decisions under partitions).

#include "protocols/protocol.hpp"

namespace faultline::protocols::threepc {

ProtocolInfo three_phase_commit_info();

}  // namespace faultline::protocols::threepc
