// Ping-pong in the shape of SimGrid's S4U benchmark: 100 pairs, 2,000 round trips each (400,000
// simulated messages), tracing off. Two variants of the same traffic:
//   actors  a Pinger node sends Ping, a Ponger node replies Pong, the Pinger sends the next Ping;
//   fibers  a FiberNode client does 2,000 blocking `co.call`s against an actor server.
// Prints simulated messages per wall second (median of --repeat runs, default 7), the
// fiber/actor ratio, and, for comparison with bench/simgrid/pingpong_s4u, the same with every
// message taking the same constant latency (all 100 pairs tie at every step: the worst case for
// the tape's tie-breaking).
//
// usage: pingpong_bench [--repeat N]

#include <cstdint>
#include <memory>

#include "bench/bench_report.hpp"
#include "sim/fiber.hpp"
#include "sim/world.hpp"

namespace {

using namespace faultline::sim;
using namespace faultline::bench;

constexpr int kPairs = 100;
constexpr int kRoundTrips = 2000;

struct Ping {
  static constexpr const char* kName = "Ping";
  int64_t n = 0;
};
void to_json(nlohmann::json& j, const Ping& p) {
  j = nlohmann::json{{"n", p.n}};
}
struct Pong {
  static constexpr const char* kName = "Pong";
  int64_t n = 0;
};
void to_json(nlohmann::json& j, const Pong& p) {
  j = nlohmann::json{{"n", p.n}};
}

class Ponger final : public Node {
 public:
  void on_message(Context& ctx, const Message& m) override {
    ctx.reply(m, Pong{m.payload.as<Ping>()->n});
  }
};

class Pinger final : public Node {
 public:
  explicit Pinger(NodeId peer) : peer_(peer) {}
  void on_start(Context& ctx) override { ctx.send(peer_, Ping{0}); }
  void on_message(Context& ctx, const Message& m) override {
    int64_t n = m.payload.as<Pong>()->n + 1;
    if (n < kRoundTrips) ctx.send(peer_, Ping{n});
  }

 private:
  NodeId peer_;
};

WorldOptions options(bool constant) {
  WorldOptions o;
  if (constant) {
    o.network.latency.shape = LatencyModel::Shape::kConstant;
    o.network.latency.min = microseconds(100);
  }  // else the default: uniform in [1ms, 10ms]
  return o;
}

constexpr double kMessages = 2.0 * kPairs * kRoundTrips;

Timing actors_once(bool constant) {
  World world(options(constant), std::make_unique<RandomChoices>(1));
  for (int p = 0; p < kPairs; ++p) {
    NodeId ponger =
        world.add_node("ponger" + std::to_string(p), [] { return std::make_unique<Ponger>(); });
    world.add_node("pinger" + std::to_string(p),
                   [ponger] { return std::make_unique<Pinger>(ponger); });
  }
  Stopwatch watch;
  world.run_until(TrueTime::max());
  Timing t = watch.elapsed();
  if (world.stats().messages_delivered != 2ULL * kPairs * kRoundTrips) std::abort();
  return t;
}

Timing fibers_once(bool constant) {
  World world(options(constant), std::make_unique<RandomChoices>(1));
  for (int p = 0; p < kPairs; ++p) {
    NodeId server =
        world.add_node("server" + std::to_string(p), [] { return std::make_unique<Ponger>(); });
    world.add_node("client" + std::to_string(p), [server] {
      return std::make_unique<FiberNode>([server](Process& co) {
        for (int64_t n = 0; n < kRoundTrips; ++n) {
          auto reply = co.call(server, Ping{n}, seconds(1));
          if (!reply || reply->payload.as<Pong>()->n != n) std::abort();
        }
      });
    });
  }
  Stopwatch watch;
  world.run_until(TrueTime::max());
  Timing t = watch.elapsed();
  if (world.stats().messages_delivered != 2ULL * kPairs * kRoundTrips) std::abort();
  return t;
}

void report(const char* name, const char* human, Timing t) {
  figure(std::string(name) + "_msgs_per_s", kMessages / t.wall, "msg/s",
         std::string(human) + ", per wall second");
  figure(std::string(name) + "_msgs_per_cpu_s", kMessages / t.cpu, "msg/s",
         std::string(human) + ", per CPU second");
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = repeat_from_args(argc, argv, 7);
  std::printf("ping-pong: %d pairs x %d round trips = %.0f messages, tracing off, median of %d\n",
              kPairs, kRoundTrips, kMessages, repeat);
  Timing actors = median_timing(repeat, [] { return actors_once(false); });
  report("pingpong_actors", "actors, uniform latency [1ms,10ms]", actors);
  Timing fibers = median_timing(repeat, [] { return fibers_once(false); });
  report("pingpong_fibers", "fibers (co.call), uniform latency", fibers);
  figure("pingpong_fiber_slowdown", fibers.cpu / actors.cpu, "x",
         "fibers' CPU time / actors' (target <= 2)");
  Timing actors_tied = median_timing(repeat, [] { return actors_once(true); });
  report("pingpong_actors_constant", "actors, constant latency (100-way ties)", actors_tied);
  Timing fibers_tied = median_timing(repeat, [] { return fibers_once(true); });
  report("pingpong_fibers_constant", "fibers, constant latency (100-way ties)", fibers_tied);
  return 0;
}
