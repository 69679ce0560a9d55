// Jepsen's history.edn as Jepsen and Knossos write it: a vector of maps or one map per line,
// :invoke/:ok/:fail/:info, the nemesis's operations among the clients', `independent` [k v]
// tuples, integer values and nil reads. Hand-written histories with their verdicts, generated
// ones with verdicts known by construction, and malformed EDN, which gets one line naming the file,
// the line and what was expected.

#include <doctest/doctest.h>

#include <string>

#include "checkers/history_formats.hpp"
#include "checkers/input_error.hpp"
#include "checkers/models/registry.hpp"
#include "tests/checkers/generated_history.hpp"

namespace faultline::checkers {
namespace {

using nlohmann::json;

CheckResult check_edn(const std::string& text, const char* model, bool independent = false) {
  History h = parse_history(text, "history.edn");
  CheckOptions options;
  options.independent = independent;
  return models::check_history(h, *models::find_model(model), options);
}

std::string error_of(const std::string& text, const char* model = "cas-register",
                     bool independent = false) {
  try {
    check_edn(text, model, independent);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Knossos' layout: one vector, maps spread over lines, the nemesis in between.
const char* const kCasRegister = R"([{:process 0, :type :invoke, :f :write, :value 1}
 {:process 0, :type :ok, :f :write, :value 1}
 {:process 1, :type :invoke, :f :cas, :value [1 2]}
 {:process :nemesis, :type :info, :f :start, :value nil}
 {:process 2, :type :invoke, :f :read, :value nil}
 {:process 1, :type :ok, :f :cas, :value [1 2]}
 {:process :nemesis, :type :info, :f :start,
  :value {"n1" ["n2" "n3"], "n2" #{"n1"}}}
 {:process 2, :type :ok, :f :read, :value 2}
 {:process 3, :type :invoke, :f :cas, :value [1 3]}
 {:process 3, :type :fail, :f :cas, :value [1 3], :error :mismatch}
 {:process 0, :type :invoke, :f :read, :value nil}
 {:process 0, :type :ok, :f :read, :value READ}]
)";

std::string with_read(const char* text, const std::string& value) {
  std::string out = text;
  out.replace(out.find("READ"), 4, value);
  return out;
}

TEST_CASE("a hand-written cas-register history in Knossos' vector layout gets its verdict") {
  CheckResult ok = check_edn(with_read(kCasRegister, "2"), "cas-register");
  CHECK(ok.verdict == Verdict::ok);
  CHECK(ok.operations == 4);  // the nemesis skipped, the failed cas dropped
  // The failed cas did not happen: a read of its value is not linearizable.
  CHECK(check_edn(with_read(kCasRegister, "3"), "cas-register").verdict == Verdict::illegal);
  CHECK(check_edn(with_read(kCasRegister, "1"), "cas-register").verdict == Verdict::illegal);
}

// Jepsen's layout: one map per line, with :index and :time, :info operations and nil reads.
const char* const kJepsenLines =
    R"({:index 0, :time 1000, :type :invoke, :process 0, :f :write, :value 3}
{:index 1, :time 1500, :type :invoke, :process 1, :f :read, :value nil}
{:index 2, :time 1700, :type :ok, :process 1, :f :read, :value nil}
{:index 3, :time 2000, :type :info, :process 0, :f :write, :value 3, :error [:timeout "after 1s"]}
{:index 4, :time 2100, :type :info, :process :nemesis, :f :start-partition, :value :majority}
{:index 5, :time 3000, :type :invoke, :process 5, :f :write, :value 4}
{:index 6, :time 3500, :type :ok, :process 5, :f :write, :value 4}
{:index 7, :time 4000, :type :invoke, :process 1, :f :read, :value nil}
{:index 8, :time 4500, :type :ok, :process 1, :f :read, :value READ}
)";

TEST_CASE("an :info operation may have taken effect at any time after its invoke, or never") {
  // The timed-out write of 3 is seen after the write of 4: it took effect late.
  CHECK(check_edn(with_read(kJepsenLines, "3"), "register").verdict == Verdict::ok);
  // ... or it never took effect.
  CHECK(check_edn(with_read(kJepsenLines, "4"), "register").verdict == Verdict::ok);
  // nil after a completed write of 4 fits no order.
  CHECK(check_edn(with_read(kJepsenLines, "nil"), "register").verdict == Verdict::illegal);
}

TEST_CASE("Jepsen 0.3's tagged records read as the maps they tag") {
  std::string text =
      "#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 0, :f :write, :value 1}\n"
      "#jepsen.history.Op{:index 1, :time 9, :type :ok, :process 0, :f :write, :value 1}\n"
      "#_ {:process 0, :type :invoke} ; a discarded form and a comment\n"
      "#jepsen.history.Op{:index 2, :time 12, :type :invoke, :process 0, :f :read, :value nil}\n"
      "#jepsen.history.Op{:index 3, :time 20, :type :ok, :process 0, :f :read, :value 1}\n";
  CHECK(check_edn(text, "register").verdict == Verdict::ok);
}

// Jepsen's `independent` checker: every value is [key v]; keys are checked apart.
const char* const kIndependent = R"({:process 0, :type :invoke, :f :write, :value [1 5]}
{:process 0, :type :ok, :f :write, :value [1 5]}
{:process 1, :type :invoke, :f :write, :value [2 7]}
{:process 1, :type :ok, :f :write, :value [2 7]}
{:process 2, :type :invoke, :f :cas, :value [2 [7 8]]}
{:process 2, :type :ok, :f :cas, :value [2 [7 8]]}
{:process 0, :type :invoke, :f :read, :value [1 nil]}
{:process 0, :type :ok, :f :read, :value [1 5]}
{:process 1, :type :invoke, :f :read, :value [2 nil]}
{:process 1, :type :ok, :f :read, :value [2 READ]}
{:process 3, :type :invoke, :f :read, :value [3 nil]}
{:process 3, :type :ok, :f :read, :value [3 nil]}
)";

TEST_CASE("independent [k v] tuples are split by key, and the failing key is named") {
  CheckResult ok = check_edn(with_read(kIndependent, "8"), "cas-register", true);
  CHECK(ok.verdict == Verdict::ok);
  CHECK(ok.partitions.size() == 3);
  CheckResult bad = check_edn(with_read(kIndependent, "7"), "cas-register", true);
  REQUIRE(bad.verdict == Verdict::illegal);
  REQUIRE(bad.explanation.has_value());
  CHECK(bad.explanation->partition == "2");
  // The kv model takes the same tuples, integer values and nil reads included.
  CHECK(check_edn(with_read(kIndependent, "8"), "kv").verdict == Verdict::ok);
  CheckResult kv = check_edn(with_read(kIndependent, "7"), "kv");
  REQUIRE(kv.explanation.has_value());
  CHECK(kv.explanation->partition == "2");
}

// Renders a json value as EDN, as Jepsen would print it.
std::string edn(const json& v) {
  if (v.is_null()) return "nil";
  if (v.is_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + edn(v[i]);
    return out + "]";
  }
  return v.dump();
}

// A generated history as Jepsen writes it, with a nemesis operation every 7 operations.
std::string jepsen_edn(const History& h, bool vector) {
  std::string out = vector ? "[" : "";
  std::int64_t index = 0;
  for (const Operation& op : h.ops) {
    if (index % 7 == 3) {
      out += "{:index " + std::to_string(index++) + ", :time " + std::to_string(op.time_ns * 10) +
             ", :type :info, :process :nemesis, :f :kill, :value #{\"n1\" \"n3\"}}\n";
    }
    out += "{:index " + std::to_string(index++) + ", :time " + std::to_string(op.time_ns * 10 + 1) +
           ", :type :" + to_string(op.type) + ", :process " + std::to_string(op.process) +
           ", :f :" + op.f + ", :value " + edn(op.value) + "}\n";
  }
  return out + (vector ? "]\n" : "");
}

TEST_CASE("generated Jepsen histories get their verdict by construction, seeds 1-30") {
  int illegal_checked = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    CAPTURE(seed);
    testing::GeneratedHistoryShape shape;
    shape.operations = 200 + static_cast<int>(seed * 13 % 300);
    shape.processes = 3 + static_cast<int>(seed % 4);
    shape.keys = seed % 2 == 0 ? 4 : 0;
    shape.percent_info = 1;
    testing::GeneratedHistory g(seed, shape);
    bool independent = shape.keys > 0;
    bool vector = seed % 3 == 0;
    CHECK(check_edn(jepsen_edn(g.history(), vector), "cas-register", independent).verdict ==
          Verdict::ok);
    std::optional<std::int64_t> key = g.add_stale_read();
    if (!key) continue;
    CheckResult r = check_edn(jepsen_edn(g.history(), vector), "cas-register", independent);
    CHECK(r.verdict == Verdict::illegal);
    if (independent && r.explanation) CHECK(r.explanation->partition == std::to_string(*key));
    ++illegal_checked;
  }
  CHECK(illegal_checked >= 20);
}

TEST_CASE("malformed EDN gives one line: file, line, field and what was expected") {
  CHECK(error_of("{:process 0, :f :read}\n") ==
        "history.edn:1: expected :type :invoke, :ok, :fail or :info, got no type");
  CHECK(error_of("{:process 0, :type :invoke, :f :read}\n{:process 1.5, :type :ok}\n") ==
        "history.edn:2: expected :process an integer, or a name like :nemesis, got 1.5");
  CHECK(error_of("{:process 0, :type :begin, :f :read}\n") ==
        "history.edn:1: expected :type :invoke, :ok, :fail or :info, got \":begin\"");
  CHECK(error_of("[{:process 0, :type :invoke, :f :read}\n") ==
        "history.edn:1: expected ']' closing the history, got end of file");
  CHECK(error_of("[{:process 0, :type :invoke, :f :read}] {:process 1}") ==
        "history.edn:1: expected the end of the file after the history's ']', got {:process 1}");
  CHECK(error_of("{:process 0, :type :invoke, :f :write, :value 99999999999999999999999}") ==
        "history.edn:1: expected an integer within 64 bits, got 99999999999999999999999");
  CHECK(error_of("{:process 0, :type :invoke, :f :write, :value \"caf\xe9\"}\n", "kv", true) ==
        "history.edn:1: expected a string of valid UTF-8, got invalid UTF-8 bytes");
  CHECK(error_of("{:process 0, :type :invoke, :f :write, :value " + std::string(500, '[') +
                 std::string(500, ']') + "}") ==
        "history.edn:1: expected values nested at most 100 deep, got deeper nesting");
  CHECK(error_of("{:process 0 :type}") ==
        "history.edn:1: expected a value after the map key \":type\", got '}'");
  CHECK(error_of("{:process 0, :type :invoke, :f :read}\n{:process 0, :type :ok, :f :read, "
                 ":value 5, :time 3}\n") ==
        "history.edn:2: expected :time on every operation or on none, got a time after "
        "operations without one");
}

}  // namespace
}  // namespace faultline::checkers
