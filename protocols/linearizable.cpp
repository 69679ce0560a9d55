// The linearizability finding of a client history; see linearizable.hpp.
#include "protocols/linearizable.hpp"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "base/format_ns.hpp"
#include "checkers/linearizability.hpp"
#include "checkers/linearizability_picture.hpp"
#include "checkers/models/registry.hpp"

namespace faultline::protocols {
namespace {

// A client named twice (its last placed operation is also the one that fits no order) is
// highlighted once.
void add_involved(Finding& f, const std::string& name) {
  if (std::find(f.involved.begin(), f.involved.end(), name) == f.involved.end()) {
    f.involved.push_back(name);
  }
}

}  // namespace

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
    add_involved(f, recorder.process_name(last.process));
  }
  if (why.unplaceable) {
    const checkers::CallReturn& c = calls.at(why.unplaceable->id);
    f.message += ", " + recorder.process_name(c.process) + "'s " + why.unplaceable->description +
                 " (invoked at " + format_ns(c.call) + ") fits no order";
    f.at_ns = c.ret == kNever ? c.call : c.ret;
    add_involved(f, recorder.process_name(c.process));
  }
  if (!why.states.empty()) {
    f.message +=
        std::string(model->keyed ? "; the key" : "; it") + " could only hold " + why.states.front();
  }
  checkers::PictureOptions picture;
  picture.title = "the clients' history";
  picture.timed = true;
  picture.time_origin = 0;  // the run's true time, as the rest of the report gives it
  picture.process_name = [&recorder](int64_t p) { return recorder.process_name(p); };
  picture.id = "linearizability";
  std::ostringstream html;
  checkers::write_linearizability_picture(html, calls, result, picture);
  f.figure_html = html.str();
  return f;
}

}  // namespace faultline::protocols
