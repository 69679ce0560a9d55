#include "run/ci_report.hpp"

#include <algorithm>
#include <sstream>

#include "base/markup_escape.hpp"

namespace faultline::run {

using faultline::markup_escape;

namespace {

// "fenced-mutual-exclusion, liveness".
std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// "fenced-mutual-exclusion: 3, liveness: 1".
std::string counted(const std::map<std::string, uint64_t>& counts) {
  std::string out;
  for (const auto& [name, count] : counts) {
    out += (out.empty() ? "" : ", ") + name + ": " + std::to_string(count);
  }
  return out;
}

// "seeds 1..100" (or "seed 7", "no seeds").
std::string seeds_text(const CiSummary& s) {
  if (s.runs() == 0) return "no seeds";
  if (s.first_seed() == s.last_seed()) return "seed " + std::to_string(s.first_seed());
  return "seeds " + std::to_string(s.first_seed()) + ".." + std::to_string(s.last_seed());
}

// "seeds 1..100: 97 of 100 ok".
std::string passing_text(const CiSummary& s) {
  return seeds_text(s) + ": " + std::to_string(s.ok()) + " of " + std::to_string(s.runs()) + " ok";
}

// "3 more seeds", "1 more seed".
std::string more_seeds(uint64_t count, const std::string& adjective = "") {
  return std::to_string(count) + " more " + adjective + (count == 1 ? "seed" : "seeds");
}

// "3 more seeds with a violation, past seed 812 (the first 100 failing seeds are listed)".
std::string unlisted_text(const CiSummary& s, uint64_t count, const std::string& what) {
  return more_seeds(count) + " " + what + ", past seed " +
         std::to_string(s.listed().rbegin()->first) + " (the first " +
         std::to_string(s.listed().size()) + " failing seeds are listed)";
}

const char* const kEverySeed = "the results file has every seed's result";

// "a checker gave up before a verdict on seeds 2, 654 (not a pass); the results file has every
// seed's result".
std::string undecided_text(const CiSummary& s) {
  std::string seeds;
  for (uint64_t seed : s.undecided_seeds())
    seeds += (seeds.empty() ? "" : ", ") + std::to_string(seed);
  if (s.undecided() > s.undecided_seeds().size()) seeds += ", …";
  return "a checker gave up before a verdict on " +
         std::string(s.undecided() == 1 ? "seed " : "seeds ") + seeds + " (not a pass); " +
         kEverySeed;
}

// The passing seeds get a test case when there are some, or when nothing failed (a suite of no
// test case at all reads as "no tests ran" on some servers).
bool passing_case(const CiSummary& s) {
  return s.ok() > 0 || s.listed().empty();
}

// GitHub workflow commands: the message's %, CR and LF are escaped, as the runner's parser
// expects; a property's value also escapes the ':' and ',' that would end it.
std::string github_data(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string github_property(const std::string& text) {
  std::string out;
  for (char c : github_data(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string github_error(const CiSummary& s, const std::string& title, const std::string& message) {
  return "::error file=" + github_property(s.scenario()) +
         ",title=" + github_property("faultline: " + title) + "::" + github_data(message) + "\n";
}

// A table cell of GitHub's Markdown: a '|' would end it and a newline the row.
std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string markdown_code(const std::string& text) {
  const std::string fence = text.find('`') == std::string::npos ? "`" : "`` ";
  const std::string close = fence == "`" ? "`" : " ``";
  return fence + markdown_cell(text) + close;
}

}  // namespace

CiSummary::CiSummary(std::string scenario, std::vector<std::string> overrides,
                     size_t listed_at_most)
    : scenario_(std::move(scenario)),
      overrides_(std::move(overrides)),
      listed_at_most_(listed_at_most) {}

void CiSummary::add(uint64_t seed, const std::vector<std::string>& violations,
                    const std::string& error, const std::vector<std::string>& undecided) {
  first_seed_ = runs_ == 0 ? seed : std::min(first_seed_, seed);
  last_seed_ = runs_ == 0 ? seed : std::max(last_seed_, seed);
  ++runs_;
  if (error.empty() && violations.empty() && !undecided.empty()) {
    ++undecided_;
    // Kept sorted and bounded as the failing seeds are: the lowest, whatever the order.
    undecided_seeds_.insert(
        std::upper_bound(undecided_seeds_.begin(), undecided_seeds_.end(), seed), seed);
    if (undecided_seeds_.size() > listed_at_most_) undecided_seeds_.pop_back();
    return;
  }
  if (error.empty() && violations.empty()) {
    ++ok_;
    return;
  }
  if (!error.empty()) {
    ++errors_;
  } else {
    ++failing_;
    for (const std::string& checker : violations) ++violations_[checker];
  }
  // The lowest seeds stay listed: when one more is listed than allowed, the highest goes.
  listed_[seed] = CiFailure{seed, error.empty() ? violations : std::vector<std::string>{}, error};
  if (listed_.size() > listed_at_most_) {
    auto highest = std::prev(listed_.end());
    unlist(highest->second);
    listed_.erase(highest);
  }
}

void CiSummary::unlist(const CiFailure& failure) {
  if (!failure.error.empty()) {
    ++unlisted_errors_;
    return;
  }
  ++unlisted_failing_;
  for (const std::string& checker : failure.violations) ++unlisted_violations_[checker];
}

void CiSummary::add_run(const nlohmann::json& run) {
  const auto text = [](const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>()
                             : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  const auto seed = run.find("seed");
  std::vector<std::string> violations;
  const auto fired = run.find("violations");
  if (fired != run.end() && fired->is_array()) {
    for (const nlohmann::json& checker : *fired) violations.push_back(text(checker));
  }
  std::vector<std::string> undecided;
  const auto unknown = run.find("unknown");
  if (unknown != run.end() && unknown->is_array()) {
    for (const nlohmann::json& checker : *unknown) undecided.push_back(text(checker));
  }
  std::string error;
  if (const auto e = run.find("error"); e != run.end()) {
    error = text(*e);
    if (error.empty()) error = "(no message)";
  }
  add(seed != run.end() && seed->is_number_unsigned() ? seed->get<uint64_t>() : 0, violations,
      error, undecided);
}

std::string CiSummary::reproduce(uint64_t seed) const {
  std::string command = "faultline run " + scenario_ + " --seed " + std::to_string(seed);
  for (const std::string& o : overrides_) command += " --set '" + o + "'";
  return command;
}

CiSummary ci_summary(const nlohmann::json& results, const std::vector<std::string>& overrides) {
  CiSummary summary(results.value("scenario", std::string("scenario")), overrides);
  const auto runs = results.find("runs");
  if (runs != results.end() && runs->is_array()) {
    for (const nlohmann::json& run : *runs) summary.add_run(run);
  }
  return summary;
}

std::string junit_xml(const CiSummary& s) {
  // Test cases are grouped by class name, which CI servers split at dots into packages: the
  // file's path without its extension reads as one class.
  std::string classname = s.scenario();
  if (classname.size() > 5 && classname.ends_with(".json")) classname.resize(classname.size() - 5);
  const std::string testcase =
      "    <testcase classname=\"" + markup_escape(classname) + "\" name=\"";

  uint64_t failures = 0, errors = 0;
  std::ostringstream cases;
  for (const auto& [seed, failure] : s.listed()) {
    const std::string seed_text = std::to_string(seed);
    cases << testcase << "seed " << seed_text << "\">\n";
    if (failure.error.empty()) {
      ++failures;
      const std::string checkers = joined(failure.violations);
      cases << "      <failure message=\"" << markup_escape(checkers) << "\" type=\"violation\">"
            << markup_escape(checkers + " at seed " + seed_text +
                             "\nreproduce: " + s.reproduce(seed))
            << "</failure>\n";
    } else {
      ++errors;
      cases << "      <error message=\"" << markup_escape(failure.error)
            << "\" type=\"internal error\">"
            << markup_escape("internal error at seed " + seed_text + ": " + failure.error +
                             "\nreproduce: " + s.reproduce(seed))
            << "</error>\n";
    }
    cases << "    </testcase>\n";
  }
  if (s.unlisted_failing() > 0) {
    ++failures;
    const std::string message = unlisted_text(s, s.unlisted_failing(), "with a violation");
    cases << testcase << more_seeds(s.unlisted_failing(), "failing ") << "\">\n"
          << "      <failure message=\"" << markup_escape(message) << "\" type=\"violation\">"
          << markup_escape(message + "\n" + counted(s.unlisted_violations()) + "\n" + kEverySeed)
          << "</failure>\n    </testcase>\n";
  }
  if (s.unlisted_errors() > 0) {
    ++errors;
    const std::string message = unlisted_text(s, s.unlisted_errors(), "with an internal error");
    cases << testcase << more_seeds(s.unlisted_errors()) << " with an internal error\">\n"
          << "      <error message=\"" << markup_escape(message) << "\" type=\"internal error\">"
          << markup_escape(message + "\n" + kEverySeed) << "</error>\n    </testcase>\n";
  }
  // Seeds no checker decided are neither passes nor failures: one skipped test case.
  const uint64_t skipped = s.undecided() > 0 ? 1 : 0;
  if (skipped) {
    const std::string message = undecided_text(s);
    cases << testcase << s.undecided() << (s.undecided() == 1 ? " seed" : " seeds")
          << " undecided\">\n      <skipped message=\"" << markup_escape(message) << "\"/>\n"
          << "    </testcase>\n";
  }
  const uint64_t passing = passing_case(s) ? 1 : 0;
  if (passing) cases << testcase << markup_escape(passing_text(s)) << "\"/>\n";

  const std::string counts = "tests=\"" + std::to_string(failures + errors + skipped + passing) +
                             "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
                             std::to_string(errors) + "\"";
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml << "<testsuites name=\"faultline\" " << counts << ">\n";
  xml << "  <testsuite name=\"" << markup_escape(s.scenario()) << "\" " << counts << " skipped=\""
      << skipped << "\">\n";
  xml << cases.str();
  xml << "  </testsuite>\n</testsuites>\n";
  return xml.str();
}

std::string github_annotations(const CiSummary& s) {
  std::string out;
  for (const auto& [seed, failure] : s.listed()) {
    const std::string seed_text = "seed " + std::to_string(seed);
    if (failure.error.empty()) {
      const std::string checkers = joined(failure.violations);
      out += github_error(s, checkers + " at " + seed_text,
                          seed_text + ": " + checkers + "; reproduce: " + s.reproduce(seed));
    } else {
      out += github_error(s, "internal error at " + seed_text,
                          seed_text + ": " + failure.error + "; reproduce: " + s.reproduce(seed));
    }
  }
  if (s.unlisted_failing() > 0) {
    out += github_error(s, more_seeds(s.unlisted_failing(), "failing "),
                        unlisted_text(s, s.unlisted_failing(), "with a violation") + ": " +
                            counted(s.unlisted_violations()) + "; " + kEverySeed);
  }
  if (s.unlisted_errors() > 0) {
    out += github_error(
        s, more_seeds(s.unlisted_errors()) + " with an internal error",
        unlisted_text(s, s.unlisted_errors(), "with an internal error") + "; " + kEverySeed);
  }
  return out;
}

std::string github_summary(const CiSummary& s) {
  std::ostringstream md;
  md << "### faultline: " << markdown_cell(s.scenario()) << "\n\n";
  md << passing_text(s);
  if (s.failing() > 0) md << ", " << s.failing() << " with a violation";
  if (s.errors() > 0) md << ", " << s.errors() << " with an internal error";
  md << "\n\n";
  if (!s.violations().empty()) {
    md << "| checker | seeds |\n|---|---|\n";
    for (const auto& [checker, count] : s.violations()) {
      md << "| " << markdown_cell(checker) << " | " << count << " |\n";
    }
    md << "\n";
  }
  if (s.listed().empty()) return md.str();
  md << "| seed | what failed | reproduce |\n|---|---|---|\n";
  for (const auto& [seed, failure] : s.listed()) {
    const std::string what =
        failure.error.empty() ? joined(failure.violations) : "internal error: " + failure.error;
    md << "| " << seed << " | " << markdown_cell(what) << " | " << markdown_code(s.reproduce(seed))
       << " |\n";
  }
  if (s.unlisted_failing() > 0) {
    md << "\n"
       << unlisted_text(s, s.unlisted_failing(), "with a violation") << ": "
       << markdown_cell(counted(s.unlisted_violations())) << ".\n";
  }
  if (s.unlisted_errors() > 0) {
    md << "\n" << unlisted_text(s, s.unlisted_errors(), "with an internal error") << ".\n";
  }
  if (!s.diagram().empty()) {
    // GitHub renders a mermaid block as the diagram; folded, so the table stays first.
    md << "\n<details><summary>Seed " << s.diagram_seed()
       << " as a sequence diagram</summary>\n\n```mermaid\n"
       << s.diagram() << "```\n\n</details>\n";
  }
  return md.str();
}

}  // namespace faultline::run
