#pragma once
// The choice tape: every nondeterministic decision in a world (which of several simultaneous
// events goes first, a latency sample, a drop, a fault, a node's random draw) is one call to
// `Choices::draw(stream, bound)`, returning a value in [0, bound). The sequence of values is the
// tape. Random simulation draws them from seeded PRNG streams; replay reads them back; the
// explorer's strategies bias, enumerate or shrink them. Lower tape values are "simpler": the first
// of the simultaneous events, the shortest latency, no drop, no fault. A draw whose simplest
// outcome is its highest value (the longest gap between a nemesis's faults: fewer faults) says so
// with `Simplest::kHighest`, and the tape holds it reflected, so that 0 is the simplest there too.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/random.hpp"

namespace faultline::sim {

// Names an independent random stream ("network", "faults", "node:client1"...). Interned by the
// world so that the hot path passes a small integer.
using StreamId = uint32_t;

struct ChoiceTape {
  std::vector<uint64_t> values;
  // The stream that drew each value, when recorded (empty in a tape read from a file or edited):
  // a shrinker tries the rare streams' values first. Replay never reads it.
  std::vector<StreamId> streams;
  bool operator==(const ChoiceTape&) const = default;
};

// Which end of a draw's range is the simplest outcome, the one a shrunk run should tend to.
enum class Simplest : uint8_t {
  kLowest,   // most draws: the first of simultaneous events, the shortest latency, no drop
  kHighest,  // the longest gap between a nemesis's faults (fewer faults)
};

// A drawn value as the tape holds it, and back: its distance from the simplest value.
constexpr uint64_t tape_value(uint64_t value, uint64_t bound, Simplest simplest) {
  return simplest == Simplest::kLowest ? value : bound - 1 - value;
}

class Choices {
 public:
  virtual ~Choices() = default;
  // A value in [0, bound); bound >= 1. A bound of 1 is not a choice and is never recorded.
  uint64_t draw(StreamId stream, uint64_t bound, Simplest simplest = Simplest::kLowest) {
    if (bound <= 1) return 0;
    uint64_t v = pick(stream, bound, simplest);
    if (recording_) {
      tape_.values.push_back(tape_value(v, bound, simplest));
      tape_.streams.push_back(stream);
    }
    return v;
  }
  // Called by the world for each stream it interns, in order of first use.
  virtual void add_stream(std::string_view name) = 0;

  void start_recording() { recording_ = true; }
  const ChoiceTape& tape() const { return tape_; }

 protected:
  virtual uint64_t pick(StreamId stream, uint64_t bound, Simplest simplest) = 0;

 private:
  bool recording_ = false;
  ChoiceTape tape_;
};

// Draws from one PRNG stream per purpose: adding a client does not change the network's draws.
class RandomChoices final : public Choices {
 public:
  explicit RandomChoices(uint64_t seed) : seed_(seed) {}
  void add_stream(std::string_view name) override { streams_.push_back(Rng::stream(seed_, name)); }

 protected:
  // The direction of simplicity does not change a random draw: the seed's runs stay what they were.
  uint64_t pick(StreamId stream, uint64_t bound, Simplest) override {
    return streams_[stream].below(bound);
  }

 private:
  uint64_t seed_;
  std::vector<Rng> streams_;
};

// The first stream a world interns: "schedule", which event or action goes next.
constexpr StreamId kScheduleStream = 0;

// A search's choices: the schedule's draws read from `path` (past its end, 0: the first action),
// every other stream drawn from its seeded PRNG as in a random run. The search steers what
// happens next and leaves the nodes' own randomness to the seed.
class SteeredChoices final : public Choices {
 public:
  SteeredChoices(std::vector<uint32_t> path, uint64_t seed) : path_(std::move(path)), seed_(seed) {}
  void add_stream(std::string_view name) override { streams_.push_back(Rng::stream(seed_, name)); }
  // How many of the path's values the schedule has read.
  size_t consumed() const { return next_; }
  // Appends the schedule's next draw: a strategy that decides step by step (PCT) steers this way.
  void then(uint32_t value) { path_.push_back(value); }
  const std::vector<uint32_t>& path() const { return path_; }

 protected:
  uint64_t pick(StreamId stream, uint64_t bound, Simplest) override {
    if (stream != kScheduleStream) return streams_[stream].below(bound);
    const uint64_t v = next_ < path_.size() ? path_[next_] : 0;
    ++next_;
    return v < bound ? v : bound - 1;
  }

 private:
  std::vector<uint32_t> path_;
  uint64_t seed_;
  std::vector<Rng> streams_;
  size_t next_ = 0;
};

// Reads values back from a tape. A value at or above its bound is clamped (an edited tape stays
// usable), and past the end every tape value is 0, the simplest choice: a shrunk tape is always
// valid.
class ReplayChoices final : public Choices {
 public:
  explicit ReplayChoices(ChoiceTape tape) : source_(std::move(tape)) {}
  void add_stream(std::string_view) override {}
  // How many values of the source tape were consumed (the rest did not matter to this run).
  size_t consumed() const { return next_; }

 protected:
  uint64_t pick(StreamId, uint64_t bound, Simplest simplest) override {
    uint64_t v = next_ < source_.values.size() ? source_.values[next_++] : 0;
    return tape_value(v < bound ? v : bound - 1, bound, simplest);
  }

 private:
  ChoiceTape source_;
  size_t next_ = 0;
};

}  // namespace faultline::sim

namespace faultline::sim {
// An exponential draw of mean `mean_ns` through the tape (inverse CDF, 2^20 steps): tape value 0
// is the shortest, or with Simplest::kHighest the longest (~13.9 times the mean). Used for latency
// tails and for the gaps between nemesis faults.
int64_t draw_exponential_ns(Choices& choices, StreamId stream, int64_t mean_ns,
                            Simplest simplest = Simplest::kLowest);
}  // namespace faultline::sim
