// Sagas (Garcia-Molina & Salem, SIGMOD 1987), orchestrated and choreographed: the harness that
// builds the nodes, keeps the ghost record of what the services did, and judges the run.
#include "protocols/saga/saga.hpp"

#include <algorithm>

#include "protocols/liveness.hpp"
#include "protocols/saga/broker.hpp"
#include "protocols/saga/choreography_service.hpp"
#include "protocols/saga/orchestrator.hpp"
#include "protocols/saga/saga_params.hpp"
#include "protocols/saga/step_service.hpp"
#include "protocols/saga/trip_client.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::saga {
namespace {

// What a variant changes: which style, and which one mechanism is missing.
struct VariantFlags {
  bool choreographed = false;
  bool durable_log = true;
  bool idempotent_payment = true;
  bool tombstones = true;
  bool pending_credits = true;
};

const VariantTable<VariantFlags>& saga_variants() {
  static const VariantTable<VariantFlags> table({
      {"orchestrated",
       "durable saga log, idempotent services with tombstones, credits pending until confirmed",
       false,
       {}},
      {"choreographed",
       "services react to events over a broker that redelivers until acknowledged; outbox and "
       "idempotent consumers",
       false,
       {.choreographed = true}},
      {"non-idempotent-retry",
       "orchestrated; the payment service charges every request it gets",
       true,
       {.idempotent_payment = false}},
      {"no-tombstones",
       "orchestrated; a compensation that overtakes its step is forgotten, and the late step "
       "applied",
       true,
       {.tombstones = false}},
      {"unlogged-orchestrator",
       "orchestrated; the saga log lives in memory, lost with a crash",
       true,
       {.durable_log = false}},
      {"dirty-read",
       "orchestrated; a travel credit is spendable by any saga at once, and withdrawn by "
       "compensation even if spent",
       true,
       {.pending_credits = false}},
      {"non-idempotent-consumer",
       "choreographed; the payment service handles a redelivered event again",
       true,
       {.choreographed = true, .idempotent_payment = false}},
  });
  return table;
}

class SagaHarness : public Harness {
 public:
  SagaHarness(SagaParams params, VariantFlags flags, std::vector<std::string> checkers)
      : params_(std::move(params)), flags_(flags), checkers_(std::move(checkers)) {}

  void build(sim::World& world) override {
    world_ = &world;
    world.add_sometimes("a saga completes", [this] { return ghost_.done() > 0; });
    world.add_sometimes("a saga is compensated", [this] { return ghost_.compensated() > 0; });
    // Beside the ghost, which owners have finished: quiescence (drained()) reads it, and it
    // outlives an owner's crash, when the owner's node counts as its storage alone (an
    // unlogged orchestrator's is empty, finished or not).
    world.add_ghost_state([this](sim::StateHasher& hasher) {
      ghost_.hash(hasher);
      hasher.add_range(owners_, [this](sim::StateHasher& h, const std::string& owner) {
        auto it = finished_.find(owner);
        h.add(it != finished_.end() && it->second);
      });
    });
    const std::vector<std::pair<std::string, int64_t>> inventories = {
        {"flight", params_.seats}, {"hotel", params_.rooms}, {"car", params_.cars}};
    for (const auto& [name, capacity] : inventories) {
      if (std::find(params_.reservations.begin(), params_.reservations.end(), name) ==
          params_.reservations.end())
        continue;
      LedgerOptions ledger;
      ledger.capacity = capacity;
      ledger.tombstones = flags_.tombstones;
      add_service(world, name, ledger);
    }
    LedgerOptions payment;
    payment.inventory = false;
    payment.initial_balance = params_.balance;
    payment.remember_requests = flags_.idempotent_payment;
    payment.tombstones = flags_.tombstones;
    payment.pending_credits = flags_.pending_credits;
    add_service(world, "payment", payment);
    if (flags_.choreographed) {
      build_choreography(world);
    } else {
      build_orchestration(world);
    }
  }

  std::vector<Finding> check(sim::World& world) override;

  nlohmann::json figures() const override {
    int64_t applied = 0, compensated = 0;
    for (const auto& e : ghost_.events()) {
      ++(e.kind == checkers::SagaStepKind::applied ? applied : compensated);
    }
    nlohmann::json out = {{"sagas_begun", ghost_.plans().size()},
                          {"steps_applied", applied},
                          {"compensations", compensated}};
    if (!flags_.choreographed) {
      out["sagas_done"] = ghost_.done();
      out["sagas_compensated"] = ghost_.compensated();
    }
    return out;
  }

  std::string explain(const Finding& finding) const override;

 private:
  void add_service(sim::World& world, const std::string& name, LedgerOptions ledger) {
    if (!flags_.choreographed) {
      world.add_node(name,
                     [this, ledger] { return std::make_unique<StepService>(ledger, ghost_); });
      return;
    }
    // The chain of the choreography: each service follows the step before it in the plan.
    std::vector<std::string> chain = params_.reservations;
    chain.push_back("charge");
    const std::string step = name == "payment" ? "charge" : name;
    auto at = std::find(chain.begin(), chain.end(), step) - chain.begin();
    ChoreographyOptions options;
    options.step = step;
    options.previous = at == 0 ? "" : chain[at - 1];
    options.next = at + 1 < static_cast<long>(chain.size()) ? chain[at + 1] : "";
    options.deduplicate = name != "payment" || flags_.idempotent_payment;
    options.publish_retry = params_.publish_retry;
    world.add_node(name, [this, options, ledger] {
      return std::make_unique<ChoreographyService>(options, ledger, ghost_);
    });
    // Subscriptions follow from the reactions (choreography_service.hpp).
    auto& subs = broker_.subscribers;
    subs[options.previous.empty() ? "trip.requested" : options.previous + ".done"].push_back(name);
    if (!options.next.empty()) {
      subs[options.next + ".failed"].push_back(name);
      subs[options.next + ".undone"].push_back(name);
    }
    if (step != "charge") subs["charge.done"].push_back(name);
  }

  void build_orchestration(sim::World& world) {
    for (int i = 0; i < params_.orchestrators; ++i) {
      OrchestratorOptions options;
      options.name = "o" + std::to_string(i + 1);
      options.trips = params_.trips;
      options.customers = params_.customers;
      options.customer_offset = i;
      options.price = params_.price;
      options.voucher = params_.vouchers[i];
      options.reservations = params_.reservations;
      options.call_timeout = params_.call_timeout;
      options.step_attempts = params_.step_attempts;
      options.retry_interval = params_.retry_interval;
      options.think = params_.think;
      options.durable_log = flags_.durable_log;
      owners_.push_back(options.name);
      world.add_node(options.name, [this, options] {
        return std::make_unique<sim::FiberNode>([this, options](sim::Process& co) {
          finished_[options.name] = false;
          run_orchestrator(co, options, ghost_);
          finished_[options.name] = true;
          finished_at_ns_ = co.ctx().observer_time().ns();
        });
      });
    }
  }

  void build_choreography(sim::World& world) {
    broker_.redelivery_timeout = params_.redelivery_timeout;
    world.add_node("broker", [this] { return std::make_unique<Broker>(broker_); });
    for (int i = 0; i < params_.orchestrators; ++i) {
      TripClientOptions options;
      options.name = "c" + std::to_string(i + 1);
      options.trips = params_.trips;
      options.customers = params_.customers;
      options.customer_offset = i;
      options.price = params_.price;
      options.call_timeout = params_.call_timeout;
      options.think = params_.think;
      for (const std::string& r : params_.reservations) options.steps.push_back(r);
      options.steps.push_back("charge");
      for (const std::string& r : params_.reservations) options.steps.push_back("confirm-" + r);
      owners_.push_back(options.name);
      world.add_node(options.name, [this, options] {
        return std::make_unique<sim::FiberNode>([this, options](sim::Process& co) {
          finished_[options.name] = false;
          run_trip_client(co, options, ghost_);
          finished_[options.name] = true;
        });
      });
    }
  }

  // Quiescence: every orchestrator or client has finished, and (choreographed) the broker and
  // every service have nothing left to send. Only then is all-or-compensated judged.
  bool drained(sim::World& world) const {
    for (const std::string& owner : owners_) {
      auto it = finished_.find(owner);
      if (it == finished_.end() || !it->second) return false;
    }
    if (!flags_.choreographed) return true;
    for (sim::NodeId id = 0; id < world.node_count(); ++id) {
      if (!world.is_up(id)) return false;
      if (auto* broker = world.node_as<Broker>(id); broker && !broker->drained()) return false;
      if (auto* service = world.node_as<ChoreographyService>(id); service && !service->drained())
        return false;
    }
    return true;
  }

  SagaParams params_;
  VariantFlags flags_;
  std::vector<std::string> checkers_;
  sim::World* world_ = nullptr;
  SagaGhost ghost_;
  BrokerOptions broker_;
  std::vector<std::string> owners_;
  std::map<std::string, bool> finished_;
  int64_t finished_at_ns_ = 0;
};

std::vector<Finding> SagaHarness::check(sim::World& world) {
  auto on = [&](const char* name) {
    return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
  };
  std::vector<Finding> findings;
  auto add = [&](Finding f, const char* checker) {
    f.message = f.checker.substr(f.checker.find('.') + 1) + ": " + f.message;
    f.checker = checker;
    findings.push_back(std::move(f));
  };
  const bool quiet = drained(world);
  std::vector<checkers::SagaPlan> judged;
  if (quiet) {
    for (const auto& begun : ghost_.plans()) judged.push_back(begun.plan);
  }
  // Money applied twice is its own invariant ("a charge applied once per saga"); another step
  // applied twice (a seat held twice) is reported as the saga's own finding.
  std::vector<checkers::SagaStepEvent> money, other;
  for (const auto& e : ghost_.events()) {
    (e.step == "charge" || e.step == "credit" ? money : other).push_back(e);
  }
  for (auto& f : checkers::check_saga(ghost_.events(), judged)) {
    if (f.checker == "saga.all-or-compensated" && on("saga")) add(f, "saga");
    if (f.checker == "saga.compensation-without-step" && on("compensation-after-step"))
      add(f, "compensation-after-step");
  }
  for (auto& f : checkers::check_saga(money, {})) {
    if (f.checker == "saga.applied-twice" && on("charge-once")) add(f, "charge-once");
  }
  for (auto& f : checkers::check_saga(other, {})) {
    if (f.checker == "saga.applied-twice" && on("saga")) add(f, "saga");
  }
  if (on("seats-never-oversold")) {
    for (auto& f : checkers::check_quantity_bounds("seats-never-oversold", ghost_.units()))
      findings.push_back(std::move(f));
  }
  if (on("balance-never-negative")) {
    for (auto& f : checkers::check_quantity_bounds("balance-never-negative", ghost_.balances()))
      findings.push_back(std::move(f));
  }
  if (on("liveness") && !quiet) {
    if (auto f = bounded_liveness_finding(
            world, {.progress = flags_.choreographed
                                    ? "every trip requested and every event delivered and handled"
                                    : "every orchestrator's sagas all ended",
                    .bound = params_.liveness_bound,
                    .involved = owners_})) {
      findings.push_back(std::move(*f));
    }
  }
  return findings;
}

std::string SagaHarness::explain(const Finding& finding) const {
  if (finding.checker == "balance-never-negative" && !flags_.pending_credits) {
    return "Sagas are not isolated: a saga's effects are visible before it ends, and another saga "
           "spent a credit that was later withdrawn by compensation (a dirty read). The "
           "countermeasure is a semantic lock: keep the credit pending, spendable only by its own "
           "saga, until it is confirmed after the pivot (variant orchestrated).";
  }
  if (finding.checker == "saga" && !flags_.durable_log) {
    return "The orchestrator kept its saga log in memory: after the restart nothing told it which "
           "steps it had applied, so nobody compensates them. Write and sync the log before each "
           "step (variant orchestrated).";
  }
  if (finding.checker == "saga" && !flags_.tombstones) {
    return "The compensation overtook its step: the service had nothing to undo and forgot it, "
           "then "
           "applied the late step. A service must remember a compensated request id (a tombstone) "
           "and refuse the step when it arrives (variant orchestrated).";
  }
  if (finding.checker == "charge-once") {
    return "A retried or redelivered charge was taken as a new one. Networks and brokers deliver "
           "at least once; the service must remember request or event ids and answer a repeat "
           "with the first answer.";
  }
  return {};
}

}  // namespace

ProtocolInfo saga_info() {
  ProtocolInfo info;
  info.name = "saga";
  info.description =
      "trip-booking sagas (flight, hotel, car, then the charge as pivot, then confirmations): "
      "an orchestrator with a durable saga log, or services choreographed over an at-least-once "
      "broker";
  info.variants = saga_variants().infos();
  info.checkers = {
      {"saga", "at quiescence every saga is all done or all compensated"},
      {"compensation-after-step", "no compensation runs without an application of its step"},
      {"charge-once", "a charge (or credit) is applied at most once per saga"},
      {"seats-never-oversold", "no service holds more units than its capacity"},
      {"balance-never-negative", "no customer's balance falls below zero"},
      {"liveness", "the run drains within liveness_bound after the last fault", true},
  };
  info.default_checkers = {"saga", "compensation-after-step", "charge-once", "seats-never-oversold",
                           "balance-never-negative"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    const VariantFlags& flags = saga_variants().flags(setup.variant);
    SagaParams params = read_saga_params(setup.params, flags.choreographed);
    return std::make_unique<SagaHarness>(std::move(params), flags, setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::saga
