#include "checkers/models/registry.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <optional>
#include <thread>

#include "checkers/linearizability_search.hpp"
#include "checkers/models/counter.hpp"
#include "checkers/models/keyed.hpp"
#include "checkers/models/kv_value.hpp"
#include "checkers/models/mutex.hpp"
#include "checkers/models/queue.hpp"
#include "checkers/models/register.hpp"
#include "checkers/models/set.hpp"

namespace faultline::checkers::models {
namespace {

using Clock = std::chrono::steady_clock;

template <typename Model>
struct Part {
  std::string label;
  std::vector<std::size_t> ids;  // indices into the calls, parallel to ops
  std::vector<typename Model::Op> ops;
  // Calls of the partition left out of the search (drop_unobserved): never placed, as an
  // operation that never took effect.
  std::vector<std::size_t> dropped;
};

// Leaves out of `part` the operations its model calls unobserved: an unknown-outcome write whose
// value nothing read could have taken effect or not, and "not" loses no linearization. Each one
// kept would be concurrent with everything after its invoke and double the orders the search
// weighs, which is what exhausts it on histories with many timed-out writes.
template <typename Model>
void drop_unobserved(const Model& model, Part<Model>& part) {
  if constexpr (requires { model.unobserved(part.ops); }) {
    const std::vector<bool> drop = model.unobserved(part.ops);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < part.ops.size(); ++i) {
      if (drop[i]) {
        part.dropped.push_back(part.ids[i]);
        continue;
      }
      part.ids[kept] = part.ids[i];
      part.ops[kept] = part.ops[i];
      ++kept;
    }
    part.ids.resize(kept);
    part.ops.resize(kept);
  }
}

template <typename Model>
using Outcome = detail::SearchResult<typename Model::State>;

template <typename Model>
ExplainedOp explain(const Model& model, const Part<Model>& part, std::uint32_t local,
                    const std::vector<CallReturn>& calls) {
  const CallReturn& c = calls[part.ids[local]];
  return ExplainedOp{c.id, c.process, model.describe_op(part.ops[local])};
}

// The model's state after each operation of `order` (local indices, a linearization or a prefix
// of one the search found, so every step is legal), as the model describes it. Steps may intern
// new values: the partition's own copy of the model is used.
template <typename Model>
std::vector<std::string> states_along(Model& model, const Part<Model>& part,
                                      const std::vector<std::uint32_t>& order) {
  std::vector<std::string> out;
  out.reserve(order.size());
  typename Model::State state = model.init();
  for (std::uint32_t local : order) {
    std::optional<typename Model::State> next = model.step(state, part.ops[local]);
    if (!next) break;  // cannot happen for the search's own order; describe what was reached
    state = *next;
    out.push_back(model.describe_state(state));
  }
  out.resize(order.size());
  return out;
}

// Checks every partition and folds the outcomes into one verdict. Partitions are searched in
// rounds: each unfinished partition gets a budget of steps, doubled every round, on a pool of
// threads; after the first round in which some partition is illegal, the others are abandoned
// (the verdict is settled) and the lowest-index illegal partition is explained. A hard but
// linearizable key therefore does not delay the verdict on an easy illegal one, and the outcome
// depends on step counts only, never on thread timing.
template <typename Model>
CheckResult run_partitions(const Model& prototype, const std::vector<Part<Model>>& parts,
                           const std::vector<CallReturn>& calls, const CheckOptions& options,
                           std::string_view model_name) {
  const Clock::time_point start = Clock::now();
  std::atomic<std::int64_t> memory_used{0};
  std::atomic<std::int64_t> memory_peak{0};
  detail::SearchLimits limits;
  if (options.timeout.count() > 0) limits.deadline = start + options.timeout;
  limits.max_memory_bytes = static_cast<std::int64_t>(options.max_memory_bytes);
  limits.memory_used = &memory_used;
  limits.memory_peak = &memory_peak;

  struct Live {
    std::optional<Model> model;
    std::vector<std::int64_t> call, ret;
    std::unique_ptr<detail::Search<Model>> search;
  };
  std::vector<Live> live(parts.size());
  std::vector<std::optional<Outcome<Model>>> outcomes(parts.size());
  std::vector<double> seconds(parts.size(), 0.0);

  auto advance = [&](std::size_t idx, std::uint64_t budget) {
    Live& l = live[idx];
    Clock::time_point t0 = Clock::now();
    if (!l.search) {
      const Part<Model>& part = parts[idx];
      for (std::size_t id : part.ids) {
        l.call.push_back(calls[id].call);
        l.ret.push_back(calls[id].ret);
      }
      l.model.emplace(prototype);
      l.search = std::make_unique<detail::Search<Model>>(*l.model, part.ops, l.call, l.ret, limits);
    }
    std::optional<detail::SearchOutcome> done = l.search->run(budget);
    if (done) {
      outcomes[idx] = std::move(l.search->result());
      l.search.reset();  // frees the memo; the model stays to describe the outcome
    }
    seconds[idx] += std::chrono::duration<double>(Clock::now() - t0).count();
  };

  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(threads, 1u);
  std::uint64_t budget = std::uint64_t{1} << 16;
  for (;;) {
    std::vector<std::size_t> pending;
    for (std::size_t idx = 0; idx < parts.size(); ++idx) {
      if (!outcomes[idx]) pending.push_back(idx);
    }
    if (pending.empty()) break;
    std::size_t workers = std::min<std::size_t>(threads, pending.size());
    if (workers <= 1) {
      for (std::size_t idx : pending) advance(idx, budget);
    } else {
      std::atomic<std::size_t> next{0};
      std::vector<std::thread> pool;
      for (std::size_t t = 0; t < workers; ++t) {
        pool.emplace_back([&] {
          for (std::size_t i = next.fetch_add(1); i < pending.size(); i = next.fetch_add(1)) {
            advance(pending[i], budget);
          }
        });
      }
      for (std::thread& t : pool) t.join();
    }
    bool settled = false;
    for (const auto& o : outcomes) {
      settled = settled || (o && o->outcome != detail::SearchOutcome::ok);
    }
    if (settled) break;  // illegal found, or a limit ran out
    budget = std::min<std::uint64_t>(budget * 2, std::uint64_t{1} << 40);
  }

  CheckResult result;
  result.model = std::string(model_name);
  result.operations = calls.size();
  std::optional<std::size_t> illegal;
  for (std::size_t idx = 0; idx < parts.size(); ++idx) {
    PartitionStats stats;
    stats.label = parts[idx].label;
    stats.operations = parts[idx].ops.size() + parts[idx].dropped.size();
    stats.seconds = seconds[idx];
    stats.verdict = Verdict::unknown;  // abandoned: another partition settled the verdict
    if (const auto& o = outcomes[idx]) {
      stats.steps = o->steps;
      stats.cache_entries = o->cache_entries;
      switch (o->outcome) {
        case detail::SearchOutcome::ok:
          stats.verdict = Verdict::ok;
          break;
        case detail::SearchOutcome::illegal:
          stats.verdict = Verdict::illegal;
          if (!illegal) illegal = idx;
          break;
        case detail::SearchOutcome::timeout:
          if (result.unknown_reason.empty()) result.unknown_reason = "timeout";
          break;
        case detail::SearchOutcome::memory:
          if (result.unknown_reason.empty()) result.unknown_reason = "memory limit";
          break;
      }
    }
    result.partitions.push_back(std::move(stats));
  }

  if (illegal) {
    result.verdict = Verdict::illegal;
    result.unknown_reason.clear();
    const Part<Model>& part = parts[*illegal];
    const Model& model = *live[*illegal].model;
    const Outcome<Model>& o = *outcomes[*illegal];
    Explanation why;
    why.partition = part.label;
    std::vector<std::string> states = states_along(*live[*illegal].model, part, o.order);
    for (std::size_t i = 0; i < o.order.size(); ++i) {
      why.prefix.push_back(explain(model, part, o.order[i], calls));
      why.prefix.back().state_after = std::move(states[i]);
    }
    if (o.unplaceable) why.unplaceable = explain(model, part, *o.unplaceable, calls);
    for (const auto& s : o.states) why.states.push_back(model.describe_state(s));
    result.explanation = std::move(why);
  } else if (!result.unknown_reason.empty()) {
    result.verdict = Verdict::unknown;
  } else {
    result.verdict = Verdict::ok;
    for (std::size_t idx = 0; idx < parts.size(); ++idx) {
      std::vector<std::size_t> order;
      for (std::uint32_t local : outcomes[idx]->order) {
        order.push_back(calls[parts[idx].ids[local]].id);
      }
      result.linearizations.push_back(std::move(order));
      if (options.describe_states) {
        result.linearization_states.push_back(
            states_along(*live[idx].model, parts[idx], outcomes[idx]->order));
      }
    }
  }
  result.partition_of.assign(calls.size(), 0);
  for (std::size_t idx = 0; idx < parts.size(); ++idx) {
    for (const auto* ids : {&parts[idx].ids, &parts[idx].dropped}) {
      for (std::size_t id : *ids)
        result.partition_of[calls[id].id] = static_cast<std::uint32_t>(idx);
    }
  }
  result.peak_memory_bytes = static_cast<std::size_t>(memory_peak.load());
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

template <typename Model>
typename Model::Op encode(Model& model, const CallReturn& call, std::string_view source) {
  try {
    return model.encode(call);
  } catch (const InputError& e) {
    throw e.in_file(source);
  }
}

template <typename Model>
CheckResult check_single(const std::vector<CallReturn>& calls, const CheckOptions& options,
                         std::string_view source) {
  Model model;
  std::vector<Part<Model>> parts(1);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    parts[0].ids.push_back(i);
    parts[0].ops.push_back(encode(model, calls[i], source));
  }
  drop_unobserved(model, parts[0]);
  return run_partitions(model, parts, calls, options, Model::kName);
}

template <typename Inner>
CheckResult check_keyed(const std::vector<CallReturn>& calls, const CheckOptions& options,
                        std::string_view source) {
  using Whole = Keyed<Inner>;
  Whole whole;
  std::vector<typename Whole::Op> ops;
  ops.reserve(calls.size());
  for (const CallReturn& c : calls) ops.push_back(encode(whole, c, source));
  if (!options.partition) {
    std::vector<Part<Whole>> parts(1);
    for (std::size_t i = 0; i < calls.size(); ++i) {
      parts[0].ids.push_back(i);
      parts[0].ops.push_back(ops[i]);
    }
    return run_partitions(whole, parts, calls, options, Whole::kName);
  }
  // Keys are numbered by first appearance, so partition order follows the history.
  std::vector<Part<Inner>> parts(whole.key_count());
  for (std::uint32_t k = 0; k < parts.size(); ++k) parts[k].label = whole.key_name(k);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    Part<Inner>& part = parts[ops[i].key];
    part.ids.push_back(i);
    part.ops.push_back(ops[i].inner);
  }
  for (Part<Inner>& part : parts) drop_unobserved(whole.inner(), part);
  return run_partitions(whole.inner(), parts, calls, options, Whole::kName);
}

// Keyed models always split by key; the others when the history is Jepsen's `independent`.
template <typename Model, bool kKeyed>
CheckResult check_model(const std::vector<CallReturn>& calls, const CheckOptions& options,
                        std::string_view source) {
  if (kKeyed || options.independent) return check_keyed<Model>(calls, options, source);
  return check_single<Model>(calls, options, source);
}

}  // namespace

const std::vector<ModelInfo>& all_models() {
  static const std::vector<ModelInfo> models = {
      {"cas-register", "read -> v, write v, cas [old, new] -> true/false (or ok = swapped)", false,
       &check_model<CasRegisterModel, false>},
      {"counter", "add n (null = 1), read -> n; starts at 0", false,
       &check_model<CounterModel, false>},
      {"kv",
       "[key, v]: get -> string, put string, append string, cas [expected, new] -> true/false; "
       "\"\" initially",
       true, &check_model<KvValueModel, true>},
      {"mutex", "acquire, release", false, &check_model<MutexModel, false>},
      {"queue", "enqueue v, dequeue -> v (null = empty); FIFO", false,
       &check_model<QueueModel, false>},
      {"register", "read -> v, write v; nil initially", false, &check_model<RegisterModel, false>},
      {"set", "add v, read -> [v...]; grow-only", false, &check_model<SetModel, false>},
  };
  return models;
}

const ModelInfo* find_model(std::string_view name) {
  for (const ModelInfo& m : all_models()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

CheckResult check_history(const History& history, const ModelInfo& model,
                          const CheckOptions& options) {
  return model.check(pair_calls(history), options, history.source);
}

}  // namespace faultline::checkers::models
