// The cache family's own checkers on hand-made histories: bounded staleness at its boundary, for
// the initial value, for values newer than the store (write-back) and for values never applied;
// no-lost-write for acknowledged and unknown-outcome puts.
#include <doctest/doctest.h>

#include "protocols/cache/checks.hpp"

namespace faultline::protocols::cache {
namespace {

constexpr int64_t kMs = 1'000'000;

checkers::Operation op(int64_t process, checkers::OpType type, const char* f, const char* value,
                       int64_t at_ms) {
  checkers::Operation o;
  o.process = process;
  o.type = type;
  o.f = f;
  o.value = nlohmann::json::array({"a", value});
  o.time_ns = at_ms * kMs;
  return o;
}

// A read of key a completing ok at `at_ms`.
checkers::History read(const char* value, int64_t at_ms) {
  return {"test", {op(0, checkers::OpType::ok, "get", value, at_ms)}};
}

std::string name(int64_t process) {
  return "reader" + std::to_string(process + 1);
}

// "1.1" applied at 100ms, "1.2" at 300ms.
Ghost two_writes() {
  Ghost g;
  g.applied["a"] = {{"1.1", 1, 100 * kMs}, {"1.2", 2, 300 * kMs}};
  return g;
}

bool stale(const checkers::History& h) {
  return check_bounded_staleness(h, name, two_writes(), sim::milliseconds(100)).has_value();
}

}  // namespace

TEST_CASE("bounded-staleness: a value replaced more than the bound before the read completed") {
  CHECK_FALSE(stale(read("", 150)));  // "" replaced at 100ms: 50ms stale
  CHECK_FALSE(stale(read("", 200)));  // exactly the bound
  CHECK(stale(read("", 201)));        // 101ms stale
  CHECK_FALSE(stale(read("1.1", 400)));
  CHECK(stale(read("1.1", 401)));
  CHECK_FALSE(stale(read("1.2", 5000)));  // still current
  CHECK_FALSE(stale(read("1.2", 200)));   // applied after the read: newer than the store
  CHECK_FALSE(stale(read("9.9", 5000)));  // never applied: no-lost-write's business
  std::optional<Finding> f =
      check_bounded_staleness(read("", 250), name, two_writes(), sim::milliseconds(100));
  REQUIRE(f);
  CHECK(f->checker == "bounded-staleness");
  CHECK(f->at_ns == 250 * kMs);
  CHECK(f->message ==
        "reader1's get of a returned \"\" at 250ms, replaced in the store by \"1.1\" at 100ms: "
        "150ms stale, beyond the 100ms bound");
  CHECK(f->involved == std::vector<std::string>{"reader1"});
}

TEST_CASE("bounded-staleness: a key never written reads \"\" at any time; the earliest is named") {
  CHECK_FALSE(check_bounded_staleness(read("", 9000), name, Ghost{}, sim::milliseconds(1)));
  checkers::History h{
      "test",
      {op(1, checkers::OpType::ok, "get", "", 250), op(0, checkers::OpType::ok, "get", "1.1", 500),
       op(2, checkers::OpType::fail, "get", "", 600)}};
  std::optional<Finding> f = check_bounded_staleness(h, name, two_writes(), sim::milliseconds(100));
  REQUIRE(f);
  CHECK(f->involved == std::vector<std::string>{"reader2"});
}

TEST_CASE("no-lost-write: an acknowledged put the store never applied") {
  checkers::History h{"test",
                      {op(0, checkers::OpType::ok, "put", "1.1", 10),
                       op(1, checkers::OpType::info, "put", "2.1", 20),
                       op(0, checkers::OpType::ok, "put", "1.2", 30)}};
  Ghost g;
  g.applied["a"] = {{"1.1", 1, 5 * kMs}};
  std::optional<Finding> f = check_no_lost_write(h, name, g);
  REQUIRE(f);
  CHECK(f->message ==
        "reader1's put of \"1.2\" to a was acknowledged at 30ms but the store never "
        "applied it");
  g.applied["a"].push_back({"1.2", 2, 25 * kMs});
  CHECK_FALSE(check_no_lost_write(h, name, g));  // the unknown outcome of 2.1 is not a loss
}

}  // namespace faultline::protocols::cache
