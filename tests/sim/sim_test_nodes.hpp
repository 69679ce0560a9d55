#pragma once
// Small building blocks for the kernel's tests: message types, a node whose handlers are lambdas,
// and trace sinks that keep or hash what a world did.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/nemesis_options.hpp"
#include "sim/node.hpp"
#include "sim/random.hpp"
#include "sim/trace.hpp"
#include "sim/world.hpp"

namespace faultline::sim::testing {

struct Ping {
  static constexpr const char* kName = "Ping";
  int64_t n = 0;
};
inline void to_json(nlohmann::json& j, const Ping& p) {
  j = nlohmann::json{{"n", p.n}};
}

struct Pong {
  static constexpr const char* kName = "Pong";
  int64_t n = 0;
};
inline void to_json(nlohmann::json& j, const Pong& p) {
  j = nlohmann::json{{"n", p.n}};
}

// A node whose behaviour is three lambdas. The lambdas are copied into every fresh object, so
// state they capture by reference outlives crashes (test bookkeeping); the node's own volatile
// state is `counter`, which a crash resets.
struct Script {
  std::function<void(Context&, int64_t& counter)> start;
  std::function<void(Context&, const Message&, int64_t& counter)> message;
  std::function<void(Context&, TimerId, uint64_t tag, int64_t& counter)> timer;
};

class ScriptedNode final : public Node {
 public:
  explicit ScriptedNode(const Script& script) : script_(script) {}
  void on_start(Context& ctx) override {
    if (script_.start) script_.start(ctx, counter_);
  }
  void on_message(Context& ctx, const Message& m) override {
    if (script_.message) script_.message(ctx, m, counter_);
  }
  void on_timer(Context& ctx, TimerId id, uint64_t tag) override {
    if (script_.timer) script_.timer(ctx, id, tag, counter_);
  }
  int64_t counter() const { return counter_; }

 private:
  Script script_;
  int64_t counter_ = 0;
};

inline NodeFactory scripted(Script script) {
  return [script = std::move(script)] { return std::make_unique<ScriptedNode>(script); };
}

// Keeps every event.
class RecordingSink final : public TraceSink {
 public:
  void record(const TraceEvent& event) override { events.push_back(event); }
  std::vector<TraceEvent> of_kind(TraceKind kind) const {
    std::vector<TraceEvent> out;
    for (const TraceEvent& e : events) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }
  size_t count(TraceKind kind) const { return of_kind(kind).size(); }
  std::vector<TraceEvent> events;
};

// A hash of everything an event says, in order: equal hashes mean equal traces.
class HashingSink final : public TraceSink {
 public:
  void record(const TraceEvent& e) override {
    std::string line = std::to_string(e.index) + "|" + std::to_string(e.at.ns()) + "|" +
                       std::string(to_string(e.kind)) + "|" + std::to_string(e.node) + "|" +
                       std::to_string(e.local.ns()) + "|" + std::to_string(e.wall.ns()) + "|" +
                       std::to_string(e.lamport) + "|" + std::to_string(e.peer) + "|" +
                       std::to_string(e.message_id) + "|" + std::to_string(e.call_id) + "|" +
                       e.detail + "|" + e.data.dump() + "\n";
    hash = fnv1a(line, hash);
    ++events;
  }
  uint64_t hash = 0xcbf29ce484222325ULL;
  uint64_t events = 0;
};

inline NetworkOptions constant_latency(Duration d) {
  NetworkOptions n;
  n.latency.shape = LatencyModel::Shape::kConstant;
  n.latency.min = d;
  n.latency.max = d;
  return n;
}

inline std::unique_ptr<Choices> seeded(uint64_t seed) {
  return std::make_unique<RandomChoices>(seed);
}

inline TrueTime at_ms(int64_t ms) {
  return TrueTime{} + milliseconds(ms);
}

// Every node pings a random peer every few milliseconds.
inline Script chatter(size_t nodes) {
  return Script{
      [](Context& ctx, int64_t&) { ctx.set_timer(milliseconds(2)); },
      nullptr,
      [nodes](Context& ctx, TimerId, uint64_t, int64_t&) {
        NodeId to = static_cast<NodeId>(ctx.random(nodes));
        if (to != ctx.self()) ctx.send(to, Ping{});
        ctx.set_timer(ctx.random_duration(milliseconds(1), milliseconds(3)));
      },
  };
}

// A nemesis of every kind of fault at `targets` from `start_ms` to `stop_ms`, a fault every
// `interval_ms` on average, each lasting `fault_min_ms` to `fault_max_ms`.
inline NemesisOptions every_fault_kind(const std::vector<NodeId>& targets, int64_t start_ms,
                                       int64_t stop_ms, int64_t interval_ms, int64_t fault_min_ms,
                                       int64_t fault_max_ms) {
  NemesisOptions nemesis;
  nemesis.kinds = {NemesisOptions::Kind::kPartition,  NemesisOptions::Kind::kCrash,
                   NemesisOptions::Kind::kPause,      NemesisOptions::Kind::kClockJump,
                   NemesisOptions::Kind::kClockDrift, NemesisOptions::Kind::kLossBurst};
  nemesis.targets = targets;
  nemesis.start = at_ms(start_ms);
  nemesis.stop = at_ms(stop_ms);
  nemesis.interval_mean = milliseconds(interval_ms);
  nemesis.fault_min = milliseconds(fault_min_ms);
  nemesis.fault_max = milliseconds(fault_max_ms);
  return nemesis;
}

}  // namespace faultline::sim::testing
