// The Raft harness (Ongaro & Ousterhout 2014): builds the cluster and its kv clients from a
// scenario, wires Figure 3's invariants, and at the end judges the clients' history with the
// linearizability checker (kv model) and the run with bounded liveness.
#include "protocols/raft/raft.hpp"

#include <algorithm>
#include <chrono>

#include "checkers/linearizability.hpp"
#include "checkers/models/registry.hpp"
#include "checkers/safety/bounded_liveness.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/kv/client.hpp"
#include "protocols/raft/raft_invariants.hpp"
#include "protocols/raft/raft_node.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::raft {
namespace {

struct RaftParams {
  int servers = 5;
  int clients = 3;
  RaftOptions server;
  kv::KvClientOptions client;
  std::string bootstrap_leader;  // "" = none
  sim::Duration liveness_bound = sim::seconds(5);
};

void read_client_params(Fields& p, kv::KvClientOptions& c) {
  c.operations = static_cast<int>(p.integer("operations", 100, 1, 1000000));
  const int keys = static_cast<int>(p.integer("keys", 2, 1, 1000));
  c.keys.clear();
  for (int k = 0; k < keys; ++k)
    c.keys.push_back(std::string(1, static_cast<char>('x' + k % 3)) +
                     (k < 3 ? "" : std::to_string(k / 3)));
  c.read_percent = static_cast<int>(p.integer("read_percent", 40, 0, 100));
  c.append_percent = static_cast<int>(p.integer("append_percent", 30, 0, 100));
  if (c.read_percent + c.append_percent > 100) {
    p.fail("append_percent",
           "at most 100 - read_percent (" + std::to_string(100 - c.read_percent) + ")");
  }
  c.cas_percent = static_cast<int>(p.integer("cas_percent", 0, 0, 100));
  if (c.read_percent + c.append_percent + c.cas_percent > 100) {
    p.fail("cas_percent", "at most 100 - read_percent - append_percent (" +
                              std::to_string(100 - c.read_percent - c.append_percent) + ")");
  }
  c.think = p.duration("think", sim::milliseconds(20));
  c.call_timeout = p.duration("call_timeout", sim::milliseconds(100), sim::microseconds(1));
  c.retry_backoff = p.duration("retry_backoff", sim::milliseconds(20), sim::microseconds(1));
  c.give_up_after = p.duration("give_up_after", sim::seconds(2), sim::microseconds(1));
}

RaftParams read_params(Fields& p) {
  RaftParams out;
  out.servers = static_cast<int>(p.integer("servers", 5, 1, 15));
  out.clients = static_cast<int>(p.integer("clients", 3, 0, 100));
  read_client_params(p, out.client);
  RaftOptions& s = out.server;
  s.election_min = p.duration("election_timeout_min", sim::milliseconds(150), sim::microseconds(1),
                              sim::seconds(3600));
  s.election_max = p.duration("election_timeout_max", s.election_min * 2, sim::microseconds(1),
                              sim::seconds(3600));
  if (s.election_max <= s.election_min) {
    p.fail("election_timeout_max", "a duration above election_timeout_min (randomized, §5.2)");
  }
  s.heartbeat = p.duration("heartbeat", sim::milliseconds(50), sim::microseconds(1));
  if (s.heartbeat >= s.election_min) {
    p.fail("heartbeat", "a duration below election_timeout_min, or followers never hear a leader");
  }
  s.noop_on_election = p.boolean("noop_on_election", true);
  out.bootstrap_leader = p.string("bootstrap_leader", "");
  if (!out.bootstrap_leader.empty()) {
    bool known = false;
    for (int i = 1; i <= out.servers; ++i) known |= out.bootstrap_leader == "s" + std::to_string(i);
    if (!known) p.fail("bootstrap_leader", "a server name, s1..s" + std::to_string(out.servers));
  }
  out.liveness_bound = p.duration("liveness_bound", sim::seconds(5), sim::milliseconds(1));
  return out;
}

RaftBug bug_of(const std::string& variant) {
  if (variant == "commit-old-term") return RaftBug::kCommitOldTerm;
  if (variant == "volatile-vote") return RaftBug::kVolatileVote;
  if (variant == "local-reads") return RaftBug::kLocalReads;
  return RaftBug::kNone;
}

std::optional<checkers::Finding> check_linearizable(const HistoryRecorder& recorder) {
  const checkers::models::ModelInfo* model = checkers::models::find_model("kv");
  checkers::CheckOptions options;
  options.timeout = std::chrono::seconds(20);
  options.threads = 1;  // runs are already parallel; stay deterministic and light
  checkers::CheckResult result =
      checkers::models::check_history(recorder.history(), *model, options);
  if (result.verdict != checkers::Verdict::illegal || !result.explanation) return std::nullopt;
  std::vector<checkers::CallReturn> calls = checkers::pair_calls(recorder.history());
  const checkers::Explanation& why = *result.explanation;
  checkers::Finding f;
  f.checker = "linearizable";
  f.message = "the clients' history is not linearizable on key " + why.partition;
  if (!why.prefix.empty()) {
    const checkers::ExplainedOp& last = why.prefix.back();
    f.message += ": after " + recorder.process_name(last.process) + "'s " + last.description;
    f.involved.push_back(recorder.process_name(last.process));
  }
  if (why.unplaceable) {
    const checkers::CallReturn& c = calls.at(why.unplaceable->id);
    f.message += ", " + recorder.process_name(c.process) + "'s " + why.unplaceable->description +
                 " (invoked at " + checkers::format_ns(c.call) + ") fits no order";
    f.at_ns = c.ret == checkers::kNever ? c.call : c.ret;
    f.involved.push_back(recorder.process_name(c.process));
  }
  if (!why.states.empty()) f.message += "; the key could only hold " + why.states.front();
  return f;
}

class RaftHarness : public Harness {
 public:
  RaftHarness(RaftParams params, RaftBug bug, std::vector<std::string> checkers)
      : params_(std::move(params)), checkers_(std::move(checkers)) {
    params_.server.bug = bug;
  }

  void build(sim::World& world) override {
    for (int i = 1; i <= params_.servers; ++i) {
      std::string name = "s" + std::to_string(i);
      // Nodes boot when the run starts, after every server has been added: servers_ is whole.
      servers_.push_back(world.add_node(name, [this, name] {
        RaftOptions options = params_.server;
        options.servers = servers_;
        options.bootstrap = name == params_.bootstrap_leader;
        return std::make_unique<RaftNode>(options, ghost_);
      }));
    }
    for (int i = 1; i <= params_.clients; ++i) {
      kv::KvClientOptions options = params_.client;
      world.add_node("client" + std::to_string(i), [this, options] {
        return std::make_unique<sim::FiberNode>([this, options](sim::Process& co) {
          kv::run_kv_client(co, options, servers_, history_);
          ++clients_done_;
        });
      });
    }
    add_raft_invariants(world, servers_, ghost_, checkers_);
  }

  std::vector<checkers::Finding> check(sim::World& world) override {
    std::vector<checkers::Finding> findings;
    if (enabled("linearizable")) {
      if (auto f = check_linearizable(history_)) findings.push_back(*f);
    }
    if (enabled("liveness") && clients_done_ < params_.clients) {
      checkers::BoundedLivenessInput input;
      input.progress = "a leader serves a client write";
      input.bound_ns = params_.liveness_bound.ns();
      input.run_end_ns = world.now().ns();
      input.healed_at_ns = world.healthy_since() ? world.healthy_since()->ns() : world.now().ns();
      input.progress_at_ns = history_.ok_times({"put", "append"});
      auto result = checkers::check_bounded_liveness(input);
      if (result.finding) {
        result.finding->checker = "liveness";
        findings.push_back(*result.finding);
      }
    }
    return findings;
  }

  nlohmann::json figures() const override {
    int64_t ok = 0, info = 0;
    for (const auto& op : history_.history().ops) {
      ok += op.type == checkers::OpType::ok;
      info += op.type == checkers::OpType::info;
    }
    return {{"operations_ok", ok},
            {"operations_info", info},
            {"entries_applied", ghost_.committed.size()},
            {"clients_done", clients_done_}};
  }

 private:
  bool enabled(const char* name) const {
    return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
  }

  RaftParams params_;
  std::vector<std::string> checkers_;
  std::vector<sim::NodeId> servers_;
  RaftGhost ghost_;
  HistoryRecorder history_;
  int clients_done_ = 0;
};

}  // namespace

ProtocolInfo raft_info() {
  ProtocolInfo info;
  info.name = "raft";
  info.description =
      "Raft (Ongaro & Ousterhout 2014) replicating a key-value store with deduplicated client "
      "sessions and ReadIndex reads; Jepsen-style kv clients";
  info.variants = {
      {"correct", "Figure 2 as written, §5.4.2's commit rule, ReadIndex reads", false},
      {"commit-old-term",
       "a leader commits an entry of an earlier term by counting replicas (Figure 8)", true},
      {"volatile-vote", "votedFor is not persisted: a restarted server votes twice in a term",
       true},
      {"local-reads", "the leader answers gets from its own state, without ReadIndex", true},
  };
  info.checkers = {
      {"election-safety", "at most one leader per term"},
      {"log-matching", "logs with an entry of the same index and term agree up to it"},
      {"leader-completeness", "a new leader holds every entry applied before its election"},
      {"state-machine-safety", "no two servers apply different entries at one index"},
      {"monotonic", "terms never decrease; commit indexes never decrease while a server is up"},
      {"linearizable", "the clients' kv history is linearizable (kv model)"},
      {"liveness", "after the last fault heals, a client write completes within liveness_bound"},
  };
  info.default_checkers = {"election-safety",      "log-matching", "leader-completeness",
                           "state-machine-safety", "monotonic",    "linearizable"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    RaftParams params = read_params(setup.params);
    return std::make_unique<RaftHarness>(std::move(params), bug_of(setup.variant), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::raft
