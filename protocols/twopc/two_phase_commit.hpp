#pragma once
// Two-phase commit as the runner sees it ("2pc"): a coordinator ("coordinator"), participants
// "p1".."pN" and one client ("client") running transactions t1..tM one after the other.

#include "protocols/protocol.hpp"

namespace faultline::protocols::twopc {

ProtocolInfo two_phase_commit_info();

}  // namespace faultline::protocols::twopc
