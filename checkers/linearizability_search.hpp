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
// The deadline and the memory bound are polled every kPollEvery steps; memory is charged before
// it is allocated, so the bound holds for what the search holds, not approximately.

#include <algorithm>
#include <atomic>
#include <bit>
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

// The memo: a set of (linearized set key, state) records. Keys vary in length (SetKey).
template <typename State>
class LinearizationCache {
 public:
  explicit LinearizationCache(const SearchLimits& limits) : limits_(limits) { grow_table(1024); }
  ~LinearizationCache() { release(accounted_); }
  LinearizationCache(const LinearizationCache&) = delete;
  LinearizationCache& operator=(const LinearizationCache&) = delete;

  // Inserts unless present. Returns false if present. When the memory bound refuses the room
  // for it, sets over_budget() and returns true without storing it: the search stops there.
  bool insert(const std::uint64_t* key, std::uint32_t key_words, const State& state,
              std::uint64_t hash) {
    if (capacity_ == 0) return true;  // the bound refused even the first table: over_budget()
    auto h = static_cast<std::uint32_t>(hash);
    std::size_t mask = capacity_ - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.record == nullptr) break;
      if (slot.hash == h && slot.words == key_words &&
          same_record(slot.record, key, key_words, state)) {
        return false;
      }
    }
    std::uint64_t* record = allocate_record(key_words + kStateWords);
    if (record == nullptr) return true;
    std::memcpy(record, key, key_words * 8);
    std::memcpy(record + key_words, &state, sizeof(State));
    // Past the bound the table is not grown; it stays at most half full plus this record.
    if (2 * (size_ + 1) > capacity_) grow_table(capacity_ * 2);
    place(Slot{h, key_words, record});
    ++size_;
    return true;
  }

  std::size_t size() const { return size_; }
  bool over_budget() const { return over_budget_; }
  // Memory the model holds (interned strings, tuples) counts against the same bound; it is
  // allocated already, so it is counted whatever the bound says.
  void account_model(std::int64_t bytes) {
    if (!charge(bytes - model_bytes_, /*refusable=*/false)) over_budget_ = true;
    model_bytes_ = bytes;
  }
  // The search's own arrays (event list, stack, bitset), sized by the history.
  void account_search(std::int64_t bytes) {
    if (!charge(bytes, /*refusable=*/false)) over_budget_ = true;
  }
  std::int64_t bytes() const { return accounted_; }

 private:
  static constexpr std::uint32_t kStateWords = (sizeof(State) + 7) / 8;

  // The hash's low 32 bits pick the slot and filter comparisons; tables never reach 2^32 slots.
  struct Slot {
    std::uint32_t hash;
    std::uint32_t words;  // key length
    std::uint64_t* record;
  };

  static bool same_record(const std::uint64_t* record, const std::uint64_t* key,
                          std::uint32_t key_words, const State& state) {
    // Keys are a few words: a loop the compiler unrolls beats a call to memcmp.
    for (std::uint32_t w = 0; w < key_words; ++w) {
      if (record[w] != key[w]) return false;
    }
    return std::memcmp(record + key_words, &state, sizeof(State)) == 0;
  }

  void place(const Slot& slot) {
    std::size_t mask = capacity_ - 1;
    std::size_t i = slot.hash & mask;
    while (slots_[i].record != nullptr) i = (i + 1) & mask;
    slots_[i] = slot;
  }

  void grow_table(std::size_t capacity) {
    if (!charge(static_cast<std::int64_t>(capacity * sizeof(Slot)), /*refusable=*/true)) return;
    ZeroedBlock old = std::move(table_);
    Slot* old_slots = slots_;
    std::size_t old_capacity = capacity_;
    table_ = ZeroedBlock(capacity * sizeof(Slot));  // all zero: every slot empty
    slots_ = static_cast<Slot*>(table_.data());
    capacity_ = capacity;
    for (std::size_t i = 0; i < old_capacity; ++i) {
      if (old_slots[i].record != nullptr) place(old_slots[i]);
    }
    // The charge was for the requested size; ZeroedBlock may round up, and the old table goes.
    charge(static_cast<std::int64_t>(table_.bytes() - capacity * sizeof(Slot)), false);
    release(static_cast<std::int64_t>(old.bytes()));
  }

  std::uint64_t* allocate_record(std::size_t words) {
    if (chunk_used_ + words > chunk_words_) {
      // Chunks grow geometrically (to 8 MiB) so tiny partitions stay tiny.
      std::size_t want = std::max<std::size_t>(
          words * 16, std::min<std::size_t>(chunk_words_ * 2, std::size_t{1} << 20));
      if (!charge(static_cast<std::int64_t>(want * 8), /*refusable=*/true)) return nullptr;
      chunks_.emplace_back(want * 8);
      charge(static_cast<std::int64_t>(chunks_.back().bytes() - want * 8), false);
      chunk_words_ = chunks_.back().bytes() / 8;
      chunk_used_ = 0;
    }
    std::uint64_t* record = static_cast<std::uint64_t*>(chunks_.back().data()) + chunk_used_;
    chunk_used_ += words;
    return record;
  }

  // Adds `delta` bytes to this search's and the shared count. A refusable charge that would pass
  // the bound is not made: it returns false and sets over_budget(), and the caller allocates
  // nothing. A non-refusable one is always made, and returns false when it passed the bound.
  bool charge(std::int64_t delta, bool refusable) {
    if (limits_.memory_used == nullptr) {
      accounted_ += delta;
      return true;
    }
    std::int64_t total = limits_.memory_used->fetch_add(delta) + delta;
    bool over = limits_.max_memory_bytes > 0 && delta > 0 && total > limits_.max_memory_bytes;
    if (over && refusable) {
      limits_.memory_used->fetch_sub(delta);
      over_budget_ = true;
      return false;
    }
    accounted_ += delta;
    if (limits_.memory_peak != nullptr) {
      std::int64_t peak = limits_.memory_peak->load();
      while (total > peak && !limits_.memory_peak->compare_exchange_weak(peak, total)) {
      }
    }
    return !over;
  }
  void release(std::int64_t bytes) {
    accounted_ -= bytes;
    if (limits_.memory_used != nullptr) limits_.memory_used->fetch_sub(bytes);
  }

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

// Operation indices in call order (ties by index).
inline std::vector<std::uint32_t> call_order(const std::vector<std::int64_t>& call) {
  std::vector<std::uint32_t> order(call.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return call[a] != call[b] ? call[a] < call[b] : a < b;
  });
  return order;
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
    // The most recent member of each of the last kTracked classes seen, found by a linear scan
    // (Op has ==, not a hash). A class pushed out by newer ones starts afresh when it comes
    // back: each link still joins an op to the previous identical one in call order, so the
    // links kept are a subset of those the argument above allows - the reduction is an
    // optimization, never needed for a correct verdict - and the cost stays linear in the
    // history (a sequential history of distinct writes has as many classes as operations).
    constexpr std::size_t kTracked = 64;
    std::vector<std::uint32_t> last;
    std::size_t oldest = 0;
    for (std::uint32_t b : call_order(call)) {
      auto same =
          std::find_if(last.begin(), last.end(), [&](std::uint32_t a) { return ops[a] == ops[b]; });
      if (same != last.end()) {
        if (ret[*same] <= ret[b]) before[b] = static_cast<std::int32_t>(*same);
        *same = b;
      } else if (last.size() < kTracked) {
        last.push_back(b);
      } else {
        last[oldest] = b;
        oldest = (oldest + 1) % kTracked;
      }
    }
  }
  return before;
}

inline std::uint64_t zobrist(std::uint32_t op) {
  return mix64(0x5851f42d4c957f2dULL ^ (static_cast<std::uint64_t>(op) << 1));
}

// The set of linearized operations, numbered by call order (rank), and its key in the memo.
//
// Storing a bitset of the whole partition in every memo record, as Porcupine does, costs n/64
// words per record; a sequential history inserts one record per operation, so its memo grows as
// n^2/64 words (1.25 GB for 100,000 operations). But a linearization respects real time, so a
// linearized set is nearly always "every operation called before some point, and a few after".
// With low = the lowest rank not linearized and high = one past the highest rank linearized, the
// set is [0, low) plus the linearized ranks in [low, high), and the key is a header word (low,
// high) followed by either the bitset words of that window, or the list of ranks in it that are
// not linearized (the gaps: operations still open when a later one was linearized, and info
// operations, which stay open to the end), whichever is shorter; and the whole bitset when that is
// shorter still (short partitions, dense searches). The choice depends on the set alone, so equal
// sets give equal keys (their lengths differ otherwise, and the header's top bit tells the two
// window encodings apart).
class LinearizedSet {
 public:
  struct Bounds {
    std::uint32_t low = 0;
    std::uint32_t high = 0;
  };

  explicit LinearizedSet(std::size_t n)
      : n_(static_cast<std::uint32_t>(n)),
        bits_((n + 63) / 64 + 1, 0),
        zob_(n),
        scratch_(bits_.size()) {
    for (std::uint32_t i = 0; i < n_; ++i) zob_[i] = zobrist(i);
  }

  bool contains(std::uint32_t rank) const { return (bits_[rank >> 6] >> (rank & 63)) & 1; }
  Bounds bounds() const { return bounds_; }
  std::uint64_t hash() const { return hash_; }
  std::size_t memory_bytes() const {
    return (bits_.capacity() + zob_.capacity() + scratch_.capacity()) * sizeof(std::uint64_t);
  }

  void add(std::uint32_t rank) {
    bits_[rank >> 6] |= std::uint64_t{1} << (rank & 63);
    hash_ ^= zob_[rank];
    ++count_;
    if (rank >= bounds_.high) bounds_.high = rank + 1;
    if (rank == bounds_.low) bounds_.low = first_absent_from(rank + 1);
  }
  // Undoes add(rank); `before` is bounds() as it was before that add.
  void remove(std::uint32_t rank, Bounds before) {
    bits_[rank >> 6] &= ~(std::uint64_t{1} << (rank & 63));
    hash_ ^= zob_[rank];
    --count_;
    bounds_ = before;
  }

  // The memo key of the current set: valid until the next call.
  std::pair<const std::uint64_t*, std::uint32_t> key() {
    auto whole = static_cast<std::uint32_t>(bits_.size() - 1);
    auto [low, high] = bounds_;
    std::uint32_t window = high > low ? ((high - 1) >> 6) - (low >> 6) + 1 : 0;
    std::uint32_t gaps = high - count_;
    std::uint32_t gap_words = (gaps + 1) / 2;
    bool as_gaps = gap_words < window;
    if (1 + std::min(window, gap_words) >= whole) return {bits_.data(), whole};
    // Written in place: scratch_ has room for a whole bitset, longer than any compact key.
    std::uint64_t* out = scratch_.data();
    *out++ = low | std::uint64_t{high} << 32 | std::uint64_t{as_gaps} << 63;
    if (!as_gaps) {
      out = std::copy_n(bits_.begin() + (low >> 6), window, out);
    } else {
      std::uint32_t listed = 0;
      for (std::uint32_t w = low >> 6; w <= (high - 1) >> 6; ++w) {
        std::uint64_t absent = ~bits_[w];
        if (w == (high - 1) >> 6 && (high & 63) != 0) {
          absent &= (std::uint64_t{1} << (high & 63)) - 1;
        }
        for (; absent != 0; absent &= absent - 1, ++listed) {
          std::uint64_t rank = w * 64 + static_cast<std::uint32_t>(std::countr_zero(absent));
          if (listed % 2 == 0) {
            // The unused half of a last odd word holds a value no rank takes (ranks < 2^31).
            *out++ = rank | std::uint64_t{0xffffffffu} << 32;
          } else {
            out[-1] = (out[-1] & 0xffffffffu) | rank << 32;
          }
        }
      }
    }
    return {scratch_.data(), static_cast<std::uint32_t>(out - scratch_.data())};
  }

 private:
  std::uint32_t first_absent_from(std::uint32_t rank) const {
    std::size_t w = rank >> 6;
    if (w >= bits_.size()) return n_;
    std::uint64_t absent = ~bits_[w] & (~std::uint64_t{0} << (rank & 63));
    while (absent == 0) absent = ~bits_[++w];  // the last word is never full: it ends the scan
    return std::min<std::uint32_t>(n_,
                                   static_cast<std::uint32_t>(w * 64 + std::countr_zero(absent)));
  }

  std::uint32_t n_;
  std::vector<std::uint64_t> bits_;  // one spare word past the last rank, always zero
  std::vector<std::uint64_t> zob_;
  std::vector<std::uint64_t> scratch_;
  Bounds bounds_;
  std::uint32_t count_ = 0;
  std::uint64_t hash_ = 0;
};

// Each operation's position in call order.
inline std::vector<std::uint32_t> call_ranks(const std::vector<std::int64_t>& call) {
  std::vector<std::uint32_t> order = call_order(call);
  std::vector<std::uint32_t> rank(call.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  return rank;
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
        rank_(call_ranks(call)),
        set_(ops.size()),
        cache_(limits),
        before_(identical_predecessors<Model>(ops, call, ret)) {
    stack_.reserve(ops.size());
    state_ = model_.init();
    result_.states.push_back(state_);
    entry_ = list_.next[0];
    cache_.account_search(static_cast<std::int64_t>(fixed_bytes()));
  }

  // Runs for about `budget` iterations; nullopt if the search is not over yet.
  std::optional<SearchOutcome> run(std::uint64_t budget);

  SearchResult<State>& result() { return result_; }

 private:
  static constexpr std::uint32_t kPollEvery = 1024;
  static constexpr std::size_t kStatesShown = 8;

  struct Frame {
    std::int32_t node;
    LinearizedSet::Bounds bounds;  // the set's bounds before this op was added
    State state;
    bool read_only;
  };

  bool linearized(std::int32_t op) const { return set_.contains(rank_[op]); }

  // The arrays sized by the partition, charged against the memory bound once.
  std::size_t fixed_bytes() const {
    return list_.next.capacity() * 4 * 4 + rank_.capacity() * 4 + before_.capacity() * 4 +
           stack_.capacity() * sizeof(Frame) + set_.memory_bytes();
  }

  // Keeps result_.order, the longest prefix seen, equal to the stack: only the part after the
  // last point where they agreed is rewritten, so a long sequential history costs linear time.
  void record_best_prefix() {
    result_.order.resize(agree_);
    for (std::size_t i = agree_; i < stack_.size(); ++i) {
      result_.order.push_back(list_.op[stack_[i].node]);
    }
    agree_ = stack_.size();
  }

  SearchOutcome finish(SearchOutcome outcome) {
    result_.outcome = outcome;
    result_.cache_entries = cache_.size();
    result_.memory_bytes = cache_.bytes();
    if (outcome == SearchOutcome::ok) {
      record_best_prefix();
      result_.unplaceable.reset();
      result_.states.assign(1, state_);
    }
    return outcome;
  }

  Model& model_;
  const std::vector<Op>& ops_;
  const SearchLimits& limits_;
  EventList list_;
  const std::vector<std::uint32_t> rank_;
  LinearizedSet set_;
  LinearizationCache<State> cache_;
  const std::vector<std::int32_t> before_;
  std::vector<Frame> stack_;
  State state_{};
  std::size_t best_depth_ = 0;
  std::size_t agree_ = 0;  // result_.order and the stack agree on this many first operations
  bool unplaceable_found_ = false;
  std::int32_t entry_ = -1;
  SearchResult<State> result_;
};

template <typename Model>
std::optional<SearchOutcome> Search<Model>::run(std::uint64_t budget) {
  if (cache_.over_budget()) return finish(SearchOutcome::memory);
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
      LinearizedSet::Bounds bounds = set_.bounds();
      set_.add(rank_[op]);
      auto [key, key_words] = set_.key();
      if (cache_.insert(key, key_words, *next_state, set_.hash() ^ model_.hash(*next_state))) {
        if (cache_.over_budget()) return finish(SearchOutcome::memory);
        stack_.push_back(Frame{entry_, bounds, state_, pure});
        state_ = *next_state;
        list_.lift(entry_);
        entry_ = list_.next[0];
        if (stack_.size() > best_depth_) {
          best_depth_ = stack_.size();
          record_best_prefix();
          result_.states.assign(1, state_);
          unplaceable_found_ = false;
        } else if (stack_.size() == best_depth_ && result_.states.size() < kStatesShown &&
                   std::find(result_.states.begin(), result_.states.end(), state_) ==
                       result_.states.end()) {
          result_.states.push_back(state_);
        }
        continue;
      }
      set_.remove(rank_[op], bounds);
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
      agree_ = std::min(agree_, stack_.size());
      state_ = top.state;
      set_.remove(rank_[list_.op[top.node]], top.bounds);
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
