#pragma once
// A spec-level model: a protocol written as a plain state machine, the way TLA+ and Promela
// write one: a state, initial states, named guarded actions that take a state to a successor,
// invariants that every reachable state must satisfy, `sometimes` properties that some reachable
// state should satisfy (so that a search that finds nothing can show it reached the interesting
// states), and optionally a symmetry over interchangeable indices. spec/search explores every
// reachable state of one (docs/model-checking.md).
//
// The search sees a state as a fixed number of bytes; `Spec<State>` is how a model is written
// with a typed state. Two states are the same state exactly when their bytes are equal, so a
// State must have no padding and no pointers (std::has_unique_object_representations).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::spec {

// Receives the states a model generates, with the action that generated each: one buffer the
// search reads after the model is done, so that storing a state never runs inside the model's
// code. Not an interface: a model's successors are most of a search's work, and a call through
// a virtual function for each of them cost a tenth of it.
class StateSink {
 public:
  explicit StateSink(size_t state_size) : size_(state_size) {}

  void add(uint32_t action, const std::byte* state) {
    std::memcpy(next_slot(), state, size_);
    actions_[count_++] = action;
  }
  // A typed state (Spec<State>): copied with its size known when compiled. Inlined into the
  // model's loop over its actions, it is a check, a copy and a store: called out of line, it was
  // a sixth of a search's time.
  template <class State>
  void add_state(uint32_t action, const State& state) {
    std::memcpy(next_slot(), &state, sizeof(State));
    actions_[count_++] = action;
  }

  // The buffer keeps its bytes: the next state's successors overwrite them.
  void clear() { count_ = 0; }
  size_t count() const { return count_; }
  uint32_t action(size_t i) const { return actions_[i]; }
  std::byte* state(size_t i) { return bytes_.data() + i * size_; }

 private:
  std::byte* next_slot() {
    if (count_ == actions_.size()) [[unlikely]]
      grow();
    return bytes_.data() + count_ * size_;
  }
  void grow() {
    const size_t slots = std::max<size_t>(16, 2 * actions_.size());
    actions_.resize(slots);
    bytes_.resize(slots * size_);
  }

  size_t size_;
  size_t count_ = 0;
  std::vector<uint32_t> actions_;  // as many as there are slots; the first count_ are in use
  std::vector<std::byte> bytes_;
};

// The model as the search sees it: states as bytes, actions, invariants and `sometimes`
// properties by index.
class Model {
 public:
  virtual ~Model() = default;

  virtual size_t state_size() const = 0;
  virtual void initial_states(StateSink& out) const = 0;
  // Every enabled action instance's successor of `state`, in action order.
  virtual void next(const std::byte* state, StateSink& out) const = 0;
  // The index of the first invariant `state` breaks, or -1.
  virtual int broken_invariant(const std::byte* state) const = 0;
  virtual bool reaches(size_t sometimes, const std::byte* state) const = 0;
  virtual bool has_symmetry() const = 0;
  // Replaces `state` by the canonical member of its orbit under the symmetry: two states that
  // differ only by a permutation of interchangeable indices become the same bytes.
  virtual void canonicalize(std::byte* state) const = 0;
  virtual nlohmann::json describe(const std::byte* state) const = 0;

  const std::string& name() const { return name_; }
  // Action instances ("RMPrepare(r2)") and the family each belongs to ("RMPrepare"): coverage
  // is counted per instance and reported per family.
  const std::vector<std::string>& action_names() const { return action_names_; }
  const std::vector<std::string>& action_families() const { return action_families_; }
  const std::vector<std::string>& invariant_names() const { return invariant_names_; }
  const std::vector<std::string>& sometimes_names() const { return sometimes_names_; }

 protected:
  explicit Model(std::string name) : name_(std::move(name)) {}

  std::string name_;
  std::vector<std::string> action_names_;
  std::vector<std::string> action_families_;
  std::vector<std::string> invariant_names_;
  std::vector<std::string> sometimes_names_;
};

// A model with a typed state. Actions are written as guard and effect in one function: it returns
// false when the action is not enabled in `from`, else writes the successor into `to` (which
// starts as a copy of `from`).
template <class State>
class Spec final : public Model {
  static_assert(std::is_trivially_copyable_v<State>, "a spec state is copied as bytes");
  static_assert(std::has_unique_object_representations_v<State>,
                "a spec state is compared as bytes: it must have no padding (use fixed-width "
                "fields and order them by size, or add explicit filler fields kept at zero)");

 public:
  using Predicate = std::function<bool(const State&)>;

  explicit Spec(std::string name) : Model(std::move(name)) {}

  void initial(const State& state) { initial_.push_back(state); }
  // One action instance; `family` groups instances for coverage (defaults to the name). `step`
  // is any callable `bool(const State& from, State& to)`.
  template <class StepFn>
  void action(std::string name, StepFn step, std::string family = "") {
    action_families_.push_back(family.empty() ? name : std::move(family));
    action_names_.push_back(std::move(name));
    // A family of one instance: its index is 0.
    auto one = [step = std::move(step)](const State& from, State& to, int) {
      return step(from, to);
    };
    add_family(std::make_unique<Indexed<decltype(one)>>(1, std::move(one)), 1);
  }
  // Actions over an index (an RM, a node), as TLA+'s "\E r \in RM: A(r) \/ B(r)": the instances
  // are A(r1), B(r1), A(r2), B(r2)... Instance (i, k) is `steps[k](from, to, i)`, named
  // `name_of(i, k)`, of family `families[k]`. A search expands all of them in one call with the
  // steps inlined, where separate actions cost an indirect call each for every state.
  template <class... StepFns>
  void actions(int count, const std::function<std::string(int index, size_t action)>& name_of,
               const std::array<std::string, sizeof...(StepFns)>& families, StepFns... steps) {
    for (int i = 0; i < count; ++i) {
      for (size_t k = 0; k < families.size(); ++k) {
        action_families_.push_back(families[k]);
        action_names_.push_back(name_of(i, k));
      }
    }
    add_family(std::make_unique<Indexed<StepFns...>>(count, std::move(steps)...),
               count * static_cast<int>(sizeof...(StepFns)));
  }

  void invariant(std::string name, Predicate holds) {
    invariant_names_.push_back(std::move(name));
    invariants_.push_back(std::move(holds));
  }
  void sometimes(std::string name, Predicate reached) {
    sometimes_names_.push_back(std::move(name));
    sometimes_.push_back(std::move(reached));
  }
  void symmetry(std::function<void(State&)> canonicalize) { canonical_ = std::move(canonicalize); }
  void describe_with(std::function<nlohmann::json(const State&)> describe) {
    describe_ = std::move(describe);
  }

  size_t state_size() const override { return sizeof(State); }
  void initial_states(StateSink& out) const override {
    for (const State& s : initial_) out.add_state(0, s);
  }
  void next(const std::byte* state, StateSink& out) const override {
    const State from = load(state);
    for (const FamilyAt& f : families_) f.family->expand(from, f.first, out);
  }
  int broken_invariant(const std::byte* state) const override {
    const State s = load(state);
    for (size_t i = 0; i < invariants_.size(); ++i) {
      if (!invariants_[i](s)) return static_cast<int>(i);
    }
    return -1;
  }
  bool reaches(size_t sometimes, const std::byte* state) const override {
    return sometimes_[sometimes](load(state));
  }
  bool has_symmetry() const override { return static_cast<bool>(canonical_); }
  void canonicalize(std::byte* state) const override {
    State s = load(state);
    canonical_(s);
    std::memcpy(state, &s, sizeof(State));
  }
  nlohmann::json describe(const std::byte* state) const override {
    return describe_ ? describe_(load(state)) : nlohmann::json();
  }

 private:
  static State load(const std::byte* bytes) {
    State s;
    std::memcpy(&s, bytes, sizeof(State));
    return s;
  }

  // Action instances as the search calls them: a family's instances take one call per state.
  struct Family {
    virtual ~Family() = default;
    // Adds the successor of each enabled instance, numbered from `first`.
    virtual void expand(const State& from, uint32_t first, StateSink& out) const = 0;
  };
  template <class... StepFns>
  struct Indexed final : Family {
    Indexed(int n, StepFns... s) : count(n), steps(std::move(s)...) {}
    void expand(const State& from, uint32_t first, StateSink& out) const override {
      uint32_t at = first;
      for (int i = 0; i < count; ++i) {
        // A fold over the comma operator: the steps in order, each inlined.
        std::apply([&](const auto&... step) { (take(step, from, i, at++, out), ...); }, steps);
      }
    }
    template <class StepFn>
    static void take(const StepFn& step, const State& from, int i, uint32_t at, StateSink& out) {
      State to = from;
      if (step(from, to, i)) out.add_state(at, to);
    }
    int count;
    std::tuple<StepFns...> steps;
  };
  struct FamilyAt {
    std::unique_ptr<Family> family;
    uint32_t first;  // the index of its first instance
  };
  void add_family(std::unique_ptr<Family> family, int count) {
    families_.push_back({std::move(family), instances_});
    instances_ += static_cast<uint32_t>(count);
  }

  std::vector<State> initial_;
  std::vector<FamilyAt> families_;
  uint32_t instances_ = 0;
  std::vector<Predicate> invariants_;
  std::vector<Predicate> sometimes_;
  std::function<void(State&)> canonical_;
  std::function<nlohmann::json(const State&)> describe_;
};

}  // namespace faultline::spec
