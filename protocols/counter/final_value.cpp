// The final-value checker; see final_value.hpp.
#include "protocols/counter/final_value.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "base/format_ns.hpp"

namespace faultline::protocols::counter {
namespace {

// At most this many operations are named in a message; the count says how many there were.
constexpr size_t kNamed = 5;

void add_involved(Finding& f, const std::string& who) {
  if (std::find(f.involved.begin(), f.involved.end(), who) == f.involved.end()) {
    f.involved.push_back(who);
  }
}

}  // namespace

std::optional<Finding> check_final_value(const FinalCount& final_count,
                                         const std::vector<IncrementRecord>& increments,
                                         const std::vector<AppendRecord>& appends) {
  std::map<std::string, int> counted;
  for (const std::string& op : final_count.ops) ++counted[op];
  int64_t acknowledged = 0, unknown = 0;
  std::vector<const IncrementRecord*> lost, doubled;
  for (const IncrementRecord& inc : increments) {
    const int n = counted.count(inc.op) ? counted[inc.op] : 0;
    ++(inc.acked_ns >= 0 ? acknowledged : unknown);
    if (inc.acked_ns >= 0 && n == 0) lost.push_back(&inc);
    if (n > 1) doubled.push_back(&inc);
  }
  if (lost.empty() && doubled.empty()) return std::nullopt;

  Finding f;
  f.checker = "final-value";
  const std::string& noun = final_count.noun;
  f.message = final_count.ends + ", but " + std::to_string(acknowledged) + " " + noun +
              "s were acknowledged";
  if (unknown > 0) f.message += " (and " + std::to_string(unknown) + " of unknown outcome)";
  f.at_ns = kNever;
  if (!lost.empty()) {
    f.message += "; " + std::to_string(lost.size()) + " acknowledged " + noun +
                 (lost.size() == 1 ? " is" : "s are") + " not counted:";
    for (size_t i = 0; i < lost.size() && i < kNamed; ++i) {
      const IncrementRecord& inc = *lost[i];
      f.message += (i ? ", " : " ") + inc.op + " (acknowledged by " + inc.acked_by + " at " +
                   format_ns(inc.acked_ns) + ")";
      add_involved(f, inc.client);
      add_involved(f, inc.acked_by);
    }
    if (lost.size() > kNamed) f.message += ", ...";
    // The promise broken first: the earliest acknowledgement the end does not honour.
    for (const IncrementRecord* inc : lost) f.at_ns = std::min(f.at_ns, inc->acked_ns);
  }
  if (!doubled.empty()) {
    f.message += "; " + std::to_string(doubled.size()) + " " + noun +
                 (doubled.size() == 1 ? " is" : "s are") + " counted more than once:";
    for (size_t i = 0; i < doubled.size() && i < kNamed; ++i) {
      const IncrementRecord& inc = *doubled[i];
      f.message += (i ? ", " : " ") + inc.op + " (" + std::to_string(counted[inc.op]) + " times";
      // Its second append is when it was counted twice.
      int seen = 0;
      for (const AppendRecord& a : appends) {
        if (a.op != inc.op || ++seen != 2) continue;
        f.message += ", again by " + a.server + " at " + format_ns(a.at_ns);
        f.at_ns = std::min(f.at_ns, a.at_ns);
        add_involved(f, a.server);
        break;
      }
      f.message += ")";
      add_involved(f, inc.client);
    }
    if (doubled.size() > kNamed) f.message += ", ...";
  }
  if (f.at_ns == kNever) f.at_ns = 0;
  return f;
}

std::optional<Finding> check_final_total(const std::string& ends, int64_t value,
                                         const std::vector<IncrementRecord>& increments) {
  int64_t acknowledged = 0, unknown = 0;
  for (const IncrementRecord& inc : increments) ++(inc.acked_ns >= 0 ? acknowledged : unknown);
  if (value >= acknowledged && value <= acknowledged + unknown) return std::nullopt;
  Finding f;
  f.checker = "final-value";
  f.message = ends + ", but " + std::to_string(acknowledged) + " increments were acknowledged";
  if (unknown > 0) f.message += " (and " + std::to_string(unknown) + " of unknown outcome)";
  f.at_ns = kNever;
  if (value < acknowledged) {
    const int64_t lost = acknowledged - value;
    f.message += ": at least " + std::to_string(lost) + " acknowledged increment" +
                 (lost == 1 ? " is" : "s are") + " lost";
    // Lost updates: a later increment that read the same value wrote over an earlier one.
    std::vector<std::string> pairs;
    size_t named = 0, shown = 0;
    for (size_t j = 0; j < increments.size(); ++j) {
      const IncrementRecord& later = increments[j];
      if (later.wrote < 0 || later.acked_ns < 0) continue;
      for (size_t i = 0; i < j; ++i) {
        const IncrementRecord& earlier = increments[i];
        if (earlier.wrote != later.wrote || earlier.read != later.read) continue;
        ++named;
        if (shown < kNamed) {
          pairs.push_back(earlier.op + " and " + later.op + " (both read " +
                          std::to_string(later.read) + " and wrote " + std::to_string(later.wrote) +
                          ")");
          ++shown;
          add_involved(f, earlier.client);
          add_involved(f, later.client);
        }
        f.at_ns = std::min(f.at_ns, std::max(earlier.acked_ns, later.acked_ns));
        break;
      }
    }
    if (!pairs.empty()) {
      f.message += "; increments that read the same value and wrote the same:";
      for (size_t i = 0; i < pairs.size(); ++i) f.message += (i ? ", " : " ") + pairs[i];
      if (named > shown) f.message += ", ...";
    }
  } else {
    const int64_t extra = value - acknowledged - unknown;
    f.message += ": at least " + std::to_string(extra) + " increment" +
                 (extra == 1 ? " is" : "s are") + " counted twice";
  }
  if (f.at_ns == kNever) f.at_ns = 0;
  return f;
}

}  // namespace faultline::protocols::counter
