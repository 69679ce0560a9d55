// The saga orchestrator: Garcia-Molina & Salem, "Sagas" (SIGMOD 1987) §5 (the saga execution
// component and its log), §6 (backward recovery) and §7 (forward recovery); the pivot and
// retriable steps after it as Richardson, "Microservices Patterns" §4.3.1, structures a saga.
#include "protocols/saga/orchestrator.hpp"

#include <cstdio>
#include <optional>

#include "protocols/client_operation.hpp"
#include "protocols/saga/messages.hpp"

namespace faultline::protocols::saga {
namespace {

const std::string kSagaPrefix = "saga/";
const std::string kProgress = "trips";

struct Step {
  std::string name;     // the step the service applies ("credit", "hotel"...)
  std::string service;  // the node that applies it
};

std::string service_of(const std::string& step) {
  return step == "credit" || step == "charge" ? "payment" : step;
}

// Compensatable steps then the pivot (the charge, last); `confirms`: the retriable steps.
struct Plan {
  std::vector<Step> forward;
  std::vector<Step> confirms;
};

Plan plan_of(const OrchestratorOptions& options, int64_t voucher) {
  Plan plan;
  if (voucher > 0) plan.forward.push_back({"credit", "payment"});
  for (const std::string& r : options.reservations) plan.forward.push_back({r, service_of(r)});
  plan.forward.push_back({"charge", "payment"});
  for (const std::string& r : options.reservations) plan.confirms.push_back({r, service_of(r)});
  if (voucher > 0) plan.confirms.push_back({"credit", "payment"});
  return plan;
}

bool finished(const SagaRecord& record) {
  return record.phase == "done" || record.phase == "compensated";
}

// One saga driven from its log record to its end.
class SagaRun {
 public:
  SagaRun(sim::Process& co, ClientOperations& ops, const OrchestratorOptions& options,
          SagaGhost& ghost, SagaRecord record)
      : co_(co),
        ops_(ops),
        options_(options),
        ghost_(ghost),
        record_(std::move(record)),
        plan_(plan_of(options, record_.voucher)) {}

  void run() {
    const int64_t pivot = static_cast<int64_t>(plan_.forward.size()) - 1;
    while (!finished(record_)) {
      persist();  // before acting: after a crash the log names the step that may have been sent
      if (record_.phase == "forward") {
        const int64_t i = record_.next;
        auto outcome = ask(plan_.forward[i], "apply", i == pivot ? 0 : options_.step_attempts);
        if (outcome == "applied") {
          record_.next = i + 1;
          if (i == pivot) record_ = with_phase("confirming", 0);
        } else {
          // Refused: never applied, so compensation starts below it. Unanswered: it may have
          // been applied (or may still arrive), so it is compensated too.
          co_.note(plan_.forward[i].name + (outcome ? " refused" : " unanswered") + " for " +
                   record_.saga + ": compensating");
          record_ = with_phase("backward", outcome ? i - 1 : i);
        }
      } else if (record_.phase == "backward") {
        if (record_.next < 0) {
          record_ = with_phase("compensated", 0);
        } else {
          ask(plan_.forward[record_.next], "compensate", 0);
          --record_.next;
        }
      } else if (record_.next >= static_cast<int64_t>(plan_.confirms.size())) {
        record_ = with_phase("done", 0);
      } else {
        ask(plan_.confirms[record_.next], "confirm", 0);
        ++record_.next;
      }
    }
    persist();
    const bool done = record_.phase == "done";
    ghost_.ended(done);
    ghost_.ends_at_ns().push_back(co_.ctx().observer_time().ns());
    ops_.record(done ? checkers::OpType::ok : checkers::OpType::fail, "saga", record_.saga);
  }

 private:
  SagaRecord with_phase(const std::string& phase, int64_t next) const {
    SagaRecord r = record_;
    r.phase = phase;
    r.next = next;
    return r;
  }

  void persist() {
    if (!options_.durable_log) return;
    co_.ctx().storage().put(kSagaPrefix + record_.saga, record_);
    co_.ctx().storage().sync();
  }

  // The service's answer, or nullopt after `attempts` unanswered calls (0: until it answers).
  std::optional<std::string> ask(const Step& step, const std::string& op, int attempts) {
    StepCommand command{record_.saga, step.name, op, record_.customer,
                        step.name == "credit" ? record_.voucher : record_.price};
    sim::NodeId to = co_.ctx().node_named(step.service);
    for (int attempt = 0; attempts == 0 || attempt < attempts; ++attempt) {
      if (attempt > 0) co_.sleep(options_.retry_interval);
      auto reply = co_.call(to, command, options_.call_timeout);
      if (!reply) continue;
      if (const auto* answer = reply->payload.as<StepReply>()) return answer->outcome;
    }
    return std::nullopt;
  }

  sim::Process& co_;
  ClientOperations& ops_;
  const OrchestratorOptions& options_;
  SagaGhost& ghost_;
  SagaRecord record_;
  Plan plan_;
};

std::string fresh_saga_id(sim::Process& co, const std::string& prefix, int64_t trip) {
  // A saga id is drawn, as a UUID would be: only the log ties it to its trip.
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%08llx",
                static_cast<unsigned long long>(co.random(uint64_t(1) << 32)));
  return prefix + "-t" + std::to_string(trip) + "-" + suffix;
}

}  // namespace

std::vector<std::string> saga_steps(const OrchestratorOptions& options, int64_t voucher) {
  Plan plan = plan_of(options, voucher);
  std::vector<std::string> out;
  for (const Step& s : plan.forward) out.push_back(s.name);
  for (const Step& s : plan.confirms) out.push_back("confirm-" + s.name);
  return out;
}

void run_orchestrator(sim::Process& co, const OrchestratorOptions& options, SagaGhost& ghost) {
  sim::Storage& disk = co.ctx().storage();
  ClientOperations ops(co);
  int64_t next = 1;
  if (options.durable_log) {
    // Recovery: every saga the log shows unfinished is resumed where its record says.
    for (const std::string& key : disk.keys_with_prefix(kSagaPrefix)) {
      SagaRecord record = *disk.get<SagaRecord>(key);
      if (finished(record)) continue;
      co.note("resuming " + record.saga + " from the log (" + record.phase + ")");
      SagaRun(co, ops, options, ghost, record).run();
    }
    if (const auto* progress = disk.get<TripProgress>(kProgress)) next = progress->next;
  }
  for (; next <= options.trips; ++next) {
    const std::string& customer =
        options.customers[(options.customer_offset + next - 1) % options.customers.size()];
    SagaRecord record{fresh_saga_id(co, options.name, next),
                      customer,
                      options.price,
                      options.voucher,
                      "forward",
                      0};
    ghost.begin(co.ctx().name(), {record.saga, saga_steps(options, options.voucher)});
    ops.invoke("saga", record.saga);
    if (options.durable_log) {
      // The saga and the trip counter in one sync: a restart neither loses nor repeats the trip.
      disk.put(kSagaPrefix + record.saga, record);
      disk.put(kProgress, TripProgress{next + 1});
      disk.sync();
    }
    SagaRun(co, ops, options, ghost, record).run();
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::saga
