// The search on histories longer than a brute-force oracle can order: verdicts known by
// construction (tests/checkers/generated_history.hpp), memory that grows linearly with a
// sequential history, and the memo key of a linearized set, which must be equal exactly for equal
// sets however they were reached.

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "checkers/linearizability_search.hpp"
#include "sim/random.hpp"
#include "tests/checkers/generated_history.hpp"
#include "tests/checkers/history_builder.hpp"

namespace faultline::checkers {
namespace {

using testing::GeneratedHistory;
using testing::GeneratedHistoryShape;

std::vector<std::uint64_t> key_of(detail::LinearizedSet& set) {
  auto [words, size] = set.key();
  return {words, words + size};
}

// Adds `ranks` in the given order, as the search would, and returns the key.
std::vector<std::uint64_t> key_after(std::size_t n, const std::vector<std::uint32_t>& ranks) {
  detail::LinearizedSet set(n);
  for (std::uint32_t r : ranks) set.add(r);
  return key_of(set);
}

TEST_CASE("the memo key of a linearized set depends on the set alone, seeds 1-300") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    sim::Rng rng(seed);
    std::size_t n = 1 + rng.below(400);
    // A prefix, a few scattered ranks after it, and sometimes everything past a hole (an info
    // operation never linearized): the shapes a search produces.
    std::uint32_t prefix = static_cast<std::uint32_t>(rng.below(n + 1));
    std::set<std::uint32_t> members;
    for (std::uint32_t r = 0; r < prefix; ++r) members.insert(r);
    for (int k = 0, extra = static_cast<int>(rng.below(6)); k < extra; ++k) {
      members.insert(static_cast<std::uint32_t>(rng.below(n)));
    }
    if (rng.below(3) == 0) {
      std::uint32_t hole = static_cast<std::uint32_t>(rng.below(n));
      for (std::uint32_t r = hole + 1; r < n; ++r) members.insert(r);
      members.erase(hole);
    }
    std::vector<std::uint32_t> in_order(members.begin(), members.end());
    std::vector<std::uint32_t> shuffled = in_order;
    for (std::size_t i = shuffled.size(); i > 1; --i) {
      std::swap(shuffled[i - 1], shuffled[rng.below(i)]);
    }
    std::vector<std::uint64_t> key = key_after(n, in_order);
    CHECK(key == key_after(n, shuffled));
    // One rank more or less is another key.
    std::uint32_t other = static_cast<std::uint32_t>(rng.below(n));
    std::vector<std::uint32_t> changed = in_order;
    if (members.count(other) != 0) {
      changed.erase(std::find(changed.begin(), changed.end(), other));
    } else {
      changed.push_back(other);
    }
    CHECK(key != key_after(n, changed));
    // Removing what was added restores the key: the search undoes choices this way.
    detail::LinearizedSet set(n);
    for (std::uint32_t r : in_order) set.add(r);
    if (members.count(other) == 0) {
      auto bounds = set.bounds();
      set.add(other);
      set.remove(other, bounds);
      CHECK(key_of(set) == key);
    }
  }
}

std::size_t sequential_peak(int operations) {
  GeneratedHistoryShape shape;
  shape.operations = operations;
  shape.processes = 1;
  shape.percent_info = 0;
  shape.percent_fail = 0;
  CheckResult r = testing::check("cas-register", GeneratedHistory(1, shape).history());
  CHECK(r.verdict == Verdict::ok);
  return r.peak_memory_bytes;
}

TEST_CASE("a sequential history's search memory grows linearly, not quadratically") {
  std::size_t half = sequential_peak(10000);
  std::size_t full = sequential_peak(20000);
  // A bitset of every operation per memo record would be 20,000 x 2.5 KB = 50 MB, and four
  // times the half-length history's.
  CHECK(full < 400 * 20000);
  CHECK(full < 3 * half);
}

TEST_CASE("an info operation left open from the start keeps memory linear") {
  // A write that times out first and is never seen: it stays open to the end, so every
  // linearized set has a hole at its start.
  History h;
  h.source = "info";
  auto add = [&](std::int64_t p, OpType type, const char* f, nlohmann::json v) {
    testing::append(h, p, type, f, std::move(v));
  };
  add(100, OpType::invoke, "write", -1);
  add(100, OpType::info, "write", -1);
  for (int i = 1; i <= 10000; ++i) {
    add(0, OpType::invoke, "write", i);
    add(0, OpType::ok, "write", i);
    add(0, OpType::invoke, "read", nullptr);
    add(0, OpType::ok, "read", i);
  }
  CheckResult r = testing::check("register", h);
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.peak_memory_bytes < 400 * 20000);
}

TEST_CASE("long generated histories get their verdict by construction, seeds 1-40") {
  int illegal_checked = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    GeneratedHistoryShape shape;
    shape.operations = 300 + static_cast<int>(seed * 37 % 900);
    shape.processes = 2 + static_cast<int>(seed % 5);
    // Every info operation stays open to the end, and proving a history illegal means trying
    // them at every point: a handful keeps the search quick.
    shape.percent_info = 1;
    GeneratedHistory g(seed, shape);
    CHECK(testing::check("cas-register", g.history()).verdict == Verdict::ok);
    if (!g.add_stale_read()) continue;
    CheckResult r = testing::check("cas-register", g.history());
    CHECK(r.verdict == Verdict::illegal);
    ++illegal_checked;
  }
  CHECK(illegal_checked >= 30);
}

}  // namespace
}  // namespace faultline::checkers
