#pragma once
// A Dynamo-style key-value store on a ring (protocols/dynamo/dynamo_node.hpp), judged by the
// linearizability of its clients' gets and puts.

#include "protocols/protocol.hpp"

namespace faultline::protocols::dynamo {

ProtocolInfo dynamo_info();

}  // namespace faultline::protocols::dynamo
