#include "sim/choices.hpp"

#include <cmath>

namespace faultline::sim {

int64_t draw_exponential_ns(Choices& choices, StreamId stream, int64_t mean_ns, Simplest simplest) {
  constexpr uint64_t kSteps = uint64_t(1) << 20;
  uint64_t u = choices.draw(stream, kSteps, simplest);
  // log1p keeps precision for small u, which is where most draws land.
  double x = -std::log1p(-static_cast<double>(u) / static_cast<double>(kSteps));
  return static_cast<int64_t>(x * static_cast<double>(mean_ns));
}

}  // namespace faultline::sim
