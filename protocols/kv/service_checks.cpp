#include "protocols/kv/service_checks.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "base/format_ns.hpp"
#include "checkers/linearizability.hpp"
#include "checkers/models/registry.hpp"
#include "protocols/liveness.hpp"

namespace faultline::protocols::kv {

std::optional<Finding> check_linearizable(const HistoryRecorder& recorder,
                                          std::string_view model_name) {
  const checkers::models::ModelInfo* model = checkers::models::find_model(model_name);
  checkers::CheckOptions options;
  // A memory bound, not a wall-clock one: the verdict of a run must not depend on how fast the
  // machine is. The search's memory accounting is deterministic.
  options.max_memory_bytes = std::size_t{512} << 20;
  options.threads = 1;  // runs are already parallel; stay light
  checkers::CheckResult result =
      checkers::models::check_history(recorder.history(), *model, options);
  if (result.verdict == checkers::Verdict::unknown) {
    Finding f;
    f.checker = "linearizable";
    f.kind = FindingKind::undecided;
    f.message = "the linearizability check gave up (" + result.unknown_reason + ", " +
                std::to_string(options.max_memory_bytes >> 20) +
                " MiB of search memory) before a verdict: unknown, not a pass";
    return f;
  }
  if (result.verdict != checkers::Verdict::illegal || !result.explanation) return std::nullopt;
  std::vector<checkers::CallReturn> calls = checkers::pair_calls(recorder.history());
  const checkers::Explanation& why = *result.explanation;
  Finding f;
  f.checker = "linearizable";
  f.message = "the clients' history is not linearizable";
  if (!why.partition.empty()) f.message += " on key " + why.partition;
  if (!why.prefix.empty()) {
    const checkers::ExplainedOp& last = why.prefix.back();
    f.message += ": after " + recorder.process_name(last.process) + "'s " + last.description;
    f.involved.push_back(recorder.process_name(last.process));
  }
  if (why.unplaceable) {
    const checkers::CallReturn& c = calls.at(why.unplaceable->id);
    f.message += ", " + recorder.process_name(c.process) + "'s " + why.unplaceable->description +
                 " (invoked at " + format_ns(c.call) + ") fits no order";
    f.at_ns = c.ret == kNever ? c.call : c.ret;
    f.involved.push_back(recorder.process_name(c.process));
  }
  if (!why.states.empty()) {
    f.message +=
        std::string(model->keyed ? "; the key" : "; it") + " could only hold " + why.states.front();
  }
  return f;
}

std::optional<Finding> check_write_liveness(const sim::World& world,
                                            const HistoryRecorder& recorder, sim::Duration bound) {
  return bounded_liveness_finding(world, {.progress = "a leader serves a client write",
                                          .bound = bound,
                                          .progress_at_ns = recorder.ok_times({"put", "append"})});
}

void judge_kv_service(std::vector<Finding>& findings, const std::vector<std::string>& enabled,
                      const sim::World& world, const HistoryRecorder& recorder,
                      bool clients_unfinished, sim::Duration liveness_bound) {
  auto on = [&](const char* name) {
    return std::find(enabled.begin(), enabled.end(), name) != enabled.end();
  };
  if (on("linearizable")) {
    if (auto f = check_linearizable(recorder)) findings.push_back(*f);
  }
  if (on("liveness") && clients_unfinished) {
    if (auto f = check_write_liveness(world, recorder, liveness_bound)) findings.push_back(*f);
  }
}

nlohmann::json operation_counts(const HistoryRecorder& recorder) {
  int64_t ok = 0;
  int64_t info = 0;
  for (const auto& op : recorder.history().ops) {
    ok += op.type == checkers::OpType::ok;
    info += op.type == checkers::OpType::info;
  }
  return {{"operations_ok", ok}, {"operations_info", info}};
}

}  // namespace faultline::protocols::kv
