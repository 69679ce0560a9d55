// Memory per in-flight message and per idle fiber.
//   message  one node sends N Pings at once with a 1 hour latency; the heap bytes that are live
//            while they travel, divided by N (this binary counts every operator new/delete).
//   fiber    N FiberNodes each asleep for an hour: the stack pool's mapping per fiber (address
//            space, mostly never touched), the resident memory it adds (pages actually touched,
//            from /proc/self/statm), and the heap bytes of the node object, its fiber and its
//            record.
//
// usage: memory_bench

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>

#include "bench/bench_report.hpp"
#include "sim/fiber.hpp"
#include "sim/stack_pool.hpp"
#include "sim/world.hpp"

namespace {

std::atomic<int64_t> live_bytes{0};

// Every allocation carries its size in a 16-byte header, so that delete can subtract it.
void* counted_new(std::size_t n) {
  void* p = std::malloc(n + 16);
  if (!p) throw std::bad_alloc();
  *static_cast<std::size_t*>(p) = n;
  live_bytes += static_cast<int64_t>(n);
  return static_cast<char*>(p) + 16;
}
void counted_delete(void* p) noexcept {
  if (!p) return;
  char* base = static_cast<char*>(p) - 16;
  live_bytes -= static_cast<int64_t>(*reinterpret_cast<std::size_t*>(base));
  std::free(base);
}

}  // namespace

void* operator new(std::size_t n) {
  return counted_new(n);
}
void* operator new[](std::size_t n) {
  return counted_new(n);
}
void operator delete(void* p) noexcept {
  counted_delete(p);
}
void operator delete[](void* p) noexcept {
  counted_delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_delete(p);
}

namespace {

using namespace faultline::sim;
using namespace faultline::bench;

struct Ping {
  static constexpr const char* kName = "Ping";
  int64_t n = 0;
};
void to_json(nlohmann::json& j, const Ping& p) {
  j = nlohmann::json{{"n", p.n}};
}

class Sink final : public Node {
 public:
  void on_message(Context&, const Message&) override {}
};

class Flood final : public Node {
 public:
  Flood(NodeId to, int count) : to_(to), count_(count) {}
  void on_start(Context& ctx) override {
    for (int i = 0; i < count_; ++i) ctx.send(to_, Ping{i});
  }
  void on_message(Context&, const Message&) override {}

 private:
  NodeId to_;
  int count_;
};

int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

void in_flight_message(int n) {
  WorldOptions options;
  options.network.latency.shape = LatencyModel::Shape::kConstant;
  options.network.latency.min = seconds(3600);
  World world(options, std::make_unique<RandomChoices>(1));
  NodeId sink = world.add_node("sink", [] { return std::make_unique<Sink>(); });
  world.add_node(
      "flood", [sink, n] { return std::make_unique<Flood>(sink, n); }, NodeClock{},
      TrueTime{} + milliseconds(1));
  world.run_until(TrueTime{});  // the sink boots
  int64_t before = live_bytes, rss_before = resident_bytes();
  world.run_until(TrueTime{} + milliseconds(1));  // N messages leave
  int64_t heap = live_bytes - before, rss = resident_bytes() - rss_before;
  if (world.stats().messages_sent != uint64_t(n)) std::abort();
  std::printf("in-flight messages: %d (vectors grow by doubling: capacity, not size, is counted)\n",
              n);
  figure("inflight_message_heap_bytes", double(heap) / n, "B",
         "heap per in-flight message (slot + queue entry)");
  figure("inflight_message_rss_bytes", double(rss) / n, "B",
         "resident memory per in-flight message");
}

void idle_fibers(int n) {
  World world(WorldOptions{}, std::make_unique<RandomChoices>(1));
  size_t mapped_before = StackPool::for_this_thread().mapped();
  int64_t before = live_bytes, rss_before = resident_bytes();
  for (int i = 0; i < n; ++i) {
    world.add_node("f" + std::to_string(i), [] {
      return std::make_unique<FiberNode>([](Process& co) { co.sleep(seconds(3600)); });
    });
  }
  world.run_until(TrueTime{});  // every fiber starts and goes to sleep
  int64_t heap = live_bytes - before, rss = resident_bytes() - rss_before;
  double mapped = double(StackPool::for_this_thread().mapped() - mapped_before);
  std::printf("idle fibers: %d, sizeof(FiberNode) = %zu B\n", n, sizeof(FiberNode));
  figure("idle_fiber_stack_mapped_bytes", mapped / n, "B", "stack mapped per idle fiber (+guard)");
  figure("idle_fiber_rss_bytes", double(rss) / n, "B",
         "resident per idle fiber (touched stack + objects)");
  figure("idle_fiber_heap_bytes", double(heap) / n, "B",
         "heap per idle fiber (node, body, record, name, timer)");
}

}  // namespace

int main() {
  in_flight_message(1'000'000);
  idle_fibers(10'000);
  return 0;
}
