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

TEST_CASE("CHANGES.md has a section for this version") {
  const std::string changes = read_text(fs::path(FAULTLINE_SOURCE_DIR) / "CHANGES.md");
  CHECK_MESSAGE(
      changes.find("\n## " + std::string(FAULTLINE_PROJECT_VERSION) + "\n") != std::string::npos,
      "CHANGES.md lists no section \"## " << FAULTLINE_PROJECT_VERSION << "\"");
}

namespace {

// What the CMake package's version file answers to find_package(faultline <requested>).
std::string cmake_answer(const std::string& requested) {
  faultline::testing::TempDir dir;
  std::ofstream script(dir / "ask.cmake");
  script << "set(PACKAGE_FIND_VERSION \"" << requested << "\")\n"
         << "if(PACKAGE_FIND_VERSION)\n"
         << "  string(REPLACE \".\" \";\" parts \"${PACKAGE_FIND_VERSION}\")\n"
         << "  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)\n"
         << "  list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)\n"
         << "endif()\n"
         << "include(\"" << FAULTLINE_SOURCE_DIR << "/cmake/faultlineConfigVersion.cmake\")\n"
         << "message(\"compatible=${PACKAGE_VERSION_COMPATIBLE}\")\n";
  script.close();
  const auto result = faultline::testing::run_shell("cmake -P " + (dir / "ask.cmake") + " 2>&1");
  return result.out.substr(0, result.out.find('\n'));
}

}  // namespace

TEST_CASE("the CMake package meets a 0.y request only with a 0.y release") {
  const std::string version = FAULTLINE_PROJECT_VERSION;
  REQUIRE(version.rfind("0.", 0) == 0);
  const std::string minor = version.substr(0, version.find('.', 2));  // "0.2"
  CHECK(cmake_answer("") == "compatible=TRUE");
  CHECK(cmake_answer(minor) == "compatible=TRUE");
  CHECK(cmake_answer(version) == "compatible=TRUE");
  CHECK(cmake_answer("0.1") == "compatible=FALSE");
  CHECK(cmake_answer("0.99") == "compatible=FALSE");
  CHECK(cmake_answer("1.0") == "compatible=FALSE");
}
