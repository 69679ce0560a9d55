#include "reports/trace_jsonl.hpp"

#include <array>
#include <cstdio>
#include <limits>

#include "base/hash.hpp"

namespace faultline::reports {

namespace {

using nlohmann::json;

// Every kind, in enum order: kIntervalEnd is the last enumerator.
constexpr size_t kKindCount = static_cast<size_t>(sim::TraceKind::kIntervalEnd) + 1;

std::string node_name(sim::NodeId id, const std::vector<std::string>* names) {
  if (id == sim::kNoNode) return {};
  if (names != nullptr && id < names->size()) return (*names)[id];
  return "#" + std::to_string(id);
}

// A JSON string literal. Invalid UTF-8 (a node's free text) becomes U+FFFD instead of throwing:
// a trace must never abort the run it describes.
void append_string(std::string& out, std::string_view text) {
  // Fast path for the common case (names, message types): printable ASCII needing no escapes.
  bool plain = true;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += '"';
    out += text;
    out += '"';
  } else {
    out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

void append_key(std::string& out, const char* key) {
  out += ",\"";
  out += key;
  out += "\":";
}

// Shows the offending value in an error message: compact, one line, at most ~60 characters.
std::string shown(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string shown_line(const std::string& line) {
  std::string text;
  for (char c : line.substr(0, 60)) {
    text += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  }
  if (line.size() > 60) text += "...";
  return text;
}

class LineReader {
 public:
  LineReader(const std::string& file, size_t line) : file_(file), line_(line) {}

  [[noreturn]] void fail(const std::string& expected, const std::string& got) const {
    throw TraceFormatError(file_ + ":" + std::to_string(line_) + ": expected " + expected +
                           ", got " + got);
  }

  uint64_t unsigned_field(const json& value, const char* key) const {
    if (!value.is_number_unsigned()) {
      fail(std::string("\"") + key + "\" to be a non-negative integer", shown(value));
    }
    return value.get<uint64_t>();
  }

  int64_t ns_field(const json& value, const char* key) const {
    const bool fits = value.is_number_integer() &&
                      (!value.is_number_unsigned() ||
                       value.get<uint64_t>() <= uint64_t(std::numeric_limits<int64_t>::max()));
    if (!fits)
      fail(std::string("\"") + key + "\" to be an integer count of nanoseconds", shown(value));
    return value.get<int64_t>();
  }

  std::string string_field(const json& value, const char* key) const {
    if (!value.is_string()) fail(std::string("\"") + key + "\" to be a string", shown(value));
    return value.get<std::string>();
  }

 private:
  const std::string& file_;
  size_t line_;
};

std::string kind_list() {
  std::string list;
  for (size_t k = 0; k < kKindCount; ++k) {
    list += (k ? ", " : "") + std::string(sim::to_string(static_cast<sim::TraceKind>(k)));
  }
  return list;
}

TraceRecord parse_record(const json& object, const LineReader& reader) {
  TraceRecord r;
  bool has_index = false, has_time = false, has_kind = false;
  for (const auto& [key, value] : object.items()) {
    if (key == "i") {
      r.index = reader.unsigned_field(value, "i");
      has_index = true;
    } else if (key == "t") {
      r.at_ns = reader.ns_field(value, "t");
      has_time = true;
    } else if (key == "kind") {
      const std::string text = reader.string_field(value, "kind");
      if (!parse_trace_kind(text, r.kind)) {
        reader.fail("\"kind\" to be one of " + kind_list(), shown(value));
      }
      has_kind = true;
    } else if (key == "node") {
      r.node = reader.string_field(value, "node");
    } else if (key == "local") {
      r.local_ns = reader.ns_field(value, "local");
    } else if (key == "wall") {
      r.wall_ns = reader.ns_field(value, "wall");
    } else if (key == "lamport") {
      r.lamport = reader.unsigned_field(value, "lamport");
    } else if (key == "peer") {
      r.peer = reader.string_field(value, "peer");
    } else if (key == "msg") {
      r.message_id = reader.unsigned_field(value, "msg");
    } else if (key == "call") {
      r.call_id = reader.unsigned_field(value, "call");
    } else if (key == "timer") {
      r.timer = reader.unsigned_field(value, "timer");
    } else if (key == "deadline") {
      r.deadline_ns = reader.ns_field(value, "deadline");
    } else if (key == "detail") {
      r.detail = reader.string_field(value, "detail");
    } else if (key == "data") {
      r.data = value;
    } else {
      reader.fail(
          "one of the keys i, t, kind, node, local, wall, lamport, peer, msg, call, timer, "
          "deadline, detail, data",
          shown(json(key)));
    }
  }
  if (!has_index) reader.fail("key \"i\" (event index)", "a record without it");
  if (!has_time) reader.fail("key \"t\" (true time in ns)", "a record without it");
  if (!has_kind) reader.fail("key \"kind\"", "a record without it");
  return r;
}

}  // namespace

bool parse_trace_kind(std::string_view text, sim::TraceKind& out) {
  for (size_t k = 0; k < kKindCount; ++k) {
    if (sim::to_string(static_cast<sim::TraceKind>(k)) == text) {
      out = static_cast<sim::TraceKind>(k);
      return true;
    }
  }
  return false;
}

TraceRecord make_trace_record(const sim::TraceEvent& event,
                              const std::vector<std::string>* node_names) {
  TraceRecord r;
  r.index = event.index;
  r.at_ns = event.at.ns();
  r.kind = event.kind;
  r.node = node_name(event.node, node_names);
  if (!r.node.empty()) {
    r.local_ns = event.local.ns();
    r.wall_ns = event.wall.ns();
  }
  r.lamport = event.lamport;
  r.peer = node_name(event.peer, node_names);
  r.message_id = event.message_id;
  r.call_id = event.call_id;
  r.timer = event.timer;
  if (event.kind == sim::TraceKind::kTimerSet) r.deadline_ns = event.deadline.ns();
  r.detail = event.detail;
  r.data = event.data;
  return r;
}

namespace {

// The fields of one line, borrowed either from a TraceRecord or straight from a TraceEvent (the
// writer's path: no record is built, so tracing a long run copies no payloads).
struct LineFields {
  uint64_t index;
  int64_t at_ns;
  sim::TraceKind kind;
  std::string_view node;
  int64_t local_ns;
  int64_t wall_ns;
  uint64_t lamport;
  std::string_view peer;
  uint64_t message_id;
  uint64_t call_id;
  uint64_t timer;
  int64_t deadline_ns;
  std::string_view detail;
  const json& data;
};

void append_line(std::string& line, const LineFields& r) {
  line += "{\"i\":";
  line += std::to_string(r.index);
  append_key(line, "t");
  line += std::to_string(r.at_ns);
  append_key(line, "kind");
  line += '"';
  line += sim::to_string(r.kind);
  line += '"';
  // Clocks belong to a node: world events (partition, heal) have none.
  if (!r.node.empty()) {
    append_key(line, "node");
    append_string(line, r.node);
    append_key(line, "local");
    line += std::to_string(r.local_ns);
    append_key(line, "wall");
    line += std::to_string(r.wall_ns);
  }
  if (r.lamport != 0) {
    append_key(line, "lamport");
    line += std::to_string(r.lamport);
  }
  if (!r.peer.empty()) {
    append_key(line, "peer");
    append_string(line, r.peer);
  }
  if (r.message_id != 0) {
    append_key(line, "msg");
    line += std::to_string(r.message_id);
  }
  if (r.call_id != 0) {
    append_key(line, "call");
    line += std::to_string(r.call_id);
  }
  if (r.timer != 0) {
    append_key(line, "timer");
    line += std::to_string(r.timer);
  }
  // A deadline belongs to the arming of a timer; zero is a deadline like any other.
  if (r.kind == sim::TraceKind::kTimerSet) {
    append_key(line, "deadline");
    line += std::to_string(r.deadline_ns);
  }
  if (!r.detail.empty()) {
    append_key(line, "detail");
    append_string(line, r.detail);
  }
  // nlohmann's objects are std::maps (sorted keys) and its number formatting is its own, not the
  // C library's: the dump is the same bytes for every compiler and standard library.
  if (!r.data.is_null()) {
    append_key(line, "data");
    line += r.data.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  line += '}';
}

}  // namespace

std::string format_trace_line(const TraceRecord& r) {
  std::string line;
  append_line(line, {r.index, r.at_ns, r.kind, r.node, r.local_ns, r.wall_ns, r.lamport, r.peer,
                     r.message_id, r.call_id, r.timer, r.deadline_ns, r.detail, r.data});
  return line;
}

std::string format_trace_hash(uint64_t hash) {
  std::array<char, 17> text{};
  std::snprintf(text.data(), text.size(), "%016llx", static_cast<unsigned long long>(hash));
  return std::string(text.data(), 16);
}

JsonlTraceWriter::JsonlTraceWriter(std::ostream& out, const std::vector<std::string>* node_names)
    : out_(out), node_names_(node_names), hash_(kFnvOffset) {}

void JsonlTraceWriter::record(const sim::TraceEvent& event) {
  const bool has_node = event.node != sim::kNoNode;
  node_ = node_name(event.node, node_names_);
  peer_ = node_name(event.peer, node_names_);
  line_.clear();
  append_line(
      line_, {event.index, event.at.ns(), event.kind, node_, has_node ? event.local.ns() : 0,
              has_node ? event.wall.ns() : 0, event.lamport, peer_, event.message_id, event.call_id,
              event.timer, event.deadline.ns(), event.detail, event.data});
  line_ += '\n';
  hash_ = fnv1a(line_, hash_);
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  ++lines_;
  bytes_ += line_.size();
}

void TraceBuffer::record(const sim::TraceEvent& event) {
  records_.push_back(make_trace_record(event, node_names_));
}

namespace {

// One line into `line`, without its end; false at the end of the input. A line longer than
// kMaxTraceLineBytes fails rather than filling memory (a trace given /dev/zero).
bool read_bounded_line(std::istream& in, std::string& line, const std::string& file_name,
                       size_t number) {
  line.clear();
  std::streambuf* buffer = in.rdbuf();
  if (!buffer) return false;
  for (;;) {
    const int c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) return !line.empty();
    if (c == '\n') return true;
    if (line.size() == kMaxTraceLineBytes) {
      LineReader(file_name, number)
          .fail("a line of at most " + std::to_string(kMaxTraceLineBytes >> 20) + " MiB",
                "a longer one");
    }
    line.push_back(static_cast<char>(c));
  }
}

}  // namespace

void read_trace_jsonl(std::istream& in, const std::string& file_name,
                      const std::function<void(const TraceRecord&)>& each) {
  std::string line;
  for (size_t number = 1; read_bounded_line(in, line, file_name, number); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const LineReader reader(file_name, number);
    json object;
    try {
      object = json::parse(line);
    } catch (const json::parse_error& e) {
      reader.fail("a JSON object",
                  "invalid JSON at byte " + std::to_string(e.byte) + " in " + shown_line(line));
    } catch (const json::out_of_range&) {
      // out_of_range.406: a number such as 1E400 that no double holds.
      reader.fail("a JSON object with numbers a double can hold", shown_line(line));
    }
    if (!object.is_object()) reader.fail("a JSON object", shown(object));
    each(parse_record(object, reader));
  }
}

std::vector<TraceRecord> read_trace_jsonl(std::istream& in, const std::string& file_name) {
  std::vector<TraceRecord> records;
  read_trace_jsonl(in, file_name, [&](const TraceRecord& r) { records.push_back(r); });
  return records;
}

}  // namespace faultline::reports
