#include "checkers/safety/atomic_commit.hpp"

#include <algorithm>
#include <map>

#include "base/format_ns.hpp"

namespace faultline::checkers {

namespace {

const char* verb(bool commit) {
  return commit ? "commit" : "abort";
}

template <class T>
std::vector<const T*> by_time(const std::vector<T>& items) {
  std::vector<const T*> ordered;
  ordered.reserve(items.size());
  for (const T& item : items) ordered.push_back(&item);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const T* a, const T* b) { return a->at_ns < b->at_ns; });
  return ordered;
}

// A commit needs every participant's yes vote cast no later than the commit itself.
void check_commit_validity(const Outcome& commit, const std::vector<std::string>& participants,
                           const std::vector<const Vote*>& votes, std::vector<Finding>& findings) {
  std::vector<std::string> problems;
  std::vector<std::string> involved = {commit.participant};
  for (const std::string& p : participants) {
    const Vote* vote = nullptr;
    for (const Vote* v : votes) {
      if (v->txn == commit.txn && v->participant == p && v->at_ns <= commit.at_ns) {
        if (vote == nullptr || !v->yes) vote = v;  // a no vote outweighs any yes
      }
    }
    if (vote != nullptr && vote->yes) continue;
    problems.push_back(vote == nullptr ? p + " had not voted"
                                       : p + " voted no at " + format_ns(vote->at_ns));
    involved.push_back(p);
  }
  if (problems.empty()) return;
  std::string why;
  for (const std::string& problem : problems) why += (why.empty() ? "" : ", ") + problem;
  Finding f;
  f.checker = "atomic-commit.validity";
  f.at_ns = commit.at_ns;
  f.message = "txn " + commit.txn + ": " + commit.participant + " decided commit at " +
              format_ns(commit.at_ns) + " although " + why;
  f.involved = std::move(involved);
  findings.push_back(std::move(f));
}

}  // namespace

std::vector<Finding> check_atomic_commit(const std::vector<Vote>& votes,
                                         const std::vector<Outcome>& outcomes,
                                         const std::vector<Transaction>& transactions) {
  const std::vector<const Vote*> ordered_votes = by_time(votes);
  std::map<std::string, std::vector<std::string>> participants;
  for (const Transaction& t : transactions) participants[t.txn] = t.participants;

  std::map<std::string, std::vector<const Outcome*>> by_txn;
  for (const Outcome* o : by_time(outcomes)) by_txn[o->txn].push_back(o);

  std::vector<Finding> findings;
  for (const auto& [txn, list] : by_txn) {
    const Outcome* first_commit = nullptr;
    // Each decider's first decision, in the order deciders first decided.
    std::map<std::string, const Outcome*> latest_by_decider;
    std::vector<const Outcome*> first_decisions;
    for (const Outcome* o : list) {
      if (o->commit && first_commit == nullptr) first_commit = o;
      auto [it, first] = latest_by_decider.try_emplace(o->participant, o);
      if (first) {
        first_decisions.push_back(o);
      } else if (it->second->commit != o->commit) {
        Finding f;
        f.checker = "atomic-commit.reversal";
        f.at_ns = o->at_ns;
        f.message = "txn " + txn + ": " + o->participant + " decided " + verb(it->second->commit) +
                    " at " + format_ns(it->second->at_ns) + ", then reversed to " +
                    verb(o->commit) + " at " + format_ns(o->at_ns);
        f.involved = {o->participant};
        findings.push_back(std::move(f));
        it->second = o;  // report each further flip against the latest decision
      }
    }
    const Outcome* reference = first_decisions.front();
    for (const Outcome* other : first_decisions) {
      if (other->commit == reference->commit) continue;
      Finding f;
      f.checker = "atomic-commit.agreement";
      f.at_ns = other->at_ns;
      f.message = "txn " + txn + " decided both ways: " + reference->participant + " decided " +
                  verb(reference->commit) + " at " + format_ns(reference->at_ns) + ", " +
                  other->participant + " decided " + verb(other->commit) + " at " +
                  format_ns(other->at_ns);
      f.involved = {reference->participant, other->participant};
      findings.push_back(std::move(f));
      break;  // one disagreement per transaction says it all
    }
    if (first_commit) {
      auto it = participants.find(txn);
      static const std::vector<std::string> kNone;
      check_commit_validity(*first_commit, it == participants.end() ? kNone : it->second,
                            ordered_votes, findings);
    }
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.at_ns < b.at_ns; });
  return findings;
}

}  // namespace faultline::checkers
