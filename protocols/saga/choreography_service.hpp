#pragma once
// A step service of the choreographed saga: no orchestrator tells it what to do; it reacts to the
// events of the step before it ("<previous>.done", or "trip.requested" for the first step) by
// applying its own step and publishing "<step>.done" or "<step>.failed"; to the failure or undoing
// of the step after it by compensating its own and publishing "<step>.undone"; and, a reservation,
// to "charge.done" (the pivot) by confirming. The effect, the event it causes and the mark that
// the delivery was handled are synced together (a transactional outbox) before the delivery is
// acknowledged, and the outbox is published until the broker acknowledges it.

#include <string>

#include "protocols/saga/step_ledger.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::saga {

struct ChoreographyOptions {
  std::string step;      // "flight", "hotel", "car", or "charge" (the payment service)
  std::string previous;  // the step before ("" for the first)
  std::string next;      // the step after ("" for the charge)
  // Deliveries are recognised by event id and handled once. Off (the bug
  // "non-idempotent-consumer"): a redelivered event is handled again.
  bool deduplicate = true;
  sim::Duration publish_retry = sim::milliseconds(100);
};

class ChoreographyService : public sim::Node {
 public:
  ChoreographyService(ChoreographyOptions options, LedgerOptions ledger, SagaGhost& ghost)
      : options_(std::move(options)), ledger_(ledger, ghost) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  bool fingerprint_state(sim::StateHasher& hasher) const override;  // saga_fingerprint.cpp
  // Every event it decided on has reached the broker.
  bool drained() const { return outbox_empty_; }

 private:
  // The event this delivery causes, if any (topic empty: none).
  SagaEvent react(sim::Context& ctx, const SagaEvent& event);
  void publish_outbox(sim::Context& ctx);

  ChoreographyOptions options_;
  StepLedger ledger_;
  bool outbox_empty_ = true;
};

}  // namespace faultline::protocols::saga
