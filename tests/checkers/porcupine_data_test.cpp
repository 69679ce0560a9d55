// Every history Porcupine's own tests publish a verdict for gets that verdict here.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "checkers/history_formats.hpp"
#include "checkers/models/registry.hpp"

#ifndef FAULTLINE_SHARED_DIR
#error "tests/meson.build defines FAULTLINE_SHARED_DIR, the shared folder holding data/porcupine"
#endif

namespace faultline::checkers {
namespace {

namespace fs = std::filesystem;

fs::path porcupine_dir() {
  return fs::path(FAULTLINE_SHARED_DIR) / "data" / "porcupine";
}

nlohmann::json expected_verdicts() {
  fs::path path = porcupine_dir() / "expected.json";
  std::ifstream in(path);
  // A missing data folder must fail the suite, not pass it by checking nothing.
  REQUIRE_MESSAGE(
      in.good(), "Porcupine test data not found at " << path.string() << " (FAULTLINE_SHARED_DIR)");
  return nlohmann::json::parse(in);
}

TEST_CASE("all 108 Porcupine histories get the verdict Porcupine's tests assert") {
  nlohmann::json expected = expected_verdicts();
  REQUIRE(expected.size() == 108);
  int checked = 0;
  for (const auto& item : expected.items()) {
    // Plain locals, not a structured binding: clang 14 cannot capture those in CAPTURE's lambda.
    const std::string name = item.key();
    const auto& want = item.value();
    CAPTURE(name);
    bool is_kv = name.rfind("kv/", 0) == 0;
    History h = read_history_file((porcupine_dir() / name).string());
    const models::ModelInfo* model = models::find_model(is_kv ? "kv" : "cas-register");
    REQUIRE(model != nullptr);
    CheckResult r = models::check_history(h, *model, {});
    CHECK(to_string(r.verdict) == want.get<std::string>());
    if (r.verdict == Verdict::illegal) CHECK(r.explanation.has_value());
    ++checked;
  }
  CHECK(checked == 108);
}

TEST_CASE("etcd_095, the empty log of a cluster that never started, is an empty history") {
  History h = read_history_file((porcupine_dir() / "jepsen" / "etcd_095.log").string());
  CHECK(h.ops.empty());
  CHECK(models::check_history(h, *models::find_model("cas-register"), {}).verdict == Verdict::ok);
}

TEST_CASE("kv c01 histories get the same verdict checked as one partition") {
  CheckOptions whole;
  whole.partition = false;
  for (const char* name : {"c01-ok.txt", "c01-bad.txt"}) {
    CAPTURE(name);
    History h = read_history_file((porcupine_dir() / "kv" / name).string());
    CheckResult r = models::check_history(h, *models::find_model("kv"), whole);
    CHECK(r.partitions.size() == 1);
    CHECK(r.verdict ==
          (std::string(name).find("ok") != std::string::npos ? Verdict::ok : Verdict::illegal));
  }
}

}  // namespace
}  // namespace faultline::checkers
