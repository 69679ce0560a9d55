#pragma once

// A mutex (Knossos' mutex): `acquire` succeeds only when free, `release` only when held. Like
// Knossos it does not track the owner: a lock service that lets one client release another's
// lock is caught by the mutual-exclusion checker in checkers/safety, not here.
// An operation with unknown outcome is legal in every state: where it could not succeed (an
// acquire of a held lock) it did not happen, and placed last it is the case "never happened".

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
    bool known = true;
    bool operator==(const Op&) const = default;
  };
  static constexpr std::string_view kName = "mutex";

  State init() const { return 0; }

  std::optional<State> step(State s, const Op& op) const {
    State target = op.is_acquire ? 1 : 0;
    if (s == target) {
      if (op.known) return std::nullopt;
      return s;
    }
    return target;
  }

  std::uint64_t hash(State s) const { return mix64(s); }
  std::string describe_state(State s) const { return s != 0 ? "held" : "free"; }
  std::string describe_op(const Op& op) const {
    return std::string(op.is_acquire ? "acquire()" : "release()") + (op.known ? "" : " -> ?");
  }

  Op encode(const CallReturn& c) const {
    if (c.f == "acquire") return Op{true, c.output_known};
    if (c.f == "release") return Op{false, c.output_known};
    bad_value(c.call_line, "f acquire or release", nlohmann::json(c.f));
  }
};

}  // namespace faultline::checkers::models
