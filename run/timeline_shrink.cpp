#include "run/timeline_shrink.hpp"

#include <algorithm>
#include <optional>

#include "base/format_ns.hpp"
#include "protocols/params.hpp"
#include "run/cut_after_violation.hpp"
#include "run/fault_json.hpp"
#include "run/runner.hpp"
#include "sim/fault_undo.hpp"

namespace faultline::run {
namespace {

class TimelineShrinker {
 public:
  TimelineShrinker(const Scenario& scenario, uint64_t seed, std::string checker, size_t budget)
      : scenario_(scenario), seed_(seed), checker_(std::move(checker)), budget_(budget) {}

  TimelineShrinkResult run() {
    TimelineShrinkResult result;
    RunOutcome original = run_scenario(scenario_, RunOptions{.seed = seed_});
    const Finding* violation = find_violation(original);
    if (!violation) return result;
    result.duration_before_ns = scenario_.duration.ns();

    nlohmann::json doc = scenario_.document;
    doc.erase("nemesis");
    doc["seed"] = seed_;
    doc["expect"] = {{"violation", checker_}};
    doc["faults"] = nlohmann::json::array();
    for (const sim::Fault& f : original.faults) {
      doc["faults"].push_back(fault_to_json(f, original.node_names));
    }
    result.faults_before = doc["faults"].size();
    int64_t violated_at = violation->at_ns;
    if (!fails(doc, &violated_at)) return result;
    result.reproduced = true;
    best_ = std::move(doc);

    cut_after(violated_at);
    remove_faults();
    if (remove_fault_pairs()) remove_faults();

    best_["description"] =
        "Shrunk by faultline from " + scenario_.file + " --seed " + std::to_string(seed_) + ": " +
        std::to_string(best_["faults"].size()) + " of the " + std::to_string(result.faults_before) +
        " faults of that run still make " + checker_ + " fire. " + scenario_.description;
    result.scenario = best_;
    result.faults_after = best_["faults"].size();
    result.duration_after_ns = parse_scenario(scenario_.file, best_).duration.ns();
    result.replays = replays_;
    return result;
  }

 private:
  const Finding* find_violation(const RunOutcome& outcome) const {
    for (const Finding& v : outcome.violations) {
      if (v.checker == checker_) return &v;
    }
    return nullptr;
  }

  // Replays a candidate document; true if the checker still fires. `at` receives when.
  bool fails(const nlohmann::json& doc, int64_t* at = nullptr) {
    if (replays_ >= budget_) return false;
    ++replays_;
    Scenario candidate;
    try {
      candidate = parse_scenario(scenario_.file, doc);
    } catch (const protocols::ScenarioError&) {
      return false;  // a cut that leaves an invalid scenario is not a candidate
    }
    RunOutcome outcome = run_scenario(candidate, RunOptions{.seed = seed_});
    const Finding* v = find_violation(outcome);
    if (v && at) *at = v->at_ns;
    return v != nullptr;
  }

  // Ends the run soon after the violation, with the faults that came before the cut.
  void cut_after(int64_t violated_at) {
    cut_after_violation(violated_at, scenario_.duration.ns(), [&](int64_t cut) {
      nlohmann::json candidate = best_;
      candidate["duration"] = format_ns(cut);
      nlohmann::json kept = nlohmann::json::array();
      for (const auto& f : candidate["faults"]) {
        // A triggered fault (`when`, no `at`) stays: a cut run merely never reaches its event.
        sim::Duration at;
        if (!f.contains("at") ||
            (sim::parse_duration(f["at"].get<std::string>(), at) && at.ns() <= cut))
          kept.push_back(f);
      }
      candidate["faults"] = kept;
      if (!fails(candidate)) return false;
      best_ = std::move(candidate);
      return true;
    });
  }

  // Delta debugging over the fault list: remove chunks of halving size while the failure stays.
  void remove_faults() {
    size_t chunk = std::max<size_t>(best_["faults"].size() / 2, 1);
    while (replays_ < budget_ && !best_["faults"].empty()) {
      bool removed_any = false;
      for (size_t start = 0; start < best_["faults"].size() && replays_ < budget_;) {
        nlohmann::json candidate = best_;
        auto& faults = candidate["faults"];
        size_t end = std::min(start + chunk, faults.size());
        faults.erase(faults.begin() + static_cast<long>(start),
                     faults.begin() + static_cast<long>(end));
        if (fails(candidate)) {
          best_ = std::move(candidate);
          removed_any = true;  // the next chunk now sits at `start`
        } else {
          start = end;
        }
      }
      if (chunk == 1 && !removed_any) return;
      chunk = std::max<size_t>(chunk / 2, 1);
    }
  }

  // A fault and the one that undoes it (a pause and that node's next resume, a crash and its
  // restart, a partition and the next heal, a clock or network change and the next of its kind)
  // removed together: either alone leaves a node paused or down, or a partition standing, for
  // the rest of the run, which changes far more than the pair did. True if any pair went.
  bool remove_fault_pairs() {
    bool removed_any = false;
    for (size_t i = 0; i < best_["faults"].size() && replays_ < budget_;) {
      std::optional<size_t> undo = undo_of(best_["faults"], i);
      if (!undo) {
        ++i;
        continue;
      }
      nlohmann::json candidate = best_;
      auto& faults = candidate["faults"];
      faults.erase(faults.begin() + static_cast<long>(*undo));
      faults.erase(faults.begin() + static_cast<long>(i));
      if (fails(candidate)) {
        best_ = std::move(candidate);
        removed_any = true;  // the next fault now sits at `i`
      } else {
        ++i;
      }
    }
    return removed_any;
  }

  static std::optional<size_t> undo_of(const nlohmann::json& faults, size_t i) {
    const std::optional<std::string_view> undo_kind =
        sim::undo_kind(std::string_view(faults[i].value("kind", "")));
    if (!undo_kind) return std::nullopt;
    const nlohmann::json node = faults[i].value("node", nlohmann::json());
    for (size_t j = i + 1; j < faults.size(); ++j) {
      if (faults[j].value("kind", "") == *undo_kind &&
          faults[j].value("node", nlohmann::json()) == node) {
        return j;
      }
    }
    return std::nullopt;
  }

  const Scenario& scenario_;
  uint64_t seed_;
  std::string checker_;
  size_t budget_;
  size_t replays_ = 0;
  nlohmann::json best_;
};

}  // namespace

TimelineShrinkResult shrink_to_timeline(const Scenario& scenario, uint64_t seed,
                                        const std::string& checker, size_t budget) {
  return TimelineShrinker(scenario, seed, checker, budget).run();
}

}  // namespace faultline::run
