// A saga step service's durable state: Garcia-Molina & Salem, "Sagas" (SIGMOD 1987) §2 (steps and
// their compensations) and §7 (a compensation that runs before its step); Richardson,
// "Microservices Patterns" §4.3 (idempotent handlers, the semantic lock countermeasure).
#include "protocols/saga/step_ledger.hpp"

#include <algorithm>

namespace faultline::protocols::saga {
namespace {
const std::string kHeld = "held";
std::string request_key(const std::string& saga, const std::string& step) {
  return "req/" + saga + "/" + step;
}
std::string balance_key(const std::string& customer) {
  return "balance/" + customer;
}
}  // namespace

int64_t StepLedger::quantity(sim::Context& ctx, const std::string& key, int64_t fallback) const {
  const auto* q = ctx.storage().get<Quantity>(key);
  return q ? q->value : fallback;
}

void StepLedger::set_held(sim::Context& ctx, int64_t held, const std::string& cause) {
  ctx.storage().put(kHeld, Quantity{held});
  ghost_->units(ctx, held, options_.capacity, cause);
}

void StepLedger::set_balance(sim::Context& ctx, const std::string& customer, int64_t value,
                             const std::string& cause) {
  ctx.storage().put(balance_key(customer), Quantity{value});
  ghost_->balance(ctx, customer, value, cause);
}

int64_t StepLedger::pending_of(sim::Context& ctx, const std::string& saga) const {
  const auto* credit = ctx.storage().get<RequestRecord>(request_key(saga, "credit"));
  return credit && credit->state == "applied" ? credit->pending : 0;
}

std::string StepLedger::handle(sim::Context& ctx, const StepCommand& command) {
  const std::string key = request_key(command.saga, command.step);
  std::string outcome;
  if (command.op == "apply") {
    outcome = apply(ctx, command, key);
  } else if (command.op == "compensate") {
    outcome = compensate(ctx, command, key);
  } else {
    outcome = confirm(ctx, command, key);
  }
  // The answer is a promise: it must survive a crash before it leaves.
  ctx.storage().sync();
  return outcome;
}

std::string StepLedger::apply(sim::Context& ctx, const StepCommand& c, const std::string& key) {
  sim::Storage& disk = ctx.storage();
  if (const auto* seen = disk.get<RequestRecord>(key); seen && options_.remember_requests) {
    // A retry or a late copy: the same answer again. A step compensated (or tombstoned) before
    // it arrived stays refused: the saga has moved on without it.
    return seen->state == "applied" || seen->state == "confirmed" ? "applied" : "refused";
  }
  const std::string what = c.step + " for " + c.saga;
  RequestRecord record{"applied", c.customer, c.amount, 0};
  if (options_.inventory) {
    int64_t held = quantity(ctx, kHeld, 0);
    if (held >= options_.capacity) {
      disk.put(key, RequestRecord{"refused", c.customer, c.amount, 0});
      return "refused";
    }
    set_held(ctx, held + 1, "reserve " + what);
  } else if (c.step == "credit") {
    if (options_.pending_credits) {
      record.pending = c.amount;
    } else {
      int64_t balance = quantity(ctx, balance_key(c.customer), options_.initial_balance);
      set_balance(ctx, c.customer, balance + c.amount, what);
    }
  } else {
    int64_t balance = quantity(ctx, balance_key(c.customer), options_.initial_balance);
    int64_t own_pending = options_.pending_credits ? pending_of(ctx, c.saga) : 0;
    if (balance + own_pending < c.amount) {
      disk.put(key, RequestRecord{"refused", c.customer, c.amount, 0});
      return "refused";
    }
    // The saga's own pending credit is spent first; only the rest comes from the balance.
    int64_t from_credit = std::min(own_pending, c.amount);
    if (from_credit > 0) {
      RequestRecord credit = *disk.get<RequestRecord>(request_key(c.saga, "credit"));
      credit.pending -= from_credit;
      disk.put(request_key(c.saga, "credit"), credit);
    }
    set_balance(ctx, c.customer, balance - (c.amount - from_credit), what);
  }
  disk.put(key, record);
  ghost_->step(ctx, c.saga, c.step, checkers::SagaStepKind::applied);
  return "applied";
}

std::string StepLedger::compensate(sim::Context& ctx, const StepCommand& c,
                                   const std::string& key) {
  sim::Storage& disk = ctx.storage();
  const auto* seen = disk.get<RequestRecord>(key);
  if (!seen) {
    // The compensation overtook its step (or the step never arrived): nothing to undo, but the
    // step may still be on its way, and must then be refused.
    if (options_.tombstones) disk.put(key, RequestRecord{"tombstone", c.customer, c.amount, 0});
    return "compensated";
  }
  if (seen->state == "confirmed") return "refused";  // past the pivot: final
  if (seen->state != "applied") return "compensated";
  RequestRecord record = *seen;
  const std::string what = c.step + " for " + c.saga;
  if (options_.inventory) {
    set_held(ctx, quantity(ctx, kHeld, 0) - 1, "release " + what);
  } else {
    int64_t balance = quantity(ctx, balance_key(record.customer), options_.initial_balance);
    if (c.step == "charge") {
      set_balance(ctx, record.customer, balance + record.amount, "refund " + what);
    } else if (!options_.pending_credits) {
      // A compensation cannot be refused: the credit is taken back even if it was spent.
      set_balance(ctx, record.customer, balance - record.amount, "withdraw " + what);
    }
    record.pending = 0;
  }
  record.state = "compensated";
  disk.put(key, record);
  ghost_->step(ctx, c.saga, c.step, checkers::SagaStepKind::compensated);
  return "compensated";
}

std::string StepLedger::confirm(sim::Context& ctx, const StepCommand& c, const std::string& key) {
  sim::Storage& disk = ctx.storage();
  const auto* seen = disk.get<RequestRecord>(key);
  if (!seen || (seen->state != "applied" && seen->state != "confirmed")) return "refused";
  if (seen->state == "confirmed") return "confirmed";
  RequestRecord record = *seen;
  if (!options_.inventory && record.pending > 0) {
    int64_t balance = quantity(ctx, balance_key(record.customer), options_.initial_balance);
    set_balance(ctx, record.customer, balance + record.pending,
                "settle " + c.step + " for " + c.saga);
    record.pending = 0;
  }
  record.state = "confirmed";
  disk.put(key, record);
  ghost_->step(ctx, c.saga, "confirm-" + c.step, checkers::SagaStepKind::applied);
  return "confirmed";
}

}  // namespace faultline::protocols::saga
