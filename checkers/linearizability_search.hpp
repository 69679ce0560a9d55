#pragma once

// The search: Wing & Gong's algorithm with Lowe's just-in-time linearization and memoization
// ("Testing for linearizability", Concurrency and Computation 2017), as in Porcupine's
// checker.go, over one partition of a history.
//
// Calls and returns sit in one doubly linked list ordered by time. Walking it from the front, a
// call may be linearized now if the model accepts it in the current state; it is then unlinked
// with its return ("lifted") and the walk restarts from the front. Reaching a return whose call
// is still linked means that operation had to take effect before this point and could not, so
// the last choice is undone. Two configurations with the same set of linearized operations and
// the same model state have the same future, so each is explored once: that memo is what makes
// the search practical, and its cost per step is what this file optimizes:
//   - the linearized set is a bitset whose hash is kept incrementally (Zobrist: one xor per
//     change) instead of rehashing all words per lookup;
//   - the memo is an open-addressing table of 16-byte slots pointing into an arena of records
//     [bitset words | state], allocated in large chunks and freed all at once;
//   - states are small trivially copyable values (models intern anything bigger), operations are
//     compact structs: no json, no allocation, no virtual call in the loop.
// The deadline, the memory bound and cancellation are polled every kPollEvery steps.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "checkers/models/model.hpp"

namespace faultline::checkers::detail {

// Zeroed memory for the memo. Large blocks come straight from mmap (already zero: no memset)
// with transparent huge pages requested: on virtual machines a page fault costs microseconds,
// and a search that fills gigabytes of 4 KiB pages spends most of its time faulting them in.
class ZeroedBlock {
 public:
  ZeroedBlock() = default;
  explicit ZeroedBlock(std::size_t bytes);
  ~ZeroedBlock() { release(); }
  ZeroedBlock(ZeroedBlock&& other) noexcept { *this = std::move(other); }
  ZeroedBlock& operator=(ZeroedBlock&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      bytes_ = std::exchange(other.bytes_, 0);
      mapped_ = other.mapped_;
    }
    return *this;
  }
  void* data() const { return data_; }
  std::size_t bytes() const { return bytes_; }

 private:
  void release();
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
  bool mapped_ = false;
};

// What bounds one partition's search; shared by all partitions of a check.
struct SearchLimits {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::int64_t max_memory_bytes = 0;                 // 0 = unbounded
  std::atomic<std::int64_t>* memory_used = nullptr;  // all partitions together
  std::atomic<std::int64_t>* memory_peak = nullptr;  // high-water mark of memory_used
};

enum class SearchOutcome : std::uint8_t { ok, illegal, timeout, memory };

template <typename State>
struct SearchResult {
  SearchOutcome outcome = SearchOutcome::ok;
  // ok: a full linearization; illegal: the longest linearizable prefix. Local op indices.
  std::vector<std::uint32_t> order;
  std::optional<std::uint32_t> unplaceable;  // illegal: first op that could not follow `order`
  std::vector<State> states;                 // states after prefixes of the longest length
  std::uint64_t steps = 0;
  std::uint64_t cache_entries = 0;
  std::int64_t memory_bytes = 0;
};

// The memo: a set of (linearized bitset, state) records.
template <typename State>
class LinearizationCache {
 public:
  LinearizationCache(std::size_t bitset_words, const SearchLimits& limits)
      : words_(bitset_words),
        record_words_(bitset_words + (sizeof(State) + 7) / 8),
        limits_(limits) {
    grow_table(1024);
  }
  ~LinearizationCache() { account(-accounted_); }
  LinearizationCache(const LinearizationCache&) = delete;
  LinearizationCache& operator=(const LinearizationCache&) = delete;

  // Inserts unless present. Returns false if present; throws nothing; sets over_budget() when
  // an allocation pushed the shared memory count past the bound.
  bool insert(const std::uint64_t* bits, const State& state, std::uint64_t hash) {
    std::size_t mask = capacity_ - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.record == nullptr) break;
      if (slot.hash == hash && same_record(slot.record, bits, state)) return false;
    }
    std::uint64_t* record = allocate_record();
    std::memcpy(record, bits, words_ * 8);
    std::memcpy(record + words_, &state, sizeof(State));
    if (2 * (size_ + 1) > capacity_) grow_table(capacity_ * 2);
    place(hash, record);
    ++size_;
    return true;
  }

  std::size_t size() const { return size_; }
  bool over_budget() const { return over_budget_; }
  // Memory the model holds (interned strings, tuples) counts against the same bound.
  void account_model(std::int64_t bytes) {
    account(bytes - model_bytes_);
    model_bytes_ = bytes;
  }
  std::int64_t bytes() const { return accounted_; }

 private:
  struct Slot {
    std::uint64_t hash;
    std::uint64_t* record;
  };

  bool same_record(const std::uint64_t* record, const std::uint64_t* bits,
                   const State& state) const {
    // Bitsets are a few words: a loop the compiler unrolls beats a call to memcmp.
    for (std::size_t w = 0; w < words_; ++w) {
      if (record[w] != bits[w]) return false;
    }
    return std::memcmp(record + words_, &state, sizeof(State)) == 0;
  }

  void place(std::uint64_t hash, std::uint64_t* record) {
    std::size_t mask = capacity_ - 1;
    std::size_t i = hash & mask;
    while (slots_[i].record != nullptr) i = (i + 1) & mask;
    slots_[i] = Slot{hash, record};
  }

  void grow_table(std::size_t capacity) {
    ZeroedBlock old = std::move(table_);
    Slot* old_slots = slots_;
    std::size_t old_capacity = capacity_;
    table_ = ZeroedBlock(capacity * sizeof(Slot));  // all zero: every slot empty
    slots_ = static_cast<Slot*>(table_.data());
    capacity_ = capacity;
    for (std::size_t i = 0; i < old_capacity; ++i) {
      if (old_slots[i].record != nullptr) place(old_slots[i].hash, old_slots[i].record);
    }
    account(static_cast<std::int64_t>(table_.bytes()) - static_cast<std::int64_t>(old.bytes()));
  }

  std::uint64_t* allocate_record() {
    if (chunk_used_ + record_words_ > chunk_words_) {
      // Chunks grow geometrically (to 8 MiB) so tiny partitions stay tiny.
      std::size_t words = std::max<std::size_t>(
          record_words_ * 16, std::min<std::size_t>(chunk_words_ * 2, std::size_t{1} << 20));
      chunks_.emplace_back(words * 8);
      chunk_words_ = chunks_.back().bytes() / 8;
      chunk_used_ = 0;
      account(static_cast<std::int64_t>(chunks_.back().bytes()));
    }
    std::uint64_t* record = static_cast<std::uint64_t*>(chunks_.back().data()) + chunk_used_;
    chunk_used_ += record_words_;
    return record;
  }

  void account(std::int64_t delta) {
    accounted_ += delta;
    if (limits_.memory_used == nullptr) return;
    std::int64_t total = limits_.memory_used->fetch_add(delta) + delta;
    if (limits_.memory_peak != nullptr) {
      std::int64_t peak = limits_.memory_peak->load();
      while (total > peak && !limits_.memory_peak->compare_exchange_weak(peak, total)) {
      }
    }
    if (limits_.max_memory_bytes > 0 && total > limits_.max_memory_bytes) over_budget_ = true;
  }

  std::size_t words_;
  std::size_t record_words_;
  const SearchLimits& limits_;
  ZeroedBlock table_;
  Slot* slots_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::vector<ZeroedBlock> chunks_;
  std::size_t chunk_words_ = 0;
  std::size_t chunk_used_ = 0;
  std::int64_t accounted_ = 0;
  std::int64_t model_bytes_ = 0;
  bool over_budget_ = false;
};

// The event list of one partition: node 0 is the head; nodes 1..2n are calls and returns in
// time order (a call before a return at the same instant: [call, return] is a closed interval,
// so operations that touch in time are concurrent - the conservative reading of equal stamps).
struct EventList {
  std::vector<std::int32_t> next, prev;
  std::vector<std::uint32_t> op;    // node -> op index
  std::vector<std::int32_t> match;  // call node -> its return node; -1 for returns

  EventList(const std::vector<std::int64_t>& call, const std::vector<std::int64_t>& ret) {
    std::size_t n = call.size();
    struct Ev {
      std::int64_t time;
      std::uint32_t is_return;
      std::uint32_t op;
    };
    std::vector<Ev> evs;
    evs.reserve(2 * n);
    for (std::uint32_t i = 0; i < n; ++i) {
      evs.push_back({call[i], 0, i});
      evs.push_back({ret[i], 1, i});
    }
    std::sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) {
      if (a.time != b.time) return a.time < b.time;
      if (a.is_return != b.is_return) return a.is_return < b.is_return;
      return a.op < b.op;
    });
    std::size_t nodes = 2 * n + 1;
    next.assign(nodes, -1);
    prev.assign(nodes, -1);
    op.assign(nodes, 0);
    match.assign(nodes, -1);
    std::vector<std::int32_t> call_node(n);
    for (std::size_t k = 0; k < evs.size(); ++k) {
      auto node = static_cast<std::int32_t>(k + 1);
      op[node] = evs[k].op;
      if (evs[k].is_return == 0) {
        call_node[evs[k].op] = node;
      } else {
        match[call_node[evs[k].op]] = node;
      }
    }
    for (std::size_t k = 0; k < nodes; ++k) {
      next[k] = k + 1 < nodes ? static_cast<std::int32_t>(k + 1) : -1;
      prev[k] = static_cast<std::int32_t>(k) - 1;
    }
  }

  // Unlinks a call and its return. Undone by unlift in the reverse order of lifts.
  void lift(std::int32_t c) {
    next[prev[c]] = next[c];
    prev[next[c]] = prev[c];  // a call is never last: its return follows
    std::int32_t r = match[c];
    next[prev[r]] = next[r];
    if (next[r] != -1) prev[next[r]] = prev[r];
  }
  void unlift(std::int32_t c) {
    std::int32_t r = match[c];
    next[prev[r]] = r;
    if (next[r] != -1) prev[next[r]] = r;
    next[prev[c]] = c;
    prev[next[c]] = c;
  }
};

// A read-only operation leaves the state unchanged in every state where it is legal (a read, a
// failed cas, a get). If one is legal now, linearizing it now loses nothing: in any successful
// completion that places it later, moving it to the front keeps every other step's state, and
// real time allows it (every operation that returned before its call is already linearized, or
// the list walk would not have reached it). So when that choice fails, the configuration it was
// made from fails too and its other candidates are skipped. Models opt in with is_read_only().
template <typename Model>
bool read_only(const Model& model, const typename Model::Op& op) {
  if constexpr (requires { model.is_read_only(op); }) {
    return model.is_read_only(op);
  } else {
    return false;
  }
}

// Identical operations (equal Op) a and b with a.call <= b.call and a.ret <= b.ret can always be
// linearized a first: swapping them in any linearization keeps every step's state (the ops are
// equal) and every real-time constraint (b moves earlier but was called no earlier than a; a
// moves later but returns no later than b). Repeated swaps of such pairs reach a linearization
// honouring all of them at once (each swap removes an inversion of call order), so the search
// may require, for each op, that the previous identical op in call order - when it also returns
// no later - is linearized first. Pending writes of the same value in the etcd logs are the
// common case: without this their every order is explored.
template <typename Model>
std::vector<std::int32_t> identical_predecessors(const std::vector<typename Model::Op>& ops,
                                                 const std::vector<std::int64_t>& call,
                                                 const std::vector<std::int64_t>& ret) {
  std::vector<std::int32_t> before(ops.size(), -1);
  if constexpr (requires(const typename Model::Op& a) { a == a; }) {
    std::vector<std::uint32_t> order(ops.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return call[a] != call[b] ? call[a] < call[b] : a < b;
    });
    // The most recent member of each class seen so far. Found by a linear scan: histories
    // have few distinct operations per partition; past kMaxClasses new classes are not
    // tracked (the reduction is an optimization, never needed for a correct verdict).
    constexpr std::size_t kMaxClasses = 4096;
    std::vector<std::uint32_t> last;
    for (std::uint32_t b : order) {
      auto same =
          std::find_if(last.begin(), last.end(), [&](std::uint32_t a) { return ops[a] == ops[b]; });
      if (same == last.end()) {
        if (last.size() < kMaxClasses) last.push_back(b);
        continue;
      }
      if (ret[*same] <= ret[b]) before[b] = static_cast<std::int32_t>(*same);
      *same = b;
    }
  }
  return before;
}

inline std::uint64_t zobrist(std::uint32_t op) {
  return models::mix64(0x5851f42d4c957f2dULL ^ (static_cast<std::uint64_t>(op) << 1));
}

// One partition's search, resumable: run() stops after a budget of loop iterations and picks up
// where it left off, so the driver can interleave partitions in rounds of growing budgets and
// stop at the first illegal one - deterministically, since budgets count steps, not time.
template <typename Model>
class Search {
 public:
  using State = typename Model::State;
  using Op = typename Model::Op;
  static_assert(std::is_trivially_copyable_v<State>, "model states are copied as bytes");
  static_assert(std::has_unique_object_representations_v<State>,
                "model states are compared as bytes: no padding, no floats");

  Search(Model& model, const std::vector<Op>& ops, const std::vector<std::int64_t>& call,
         const std::vector<std::int64_t>& ret, const SearchLimits& limits)
      : model_(model),
        ops_(ops),
        limits_(limits),
        list_(call, ret),
        words_((ops.size() + 63) / 64),
        bits_(std::max<std::size_t>(words_, 1), 0),
        zob_(ops.size()),
        cache_(words_, limits),
        before_(identical_predecessors<Model>(ops, call, ret)) {
    for (std::uint32_t i = 0; i < zob_.size(); ++i) zob_[i] = zobrist(i);
    stack_.reserve(ops.size());
    state_ = model_.init();
    result_.states.push_back(state_);
    entry_ = list_.next[0];
  }

  // Runs for about `budget` iterations; nullopt if the search is not over yet.
  std::optional<SearchOutcome> run(std::uint64_t budget);

  SearchResult<State>& result() { return result_; }

 private:
  static constexpr std::uint32_t kPollEvery = 1024;
  static constexpr std::size_t kStatesShown = 8;

  struct Frame {
    std::int32_t node;
    State state;
    bool read_only;
  };

  bool linearized(std::int32_t op) const {
    return (bits_[static_cast<std::uint32_t>(op) >> 6] >> (op & 63)) & 1;
  }

  SearchOutcome finish(SearchOutcome outcome) {
    result_.outcome = outcome;
    result_.cache_entries = cache_.size();
    result_.memory_bytes =
        cache_.bytes() + static_cast<std::int64_t>(stack_.capacity() * sizeof(Frame));
    if (outcome == SearchOutcome::ok) {
      result_.order.clear();
      for (const Frame& f : stack_) result_.order.push_back(list_.op[f.node]);
      result_.unplaceable.reset();
      result_.states.assign(1, state_);
    }
    return outcome;
  }

  Model& model_;
  const std::vector<Op>& ops_;
  const SearchLimits& limits_;
  EventList list_;
  std::size_t words_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::uint64_t> zob_;
  LinearizationCache<State> cache_;
  const std::vector<std::int32_t> before_;
  std::vector<Frame> stack_;
  State state_{};
  std::uint64_t lin_hash_ = 0;
  std::size_t best_depth_ = 0;
  bool unplaceable_found_ = false;
  std::int32_t entry_ = -1;
  SearchResult<State> result_;
};

template <typename Model>
std::optional<SearchOutcome> Search<Model>::run(std::uint64_t budget) {
  std::uint32_t poll = kPollEvery;
  while (list_.next[0] != -1) {
    if (--poll == 0) {
      poll = kPollEvery;
      if (limits_.deadline && std::chrono::steady_clock::now() >= *limits_.deadline) {
        return finish(SearchOutcome::timeout);
      }
      if constexpr (requires { model_.memory_bytes(); }) {
        cache_.account_model(static_cast<std::int64_t>(model_.memory_bytes()));
        if (cache_.over_budget()) return finish(SearchOutcome::memory);
      }
      if (budget <= kPollEvery) return std::nullopt;
      budget -= kPollEvery;
    }
    bool config_fails = false;
    if (list_.match[entry_] != -1) {  // a call: try to linearize it here
      std::uint32_t op = list_.op[entry_];
      if (before_[op] >= 0 && !linearized(before_[op])) {
        entry_ = list_.next[entry_];
        continue;
      }
      ++result_.steps;
      std::optional<State> next_state = model_.step(state_, ops_[op]);
      if (!next_state) {
        entry_ = list_.next[entry_];
        continue;
      }
      bool pure = read_only(model_, ops_[op]);
      std::uint64_t word_bit = std::uint64_t{1} << (op & 63);
      bits_[op >> 6] |= word_bit;
      std::uint64_t next_hash = lin_hash_ ^ zob_[op];
      if (cache_.insert(bits_.data(), *next_state, next_hash ^ model_.hash(*next_state))) {
        if (cache_.over_budget()) return finish(SearchOutcome::memory);
        stack_.push_back(Frame{entry_, state_, pure});
        state_ = *next_state;
        lin_hash_ = next_hash;
        list_.lift(entry_);
        entry_ = list_.next[0];
        if (stack_.size() > best_depth_) {
          best_depth_ = stack_.size();
          result_.order.clear();
          for (const Frame& f : stack_) result_.order.push_back(list_.op[f.node]);
          result_.states.assign(1, state_);
          unplaceable_found_ = false;
        } else if (stack_.size() == best_depth_ && result_.states.size() < kStatesShown &&
                   std::find(result_.states.begin(), result_.states.end(), state_) ==
                       result_.states.end()) {
          result_.states.push_back(state_);
        }
        continue;
      }
      bits_[op >> 6] &= ~word_bit;
      if (!pure) {
        entry_ = list_.next[entry_];
        continue;
      }
      // The configuration after this read-only op was explored and failed: so does this one
      // (see read_only), and its remaining candidates need not be tried.
      config_fails = true;
    }
    if (!config_fails && stack_.size() == best_depth_ && !unplaceable_found_) {
      // A return whose call is still pending: that operation cannot be placed after this prefix.
      unplaceable_found_ = true;
      result_.unplaceable = list_.op[entry_];
    }
    // Undo the last choice; undoing a read-only op proves its parent configuration fails too.
    for (;;) {
      if (stack_.empty()) return finish(SearchOutcome::illegal);
      Frame top = stack_.back();
      stack_.pop_back();
      std::uint32_t op = list_.op[top.node];
      state_ = top.state;
      bits_[op >> 6] &= ~(std::uint64_t{1} << (op & 63));
      lin_hash_ ^= zob_[op];
      list_.unlift(top.node);
      if (!top.read_only) {
        entry_ = list_.next[top.node];
        break;
      }
    }
  }
  return finish(SearchOutcome::ok);
}

// Runs one partition's search to the end.
template <typename Model>
SearchResult<typename Model::State> search(Model& model, const std::vector<typename Model::Op>& ops,
                                           const std::vector<std::int64_t>& call,
                                           const std::vector<std::int64_t>& ret,
                                           const SearchLimits& limits) {
  Search<Model> s(model, ops, call, ret, limits);
  s.run(~std::uint64_t{0});
  return std::move(s.result());
}

}  // namespace faultline::checkers::detail
