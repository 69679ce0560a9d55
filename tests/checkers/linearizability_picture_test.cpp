// The linearizability picture: self-contained, a time axis in the history's units, the prefix
// numbered with the state after each operation, the operation that cannot be placed marked, one
// partition per key with the failing one first, and a bounded window on a long history.

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "checkers/history_formats.hpp"
#include "checkers/linearizability_picture.hpp"
#include "tests/checkers/history_builder.hpp"

namespace faultline::checkers {
namespace {

std::string picture_of(const History& h, const char* model, PictureOptions options = {}) {
  CheckOptions check;
  check.describe_states = true;
  CheckResult r = testing::check(model, h, check);
  std::ostringstream html;
  options.timed = h.timed;
  write_linearizability_page(html, pair_calls(h), r, options);
  return html.str();
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// The text of the axis' tick labels, in order.
std::vector<std::string> ticks(const std::string& html) {
  std::vector<std::string> out;
  const std::size_t axis = html.find("<g class=\"axis\">");
  const std::string part = html.substr(axis, html.find("</g>", axis) - axis);
  static const std::regex tick("<text [^>]*>([^<]*)</text>");
  for (std::sregex_iterator it(part.begin(), part.end(), tick), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

TEST_CASE("the picture of an illegal history numbers the prefix, states after each, and the op") {
  // write 1, then write 2, then a read of 1 that starts after both returned: not linearizable.
  History h = testing::make_history({{0, "invoke", "write", 1},
                                     {0, "ok", "write", 1},
                                     {1, "invoke", "write", 2},
                                     {1, "ok", "write", 2},
                                     {2, "invoke", "read", nullptr},
                                     {2, "ok", "read", 1}});
  PictureOptions options;
  options.title = "t<1>";
  const std::string s = picture_of(h, "register", options);
  CHECK(s.find("t&lt;1&gt;") != std::string::npos);
  CHECK(s.find("not linearizable") != std::string::npos);
  // Three rows, the prefix numbered 1 and 2 on its bars, with the state after each in the list.
  CHECK(s.find(">process 0</text>") != std::string::npos);
  CHECK(s.find(">process 2</text>") != std::string::npos);
  CHECK(count(s, "class=\"op lin\"") == 2);
  CHECK(s.find("data-n=\"1\"") != std::string::npos);
  CHECK(s.find("data-n=\"2\"") != std::string::npos);
  CHECK(s.find(">1. write(1)") != std::string::npos);
  CHECK(s.find(">2. write(2)") != std::string::npos);
  CHECK(s.find("<div class=\"state\">&rarr; 1</div>") != std::string::npos);
  CHECK(s.find("<div class=\"state\">&rarr; 2</div>") != std::string::npos);
  CHECK(s.find("state after: 2") != std::string::npos);  // on the bar's hover
  // The read is marked, on its bar and in the list, and the page opens on it.
  CHECK(count(s, "class=\"op broken\"") == 1);
  CHECK(s.find("id=\"lin-op-2\" data-op=\"2\"") != std::string::npos);
  CHECK(s.find("cannot be placed next: <span class=\"who\">process 2</span> read() -&gt; 1") !=
        std::string::npos);
  CHECK(s.find("data-broken=\"2\"") != std::string::npos);
  // Untimed: the axis counts events.
  CHECK(s.find("data-timed=\"0\"") != std::string::npos);
  for (const std::string& t : ticks(s)) CHECK(t.rfind("#", 0) == 0);
  CHECK_FALSE(ticks(s).empty());
  // Self-contained.
  CHECK(s.find("src=") == std::string::npos);
  CHECK(s.find("href=\"http") == std::string::npos);
}

TEST_CASE("the picture's axis is in the history's time units, open operations run to the edge") {
  const std::string text =
      "{\"process\": 0, \"type\": \"invoke\", \"f\": \"write\", \"value\": 1, \"time\": 0}\n"
      "{\"process\": 0, \"type\": \"ok\", \"f\": \"write\", \"value\": 1, \"time\": 2000000}\n"
      "{\"process\": 1, \"type\": \"invoke\", \"f\": \"write\", \"value\": 2, \"time\": 3000000}\n"
      "{\"process\": 2, \"type\": \"invoke\", \"f\": \"read\", \"value\": null, \"time\": "
      "5000000}\n"
      "{\"process\": 2, \"type\": \"ok\", \"f\": \"read\", \"value\": 2, \"time\": 9000000}\n";
  History h = parse_history(text, "h.jsonl", HistoryFormat::automatic);
  REQUIRE(h.timed);
  const std::string s = picture_of(h, "register");
  CHECK(s.find("<span class=\"good\">linearizable</span>") != std::string::npos);
  CHECK(s.find("data-timed=\"1\"") != std::string::npos);
  const std::vector<std::string> t = ticks(s);
  REQUIRE(t.size() >= 4);
  CHECK(t.front() == "0ms");
  CHECK(t[1] == "2ms");
  // process 1's write never returned: dashed, open-ended, yet in the linearization (it must have
  // happened for the read of 2), and the order's states are listed.
  CHECK(count(s, "class=\"op lin open\"") == 1);
  CHECK(s.find("data-b=\"\"") != std::string::npos);
  CHECK(s.find("write(2) -&gt; ?") != std::string::npos);
  CHECK(s.find("Linearization (3 operations)") != std::string::npos);
  CHECK(s.find("<div class=\"state\">&rarr; 2</div>") != std::string::npos);
}

TEST_CASE("a keyed picture shows the failing key first and the others in a select") {
  History h = testing::make_history({{0, "invoke", "put", nlohmann::json::array({"a", "x"})},
                                     {0, "ok", "put", nlohmann::json::array({"a", "x"})},
                                     {1, "invoke", "put", nlohmann::json::array({"b", "y"})},
                                     {1, "ok", "put", nlohmann::json::array({"b", "y"})},
                                     {1, "invoke", "get", nlohmann::json::array({"b", nullptr})},
                                     {1, "ok", "get", nlohmann::json::array({"b", "z"})}});
  const std::string s = picture_of(h, "kv");
  CHECK(s.find("on key <code>") != std::string::npos);
  CHECK(count(s, "<div class=\"part\"") == 2);
  const std::size_t select = s.find("<select class=\"partsel\"");
  REQUIRE(select != std::string::npos);
  const std::size_t b = s.find("not linearizable)</option>", select);
  const std::size_t a = s.find("(1 operation)</option>", select);
  CHECK(b < a);  // the failing key's option comes first
  CHECK(s.find("style=\"display:none\"") != std::string::npos);  // the other, hidden until picked
}

TEST_CASE("a long history's picture is a window around the failing op, not a wide strip") {
  const std::filesystem::path file =
      std::filesystem::path(FAULTLINE_SHARED_DIR) / "data" / "porcupine" / "kv" / "c50-bad.txt";
  History h = read_history_file(file.string());
  const std::string s = picture_of(h, "kv");
  CHECK(s.find("not linearizable") != std::string::npos);
  // Every lane's diagram is the fixed width, and no partition draws more than the window.
  CHECK(count(s, "<svg class=\"lanes\"") == 10);
  CHECK(count(s, "width=\"" + std::to_string(kPictureWidth) + "\" height=") == 10);
  std::size_t at = 0;
  while ((at = s.find("<svg class=\"lanes\"", at)) != std::string::npos) {
    const std::size_t end = s.find("</svg>", at);
    CHECK(count(s.substr(at, end - at), "<g class=\"op") <= kPictureWindowOps);
    at = end;
  }
  // The failing op is drawn (once) in the first lane, and in the initial view: data-v0..v1 holds
  // its invoke.
  const std::size_t first_end = s.find("</svg>");
  CHECK(count(s.substr(0, first_end), "op broken\"") +
            count(s.substr(0, first_end), "open broken\"") ==
        1);
  CHECK(s.size() < 4u << 20);
}

}  // namespace
}  // namespace faultline::checkers
