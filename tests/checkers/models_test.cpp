// Each model against hand-written histories whose verdict can be seen by eye.

#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "checkers/input_error.hpp"
#include "tests/checkers/history_builder.hpp"

namespace faultline::checkers {
namespace {

using nlohmann::json;
using testing::check;
using testing::make_history;
using testing::verdict;

TEST_CASE("register: a read concurrent with a write may see either value") {
  CHECK(verdict("register", {{0, "invoke", "write", 1},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", 1},
                             {0, "ok", "write", 1}}) == Verdict::ok);
  CHECK(verdict("register", {{0, "invoke", "write", 1},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", nullptr},
                             {0, "ok", "write", 1}}) == Verdict::ok);
}

TEST_CASE("register: a read after a completed write cannot see the older value") {
  CHECK(verdict("register", {{0, "invoke", "write", 1},
                             {0, "ok", "write", 1},
                             {0, "invoke", "write", 2},
                             {0, "ok", "write", 2},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", 1}}) == Verdict::illegal);
  CHECK(verdict("register", {{1, "invoke", "read", nullptr}, {1, "ok", "read", 7}}) ==
        Verdict::illegal);
}

TEST_CASE("register: an info write may take effect later or never; a failed one never does") {
  CHECK(verdict("register", {{0, "invoke", "write", 1},
                             {0, "info", "write", nullptr},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", nullptr},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", 1}}) == Verdict::ok);
  CHECK(verdict("register", {{0, "invoke", "write", 1},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", 1}}) == Verdict::ok);  // never completed = info
  CHECK(verdict("register", {{0, "invoke", "write", 1},
                             {0, "fail", "write", 1},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", 1}}) == Verdict::illegal);
  // Once the info write was seen, it cannot be unseen.
  CHECK(verdict("register", {{0, "invoke", "write", 1},
                             {0, "info", "write", nullptr},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", 1},
                             {1, "invoke", "read", nullptr},
                             {1, "ok", "read", nullptr}}) == Verdict::illegal);
}

// A writer and a reader taking turns on one key while `timed_out` clients' puts never return:
// each of those may take effect at any time after its invoke, or never.
History turns_with_timed_out_puts(int timed_out, const char* last_read) {
  History h;
  h.source = "test";
  for (int i = 0; i < timed_out; ++i) {
    testing::append(h, 10 + i, OpType::invoke, "put",
                    json::array({"k", "lost" + std::to_string(i)}));
    testing::append(h, 10 + i, OpType::info, "put", nullptr);
  }
  for (int round = 0; round < 20; ++round) {
    const std::string value = "v" + std::to_string(round);
    testing::append(h, 0, OpType::invoke, "put", json::array({"k", value}));
    testing::append(h, 0, OpType::ok, "put", json::array({"k", value}));
    testing::append(h, 1, OpType::invoke, "get", json::array({"k", nullptr}));
    testing::append(h, 1, OpType::ok, "get",
                    json::array({"k", round == 19 && last_read ? last_read : value.c_str()}));
  }
  return h;
}

TEST_CASE("kv: timed-out puts whose values nobody read are left out of the search") {
  CheckOptions small;
  small.max_memory_bytes = std::size_t{16} << 20;
  small.threads = 1;
  // 40 such puts could each fall before any of the 20 puts that overwrite it: the orders the
  // search would weigh double with each. Left out, the check is one pass, well within 16 MiB.
  const CheckResult ok = check("kv", turns_with_timed_out_puts(40, nullptr), small);
  CHECK(ok.verdict == Verdict::ok);
  CHECK(ok.partitions.at(0).operations == 80);
  // A read of one of them keeps it (it took effect), and every verdict stays as it was.
  CHECK(check("kv", turns_with_timed_out_puts(40, "lost7"), small).verdict == Verdict::ok);
  // A read of a value never written is illegal with or without them.
  const CheckResult bad = check("kv", turns_with_timed_out_puts(40, "nobody"), small);
  CHECK(bad.verdict == Verdict::illegal);
  // With a cas on the key, a value is seen by the cas too: nothing is left out. This cas found
  // lost1, so that timed-out put took effect after the last read; left out, it would be illegal.
  History with_cas = turns_with_timed_out_puts(3, nullptr);
  testing::append(with_cas, 2, OpType::invoke, "cas",
                  json::array({"k", json::array({"lost1", "z"})}));
  testing::append(with_cas, 2, OpType::ok, "cas", json::array({"k", true}));
  CHECK(check("kv", with_cas, small).verdict == Verdict::ok);
}

TEST_CASE("cas-register: cas swaps only from the expected value") {
  CHECK(verdict("cas-register", {{0, "invoke", "write", 1},
                                 {0, "ok", "write", 1},
                                 {0, "invoke", "cas", json::array({1, 2})},
                                 {0, "ok", "cas", json::array({1, 2})},
                                 {1, "invoke", "read", nullptr},
                                 {1, "ok", "read", 2}}) == Verdict::ok);
  CHECK(verdict("cas-register", {{0, "invoke", "write", 1},
                                 {0, "ok", "write", 1},
                                 {0, "invoke", "cas", json::array({3, 2})},
                                 {0, "ok", "cas", json::array({3, 2})}}) == Verdict::illegal);
}

TEST_CASE("cas-register: a cas returning false saw another value") {
  CHECK(verdict("cas-register", {{0, "invoke", "write", 1},
                                 {0, "ok", "write", 1},
                                 {0, "invoke", "cas", json::array({1, 2})},
                                 {0, "ok", "cas", false}}) == Verdict::illegal);
  CHECK(verdict("cas-register", {{0, "invoke", "write", 1},
                                 {1, "invoke", "cas", json::array({1, 2})},
                                 {1, "ok", "cas", false},
                                 {0, "ok", "write", 1}}) == Verdict::ok);
}

TEST_CASE("counter: reads see the sum of the adds linearized before them") {
  CHECK(verdict("counter", {{0, "invoke", "add", 1},
                            {1, "invoke", "add", 2},
                            {2, "invoke", "read", nullptr},
                            {2, "ok", "read", 2},
                            {0, "ok", "add", 1},
                            {1, "ok", "add", 2}}) == Verdict::ok);
  CHECK(verdict("counter", {{0, "invoke", "add", 1},
                            {0, "ok", "add", 1},
                            {1, "invoke", "add", 2},
                            {1, "ok", "add", 2},
                            {2, "invoke", "read", nullptr},
                            {2, "ok", "read", 4}}) == Verdict::illegal);
}

TEST_CASE("counter: adds that could overflow 64 bits are rejected, not wrapped") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  // Wrapped, max + 1 would be min, and this read of min would be judged ok.
  History wraps = make_history({{0, "invoke", "add", kMax},
                                {0, "ok", "add", kMax},
                                {1, "invoke", "add", 1},
                                {1, "ok", "add", 1},
                                {2, "invoke", "read", nullptr},
                                {2, "ok", "read", std::numeric_limits<std::int64_t>::min()}});
  try {
    check("counter", wraps);
    FAIL("a counter history that overflows was checked");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "test:3: expected adds whose magnitudes sum to at most 2^63-1 (a 64-bit counter), got 1");
  }
  // Up to the bound, every sum is exact: negative adds count by their magnitude.
  CHECK(verdict("counter", {{0, "invoke", "add", kMax - 5},
                            {0, "ok", "add", kMax - 5},
                            {1, "invoke", "add", -5},
                            {1, "ok", "add", -5},
                            {2, "invoke", "read", nullptr},
                            {2, "ok", "read", kMax - 10}}) == Verdict::ok);
}

TEST_CASE("set: a read returns exactly the elements added before it") {
  CHECK(verdict("set", {{0, "invoke", "add", "a"},
                        {1, "invoke", "read", nullptr},
                        {1, "ok", "read", json::array()},
                        {0, "ok", "add", "a"},
                        {1, "invoke", "read", nullptr},
                        {1, "ok", "read", json::array({"a"})}}) == Verdict::ok);
  CHECK(verdict("set", {{0, "invoke", "add", "a"},
                        {0, "ok", "add", "a"},
                        {0, "invoke", "add", "b"},
                        {0, "ok", "add", "b"},
                        {1, "invoke", "read", nullptr},
                        {1, "ok", "read", json::array({"b"})}}) == Verdict::illegal);
}

TEST_CASE("queue: dequeues follow enqueue order") {
  CHECK(verdict("queue", {{0, "invoke", "enqueue", 1},
                          {1, "invoke", "enqueue", 2},
                          {0, "ok", "enqueue", 1},
                          {1, "ok", "enqueue", 2},
                          {2, "invoke", "dequeue", nullptr},
                          {2, "ok", "dequeue", 2},
                          {2, "invoke", "dequeue", nullptr},
                          {2, "ok", "dequeue", 1},
                          {2, "invoke", "dequeue", nullptr},
                          {2, "ok", "dequeue", nullptr}}) == Verdict::ok);
  CHECK(verdict("queue", {{0, "invoke", "enqueue", 1},
                          {0, "ok", "enqueue", 1},
                          {0, "invoke", "enqueue", 2},
                          {0, "ok", "enqueue", 2},
                          {2, "invoke", "dequeue", nullptr},
                          {2, "ok", "dequeue", 2}}) == Verdict::illegal);
}

TEST_CASE("mutex: no two acquires without a release between them") {
  CHECK(verdict("mutex", {{0, "invoke", "acquire", nullptr},
                          {1, "invoke", "acquire", nullptr},
                          {0, "ok", "acquire", nullptr},
                          {0, "invoke", "release", nullptr},
                          {1, "ok", "acquire", nullptr},
                          {0, "ok", "release", nullptr}}) == Verdict::ok);
  CHECK(verdict("mutex", {{0, "invoke", "acquire", nullptr},
                          {0, "ok", "acquire", nullptr},
                          {1, "invoke", "acquire", nullptr},
                          {1, "ok", "acquire", nullptr}}) == Verdict::illegal);
}

TEST_CASE("kv: keys are independent; partitioned and whole-map searches agree") {
  History ok = make_history({{0, "invoke", "put", json::array({"a", "x"})},
                             {0, "ok", "put", json::array({"a", "x"})},
                             {1, "invoke", "append", json::array({"a", "y"})},
                             {2, "invoke", "get", json::array({"b", nullptr})},
                             {2, "ok", "get", json::array({"b", ""})},
                             {1, "ok", "append", json::array({"a", "y"})},
                             {2, "invoke", "get", json::array({"a", nullptr})},
                             {2, "ok", "get", json::array({"a", "xy"})}});
  History bad = make_history({{0, "invoke", "put", json::array({"a", "x"})},
                              {0, "ok", "put", json::array({"a", "x"})},
                              {1, "invoke", "append", json::array({"b", "y"})},
                              {1, "ok", "append", json::array({"b", "y"})},
                              {2, "invoke", "get", json::array({"a", nullptr})},
                              {2, "ok", "get", json::array({"a", "xy"})}});
  CheckOptions whole;
  whole.partition = false;
  CHECK(check("kv", ok).verdict == Verdict::ok);
  CHECK(check("kv", ok, whole).verdict == Verdict::ok);
  CheckResult partitioned = check("kv", bad);
  CHECK(partitioned.verdict == Verdict::illegal);
  CHECK(partitioned.partitions.size() == 2);
  REQUIRE(partitioned.explanation);
  CHECK(partitioned.explanation->partition == "\"a\"");
  CHECK(check("kv", bad, whole).verdict == Verdict::illegal);
}

TEST_CASE("kv: cas swaps only from the expected value; a false cas saw another value") {
  auto op = [](int p, const char* type, const char* f, json v) {
    return testing::Event{p, type, f, json::array({"k", std::move(v)})};
  };
  // An absent key holds "": a cas expecting "" creates it.
  CHECK(verdict("kv", {op(0, "invoke", "cas", json::array({"", "a"})), op(0, "ok", "cas", true),
                       op(1, "invoke", "get", nullptr), op(1, "ok", "get", "a")}) == Verdict::ok);
  // After put "a", a cas expecting "b" cannot have swapped ...
  CHECK(verdict("kv", {op(0, "invoke", "put", "a"), op(0, "ok", "put", "a"),
                       op(1, "invoke", "cas", json::array({"b", "c"})),
                       op(1, "ok", "cas", true)}) == Verdict::illegal);
  // ... nor can one expecting "a" have failed, unless a concurrent write got in first.
  CHECK(verdict("kv", {op(0, "invoke", "put", "a"), op(0, "ok", "put", "a"),
                       op(1, "invoke", "cas", json::array({"a", "c"})),
                       op(1, "ok", "cas", false)}) == Verdict::illegal);
  CHECK(verdict("kv",
                {op(0, "invoke", "put", "a"), op(0, "ok", "put", "a"),
                 op(1, "invoke", "cas", json::array({"a", "c"})), op(2, "invoke", "append", "x"),
                 op(2, "ok", "append", "x"), op(1, "ok", "cas", false)}) == Verdict::ok);
  // A cas whose outcome is unknown may have swapped or not, but not half.
  CHECK(verdict("kv",
                {op(0, "invoke", "put", "a"), op(0, "ok", "put", "a"),
                 op(1, "invoke", "cas", json::array({"a", "c"})), op(1, "info", "cas", nullptr),
                 op(2, "invoke", "get", nullptr), op(2, "ok", "get", "c"),
                 op(2, "invoke", "get", nullptr), op(2, "ok", "get", "a")}) == Verdict::illegal);
  CHECK(
      verdict("kv", {op(0, "invoke", "put", "a"), op(0, "ok", "put", "a"),
                     op(1, "invoke", "cas", json::array({"a", "c"})), op(1, "info", "cas", nullptr),
                     op(2, "invoke", "get", nullptr), op(2, "ok", "get", "a"),
                     op(2, "invoke", "get", nullptr), op(2, "ok", "get", "c")}) == Verdict::ok);
  // The value of a cas is [expected, new]; anything else is named.
  std::string error;
  try {
    verdict("kv", {op(0, "invoke", "cas", "a"), op(0, "ok", "cas", true)});
  } catch (const InputError& e) {
    error = e.what();
  }
  CHECK(error.find("expected cas value [expected, new]") != std::string::npos);
}

TEST_CASE("an illegal verdict names the longest prefix, the unplaceable op and the state") {
  CheckResult r = check("register", make_history({{0, "invoke", "write", 1},
                                                  {0, "ok", "write", 1},
                                                  {0, "invoke", "write", 2},
                                                  {0, "ok", "write", 2},
                                                  {1, "invoke", "read", nullptr},
                                                  {1, "ok", "read", 1}}));
  REQUIRE(r.verdict == Verdict::illegal);
  REQUIRE(r.explanation);
  const Explanation& why = *r.explanation;
  REQUIRE(why.prefix.size() == 2);
  CHECK(why.prefix[0].description == "write(1)");
  CHECK(why.prefix[1].description == "write(2)");
  REQUIRE(why.unplaceable);
  CHECK(why.unplaceable->description == "read() -> 1");
  CHECK(why.unplaceable->process == 1);
  CHECK(why.states == std::vector<std::string>{"2"});
  nlohmann::json j = to_json(r);
  CHECK(j["verdict"] == "illegal");
  CHECK(j["explanation"]["unplaceable"]["id"] == 2);
  CHECK(j["explanation"]["linearizable_prefix"].size() == 2);
}

// Many concurrent writes then an impossible read: every interleaving is explored.
History hard_history(int writers) {
  History h;
  h.source = "hard";
  std::int64_t t = 0;
  auto add = [&](std::int64_t p, OpType type, const char* f, json v) {
    Operation op;
    op.process = p;
    op.type = type;
    op.f = f;
    op.value = std::move(v);
    op.time_ns = ++t;
    h.ops.push_back(op);
  };
  for (int p = 0; p < writers; ++p) add(p, OpType::invoke, "write", p);
  for (int p = 0; p < writers; ++p) add(writers + p, OpType::invoke, "read", nullptr);
  for (int p = 0; p < writers; ++p) add(writers + p, OpType::ok, "read", p);
  for (int p = 0; p < writers; ++p) add(p, OpType::ok, "write", p);
  add(99, OpType::invoke, "read", nullptr);
  add(99, OpType::ok, "read", 1000);
  return h;
}

TEST_CASE("a time limit turns a long search into unknown") {
  CheckOptions options;
  options.timeout = std::chrono::nanoseconds(1);
  CheckResult r = check("register", hard_history(14), options);
  CHECK(r.verdict == Verdict::unknown);
  CHECK(r.unknown_reason == "timeout");
  CHECK(to_json(r)["unknown_reason"] == "timeout");
}

TEST_CASE("a memory bound turns a large search into unknown") {
  CheckOptions options;
  options.max_memory_bytes = 64 * 1024;
  CheckResult r = check("register", hard_history(14), options);
  CHECK(r.verdict == Verdict::unknown);
  CHECK(r.unknown_reason == "memory limit");
}

}  // namespace
}  // namespace faultline::checkers
