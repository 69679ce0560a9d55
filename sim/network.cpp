#include "sim/network.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace faultline::sim {

Duration LatencyModel::sample(Choices& choices, StreamId stream) const {
  switch (shape) {
    case Shape::kConstant:
      return min;
    case Shape::kUniform: {
      uint64_t span = static_cast<uint64_t>((max - min).ns()) + 1;
      return min + Duration::nanoseconds(static_cast<int64_t>(choices.draw(stream, span)));
    }
    case Shape::kExponential: {
      Duration tail = Duration::nanoseconds(draw_exponential_ns(choices, stream, mean.ns()));
      return std::min(min + tail, max);
    }
  }
  return min;
}

Probability Probability::from_double(double p) {
  Probability result;
  p = std::clamp(p, 0.0, 1.0);
  result.threshold_ = static_cast<uint64_t>(std::llround(p * static_cast<double>(kScale)));
  return result;
}

std::string_view to_string(LatencyModel::Shape shape) {
  switch (shape) {
    case LatencyModel::Shape::kConstant:
      return "constant";
    case LatencyModel::Shape::kUniform:
      return "uniform";
    case LatencyModel::Shape::kExponential:
      return "exponential";
  }
  return "?";
}

nlohmann::json network_json(const NetworkOptions& options) {
  const LatencyModel& l = options.latency;
  return {{"latency",
           {{"shape", to_string(l.shape)},
            {"min", l.min.ns()},
            {"max", l.max.ns()},
            {"mean", l.mean.ns()}}},
          {"loss", options.loss.value()},
          {"duplicate", options.duplicate.value()},
          {"fifo", options.fifo_links}};
}

}  // namespace faultline::sim
