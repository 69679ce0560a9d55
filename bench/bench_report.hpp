#pragma once
// Shared by the kernel's benchmarks: repetitions, medians, and the two ways each figure is
// printed - a line for people and a `name value unit` line for scripts (grep '^fig ').

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace faultline::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds used by this process: on a loaded machine (the bench machine has 2 cores and other
// builds running) wall time counts the time we were not scheduled; CPU time does not.
inline double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Wall and CPU seconds of one timed section.
struct Timing {
  double wall = 0;
  double cpu = 0;
};

class Stopwatch {
 public:
  Stopwatch() : wall0_(Clock::now()), cpu0_(cpu_seconds()) {}
  Timing elapsed() const { return Timing{seconds_since(wall0_), cpu_seconds() - cpu0_}; }

 private:
  Clock::time_point wall0_;
  double cpu0_;
};

inline double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  size_t n = xs.size();
  return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

// Runs `once` (which returns its own measurement) `repeat` times and returns the median.
inline double median_of(int repeat, const std::function<double()>& once) {
  std::vector<double> xs;
  for (int i = 0; i < repeat; ++i) xs.push_back(once());
  return median(xs);
}

// Runs `once` `repeat` times; the medians of its wall and CPU times, separately.
inline Timing median_timing(int repeat, const std::function<Timing()>& once) {
  std::vector<double> walls, cpus;
  for (int i = 0; i < repeat; ++i) {
    Timing t = once();
    walls.push_back(t.wall);
    cpus.push_back(t.cpu);
  }
  return Timing{median(walls), median(cpus)};
}

// "fig <name> <value> <unit>": the machine-readable line.
inline void figure(const std::string& name, double value, const std::string& unit,
                   const std::string& human) {
  std::printf("%-58s %14.4g %s\n", human.c_str(), value, unit.c_str());
  std::printf("fig %s %.6g %s\n", name.c_str(), value, unit.c_str());
  std::fflush(stdout);
}

inline int repeat_from_args(int argc, char** argv, int fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--repeat") return std::max(1, std::atoi(argv[i + 1]));
  }
  return fallback;
}

}  // namespace faultline::bench
