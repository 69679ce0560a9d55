#pragma once

// A mutex (Knossos' mutex): `acquire` succeeds only when free, `release` only when held. Like
// Knossos it does not track the owner: a lock service that lets one client release another's
// lock is caught by the mutual-exclusion checker in checkers/safety, not here.

#include <optional>
#include <string>
#include <string_view>

#include "checkers/models/model.hpp"

namespace faultline::checkers::models {

class MutexModel {
 public:
  using State = std::uint8_t;  // 1 = held
  struct Op {
    bool is_acquire = false;
    bool operator==(const Op&) const = default;
  };
  static constexpr std::string_view kName = "mutex";

  State init() const { return 0; }

  std::optional<State> step(State s, const Op& op) const {
    if (op.is_acquire) {
      if (s != 0) return std::nullopt;
      return State{1};
    }
    if (s == 0) return std::nullopt;
    return State{0};
  }

  std::uint64_t hash(State s) const { return mix64(s); }
  std::string describe_state(State s) const { return s != 0 ? "held" : "free"; }
  std::string describe_op(const Op& op) const { return op.is_acquire ? "acquire()" : "release()"; }

  Op encode(const CallReturn& c) const {
    if (c.f == "acquire") return Op{true};
    if (c.f == "release") return Op{false};
    bad_value(c.call_line, "f acquire or release", nlohmann::json(c.f));
  }
};

}  // namespace faultline::checkers::models
