// The Raft harness (Ongaro & Ousterhout 2014): builds the cluster and its kv clients from a
// scenario, wires Figure 3's invariants, and at the end judges the clients' history with the
// linearizability checker (kv model) and the run with bounded liveness.
#include "protocols/raft/raft.hpp"

#include <algorithm>

#include "base/format_ns.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/kv/client.hpp"
#include "protocols/kv/cluster_params.hpp"
#include "protocols/kv/service_checks.hpp"
#include "protocols/raft/membership_admin.hpp"
#include "protocols/raft/raft_invariants.hpp"
#include "protocols/raft/raft_node.hpp"
#include "protocols/variants.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::raft {
namespace {

struct RaftParams : kv::ClusterParams {
  RaftOptions server;
  int64_t max_leader_changes = -1;   // for the leader-changes checker; -1 = not given
  std::vector<std::string> members;  // the first configuration; empty = every server
  MembershipAdminOptions admin;      // scripted membership changes; no steps = no administrator
};

std::vector<std::string> server_names(int servers) {
  std::vector<std::string> names;
  for (int i = 1; i <= servers; ++i) names.push_back("s" + std::to_string(i));
  return names;
}

bool is_server(const std::string& name, int servers) {
  const std::vector<std::string> names = server_names(servers);
  return std::find(names.begin(), names.end(), name) != names.end();
}

// `membership_repeat: {"every": "80ms", "until": "3s"}` replays the scripted steps every `every`
// (the first cycle as written) until `until`: membership churn for a nemesis to meet, without a
// script of hundreds of steps.
void repeat_membership(Fields& p, std::vector<MembershipStep>& steps) {
  constexpr size_t kMaxSteps = 100'000;
  Fields r = p.object("membership_repeat");
  if (steps.empty()) p.fail("membership", "steps to repeat, since membership_repeat is set");
  sim::Duration first = steps.front().at, last = steps.front().at;
  for (const MembershipStep& step : steps) {
    first = std::min(first, step.at);
    last = std::max(last, step.at);
  }
  // Longer than the steps' span, so that a cycle starts after the previous one's last step.
  const sim::Duration every = r.duration("every", sim::Duration{}, sim::microseconds(1));
  if (every <= last - first) {
    r.fail("every",
           "a period longer than the steps' span (" + sim::format_duration(last - first) + ")");
  }
  if (!r.has("until")) r.fail("until", "a duration like \"3s\": when the repeating ends");
  const sim::Duration until = r.duration("until", sim::Duration{});
  r.finish();
  const std::vector<MembershipStep> cycle = steps;
  for (sim::Duration shift = every; shift + cycle.front().at < until; shift = shift + every) {
    for (MembershipStep step : cycle) {
      step.at = step.at + shift;
      if (step.at >= until) break;
      if (steps.size() >= kMaxSteps) r.fail("until", "at most 100000 repeated steps");
      steps.push_back(step);
    }
  }
}

void read_membership(Fields& p, RaftParams& out) {
  const std::string expected_server = "a server name, s1..s" + std::to_string(out.servers);
  if (p.has("members")) {
    out.members = p.strings("members");
    if (out.members.empty()) p.fail("members", "a non-empty array of server names");
    for (size_t i = 0; i < out.members.size(); ++i) {
      const std::string at = p.path_of("members") + "[" + std::to_string(i) + "]";
      if (!is_server(out.members[i], out.servers)) p.fail_at(at, expected_server, out.members[i]);
      if (std::count(out.members.begin(), out.members.end(), out.members[i]) > 1) {
        p.fail_at(at, "each server once", out.members[i]);
      }
    }
  }
  const nlohmann::json* steps = p.raw("membership");
  if (!steps) return;
  if (!steps->is_array()) p.fail("membership", "an array of {\"at\", \"add\" or \"remove\"}");
  for (size_t i = 0; i < steps->size(); ++i) {
    const std::string path = p.path_of("membership") + "[" + std::to_string(i) + "]";
    if (!(*steps)[i].is_object())
      p.fail_at(path, "an object {\"at\", \"add\" or \"remove\"}", (*steps)[i]);
    Fields s((*steps)[i], p.file(), path);
    MembershipStep step;
    if (!s.has("at")) s.fail("at", "a duration like \"1s\"");
    step.at = s.duration("at", sim::Duration{});
    if (s.has("add") == s.has("remove")) s.fail("add", "exactly one of add or remove");
    step.op = s.has("add") ? "add" : "remove";
    step.server = s.required_string(step.op);
    if (!is_server(step.server, out.servers)) s.fail(step.op, expected_server);
    s.finish();
    out.admin.steps.push_back(step);
  }
  if (p.has("membership_repeat")) repeat_membership(p, out.admin.steps);
}

RaftParams read_params(Fields& p) {
  RaftParams out;
  static_cast<kv::ClusterParams&>(out) = kv::read_cluster_params(
      p, {"election_timeout", "(randomized, §5.2)", "or followers never hear a leader"});
  RaftOptions& s = out.server;
  s.election_min = out.timeout_min;
  s.election_max = out.timeout_max;
  s.heartbeat = out.heartbeat;
  s.noop_on_election = p.boolean("noop_on_election", true);
  s.prevote = p.boolean("prevote", false);
  s.reads = p.choice("reads", {"read-index", "lease"}, "read-index") == "lease"
                ? ReadMode::kLease
                : ReadMode::kReadIndex;
  s.lease_drift_ppm = p.integer("lease_drift_ppm", 100'000, 0, 500'000);
  out.max_leader_changes = p.integer("max_leader_changes", -1, 0, 1'000'000);
  read_membership(p, out);
  out.admin.call_timeout = out.client.call_timeout;
  out.admin.retry_backoff = out.client.retry_backoff;
  out.admin.give_up_after = out.client.give_up_after;
  return out;
}

const VariantTable<RaftBug>& raft_variants() {
  static const VariantTable<RaftBug> table({
      {"correct", "Figure 2 as written, §5.4.2's commit rule, ReadIndex reads", false,
       RaftBug::kNone},
      {"commit-old-term",
       "a leader commits an entry of an earlier term by counting replicas (Figure 8)", true,
       RaftBug::kCommitOldTerm},
      {"volatile-vote", "votedFor is not persisted: a restarted server votes twice in a term", true,
       RaftBug::kVolatileVote},
      {"local-reads", "the leader answers gets from its own state, without ReadIndex", true,
       RaftBug::kLocalReads},
      {"lease-ignores-drift",
       "lease reads whose lease is a full election timeout of the leader's clock, no drift "
       "allowance",
       true, RaftBug::kLeaseIgnoresDrift},
      {"lease-from-acks",
       "lease reads whose lease starts when the acknowledgements are counted, not at the "
       "heartbeat's send",
       true, RaftBug::kLeaseFromAcks},
      {"membership-change-before-noop",
       "a new leader appends a configuration change before committing an entry of its term", true,
       RaftBug::kMembershipBeforeNoop},
  });
  return table;
}

class RaftHarness : public Harness {
 public:
  RaftHarness(RaftParams params, RaftBug bug, std::vector<std::string> checkers)
      : params_(std::move(params)), checkers_(std::move(checkers)) {
    params_.server.bug = bug;
    // The lease bugs are bugs of lease reads: they imply them.
    if (bug == RaftBug::kLeaseIgnoresDrift || bug == RaftBug::kLeaseFromAcks) {
      params_.server.reads = ReadMode::kLease;
    }
  }

  void build(sim::World& world) override {
    for (int i = 1; i <= params_.servers; ++i) {
      std::string name = "s" + std::to_string(i);
      // Nodes boot when the run starts, after every server has been added: servers_ is whole.
      servers_.push_back(world.add_node(name, [this, name] {
        RaftOptions options = params_.server;
        options.servers = servers_;
        options.initial_members = initial_members_;
        options.bootstrap = name == params_.bootstrap_leader;
        return std::make_unique<RaftNode>(options, ghost_);
      }));
    }
    for (const std::string& member : params_.members) {
      initial_members_.push_back(servers_.at(std::stoul(member.substr(1)) - 1));
    }
    if (!params_.admin.steps.empty()) {
      world.add_node("admin", [this] {
        return std::make_unique<sim::FiberNode>([this](sim::Process& co) {
          membership_changes_done_ = run_membership_admin(co, params_.admin, servers_);
        });
      });
    }
    kv::add_kv_clients(world, params_.clients, params_.client, servers_, history_, clients_done_);
    add_raft_invariants(world, servers_, ghost_, checkers_);
  }

  std::vector<Finding> check(sim::World& world) override {
    std::vector<Finding> findings;
    kv::judge_kv_service(findings, checkers_, world, history_, clients_done_ < params_.clients,
                         params_.liveness_bound);
    if (enabled("leader-changes")) {
      if (auto f = check_leader_changes()) findings.push_back(*f);
    }
    return findings;
  }

  ClientHistory client_history() const override { return {&history_, "kv"}; }

  nlohmann::json figures() const override {
    nlohmann::json figures = kv::operation_counts(history_);
    figures.update(nlohmann::json{
        {"entries_applied", ghost_.committed.size()},
        {"leader_changes", leader_changes()},
        {"membership_changes_done", membership_changes_done_},
        {"highest_term", ghost_.elections.empty() ? 0 : ghost_.elections.back().term},
        {"clients_done", clients_done_}});
    return figures;
  }

 private:
  int64_t leader_changes() const {
    return ghost_.elections.empty() ? 0 : static_cast<int64_t>(ghost_.elections.size()) - 1;
  }

  // Each election after the first deposed a leader (or replaced a dead one): a disruption the
  // scenario bounds with max_leader_changes.
  std::optional<Finding> check_leader_changes() const {
    if (leader_changes() <= params_.max_leader_changes) return std::nullopt;
    Finding f;
    f.checker = "leader-changes";
    f.message = std::to_string(leader_changes()) + " leader changes, more than the " +
                std::to_string(params_.max_leader_changes) + " allowed:";
    for (const auto& e : ghost_.elections) {
      f.message +=
          " " + e.leader + " (t" + std::to_string(e.term) + ", " + format_ns(e.at_ns) + ")";
    }
    const RaftGhost::Election& extra =
        ghost_.elections.at(static_cast<size_t>(params_.max_leader_changes) + 1);
    f.at_ns = extra.at_ns;
    f.involved.push_back(extra.leader);
    return f;
  }

  bool enabled(const char* name) const {
    return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
  }

  RaftParams params_;
  std::vector<std::string> checkers_;
  std::vector<sim::NodeId> servers_;
  std::vector<sim::NodeId> initial_members_;
  int membership_changes_done_ = 0;
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
  info.variants = raft_variants().infos();
  info.checkers = {
      {"election-safety", "at most one leader per term"},
      {"log-matching", "logs with an entry of the same index and term agree up to it"},
      {"leader-completeness", "a new leader holds every entry applied before its election"},
      {"state-machine-safety", "no two servers apply different entries at one index"},
      {"monotonic", "terms never decrease; commit indexes never decrease while a server is up"},
      {"linearizable", "the clients' kv history is linearizable (kv model)"},
      {"liveness", "after the last fault heals, a client write completes within liveness_bound",
       true},
      {"leader-changes", "at most max_leader_changes elections after the first", true},
      {"single-change", "each configuration in a log differs from the one before by one server"},
  };
  info.default_checkers = {"election-safety",      "log-matching", "leader-completeness",
                           "state-machine-safety", "monotonic",    "single-change",
                           "linearizable"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    RaftParams params = read_params(setup.params);
    const bool bounds_changes = std::find(setup.checkers.begin(), setup.checkers.end(),
                                          "leader-changes") != setup.checkers.end();
    if (bounds_changes && params.max_leader_changes < 0) {
      setup.params.fail("max_leader_changes",
                        "an integer bound, 0 or more, for the leader-changes checker");
    }
    return std::make_unique<RaftHarness>(std::move(params), raft_variants().flags(setup.variant),
                                         setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::raft
