// The harness of the read-modify-write lessons on the kv service: the Raft cluster, the counter
// or row clients, and their judgement.
#include "protocols/counter/kv_counter.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "protocols/counter/final_value.hpp"
#include "protocols/counter/kv_counter_client.hpp"
#include "protocols/counter/raft_kv_service.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/history_sometimes.hpp"
#include "protocols/kv/service_checks.hpp"
#include "protocols/linearizable.hpp"
#include "protocols/liveness.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::counter {
namespace {

enum class Workload { kCounter, kRow };

// Whether writes are checked: the counter's CAS loop, or every row writer's version check. For
// the row, false makes client1 alone write blindly.
struct KvFlags {
  bool checked = true;
};

const VariantTable<KvFlags>& counter_variants() {
  static const VariantTable<KvFlags> table({
      {"cas-loop",
       "an increment reads the value and compare-and-sets it to one more, reading again after a "
       "conflict",
       false,
       {}},
      {"get-then-put",
       "an increment reads the value and puts one more: two increments that read the same value "
       "write the same sum",
       true,
       {.checked = false}},
  });
  return table;
}

const VariantTable<KvFlags>& row_variants() {
  static const VariantTable<KvFlags> table({
      {"version-checked",
       "every writer writes the row only if it still holds the version read (compare-and-set on "
       "the row as read), and reads again after a conflict",
       false,
       {}},
      {"blind-writer",
       "client1 writes the row without checking the version: its write overwrites updates "
       "committed since it read",
       true,
       {.checked = false}},
  });
  return table;
}

class KvWorkloadHarness : public Harness {
 public:
  KvWorkloadHarness(Workload workload, KvWorkloadParams params, KvFlags flags,
                    std::vector<std::string> checkers)
      : workload_(workload),
        params_(std::move(params)),
        flags_(flags),
        checkers_(std::move(checkers)) {}

  void build(sim::World& world) override {
    service_.build(world, params_.servers);
    add_history_sometimes(world, history_, read_write_sometimes("read"));
    for (int i = 1; i <= params_.clients; ++i) {
      KvClientOptions options;
      options.operations = params_.operations;
      options.read_percent = params_.read_percent;
      options.timeouts = params_.timeouts;
      options.think = params_.think;
      options.give_up_after = params_.give_up_after;
      options.key = workload_ == Workload::kCounter ? "counter" : "row";
      // The counter's bug is every client's; the row's is one careless writer among careful ones.
      options.checked = flags_.checked || (workload_ == Workload::kRow && i != 1);
      world.add_node("client" + std::to_string(i), [this, options] {
        return std::make_unique<sim::FiberNode>([this, options](sim::Process& co) {
          if (workload_ == Workload::kCounter) {
            run_kv_counter_client(co, options, service_.servers(), history_, ghost_);
          } else {
            run_row_client(co, options, service_.servers(), history_, ghost_);
          }
          ++clients_done_;
        });
      });
    }
  }

  std::vector<Finding> check(sim::World& world) override {
    std::vector<Finding> findings;
    if (on("linearizable")) {
      if (auto f = check_linearizable(history_, model())) findings.push_back(*f);
    }
    if (on("final-value")) {
      if (auto f = judge_final()) findings.push_back(*f);
    }
    if (on("liveness") && clients_done_ < params_.clients) {
      const char* progress = workload_ == Workload::kCounter ? "an increment is acknowledged"
                                                             : "an update is acknowledged";
      if (auto f =
              bounded_liveness_finding(world, {.progress = progress,
                                               .bound = params_.liveness_bound,
                                               .progress_at_ns = history_.ok_times({"add"})})) {
        findings.push_back(*f);
      }
    }
    return findings;
  }

  ClientHistory client_history() const override { return {&history_, model()}; }

  nlohmann::json figures() const override {
    nlohmann::json out = kv::operation_counts(history_);
    out["entries_committed"] = service_.entries_committed();
    return out;
  }

  std::string explain(const Finding& finding) const override {
    if (flags_.checked || (finding.checker != "final-value" && finding.checker != "linearizable")) {
      return {};
    }
    if (workload_ == Workload::kCounter) {
      return "Two clients read the same value and each put it plus one: the second put wrote over "
             "the first increment. The store is linearizable; a get followed by a put on it is "
             "not atomic. Write with a compare-and-set that expects the value read, and read "
             "again when it fails (variant cas-loop).";
    }
    return "client1 wrote the row without checking its version, over updates committed after it "
           "read the row. Optimistic locking protects a row only if every writer checks the "
           "version (variant version-checked).";
  }

 private:
  // The model the clients' history is judged against.
  const char* model() const { return workload_ == Workload::kCounter ? "counter" : "set"; }

  bool on(const char* name) const {
    return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
  }

  std::optional<Finding> judge_final() const {
    const std::string value =
        service_.final_value(workload_ == Workload::kCounter ? "counter" : "row");
    if (workload_ == Workload::kCounter) {
      const int64_t count = value.empty() ? 0 : std::stoll(value);
      return check_final_total(
          "the counter ends at " + std::to_string(count) + " in the store's committed log", count,
          ghost_.increments());
    }
    FinalCount final_row;
    final_row.noun = "update";
    int64_t version = 0;
    if (!value.empty()) {
      const nlohmann::json row = nlohmann::json::parse(value);
      version = row["version"].get<int64_t>();
      for (const auto& item : row["items"]) final_row.ops.push_back(item.get<std::string>());
    }
    final_row.ends = "the row ends at version " + std::to_string(version) + " with " +
                     std::to_string(final_row.ops.size()) + " items in the store's committed log";
    return check_final_value(final_row, ghost_.increments(), {});
  }

  Workload workload_;
  KvWorkloadParams params_;
  KvFlags flags_;
  std::vector<std::string> checkers_;
  RaftKvService service_;
  HistoryRecorder history_;
  CounterGhost ghost_;
  int clients_done_ = 0;
};

std::vector<CheckerInfo> kv_checkers(const char* model, const char* noun) {
  const std::string n = noun;
  return {
      {"linearizable", std::string("the clients' ") +
                           (n == "increment" ? "adds and reads" : "updates and reads") +
                           " are linearizable (" + model + " model)"},
      {"final-value", "the store's final state counts every acknowledged " + n +
                          " once and none twice (the operations that show it are named)"},
      {"liveness", "after the last fault heals, an " + n + " is acknowledged within liveness_bound",
       true},
  };
}

}  // namespace

ProtocolInfo kv_counter_info() {
  ProtocolInfo info;
  info.name = "kv-counter";
  info.description =
      "a counter on one key of the Raft-replicated kv store (servers s1..sN): clients increment "
      "it by read-modify-write, with a CAS loop or get then put, and read it";
  info.variants = counter_variants().infos();
  info.checkers = kv_checkers("counter", "increment");
  info.default_checkers = {"linearizable", "final-value"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    return std::make_unique<KvWorkloadHarness>(
        Workload::kCounter, read_kv_workload_params(setup.params),
        counter_variants().flags(setup.variant), setup.checkers);
  };
  return info;
}

ProtocolInfo optimistic_lock_info() {
  ProtocolInfo info;
  info.name = "optimistic-lock";
  info.description =
      "optimistic locking on the Raft-replicated kv store (servers s1..sN): clients add items to "
      "a row with a version column, writing it back only if the version is unchanged, and read it";
  info.variants = row_variants().infos();
  info.checkers = kv_checkers("set", "update");
  info.default_checkers = {"linearizable", "final-value"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    return std::make_unique<KvWorkloadHarness>(Workload::kRow,
                                               read_kv_workload_params(setup.params),
                                               row_variants().flags(setup.variant), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::counter
