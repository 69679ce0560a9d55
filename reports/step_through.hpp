#pragma once
// The step-through of a run, as DSLabs' visual debugger and Stateright's Explorer offer one: the
// report's events one at a time (next and previous, buttons and keys), each described in full,
// and beside it every node's state at that point — up, down or paused, its clock if a fault moved
// it, the links a partition in force cuts, the latest notes it wrote about itself ("leader of
// term 3"), the last message it sent and received. Read from the trace alone, so it knows no
// protocol and works as well for a trace read back from its file: a node's role is what its notes
// say. The page carries the data as JSON in a <script type="application/json"> block and a small
// inline script that renders it; nothing is fetched.

#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/finding.hpp"
#include "reports/interval_spans.hpp"
#include "reports/story.hpp"
#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

// The most records a step-through carries by default (the most recent ones, with the causal
// slice and the story however far back they lie): a few megabytes of page at most.
constexpr size_t kStepEvents = 2000;
// The notes of a node shown at each step: the latest ones, which carry its role and term.
constexpr size_t kStepNotes = 3;

// One thing a node did, as a step shows it: the record and a line of text.
struct StepMark {
  uint64_t index = 0;
  std::string text;  // empty: nothing yet
  bool operator==(const StepMark&) const = default;
};

// A node at one point of a trace.
struct NodeState {
  std::string status = "not started";  // "up", "down", "paused"
  int64_t clock_offset_ns = 0;         // wall clock minus monotonic clock
  int64_t drift_ppm = 0;
  // Its protocol's intervals open (interval records), each with the time left on its clock:
  // "lease, 40ms left (its clock)".
  std::vector<std::string> holds;
  std::set<std::string> cut_to;    // nodes it cannot send to: a partition in force cuts the link
  std::set<std::string> cut_from;  // nodes it cannot receive from
  std::vector<StepMark> notes;     // its latest notes (at most kStepNotes), oldest first
  StepMark sent;                   // "→s2 AppendEntries term=3 …"
  StepMark received;               // "←s1 Vote granted=true"
  StepMark operation;              // a client's latest operation: "ok write 3"
  bool operator==(const NodeState&) const = default;
};

// Replays a trace's records in order and keeps every node's state.
class RunState {
 public:
  void apply(const TraceRecord& record);

  // Every node seen so far (the config record names them all first), by name.
  const std::map<std::string, NodeState>& nodes() const { return nodes_; }
  // The partitions in force, as their records describe them ("split {s1,s2} | {s3}").
  std::vector<std::string> partitions() const;
  // The payload a message was sent with (null when its send was not seen).
  const nlohmann::json& payload(uint64_t message_id) const;

 private:
  void apply_record(const TraceRecord& record);
  // Every node's holds as at true time `at_ns`: the time left on its clock, read from its latest
  // record and its clock's rate.
  void refresh_holds(int64_t at_ns);

  struct Reading {
    int64_t at_ns = 0;
    int64_t local_ns = 0;
  };
  // node -> label -> the deadline of each interval it holds
  std::map<std::string, std::map<std::string, IntervalDeadline>> held_;
  std::map<std::string, Reading> readings_;  // node -> its latest clock reading
  struct Partition {
    std::string detail;
    std::set<std::pair<std::string, std::string>> links;  // (from, to) cut
  };
  NodeState& node(const std::string& name);
  void partitioned(const TraceRecord& record);
  void recompute_cuts();

  std::map<std::string, NodeState> nodes_;
  std::map<uint64_t, Partition> partitions_;  // by id (0: the one without)
  std::map<uint64_t, nlohmann::json> payloads_;
};

// How a node's clocks differ from true time, as the page and the diagram show it: "wall +5s",
// "drift -100000ppm", both, or "" when they do not.
std::string clock_text(const NodeState& state);

// A node's state as the page shows it: {"status", "clock"?, "holds"?, "cut"?, "notes", "sent"?,
// "received"?, "op"?}, each mark as [index, text].
nlohmann::json node_state_json(const NodeState& state);

// The data of the step-through of `records`, for the page's script:
//   nodes    every node, in the order the config record names them
//   types    every message type, sorted (what the message filter offers)
//   records  how many records the trace holds; cap: the bound applied (0: none); left_out: the
//            steppable records not carried (the oldest, outside the causal slice and the story)
//   events   the records carried, in order: {i, at, node?, peer?, kind, type?, text?,
//            detail?, msg?, data?, slice?, story?, violation?, nodes?, world?}. `text` is the
//            line the list shows (absent: the detail says it); `nodes` holds, for every node
//            whose state changed since the previous event carried, the fields that changed (a
//            field gone: null; at the first, every node's whole state), `world` the partitions
//            in force when they changed. A fold of the causal slice's routine repeats
//            (causal_slice.hpp) is an event of its own after its last record: {i (that record),
//            at, node, peer?, type?, kind "fold", text ("×37 AppendEntries s1→s2 …"), fold (the
//            count), slice, nodes?, world?}, stepped over at once in the slice's scope
//   payloads each carried message's payload as sent, by message id
// Carried: the last `max_events` records that are not bookkeeping (timer-set, timer-cancel,
// config; 0: all), the causal slice of `findings` (at most `max_events` rows) and the records
// `story` tells. The states are those after each record, from every record of the trace.
nlohmann::json step_through_data(const std::vector<TraceRecord>& records,
                                 const std::vector<Finding>& findings, const Story& story,
                                 size_t max_events = kStepEvents);

// `data` as the text of a <script type="application/json"> element: '<', '>' and '&' written as
// JSON's \u escapes, so that no payload can close the element ("</script>") or open a comment.
std::string script_json(const nlohmann::json& data);

// The page's CSS for the section, to go in its <style>.
const char* step_through_style();

// The section (id "steps"): the controls, the data and the script. The script gives each event
// of the list the id `step-N` (N its trace index); a link to `#step-N` steps to that event.
void write_step_through(std::ostream& out, const nlohmann::json& data);

}  // namespace faultline::reports
