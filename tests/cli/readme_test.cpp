// The README's quick start, run as the README shows it: the flagship scenario's output.
#include <doctest/doctest.h>

#include "tests/command.hpp"

namespace faultline::testing {

TEST_CASE(
    "README: faultline run lease-gc-pause --check-expect reproduces the lost mutual exclusion") {
  TempDir out;
  CommandResult r = run_faultline(
      {"run", "scenarios/locks/lease-gc-pause.json", "--check-expect", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("VIOLATION fenced-mutual-exclusion at 15.051537347s") != std::string::npos);
  CHECK(r.out.find("expected: violation fenced-mutual-exclusion (as expected)") !=
        std::string::npos);
  CHECK(r.out.find("reproduce: faultline run scenarios/locks/lease-gc-pause.json --seed 1") !=
        std::string::npos);
}

TEST_CASE("faultline with no subcommand is a usage error: exit 2") {
  CommandResult r = run_faultline({});
  CHECK(r.exit_code == 2);
}

TEST_CASE("faultline --version prints the project's version; --help lists the exit codes") {
  CommandResult version = run_faultline({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out == "faultline " FAULTLINE_PROJECT_VERSION "\n");
  CommandResult help = run_faultline({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Exit codes: 0 no violation, 1 violation found, 2 bad input or usage") !=
        std::string::npos);
}

}  // namespace faultline::testing
