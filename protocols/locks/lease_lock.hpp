#pragma once
// The lease lock protocol as the runner sees it: one lock server ("lock"), the protected storage
// ("storage") and N clients ("client1".."clientN") running the Kleppmann workload.
// Variants: "fenced" (the storage rejects stale tokens) and "unfenced" (it does not), and two
// Redis snippets tutorials copy: "set-without-nx" and "unconditional-release".

#include "protocols/protocol.hpp"

namespace faultline::protocols::locks {

ProtocolInfo lease_lock_info();

}  // namespace faultline::protocols::locks
