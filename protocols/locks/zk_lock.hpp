#pragma once
// The ZooKeeper lock recipe as the runner sees it: one ZooKeeper-like server ("zk"), the storage
// ("storage") and clients ("client1".."clientN"). Variants: "recipe" (watch the predecessor, a
// client id in the node name, the storage checks the zxid token), "unfenced" (the storage does
// not check tokens), "naive-retry" (a create whose reply was lost is sent again) and "herd"
// (every waiter watches the whole children list).

#include "protocols/protocol.hpp"

namespace faultline::protocols::locks {

ProtocolInfo zk_lock_info();

}  // namespace faultline::protocols::locks
