// What `meson install` ships (docs/library.md): every header of the public layers is in the
// install list, and the version users see (FAULTLINE_VERSION, the CMake package) is the project's.
// That the installed package builds and runs a user's project is `./dev test`'s example step.
#include <doctest/doctest.h>

#include "tests/command.hpp"

#include <faultline/faultline.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using faultline::testing::read_text;

}  // namespace

TEST_CASE("every header of base/, sim/, checkers/, spec/, reports/ and run/ is installed") {
  const fs::path root = FAULTLINE_SOURCE_DIR;
  const std::string build = read_text(root / "meson.build");
  for (const char* folder : {"base", "sim", "checkers", "spec", "reports", "run"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (entry.path().extension() != ".hpp") continue;
      const std::string header = fs::relative(entry.path(), root).generic_string();
      CHECK_MESSAGE(build.find("'" + header + "'") != std::string::npos,
                    header << " is missing from public_headers in meson.build");
    }
  }
}

TEST_CASE("the version in the public header and the CMake package is the project's") {
  CHECK(std::string(FAULTLINE_VERSION) == FAULTLINE_PROJECT_VERSION);
  const std::string cmake =
      read_text(fs::path(FAULTLINE_SOURCE_DIR) / "cmake/faultlineConfigVersion.cmake");
  CHECK(cmake.find("set(PACKAGE_VERSION \"" + std::string(FAULTLINE_PROJECT_VERSION) + "\")") !=
        std::string::npos);
}
