// Exhaustive search of the spec-level models, against the figures TLC reports for the same TLA+
// specifications (TwoPhase.tla and TCommit.tla of the TLA+ Examples): distinct and generated
// states, the diameter, and the orbits under symmetry. Then the known-bug variants: each is found,
// breadth-first with a shortest counterexample, and the bounds say when they cut the search.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>

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
  CHECK(summary["sometimes"]["an RM commits"]["reached"] == true);
  CHECK(summary["sometimes"]["an RM commits"]["depth"] == 9);
  CHECK(summary["sometimes"]["the TM aborts after a Prepared"]["reached"] == true);
  CHECK(summary["shard"]["count"] == 1);
  CHECK(summary["never_fired"].empty());
  CHECK(summary["coverage"]["TMCommit"].get<uint64_t>() > 0);
  // Bounded at the initial state, the search reaches no commit, and the summary says so.
  SearchOptions shallow;
  shallow.max_depth = 1;
  nlohmann::json first = to_json(*model, shallow, search(*model, shallow));
  CHECK(first["sometimes"]["an RM commits"]["reached"] == false);
  CHECK(first["sometimes"]["an RM commits"]["depth"].is_null());
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

TEST_CASE("actions over an index find what separate actions find, in the same order") {
  // Three bits, each set by Set(i) and cleared by Clear(i) while another is set: written as
  // separate actions and as one indexed family, the two models must be the same model.
  struct Bits {
    uint8_t bits = 0;
  };
  const auto set = [](const Bits& s, Bits& t, int i) {
    if (s.bits & (1u << i)) return false;
    t.bits = static_cast<uint8_t>(s.bits | (1u << i));
    return true;
  };
  const auto clear = [](const Bits& s, Bits& t, int i) {
    if (!(s.bits & (1u << i)) || s.bits == (1u << i)) return false;
    t.bits = static_cast<uint8_t>(s.bits & ~(1u << i));
    return true;
  };
  const auto never_all = [](const Bits& s) { return s.bits != 7; };
  const auto name = [](const char* action, int i) {
    return std::string(action) + "(" + std::to_string(i) + ")";
  };
  Spec<Bits> separate("bits");
  Spec<Bits> indexed("bits");
  for (Spec<Bits>* spec : {&separate, &indexed}) {
    spec->initial(Bits{});
    spec->invariant("NeverAll", never_all);
  }
  for (int i = 0; i < 3; ++i) {
    separate.action(
        name("Set", i), [=](const Bits& s, Bits& t) { return set(s, t, i); }, "Set");
    separate.action(
        name("Clear", i), [=](const Bits& s, Bits& t) { return clear(s, t, i); }, "Clear");
  }
  const std::array<std::string, 2> families = {"Set", "Clear"};
  indexed.actions(
      3, [&](int i, size_t k) { return name(families[k].c_str(), i); }, families, set, clear);
  CHECK(indexed.action_names() == separate.action_names());
  CHECK(indexed.action_families() == separate.action_families());
  for (SearchOrder order : {SearchOrder::breadth_first, SearchOrder::depth_first}) {
    SearchOptions options;
    options.order = order;
    const SearchResult a = search(separate, options);
    const SearchResult b = search(indexed, options);
    CHECK(a.distinct_states == b.distinct_states);
    CHECK(a.generated_states == b.generated_states);
    CHECK(a.depth == b.depth);
    CHECK(a.action_fired == b.action_fired);
    REQUIRE(a.violation.has_value());
    REQUIRE(b.violation.has_value());
    REQUIRE(a.violation->path.size() == b.violation->path.size());
    for (size_t i = 0; i < a.violation->path.size(); ++i)
      CHECK(a.violation->path[i].action == b.violation->path[i].action);
  }
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

namespace faultline::spec {
namespace {

// Every state a search stores, as its bytes.
std::set<std::string> states_of(const Model& model, SearchOptions options, SearchResult* out) {
  std::set<std::string> states;
  options.on_state = [&](const std::byte* state) {
    states.emplace(reinterpret_cast<const char*>(state), model.state_size());
  };
  SearchResult r = search(model, options);
  if (out) *out = std::move(r);
  return states;
}

size_t commits(const Model& model) {
  const std::vector<std::string>& names = model.sometimes_names();
  return static_cast<size_t>(std::find(names.begin(), names.end(), "an RM commits") -
                             names.begin());
}

}  // namespace

TEST_CASE("shards of a search cover exactly the states one search stores, and exhaust alike") {
  for (int rms : {3, 4}) {
    for (SearchOrder order : {SearchOrder::breadth_first, SearchOrder::depth_first}) {
      CAPTURE(rms);
      CAPTURE(static_cast<int>(order));
      auto model = models::two_phase(rms);
      SearchOptions options;
      options.order = order;
      SearchResult whole;
      const std::set<std::string> all = states_of(*model, options, &whole);
      REQUIRE(whole.exhausted);
      for (uint32_t count : {2u, 3u, 4u}) {
        CAPTURE(count);
        std::set<std::string> covered;
        uint64_t generated = 0, owned = 0, split_depth = 0;
        bool commit_reached = false;
        for (uint32_t index = 0; index < count; ++index) {
          SearchOptions shard = options;
          shard.shard = SearchShard{index, count};
          SearchResult r;
          const std::set<std::string> mine = states_of(*model, shard, &r);
          CHECK(r.exhausted);
          CHECK(r.split_depth > 0);
          CHECK(r.split_states >= SearchShard::kSplitWidth * count);
          CHECK(r.distinct_states < whole.distinct_states);
          // A shard whose states all have an RM aborted never commits: some shard does.
          commit_reached = commit_reached || r.sometimes_reached[commits(*model)];
          covered.insert(mine.begin(), mine.end());
          generated += r.generated_states;
          owned += r.shard_states;
          // Every shard splits at the same level.
          if (index == 0) split_depth = r.split_depth;
          CHECK(r.split_depth == split_depth);
        }
        CHECK(covered == all);
        CHECK(generated >= whole.generated_states);
        CHECK(owned > 0);
        CHECK(commit_reached);
      }
    }
  }
}

TEST_CASE("a violation is found by some shard, the shortest among them as short as one search's") {
  for (int rms : {3, 4}) {
    CAPTURE(rms);
    auto model = models::two_phase(rms, TwoPhaseVariant::abort_after_prepare);
    const SearchResult whole = bfs(*model);
    REQUIRE(whole.violation.has_value());
    for (uint32_t count : {2u, 4u}) {
      CAPTURE(count);
      size_t shortest = SIZE_MAX;
      for (uint32_t index = 0; index < count; ++index) {
        SearchOptions options;
        options.shard = SearchShard{index, count};
        const SearchResult r = search(*model, options);
        if (r.violation) shortest = std::min(shortest, r.violation->path.size());
      }
      CHECK(shortest == whole.violation->path.size());
    }
  }
}

TEST_CASE("a space too small to split is searched whole by every shard") {
  SearchOptions options;
  options.shard = SearchShard{1, 4};
  const SearchResult r = search(*models::tcommit(3), options);  // no level of 32 states
  CHECK(r.split_depth == 0);
  CHECK(r.exhausted);
  CHECK(r.distinct_states == 34);
}

TEST_CASE("sometimes properties report the depth at which a search first reached them") {
  auto model = models::two_phase(3);
  const SearchResult r = bfs(*model);
  REQUIRE(r.sometimes_depth.size() == r.sometimes_reached.size());
  const size_t commit = commits(*model);
  REQUIRE(commit < r.sometimes_reached.size());
  CHECK(r.sometimes_reached[commit]);
  // Init, three RMs prepare, the TM receives three Prepared, commits, an RM receives it: 9.
  CHECK(r.sometimes_depth[commit] == 9);
  SearchOptions dfs;
  dfs.order = SearchOrder::depth_first;
  // Depth-first keeps the shallowest depth it found: never less than breadth-first's.
  CHECK(search(*model, dfs).sometimes_depth[commit] >= 9);
}

}  // namespace faultline::spec
