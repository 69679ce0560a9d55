#pragma once
// TwoPhase.tla of the TLA+ Examples (Lamport): the two-phase commit protocol at the level of its
// messages, a transaction manager and N resource managers exchanging Prepared, Commit and Abort
// through a set of messages that are never lost. The invariant is TCommit's consistency: no RM
// has committed while another has aborted. Transcribed action for action, so that its state
// counts equal TLC's (tests/spec/two_phase_test.cpp).

#include <memory>
#include <string>

#include "spec/model.hpp"

namespace faultline::spec::models {

enum class TwoPhaseVariant {
  correct,
  // TMCommit without its guard tmPrepared = RM: the TM commits before every RM has prepared.
  commit_without_all_prepared,
  // RMChooseToAbort also from "prepared": an RM that voted yes aborts on its own.
  abort_after_prepare,
};

std::unique_ptr<Model> two_phase(int rms, TwoPhaseVariant variant = TwoPhaseVariant::correct);

}  // namespace faultline::spec::models
