#include "checkers/safety/bounded_liveness.hpp"
#include "base/format_ns.hpp"

#include <doctest/doctest.h>

using namespace faultline;
using namespace faultline::checkers;

namespace {
constexpr int64_t kMs = 1000000;
}

TEST_CASE("bounded liveness is satisfied by progress inside the window") {
  // Progress before the heal does not count; the one at 2.3s does.
  const auto r = check_bounded_liveness(
      {"a leader elected", 2000 * kMs, 500 * kMs, 5000 * kMs, {1000 * kMs, 2300 * kMs}});
  CHECK_FALSE(r.inconclusive);
  CHECK_FALSE(r.finding);
  REQUIRE(r.progress_at_ns);
  CHECK(*r.progress_at_ns == 2300 * kMs);
  CHECK(r.waited_ns == 300 * kMs);
  // Exactly at the bound still counts: the window is closed.
  CHECK_FALSE(check_bounded_liveness({"x", 0, 10, 20, {10}}).finding);
}

TEST_CASE("bounded liveness fires when the bound passes without progress") {
  const auto r = check_bounded_liveness(
      {"a leader elected", 2000 * kMs, 500 * kMs, 5000 * kMs, {1000 * kMs, 3100 * kMs}});
  CHECK_FALSE(r.inconclusive);
  REQUIRE(r.finding);
  CHECK(r.finding->checker == "bounded-liveness");
  CHECK(r.finding->at_ns == 2500 * kMs);
  CHECK(r.finding->message ==
        "no progress (a leader elected) within 500ms after the last fault healed at 2s: waited "
        "500ms until 2.5s, it came only at 3.1s (1.1s after the heal)");

  const auto never = check_bounded_liveness({"a decision", 0, 100 * kMs, 200 * kMs, {}});
  REQUIRE(never.finding);
  CHECK(never.finding->message.find("it never came before the run ended at 200ms") !=
        std::string::npos);
}

TEST_CASE("bounded liveness is inconclusive when the run ends before the bound") {
  const auto r = check_bounded_liveness({"a decision", 2000 * kMs, 500 * kMs, 2200 * kMs, {}});
  CHECK(r.inconclusive);
  CHECK_FALSE(r.finding);
  CHECK(r.waited_ns == 200 * kMs);
}

TEST_CASE("checker messages render times exactly in the largest unit") {
  CHECK(format_ns(0) == "0s");
  CHECK(format_ns(1500000000) == "1.5s");
  CHECK(format_ns(1234567) == "1.234567ms");
  CHECK(format_ns(15054626113) == "15.054626113s");
  CHECK(format_ns(-20000) == "-20us");
  CHECK(format_ns(7) == "7ns");
  CHECK(format_ns(999) == "999ns");
  CHECK(format_ns(1500000) == "1.5ms");
  CHECK(format_ns(kNever) == "never");
}
