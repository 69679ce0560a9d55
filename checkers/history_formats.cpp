#include "checkers/history_formats.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <vector>

#include "checkers/edn.hpp"
#include "checkers/input_error.hpp"

namespace faultline::checkers {
namespace {

using nlohmann::json;

// Splits text into lines, remembering 1-based numbers; a trailing \r is dropped.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  std::size_t line_no = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, line_no);
  }
}

bool blank(std::string_view line) {
  for (char c : line) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<OpType> parse_type(std::string_view s) {
  if (!s.empty() && s.front() == ':') s.remove_prefix(1);
  if (s == "invoke") return OpType::invoke;
  if (s == "ok") return OpType::ok;
  if (s == "fail") return OpType::fail;
  if (s == "info") return OpType::info;
  return std::nullopt;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// ---- Operation records: JSON Lines objects and EDN maps -----------------------------------------

// Turns records - a JSON object per line, or an EDN map - into operations. Both formats carry the
// same fields (Jepsen's): process, type, f, value, and optionally time, index and key (Porcupine's
// kv logs give the key apart: the value becomes [key, value]). EDN names them :process...
class RecordReader {
 public:
  RecordReader(History& h, bool edn) : h_(h), edn_(edn) {}

  void add(const json& record, std::size_t n, std::string_view text) {
    if (!record.is_object()) {
      throw InputError(h_.source, n, edn_ ? "an operation map {:process ...}" : "a JSON object",
                       text);
    }
    auto field = [&](const char* name) -> const json* {
      auto it = record.find(edn_ ? std::string(":") + name : std::string(name));
      return it == record.end() ? nullptr : &*it;
    };
    const json* process = field("process");
    if (process == nullptr) throw InputError(h_.source, n, "a " + name("process") + " field", text);
    const json* time = field("time");
    if (!timed_) {
      timed_ = time != nullptr;
      h_.timed = *timed_;
    }
    if (*timed_ != (time != nullptr)) {
      throw InputError(h_.source, n, name("time") + " on every operation or on none",
                       time ? "a time after operations without one" : "no time");
    }
    ++position_;
    // The nemesis and any other process that is not a client: a name, not a number. Jepsen
    // writes its operations with whatever fields it likes, so nothing else of them is read.
    if (process->is_string()) return;
    const json* type = field("type");
    const json* f = field("f");
    std::optional<std::int64_t> pid = json_int64(*process);
    if (!pid) {
      throw InputError(h_.source, n,
                       expect("process", std::string("an integer, or a name like ") +
                                             (edn_ ? ":nemesis" : "\"nemesis\"")),
                       process->dump());
    }
    if (type == nullptr || !type->is_string() || !parse_type(type->get<std::string>())) {
      throw InputError(
          h_.source, n,
          expect("type", edn_ ? ":invoke, :ok, :fail or :info" : "invoke, ok, fail or info"),
          type ? type->dump() : "no type");
    }
    if (f == nullptr || !f->is_string() || f->get<std::string>().empty() ||
        f->get<std::string>() == ":") {
      throw InputError(h_.source, n, expect("f", edn_ ? "a keyword like :read" : "a string"),
                       f ? f->dump() : "no f");
    }
    if (const json* index = field("index"); index != nullptr && !json_int64(*index)) {
      throw InputError(h_.source, n, expect("index", "an integer"), index->dump());
    }
    std::optional<std::int64_t> ns = time ? json_int64(*time) : std::optional(position_);
    if (!ns) throw InputError(h_.source, n, expect("time", "integer nanoseconds"), time->dump());
    // A run's history names each process's client. Jepsen's EDN :node is the database node the
    // client talks to, which is not who the process is: only JSON lines are read for it.
    if (const json* node = field("node"); node != nullptr && !edn_) name_process(*pid, *node, n);
    Operation op;
    op.process = *pid;
    op.type = *parse_type(type->get<std::string>());
    op.f = f->get<std::string>();
    if (op.f.front() == ':') op.f.erase(0, 1);
    if (const json* value = field("value")) op.value = *value;
    if (const json* key = field("key")) op.value = json::array({*key, std::move(op.value)});
    op.time_ns = *ns;
    op.line = n;
    h_.ops.push_back(std::move(op));
  }

 private:
  // A process keeps one name for the whole history: a second one is a mix-up of two runs.
  void name_process(std::int64_t pid, const json& node, std::size_t n) {
    if (!node.is_string() || node.get<std::string>().empty()) {
      throw InputError(h_.source, n, expect("node", "a node name like \"client1\""), node.dump());
    }
    auto [it, added] = h_.process_names.emplace(pid, node.get<std::string>());
    if (!added && it->second != node.get<std::string>()) {
      throw InputError(h_.source, n,
                       expect("node", "\"" + it->second + "\", the name process " +
                                          std::to_string(pid) + " has on earlier lines"),
                       node.dump());
    }
  }

  std::string name(const char* field) const {
    return edn_ ? std::string(":") + field : "\"" + std::string(field) + "\"";
  }
  // ":type :invoke, ..." in EDN, "\"type\": invoke, ..." in JSON.
  std::string expect(const char* field, const std::string& what) const {
    return name(field) + (edn_ ? " " : ": ") + what;
  }

  History& h_;
  bool edn_;
  std::optional<bool> timed_;  // do records carry a time? decided by the first one
  std::int64_t position_ = 0;  // record number: the time of records without one
};

// Deepest nesting of [ and { in a JSON text, outside strings: checked before parsing, so that a
// line nested a hundred thousand deep is an error and not a stack overflow when its value is
// copied or destroyed.
int json_depth(std::string_view line) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

History parse_jsonl(std::string_view text, std::string source) {
  History h;
  h.source = std::move(source);
  RecordReader records(h, /*edn=*/false);
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (blank(line)) return;
    if (json_depth(line) > kMaxValueDepth) {
      throw InputError(h.source, n,
                       "values nested at most " + std::to_string(kMaxValueDepth) + " deep",
                       "deeper nesting");
    }
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      throw InputError(h.source, n,
                       valid_utf8(line) ? "a JSON object" : "a JSON object in valid UTF-8", line);
    }
    records.add(j, n, line);
  });
  return h;
}

// ---- Jepsen EDN: a vector of operation maps (Knossos), or one map per line (Jepsen) -----------

History parse_edn(std::string_view text, std::string source) {
  History h;
  h.source = std::move(source);
  RecordReader records(h, /*edn=*/true);
  EdnReader reader(text, h.source);
  bool vector = !reader.at_end() && reader.peek() == '[';
  std::size_t opened = reader.line();  // an unclosed vector is reported where it begins
  if (vector) reader.consume();
  for (;;) {
    if (reader.at_end()) {
      if (vector) throw InputError(h.source, opened, "']' closing the history", "end of file");
      break;
    }
    if (vector && reader.peek() == ']') {
      reader.consume();
      if (!reader.at_end()) {
        throw InputError(h.source, reader.line(), "the end of the file after the history's ']'",
                         reader.rest());
      }
      break;
    }
    std::size_t n = reader.line();
    json record = reader.read();
    records.add(record, n, record.dump().substr(0, 120));
  }
  return h;
}

// ---- Jepsen 2014 etcd logs --------------------------------------------------------------------

// `[3 4]`, `nil`, `4`; nullopt otherwise.
std::optional<json> parse_etcd_value(std::string_view s) {
  if (s == "nil") return json(nullptr);
  if (auto v = parse_int(s)) return json(*v);
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
    std::string_view inner = s.substr(1, s.size() - 2);
    std::size_t space = inner.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    auto a = parse_int(inner.substr(0, space));
    auto b = parse_int(inner.substr(space + 1));
    if (!a || !b) return std::nullopt;
    return json::array({*a, *b});
  }
  return std::nullopt;
}

History parse_etcd(std::string_view text, std::string source) {
  History h;
  h.source = std::move(source);
  constexpr std::string_view kMarker = "jepsen.util - ";
  std::int64_t position = 0;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    std::size_t at = line.find(kMarker);
    if (at == std::string_view::npos) return;  // other loggers' lines
    std::string_view rest = line.substr(at + kMarker.size());
    // Fields are separated by tabs (or runs of spaces in hand-edited logs); the value is the
    // remainder, which may contain a space ("[3 4]").
    std::vector<std::string_view> fields;
    while (fields.size() < 3) {
      std::size_t start = rest.find_first_not_of(" \t");
      if (start == std::string_view::npos) break;
      rest.remove_prefix(start);
      std::size_t end = rest.find_first_of(" \t");
      fields.push_back(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    }
    std::size_t vstart = rest.find_first_not_of(" \t");
    std::string_view value = vstart == std::string_view::npos ? "" : rest.substr(vstart);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (fields.size() < 3) throw InputError(h.source, n, "PROCESS :TYPE :F VALUE", rest);
    ++position;
    if (!fields[0].empty() && fields[0].front() == ':') return;  // :nemesis
    auto process = parse_int(fields[0]);
    if (!process) throw InputError(h.source, n, "an integer process", fields[0]);
    auto type = parse_type(fields[1]);
    if (!type || fields[1].front() != ':') {
      throw InputError(h.source, n, ":invoke, :ok, :fail or :info", fields[1]);
    }
    std::string_view f = fields[2];
    if (f != ":read" && f != ":write" && f != ":cas") {
      throw InputError(h.source, n, ":read, :write or :cas", f);
    }
    Operation op;
    op.process = *process;
    op.type = *type;
    op.f = std::string(f.substr(1));
    op.time_ns = position;
    op.line = n;
    if (value == ":timed-out" && (op.type == OpType::info || op.type == OpType::fail)) {
      // Unknown outcome (info), or a read that timed out: it may or may not have happened and
      // observed nothing, so it is dropped.
    } else if (auto v = parse_etcd_value(value)) {
      op.value = *v;
    } else {
      throw InputError(h.source, n, "nil, an integer, [old new] or :timed-out", value);
    }
    if (op.f == "cas" && op.type == OpType::fail && value != ":timed-out") {
      // etcd's cas failed because it saw another value: it happened, and returned false.
      op.type = OpType::ok;
      op.value = false;
    }
    h.ops.push_back(std::move(op));
  });
  return h;
}

}  // namespace

const char* to_string(HistoryFormat format) {
  switch (format) {
    case HistoryFormat::automatic:
      return "auto";
    case HistoryFormat::jsonl:
      return "jsonl";
    case HistoryFormat::etcd:
      return "etcd";
    case HistoryFormat::edn:
      return "edn";
  }
  return "?";
}

std::optional<HistoryFormat> parse_history_format(std::string_view name) {
  if (name == "kv-edn") return HistoryFormat::edn;  // the name before EDN was read in full
  for (auto f :
       {HistoryFormat::automatic, HistoryFormat::jsonl, HistoryFormat::etcd, HistoryFormat::edn}) {
    if (name == to_string(f)) return f;
  }
  return std::nullopt;
}

HistoryFormat detect_history_format(std::string_view text, std::string_view source) {
  // The first character that is not blank and not in an EDN comment line decides, with a look
  // at what follows a '{': a JSON object's first key is a string, an EDN map's a keyword.
  std::size_t line_no = 1;
  std::size_t i = 0;
  auto skip = [&] {
    while (i < text.size()) {
      char c = text[i];
      if (c == '\n') ++line_no;
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
        ++i;
      } else if (c == ';') {
        while (i < text.size() && text[i] != '\n') ++i;
      } else {
        break;
      }
    }
  };
  skip();
  if (i == text.size()) return HistoryFormat::jsonl;  // empty: every format reads no operations
  std::size_t start = i;
  std::size_t first_line = line_no;
  std::string_view line = text.substr(
      text.rfind('\n', start) == std::string_view::npos ? 0 : text.rfind('\n', start) + 1);
  line = line.substr(0, line.find('\n'));
  if (line.find("jepsen.util - ") != std::string_view::npos) return HistoryFormat::etcd;
  char c = text[start];
  if (c == '[' || c == '#' || c == '(') return HistoryFormat::edn;
  if (c == '{') {
    ++i;
    skip();
    if (i == text.size() || text[i] == ':' || text[i] == '}') return HistoryFormat::edn;
    if (text[i] == '"') return HistoryFormat::jsonl;
  }
  throw InputError(source, first_line,
                   "a history: JSON Lines ({\"process\": ...}), Jepsen EDN ({:process ...} or "
                   "[{:process ...} ...]) or a Jepsen etcd log",
                   line);
}

History parse_history(std::string_view text, std::string source, HistoryFormat format) {
  if (format == HistoryFormat::automatic) format = detect_history_format(text, source);
  switch (format) {
    case HistoryFormat::etcd:
      return parse_etcd(text, std::move(source));
    case HistoryFormat::edn:
      return parse_edn(text, std::move(source));
    case HistoryFormat::jsonl:
    case HistoryFormat::automatic:
      break;
  }
  return parse_jsonl(text, std::move(source));
}

History read_history_file(const std::string& path, HistoryFormat format) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path, 0, "a history file", "a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "a readable history file", std::strerror(errno));
  std::string text;
  char block[1 << 16];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    if (text.size() + static_cast<std::size_t>(in.gcount()) > kMaxHistoryBytes) {
      throw InputError(path, 0,
                       "a history of at most " + std::to_string(kMaxHistoryBytes >> 20) + " MiB",
                       "a larger file");
    }
    text.append(block, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw InputError(path, 0, "a readable history file", std::strerror(errno));
  return parse_history(text, path, format);
}

void write_history_jsonl(std::ostream& out, const History& history,
                         const std::function<std::string(std::int64_t)>& node) {
  std::size_t index = 0;
  for (const Operation& op : history.ops) {
    // An ordered object, so that the fields read in the order the format's description gives.
    nlohmann::ordered_json line;
    line["index"] = index++;
    line["process"] = op.process;
    if (node) line["node"] = node(op.process);
    line["type"] = to_string(op.type);
    line["f"] = op.f;
    line["value"] = op.value;
    if (history.timed) line["time"] = op.time_ns;
    // Invalid UTF-8 in a value (a history read from a file) is written replaced, not thrown.
    out << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  }
}

}  // namespace faultline::checkers
