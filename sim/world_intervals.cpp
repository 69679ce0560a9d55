// Protocol intervals (Context::hold_interval): a lease as a node counts it, kept by the world for
// the trace alone. Ends are recorded when the loop moves time past them, not by events of their
// own: an event would take part in the ties of its instant and in their draws, and change the run.
#include <algorithm>

#include "sim/world.hpp"

namespace faultline::sim {

namespace {
const char* clock_name(IntervalClock clock) {
  return clock == IntervalClock::kWall ? "wall" : "monotonic";
}
}  // namespace

std::vector<World::OpenInterval>::iterator World::open_interval(NodeId node,
                                                                std::string_view label) {
  return std::find_if(intervals_.begin(), intervals_.end(),
                      [&](const OpenInterval& i) { return i.node == node && i.label == label; });
}

TrueTime World::interval_end(NodeId node, LocalTime until, IntervalClock clock) const {
  const LocalTime reading = clock == IntervalClock::kWall ? wall(node) : monotonic(node);
  if (until <= reading) return now_;
  return now_ + nodes_[node].clock.true_length(until - reading);
}

void World::hold_interval(NodeId node, std::string_view label, LocalTime until,
                          IntervalClock clock) {
  if (!tracing() || untimed()) return;
  auto it = open_interval(node, label);
  const TrueTime ends = interval_end(node, until, clock);
  if (ends <= now_) {
    // Its clock has passed the deadline already: no bar, and an open one is over.
    if (it != intervals_.end()) {
      trace_interval_end(*it, "deadline");
      intervals_.erase(it);
    }
    return;
  }
  if (it == intervals_.end()) {
    it = intervals_.insert(intervals_.end(), OpenInterval{node, std::string(label), until, clock});
  } else if (it->until == until && it->clock == clock) {
    return;
  }
  it->until = until;
  it->clock = clock;
  it->ends = ends;
  TraceEvent e = make_trace(TraceKind::kInterval, node);
  e.detail = it->label;
  e.data = {{"until", until.ns()}, {"clock", clock_name(clock)}};
  emit(e);
}

void World::end_interval(NodeId node, std::string_view label) {
  auto it = open_interval(node, label);
  if (it == intervals_.end()) return;
  trace_interval_end(*it, "ended");
  intervals_.erase(it);
}

void World::end_intervals_due(TrueTime upto) {
  while (true) {
    // The first to end; among equal ends, the first opened (min_element keeps the first).
    auto it = std::min_element(
        intervals_.begin(), intervals_.end(),
        [](const OpenInterval& a, const OpenInterval& b) { return a.ends < b.ends; });
    if (it == intervals_.end() || it->ends > upto) return;
    // Time moves to the end first, so that the record reads the node's clocks then. The loop
    // moves it on to `upto` next; nothing runs in between.
    now_ = it->ends;
    trace_interval_end(*it, "deadline");
    intervals_.erase(it);
  }
}

void World::retime_intervals(NodeId node) {
  for (auto it = intervals_.begin(); it != intervals_.end();) {
    if (it->node == node) {
      it->ends = interval_end(node, it->until, it->clock);
      if (it->ends <= now_) {
        trace_interval_end(*it, "deadline");
        it = intervals_.erase(it);
        continue;
      }
    }
    ++it;
  }
}

void World::end_node_intervals(NodeId node, const char* why) {
  for (auto it = intervals_.begin(); it != intervals_.end();) {
    if (it->node != node) {
      ++it;
      continue;
    }
    trace_interval_end(*it, why);
    it = intervals_.erase(it);
  }
}

void World::trace_interval_end(const OpenInterval& interval, const char* why) {
  TraceEvent e = make_trace(TraceKind::kIntervalEnd, interval.node);
  e.detail = interval.label;
  e.data = {{"why", why}};
  emit(e);
}

void Context::hold_interval(std::string_view label, LocalTime until, IntervalClock clock) {
  world_->hold_interval(self_, label, until, clock);
}

void Context::end_interval(std::string_view label) {
  world_->end_interval(self_, label);
}

}  // namespace faultline::sim
