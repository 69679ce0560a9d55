#include "run/spec_registry.hpp"

#include "protocols/variants.hpp"
#include "spec/models/resource_managers.hpp"
#include "spec/models/tcommit.hpp"
#include "spec/models/two_phase.hpp"

namespace faultline::run {
namespace {

using spec::models::TCommitVariant;
using spec::models::TwoPhaseVariant;

int read_rms(protocols::Fields& params) {
  return static_cast<int>(params.integer("rms", 3, 1, spec::models::kMaxResourceManagers));
}

const protocols::VariantTable<TwoPhaseVariant>& two_phase_variants() {
  static const protocols::VariantTable<TwoPhaseVariant> table({
      {"correct", "TwoPhase.tla as written", false, TwoPhaseVariant::correct},
      {"commit-without-all-prepared",
       "TMCommit without its guard tmPrepared = RM: the TM commits before every RM has prepared",
       true, TwoPhaseVariant::commit_without_all_prepared},
      {"abort-after-prepare",
       "RMChooseToAbort also from \"prepared\": an RM that voted yes aborts on its own", true,
       TwoPhaseVariant::abort_after_prepare},
  });
  return table;
}

const protocols::VariantTable<TCommitVariant>& tcommit_variants() {
  static const protocols::VariantTable<TCommitVariant> table({
      {"correct", "TCommit.tla as written", false, TCommitVariant::correct},
      {"commit-alone",
       "Decide to commit once this RM has prepared, without canCommit: the others may abort", true,
       TCommitVariant::commit_alone},
  });
  return table;
}

std::vector<SpecInfo>& specs() {
  static std::vector<SpecInfo> registry = {
      {"twophase",
       "TwoPhase.tla (TLA+ Examples): two-phase commit at the level of its messages, a TM and "
       "`rms` resource managers; invariant TCConsistent",
       two_phase_variants().infos(),
       [](protocols::Fields& params, const std::string& variant) {
         return spec::models::two_phase(read_rms(params), two_phase_variants().flags(variant));
       }},
      {"tcommit",
       "TCommit.tla (TLA+ Examples): transaction commit as a specification, `rms` resource "
       "managers; invariant TCConsistent",
       tcommit_variants().infos(),
       [](protocols::Fields& params, const std::string& variant) {
         return spec::models::tcommit(read_rms(params), tcommit_variants().flags(variant));
       }},
  };
  return registry;
}

}  // namespace

const std::vector<SpecInfo>& spec_registry() {
  return specs();
}

const SpecInfo* find_spec(const std::string& name) {
  for (const SpecInfo& s : specs()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

void register_spec(SpecInfo spec) {
  for (SpecInfo& s : specs()) {
    if (s.name == spec.name) {
      s = std::move(spec);
      return;
    }
  }
  specs().push_back(std::move(spec));
}

}  // namespace faultline::run
