#pragma once

// Long register histories with a verdict known by construction, for the tests that need more
// operations than a brute-force oracle can order: a true sequential register (one per key) runs
// beside the clients, and every operation takes effect at a drawn instant between its invoke and
// its completion, so the history is linearizable. Some operations time out (info: taken effect or
// not, the process retires and a fresh one takes its place, as in Jepsen), some fail before taking
// effect (fail). add_stale_read then makes it not linearizable.

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/history.hpp"
#include "sim/random.hpp"
#include "tests/checkers/history_builder.hpp"

namespace faultline::checkers::testing {

struct GeneratedHistoryShape {
  int operations = 1000;
  int processes = 5;
  int keys = 0;          // 0: one register with plain values; else values are [key, v]
  int percent_info = 3;  // of completions: info (it may or may not have taken effect)
  int percent_fail = 3;  // of operations: fail without taking effect
};

class GeneratedHistory {
 public:
  GeneratedHistory(std::uint64_t seed, GeneratedHistoryShape shape) : shape_(shape), rng_(seed) {
    history_.source = "generated";
    generate();
  }

  const History& history() const { return history_; }

  // Appends, after every operation has returned, a read of a value that a later write overwrote
  // in real time (that write was invoked after the first returned, and both completed ok). Written
  // values are unique and every state after the later write holds another value, so no order
  // explains the read. Returns its key; nullopt when no write was overwritten (use another seed).
  std::optional<std::int64_t> add_stale_read() {
    for (const Write& v : writes_) {
      for (const Write& w : writes_) {
        if (w.key != v.key || w.invoked_at <= v.returned_at) continue;
        std::int64_t p = next_process_++;
        emit(p, OpType::invoke, "read", wrap(v.key, nullptr));
        emit(p, OpType::ok, "read", wrap(v.key, v.value));
        return v.key;
      }
    }
    return std::nullopt;
  }

 private:
  struct Open {
    std::int64_t process = 0;
    std::string f;
    nlohmann::json input;
    std::int64_t key = 0;
    std::int64_t invoked_at = 0;
    bool busy = false;     // invoked, not yet completed
    bool decided = false;  // whether it takes effect is settled
    bool applied = false;  // took effect (a cas that saw another value never does)
    nlohmann::json output;
  };
  struct Write {  // a write that completed ok
    std::int64_t key;
    nlohmann::json value;
    std::int64_t invoked_at;
    std::int64_t returned_at;
  };

  nlohmann::json wrap(std::int64_t key, nlohmann::json v) const {
    if (shape_.keys == 0) return v;
    return nlohmann::json::array({key, std::move(v)});
  }

  void emit(std::int64_t process, OpType type, const std::string& f, nlohmann::json value) {
    append(history_, process, type, f, std::move(value));
  }

  void invoke(Open& o) {
    o.key = shape_.keys == 0 ? 0 : static_cast<std::int64_t>(rng_.below(shape_.keys));
    o.busy = true;
    o.decided = false;
    o.applied = false;
    o.output = nullptr;
    switch (rng_.below(3)) {
      case 0:
        o.f = "read";
        o.input = nullptr;
        break;
      case 1:
        o.f = "write";
        o.input = next_value_++;
        break;
      default: {
        // Expect the current value half the time, so that some swaps succeed.
        nlohmann::json expected =
            rng_.below(2) == 0 ? registers_[o.key] : nlohmann::json(rng_.below(next_value_));
        o.f = "cas";
        o.input = nlohmann::json::array({expected, next_value_++});
      }
    }
    o.invoked_at = static_cast<std::int64_t>(history_.ops.size());
    emit(o.process, OpType::invoke, o.f, wrap(o.key, o.input));
  }

  // The operation takes effect now, on the true register.
  void apply(Open& o) {
    nlohmann::json& reg = registers_[o.key];
    if (o.f == "read") {
      o.output = reg;
      o.applied = true;
    } else if (o.f == "write") {
      reg = o.input;
      o.output = o.input;
      o.applied = true;
    } else if (reg == o.input[0]) {
      reg = o.input[1];
      o.output = o.input;
      o.applied = true;
    }
  }

  // ok if it took effect, fail if it did not; info either way, sometimes.
  void complete(Open& o) {
    o.busy = false;
    if (rng_.below(100) < static_cast<std::uint64_t>(shape_.percent_info)) {
      emit(o.process, OpType::info, o.f, wrap(o.key, o.input));
      o.process = next_process_++;  // Jepsen retires a process whose operation is unknown
      return;
    }
    if (!o.applied) {
      emit(o.process, OpType::fail, o.f, wrap(o.key, o.input));
      return;
    }
    emit(o.process, OpType::ok, o.f, wrap(o.key, o.output));
    if (o.f == "write") {
      writes_.push_back(
          Write{o.key, o.input, o.invoked_at, static_cast<std::int64_t>(history_.ops.size())});
    }
  }

  void generate() {
    registers_.assign(std::max(shape_.keys, 1), nullptr);
    std::vector<Open> procs(shape_.processes);
    for (std::size_t i = 0; i < procs.size(); ++i) procs[i].process = static_cast<std::int64_t>(i);
    next_process_ = shape_.processes;
    int invoked = 0;
    int open = 0;
    while (open > 0 || invoked < shape_.operations) {
      Open& o = procs[rng_.below(procs.size())];
      if (!o.busy) {
        if (invoked == shape_.operations) continue;
        invoke(o);
        ++invoked;
        ++open;
      } else if (!o.decided) {
        o.decided = true;
        if (rng_.below(100) >= static_cast<std::uint64_t>(shape_.percent_fail)) apply(o);
      } else if (rng_.below(2) == 0) {
        complete(o);
        --open;
      }
    }
  }

  GeneratedHistoryShape shape_;
  sim::Rng rng_;
  History history_;
  std::vector<nlohmann::json> registers_;
  std::vector<Write> writes_;
  std::int64_t next_value_ = 1;
  std::int64_t next_process_ = 0;
};

}  // namespace faultline::checkers::testing
