#include "protocols/queue/queue_checks.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "base/format_ns.hpp"
#include "protocols/liveness.hpp"

namespace faultline::protocols::queue {
namespace {

// The first application of each id, and who made it.
std::map<std::string, const Application*> first_applications(const QueueGhost& ghost) {
  std::map<std::string, const Application*> first;
  for (const Application& a : ghost.applications()) {
    auto [it, fresh] = first.emplace(a.id, &a);
    if (!fresh && a.at_ns < it->second->at_ns) it->second = &a;
  }
  return first;
}

void add_unique(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace

std::optional<Finding> check_confirmed_consumed(const sim::World& world, const QueueGhost& ghost,
                                                sim::Duration bound) {
  const auto first = first_applications(ghost);
  const int64_t opens = liveness_window_opens_ns(world, LivenessWindow::kHealed);
  std::vector<const PublishedRecord*> lost;
  int64_t drained_at = opens;  // every confirmed message applied by then (applied before counts)
  for (const PublishedRecord& p : ghost.published()) {
    if (!p.confirmed_at_ns) continue;
    auto it = first.find(p.id);
    if (it == first.end()) {
      lost.push_back(&p);
    } else {
      drained_at = std::max(drained_at, it->second->at_ns);
    }
  }
  LivenessDue due{.progress = "every confirmed message applied",
                  .bound = bound,
                  .window = LivenessWindow::kHealed};
  if (lost.empty()) due.progress_at_ns.push_back(drained_at);
  std::string names;
  for (const PublishedRecord* p : lost) {
    if (!names.empty()) names += ", ";
    if (names.size() > 120) {
      names += "...";
      break;
    }
    names +=
        p->id + " (confirmed to " + p->producer + " at " + format_ns(*p->confirmed_at_ns) + ")";
    add_unique(due.involved, p->producer);
  }
  std::optional<Finding> f = bounded_liveness_finding(world, std::move(due));
  if (!f) return std::nullopt;
  f->checker = "confirmed-consumed";
  if (!lost.empty()) {
    f->message = std::to_string(lost.size()) + " confirmed message" +
                 (lost.size() == 1 ? " was" : "s were") + " never applied: " + names + "; " +
                 f->message;
  }
  return f;
}

std::optional<Finding> check_applied_once(const QueueGhost& ghost) {
  std::map<std::string, std::vector<const Application*>> by_id;
  for (const Application& a : ghost.applications()) by_id[a.id].push_back(&a);
  std::optional<Finding> earliest;
  int64_t repeated = 0;
  for (auto& entry : by_id) {
    std::vector<const Application*>& apps = entry.second;
    if (apps.size() < 2) continue;
    ++repeated;
    std::stable_sort(apps.begin(), apps.end(), [](const Application* a, const Application* b) {
      return a->at_ns < b->at_ns;
    });
    if (earliest && earliest->at_ns <= apps[1]->at_ns) continue;
    Finding f;
    f.checker = "applied-once";
    f.at_ns = apps[1]->at_ns;
    f.message = "message " + entry.first + " applied " + std::to_string(apps.size()) +
                " times, first by " + apps[0]->consumer + " at " + format_ns(apps[0]->at_ns) +
                ", again by " + apps[1]->consumer + " at " + format_ns(apps[1]->at_ns);
    for (const Application* a : apps) add_unique(f.involved, a->consumer);
    add_unique(f.involved, "sink");
    earliest = std::move(f);
  }
  if (earliest && repeated > 1) {
    earliest->message += " (" + std::to_string(repeated) + " messages applied more than once)";
  }
  return earliest;
}

std::optional<Finding> check_producer_order(const QueueGhost& ghost) {
  const auto first = first_applications(ghost);
  // Per producer, its confirmed and applied messages in publish order.
  std::map<std::string, std::vector<const PublishedRecord*>> by_producer;
  for (const PublishedRecord& p : ghost.published()) {
    if (p.confirmed_at_ns && first.count(p.id)) by_producer[p.producer].push_back(&p);
  }
  std::optional<Finding> earliest;
  for (auto& entry : by_producer) {
    std::vector<const PublishedRecord*>& records = entry.second;
    std::stable_sort(records.begin(), records.end(),
                     [](const auto* a, const auto* b) { return a->seq < b->seq; });
    const Application* latest = nullptr;  // the latest first application so far
    const PublishedRecord* latest_record = nullptr;
    for (const PublishedRecord* p : records) {
      const Application* a = first.at(p->id);
      if (latest && a->at_ns < latest->at_ns) {
        Finding f;
        f.checker = "producer-order";
        f.at_ns = latest->at_ns;
        f.message = entry.first + "'s " + latest_record->id + " was first applied at " +
                    format_ns(latest->at_ns) + " (by " + latest->consumer + "), after " + p->id +
                    ", which " + entry.first + " published after it, at " + format_ns(a->at_ns) +
                    " (by " + a->consumer + ")";
        f.involved = {entry.first, a->consumer};
        add_unique(f.involved, latest->consumer);
        if (!earliest || f.at_ns < earliest->at_ns) earliest = std::move(f);
        break;
      }
      if (!latest || a->at_ns > latest->at_ns) {
        latest = a;
        latest_record = p;
      }
    }
  }
  return earliest;
}

}  // namespace faultline::protocols::queue
