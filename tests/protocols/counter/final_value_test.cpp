// The final-value checker: every acknowledged increment counted once, none twice; increments of
// unknown outcome may count once or not at all; a finding names the operations that show it.
#include "protocols/counter/final_value.hpp"

#include <doctest/doctest.h>

namespace faultline::protocols::counter {
namespace {

std::vector<IncrementRecord> increments() {
  return {
      {"client1/0.1", "client1", 10, 20, "r1"},
      {"client2/1.1", "client2", 12, 30, "r1"},
      {"client1/0.2", "client1", 40, -1, ""},  // unknown outcome
  };
}

}  // namespace

TEST_CASE("final-value: acknowledged increments counted once pass, with or without the unknown") {
  CHECK_FALSE(check_final_value({"the counter ends at 2 on r1", {"client1/0.1", "client2/1.1"}},
                                increments(), {}));
  CHECK_FALSE(check_final_value(
      {"the counter ends at 3 on r1", {"client2/1.1", "client1/0.1", "client1/0.2"}}, increments(),
      {}));
}

TEST_CASE("final-value: a lost acknowledged increment is named with who acknowledged it, when") {
  auto f = check_final_value({"the counter ends at 1 on r2 (primary in epoch 2)", {"client1/0.1"}},
                             increments(), {});
  REQUIRE(f);
  CHECK(f->checker == "final-value");
  CHECK(f->message ==
        "the counter ends at 1 on r2 (primary in epoch 2), but 2 increments were acknowledged "
        "(and 1 of unknown outcome); 1 acknowledged increment is not counted: client2/1.1 "
        "(acknowledged by r1 at 30ns)");
  CHECK(f->at_ns == 30);
  CHECK(f->involved == std::vector<std::string>{"client2", "r1"});
}

TEST_CASE("final-value: an increment counted twice is named with its second append") {
  const std::vector<AppendRecord> appends = {
      {"client1/0.1", "r1", 15}, {"client2/1.1", "r1", 25}, {"client1/0.1", "r1", 70}};
  auto f = check_final_value(
      {"the counter ends at 3 on r1", {"client1/0.1", "client2/1.1", "client1/0.1"}}, increments(),
      appends);
  REQUIRE(f);
  CHECK(f->message.find("1 increment is counted more than once: client1/0.1 (2 times, again by "
                        "r1 at 70ns)") != std::string::npos);
  CHECK(f->at_ns == 70);
  // An increment of unknown outcome applied twice is doubled all the same.
  auto unknown = check_final_value(
      {"the counter ends at 4 on r1", {"client1/0.1", "client2/1.1", "client1/0.2", "client1/0.2"}},
      increments(), {});
  REQUIRE(unknown);
  CHECK(unknown->message.find("client1/0.2 (2 times)") != std::string::npos);
}

}  // namespace faultline::protocols::counter

namespace faultline::protocols::counter {

TEST_CASE("final-total: a value below the acknowledged increments names the lost updates") {
  std::vector<IncrementRecord> incs = {
      {"client1/0.1", "client1", 10, 20, "", 0, 1},
      {"client2/1.1", "client2", 11, 25, "", 0, 1},
      {"client1/0.2", "client1", 30, -1, "", 1, 2},  // unknown outcome
  };
  CHECK_FALSE(check_final_total("the counter ends at 2", 2, {incs[0], incs[2]}));
  auto f = check_final_total("the counter ends at 1", 1, incs);
  REQUIRE(f);
  CHECK(f->message ==
        "the counter ends at 1, but 2 increments were acknowledged (and 1 of unknown outcome): at "
        "least 1 acknowledged increment is lost; increments that read the same value and wrote "
        "the same: client1/0.1 and client2/1.1 (both read 0 and wrote 1)");
  CHECK(f->at_ns == 25);
  // Above the acknowledged plus the unknown: counted twice.
  auto twice = check_final_total("the counter ends at 4", 4, incs);
  REQUIRE(twice);
  CHECK(twice->message.find("at least 1 increment is counted twice") != std::string::npos);
}

}  // namespace faultline::protocols::counter
