#pragma once
// The trace file: JSON Lines, one compact object per event, keys in a fixed order, and the
// running FNV-1a hash of exactly the bytes written (the run's trace hash, docs/trace-format.md).
// Same scenario and seed => same bytes => same hash, whichever compiler built the binary.

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/trace.hpp"

namespace faultline::reports {

// One trace event with node names resolved, so that tools can load a trace without a world.
struct TraceRecord {
  uint64_t index = 0;
  int64_t at_ns = 0;  // true time
  sim::TraceKind kind = sim::TraceKind::kNote;
  std::string node;      // empty: the world itself (partition, heal, network)
  int64_t local_ns = 0;  // node's monotonic clock; meaningful only when `node` is set
  int64_t wall_ns = 0;   // node's wall clock; meaningful only when `node` is set
  uint64_t lamport = 0;  // 0: none
  std::string peer;      // empty: none
  uint64_t message_id = 0;
  uint64_t call_id = 0;
  uint64_t timer = 0;       // timer, timer-set, timer-cancel: which timer (0: none)
  int64_t deadline_ns = 0;  // timer-set: when it is due on the node's monotonic clock
  std::string detail;
  nlohmann::json data;  // null: none

  bool operator==(const TraceRecord&) const = default;
};

// Resolves ids through `node_names` (which may grow during the run: it is read at each event).
// An id outside the table is rendered "#<id>" rather than failing the run.
TraceRecord make_trace_record(const sim::TraceEvent& event,
                              const std::vector<std::string>* node_names);

// The line for one record, without the newline: {"i":0,"t":1500000,"kind":"send",...}.
std::string format_trace_line(const TraceRecord& record);

// A trace hash as 16 lowercase hex digits.
std::string format_trace_hash(uint64_t hash);

class JsonlTraceWriter : public sim::TraceSink {
 public:
  JsonlTraceWriter(std::ostream& out, const std::vector<std::string>* node_names);

  void record(const sim::TraceEvent& event) override;

  uint64_t hash() const { return hash_; }
  std::string hash_hex() const { return format_trace_hash(hash_); }
  uint64_t lines() const { return lines_; }
  uint64_t bytes() const { return bytes_; }

 private:
  std::ostream& out_;
  const std::vector<std::string>* node_names_;
  uint64_t hash_;
  uint64_t lines_ = 0;
  uint64_t bytes_ = 0;
  // Reused between events: tracing a long run should not allocate per event.
  std::string line_;
  std::string node_;
  std::string peer_;
};

// Keeps every record in memory: the runner draws the diagram and the report from it without
// re-reading the file.
class TraceBuffer : public sim::TraceSink {
 public:
  explicit TraceBuffer(const std::vector<std::string>* node_names) : node_names_(node_names) {}

  void record(const sim::TraceEvent& event) override;

  const std::vector<TraceRecord>& records() const { return records_; }
  std::vector<TraceRecord> take() { return std::move(records_); }

 private:
  const std::vector<std::string>* node_names_;
  std::vector<TraceRecord> records_;
};

// A malformed trace line; what() is one line, "FILE:LINE: expected ..., got ...".
class TraceFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A trace line holds one record and its payload: kilobytes. Past this, the input is not a trace.
constexpr size_t kMaxTraceLineBytes = size_t{64} << 20;

// Reads a trace file record by record, handing each to `each`: memory stays one line's, however
// long the trace. Blank lines are skipped; anything else that is not a well-formed record
// (unknown key, wrong type, unknown kind, a line over kMaxTraceLineBytes) throws
// TraceFormatError.
void read_trace_jsonl(std::istream& in, const std::string& file_name,
                      const std::function<void(const TraceRecord&)>& each);

// Reads a whole trace file into memory, as above.
std::vector<TraceRecord> read_trace_jsonl(std::istream& in, const std::string& file_name);

// Parses a `kind` string ("clock-jump"); false if it names no kind.
bool parse_trace_kind(std::string_view text, sim::TraceKind& out);

}  // namespace faultline::reports
