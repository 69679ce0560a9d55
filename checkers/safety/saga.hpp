#pragma once
// Sagas (Garcia-Molina & Salem, "Sagas", SIGMOD 1987): a long-lived transaction split into steps
// T1..Tn, each committed on its own, each with a compensation Ci that semantically undoes it. The
// system guarantees that either T1..Tn all run, or T1..Tj then Cj..C1 do: the saga is all done or
// all compensated, never half. A compensation undoes an application, so it needs one to undo.
//
// The input is what the step services actually did (an omniscient record, not what the
// coordinator believed), judged once the run has drained. A step's net count is its applications
// minus its compensations: a saga is all done when every step's net is at least 1, all
// compensated when none is; a net above 1 or below 0 is an excess reported on its own.

#include <cstdint>
#include <string>
#include <vector>

#include "base/finding.hpp"

namespace faultline::checkers {

enum class SagaStepKind { applied, compensated };

struct SagaStepEvent {
  std::string saga;
  std::string step;     // "flight", "charge", "confirm-flight"...
  std::string service;  // who applied or compensated it
  SagaStepKind kind = SagaStepKind::applied;
  int64_t at_ns = 0;
};

struct SagaPlan {
  std::string saga;
  std::vector<std::string> steps;  // every step of the saga, retriable steps after the pivot too
};

// Findings, per saga:
//   "saga.all-or-compensated": at the end some step stands applied and another does not (never
//     applied, or compensated); named with every step's fate. A step applied twice over still
//     stands applied: that excess is "saga.applied-twice"'s to report, not a half-done saga;
//   "saga.compensation-without-step": a compensation ran while no application of its step was
//     outstanding;
//   "saga.applied-twice": a step was applied while an earlier application of it still stood (a
//     retried or redelivered request taken as new).
// Only the sagas in `judged` are judged for all-or-compensated (those whose coordinator has
// finished with them; a saga still running proves nothing); the other two are judged for all.
std::vector<Finding> check_saga(const std::vector<SagaStepEvent>& events,
                                const std::vector<SagaPlan>& judged);

// A quantity that must stay within [min, max] ("seats held never above capacity", "balance never
// negative"), sampled after every change: a saga workload's semantic invariants.
struct QuantitySample {
  std::string subject;  // "balance of c1", "seats held on flight"
  int64_t value = 0;
  int64_t min = 0;
  int64_t max = 0;
  int64_t at_ns = 0;
  std::string cause;  // the change that produced this value, for the message
  std::string node;   // the service that made the change, to highlight
};

// The first sample per subject outside its bounds, reported as `checker`, naming the change that
// crossed the bound and the one before it.
std::vector<Finding> check_quantity_bounds(const std::string& checker,
                                           const std::vector<QuantitySample>& samples);

}  // namespace faultline::checkers
