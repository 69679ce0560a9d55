// History readers: detection by content, each format's semantics, one-line input errors.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "base/format_ns.hpp"
#include "checkers/history_formats.hpp"
#include "checkers/input_error.hpp"
#include "checkers/models/registry.hpp"

namespace faultline::checkers {
namespace {

std::string error_of(const std::string& text, HistoryFormat format = HistoryFormat::automatic,
                     const char* model = nullptr) {
  try {
    History h = parse_history(text, "h.jsonl", format);
    if (model != nullptr) models::check_history(h, *models::find_model(model), {});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST_CASE("formats are detected from the first non-blank line") {
  CHECK(detect_history_format("\n{\"process\":0}", "f") == HistoryFormat::jsonl);
  CHECK(detect_history_format("INFO  jepsen.util - 0\t:invoke\t:read\tnil", "f") ==
        HistoryFormat::etcd);
  CHECK(detect_history_format("{:process 0, :type :invoke}", "f") == HistoryFormat::edn);
  CHECK(detect_history_format("[{:process 0, :type :invoke}]", "f") == HistoryFormat::edn);
  CHECK(detect_history_format("\n[\n {:process 0}]", "f") == HistoryFormat::edn);
  CHECK(detect_history_format("#jepsen.history.Op{:index 0}", "f") == HistoryFormat::edn);
  CHECK(detect_history_format(";; Jepsen\n{ :process 0}", "f") == HistoryFormat::edn);
  CHECK(detect_history_format("{ \"process\": 0}", "f") == HistoryFormat::jsonl);
  CHECK(detect_history_format("", "f") == HistoryFormat::jsonl);
  CHECK(error_of("\nhello\n") ==
        "h.jsonl:2: expected a history: JSON Lines ({\"process\": ...}), Jepsen EDN ({:process "
        "...} or [{:process ...} ...]) or a Jepsen etcd log, got hello");
}

TEST_CASE("jsonl: ops carry process, type, f, value and optional time") {
  History h = parse_history(
      "{\"index\":0,\"process\":1,\"type\":\"invoke\",\"f\":\"write\",\"value\":3,\"time\":5}\n"
      "{\"index\":1,\"process\":\"nemesis\",\"type\":\"info\",\"f\":\"start\",\"time\":6}\n"
      "{\"index\":2,\"process\":1,\"type\":\"ok\",\"f\":\"write\",\"value\":3,\"time\":9}\n",
      "h.jsonl");
  REQUIRE(h.ops.size() == 2);
  CHECK(h.ops[1].time_ns == 9);
  CHECK(h.ops[1].line == 3);
  CHECK(h.ops[0].value == 3);
}

TEST_CASE("etcd: a failed cas happened and returned false; timeouts stay open") {
  History h = parse_history(
      "INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\n"
      "INFO  jepsen.util - 2\t:fail\t:cas\t[3 0]\n"
      "INFO  jepsen.util - 4\t:invoke\t:write\t1\n"
      "INFO  jepsen.util - 4\t:info\t:write\t:timed-out\n",
      "e.log");
  std::vector<CallReturn> calls = pair_calls(h);
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].output == false);
  CHECK(calls[0].output_known);
  CHECK(calls[1].ret == kNever);
}

TEST_CASE("edn: Porcupine's kv logs give the key apart, and values become [key, v]") {
  History h = parse_history(
      "{:process 0, :type :invoke, :f :append, :key \"k\", :value \"x 0 0 y\"}\n", "c.txt");
  REQUIRE(h.ops.size() == 1);
  CHECK(h.ops[0].value == nlohmann::json::array({"k", "x 0 0 y"}));
  CHECK(h.ops[0].f == "append");
}

TEST_CASE("malformed input gives one line naming file, line and what was expected") {
  CHECK(error_of("{\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n{oops\n") ==
        "h.jsonl:2: expected a JSON object, got {oops");
  CHECK(error_of("{\"process\":0,\"type\":\"begin\",\"f\":\"read\"}\n") ==
        "h.jsonl:1: expected \"type\": invoke, ok, fail or info, got \"begin\"");
  CHECK(error_of("{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"value\":1}\n", {}, "register") ==
        "h.jsonl:1: expected an invoke of process 0 before its completion, got ok read with no "
        "open invoke");
  CHECK(error_of("{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"value\":5}\n", {},
                 "cas-register") == "h.jsonl:1: expected cas value [old, new], got 5");
  CHECK(error_of("{\"process\":0,\"type\":\"invoke\",\"f\":\"push\"}\n", {}, "queue") ==
        "h.jsonl:1: expected f enqueue or dequeue, got \"push\"");
  CHECK(error_of("INFO  jepsen.util - 0\t:invoke\t:read\t[1 x]\n", HistoryFormat::etcd) ==
        "h.jsonl:1: expected nil, an integer, [old new] or :timed-out, got [1 x]");
  CHECK(error_of("{:process 0, :type :invoke, :f :get, :key \"a\", :value nil\n",
                 HistoryFormat::edn) == "h.jsonl:1: expected '}', got end of file");
  for (const char* text : {"{\"process\":0}", "\x01\x02", "{:process", "INFO  jepsen.util - x"}) {
    std::string e = error_of(text);
    CHECK(e.find('\n') == std::string::npos);
  }
}

TEST_CASE("an unreadable file or a directory is an input error at line 0") {
  CHECK_THROWS_AS(read_history_file("/nonexistent/history.jsonl"), InputError);
  try {
    read_history_file("/tmp");
    FAIL("a directory was read as a history");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "/tmp:0: expected a history file, got a directory");
  }
}

TEST_CASE("jsonl: integers past 64 bits and deep nesting are input errors, not wrapped values") {
  CHECK(error_of("{\"process\":18446744073709551615,\"type\":\"invoke\",\"f\":\"read\"}\n") ==
        "h.jsonl:1: expected \"process\": an integer, or a name like \"nemesis\", got "
        "18446744073709551615");
  CHECK(
      error_of("{\"process\":0,\"type\":\"invoke\",\"f\":\"add\",\"value\":18446744073709551615}\n",
               {}, "counter") ==
      "h.jsonl:1: expected an integer to add (64-bit), got 18446744073709551615");
  std::string deep =
      "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":" + std::string(5000, '[') +
      std::string(5000, ']') + "}";
  CHECK(error_of(deep) == "h.jsonl:1: expected values nested at most 100 deep, got deeper nesting");
}

}  // namespace
}  // namespace faultline::checkers

namespace faultline::checkers {

TEST_CASE("write_history_jsonl writes what parse_jsonl reads back to the same operations") {
  for (bool timed : {true, false}) {
    CAPTURE(timed);
    History h{"mem", {}, timed};
    auto add = [&](int64_t process, OpType type, const char* f, nlohmann::json value, int64_t at) {
      h.ops.push_back({process, type, f, std::move(value), timed ? at : 0, 0});
    };
    add(0, OpType::invoke, "put", nlohmann::json::array({"x", "1"}), 10);
    add(1, OpType::invoke, "get", nlohmann::json::array({"x", nullptr}), 12);
    add(0, OpType::ok, "put", nlohmann::json::array({"x", "1"}), 20);
    add(1, OpType::info, "get", nullptr, 30);
    add(2, OpType::fail, "cas", nlohmann::json::array({1, 2}), 31);
    std::ostringstream out;
    write_history_jsonl(out, h, [](int64_t p) { return "client" + std::to_string(p + 1); });
    CHECK(out.str().find("\"node\":\"client2\"") != std::string::npos);
    const History back = parse_history(out.str(), "back.jsonl");
    CHECK(back.timed == timed);
    REQUIRE(back.ops.size() == h.ops.size());
    for (size_t i = 0; i < h.ops.size(); ++i) {
      CAPTURE(i);
      CHECK(back.ops[i].process == h.ops[i].process);
      CHECK(back.ops[i].type == h.ops[i].type);
      CHECK(back.ops[i].f == h.ops[i].f);
      CHECK(back.ops[i].value == h.ops[i].value);
      // Untimed: the reader gives each line its 1-based position as its time, as in any such file.
      CHECK(back.ops[i].time_ns == (timed ? h.ops[i].time_ns : static_cast<int64_t>(i + 1)));
    }
  }
}

TEST_CASE("jsonl: the \"node\" a run writes names its process, once and for all") {
  const History h = parse_history(
      "{\"process\":0,\"node\":\"client1\",\"type\":\"invoke\",\"f\":\"read\"}\n"
      "{\"process\":3,\"type\":\"invoke\",\"f\":\"read\"}\n"
      "{\"process\":0,\"node\":\"client1\",\"type\":\"ok\",\"f\":\"read\",\"value\":1}\n",
      "h.jsonl");
  CHECK(process_label(h, 0) == "client1");
  CHECK(process_label(h, 3) == "process 3");
  CHECK(error_of("{\"process\":0,\"node\":\"client1\",\"type\":\"invoke\",\"f\":\"read\"}\n"
                 "{\"process\":0,\"node\":\"client2\",\"type\":\"ok\",\"f\":\"read\"}\n") ==
        "h.jsonl:2: expected \"node\": \"client1\", the name process 0 has on earlier lines, got "
        "\"client2\"");
  CHECK(error_of("{\"process\":0,\"node\":7,\"type\":\"invoke\",\"f\":\"read\"}\n") ==
        "h.jsonl:1: expected \"node\": a node name like \"client1\", got 7");
  // Jepsen's :node is the database node a client talks to, not the client: EDN ignores it.
  const History edn =
      parse_history("{:process 0, :node \"n1\", :type :invoke, :f :read}\n", "h.edn");
  CHECK(edn.process_names.empty());
}

}  // namespace faultline::checkers
