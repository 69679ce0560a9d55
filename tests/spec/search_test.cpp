// Exhaustive search of the spec-level models, against the figures TLC reports for the same TLA+
// specifications (TwoPhase.tla and TCommit.tla of the TLA+ Examples): distinct and generated
// states, the diameter, and the orbits under symmetry. Then the known-bug variants: each is found,
// breadth-first with a shortest counterexample, and the bounds say when they cut the search.
#include <doctest/doctest.h>

#include "spec/models/tcommit.hpp"
#include "spec/models/two_phase.hpp"
#include "spec/search.hpp"

namespace faultline::spec {
namespace {

using models::TCommitVariant;
using models::TwoPhaseVariant;

SearchResult bfs(const Model& model, bool symmetry = false) {
  SearchOptions options;
  options.symmetry = symmetry;
  return search(model, options);
}

struct TlcFigures {
  int rms;
  uint64_t distinct;
  uint64_t generated;
  uint64_t depth;
};

}  // namespace

TEST_CASE("TwoPhase: distinct and generated states and the diameter are TLC's") {
  for (const TlcFigures& tlc : {TlcFigures{3, 288, 1146, 11}, TlcFigures{4, 1568, 8258, 14},
                                TlcFigures{6, 50816, 402306, 20}}) {
    CAPTURE(tlc.rms);
    SearchResult r = bfs(*models::two_phase(tlc.rms));
    CHECK(r.distinct_states == tlc.distinct);
    CHECK(r.generated_states == tlc.generated);
    CHECK(r.depth == tlc.depth);
    CHECK(r.exhausted);
    CHECK_FALSE(r.violation.has_value());
  }
}

TEST_CASE("TwoPhase under the symmetry of RMs: one state per orbit, as TLC counts them") {
  CHECK(bfs(*models::two_phase(3), true).distinct_states == 80);
  CHECK(bfs(*models::two_phase(4), true).distinct_states == 166);
}

TEST_CASE("TCommit: TLC's counts") {
  SearchResult r = bfs(*models::tcommit(3));
  CHECK(r.distinct_states == 34);
  CHECK(r.generated_states == 94);
  CHECK(r.exhausted);
  CHECK_FALSE(r.violation.has_value());
}

TEST_CASE("depth-first search exhausts the same states as breadth-first, bounded or not") {
  SearchOptions dfs;
  dfs.order = SearchOrder::depth_first;
  CHECK(search(*models::two_phase(4), dfs).distinct_states == 1568);
  // Under a bound at the diameter a state first reached by a longer path must be expanded again
  // from the shorter one: the count stays exact.
  dfs.max_depth = 14;
  SearchResult bounded = search(*models::two_phase(4), dfs);
  CHECK(bounded.distinct_states == 1568);
  CHECK(bounded.exhausted);
}

TEST_CASE("a depth bound below the diameter cuts the search and says so; at it, it does not") {
  SearchOptions options;
  options.max_depth = 10;
  SearchResult cut = search(*models::two_phase(3), options);
  CHECK_FALSE(cut.exhausted);
  CHECK(cut.cut_by == "max-depth");
  CHECK(cut.depth == 10);
  CHECK(cut.distinct_states < 288);
  options.max_depth = 11;
  SearchResult whole = search(*models::two_phase(3), options);
  CHECK(whole.exhausted);
  CHECK(whole.distinct_states == 288);
}

TEST_CASE("a state bound stops the search at that many states") {
  SearchOptions options;
  options.max_states = 100;
  SearchResult r = search(*models::two_phase(3), options);
  CHECK_FALSE(r.exhausted);
  CHECK(r.cut_by == "max-states");
  CHECK(r.distinct_states == 100);
}

TEST_CASE("every known-bug variant breaks TCConsistent, breadth-first with a shortest path") {
  struct Bug {
    const char* name;
    std::unique_ptr<Model> model;
    size_t shortest;  // states on a shortest counterexample, the initial one included
  };
  Bug bugs[] = {
      // TMAbort is not needed: TMCommit at once, r1 receives Commit, r2 chooses to abort.
      {"commit-without-all-prepared",
       models::two_phase(3, TwoPhaseVariant::commit_without_all_prepared), 4},
      // Every RM prepares, the TM receives every Prepared, r1 aborts, TM commits, r2 commits.
      {"abort-after-prepare", models::two_phase(3, TwoPhaseVariant::abort_after_prepare), 10},
      // r1 prepares and commits alone, r2 aborts.
      {"commit-alone", models::tcommit(3, TCommitVariant::commit_alone), 4},
  };
  for (Bug& bug : bugs) {
    CAPTURE(bug.name);
    SearchResult r = bfs(*bug.model);
    REQUIRE(r.violation.has_value());
    CHECK(r.violation->invariant == "TCConsistent");
    CHECK(r.cut_by == "violation");
    CHECK_FALSE(r.exhausted);
    CHECK(r.violation->path.size() == bug.shortest);
    CHECK(r.violation->path.front().action == "Init");
    SearchOptions dfs;
    dfs.order = SearchOrder::depth_first;
    SearchResult deep = search(*bug.model, dfs);
    REQUIRE(deep.violation.has_value());
    CHECK(deep.violation->path.size() >= bug.shortest);
    // Shortcuts along its own path bring depth-first's counterexample within one step of
    // breadth-first's shortest for these models.
    CHECK(deep.violation->path.size() <= bug.shortest + 1);
  }
}

TEST_CASE("the summary reports coverage, sometimes properties and what was never enabled") {
  auto model = models::two_phase(3);
  SearchOptions options;
  SearchResult r = search(*model, options);
  nlohmann::json summary = to_json(*model, options, r);
  CHECK(summary["distinct_states"] == 288);
  CHECK(summary["exhausted"] == true);
  CHECK(summary["cut_by"].is_null());
  CHECK(summary["sometimes"]["an RM commits"] == true);
  CHECK(summary["sometimes"]["the TM aborts after a Prepared"] == true);
  CHECK(summary["never_fired"].empty());
  CHECK(summary["coverage"]["TMCommit"].get<uint64_t>() > 0);
  // Bounded at the initial state, the search reaches no commit, and the summary says so.
  SearchOptions shallow;
  shallow.max_depth = 1;
  nlohmann::json first = to_json(*model, shallow, search(*model, shallow));
  CHECK(first["sometimes"]["an RM commits"] == false);
}

TEST_CASE("a model written as docs/model-checking.md shows: six states, the invariant holds") {
  struct Counter {
    uint32_t value = 0;
  };
  Spec<Counter> counter("counter");
  counter.initial(Counter{});
  counter.action("Increment", [](const Counter& s, Counter& t) {
    if (s.value >= 5) return false;
    t.value = s.value + 1;
    return true;
  });
  counter.invariant("AtMostFive", [](const Counter& s) { return s.value <= 5; });
  SearchResult result = search(counter, {});
  CHECK(result.distinct_states == 6);
  CHECK(result.depth == 6);
  CHECK(result.exhausted);
  CHECK_FALSE(result.violation.has_value());
  // The same model with a bound one too high breaks its invariant at the seventh state.
  Spec<Counter> overflow("overflow");
  overflow.initial(Counter{});
  overflow.action("Increment", [](const Counter& s, Counter& t) {
    if (s.value >= 6) return false;
    t.value = s.value + 1;
    return true;
  });
  overflow.invariant("AtMostFive", [](const Counter& s) { return s.value <= 5; });
  SearchResult broken = search(overflow, {});
  REQUIRE(broken.violation.has_value());
  CHECK(broken.violation->path.size() == 7);
}

TEST_CASE("symmetry on a model without one is refused") {
  struct Plain {
    uint32_t x = 0;
  };
  Spec<Plain> spec("plain");
  spec.initial(Plain{});
  SearchOptions options;
  options.symmetry = true;
  CHECK_THROWS_AS(search(spec, options), std::invalid_argument);
}

}  // namespace faultline::spec
