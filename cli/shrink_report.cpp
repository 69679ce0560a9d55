#include "cli/shrink_report.hpp"

#include <iostream>
#include <optional>

#include "base/format_ns.hpp"
#include "cli/run_command.hpp"
#include "run/output_file.hpp"

namespace faultline::cli {

std::string before_after(const run::RunMeasure& before, const run::RunMeasure& after) {
  return "faults " + std::to_string(before.size.faults) + " -> " +
         std::to_string(after.size.faults) + ", events " + std::to_string(before.size.events) +
         " -> " + std::to_string(after.size.events) + ", simulated " +
         format_ns(before.simulated_ns) + " -> " + format_ns(after.simulated_ns);
}

int write_and_run_minimal_scenario(const nlohmann::json& scenario, const std::string& out) {
  size_t slash = out.find_last_of('/');
  if (slash != std::string::npos) run::make_directories(out.substr(0, slash));
  run::write_file_atomically(out, scenario.dump(2) + "\n");
  std::cout << "  scenario " << out << "\n";

  RunFlags run;
  run.file = out;
  const std::string json = ".json";
  const bool ends_in_json =
      out.size() > json.size() && out.compare(out.size() - json.size(), json.size(), json) == 0;
  run.out = ends_in_json ? out.substr(0, out.size() - json.size()) : out + "-run";
  return run_and_report(run::load_scenario(out), run, std::nullopt, "");
}

}  // namespace faultline::cli
