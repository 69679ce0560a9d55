#pragma once
// The effect ledger the consumers apply messages to (a database row per message, a payment, an
// email sent). An idempotent consumer's Apply (`once`) records the message id in the same
// transaction as the effect and skips an id it has recorded; a non-idempotent one is applied every
// time it arrives. Each application goes into the ghost, where the checkers see a double one.

#include "protocols/queue/ghost.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::queue {

class Sink : public sim::Node {
 public:
  explicit Sink(QueueGhost& ghost) : ghost_(&ghost) {}
  void on_message(sim::Context& ctx, const sim::Message& message) override;

 private:
  QueueGhost* ghost_;
};

}  // namespace faultline::protocols::queue
