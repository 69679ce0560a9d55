#pragma once
// The network between nodes (TigerBeetle's packet_simulator.zig plays the same part): every
// message gets a one-way latency drawn from a distribution, may be lost, may be delivered twice.
// Reordering is a consequence of latency, not a separate knob. Partitions are link rules, applied
// when a message arrives: a message in flight when a partition starts is lost.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/choices.hpp"
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
};

// Which directed links currently carry messages. All open = no partition.
class LinkRules {
 public:
  explicit LinkRules(size_t nodes = 0) : n_(nodes), blocked_(nodes * nodes, 0) {}
  void resize(size_t nodes);
  bool blocked(NodeId from, NodeId to) const {
    return from < n_ && to < n_ && blocked_[from * n_ + to] != 0;
  }
  void block(NodeId from, NodeId to) {
    uint8_t& link = blocked_[from * n_ + to];
    blocked_count_ += link == 0;
    link = 1;
  }
  // Asked after every fault: a count, not a scan of the matrix.
  bool any_blocked() const { return blocked_count_ != 0; }
  void heal();
  size_t size() const { return n_; }

 private:
  size_t n_;
  std::vector<uint8_t> blocked_;
  size_t blocked_count_ = 0;
};

// A partition as the scenario states it; the world turns it into LinkRules.
struct PartitionSpec {
  enum class Mode : uint8_t {
    kSplit,    // groups cannot reach one another; nodes in no group reach everyone
    kOneWay,   // messages from groups[0] to groups[1] are lost; the other way works
    kIsolate,  // `groups[0]` (usually one node) is cut off from every other node
    kBridge,   // groups[0] and groups[1] are split, but `groups[2]` (one node) reaches both
    kMajorityMinority,  // `groups[0]` is split in two, a random minority cut from the majority
  };
  Mode mode = Mode::kSplit;
  std::vector<std::vector<NodeId>> groups;
};

std::string_view to_string(PartitionSpec::Mode mode);

// Applies a partition to `rules` (replacing what was there). kMajorityMinority draws its minority
// through `choices`. Returns a human description naming the sides; `applied`, if given, receives
// the partition as applied (a majority-minority as the kSplit it drew).
std::string apply_partition(const PartitionSpec& spec, LinkRules& rules, Choices& choices,
                            StreamId stream, const std::vector<std::string>& names,
                            PartitionSpec* applied = nullptr);

}  // namespace faultline::sim
