// Shared harness pieces of the lock family (see lock_harness.hpp); the checkers themselves are
// reused from checkers/safety, never rewritten here.
#include "protocols/locks/lock_harness.hpp"

#include <algorithm>

#include "checkers/safety/mutual_exclusion.hpp"
#include "protocols/liveness.hpp"

namespace faultline::protocols::locks {

std::vector<sim::Duration> read_per_client(Fields& p, const std::string& key, int clients,
                                           sim::Duration fallback) {
  const nlohmann::json* value = p.raw(key);
  if (!value) return std::vector<sim::Duration>(clients, fallback);
  if (!value->is_array()) {
    return std::vector<sim::Duration>(
        clients,
        parse_duration_at(p, p.path_of(key), *value, sim::Duration{}, sim::Duration::max()));
  }
  if (value->size() != static_cast<size_t>(clients)) {
    p.fail(key, "one duration per client (" + std::to_string(clients) + ")");
  }
  std::vector<sim::Duration> out;
  for (size_t i = 0; i < value->size(); ++i) {
    out.push_back(parse_duration_at(p, p.path_of(key) + "[" + std::to_string(i) + "]", (*value)[i],
                                    sim::Duration{}, sim::Duration::max()));
  }
  return out;
}

std::vector<CheckerInfo> lock_checkers() {
  return {
      {"mutual-exclusion", "no two clients believe they hold the lock at the same true time"},
      {"fenced-mutual-exclusion",
       "the storage never accepts a token lower than one it accepted, nor one token from two "
       "clients"},
      {"liveness", "after the last fault heals, a client acquires the lock within liveness_bound",
       true},
  };
}

std::vector<Finding> check_lock_run(const LockRun& run, const std::vector<std::string>& enabled,
                                    sim::World& world) {
  std::vector<Finding> findings;
  auto on = [&](const char* name) {
    return std::find(enabled.begin(), enabled.end(), name) != enabled.end();
  };
  auto add = [&](std::vector<Finding> found, const char* checker) {
    for (auto& f : found) {
      f.checker = checker;
      findings.push_back(std::move(f));
    }
  };
  if (on("mutual-exclusion")) {
    add(checkers::check_mutual_exclusion(run.ghost->judged_holdings(world)), "mutual-exclusion");
  }
  if (on("fenced-mutual-exclusion")) {
    add(checkers::check_fenced_access(run.ghost->accesses), "fenced-mutual-exclusion");
  }
  if (on("liveness") && run.clients_done < run.clients) {
    // Still faulty at the end: the window never opened, which proves nothing.
    if (auto f =
            bounded_liveness_finding(world, {.progress = "a client acquires the lock",
                                             .bound = run.liveness_bound,
                                             .progress_at_ns = run.ghost->acquisitions_at_ns})) {
      findings.push_back(std::move(*f));
    }
  }
  return findings;
}

nlohmann::json lock_figures(const LockRun& run) {
  const auto& accesses = run.ghost->accesses;
  int64_t accepted =
      std::count_if(accesses.begin(), accesses.end(), [](const auto& a) { return a.accepted; });
  return {{"acquisitions", run.ghost->acquisitions_at_ns.size()},
          {"writes_accepted", accepted},
          {"writes_rejected", static_cast<int64_t>(accesses.size()) - accepted},
          {"clients_done", run.clients_done}};
}

void add_lock_observers(sim::World& world, const LockGhost& ghost) {
  world.add_sometimes("a lock is granted", [&ghost] { return !ghost.holdings.empty(); });
  const sim::World* w = &world;
  world.add_ghost_state([&ghost, w](sim::StateHasher& h) { ghost.hash(h, *w); });
}

}  // namespace faultline::protocols::locks
