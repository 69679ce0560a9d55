#include "checkers/safety/agreement.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "base/format_ns.hpp"

namespace faultline::checkers {

std::vector<Finding> check_agreement(const std::vector<Decision>& decisions,
                                     const std::optional<std::vector<Proposal>>& proposed) {
  std::vector<const Decision*> ordered;
  ordered.reserve(decisions.size());
  for (const Decision& d : decisions) ordered.push_back(&d);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Decision* a, const Decision* b) { return a->at_ns < b->at_ns; });

  std::map<std::string, std::set<std::string>> proposals;
  if (proposed) {
    for (const Proposal& p : *proposed) proposals[p.instance].insert(p.value);
  }

  std::vector<Finding> findings;
  // The first decision of each instance is the reference; each other value is reported once.
  std::map<std::string, const Decision*> first_decision;
  std::set<std::pair<std::string, std::string>> reported;  // (instance, conflicting value)
  for (const Decision* d : ordered) {
    if (proposed) {
      auto it = proposals.find(d->instance);
      if (it == proposals.end() || it->second.count(d->value) == 0) {
        Finding f;
        f.checker = "validity";
        f.at_ns = d->at_ns;
        f.message = "instance " + d->instance + ": " + d->decider + " decided \"" + d->value +
                    "\" at " + format_ns(d->at_ns) + ", which nobody proposed";
        f.involved = {d->decider};
        findings.push_back(std::move(f));
      }
    }
    auto [it, first] = first_decision.try_emplace(d->instance, d);
    if (first) continue;
    const Decision& reference = *it->second;
    if (d->value == reference.value) continue;
    if (!reported.insert({d->instance, d->value}).second) continue;
    Finding f;
    f.checker = "agreement";
    f.at_ns = d->at_ns;
    f.message = "instance " + d->instance +
                " decided twice with different values: " + reference.decider + " decided \"" +
                reference.value + "\" at " + format_ns(reference.at_ns) + ", then " + d->decider +
                " decided \"" + d->value + "\" at " + format_ns(d->at_ns);
    f.involved = {reference.decider, d->decider};
    findings.push_back(std::move(f));
  }
  return findings;
}

}  // namespace faultline::checkers
