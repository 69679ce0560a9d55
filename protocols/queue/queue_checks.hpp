#pragma once
// How a queue run is judged at its end, from the ghost (ghost.hpp): what the producers had
// confirmed, and what the sink applied. Each checker returns findings named after it.
//
//   confirmed-consumed  no confirmed message lost: every message whose publish the producer saw
//                       confirmed is applied at least once, all of them within `bound` once no
//                       fault is in force (bounded liveness, protocols/liveness.hpp: the
//                       consumers drain the queue after the faults heal);
//   applied-once        no message's effect applied twice at the sink;
//   producer-order      each producer's confirmed messages are first applied in the order it
//                       published them (a producer publishes its next message only once the last
//                       is confirmed or given up on, so this is the queue's order for them);
//   linearizable        (auto-ack only) the queue history below is linearizable.

#include <optional>
#include <vector>

#include "base/finding.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/queue/ghost.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::queue {

std::optional<Finding> check_confirmed_consumed(const sim::World& world, const QueueGhost& ghost,
                                                sim::Duration bound);
// The earliest message applied a second time, and how many were.
std::optional<Finding> check_applied_once(const QueueGhost& ghost);
std::optional<Finding> check_producer_order(const QueueGhost& ghost);

}  // namespace faultline::protocols::queue
