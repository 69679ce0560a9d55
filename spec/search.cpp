#include "spec/search.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "spec/state_store.hpp"

namespace faultline::spec {
namespace {

class Searcher {
 public:
  Searcher(const Model& model, const SearchOptions& options)
      : model_(model),
        options_(options),
        store_(model.state_size()),
        successors_(model.state_size()),
        scratch_(model.state_size()),
        limit_(options.max_states == 0 ? StateStore::kMaxStates
                                       : std::min(options.max_states, StateStore::kMaxStates)) {
    if (options.symmetry && !model.has_symmetry()) {
      throw std::invalid_argument("model " + model.name() + " declares no symmetry");
    }
    if (model.action_names().size() > UINT16_MAX) {
      throw std::invalid_argument("model " + model.name() +
                                  " has more than 65,535 action instances");
    }
    result_.action_fired.assign(model.action_names().size(), 0);
    result_.sometimes_reached.assign(model.sometimes_names().size(), false);
    result_.sometimes_depth.assign(model.sometimes_names().size(), 0);
  }

  SearchResult run() {
    model_.initial_states(successors_);
    result_.generated_states += successors_.count();
    for (size_t i = 0; i < successors_.count() && !stopped_; ++i) {
      offer_initial(successors_.state(i));
    }
    if (options_.order == SearchOrder::breadth_first) {
      breadth_first();
    } else if (options_.shard.sharded()) {
      // Breadth-first to the split, alike in every shard, then depth-first from this shard's
      // states of the split level (the first of them first).
      const uint64_t split_begin = breadth_first();
      stack_.clear();
      if (result_.split_depth != 0) {
        for (uint64_t i = store_.size(); i-- > split_begin;) {
          if (depths_[i] == result_.split_depth && owns(static_cast<uint32_t>(i))) {
            stack_.push_back(static_cast<uint32_t>(i));
          }
        }
        depth_first(false);
      }
    } else {
      depth_first(true);
    }
    result_.distinct_states = store_.size();
    result_.exhausted = result_.cut_by.empty();
    result_.store_bytes =
        store_.bytes() + (depths_.capacity() + stack_.capacity()) * sizeof(uint32_t);
    return std::move(result_);
  }

 private:
  // Level by level. Sharded, the first level wide enough is where the shards part: each expands
  // its own states of it, and every state after it is reached from those. A depth-first shard
  // stops there and returns where the level begins.
  uint64_t breadth_first() {
    // States are stored in the order they are reached, so each level is a range of indices.
    uint64_t level_begin = 0;
    uint64_t depth = 1;
    while (!stopped_ && level_begin < store_.size()) {
      const uint64_t level_end = store_.size();
      if (result_.split_depth == 0 && options_.shard.splits_at(level_end - level_begin)) {
        result_.split_depth = depth;
        result_.split_states = level_end - level_begin;
        for (uint64_t i = level_begin; i < level_end; ++i) {
          result_.shard_states += owns(static_cast<uint32_t>(i)) ? 1 : 0;
        }
        if (options_.order == SearchOrder::depth_first) return level_begin;
      }
      for (uint64_t i = level_begin; i < level_end && !stopped_; ++i) {
        if (depth == result_.split_depth && !owns(static_cast<uint32_t>(i))) continue;
        expand(static_cast<uint32_t>(i), depth + 1);
      }
      level_begin = level_end;
      ++depth;
    }
    return level_begin;
  }

  bool owns(uint32_t index) const {
    const auto* bytes = reinterpret_cast<const char*>(store_.state(index));
    return options_.shard.owns(fnv1a(std::string_view(bytes, model_.state_size())));
  }

  void depth_first(bool from_initial) {
    if (from_initial) std::reverse(stack_.begin(), stack_.end());  // the first initial state first
    while (!stopped_ && !stack_.empty()) {
      const uint32_t index = stack_.back();
      stack_.pop_back();
      expand(index, depths_[index] + 1);
    }
  }

  void expand(uint32_t index, uint64_t child_depth) {
    successors_.clear();
    const std::byte* parent = store_.state(index);
    model_.next(parent, successors_);
    const size_t n = successors_.count();
    result_.generated_states += n;
    // Most successors were seen before, and looking one up misses the cache twice (its table
    // slot, then its stored bytes). A successor equal to its parent (an action that changes
    // nothing) needs no look-up at all; the others' slots are fetched together, so that their
    // misses overlap instead of following one another.
    hashes_.resize(n);
    self_.assign(n, 0);
    const size_t size = model_.state_size();
    for (size_t i = 0; i < n; ++i) {
      std::byte* state = successors_.state(i);
      if (options_.symmetry) model_.canonicalize(state);
      if (StateStore::equal(state, parent, size)) {
        self_[i] = 1;
        continue;
      }
      hashes_[i] = StateStore::hash(state, size);
      store_.prefetch(hashes_[i]);
    }
    for (size_t i = 0; i < n; ++i) {
      if (!self_[i]) store_.prefetch_state(hashes_[i]);
    }
    for (size_t k = 0; k < n && !stopped_; ++k) {
      // Depth-first pushes what it stores; the last pushed is expanded first, so the successors
      // are offered last action first to expand them in action order.
      const size_t i = options_.order == SearchOrder::depth_first ? n - 1 - k : k;
      ++result_.action_fired[successors_.action(i)];
      if (self_[i]) continue;
      offer(successors_.state(i), hashes_[i], index, static_cast<uint16_t>(successors_.action(i)),
            child_depth);
    }
  }

  void offer_initial(std::byte* state) {
    if (options_.symmetry) model_.canonicalize(state);
    offer(state, StateStore::hash(state, model_.state_size()), StateStore::kNoParent, 0, 1);
  }

  // Stores a generated state (canonical already) unless seen.
  void offer(const std::byte* state, uint64_t hash, uint32_t parent, uint16_t action,
             uint64_t depth) {
    if (int64_t seen = store_.find(state, hash); seen >= 0) {
      // Depth-first under a bound: a state first reached by a longer path is expanded again
      // from the shorter one, or the bound would hide what lies below it.
      const auto index = static_cast<uint32_t>(seen);
      if (options_.order == SearchOrder::depth_first && depth < depths_[index]) {
        depths_[index] = static_cast<uint32_t>(depth);
        store_.set_parent(index, parent, action);
        stack_.push_back(index);
        note_sometimes(state, depth);
      }
      return;
    }
    if (options_.max_depth != 0 && depth > options_.max_depth) {
      result_.cut_by = "max-depth";  // this branch only: the search goes on
      return;
    }
    if (store_.size() >= limit_) {
      result_.cut_by = "max-states";
      stopped_ = true;
      return;
    }
    if (options_.max_memory != 0 &&
        store_.bytes_after_insert() + (depths_.capacity() + stack_.capacity()) * sizeof(uint32_t) >
            options_.max_memory) {
      result_.cut_by = "max-memory";
      stopped_ = true;
      return;
    }
    const uint32_t index = store_.insert(state, hash, parent, action);
    result_.depth = std::max(result_.depth, depth);
    if (options_.order == SearchOrder::depth_first) {
      depths_.push_back(static_cast<uint32_t>(depth));
      stack_.push_back(index);
    }
    if (int broken = model_.broken_invariant(state); broken >= 0) {
      result_.violation =
          SpecViolation{model_.invariant_names()[static_cast<size_t>(broken)], path_to(index)};
      result_.cut_by = "violation";
      stopped_ = true;
    }
    note_sometimes(state, depth);
    if (options_.on_state) options_.on_state(store_.state(index));
    if (options_.progress && (store_.size() & 0xffff) == 0) {
      options_.progress(store_.size(), result_.generated_states, result_.depth);
    }
  }

  // The `sometimes` properties `state` satisfies, at the shallowest depth found for each.
  void note_sometimes(const std::byte* state, uint64_t depth) {
    for (size_t s = 0; s < result_.sometimes_reached.size(); ++s) {
      if (result_.sometimes_reached[s] && result_.sometimes_depth[s] <= depth) continue;
      if (!model_.reaches(s, state)) continue;
      result_.sometimes_reached[s] = true;
      result_.sometimes_depth[s] = depth;
    }
  }

  // The path from an initial state to `index`, through the states that first reached each.
  // Breadth-first, it is a shortest one. Depth-first, it may wander: it is shortened by taking,
  // from each state on it, the action that reaches the latest state further along it.
  std::vector<PathStep> path_to(uint32_t index) {
    std::vector<uint32_t> states;
    for (uint32_t i = index;; i = store_.parent(i)) {
      states.push_back(i);
      if (store_.parent(i) == StateStore::kNoParent) break;
    }
    std::reverse(states.begin(), states.end());
    std::vector<std::string> actions(states.size(), "Init");
    for (size_t k = 1; k < states.size(); ++k) {
      actions[k] = model_.action_names()[store_.action(states[k])];
    }
    if (options_.order == SearchOrder::depth_first) shortcut(states, actions);
    std::vector<PathStep> path;
    for (size_t k = 0; k < states.size(); ++k) {
      path.push_back(PathStep{actions[k], model_.describe(store_.state(states[k]))});
    }
    return path;
  }

  void shortcut(std::vector<uint32_t>& states, std::vector<std::string>& actions) {
    std::unordered_map<uint32_t, size_t> position;  // looked up only: its order never matters
    for (size_t k = 0; k < states.size(); ++k) position[states[k]] = k;
    std::vector<uint32_t> short_states = {states.front()};
    std::vector<std::string> short_actions = {actions.front()};
    for (size_t at = 0; at + 1 < states.size();) {
      size_t next = at + 1;
      std::string action = actions[next];
      scratch_.clear();
      model_.next(store_.state(states[at]), scratch_);
      for (size_t i = 0; i < scratch_.count(); ++i) {
        std::byte* successor = scratch_.state(i);
        if (options_.symmetry) model_.canonicalize(successor);
        const int64_t found =
            store_.find(successor, StateStore::hash(successor, model_.state_size()));
        if (found < 0) continue;
        auto it = position.find(static_cast<uint32_t>(found));
        if (it != position.end() && it->second > next) {
          next = it->second;
          action = model_.action_names()[scratch_.action(i)];
        }
      }
      short_states.push_back(states[next]);
      short_actions.push_back(action);
      at = next;
    }
    states = std::move(short_states);
    actions = std::move(short_actions);
  }

  const Model& model_;
  const SearchOptions& options_;
  StateStore store_;
  StateSink successors_;
  StateSink scratch_;  // the successors shortcut() looks at, while successors_ is being offered
  uint64_t limit_;
  std::vector<uint32_t> depths_;  // depth-first only: each state's shortest known depth
  std::vector<uint32_t> stack_;   // depth-first only
  // The successors being offered: their hashes, and which are equal to their parent.
  std::vector<uint64_t> hashes_;
  std::vector<uint8_t> self_;
  bool stopped_ = false;
  SearchResult result_;
};

}  // namespace

SearchResult search(const Model& model, const SearchOptions& options) {
  return Searcher(model, options).run();
}

nlohmann::json sometimes_json(const std::vector<SometimesOutcome>& sometimes) {
  nlohmann::json out = nlohmann::json::object();
  for (const SometimesOutcome& s : sometimes) {
    out[s.name] = {{"reached", s.reached},
                   {"depth", s.reached ? nlohmann::json(s.depth) : nlohmann::json()}};
  }
  return out;
}

nlohmann::json shard_json(const SearchShard& shard, uint64_t split_depth, uint64_t split_states,
                          uint64_t owned) {
  return {{"index", shard.index + 1},
          {"count", shard.count},
          {"split_depth", split_depth ? nlohmann::json(split_depth) : nlohmann::json()},
          {"split_states", split_states},
          {"owned", owned}};
}

nlohmann::json to_json(const Model& model, const SearchOptions& options,
                       const SearchResult& result) {
  nlohmann::json coverage = nlohmann::json::object();
  std::map<std::string, uint64_t> by_family;
  for (size_t i = 0; i < result.action_fired.size(); ++i) {
    by_family[model.action_families()[i]] += result.action_fired[i];
  }
  nlohmann::json never = nlohmann::json::array();
  for (const auto& [family, fired] : by_family) {
    coverage[family] = fired;
    if (fired == 0) never.push_back(family);
  }
  std::vector<SometimesOutcome> sometimes;
  for (size_t i = 0; i < result.sometimes_reached.size(); ++i) {
    sometimes.push_back(
        {model.sometimes_names()[i], result.sometimes_reached[i], result.sometimes_depth[i]});
  }
  nlohmann::json out = {
      {"model", model.name()},
      {"strategy", options.order == SearchOrder::breadth_first ? "bfs" : "dfs"},
      {"symmetry", options.symmetry},
      {"distinct_states", result.distinct_states},
      {"generated_states", result.generated_states},
      {"depth", result.depth},
      {"exhausted", result.exhausted},
      {"cut_by", result.cut_by.empty() ? nlohmann::json() : nlohmann::json(result.cut_by)},
      {"bounds", {{"max_depth", options.max_depth}, {"max_states", options.max_states}}},
      {"store_bytes", result.store_bytes},
      {"coverage", coverage},
      {"never_fired", never},
      {"sometimes", sometimes_json(sometimes)},
      {"shard",
       shard_json(options.shard, result.split_depth, result.split_states, result.shard_states)},
  };
  if (result.violation) {
    nlohmann::json path = nlohmann::json::array();
    for (const PathStep& step : result.violation->path) {
      path.push_back({{"action", step.action}, {"state", step.state}});
    }
    out["violation"] = {{"invariant", result.violation->invariant}, {"path", path}};
  }
  return out;
}

}  // namespace faultline::spec
