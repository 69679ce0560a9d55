// The Redis-like counter harness: a primary and a replica with asynchronous or acknowledged
// replication, a sentinel that promotes the replica (Redis replication and Sentinel; Kingsbury,
// "Call me maybe: Redis", 2013), and INCR clients with or without idempotency keys.
#include "protocols/counter/redis_counter.hpp"

#include <algorithm>

#include "protocols/counter/counter_client.hpp"
#include "protocols/counter/final_value.hpp"
#include "protocols/counter/redis_server.hpp"
#include "protocols/counter/sentinel.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/history_sometimes.hpp"
#include "protocols/kv/service_checks.hpp"
#include "protocols/linearizable.hpp"
#include "protocols/liveness.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::counter {
namespace {

// What a variant changes: when the primary answers, and whether clients send idempotency keys.
struct CounterFlags {
  bool ack_after_replication = true;
  bool idempotency_keys = true;
};

const VariantTable<CounterFlags>& counter_variants() {
  static const VariantTable<CounterFlags> table({
      {"correct",
       "the primary answers an INCR once its replica has it (WAIT 1) and a GET once the replica "
       "confirms it still follows; INCRs carry idempotency keys",
       false,
       {}},
      {"ack-before-replication",
       "the primary answers at once and replicates in the background (Redis's default): a "
       "failover promotes a replica without the last acknowledged increments",
       true,
       {.ack_after_replication = false}},
      {"retry-without-idempotency-key",
       "a client retries an INCR whose reply it lost without an idempotency key: the server "
       "applies it again",
       true,
       {.idempotency_keys = false}},
  });
  return table;
}

struct CounterParams {
  int clients = 3;
  CounterClientOptions client;
  sim::Duration ping_interval = sim::milliseconds(20);
  sim::Duration failover_after = sim::milliseconds(200);
  sim::Duration replicate_interval = sim::milliseconds(20);
  sim::Duration liveness_bound = sim::seconds(5);
};

CounterParams read_params(Fields& p) {
  CounterParams out;
  out.clients = static_cast<int>(p.integer("clients", 3, 1, 100));
  CounterClientOptions& c = out.client;
  c.operations = static_cast<int>(p.integer("operations", 20, 1, 100000));
  c.read_percent = static_cast<int>(p.integer("read_percent", 30, 0, 100));
  c.think = p.duration("think", c.think);
  c.call_timeout = p.duration("call_timeout", c.call_timeout, sim::microseconds(1));
  c.retry_backoff = p.duration("retry_backoff", c.retry_backoff, sim::microseconds(1));
  c.give_up_after = p.duration("give_up_after", c.give_up_after, sim::microseconds(1));
  out.ping_interval = p.duration("ping_interval", out.ping_interval, sim::microseconds(1));
  out.failover_after = p.duration("failover_after", out.failover_after, sim::microseconds(1));
  if (out.failover_after <= out.ping_interval) {
    p.fail("failover_after", "a duration above ping_interval, or every ping gap is a failover");
  }
  out.replicate_interval =
      p.duration("replicate_interval", out.replicate_interval, sim::microseconds(1));
  out.liveness_bound = p.duration("liveness_bound", out.liveness_bound, sim::milliseconds(1));
  return out;
}

class RedisCounterHarness : public Harness {
 public:
  RedisCounterHarness(CounterParams params, CounterFlags flags, std::vector<std::string> checkers)
      : params_(std::move(params)), flags_(flags), checkers_(std::move(checkers)) {
    params_.client.idempotency_keys = flags_.idempotency_keys;
  }

  void build(sim::World& world) override {
    add_history_sometimes(world, history_, read_write_sometimes("read"));
    for (int i = 1; i <= 2; ++i) {
      // Nodes boot when the run starts, after both servers have been added: servers_ is whole.
      servers_.push_back(world.add_node("r" + std::to_string(i), [this, i] {
        ServerOptions options;
        options.initial_primary = servers_[0];
        options.peer = servers_[i == 1 ? 1 : 0];
        options.ack_after_replication = flags_.ack_after_replication;
        options.replicate_interval = params_.replicate_interval;
        return std::make_unique<RedisServer>(options, ghost_);
      }));
    }
    sentinel_ = world.add_node("sentinel", [this] {
      SentinelOptions options;
      options.servers = {servers_[0], servers_[1]};
      options.ping_interval = params_.ping_interval;
      options.failover_after = params_.failover_after;
      return std::make_unique<Sentinel>(options);
    });
    for (int i = 1; i <= params_.clients; ++i) {
      world.add_node("client" + std::to_string(i), [this] {
        return std::make_unique<sim::FiberNode>([this](sim::Process& co) {
          run_counter_client(co, params_.client, servers_, history_, ghost_);
          ++clients_done_;
        });
      });
    }
  }

  std::vector<Finding> check(sim::World& world) override {
    std::vector<Finding> findings;
    if (on("linearizable")) {
      if (auto f = check_linearizable(history_, "counter")) findings.push_back(*f);
    }
    // Read whether or not it is judged: the figures report it.
    const FinalCount final = final_count(world);
    if (on("final-value")) {
      if (auto f = check_final_value(final, ghost_.increments(), ghost_.appends())) {
        findings.push_back(*f);
      }
    }
    if (on("liveness") && clients_done_ < params_.clients) {
      if (auto f =
              bounded_liveness_finding(world, {.progress = "a client's INCR is acknowledged",
                                               .bound = params_.liveness_bound,
                                               .progress_at_ns = history_.ok_times({"add"})})) {
        findings.push_back(*f);
      }
    }
    return findings;
  }

  ClientHistory client_history() const override { return {&history_, "counter"}; }

  nlohmann::json figures() const override {
    nlohmann::json out = kv::operation_counts(history_);
    out["failovers"] = failovers_;
    out["final_value"] = final_value_;
    return out;
  }

  std::string explain(const Finding& finding) const override {
    if (finding.checker != "final-value" && finding.checker != "linearizable") return {};
    if (!flags_.ack_after_replication) {
      return "The primary acknowledged increments its replica did not have yet; the sentinel "
             "promoted the replica, and the old primary, resynchronising from it, dropped them. "
             "Acknowledge an INCR only once the replica has it (Redis's WAIT 1, variant "
             "correct).";
    }
    if (!flags_.idempotency_keys) {
      return "A client whose INCR reply was lost sent the INCR again, and the server, unable to "
             "tell a retry from a new increment, applied it twice. Send an idempotency key with "
             "each increment and have the server answer a key it has seen with its first result "
             "(variant correct).";
    }
    return {};
  }

 private:
  bool on(const char* name) const {
    return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
  }

  // The final value: the log of the server the sentinel last made primary, as its disk holds it.
  FinalCount final_count(sim::World& world) {
    const SentinelState* config = world.storage(sentinel_).get<SentinelState>("config");
    const sim::NodeId primary = config ? static_cast<sim::NodeId>(config->primary) : servers_[0];
    const uint64_t epoch = config ? config->epoch : 1;
    FinalCount out;
    int64_t value = 0;
    if (const ServerState* state = world.storage(primary).get<ServerState>("state")) {
      for (const Entry& e : state->log) {
        out.ops.push_back(e.op);
        value += e.amount;
      }
    }
    out.ends = "the counter ends at " + std::to_string(value) + " on " + world.node_name(primary) +
               " (primary in epoch " + std::to_string(epoch) + ")";
    failovers_ = static_cast<int64_t>(epoch) - 1;
    final_value_ = value;
    return out;
  }

  CounterParams params_;
  CounterFlags flags_;
  std::vector<std::string> checkers_;
  std::vector<sim::NodeId> servers_;
  sim::NodeId sentinel_ = sim::kNoNode;
  HistoryRecorder history_;
  CounterGhost ghost_;
  int clients_done_ = 0;
  int64_t failovers_ = 0;
  int64_t final_value_ = 0;
};

}  // namespace

ProtocolInfo redis_counter_info() {
  ProtocolInfo info;
  info.name = "redis-counter";
  info.description =
      "a Redis-like counter: primary r1 and replica r2, a sentinel that promotes the replica when "
      "the primary stops answering, clients that INCR (with idempotency keys) and GET";
  info.variants = counter_variants().infos();
  info.checkers = {
      {"linearizable", "the clients' INCRs and GETs are linearizable (counter model)"},
      {"final-value",
       "the final value counts every acknowledged increment once and none twice (the operations "
       "lost or doubled are named)"},
      {"liveness", "after the last fault heals, an INCR is acknowledged within liveness_bound",
       true},
  };
  info.default_checkers = {"linearizable", "final-value"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    return std::make_unique<RedisCounterHarness>(
        read_params(setup.params), counter_variants().flags(setup.variant), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::counter
