#pragma once
// TCommit.tla of the TLA+ Examples (Lamport): transaction commit as a specification, with no
// messages: each RM prepares, then decides to commit (only when every RM has prepared or
// committed) or to abort (only while none has committed). The invariant TCConsistent: no RM has
// committed while another has aborted.

#include <memory>

#include "spec/model.hpp"

namespace faultline::spec::models {

enum class TCommitVariant {
  correct,
  // Decide to commit once this RM has prepared, without canCommit: the others may abort.
  commit_alone,
};

std::unique_ptr<Model> tcommit(int rms, TCommitVariant variant = TCommitVariant::correct);

}  // namespace faultline::spec::models
