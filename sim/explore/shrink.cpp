#include "sim/explore/shrink.hpp"

#include <algorithm>

namespace faultline::sim::explore {

bool simpler(const ChoiceTape& a, const ChoiceTape& b) {
  if (a.values.size() != b.values.size()) return a.values.size() < b.values.size();
  return a.values < b.values;
}

namespace {

class Shrinker {
 public:
  Shrinker(const ChoiceTape& failing, const std::function<bool(const ChoiceTape&)>& still_fails,
           const ShrinkOptions& options)
      : best_(failing), still_fails_(still_fails), options_(options) {}

  ShrinkResult run() {
    // Repeat the passes until none makes progress: a deletion can enable a lowering and back.
    bool progress = true;
    while (progress && budget_left()) {
      progress = false;
      progress |= cut_tail();
      progress |= delete_chunks();
      progress |= lower_values();
    }
    return ShrinkResult{best_, attempts_, accepted_};
  }

 private:
  bool budget_left() const { return attempts_ < options_.max_attempts; }

  // Tries a candidate; adopts it if simpler and still failing.
  bool try_candidate(ChoiceTape candidate) {
    // Trailing zeros mean nothing (past the end every choice is 0 anyway).
    while (!candidate.values.empty() && candidate.values.back() == 0) candidate.values.pop_back();
    if (!simpler(candidate, best_) || !budget_left()) return false;
    ++attempts_;
    if (!still_fails_(candidate)) return false;
    ++accepted_;
    best_ = std::move(candidate);
    return true;
  }

  // Binary search for the shortest prefix that still fails.
  bool cut_tail() {
    bool progress = false;
    size_t keep = best_.values.size() / 2;
    while (keep < best_.values.size() && budget_left()) {
      ChoiceTape candidate{std::vector<uint64_t>(best_.values.begin(),
                                                 best_.values.begin() + static_cast<long>(keep))};
      if (try_candidate(candidate)) {
        progress = true;
        keep = best_.values.size() / 2;
      } else {
        keep = keep + (best_.values.size() - keep + 1) / 2;
        if (keep >= best_.values.size()) break;
      }
    }
    return progress;
  }

  bool delete_chunks() {
    bool progress = false;
    for (size_t size : {16, 8, 4, 2, 1}) {
      for (size_t at = 0; at + size <= best_.values.size() && budget_left();) {
        ChoiceTape candidate = best_;
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

  bool lower_values() {
    bool progress = false;
    for (size_t i = 0; i < best_.values.size() && budget_left(); ++i) {
      // Accepting a candidate may shorten the tape (trailing zeros): re-check the index.
      while (i < best_.values.size() && best_.values[i] > 0 && budget_left()) {
        ChoiceTape zero = best_;
        zero.values[i] = 0;
        if (try_candidate(zero)) {
          progress = true;
          break;
        }
        ChoiceTape half = best_;
        half.values[i] = best_.values[i] / 2;
        if (!try_candidate(half)) break;
        progress = true;
      }
    }
    return progress;
  }

  ChoiceTape best_;
  const std::function<bool(const ChoiceTape&)>& still_fails_;
  ShrinkOptions options_;
  size_t attempts_ = 0;
  size_t accepted_ = 0;
};

}  // namespace

ShrinkResult shrink_tape(const ChoiceTape& failing,
                         const std::function<bool(const ChoiceTape&)>& still_fails,
                         const ShrinkOptions& options) {
  return Shrinker(failing, still_fails, options).run();
}

}  // namespace faultline::sim::explore
