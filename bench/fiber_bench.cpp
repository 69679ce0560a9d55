// The cost of a fiber switch, two ways:
//   kernel   a FiberNode sleeping 1ns in a loop: one sleep/wake cycle is a switch out of the
//            fiber, a timer event through the scheduler, and a switch back in;
//   direct   Boost.Context alone: resume a fiber that yields straight back (two switches).
// Medians of --repeat runs (default 7), per CPU and per wall time.
//
// usage: fiber_bench [--repeat N]

#include <boost/context/fiber.hpp>

#include "bench/bench_report.hpp"
#include "sim/fiber.hpp"
#include "sim/stack_pool.hpp"
#include "sim/world.hpp"

namespace {

using namespace faultline::sim;
using namespace faultline::bench;
namespace ctx = boost::context;

constexpr int kCycles = 2'000'000;

Timing kernel_once() {
  World world(WorldOptions{}, std::make_unique<RandomChoices>(1));
  int wakes = 0;
  world.add_node("sleeper", [&wakes] {
    return std::make_unique<FiberNode>([&wakes](Process& co) {
      for (int i = 0; i < kCycles; ++i) {
        co.sleep(nanoseconds(1));
        ++wakes;
      }
    });
  });
  world.run_until(TrueTime{});  // boot: the fiber is created and reaches its first sleep
  Stopwatch watch;
  world.run_until(TrueTime::max());
  Timing t = watch.elapsed();
  if (wakes != kCycles) std::abort();
  return t;
}

Timing direct_once() {
  volatile int64_t counter = 0;
  ctx::fiber f(std::allocator_arg, PooledStack{}, [&counter](ctx::fiber&& back) {
    while (true) {
      counter = counter + 1;
      back = std::move(back).resume();
    }
    return std::move(back);
  });
  f = std::move(f).resume();  // warm: the fiber is running its loop
  Stopwatch watch;
  for (int i = 0; i < kCycles; ++i) f = std::move(f).resume();
  Timing t = watch.elapsed();
  return t;  // destroying `f` unwinds it
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = repeat_from_args(argc, argv, 7);
  std::printf("fiber switches: %d cycles per run, median of %d\n", kCycles, repeat);
  Timing kernel = median_timing(repeat, kernel_once);
  figure("fiber_sleep_wake_cycle_ns", kernel.cpu / kCycles * 1e9, "ns",
         "FiberNode sleep/wake cycle (2 switches + 1 timer event), CPU");
  figure("fiber_sleep_wake_cycle_wall_ns", kernel.wall / kCycles * 1e9, "ns",
         "FiberNode sleep/wake cycle, wall");
  Timing direct = median_timing(repeat, direct_once);
  figure("boost_context_resume_yield_pair_ns", direct.cpu / kCycles * 1e9, "ns",
         "Boost.Context resume + yield back (2 switches), CPU");
  figure("boost_context_switch_ns", direct.cpu / kCycles / 2 * 1e9, "ns",
         "one Boost.Context switch, CPU");
  figure("boost_context_resume_yield_pair_wall_ns", direct.wall / kCycles * 1e9, "ns",
         "Boost.Context resume + yield back, wall");
  return 0;
}
