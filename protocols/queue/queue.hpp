#pragma once
// A message queue as the runner sees it ("queue"): brokers "b1" (the primary) and optionally
// "b2" (its mirror), producers "p1".."pN" publishing with publisher confirms, consumers
// "c1".."cN" getting messages and applying each to the "sink".

#include "protocols/protocol.hpp"

namespace faultline::protocols::queue {

ProtocolInfo queue_info();

}  // namespace faultline::protocols::queue
