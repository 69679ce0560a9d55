#include "reports/causal_slice.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "reports/message_label.hpp"

namespace faultline::reports {

namespace {

using sim::TraceKind;

bool drawable(TraceKind k) {
  return !sim::is_bookkeeping(k);
}

// What two messages must share to be repeats: the payload without its top-level integers. A
// number that moves in an otherwise identical message counts something (a retry's round, a
// sequence number) or marks a position moving on (a term, a commit index); the folded row shows
// how it moved (`leader_commit 5..6`), so the change stays visible without a row per message.
std::string signature(const nlohmann::json& data) {
  if (!data.is_object()) return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  nlohmann::json kept = nlohmann::json::object();
  for (auto it = data.begin(); it != data.end(); ++it) {
    if (!it.value().is_number_integer()) kept[it.key()] = it.value();
  }
  return kept.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string FoldedRun::text() const {
  std::string head = "×" + std::to_string(count) + " " + type;
  if (peer.empty()) return head + " at " + node + " (nothing followed)";
  std::string moved;
  for (const auto& range : ranges) {
    moved += " " + range.first + " " + std::to_string(range.second.first) + ".." +
             std::to_string(range.second.second);
  }
  return head + " " + node + "→" + peer + (outcome.empty() ? "" : " " + outcome) + moved +
         (outcome.empty() ? " (repeats)" : "");
}

CausalSlice causal_slice(const std::vector<TraceRecord>& records,
                         const std::vector<SliceSeed>& seeds, size_t max_rows) {
  const size_t n = records.size();
  std::map<uint64_t, size_t> position_of;           // trace index -> position
  std::map<uint64_t, size_t> send_of;               // message id -> its send
  std::map<uint64_t, std::vector<size_t>> ends_of;  // message id -> its deliveries and drops
  for (size_t p = 0; p < n; ++p) {
    const TraceRecord& r = records[p];
    position_of[r.index] = p;
    if (r.message_id == 0) continue;
    if (r.kind == TraceKind::kSend) send_of.emplace(r.message_id, p);
    if (r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop)
      ends_of[r.message_id].push_back(p);
  }

  // The causal past. frontier[node]: the node's records before this position are in it. Seeded
  // by each violation's nodes, then, walking backwards, a delivery in the past brings in its send
  // and everything before the send on the sender (happens-before). A drop brings in nothing: the
  // receiver learnt nothing from it.
  std::map<std::string, size_t> frontier;
  for (const SliceSeed& seed : seeds) {
    auto at = position_of.find(seed.trace_index);
    size_t limit = at == position_of.end() ? n : at->second;
    for (size_t p = 0; p < limit; ++p) {
      if (records[p].at_ns > seed.at_ns) {
        limit = p;
        break;
      }
    }
    for (const std::string& node : seed.nodes) frontier[node] = std::max(frontier[node], limit);
  }
  std::vector<bool> past(n, false);
  for (size_t p = n; p-- > 0;) {
    const TraceRecord& r = records[p];
    if (r.kind == TraceKind::kViolation) {
      past[p] = true;
      continue;
    }
    if (r.node.empty() || !drawable(r.kind)) continue;
    auto f = frontier.find(r.node);
    if (f == frontier.end() || p >= f->second) continue;
    past[p] = true;
    if (r.kind != TraceKind::kDeliver || r.message_id == 0) continue;
    auto send = send_of.find(r.message_id);
    if (send == send_of.end() || send->second >= p) continue;
    size_t& sender = frontier[records[send->second].node];
    sender = std::max(sender, send->second + 1);
  }
  // Faults before the violation of the world (partitions, heals, network changes) and of every
  // node in the past, also those after its last message in the past: they decided which messages
  // arrived and who could answer (the coordinator that crashed after its last word).
  size_t horizon = 0;
  for (const auto& entry : frontier) horizon = std::max(horizon, entry.second);
  // A message in the past that was lost before the violation: its loss is where it ended, even
  // on a node the past does not reach (the messages to a coordinator that crashed).
  for (const auto& entry : send_of) {
    if (!past[entry.second]) continue;
    for (size_t e : ends_of[entry.first]) {
      if (records[e].kind == TraceKind::kDrop && e < horizon) past[e] = true;
    }
  }
  std::set<std::string> in_past;
  for (size_t p = 0; p < n; ++p) {
    if (past[p] && !records[p].node.empty()) in_past.insert(records[p].node);
  }
  for (size_t p = 0; p < horizon; ++p) {
    const sim::FaultScope scope = sim::fault_scope(records[p].kind);
    const bool world = scope == sim::FaultScope::kNetwork;
    const bool node = scope == sim::FaultScope::kNode;
    if ((world && records[p].node.empty()) || (node && in_past.count(records[p].node))) {
      past[p] = true;
    }
  }

  // Routine messages. A message is a repeat when the previous message in the past from the same
  // sender to the same receiver, of the same type, had the same payload but for its counters and
  // the same outcome (delivered, lost and why, still in flight): whatever it did, the previous one
  // showed already. The first of a run is drawn; its repeats, with their deliveries, are folded.
  std::vector<bool> folded(n, false);
  std::vector<std::string> outcome_of(n);  // per folded send
  std::map<std::tuple<std::string, std::string, std::string>, std::string> last;
  std::set<size_t> not_arrived;  // sends that did not arrive in the past
  for (size_t p = 0; p < n; ++p) {
    const TraceRecord& r = records[p];
    if (!past[p] || r.kind != TraceKind::kSend || r.message_id == 0) continue;
    std::string outcome = "in flight";
    std::vector<size_t> ends;
    for (size_t e : ends_of[r.message_id]) {
      if (!past[e]) continue;
      if (ends.empty()) {
        outcome = records[e].kind == TraceKind::kDeliver ? "" : "✗ " + records[e].detail;
      }
      ends.push_back(e);
    }
    if (!outcome.empty()) not_arrived.insert(p);
    const std::string key_text = signature(r.data) + "\n" + outcome;
    auto [it, fresh] = last.try_emplace({r.node, r.peer, message_type(r.data)}, key_text);
    if (!fresh && it->second == key_text) {
      folded[p] = true;
      outcome_of[p] = outcome;
      for (size_t e : ends) folded[e] = true;
    }
    it->second = key_text;
  }

  // A loss whose send is not in the past (the sender's later messages never reached anyone in
  // it) is a repeat by the same rule, told from the loss: type, peers and reason.
  std::set<std::string> lone_losses;
  for (size_t p = 0; p < n; ++p) {
    const TraceRecord& r = records[p];
    if (!past[p] || r.kind != TraceKind::kDrop || folded[p]) continue;
    auto send = send_of.find(r.message_id);
    if (send != send_of.end() && past[send->second]) continue;
    if (!lone_losses.insert(r.peer + "\n" + r.node + "\n" + message_type(r.data) + "\n" + r.detail)
             .second) {
      folded[p] = true;
      outcome_of[p] = "✗ " + r.detail;
    }
  }

  // Routine timers: a firing after which the node does nothing drawn before its next firing
  // (a heartbeat tick whose heartbeats are all repeats, a poll that found nothing).
  std::map<std::string, std::vector<size_t>> on_node;
  for (size_t p = 0; p < n; ++p) {
    if (past[p] && !records[p].node.empty() && records[p].kind != TraceKind::kViolation)
      on_node[records[p].node].push_back(p);
  }
  for (const auto& entry : on_node) {
    const std::vector<size_t>& lane = entry.second;
    for (size_t i = 0; i < lane.size(); ++i) {
      if (records[lane[i]].kind != TraceKind::kTimer) continue;
      bool quiet = true;
      for (size_t j = i + 1; j < lane.size() && records[lane[j]].kind != TraceKind::kTimer; ++j) {
        quiet = quiet && folded[lane[j]];
      }
      folded[lane[i]] = quiet;
    }
  }

  // Rows: each kept record, and each run of folded records of one kind (message key and outcome,
  // or a node's timer tag) until something kept happens on one of its lifelines — so a row never
  // stands for events on both sides of a drawn one.
  CausalSlice slice;
  std::vector<size_t> kept;
  std::map<std::string, size_t> open;      // run key -> index into slice.folds
  std::map<uint64_t, size_t> fold_of_msg;  // folded message -> its row
  for (size_t p = 0; p < n; ++p) {
    if (!past[p]) continue;
    const TraceRecord& r = records[p];
    ++slice.past_events;
    if (!folded[p]) {
      kept.push_back(p);
      // A message drawn does not end a run: the run's row says how its numbers moved meanwhile.
      if (r.kind == TraceKind::kSend || r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop)
        continue;
      const std::string& lane = r.node;
      for (auto it = open.begin(); it != open.end();) {
        const FoldedRun& run = slice.folds[it->second];
        it = !lane.empty() && (run.node == lane || run.peer == lane) ? open.erase(it) : ++it;
      }
      continue;
    }
    auto with_send = fold_of_msg.find(r.message_id);
    if ((r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop) &&
        with_send != fold_of_msg.end()) {
      slice.folds[with_send->second].members.push_back(p);
      continue;
    }
    const bool timer = r.kind == TraceKind::kTimer;
    // A loss on its own is told from the sender's side, as the message it was.
    const bool lone_drop = r.kind == TraceKind::kDrop;
    const std::string& sender = lone_drop ? r.peer : r.node;
    const std::string& receiver = lone_drop ? r.node : r.peer;
    const std::string type =
        timer ? "timer" + (r.detail.empty() ? "" : " " + r.detail) : message_type(r.data);
    const std::string key =
        sender + "\n" + (timer ? "" : receiver) + "\n" + type + "\n" + (timer ? "" : outcome_of[p]);
    auto it = open.find(key);
    if (it == open.end()) {
      FoldedRun run;
      run.position = p;
      run.node = sender;
      run.peer = timer ? "" : receiver;
      run.type = type;
      run.outcome = timer ? "" : outcome_of[p];
      slice.folds.push_back(run);
      it = open.emplace(key, slice.folds.size() - 1).first;
    }
    FoldedRun& run = slice.folds[it->second];
    run.members.push_back(p);
    ++run.count;
    if (!timer && r.data.is_object()) {
      for (auto field = r.data.begin(); field != r.data.end(); ++field) {
        if (!field.value().is_number_integer()) continue;
        const int64_t value = field.value().get<int64_t>();
        auto [range, fresh] = run.first_last.try_emplace(field.key(), value, value);
        range->second.second = value;
      }
    }
    if (!timer && !lone_drop) fold_of_msg[r.message_id] = it->second;
  }

  // A run of one is no shorter than the event: it is drawn as itself, ranked as the repeat it is.
  std::vector<bool> repeat(n, false);
  {
    std::vector<FoldedRun> runs;
    for (FoldedRun& run : slice.folds) {
      if (run.count > 1) {
        runs.push_back(std::move(run));
        continue;
      }
      for (size_t p : run.members) {
        folded[p] = false;
        repeat[p] = true;
        kept.push_back(p);
      }
    }
    slice.folds = std::move(runs);
    std::sort(kept.begin(), kept.end());
  }

  // The bound, in rows: an event, a message (send and delivery), a folded row. The landmarks of
  // the story are kept first, the most recent first if even they are too many: violations,
  // faults, notes (a protocol's "leader of term 3"), and the message delivered just before a note
  // on its node (the vote that made the leader). The rest of the bound is shared among the
  // stretches between landmarks: round by round each stretch, the latest first, takes its next
  // row by rank, then the most recent. So every stretch keeps its last steps (a leader's
  // replication between its election and the next crash), not only the one before the violation.
  enum Rank : int {
    kFolded = 0,
    kMinor = 1,     // timers, boots, repeats, messages that never arrived in the past
    kOther = 2,     // messages between nodes the violation does not involve
    kInvolved = 3,  // messages to or from a node it involves, client operations
    kLandmark = 4,
  };
  std::set<std::string> involved;
  for (const SliceSeed& seed : seeds) involved.insert(seed.nodes.begin(), seed.nodes.end());
  std::vector<int> tier(n, kInvolved);
  std::vector<size_t> boundaries;  // positions opening a stretch
  for (size_t p : kept) {
    const TraceRecord& r = records[p];
    const TraceKind k = r.kind;
    const bool message = k == TraceKind::kSend || k == TraceKind::kDeliver || k == TraceKind::kDrop;
    const bool arrived = k != TraceKind::kDrop && (k != TraceKind::kSend || !not_arrived.count(p));
    if (k == TraceKind::kTimer || k == TraceKind::kStart || !arrived || repeat[p]) {
      tier[p] = kMinor;
      continue;
    }
    if (message) {
      if (!involved.count(r.node) && !involved.count(r.peer)) tier[p] = kOther;
      continue;
    }
    if (k == TraceKind::kOperation) continue;
    tier[p] = kLandmark;
    boundaries.push_back(p);
    // A fault comes from outside (the nemesis); a note says what the node made of its input.
    if (k != TraceKind::kNote || records[p].node.empty()) continue;
    // The message delivered just before it on its node, with the send.
    const std::vector<size_t>& lane = on_node[records[p].node];
    auto at = std::lower_bound(lane.begin(), lane.end(), p);
    while (at != lane.begin()) {
      const size_t q = *--at;
      if (folded[q]) continue;
      if (records[q].kind == TraceKind::kDeliver) {
        tier[q] = kLandmark;
        auto send = send_of.find(records[q].message_id);
        if (send != send_of.end()) tier[send->second] = kLandmark;
      }
      break;
    }
  }
  // A message drawn is its send and its delivery together: one arrow and one row of the bound,
  // never half of one.
  struct Row {
    int tier;
    size_t position;
    size_t fold;                 // index into slice.folds + 1; 0: an event
    size_t delivery = SIZE_MAX;  // a send's delivery, drawn with it
    size_t cost() const { return 1; }
  };
  std::vector<Row> rows;
  std::map<uint64_t, size_t> row_of_send;  // message id -> its send's row
  for (size_t p : kept) {
    const TraceRecord& r = records[p];
    auto send = r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop
                    ? row_of_send.find(r.message_id)
                    : row_of_send.end();
    if (send != row_of_send.end() && rows[send->second].delivery == SIZE_MAX) {
      rows[send->second].delivery = p;
      rows[send->second].tier = std::max(rows[send->second].tier, tier[p]);
      continue;
    }
    if (r.kind == TraceKind::kSend) row_of_send[r.message_id] = rows.size();
    rows.push_back({tier[p], p, 0});
  }
  for (size_t f = 0; f < slice.folds.size(); ++f)
    rows.push_back({kFolded, slice.folds[f].position, f + 1});
  std::vector<bool> keep(rows.size(), false);
  size_t budget = max_rows;
  for (const Row& row : rows) budget += max_rows == 0 ? row.cost() : 0;
  auto take = [&](size_t i) {
    if (rows[i].cost() > budget) return;
    keep[i] = true;
    budget -= rows[i].cost();
  };
  std::vector<size_t> landmarks;
  std::vector<std::vector<size_t>> stretches(boundaries.size() + 1);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].fold == 0 && records[rows[i].position].kind == TraceKind::kViolation) {
      keep[i] = true;
      budget -= std::min<size_t>(budget, 1);
    } else if (rows[i].tier == kLandmark) {
      landmarks.push_back(i);
    } else {
      const size_t s = std::upper_bound(boundaries.begin(), boundaries.end(), rows[i].position) -
                       boundaries.begin();
      stretches[s].push_back(i);
    }
  }
  auto later = [&](size_t a, size_t b) { return rows[a].position > rows[b].position; };
  std::sort(landmarks.begin(), landmarks.end(), later);
  for (size_t i : landmarks) {
    take(i);
  }
  for (std::vector<size_t>& stretch : stretches) {
    std::sort(stretch.begin(), stretch.end(), [&](size_t a, size_t b) {
      return rows[a].tier != rows[b].tier ? rows[a].tier > rows[b].tier : later(a, b);
    });
  }
  for (size_t round = 0; budget > 0; ++round) {
    bool any = false;
    for (size_t s = stretches.size(); s-- > 0 && budget > 0;) {
      if (round < stretches[s].size()) {
        take(stretches[s][round]);
        any = true;
      }
    }
    if (!any) break;
  }
  std::vector<bool> fold_cut(slice.folds.size(), false);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (keep[i]) {
      ++slice.rows;
      if (rows[i].fold == 0) slice.events.push_back(rows[i].position);
      if (rows[i].delivery != SIZE_MAX) slice.events.push_back(rows[i].delivery);
      continue;
    }
    ++slice.cut_rows;
    if (rows[i].fold == 0) {
      slice.cut_events += rows[i].delivery == SIZE_MAX ? 1 : 2;
    } else {
      fold_cut[rows[i].fold - 1] = true;
      slice.cut_events += slice.folds[rows[i].fold - 1].members.size();
    }
  }
  std::sort(slice.events.begin(), slice.events.end());
  std::vector<FoldedRun> folds;
  for (size_t f = 0; f < slice.folds.size(); ++f) {
    if (!fold_cut[f]) folds.push_back(std::move(slice.folds[f]));
  }
  slice.folds = std::move(folds);
  for (FoldedRun& run : slice.folds) {
    for (const auto& range : run.first_last) {
      if (range.second.first != range.second.second) run.ranges.push_back(range);
    }
  }
  return slice;
}

}  // namespace faultline::reports
