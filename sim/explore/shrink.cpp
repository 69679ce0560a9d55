#include "sim/explore/shrink.hpp"

#include <algorithm>
#include <map>

namespace faultline::sim::explore {

bool no_larger(const RunSize& a, const RunSize& b) {
  return a <= b && a.faults <= b.faults && a.events <= b.events;
}

bool simpler(const ChoiceTape& a, const ChoiceTape& b) {
  if (a.values.size() != b.values.size()) return a.values.size() < b.values.size();
  return a.values < b.values;
}

namespace {

// Trailing zeros mean nothing: past the end every choice is 0 anyway.
void drop_trailing_zeros(ChoiceTape& tape) {
  while (!tape.values.empty() && tape.values.back() == 0) tape.values.pop_back();
  if (tape.streams.size() > tape.values.size()) tape.streams.resize(tape.values.size());
}

class Shrinker {
 public:
  Shrinker(const FailingRun& failing, const ReplayFailure& replay, const ShrinkOptions& options)
      : best_(failing), replay_(replay), options_(options) {
    drop_trailing_zeros(best_.tape);
  }

  ShrinkResult run() {
    // Repeat the passes until none makes progress: a deletion can enable a lowering and back.
    bool progress = true;
    while (progress && budget_left()) {
      progress = false;
      progress |= cut_tail();
      progress |= lower_values();
      progress |= delete_chunks();
    }
    return ShrinkResult{best_, attempts_, accepted_};
  }

 private:
  bool budget_left() const { return attempts_ < options_.max_attempts; }

  // Tries a candidate; adopts it if its tape is simpler and its run still fails, no larger.
  bool try_candidate(ChoiceTape candidate) {
    drop_trailing_zeros(candidate);
    if (!simpler(candidate, best_.tape) || !budget_left()) return false;
    ++attempts_;
    std::optional<FailingRun> replayed = replay_(candidate);
    if (!replayed || !no_larger(replayed->size, best_.size)) return false;
    ++accepted_;
    // The tape as drawn is the candidate less what the run never read, with its streams; a
    // replay that did not record one keeps the candidate.
    drop_trailing_zeros(replayed->tape);
    if (simpler(candidate, replayed->tape)) replayed->tape = std::move(candidate);
    best_ = std::move(*replayed);
    return true;
  }

  // Binary search for the shortest prefix that still fails.
  bool cut_tail() {
    bool progress = false;
    size_t keep = best_.tape.values.size() / 2;
    while (keep < best_.tape.values.size() && budget_left()) {
      if (try_candidate(prefix(keep))) {
        progress = true;
        keep = best_.tape.values.size() / 2;
      } else {
        keep = keep + (best_.tape.values.size() - keep + 1) / 2;
        if (keep >= best_.tape.values.size()) break;
      }
    }
    return progress;
  }

  ChoiceTape prefix(size_t keep) const {
    ChoiceTape t;
    t.values.assign(best_.tape.values.begin(), best_.tape.values.begin() + static_cast<long>(keep));
    return t;
  }

  // Positions in the order to lower them: the rarest stream's first (a nemesis draws a few values,
  // each a fault or the gap to the next; the network and the scheduler draw thousands, each small),
  // then by position. A tape without streams goes in position order.
  std::vector<size_t> lowering_order() const {
    const ChoiceTape& t = best_.tape;
    std::vector<size_t> order(t.values.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (t.streams.size() != t.values.size()) return order;
    std::map<StreamId, size_t> count;
    for (StreamId s : t.streams) ++count[s];
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::pair(count.at(t.streams[a]), t.streams[a]) <
             std::pair(count.at(t.streams[b]), t.streams[b]);
    });
    return order;
  }

  // Each value toward 0: 0 itself, then halving while that is kept. An accepted candidate changes
  // the run and so the tape's layout: the order is taken again, and the pass goes on from the
  // same rank.
  bool lower_values() {
    bool progress = false;
    std::vector<size_t> order = lowering_order();
    for (size_t rank = 0; rank < order.size() && budget_left(); ++rank) {
      bool changed = false;
      while (order[rank] < best_.tape.values.size() && best_.tape.values[order[rank]] > 0 &&
             budget_left()) {
        const size_t i = order[rank];
        ChoiceTape zero = best_.tape;
        zero.values[i] = 0;
        if (try_candidate(zero)) {
          changed = true;
          break;
        }
        ChoiceTape half = best_.tape;
        half.values[i] = best_.tape.values[i] / 2;
        if (!try_candidate(half)) break;
        changed = true;
        if (best_.tape.values.size() != order.size()) break;
      }
      if (changed) {
        progress = true;
        order = lowering_order();
      }
    }
    return progress;
  }

  bool delete_chunks() {
    bool progress = false;
    for (size_t size : {16, 8, 4, 2, 1}) {
      for (size_t at = 0; at + size <= best_.tape.values.size() && budget_left();) {
        ChoiceTape candidate;
        candidate.values = best_.tape.values;
        candidate.values.erase(candidate.values.begin() + static_cast<long>(at),
                               candidate.values.begin() + static_cast<long>(at + size));
        if (try_candidate(candidate)) {
          progress = true;  // same position now holds the next chunk
        } else {
          at += size;
        }
      }
    }
    return progress;
  }

  FailingRun best_;
  const ReplayFailure& replay_;
  ShrinkOptions options_;
  size_t attempts_ = 0;
  size_t accepted_ = 0;
};

}  // namespace

ShrinkResult shrink_tape(const FailingRun& failing, const ReplayFailure& replay,
                         const ShrinkOptions& options) {
  return Shrinker(failing, replay, options).run();
}

}  // namespace faultline::sim::explore
