#include "run/ci_report.hpp"

#include <sstream>

namespace faultline::run {
namespace {

std::string reproduce(const nlohmann::json& results, const nlohmann::json& run,
                      const std::vector<std::string>& overrides) {
  std::string command = "faultline run " + results.value("scenario", std::string("SCENARIO")) +
                        " --seed " + std::to_string(run.value("seed", uint64_t{0}));
  for (const std::string& o : overrides) command += " --set '" + o + "'";
  return command;
}

bool failed(const nlohmann::json& run) {
  return run.contains("violations") || run.contains("error");
}

// "fenced-mutual-exclusion, liveness" or "error: ...".
std::string what_failed(const nlohmann::json& run) {
  if (run.contains("error")) return "error: " + run["error"].get<std::string>();
  std::string out;
  for (const auto& checker : run["violations"]) {
    out += (out.empty() ? "" : ", ") + checker.get<std::string>();
  }
  return out;
}

// The document's runs, in place (the failing ones are returned as pointers into it).
const nlohmann::json& runs_of(const nlohmann::json& results) {
  static const nlohmann::json none = nlohmann::json::array();
  auto it = results.find("runs");
  return it != results.end() && it->is_array() ? *it : none;
}

std::vector<const nlohmann::json*> failing_runs(const nlohmann::json& results) {
  std::vector<const nlohmann::json*> out;
  for (const auto& run : runs_of(results)) {
    if (failed(run)) out.push_back(&run);
  }
  return out;
}

std::string seed_range(const nlohmann::json& results) {
  const nlohmann::json& runs = runs_of(results);
  if (runs.empty()) return "no seeds";
  return "seeds " + std::to_string(runs.front().value("seed", uint64_t{0})) + ".." +
         std::to_string(runs.back().value("seed", uint64_t{0}));
}

// GitHub's workflow-command data: %, CR and LF are escaped, as the runner's parser expects.
std::string github_escape(const std::string& text) {
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

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab, newline and carriage return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "?";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string junit_xml(const nlohmann::json& results, const std::vector<std::string>& overrides) {
  const std::string scenario = results.value("scenario", std::string("scenario"));
  const auto failures = failing_runs(results);
  const uint64_t ok = results.value("ok", uint64_t{0});
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml << "<testsuites name=\"faultline\" tests=\"" << failures.size() + 1 << "\" failures=\""
      << failures.size() << "\">\n";
  xml << "  <testsuite name=\"" << xml_escape(scenario) << "\" tests=\"" << failures.size() + 1
      << "\" failures=\"" << failures.size() << "\" errors=\"0\" skipped=\"0\">\n";
  for (const nlohmann::json* run : failures) {
    const std::string seed = std::to_string(run->value("seed", uint64_t{0}));
    xml << "    <testcase classname=\"" << xml_escape(scenario) << "\" name=\"seed " << seed
        << "\">\n";
    xml << "      <failure message=\"" << xml_escape(what_failed(*run)) << "\" type=\"violation\">"
        << xml_escape(what_failed(*run) + " at seed " + seed +
                      "\nreproduce: " + reproduce(results, *run, overrides))
        << "</failure>\n";
    xml << "    </testcase>\n";
  }
  xml << "    <testcase classname=\"" << xml_escape(scenario) << "\" name=\""
      << xml_escape(seed_range(results) + ": " + std::to_string(ok) + " ok") << "\"/>\n";
  xml << "  </testsuite>\n</testsuites>\n";
  return xml.str();
}

std::string github_annotations(const nlohmann::json& results,
                               const std::vector<std::string>& overrides) {
  std::string out;
  const std::string scenario = results.value("scenario", std::string("scenario"));
  for (const nlohmann::json* run : failing_runs(results)) {
    out += "::error file=" + github_escape(scenario) +
           ",title=" + github_escape("faultline: " + what_failed(*run)) + "::" +
           github_escape("seed " + std::to_string(run->value("seed", uint64_t{0})) +
                         " fails; reproduce: " + reproduce(results, *run, overrides)) +
           "\n";
  }
  return out;
}

std::string github_summary(const nlohmann::json& results,
                           const std::vector<std::string>& overrides) {
  const auto failures = failing_runs(results);
  std::ostringstream md;
  md << "### faultline: " << results.value("scenario", std::string("scenario")) << "\n\n";
  md << seed_range(results) << ": " << results.value("ok", uint64_t{0}) << " ok, "
     << failures.size() << " failing\n\n";
  if (failures.empty()) return md.str();
  md << "| seed | what failed | reproduce |\n|---|---|---|\n";
  for (const nlohmann::json* run : failures) {
    md << "| " << run->value("seed", uint64_t{0}) << " | " << what_failed(*run) << " | `"
       << reproduce(results, *run, overrides) << "` |\n";
  }
  return md.str();
}

}  // namespace faultline::run
