#include "reports/story.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "base/format_ns.hpp"
#include "reports/causal_slice.hpp"
#include "reports/event_text.hpp"
#include "reports/message_label.hpp"

namespace faultline::reports {

namespace {

using sim::TraceKind;

// A message step needs room beside the faults and notes, but a story of messages alone is a
// trace again: at most this many, and this many kept free when the landmarks are too many.
constexpr size_t kMaxMessages = 7;
constexpr size_t kMessageReserve = 2;
// One line per step: a long violation message or a group of faults is cut at a character's end.
constexpr size_t kLineBytes = 160;

std::string shorten(const std::string& text, size_t bytes) {
  if (text.size() <= bytes) return text;
  size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

std::string fault_text(const TraceRecord& r) {
  const std::string detail = r.detail.empty() ? "" : " " + r.detail;
  switch (r.kind) {
    case TraceKind::kCrash:
      return r.node + " crashes";
    case TraceKind::kRestart:
      return r.node + " restarts";
    case TraceKind::kPause:
      return r.node + " paused" + detail;
    case TraceKind::kResume:
      return r.node + " resumes";
    case TraceKind::kPartition:
      return "partition" + detail;
    case TraceKind::kHeal:
      return r.data.is_object() && r.data.contains("id")
                 ? "heal of partition " +
                       r.data["id"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                 : "heal: every link works again";
    case TraceKind::kClockJump:
      return r.node + "'s clock jumps" + detail;
    case TraceKind::kClockDrift:
      return r.node + "'s clock drifts" + detail;
    case TraceKind::kNetwork:
      return "network:" + detail;
    case TraceKind::kBuggify:
      return r.node + ": buggify" + detail;
    default:
      return r.detail;
  }
}

void add_node(std::vector<std::string>& nodes, const std::string& node) {
  if (!node.empty() && std::find(nodes.begin(), nodes.end(), node) == nodes.end())
    nodes.push_back(node);
}

// A candidate step and its rank: the higher, the sooner it is told.
struct Candidate {
  StoryStep step;
  int rank = 0;
};

// Takes up to `count` of `candidates`, by rank, then the most recent first.
std::vector<StoryStep> take(std::vector<Candidate> candidates, size_t count) {
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.rank != b.rank) return a.rank > b.rank;
    if (a.step.at_ns != b.step.at_ns) return a.step.at_ns > b.step.at_ns;
    return a.step.trace_index > b.step.trace_index;
  });
  std::vector<StoryStep> taken;
  for (size_t i = 0; i < candidates.size() && i < count; ++i) taken.push_back(candidates[i].step);
  return taken;
}

}  // namespace

Story violation_story(const std::vector<TraceRecord>& records, const std::vector<Finding>& findings,
                      size_t max_steps) {
  Story story;
  if (findings.empty() || max_steps == 0) return story;
  std::vector<SliceSeed> seeds;
  std::set<std::string> involved;
  for (const Finding& f : findings) {
    seeds.push_back({f.trace_index, f.at_ns, f.involved});
    involved.insert(f.involved.begin(), f.involved.end());
  }
  // The whole past, routine repeats folded: what is left is what the story may tell.
  const CausalSlice slice = causal_slice(records, seeds, 0);

  std::vector<StoryStep> steps;
  for (size_t i = 0; i < findings.size() && i < max_steps; ++i) {
    const Finding& f = findings[i];
    StoryStep step{StoryStepKind::violation, f.at_ns, {}, "", f.trace_index};
    std::string who;
    for (const std::string& node : f.involved) {
      add_node(step.nodes, node);
      who += (who.empty() ? "" : ", ") + node;
    }
    step.text =
        shorten("VIOLATION " + f.checker + (who.empty() ? "" : " (" + who + ")") + ": " + f.message,
                kLineBytes);
    steps.push_back(std::move(step));
  }

  // Faults (one step per instant) and notes.
  std::vector<Candidate> landmarks;
  std::map<int64_t, size_t> fault_at;  // instant -> its step among `landmarks`
  // Messages: a send told with its first end in the past, or a loss whose send is not there.
  std::map<uint64_t, size_t> send_at;  // message id -> send position
  std::map<uint64_t, size_t> end_at;   // message id -> first end position
  for (size_t p : slice.events) {
    const TraceRecord& r = records[p];
    const bool ours = r.node.empty() || involved.count(r.node) != 0;
    if (sim::fault_scope(r.kind) != sim::FaultScope::kNone) {
      auto [at, fresh] = fault_at.try_emplace(r.at_ns, landmarks.size());
      if (fresh) landmarks.push_back({{StoryStepKind::fault, r.at_ns, {}, "", r.index}, 0});
      Candidate& group = landmarks[at->second];
      add_node(group.step.nodes, r.node);
      group.step.text += (group.step.text.empty() ? "" : "; ") + fault_text(r);
      group.rank = std::max(group.rank, ours ? 1 : 0);
    } else if (r.kind == TraceKind::kNote && !r.detail.empty()) {
      StoryStep step{StoryStepKind::note, r.at_ns, {}, "", r.index};
      add_node(step.nodes, r.node);
      step.text = (r.node.empty() ? "" : r.node + ": ") + r.detail;
      landmarks.push_back({std::move(step), ours ? 1 : 0});
    } else if (r.message_id != 0 && r.kind == TraceKind::kSend) {
      send_at.emplace(r.message_id, p);
    } else if (r.message_id != 0 && (r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop)) {
      end_at.emplace(r.message_id, p);
    }
  }
  for (Candidate& group : landmarks) group.step.text = shorten(group.step.text, kLineBytes);

  // A message's first end anywhere in the trace: its receiver may be outside the past (the
  // storage that accepted the stale write is not a node the finding names). Told when it came
  // before the last violation; after it, the message was still on its way.
  int64_t last_at = 0;
  for (const Finding& f : findings) last_at = std::max(last_at, f.at_ns);
  // (An end already found in the past stays: emplace keeps the first.)
  for (size_t p = 0; p < records.size(); ++p) {
    const TraceRecord& r = records[p];
    if (r.message_id != 0 && (r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop) &&
        send_at.count(r.message_id) && r.at_ns <= last_at)
      end_at.emplace(r.message_id, p);
  }
  // What each involved node last heard before its violation: what it acted on.
  std::set<uint64_t> triggers;
  for (const Finding& f : findings) {
    for (const std::string& node : f.involved) {
      // The last delivery before its instant, or the first at it (what it then did broke it).
      uint64_t last = 0;
      int64_t last_ns = 0;
      for (size_t p : slice.events) {
        const TraceRecord& r = records[p];
        if (r.at_ns > f.at_ns) break;
        if (r.node != node || r.kind != TraceKind::kDeliver || r.message_id == 0) continue;
        if (r.at_ns == f.at_ns && last != 0 && last_ns == f.at_ns) break;
        last = r.message_id;
        last_ns = r.at_ns;
      }
      if (last != 0) triggers.insert(last);
    }
  }
  // And the first message from one of its nodes that arrived the instant it broke, wherever it
  // arrived (the stale write the storage accepted: the storage is not a node the finding names).
  for (const Finding& f : findings) {
    for (const TraceRecord& r : records) {
      if (r.kind == TraceKind::kDeliver && r.at_ns == f.at_ns && send_at.count(r.message_id) &&
          std::find(f.involved.begin(), f.involved.end(), r.peer) != f.involved.end()) {
        triggers.insert(r.message_id);
        break;
      }
    }
  }

  std::vector<Candidate> messages;
  std::set<uint64_t> ids;
  for (const auto& entry : send_at) ids.insert(entry.first);
  for (const auto& entry : end_at) ids.insert(entry.first);
  for (uint64_t id : ids) {
    auto send = send_at.find(id);
    auto end = end_at.find(id);
    // Sender and receiver: a send's node and peer; a loss's peer and node.
    const TraceRecord& any = records[send != send_at.end() ? send->second : end->second];
    const bool from_send = send != send_at.end();
    const std::string& from = from_send ? any.node : any.peer;
    const std::string& to = from_send ? any.peer : any.node;
    const int ends = static_cast<int>(involved.count(from)) + static_cast<int>(involved.count(to));
    if (ends == 0) continue;
    const TraceRecord& told = end != end_at.end() ? records[end->second] : any;
    const bool lost = told.kind == TraceKind::kDrop;
    // What a node acted on first; then a message between the violation's nodes that a fault
    // lost (the decision that never arrived); then messages between them, and what their
    // clients saw succeed; then with one of them; messages lost at a down node, or still on
    // their way, last.
    const bool arrived = end != end_at.end();
    const bool down = lost && told.detail == "down";
    int rank = 0;
    if (triggers.count(id)) {
      rank = 6;
    } else if (arrived && lost && !down && ends == 2) {
      rank = 5;
    } else if (arrived && !lost) {
      rank = ends == 2 ? 4 : 2;
    } else if (arrived) {
      rank = ends == 2 ? 2 : 1;
    }
    StoryStep step{StoryStepKind::message, told.at_ns, {}, "", told.index};
    add_node(step.nodes, from);
    add_node(step.nodes, to);
    // The payload is on the send; a loss without its send in the past has its type only.
    const nlohmann::json& payload = from_send ? any.data : told.data;
    std::string outcome;
    if (end == end_at.end()) {
      outcome = " (in flight)";
    } else if (lost) {
      outcome = " ✗ " + (told.detail.empty() ? std::string("lost") : told.detail);
    }
    step.text = from + "→" + to + " " + message_label(payload) + outcome;
    messages.push_back({std::move(step), rank});
  }
  // What the involved clients saw succeed (`ok acquire 1`): their belief, which the violation
  // contradicts. Invocations and failures are routine (a retried acquire).
  for (size_t p : slice.events) {
    const TraceRecord& r = records[p];
    if (r.kind != TraceKind::kOperation || !involved.count(r.node) || !r.data.is_object() ||
        r.data.value("type", "") != "ok")
      continue;
    StoryStep step{StoryStepKind::operation, r.at_ns, {r.node}, "", r.index};
    step.text = r.node + ": " + operation_text(r.data);
    messages.push_back({std::move(step), 4});
  }

  // The bound: every violation, then landmarks leaving room for a few messages, then messages.
  const size_t room = max_steps - steps.size();
  const size_t reserve = std::min({kMessageReserve, messages.size(), room});
  std::vector<StoryStep> told_landmarks = take(landmarks, room - reserve);
  const size_t message_room = std::min(kMaxMessages, room - told_landmarks.size());
  std::vector<StoryStep> told_messages = take(messages, message_room);
  story.omitted = (landmarks.size() - told_landmarks.size()) +
                  (messages.size() - told_messages.size()) +
                  (findings.size() - std::min(findings.size(), max_steps));
  for (StoryStep& step : told_landmarks) steps.push_back(std::move(step));
  for (StoryStep& step : told_messages) steps.push_back(std::move(step));
  // In order of true time; at one instant, the violation after what led to it.
  std::stable_sort(steps.begin(), steps.end(), [](const StoryStep& a, const StoryStep& b) {
    if (a.at_ns != b.at_ns) return a.at_ns < b.at_ns;
    const bool av = a.kind == StoryStepKind::violation, bv = b.kind == StoryStepKind::violation;
    if (av != bv) return bv;
    return a.trace_index < b.trace_index;
  });
  story.steps = std::move(steps);
  return story;
}

std::string step_nodes(const StoryStep& step) {
  std::string text;
  const std::string separator = step.kind == StoryStepKind::message ? "→" : ", ";
  for (const std::string& node : step.nodes) text += (text.empty() ? "" : separator) + node;
  return text;
}

std::string story_text(const Story& story, const std::string& indent) {
  std::string out;
  const size_t width = std::to_string(story.steps.size()).size();
  for (size_t i = 0; i < story.steps.size(); ++i) {
    const StoryStep& step = story.steps[i];
    std::string number = std::to_string(i + 1);
    number.insert(0, width - number.size(), ' ');
    out += indent + number + ". " + format_ns(step.at_ns) + "  " + step.text + "  #" +
           std::to_string(step.trace_index) + "\n";
  }
  if (story.omitted > 0) {
    out += indent + std::string(width, ' ') + "  … " + std::to_string(story.omitted) +
           " routine step" + (story.omitted == 1 ? "" : "s") + " omitted\n";
  }
  return out;
}

}  // namespace faultline::reports
