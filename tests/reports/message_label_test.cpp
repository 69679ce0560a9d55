// Message labels: the format language a message type declares its label in (each feature, what
// does not fit, what does not parse), the table that carries declarations to the reports, the
// labels of real protocols' messages, and Figure 8's diagram labelled with terms and indices.
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "protocols/locks/messages.hpp"
#include "protocols/paxos/messages.hpp"
#include "protocols/raft/messages.hpp"
#include "protocols/saga/messages.hpp"
#include "protocols/threepc/messages.hpp"
#include "protocols/twopc/messages.hpp"
#include "reports/label_format.hpp"
#include "reports/message_label.hpp"
#include "reports/spacetime_diagram.hpp"
#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "sim/label_format.hpp"
#include "sim/message_labels.hpp"
#include "sim/payload.hpp"

using namespace faultline;
using namespace faultline::reports;
using nlohmann::json;

namespace {

std::string rendered(const char* format, const json& payload) {
  return render_label_format(format, payload).value_or("<does not fit>");
}

// A message type of this test alone, declaring its label: using it as a Payload declares it.
struct Probe {
  static constexpr const char* kName = "LabelTestProbe";
  static constexpr const char* kLabel = "n={n} {ok?ok:not ok}";
  int n = 0;
  bool ok = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Probe, n, ok)

std::string label_of(const sim::Payload& payload, size_t width = 56) {
  return message_label(payload.to_json(), width);
}

}  // namespace

TEST_CASE("a label format substitutes fields, as a person reads them") {
  const json payload = {{"term", 3},
                        {"txn", "t1"},
                        {"granted", true},
                        {"entries", {7, 8}},
                        {"none", nullptr},
                        {"ratio", 0.5},
                        {"retry_after_ns", 1955174964},
                        {"command", {{"op", "put"}, {"key", "x"}}}};
  CHECK(rendered("t{term} {txn}", payload) == "t3 t1");
  CHECK(rendered("{granted} {entries} {none} {ratio}", payload) == "true [2] - 0.5");
  CHECK(rendered("retry in {retry_after_ns}", payload) == "retry in 1.955174964s");
  CHECK(rendered("{command.op} {command.key}", payload) == "put x");
  CHECK(rendered("{entries.1}", payload) == "8");
  CHECK(rendered("{command}", payload) == R"({"key":"x","op":"put"})");
  CHECK(rendered("plain text", payload) == "plain text");
  // A long string keeps its head and tail.
  CHECK(rendered("{name}", {{"name", "lock-1068919741953983084-0000000003"}}) ==
        "lock-106…0000000003");
  CHECK(rendered("", payload).empty());
}

TEST_CASE("a label format counts, adds and chooses") {
  const json payload = {{"prev", 4},    {"entries", {7, 8}}, {"txn", "t12"}, {"meta", {{"a", 1}}},
                        {"yes", false}, {"hint", -1},        {"delay_ns", 5}};
  CHECK(rendered("{#entries} {#txn} {#meta}", payload) == "2 3 1");
  CHECK(rendered("i{prev+1}..{prev+#entries} {prev-10}", payload) == "i5..6 -6");
  CHECK(rendered("{delay_ns+0}", payload) == "5");  // arithmetic gives a number, not a duration
  CHECK(rendered("{yes?yes:no} {txn?named}{hint+1? hint {hint}}", payload) == "no named");
  CHECK(rendered("{empty?full:empty}", {{"empty", ""}}) == "empty");
  CHECK(rendered("{#entries?i{prev+1}{#entries-1?..{prev+#entries}}:heartbeat}", payload) ==
        "i5..6");
  CHECK(rendered("{#entries?i{prev+1}{#entries-1?..{prev+#entries}}:heartbeat}",
                 {{"prev", 4}, {"entries", json::array()}}) == "heartbeat");
  CHECK(rendered("{#entries?i{prev+1}{#entries-1?..{prev+#entries}}:heartbeat}",
                 {{"prev", 4}, {"entries", {1}}}) == "i5");
  // Only the branch taken must fit.
  CHECK(rendered("{yes?{missing}:fine}", payload) == "fine");
}

TEST_CASE("a label format that does not fit its payload is not used") {
  const json payload = {{"term", 3}, {"txn", "t1"}, {"entries", {1}}};
  CHECK_FALSE(render_label_format("t{missing}", payload));
  CHECK_FALSE(render_label_format("{term.inner}", payload));
  CHECK_FALSE(render_label_format("{entries.1}", payload));
  CHECK_FALSE(render_label_format("{txn+1}", payload));    // arithmetic on a string
  CHECK_FALSE(render_label_format("{#term}", payload));    // the length of a number
  CHECK_FALSE(render_label_format("{yes?a:b}", payload));  // a choice on a missing field
  CHECK_FALSE(render_label_format("{term", payload));      // malformed
}

TEST_CASE("a malformed label format is found at compile time") {
  using sim::label_format::format_error;
  using sim::label_format::valid_label_format;
  static_assert(valid_label_format("t{term} {#entries?i{prev+1}:hb} {a.b.0} {x-1} {y?z}"));
  static_assert(!valid_label_format("{term"));
  static_assert(!valid_label_format("term}"));
  static_assert(!valid_label_format("{}"));
  static_assert(!valid_label_format("{a b}"));
  static_assert(!valid_label_format("{a..b}"));
  static_assert(!valid_label_format("{a+}"));
  static_assert(!valid_label_format("{a?{b}"));
  static_assert(!valid_label_format("{a?{#}:c}"));
  CHECK(format_error("{term") == "a `{` without its `}`");
  CHECK(format_error("{a+#}") == "a bad operand after + or -");
}

TEST_CASE("a declared label is the type and its format, cut at a word's end") {
  // The probe was declared at static initialisation, by its use as a Payload below.
  CHECK(sim::message_label_formats("LabelTestProbe") ==
        std::vector<std::string>{"n={n} {ok?ok:not ok}"});
  CHECK(label_of(Probe{.n = 12, .ok = true}) == "LabelTestProbe n=12 ok");
  CHECK(label_of(Probe{.n = 12, .ok = false}, 20) == "LabelTestProbe n=12 …");
  CHECK(label_of(Probe{.n = 12, .ok = false}, 10) == "LabelTestP…");
  // A payload the format does not fit (read from a trace of another build) is labelled
  // generically; so is a type that declares nothing.
  CHECK(message_label({{"type", "LabelTestProbe"}, {"m", 1}}) == "LabelTestProbe m=1");
  CHECK(message_label({{"type", "LabelTestUndeclared"}, {"n", 1}}) == "LabelTestUndeclared n=1");
}

TEST_CASE("types sharing a name keep every format; a payload takes the first that fits") {
  // Declared in the order that puts the later format first in byte order: order does not matter.
  sim::declare_message_label("LabelTestShared", "{txn} {yes?yes:no}");
  sim::declare_message_label("LabelTestShared", "t{term} {granted?yes:no}");
  sim::declare_message_label("LabelTestShared", "t{term} {granted?yes:no}");  // again: no change
  CHECK(sim::message_label_formats("LabelTestShared") ==
        std::vector<std::string>{"t{term} {granted?yes:no}", "{txn} {yes?yes:no}"});
  CHECK(message_label({{"type", "LabelTestShared"}, {"term", 2}, {"granted", true}}) ==
        "LabelTestShared t2 yes");
  CHECK(message_label({{"type", "LabelTestShared"}, {"txn", "t1"}, {"yes", false}}) ==
        "LabelTestShared t1 no");
  CHECK(message_label({{"type", "LabelTestShared"}, {"z", 1}}) == "LabelTestShared z=1");
}

TEST_CASE("protocols' messages carry the fields that tell their story") {
  namespace raft = protocols::raft;
  raft::AppendEntries append{.term = 3, .prev_log_index = 4, .prev_log_term = 2};
  CHECK(label_of(append) == "AppendEntries t3 hb i4 c0");
  append.entries = {raft::LogEntry{.term = 3}};
  append.leader_commit = 4;
  CHECK(label_of(append) == "AppendEntries t3 i5 (t3) c4");
  append.entries.push_back(raft::LogEntry{.term = 3});
  CHECK(label_of(append) == "AppendEntries t3 i5..6 (t3) c4");
  CHECK(label_of(raft::AppendReply{.term = 3, .success = true, .match_index = 6}) ==
        "AppendReply t3 ok i6");
  CHECK(label_of(raft::RequestVote{.term = 12, .last_log_index = 6, .last_log_term = 2}) ==
        "RequestVote t12 last i6 t2");
  // Raft's and 3PC's VoteReply share a name; each is labelled by its own format.
  CHECK(label_of(raft::VoteReply{.term = 12, .granted = true}) == "VoteReply t12 yes");
  CHECK(label_of(protocols::threepc::VoteReply{.txn = "t1", .yes = false}) == "VoteReply no t1");
  // So do 2PC's and Paxos's Prepare.
  CHECK(label_of(protocols::twopc::Prepare{.txn = "t1"}) == "Prepare t1");
  CHECK(label_of(protocols::paxos::Prepare{.ballot = {.round = 2, .proposer = 1}}) ==
        "Prepare b2.1");
  CHECK(label_of(protocols::twopc::Vote{.txn = "t1", .yes = true}) == "Vote yes t1");
  CHECK(label_of(protocols::twopc::Decision{.txn = "t1", .commit = false}) == "Decision abort t1");
  CHECK(label_of(protocols::threepc::Propose{.txn = "t1", .ballot = 2, .commit = true}) ==
        "Propose pre-commit t1 b2");
  // A saga's step and its compensation look different.
  namespace saga = protocols::saga;
  CHECK(label_of(saga::StepCommand{.saga = "o1", .step = "hotel", .op = "apply"}) ==
        "StepCommand apply hotel o1");
  CHECK(label_of(saga::StepCommand{.saga = "o1", .step = "hotel", .op = "compensate"}) ==
        "StepCommand compensate hotel o1");
  namespace locks = protocols::locks;
  CHECK(label_of(locks::Write{.resource = "file", .value = 1, .token = 1}) ==
        "Write file token=1 value=1");
  CHECK(label_of(locks::Denied{.retry_after_ns = 1955174964}) == "Denied retry in 1.955174964s");
}

TEST_CASE("figure8's diagram labels its messages with terms and indices, payloads on hover") {
  const std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/figure8.json";
  const run::Scenario scenario = run::parse_scenario(path, run::load_scenario_document(path));
  const run::RunOutcome outcome =
      run::run_scenario(scenario, run::RunOptions{.seed = 1, .keep_trace = true});
  std::ostringstream out;
  write_spacetime_dot(out, outcome.trace, run::diagram_focus(outcome));
  const std::string dot = out.str();
  INFO(dot);
  // s2 asks for votes in term 9 with its entry of term 1 at index 6; the term-12 leader s5 then
  // sends its own entry for index 6 (of term 2), overwriting the one s2 committed in term 9.
  CHECK(dot.find("RequestVote t9 last i6 t1 → s3") != std::string::npos);
  CHECK(dot.find("AppendEntries t12 i6 (t2) c0 → s3") != std::string::npos);
  CHECK(dot.find("VoteReply t12 yes → s5") != std::string::npos);
  CHECK(dot.find("AppendReply t9 ok i6 → s2") != std::string::npos);
  CHECK(dot.find("prev_log_index=") == std::string::npos);  // no generic Raft label left
  // Hovering shows the whole payload.
  CHECK(dot.find(R"(\n{\"entries\":[)") != std::string::npos);
}
