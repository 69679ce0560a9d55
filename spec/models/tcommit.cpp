#include "spec/models/tcommit.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "spec/models/resource_managers.hpp"

namespace faultline::spec::models {
namespace {

struct TCommitState {
  uint32_t rm_state = 0;  // RmState, two bits per RM: all "working"
};

bool every_rm(const TCommitState& s, int rms, bool (*test)(RmState)) {
  for (int r = 0; r < rms; ++r) {
    if (!test(rm_state(s.rm_state, r))) return false;
  }
  return true;
}

bool can_commit(const TCommitState& s, int rms) {
  return every_rm(s, rms,
                  [](RmState x) { return x == RmState::prepared || x == RmState::committed; });
}

bool not_committed(const TCommitState& s, int rms) {
  return every_rm(s, rms, [](RmState x) { return x != RmState::committed; });
}

}  // namespace

std::unique_ptr<Model> tcommit(int rms, TCommitVariant variant) {
  if (rms < 1 || rms > kMaxResourceManagers) {
    throw std::invalid_argument("TCommit: 1 to 15 resource managers");
  }
  auto spec = std::make_unique<Spec<TCommitState>>("TCommit");
  spec->initial(TCommitState{});
  const bool alone = variant == TCommitVariant::commit_alone;
  // Prepare(r1), Decide(r1)'s two disjuncts, Prepare(r2)...: TLC counts each disjunct's
  // successor, so each is an action of its own, of the family "Decide".
  spec->actions(
      rms,
      [](int r, size_t k) {
        const std::string arg = "(" + rm_name(r) + ")";
        return k == 0 ? "Prepare" + arg : "Decide" + arg + (k == 1 ? " commit" : " abort");
      },
      {"Prepare", "Decide", "Decide"},
      [](const TCommitState& s, TCommitState& t, int r) {
        if (rm_state(s.rm_state, r) != RmState::working) return false;
        t.rm_state = with_rm_state(s.rm_state, r, RmState::prepared);
        return true;
      },
      [rms, alone](const TCommitState& s, TCommitState& t, int r) {
        if (rm_state(s.rm_state, r) != RmState::prepared || !(alone || can_commit(s, rms))) {
          return false;
        }
        t.rm_state = with_rm_state(s.rm_state, r, RmState::committed);
        return true;
      },
      [rms](const TCommitState& s, TCommitState& t, int r) {
        const RmState now = rm_state(s.rm_state, r);
        if ((now != RmState::working && now != RmState::prepared) || !not_committed(s, rms)) {
          return false;
        }
        t.rm_state = with_rm_state(s.rm_state, r, RmState::aborted);
        return true;
      });
  spec->invariant("TCConsistent", [rms](const TCommitState& s) {
    // Some RM committed and some RM aborted is what must never be.
    return not_committed(s, rms) ||
           every_rm(s, rms, [](RmState x) { return x != RmState::aborted; });
  });
  spec->sometimes("an RM commits", [rms](const TCommitState& s) { return !not_committed(s, rms); });
  spec->sometimes("every RM aborts", [rms](const TCommitState& s) {
    return every_rm(s, rms, [](RmState x) { return x == RmState::aborted; });
  });
  spec->symmetry([rms](TCommitState& s) {
    std::array<uint8_t, kMaxResourceManagers> records{};
    for (int r = 0; r < rms; ++r) records[r] = static_cast<uint8_t>(rm_state(s.rm_state, r));
    sort_records(records, rms);
    s.rm_state = 0;
    for (int r = 0; r < rms; ++r) {
      s.rm_state = with_rm_state(s.rm_state, r, static_cast<RmState>(records[r]));
    }
  });
  spec->describe_with([rms](const TCommitState& s) {
    nlohmann::json rm_states = nlohmann::json::object();
    for (int r = 0; r < rms; ++r) rm_states[rm_name(r)] = rm_state_name(rm_state(s.rm_state, r));
    return nlohmann::json{{"rmState", rm_states}};
  });
  return spec;
}

}  // namespace faultline::spec::models
