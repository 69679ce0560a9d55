#pragma once
// A step service's durable state and the three things a saga asks of it (Garcia-Molina & Salem
// §2; the semantic lock countermeasure after Richardson, "Microservices Patterns" §4.3.2):
//   apply       reserve one unit (flight seat, hotel room, car), add a travel credit, or charge;
//   compensate  undo an applied step semantically (release the unit, withdraw the credit, refund);
//   confirm     after the pivot, make a reservation or credit final (a retriable step).
// Every answer is synced to disk before it is returned. Shared by both styles of saga: the
// orchestrated services call it from a request, the choreographed ones from an event.

#include <cstdint>
#include <map>
#include <string>

#include "protocols/saga/messages.hpp"
#include "protocols/saga/saga_ghost.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::saga {

struct LedgerOptions {
  bool inventory = true;        // reservations against `capacity`; false: a payment service
  int64_t capacity = 10;        // units this service can hold at once
  int64_t initial_balance = 0;  // every customer's balance before the first step (payment)
  // Idempotent by request id: a repeated apply returns the recorded answer. Off (the bug
  // "non-idempotent-retry"): every apply that arrives is carried out.
  bool remember_requests = true;
  // A compensation that arrives before its step writes a tombstone, so that the step, arriving
  // late, is refused. Off (the bug "no-tombstones"): the late step is applied and never undone.
  bool tombstones = true;
  // A credit stays pending, spendable only by its own saga, until confirmed after the pivot (a
  // semantic lock). Off (the bug "dirty-read"): it is spendable by anyone at once, and its
  // compensation may take back money another saga has already spent.
  bool pending_credits = true;
};

class StepLedger {
 public:
  StepLedger(LedgerOptions options, SagaGhost& ghost) : options_(options), ghost_(&ghost) {}

  // "applied", "refused", "compensated" or "confirmed"; durable when returned.
  std::string handle(sim::Context& ctx, const StepCommand& command);

 private:
  std::string apply(sim::Context& ctx, const StepCommand& c, const std::string& key);
  std::string compensate(sim::Context& ctx, const StepCommand& c, const std::string& key);
  std::string confirm(sim::Context& ctx, const StepCommand& c, const std::string& key);

  int64_t quantity(sim::Context& ctx, const std::string& key, int64_t fallback) const;
  void set_held(sim::Context& ctx, int64_t held, const std::string& cause);
  void set_balance(sim::Context& ctx, const std::string& customer, int64_t value,
                   const std::string& cause);
  // Pending credits of `saga` for `customer` (the ones its own charge may spend).
  int64_t pending_of(sim::Context& ctx, const std::string& saga) const;

  LedgerOptions options_;
  SagaGhost* ghost_;
};

}  // namespace faultline::protocols::saga
