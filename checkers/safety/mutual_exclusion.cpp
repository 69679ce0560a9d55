#include "checkers/safety/mutual_exclusion.hpp"

#include <algorithm>
#include <map>

#include "base/format_ns.hpp"

namespace faultline::checkers {

namespace {

std::string describe_token(uint64_t token) {
  return token == 0 ? std::string("no token") : "token " + std::to_string(token);
}

// "resource "file" <what> from client1 at 5s after it had accepted <before> from client2 at 1s;
// <why>".
Finding fenced_finding(const ResourceAccess& access, const ResourceAccess& earlier,
                       const std::string& what, const std::string& before, const char* why) {
  Finding f;
  f.checker = "fenced-access";
  f.at_ns = access.at_ns;
  f.message = "resource \"" + access.resource + "\" " + what + " from " + access.client + " at " +
              format_ns(access.at_ns) + " after it had accepted " + before + " from " +
              earlier.client + " at " + format_ns(earlier.at_ns) + "; " + why;
  f.involved = {access.client, earlier.client};
  return f;
}

}  // namespace

std::vector<Finding> check_mutual_exclusion(const std::vector<LockHolding>& holdings) {
  // Group by lock (ordered map: findings come out in the same order on every platform).
  std::map<std::string, std::vector<const LockHolding*>> by_lock;
  for (const LockHolding& h : holdings) by_lock[h.lock].push_back(&h);

  std::vector<Finding> findings;
  for (auto& [lock, list] : by_lock) {
    std::stable_sort(list.begin(), list.end(), [](const LockHolding* a, const LockHolding* b) {
      return a->from_ns < b->from_ns;
    });
    // Sweep in order of acquisition, comparing each holding with the earlier ones still open.
    // Histories are small (one entry per acquisition), so the quadratic worst case is fine.
    for (size_t j = 0; j < list.size(); ++j) {
      const LockHolding& later = *list[j];
      if (later.until_ns <= later.from_ns) continue;  // empty interval: never really held
      for (size_t i = 0; i < j; ++i) {
        const LockHolding& earlier = *list[i];
        if (earlier.until_ns <= later.from_ns || earlier.until_ns <= earlier.from_ns) continue;
        const int64_t overlap_from = later.from_ns;
        const int64_t overlap_until = std::min(earlier.until_ns, later.until_ns);
        const std::string length = overlap_until == kNever
                                       ? std::string("until the end of the run")
                                       : "for " + format_ns(overlap_until - overlap_from);
        Finding f;
        f.checker = "mutual-exclusion";
        f.at_ns = overlap_from;
        f.message = "lock \"" + lock + "\" held by two clients at once: " + later.holder +
                    " acquired it at " + format_ns(later.from_ns) + " (" +
                    describe_token(later.token) + ") while " + earlier.holder +
                    " still believed it held it (since " + format_ns(earlier.from_ns) + ", " +
                    describe_token(earlier.token) + ", until " + format_ns(earlier.until_ns) +
                    "); they overlapped " + length;
        f.involved = {earlier.holder, later.holder};
        findings.push_back(std::move(f));
      }
    }
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.at_ns < b.at_ns; });
  return findings;
}

std::vector<Finding> check_fenced_access(const std::vector<ResourceAccess>& accesses) {
  std::vector<const ResourceAccess*> ordered;
  ordered.reserve(accesses.size());
  for (const ResourceAccess& a : accesses) ordered.push_back(&a);
  std::stable_sort(
      ordered.begin(), ordered.end(),
      [](const ResourceAccess* a, const ResourceAccess* b) { return a->at_ns < b->at_ns; });

  // Per resource: the access that carried the highest accepted token so far.
  std::map<std::string, const ResourceAccess*> highest;
  std::vector<Finding> findings;
  for (const ResourceAccess* access : ordered) {
    if (!access->accepted) continue;
    auto [it, first] = highest.try_emplace(access->resource, access);
    if (first) continue;
    const ResourceAccess& newer = *it->second;
    if (access->token < newer.token) {
      findings.push_back(fenced_finding(*access, newer,
                                        "accepted stale token " + std::to_string(access->token),
                                        "newer token " + std::to_string(newer.token),
                                        "a fenced resource must reject tokens older than one it "
                                        "has accepted"));
    } else if (access->token == newer.token && access->client != newer.client) {
      // A token names one grant of the lock, so one holder. The same token from two clients
      // means the lock service granted it twice (a server that restarted without its counter):
      // the resource cannot tell the holders apart, and both writes go through.
      findings.push_back(fenced_finding(
          *access, newer, "accepted token " + std::to_string(access->token), "the same token",
          "the lock service granted one token to two holders, so fencing cannot tell them apart"));
    } else if (access->token >= newer.token) {
      it->second = access;
    }
  }
  return findings;
}

}  // namespace faultline::checkers
