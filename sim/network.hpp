#pragma once
// The network between nodes (TigerBeetle's packet_simulator.zig plays the same part): every
// message gets a one-way latency drawn from a distribution, may be lost, may be delivered twice.
// Reordering is a consequence of latency, not a separate knob. Partitions are link rules
// (sim/link_rules.hpp), applied when a message arrives: a message in flight when a partition starts
// is lost.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/choices.hpp"
#include "sim/link_rules.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace faultline::sim {

struct LatencyModel {
  enum class Shape : uint8_t {
    kConstant,     // always `min`
    kUniform,      // uniform in [min, max]
    kExponential,  // min + an exponential tail of mean `mean`, cut at `max`
  };
  Shape shape = Shape::kUniform;
  Duration min = milliseconds(1);   // propagation + transmission floor
  Duration max = milliseconds(10);  // nothing takes longer (a retransmission timeout's worth)
  Duration mean = milliseconds(3);  // mean of the exponential tail above `min`

  // Draws one latency through the tape; lower tape values give shorter latencies.
  Duration sample(Choices& choices, StreamId stream) const;
  bool operator==(const LatencyModel&) const = default;
};

// A probability as an exact fraction of 2^20, so that it means the same on every compiler and a
// tape value of 0 always means "did not happen".
class Probability {
 public:
  static constexpr uint64_t kScale = uint64_t(1) << 20;
  constexpr Probability() = default;
  static Probability from_double(double p);
  double value() const { return static_cast<double>(threshold_) / kScale; }
  bool never() const { return threshold_ == 0; }
  // One bernoulli trial through the tape; skipped (not drawn) when the probability is 0 or 1.
  bool happens(Choices& choices, StreamId stream) const {
    if (threshold_ == 0) return false;
    if (threshold_ >= kScale) return true;
    return choices.draw(stream, kScale) >= kScale - threshold_;
  }
  auto operator<=>(const Probability&) const = default;

 private:
  uint64_t threshold_ = 0;
};

struct NetworkOptions {
  LatencyModel latency;
  Probability loss;       // a message vanishes (a dropped packet and no retransmission)
  Probability duplicate;  // a message is delivered twice, the copy with its own latency
  // Messages on one link arrive in the order sent (a TCP connection); off, they reorder freely.
  bool fifo_links = false;
  bool operator==(const NetworkOptions&) const = default;
};

std::string_view to_string(LatencyModel::Shape shape);
// For the trace: times in nanoseconds, probabilities as fractions.
nlohmann::json network_json(const NetworkOptions& options);

}  // namespace faultline::sim
