#include "protocols/kv/service_checks.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "base/format_ns.hpp"
#include "checkers/linearizability.hpp"
#include "checkers/models/registry.hpp"
#include "protocols/linearizable.hpp"
#include "protocols/liveness.hpp"

namespace faultline::protocols::kv {

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
