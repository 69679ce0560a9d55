// Every protocol family's figures from one program: the scenarios listed in bench/protocols.json
// (the property tests' scenarios of each family), each over seeds 1..N, tracing off and on;
// medians per wall and CPU second of seeds, simulated events, simulated seconds and the entry's
// summary figure. A new protocol adds entries to the list, not a program.
//
// usage: protocol_bench [--only TAG-PREFIX] [--repeat N, default 3] [--list FILE]
//        run from the source root (or pass --root DIR)

#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/scenario_bench.hpp"

namespace {

using faultline::bench::ScenarioBench;

std::vector<ScenarioBench> read_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  const nlohmann::json list = nlohmann::json::parse(in);
  std::vector<ScenarioBench> out;
  for (const nlohmann::json& entry : list.at("scenarios")) {
    ScenarioBench b;
    b.tag = entry.at("tag").get<std::string>();
    b.file = entry.at("file").get<std::string>();
    b.overrides = entry.value("set", std::vector<std::string>{});
    b.seeds = entry.value("seeds", uint64_t{10});
    b.figure = entry.value("figure", std::string{});
    b.tracing_too = entry.value("traced", true);
    out.push_back(std::move(b));
  }
  return out;
}

std::string flag_value(int argc, char** argv, const std::string& flag,
                       const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == flag) return argv[i + 1];
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  namespace bench = faultline::bench;
  const std::string root = flag_value(argc, argv, "--root", ".");
  const std::string list = flag_value(argc, argv, "--list", root + "/bench/protocols.json");
  const std::string only = flag_value(argc, argv, "--only", "");
  const int repeat = bench::repeat_from_args(argc, argv, 3);
  try {
    for (const ScenarioBench& b : read_list(list)) {
      if (b.tag.rfind(only, 0) != 0) continue;
      bench::bench_scenario(root, b, repeat);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "protocol_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}
