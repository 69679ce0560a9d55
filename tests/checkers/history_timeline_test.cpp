// The HTML timeline: self-contained, one row per process, the breaking op highlighted.

#include <doctest/doctest.h>

#include <sstream>

#include "checkers/history_timeline.hpp"
#include "tests/checkers/history_builder.hpp"

namespace faultline::checkers {
namespace {

TEST_CASE("the timeline of an illegal history highlights the op that cannot be placed") {
  History h = testing::make_history({{0, "invoke", "write", 1},
                                     {0, "ok", "write", 1},
                                     {1, "invoke", "read", nullptr},
                                     {1, "ok", "read", 2}});
  std::vector<CallReturn> calls = pair_calls(h);
  CheckResult r = testing::check("register", h);
  std::ostringstream html;
  write_history_timeline(html, calls, r, "t<1>");
  std::string s = html.str();
  CHECK(s.find("<svg") != std::string::npos);
  CHECK(s.find("process 0") != std::string::npos);
  CHECK(s.find("process 1") != std::string::npos);
  CHECK(s.find("class=\"broken\"") != std::string::npos);
  CHECK(s.find("t&lt;1&gt;") != std::string::npos);
  CHECK(s.find("http://www.w3.org/2000/svg") != std::string::npos);
  CHECK(s.find("src=") == std::string::npos);  // no external assets
}

}  // namespace
}  // namespace faultline::checkers
