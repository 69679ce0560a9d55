#pragma once
// What the network between nodes does to messages, as settings: every message gets a one-way
// latency drawn from a distribution, may be lost, may be delivered twice. Reordering is a
// consequence of latency, not a separate knob. Partitions are link rules (sim/link_rules.hpp),
// applied when a message arrives: a message in flight when a partition starts is lost. The
// transport (sim/transport.hpp) carries each message under these settings.

#include <cstdint>
#include <optional>
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

// What one directed link does to a message: the world's settings, or a link's own.
struct LinkParams {
  LatencyModel latency;
  Probability loss;
  Probability duplicate;
  bool operator==(const LinkParams&) const = default;
};

// Settings for the directed links from every node of `from` to every node of `to` (and back, when
// `both_ways`): a slow link, a lossy one. A setting not given keeps what the link had before.
struct LinkOverride {
  std::vector<NodeId> from;
  std::vector<NodeId> to;
  bool both_ways = false;
  std::optional<LatencyModel> latency;
  std::optional<Probability> loss;
  std::optional<Probability> duplicate;
  bool operator==(const LinkOverride&) const = default;
};

struct NetworkOptions {
  LatencyModel latency;
  Probability loss;       // a message vanishes (a dropped packet and no retransmission)
  Probability duplicate;  // a message is delivered twice, the copy with its own latency
  // Messages on one link arrive in the order sent (a TCP connection); off, they reorder freely.
  bool fifo_links = false;
  // Per-link settings over the ones above, applied in order: a later entry overrides an earlier
  // one for the links both name. Empty: every link behaves alike (and draws as it always did).
  std::vector<LinkOverride> links;
  bool operator==(const NetworkOptions&) const = default;
};

// Every directed link's settings, looked up per message without a search: the nodes some
// override names get a row and a column of a small matrix of indexes into the distinct settings;
// every other link has the world's. Built whenever the network changes.
class LinkTable {
 public:
  explicit LinkTable(const NetworkOptions& options = {});
  const LinkParams& at(NodeId from, NodeId to) const {
    if (rows_.empty()) return params_[0];
    const uint32_t f = from < rows_.size() ? rows_[from] : kNone;
    const uint32_t t = to < rows_.size() ? rows_[to] : kNone;
    if (f == kNone || t == kNone) return params_[0];
    return params_[cells_[f * involved_.size() + t]];
  }
  // The links some override names, as (from, to) in increasing order, each with its settings.
  std::vector<std::pair<Link, LinkParams>> overridden() const;
  // The directed links whose settings differ between two tables, in increasing order.
  static std::vector<Link> changed(const LinkTable& before, const LinkTable& after);

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> rows_;      // node id -> its row among the involved nodes, or kNone
  std::vector<NodeId> involved_;    // the nodes some override names, in increasing order
  std::vector<uint32_t> cells_;     // involved x involved -> index into params_
  std::vector<bool> named_;         // involved x involved -> some override names the link
  std::vector<LinkParams> params_;  // [0]: the world's settings; then each distinct link's
};

std::string_view to_string(LatencyModel::Shape shape);
// For the trace: times in nanoseconds, probabilities as fractions. With overrides, "links" lists
// every directed link some override names with the settings it ends up with (`names` names the
// nodes), so that a trace says what each link did without its scenario.
nlohmann::json network_json(const NetworkOptions& options,
                            const std::vector<std::string>& names = {});
nlohmann::json latency_json(const LatencyModel& latency);
// A node's name for the trace: its name, or its id when `names` does not reach it.
std::string link_end_name(NodeId node, const std::vector<std::string>& names);

}  // namespace faultline::sim
