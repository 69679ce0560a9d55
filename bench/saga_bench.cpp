// The saga family's figures (issue 6, "Performance"): the property tests' scenarios,
// orchestrated (scenarios/saga/trip-booking-faults.json) and choreographed
// (choreography-faults.json): seeds, simulated events and seconds, and sagas begun, per wall and
// per CPU second, tracing off and on.
//
// usage: saga_bench [source dir, default .] [--repeat N, default 3]

#include <string>

#include "bench/scenario_bench.hpp"

int main(int argc, char** argv) {
  namespace bench = faultline::bench;
  std::string root = argc > 1 && std::string(argv[1]) != "--repeat" ? argv[1] : ".";
  const int repeat = bench::repeat_from_args(argc, argv, 3);
  bench::bench_scenario(
      root, {"saga_orchestrated", "scenarios/saga/trip-booking-faults.json", {}, 10, "sagas_begun"},
      repeat);
  bench::bench_scenario(
      root,
      {"saga_choreographed", "scenarios/saga/choreography-faults.json", {}, 10, "sagas_begun"},
      repeat);
  return 0;
}
