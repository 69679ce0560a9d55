#pragma once
// An orchestrated saga's step service (flight, hotel, car, payment): it answers each StepCommand
// from its ledger, after the answer is on disk.

#include "protocols/saga/step_ledger.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::saga {

class StepService : public sim::Node {
 public:
  StepService(LedgerOptions options, SagaGhost& ghost) : ledger_(options, ghost) {}
  void on_message(sim::Context& ctx, const sim::Message& message) override {
    if (const auto* command = message.payload.as<StepCommand>()) {
      ctx.reply(message, StepReply{command->saga, command->step, ledger_.handle(ctx, *command)});
    }
  }

 private:
  StepLedger ledger_;
};

}  // namespace faultline::protocols::saga
