#include "cli/ci_outputs.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string_view>

namespace faultline::cli {

bool on_github_actions() {
  const char* value = std::getenv("GITHUB_ACTIONS");
  return value && std::string_view(value) == "true";
}

CiOutputs::CiOutputs(const std::string& junit) {
  if (!junit.empty()) junit_ = std::make_unique<run::OutputFile>(junit, "--junit");
}

void CiOutputs::write(const run::CiSummary& summary) {
  if (junit_) {
    junit_->stream() << run::junit_xml(summary);
    junit_->commit();
  }
  if (!on_github_actions()) return;
  std::cout << run::github_annotations(summary) << std::flush;
  const char* file = std::getenv("GITHUB_STEP_SUMMARY");
  if (!file || !*file) return;
  // Appended, as every step's summary is: the runner gives each step its own file to add to.
  errno = 0;
  std::ofstream out(file, std::ios::app | std::ios::binary);
  if (out) out << run::github_summary(summary) << "\n";
  if (!out.flush()) {
    std::cerr << "faultline: " << file << ": $GITHUB_STEP_SUMMARY: expected a file to append the "
              << "job summary to, got " << (errno ? std::strerror(errno) : "a write error") << "\n";
  }
}

}  // namespace faultline::cli
