#pragma once
// Ghost state of a saga run, kept by the harness outside the nodes so that it survives their
// crashes: what each step service actually applied and compensated (not what a coordinator
// believed), the quantities the workload's semantic invariants bound (units held against
// capacity, balances), and the plan of every saga begun. Fed to checkers/safety/saga at the end.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "checkers/safety/saga.hpp"
#include "sim/node.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::protocols::saga {

class SagaGhost {
 public:
  void step(sim::Context& ctx, const std::string& saga, const std::string& step,
            checkers::SagaStepKind kind) {
    events_.push_back({saga, step, ctx.name(), kind, ctx.observer_time().ns()});
  }
  // A unit count of an inventory (bounded by its capacity) or a balance (bounded below by 0).
  void units(sim::Context& ctx, int64_t held, int64_t capacity, const std::string& cause) {
    units_.push_back({"units held by " + ctx.name(), held, 0, capacity, ctx.observer_time().ns(),
                      cause, ctx.name()});
  }
  void balance(sim::Context& ctx, const std::string& customer, int64_t value,
               const std::string& cause) {
    balances_.push_back({"balance of " + customer, value, 0, INT64_MAX, ctx.observer_time().ns(),
                         cause, ctx.name()});
  }
  void begin(const std::string& owner, checkers::SagaPlan plan) {
    if (begun_.insert(plan.saga).second) plans_.push_back({owner, std::move(plan)});
  }
  void ended(bool done) { ++(done ? done_ : compensated_); }
  // What the checkers' verdicts can depend on, for the search's fingerprint
  // (sim::World::add_ghost_state; saga_fingerprint.cpp).
  void hash(sim::StateHasher& hasher) const;

  struct Begun {
    std::string owner;  // the orchestrator or client that began it
    checkers::SagaPlan plan;
  };
  const std::vector<checkers::SagaStepEvent>& events() const { return events_; }
  const std::vector<checkers::QuantitySample>& units() const { return units_; }
  const std::vector<checkers::QuantitySample>& balances() const { return balances_; }
  const std::vector<Begun>& plans() const { return plans_; }
  int64_t done() const { return done_; }
  int64_t compensated() const { return compensated_; }
  // True times at which a saga ended (either way), progress for bounded liveness.
  std::vector<int64_t>& ends_at_ns() { return ends_at_ns_; }
  const std::vector<int64_t>& ends_at_ns() const { return ends_at_ns_; }

 private:
  std::vector<checkers::SagaStepEvent> events_;
  std::vector<checkers::QuantitySample> units_;
  std::vector<checkers::QuantitySample> balances_;
  std::vector<Begun> plans_;
  std::set<std::string> begun_;
  int64_t done_ = 0;
  int64_t compensated_ = 0;
  std::vector<int64_t> ends_at_ns_;
};

}  // namespace faultline::protocols::saga
