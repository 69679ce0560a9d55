// Every client records its operations one way (protocols/client_operation.hpp): each goes into the
// trace with its Jepsen type, and into the harness's history when the client was given one, under
// a fresh process number per incarnation.
#include "protocols/client_operation.hpp"
#include "protocols/history_recorder.hpp"

#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/sim/sim_test_nodes.hpp"

namespace faultline::protocols {
namespace {

using sim::testing::at_ms;

std::vector<std::string> traced(const sim::testing::RecordingSink& sink) {
  std::vector<std::string> out;
  for (const sim::TraceEvent& e : sink.of_kind(sim::TraceKind::kOperation)) {
    out.push_back(e.data.at("process").get<std::string>() + " " +
                  e.data.at("type").get<std::string>() + " " + e.data.at("f").get<std::string>() +
                  " " + e.data.at("value").dump());
  }
  return out;
}

}  // namespace

TEST_CASE("a client's operations go into the trace and its history, a process per incarnation") {
  HistoryRecorder history;
  sim::testing::RecordingSink sink;
  sim::World world(sim::WorldOptions{}, sim::testing::seeded(1));
  world.set_trace(&sink);
  sim::NodeId client = world.add_node("c1", [&history] {
    return std::make_unique<sim::FiberNode>([&history](sim::Process& co) {
      ClientOperations ops(co, history);
      ops.invoke("put", {"k", "v"});
      co.sleep(sim::milliseconds(10));
      ops.ok("put", {"k", "v"});
      ops.invoke("get", {"k", nullptr});
      co.sleep(sim::milliseconds(100));  // crashed meanwhile: left open
      ops.fail("get", {"k", nullptr});
    });
  });
  world.run_until(at_ms(20));
  world.crash(client);
  world.restart(client);
  world.run_until(at_ms(25));

  CHECK(traced(sink) ==
        std::vector<std::string>{R"(c1 invoke put ["k","v"])", R"(c1 ok put ["k","v"])",
                                 R"(c1 invoke get ["k",null])", R"(c1 invoke put ["k","v"])"});
  const std::vector<checkers::Operation>& ops = history.history().ops;
  REQUIRE(ops.size() == 4);
  CHECK(ops[0].process == 0);
  CHECK(ops[0].type == checkers::OpType::invoke);
  CHECK(ops[1].type == checkers::OpType::ok);
  CHECK(ops[1].time_ns == at_ms(10).ns());
  CHECK(ops[2].process == 0);
  CHECK(ops[3].process == 1);  // the restarted client is a new process
  CHECK(ops[3].time_ns == at_ms(20).ns());
  CHECK(history.process_name(1) == "c1");
}

TEST_CASE("a client without a history records its operations in the trace alone") {
  sim::testing::RecordingSink sink;
  sim::World world(sim::WorldOptions{}, sim::testing::seeded(1));
  world.set_trace(&sink);
  int64_t process = 0;
  world.add_node("c1", [&process] {
    return std::make_unique<sim::FiberNode>([&process](sim::Process& co) {
      ClientOperations ops(co);
      process = ops.process();
      ops.invoke("acquire", "L");
      ops.info("acquire", "L");
      ops.record(checkers::OpType::fail, "write", 3);
    });
  });
  world.run_until(at_ms(5));
  CHECK(process == -1);
  CHECK(traced(sink) == std::vector<std::string>{R"(c1 invoke acquire "L")",
                                                 R"(c1 info acquire "L")", R"(c1 fail write 3)"});
}

}  // namespace faultline::protocols

namespace faultline::protocols {

TEST_CASE("a history hashes how clients' operations interleave, not when they happened") {
  // Two clients, each one put, c2 starting `c2_start` ms in: their operations overlap or follow
  // one another. Each client's own operations are the same either way; the real-time order the
  // linearizability checker judges is not, and a search must not merge the two.
  const auto history_hash = [](int64_t c2_start, int64_t put_ms) {
    HistoryRecorder history;
    sim::World world(sim::WorldOptions{}, sim::testing::seeded(1));
    for (int c = 0; c < 2; ++c) {
      const int64_t start = c == 0 ? 0 : c2_start;
      world.add_node("c" + std::to_string(c + 1), [&history, start, put_ms, c] {
        return std::make_unique<sim::FiberNode>([&history, start, put_ms, c](sim::Process& co) {
          if (start > 0) co.sleep(sim::milliseconds(start));
          ClientOperations ops(co, history);
          ops.invoke("put", {"k", c});
          co.sleep(sim::milliseconds(put_ms));
          ops.ok("put", {"k", c});
        });
      });
    }
    world.run_until(at_ms(100));
    REQUIRE(history.history().ops.size() == 4);
    sim::StateHasher hasher;
    history.hash(hasher);
    return hasher.value();
  };
  const uint64_t overlapping = history_hash(5, 10);  // c1 invoke, c2 invoke, c1 ok, c2 ok
  const uint64_t sequential = history_hash(20, 10);  // c1 invoke, c1 ok, c2 invoke, c2 ok
  CHECK(overlapping != sequential);
  CHECK(history_hash(30, 10) == sequential);  // the same order at other times: the same state
  CHECK(history_hash(3, 7) == overlapping);
}

}  // namespace faultline::protocols
