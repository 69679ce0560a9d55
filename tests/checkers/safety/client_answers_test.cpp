#include "checkers/safety/client_answers.hpp"
#include "base/format_ns.hpp"

#include <doctest/doctest.h>

using namespace faultline;
using namespace faultline::checkers;

namespace {
constexpr int64_t kMs = 1000000;
}

TEST_CASE("clients-answered accepts answers before the heal or within the bound after it") {
  ClientAnswersInput input;
  input.healed_at_ns = 6000 * kMs;
  input.bound_ns = 5000 * kMs;
  input.run_end_ns = 12000 * kMs;
  input.requests = {
      {"client", "commit t1", 100 * kMs, 3000 * kMs},    // answered during the faults
      {"client", "commit t2", 3000 * kMs, 10900 * kMs},  // waited out the faults, then answered
      {"client", "commit t3", 10950 * kMs, kNever},      // its time is not up at the end
  };
  CHECK_FALSE(check_clients_answered(input));
}

TEST_CASE("clients-answered fires on a client left waiting after the heal") {
  // The shape of a restarted 3PC coordinator that never learns the outcome: the client's first
  // transaction stays unanswered, and it never gets to the others.
  ClientAnswersInput input;
  input.healed_at_ns = 6000 * kMs;
  input.bound_ns = 5000 * kMs;
  input.run_end_ns = 12000 * kMs;
  input.requests = {{"client", "commit t1", 50 * kMs, kNever}};
  auto f = check_clients_answered(input);
  REQUIRE(f);
  CHECK(f->checker == "clients-answered");
  CHECK(f->at_ns == 11000 * kMs);
  CHECK(f->involved == std::vector<std::string>{"client"});
  CHECK(f->message ==
        "client's commit t1 (invoked at 50ms) was not answered within 5s after the last fault "
        "healed at 6s: no answer came before the run ended at 12s (1 request overdue; 0 of 1 "
        "answered in the whole run)");
}

TEST_CASE("clients-answered names a late answer and counts every overdue request") {
  ClientAnswersInput input;
  input.healed_at_ns = 0;
  input.bound_ns = 100 * kMs;
  input.run_end_ns = 1000 * kMs;
  input.requests = {
      {"client1", "acquire", 500 * kMs, 700 * kMs},  // due at 600ms
      {"client2", "acquire", 100 * kMs, kNever},     // due at 200ms: the first
  };
  auto f = check_clients_answered(input);
  REQUIRE(f);
  CHECK(f->at_ns == 200 * kMs);
  CHECK(f->involved == std::vector<std::string>{"client2"});
  CHECK(f->message.find("(2 requests overdue; 1 of 2 answered") != std::string::npos);
  input.requests.pop_back();
  REQUIRE(check_clients_answered(input));
  CHECK(check_clients_answered(input)->message.find("the answer came only at 700ms") !=
        std::string::npos);
}
