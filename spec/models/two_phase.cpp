#include "spec/models/two_phase.hpp"

#include <array>
#include <stdexcept>

#include "spec/models/resource_managers.hpp"

namespace faultline::spec::models {
namespace {

enum class TmState : uint8_t { init = 0, committed = 1, aborted = 2 };

// TwoPhase's variables. msgs is a set of messages: [type |-> "Prepared", rm |-> r] for each r in
// `prepared_msgs`, and [type |-> "Commit"] / [type |-> "Abort"] as the two low bits of
// `decision_msgs`.
struct TwoPhaseState {
  uint32_t rm_state = 0;  // RmState, two bits per RM: all "working"
  uint16_t tm_prepared = 0;
  uint16_t prepared_msgs = 0;
  uint8_t tm_state = 0;  // TmState
  uint8_t decision_msgs = 0;
  uint16_t filler = 0;  // always 0: no padding bytes in a state compared as bytes
};

constexpr uint8_t kCommitMsg = 1;
constexpr uint8_t kAbortMsg = 2;

TmState tm(const TwoPhaseState& s) {
  return static_cast<TmState>(s.tm_state);
}

const char* tm_state_name(TmState state) {
  switch (state) {
    case TmState::init:
      return "init";
    case TmState::committed:
      return "committed";
    case TmState::aborted:
      return "aborted";
  }
  return "?";
}

nlohmann::json describe(const TwoPhaseState& s, int rms) {
  nlohmann::json rm_states = nlohmann::json::object();
  nlohmann::json prepared = nlohmann::json::array();
  nlohmann::json msgs = nlohmann::json::array();
  for (int r = 0; r < rms; ++r) {
    rm_states[rm_name(r)] = rm_state_name(rm_state(s.rm_state, r));
    if (has_bit(s.tm_prepared, r)) prepared.push_back(rm_name(r));
    if (has_bit(s.prepared_msgs, r)) msgs.push_back({{"type", "Prepared"}, {"rm", rm_name(r)}});
  }
  if (s.decision_msgs & kCommitMsg) msgs.push_back({{"type", "Commit"}});
  if (s.decision_msgs & kAbortMsg) msgs.push_back({{"type", "Abort"}});
  return {{"rmState", rm_states},
          {"tmState", tm_state_name(tm(s))},
          {"tmPrepared", prepared},
          {"msgs", msgs}};
}

// An RM's part of the state as one small number: its state, whether the TM counts it prepared,
// whether its Prepared message is out. Sorting these across RMs is the symmetry's canonical form.
void canonicalize(TwoPhaseState& s, int rms) {
  std::array<uint8_t, kMaxResourceManagers> records{};
  for (int r = 0; r < rms; ++r) {
    records[r] = static_cast<uint8_t>(static_cast<uint8_t>(rm_state(s.rm_state, r)) << 2 |
                                      (has_bit(s.tm_prepared, r) ? 2 : 0) |
                                      (has_bit(s.prepared_msgs, r) ? 1 : 0));
  }
  sort_records(records, rms);
  TwoPhaseState out = s;
  out.rm_state = 0;
  out.tm_prepared = 0;
  out.prepared_msgs = 0;
  for (int r = 0; r < rms; ++r) {
    out.rm_state = with_rm_state(out.rm_state, r, static_cast<RmState>(records[r] >> 2));
    if (records[r] & 2) out.tm_prepared |= static_cast<uint16_t>(1u << r);
    if (records[r] & 1) out.prepared_msgs |= static_cast<uint16_t>(1u << r);
  }
  s = out;
}

}  // namespace

std::unique_ptr<Model> two_phase(int rms, TwoPhaseVariant variant) {
  if (rms < 1 || rms > kMaxResourceManagers) {
    throw std::invalid_argument("TwoPhase: 1 to 15 resource managers");
  }
  auto spec = std::make_unique<Spec<TwoPhaseState>>("TwoPhase");
  const auto all = static_cast<uint16_t>((1u << rms) - 1);
  spec->initial(TwoPhaseState{});

  const bool guarded_commit = variant != TwoPhaseVariant::commit_without_all_prepared;
  spec->action("TMCommit", [all, guarded_commit](const TwoPhaseState& s, TwoPhaseState& t) {
    if (tm(s) != TmState::init || (guarded_commit && s.tm_prepared != all)) return false;
    t.tm_state = static_cast<uint8_t>(TmState::committed);
    t.decision_msgs |= kCommitMsg;
    return true;
  });
  spec->action("TMAbort", [](const TwoPhaseState& s, TwoPhaseState& t) {
    if (tm(s) != TmState::init) return false;
    t.tm_state = static_cast<uint8_t>(TmState::aborted);
    t.decision_msgs |= kAbortMsg;
    return true;
  });
  const bool abort_after_prepare = variant == TwoPhaseVariant::abort_after_prepare;
  // TwoPhase's "\E r \in RM" actions, instance by instance in its order: TMRcvPrepared(r1),
  // RMPrepare(r1), ..., RMRcvAbortMsg(r1), TMRcvPrepared(r2)...
  const std::array<std::string, 5> families = {"TMRcvPrepared", "RMPrepare", "RMChooseToAbort",
                                               "RMRcvCommitMsg", "RMRcvAbortMsg"};
  spec->actions(
      rms, [&families](int r, size_t k) { return families[k] + "(" + rm_name(r) + ")"; }, families,
      [](const TwoPhaseState& s, TwoPhaseState& t, int r) {
        const auto bit = static_cast<uint16_t>(1u << r);
        if (tm(s) != TmState::init || !(s.prepared_msgs & bit)) return false;
        t.tm_prepared |= bit;
        return true;
      },
      [](const TwoPhaseState& s, TwoPhaseState& t, int r) {
        if (rm_state(s.rm_state, r) != RmState::working) return false;
        t.rm_state = with_rm_state(s.rm_state, r, RmState::prepared);
        t.prepared_msgs |= static_cast<uint16_t>(1u << r);
        return true;
      },
      [abort_after_prepare](const TwoPhaseState& s, TwoPhaseState& t, int r) {
        const RmState now = rm_state(s.rm_state, r);
        if (now != RmState::working && !(abort_after_prepare && now == RmState::prepared)) {
          return false;
        }
        t.rm_state = with_rm_state(s.rm_state, r, RmState::aborted);
        return true;
      },
      [](const TwoPhaseState& s, TwoPhaseState& t, int r) {
        if (!(s.decision_msgs & kCommitMsg)) return false;
        t.rm_state = with_rm_state(s.rm_state, r, RmState::committed);
        return true;
      },
      [](const TwoPhaseState& s, TwoPhaseState& t, int r) {
        if (!(s.decision_msgs & kAbortMsg)) return false;
        t.rm_state = with_rm_state(s.rm_state, r, RmState::aborted);
        return true;
      });

  spec->invariant("TCConsistent", [rms](const TwoPhaseState& s) {
    bool committed = false, aborted = false;
    for (int r = 0; r < rms; ++r) {
      committed |= rm_state(s.rm_state, r) == RmState::committed;
      aborted |= rm_state(s.rm_state, r) == RmState::aborted;
    }
    return !(committed && aborted);
  });
  spec->sometimes("an RM commits", [rms](const TwoPhaseState& s) {
    for (int r = 0; r < rms; ++r) {
      if (rm_state(s.rm_state, r) == RmState::committed) return true;
    }
    return false;
  });
  spec->sometimes("the TM aborts after a Prepared", [](const TwoPhaseState& s) {
    return tm(s) == TmState::aborted && s.prepared_msgs != 0;
  });
  spec->symmetry([rms](TwoPhaseState& s) { canonicalize(s, rms); });
  spec->describe_with([rms](const TwoPhaseState& s) { return describe(s, rms); });
  return spec;
}

}  // namespace faultline::spec::models
