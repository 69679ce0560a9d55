#include "reports/step_through.hpp"

#include <algorithm>
#include <cstdlib>

#include "base/format_ns.hpp"
#include "reports/causal_slice.hpp"
#include "reports/event_text.hpp"
#include "reports/interval_spans.hpp"
#include "reports/message_label.hpp"

namespace faultline::reports {

namespace {

using sim::TraceKind;

// The widest label a step writes for a message: the full payload is shown beside it.
constexpr size_t kLabelWidth = 96;

bool is_message(TraceKind k) {
  return k == TraceKind::kSend || k == TraceKind::kDeliver || k == TraceKind::kDrop ||
         k == TraceKind::kTrigger;
}

std::string signed_ns(int64_t ns) {
  return (ns > 0 ? "+" : "") + format_ns(ns);
}

nlohmann::json mark_json(const StepMark& mark) {
  return nlohmann::json::array({mark.index, mark.text});
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

// "⇄ s3, s4; → s5; ← s1": cut both ways, only towards, only from.
std::string cut_text(const NodeState& s) {
  std::vector<std::string> both, to, from;
  for (const std::string& n : s.cut_to) (s.cut_from.count(n) ? both : to).push_back(n);
  for (const std::string& n : s.cut_from)
    if (!s.cut_to.count(n)) from.push_back(n);
  std::string text;
  for (const auto& [arrow, names] : {std::pair{"⇄ ", &both}, {"→ ", &to}, {"← ", &from}}) {
    if (!names->empty()) text += (text.empty() ? "" : "; ") + std::string(arrow) + joined(*names);
  }
  return text;
}

const nlohmann::json& null_json() {
  static const nlohmann::json null;
  return null;
}

}  // namespace

NodeState& RunState::node(const std::string& name) {
  return nodes_[name];
}

void RunState::apply(const TraceRecord& r) {
  apply_record(r);
  if (!held_.empty()) refresh_holds(r.at_ns);
}

void RunState::refresh_holds(int64_t at_ns) {
  for (auto it = held_.begin(); it != held_.end();) {
    NodeState& s = node(it->first);
    s.holds.clear();
    const Reading& reading = readings_[it->first];
    const auto local =
        static_cast<int64_t>(reading.local_ns + static_cast<sim::Int128>(at_ns - reading.at_ns) *
                                                    (1'000'000 + s.drift_ppm) / 1'000'000);
    for (const auto& [label, held] : it->second) {
      const int64_t now = held.wall ? local + s.clock_offset_ns : local;
      s.holds.push_back(label + ", " + rounded_ns(std::max<int64_t>(held.until_ns - now, 0)) +
                        " left (its " + (held.wall ? "wall clock)" : "clock)"));
    }
    it = it->second.empty() ? held_.erase(it) : std::next(it);
  }
}

void RunState::apply_record(const TraceRecord& r) {
  if (r.kind == TraceKind::kConfig) {
    if (r.data.is_object() && r.data.contains("clocks") && r.data["clocks"].is_object()) {
      for (const auto& [name, clock] : r.data["clocks"].items()) {
        NodeState& s = node(name);
        if (!clock.is_object()) continue;
        s.clock_offset_ns = clock.value("offset", int64_t{0});
        s.drift_ppm = clock.value("drift_ppm", int64_t{0});
      }
    }
    return;
  }
  if (r.kind == TraceKind::kPartition) return partitioned(r);
  if (r.kind == TraceKind::kHeal) {
    if (r.data.is_object() && r.data.contains("id")) {
      partitions_.erase(r.data.value("id", uint64_t{0}));
    } else {
      partitions_.clear();
    }
    return recompute_cuts();
  }
  if (r.node.empty()) return;
  const bool known = nodes_.count(r.node) != 0;
  NodeState& s = node(r.node);
  if (!known && !partitions_.empty()) recompute_cuts();
  // The clock model: wall = monotonic + offset, so every record of the node tells its offset.
  s.clock_offset_ns = r.wall_ns - r.local_ns;
  readings_[r.node] = {r.at_ns, r.local_ns};
  switch (r.kind) {
    case TraceKind::kInterval:
      held_[r.node][r.detail] = interval_deadline(r);
      break;
    case TraceKind::kIntervalEnd:
      if (auto it = held_.find(r.node); it != held_.end()) it->second.erase(r.detail);
      break;
    case TraceKind::kStart:
    case TraceKind::kRestart:
    case TraceKind::kResume:
      s.status = "up";
      break;
    case TraceKind::kCrash:
      s.status = "down";
      break;
    case TraceKind::kPause:
      s.status = "paused";
      break;
    case TraceKind::kClockDrift: {
      // "100000ppm"
      char* end = nullptr;
      const long long ppm = std::strtoll(r.detail.c_str(), &end, 10);
      if (end != r.detail.c_str()) s.drift_ppm = ppm;
      break;
    }
    case TraceKind::kNote:
      s.notes.push_back({r.index, r.detail});
      if (s.notes.size() > kStepNotes) s.notes.erase(s.notes.begin());
      break;
    case TraceKind::kOperation:
      s.operation = {r.index, operation_text(r.data)};
      break;
    case TraceKind::kSend:
      payloads_[r.message_id] = r.data;
      s.sent = {r.index, "→" + r.peer + " " + message_label(r.data, kLabelWidth)};
      break;
    case TraceKind::kDeliver:
      s.received = {
          r.index,
          "←" + r.peer + " " +
              message_label(payload(r.message_id).is_null() ? r.data : payload(r.message_id),
                            kLabelWidth)};
      break;
    default:
      break;
  }
}

void RunState::partitioned(const TraceRecord& r) {
  const bool stacks = r.data.is_object() && r.data.value("stacks", false);
  if (!stacks) partitions_.clear();
  Partition& p = partitions_[r.data.is_object() ? r.data.value("id", uint64_t{0}) : 0];
  p = Partition{r.detail, {}};
  const std::string mode = r.data.is_object() ? r.data.value("mode", std::string()) : "";
  std::vector<std::vector<std::string>> groups;
  if (r.data.is_object() && r.data.contains("groups") && r.data["groups"].is_array()) {
    for (const nlohmann::json& group : r.data["groups"]) {
      groups.emplace_back();
      if (!group.is_array()) continue;
      for (const nlohmann::json& name : group)
        if (name.is_string()) groups.back().push_back(name.get<std::string>());
    }
  }
  auto cut = [&p](const std::vector<std::string>& a, const std::vector<std::string>& b,
                  bool both_ways) {
    for (const std::string& x : a) {
      for (const std::string& y : b) {
        if (x == y) continue;
        p.links.insert({x, y});
        if (both_ways) p.links.insert({y, x});
      }
    }
  };
  // The modes as docs/trace-format.md defines them (reports/trace_audit.cpp checks the same).
  if (mode == "split" || mode == "majority-minority") {
    for (size_t i = 0; i < groups.size(); ++i)
      for (size_t j = i + 1; j < groups.size(); ++j) cut(groups[i], groups[j], true);
  } else if (mode == "one-way" && groups.size() == 2) {
    cut(groups[0], groups[1], false);
  } else if (mode == "isolate" && !groups.empty()) {
    std::vector<std::string> others;
    for (const auto& entry : nodes_) {
      if (std::find(groups[0].begin(), groups[0].end(), entry.first) == groups[0].end())
        others.push_back(entry.first);
    }
    cut(groups[0], others, true);
  } else if (mode == "bridge" && groups.size() >= 2) {
    cut(groups[0], groups[1], true);
  }
  recompute_cuts();
}

void RunState::recompute_cuts() {
  for (auto& entry : nodes_) {
    entry.second.cut_to.clear();
    entry.second.cut_from.clear();
  }
  for (const auto& entry : partitions_) {
    for (const auto& [from, to] : entry.second.links) {
      node(from).cut_to.insert(to);
      node(to).cut_from.insert(from);
    }
  }
}

std::vector<std::string> RunState::partitions() const {
  std::vector<std::string> in_force;
  for (const auto& entry : partitions_) in_force.push_back(entry.second.detail);
  return in_force;
}

const nlohmann::json& RunState::payload(uint64_t message_id) const {
  auto it = payloads_.find(message_id);
  return it == payloads_.end() ? null_json() : it->second;
}

std::string clock_text(const NodeState& s) {
  std::string clock;
  if (s.clock_offset_ns != 0) clock = "wall " + signed_ns(s.clock_offset_ns);
  if (s.drift_ppm != 0)
    clock += (clock.empty() ? "" : ", ") + std::string("drift ") + (s.drift_ppm > 0 ? "+" : "") +
             std::to_string(s.drift_ppm) + "ppm";
  return clock;
}

nlohmann::json node_state_json(const NodeState& s) {
  nlohmann::json j = {{"status", s.status}};
  if (std::string clock = clock_text(s); !clock.empty()) j["clock"] = clock;
  if (!s.holds.empty()) {
    std::string holds;
    for (const std::string& h : s.holds) holds += (holds.empty() ? "" : "; ") + h;
    j["holds"] = holds;
  }
  const std::string cut = cut_text(s);
  if (!cut.empty()) j["cut"] = cut;
  nlohmann::json notes = nlohmann::json::array();
  for (const StepMark& note : s.notes) notes.push_back(mark_json(note));
  j["notes"] = notes;
  for (const auto& [key, mark] :
       {std::pair{"sent", &s.sent}, {"received", &s.received}, {"op", &s.operation}}) {
    if (!mark->text.empty()) j[key] = mark_json(*mark);
  }
  return j;
}

namespace {

// The event's line in the list: a message between its two ends with its label, anything else
// in words.
std::string event_text(const TraceRecord& r, const nlohmann::json& payload) {
  const nlohmann::json& shown = payload.is_null() ? r.data : payload;
  switch (r.kind) {
    case TraceKind::kSend:
      return r.node + "→" + r.peer + " " + message_label(shown, kLabelWidth);
    case TraceKind::kDeliver:
      return r.peer + "→" + r.node + " " + message_label(shown, kLabelWidth) + " delivered";
    case TraceKind::kDrop:
      return r.peer + "→" + r.node + " " + message_label(shown, kLabelWidth) + " ✗ " + r.detail;
    case TraceKind::kTimer:
      return "timer " + r.detail + " fires";
    case TraceKind::kNote:
    case TraceKind::kTrigger:
    case TraceKind::kViolation:
      return r.detail;
    case TraceKind::kHeal:
      return r.data.is_object() && r.data.contains("id") ? "heal partition " + r.data["id"].dump()
                                                         : "heal every link";
    default:
      return note_text(r);
  }
}

// Which records are carried: the last `max_events` steppable ones, the slice, the story's.
std::vector<bool> carried(const std::vector<TraceRecord>& records, const std::vector<bool>& slice,
                          const Story& story, size_t max_events) {
  std::vector<bool> keep(records.size(), false);
  size_t kept = 0;
  for (size_t p = records.size(); p-- > 0;) {
    if (sim::is_bookkeeping(records[p].kind)) continue;
    if (max_events != 0 && kept == max_events) break;
    keep[p] = true;
    ++kept;
  }
  for (size_t p = 0; p < records.size(); ++p) keep[p] = keep[p] || slice[p];
  for (const StoryStep& step : story.steps) {
    if (step.trace_index < records.size() && records[step.trace_index].index == step.trace_index)
      keep[step.trace_index] = !sim::is_bookkeeping(records[step.trace_index].kind);
  }
  return keep;
}

// The fields of a node's state that changed from `before` (null: none yet) to `after`; a field
// that is gone is null.
nlohmann::json state_change(const nlohmann::json& before, const nlohmann::json& after) {
  if (!before.is_object()) return after;
  nlohmann::json change = nlohmann::json::object();
  for (const auto& [key, value] : after.items()) {
    auto it = before.find(key);
    if (it == before.end() || *it != value) change[key] = value;
  }
  for (const auto& [key, value] : before.items()) {
    if (!after.contains(key)) change[key] = nullptr;
  }
  return change;
}

}  // namespace

nlohmann::json step_through_data(const std::vector<TraceRecord>& records,
                                 const std::vector<Finding>& findings, const Story& story,
                                 size_t max_events) {
  std::vector<bool> in_slice(records.size(), false);
  CausalSlice slice;
  std::map<size_t, const FoldedRun*> fold_ends;  // a fold's last record -> the fold
  if (!findings.empty()) {
    std::vector<SliceSeed> seeds;
    for (const Finding& f : findings) seeds.push_back({f.trace_index, f.at_ns, f.involved});
    slice = causal_slice(records, seeds, max_events);
    for (size_t p : slice.events) in_slice[p] = true;
    for (const FoldedRun& fold : slice.folds) {
      fold_ends[*std::max_element(fold.members.begin(), fold.members.end())] = &fold;
    }
  }
  std::set<uint64_t> told;
  for (const StoryStep& step : story.steps) told.insert(step.trace_index);
  const std::vector<bool> keep = carried(records, in_slice, story, max_events);

  nlohmann::json names = nlohmann::json::array();
  std::set<std::string> named;
  std::set<std::string> types;
  nlohmann::json events = nlohmann::json::array();
  nlohmann::json payloads = nlohmann::json::object();
  std::map<std::string, nlohmann::json> shown;  // each node's state as last carried
  std::vector<std::string> world_shown;
  size_t left_out = 0;
  RunState state;
  // Adds an event with what changed in every node's state, and in the world's, since the last.
  auto carry = [&](nlohmann::json e) {
    nlohmann::json changed = nlohmann::json::object();
    for (const auto& [name, node] : state.nodes()) {
      nlohmann::json j = node_state_json(node);
      nlohmann::json& before = shown[name];
      if (before == j) continue;
      changed[name] = state_change(before, j);
      before = std::move(j);
    }
    if (!changed.empty()) e["nodes"] = changed;
    std::vector<std::string> world = state.partitions();
    if (events.empty() || world != world_shown) e["world"] = world;
    world_shown = std::move(world);
    events.push_back(std::move(e));
  };
  for (size_t p = 0; p < records.size(); ++p) {
    const TraceRecord& r = records[p];
    state.apply(r);
    for (const auto& entry : state.nodes()) {
      if (named.insert(entry.first).second) names.push_back(entry.first);
    }
    if (keep[p]) {
      const nlohmann::json& payload =
          r.message_id != 0 ? state.payload(r.message_id) : nlohmann::json();
      nlohmann::json e = {{"i", r.index}, {"at", format_ns(r.at_ns)}};
      if (!r.node.empty()) e["node"] = r.node;
      if (!r.peer.empty()) e["peer"] = r.peer;
      e["kind"] = std::string(sim::to_string(r.kind));
      if (is_message(r.kind)) {
        const std::string type = message_type(payload.is_null() ? r.data : payload);
        e["type"] = type;
        types.insert(type);
      }
      const std::string text = event_text(r, payload);
      if (text != r.detail) e["text"] = text;
      if (!r.detail.empty()) e["detail"] = r.detail;
      if (r.message_id != 0) {
        e["msg"] = r.message_id;
        if (!payload.is_null()) payloads[std::to_string(r.message_id)] = payload;
      }
      if (!r.data.is_null() && (!is_message(r.kind) || payload.is_null())) e["data"] = r.data;
      if (in_slice[p]) e["slice"] = true;
      if (told.count(r.index)) e["story"] = true;
      if (r.kind == TraceKind::kViolation) e["violation"] = true;
      carry(std::move(e));
    } else if (!sim::is_bookkeeping(r.kind)) {
      ++left_out;
    }
    // The slice's routine repeats, one step at the last of them: the states after them all.
    if (auto fold = fold_ends.find(p); fold != fold_ends.end()) {
      const FoldedRun& run = *fold->second;
      nlohmann::json e = {{"i", r.index}, {"at", format_ns(r.at_ns)}, {"node", run.node}};
      if (!run.peer.empty()) {
        e["peer"] = run.peer;
        e["type"] = run.type;
        types.insert(run.type);
      }
      e["kind"] = "fold";
      e["text"] = run.text();
      e["fold"] = run.count;
      e["slice"] = true;
      carry(std::move(e));
    }
  }
  return {{"nodes", names},      {"types", types},       {"records", records.size()},
          {"cap", max_events},   {"left_out", left_out}, {"events", events},
          {"payloads", payloads}};
}

std::string script_json(const nlohmann::json& data) {
  const std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string safe;
  safe.reserve(text.size());
  // '<', '>' and '&' only ever occur inside JSON strings, where the escapes mean the same.
  for (char c : text) {
    if (c == '<') {
      safe += "\\u003c";
    } else if (c == '>') {
      safe += "\\u003e";
    } else if (c == '&') {
      safe += "\\u0026";
    } else {
      safe += c;
    }
  }
  return safe;
}

}  // namespace faultline::reports
