#pragma once
// An orchestrated saga's step service (flight, hotel, car, payment): it answers each StepCommand
// from its ledger, after the answer is on disk.

#include <string>

#include "protocols/saga/step_ledger.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::saga {

class StepService : public sim::Node {
 public:
  StepService(LedgerOptions options, SagaGhost& ghost) : ledger_(options, ghost) {}
  void on_message(sim::Context& ctx, const sim::Message& message) override {
    if (const auto* command = message.payload.as<StepCommand>()) {
      std::string outcome = ledger_.handle(ctx, *command);
      // Fault site: the step is applied and its answer lost. The orchestrator cannot tell
      // whether it was applied and retries with the same request id, which an idempotent
      // service answers from its ledger.
      if (ctx.buggify(0.1)) return;
      ctx.reply(message, StepReply{command->saga, command->step, outcome});
    }
  }
  bool fingerprint_state(sim::StateHasher& hasher) const override;  // saga_fingerprint.cpp

 private:
  StepLedger ledger_;
};

}  // namespace faultline::protocols::saga
