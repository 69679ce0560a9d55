#include "checkers/safety/saga.hpp"

#include <algorithm>
#include <map>

#include "base/format_ns.hpp"

namespace faultline::checkers {
namespace {

const char* verb(SagaStepKind kind) {
  return kind == SagaStepKind::applied ? "applied" : "compensated";
}

std::string describe(const SagaStepEvent& e) {
  return e.step + " " + verb(e.kind) + " by " + e.service + " at " + format_ns(e.at_ns);
}

// One step's history in one saga.
struct StepTrack {
  int net = 0;
  std::vector<const SagaStepEvent*> events;
};

// The fate of one step for a message: "flight applied by flight at 2ms, compensated ... at 9ms".
std::string fate(const std::string& step, const StepTrack* track) {
  if (!track || track->events.empty()) return step + " never applied";
  std::string out;
  for (const SagaStepEvent* e : track->events) {
    out += (out.empty() ? step + " " : ", ") + std::string(verb(e->kind)) + " by " + e->service +
           " at " + format_ns(e->at_ns);
  }
  return out;
}

}  // namespace

std::vector<Finding> check_saga(const std::vector<SagaStepEvent>& events,
                                const std::vector<SagaPlan>& judged) {
  std::vector<const SagaStepEvent*> ordered;
  for (const SagaStepEvent& e : events) ordered.push_back(&e);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto* a, const auto* b) { return a->at_ns < b->at_ns; });

  std::vector<Finding> findings;
  std::map<std::pair<std::string, std::string>, StepTrack> tracks;
  for (const SagaStepEvent* e : ordered) {
    StepTrack& track = tracks[{e->saga, e->step}];
    track.events.push_back(e);
    if (e->kind == SagaStepKind::applied) {
      if (track.net >= 1) {
        findings.push_back({"saga.applied-twice",
                            e->at_ns,
                            "saga " + e->saga + ": " + describe(*e) +
                                " while an earlier application still stood (" +
                                fate(e->step, &track) + ")",
                            {e->service}});
      }
      ++track.net;
    } else {
      if (track.net <= 0) {
        findings.push_back({"saga.compensation-without-step",
                            e->at_ns,
                            "saga " + e->saga + ": " + describe(*e) + " with no application of " +
                                e->step + " to undo (" + fate(e->step, &track) + ")",
                            {e->service}});
      }
      --track.net;
    }
  }

  for (const SagaPlan& plan : judged) {
    // A step stands applied when its applications outnumber its compensations. Excess either way
    // (applied twice, compensated with nothing to undo) is reported above, once; here only the
    // saga's shape counts, so that a saga whose every step went through (one of them twice) is
    // not called half done.
    std::string standing, not_standing, fates;
    int64_t last = 0;
    std::vector<std::string> involved;
    for (const std::string& step : plan.steps) {
      auto it = tracks.find({plan.saga, step});
      const StepTrack* track = it == tracks.end() ? nullptr : &it->second;
      std::string& list = track && track->net >= 1 ? standing : not_standing;
      list += (list.empty() ? "" : ", ") + step;
      if (track) {
        for (const SagaStepEvent* e : track->events) {
          last = std::max(last, e->at_ns);
          if (std::find(involved.begin(), involved.end(), e->service) == involved.end())
            involved.push_back(e->service);
        }
      }
      fates += (fates.empty() ? "" : "; ") + fate(step, track);
    }
    if (standing.empty() || not_standing.empty()) continue;
    findings.push_back({"saga.all-or-compensated", last,
                        "saga " + plan.saga + " ended half done (applied: " + standing +
                            "; not applied: " + not_standing + "): " + fates,
                        involved});
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.at_ns < b.at_ns; });
  return findings;
}

std::vector<Finding> check_quantity_bounds(const std::string& checker,
                                           const std::vector<QuantitySample>& samples) {
  std::vector<const QuantitySample*> ordered;
  for (const QuantitySample& s : samples) ordered.push_back(&s);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto* a, const auto* b) { return a->at_ns < b->at_ns; });
  std::vector<Finding> findings;
  std::map<std::string, const QuantitySample*> previous;
  std::map<std::string, bool> reported;
  for (const QuantitySample* s : ordered) {
    if ((s->value < s->min || s->value > s->max) && !reported[s->subject]) {
      reported[s->subject] = true;
      std::string message = s->subject + " became " + std::to_string(s->value) + " at " +
                            format_ns(s->at_ns) +
                            (s->value < s->min ? ", below its minimum " + std::to_string(s->min)
                                               : ", above its maximum " + std::to_string(s->max)) +
                            ": " + s->cause;
      if (const QuantitySample* before = previous[s->subject]) {
        message += "; before it, " + before->cause + " at " + format_ns(before->at_ns) +
                   " left it at " + std::to_string(before->value);
      }
      findings.push_back({checker, s->at_ns, message, {s->node}});
    }
    previous[s->subject] = s;
  }
  return findings;
}

}  // namespace faultline::checkers
