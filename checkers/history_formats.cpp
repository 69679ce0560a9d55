#include "checkers/history_formats.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

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

// ---- JSON Lines -------------------------------------------------------------------------------

History parse_jsonl(std::string_view text, std::string source) {
  History h;
  h.source = std::move(source);
  std::optional<bool> timed;  // do lines carry "time"? decided by the first operation
  std::int64_t position = 0;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (blank(line)) return;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw InputError(h.source, n, "a JSON object", line);
    auto field = [&](const char* name) -> const json* {
      auto it = j.find(name);
      return it == j.end() ? nullptr : &*it;
    };
    const json* process = field("process");
    const json* type = field("type");
    const json* f = field("f");
    if (process == nullptr) throw InputError(h.source, n, "a \"process\" field", line);
    if (type == nullptr || !type->is_string() || !parse_type(type->get<std::string>())) {
      throw InputError(h.source, n, "\"type\": invoke, ok, fail or info",
                       type ? type->dump() : "no type");
    }
    if (f == nullptr || !f->is_string()) {
      throw InputError(h.source, n, "\"f\": a string", f ? f->dump() : "no f");
    }
    if (const json* index = field("index"); index != nullptr && !index->is_number_integer()) {
      throw InputError(h.source, n, "\"index\": an integer", index->dump());
    }
    const json* time = field("time");
    if (!timed) timed = time != nullptr;
    if (*timed != (time != nullptr)) {
      throw InputError(h.source, n, "\"time\" on every operation or on none",
                       time ? "a time after operations without one" : "no time");
    }
    if (time != nullptr && !time->is_number_integer()) {
      throw InputError(h.source, n, "\"time\": integer nanoseconds", time->dump());
    }
    ++position;
    if (process->is_string()) return;  // the nemesis and other non-client processes
    if (!process->is_number_integer()) {
      throw InputError(h.source, n, "\"process\": an integer", process->dump());
    }
    Operation op;
    op.process = process->get<std::int64_t>();
    op.type = *parse_type(type->get<std::string>());
    op.f = f->get<std::string>();
    if (!op.f.empty() && op.f.front() == ':') op.f.erase(0, 1);
    if (const json* value = field("value")) op.value = *value;
    op.time_ns = time ? time->get<std::int64_t>() : position;
    op.line = n;
    h.ops.push_back(std::move(op));
  });
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

// ---- EDN kv logs ------------------------------------------------------------------------------

// Just enough EDN for flat maps of keywords to nil, integers, strings and keywords.
class EdnLine {
 public:
  EdnLine(std::string_view line, const std::string& source, std::size_t n)
      : s_(line), source_(source), n_(n) {}

  json parse_map() {
    json out = json::object();
    skip();
    expect('{');
    for (;;) {
      skip();
      if (peek() == '}') break;
      std::string key = keyword();
      skip();
      out[key] = value();
    }
    ++pos_;
    skip();
    if (pos_ != s_.size()) fail("end of line after the map", s_.substr(pos_));
    return out;
  }

 private:
  [[noreturn]] void fail(std::string_view expected, std::string_view got) const {
    throw InputError(source_, n_, expected, got.empty() ? "end of line" : got);
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip() {
    while (pos_ < s_.size() &&
           (std::isspace(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == ',')) {
      ++pos_;
    }
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("'") + c + "'", s_.substr(pos_, 20));
    ++pos_;
  }
  std::string keyword() {
    if (peek() != ':') fail("a :keyword", s_.substr(pos_, 20));
    std::size_t start = ++pos_;
    while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_])) &&
           s_[pos_] != ',' && s_[pos_] != '}') {
      ++pos_;
    }
    if (pos_ == start) fail("a :keyword", s_.substr(pos_, 20));
    return std::string(s_.substr(start, pos_ - start));
  }
  json value() {
    char c = peek();
    if (c == ':') return json(":" + keyword());
    if (c == '"') {
      std::string out;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        out += s_[pos_++];
      }
      expect('"');
      return json(out);
    }
    std::size_t start = pos_;
    while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_])) &&
           s_[pos_] != ',' && s_[pos_] != '}') {
      ++pos_;
    }
    std::string_view token = s_.substr(start, pos_ - start);
    if (token == "nil") return json(nullptr);
    if (auto v = parse_int(token)) return json(*v);
    fail("nil, an integer, a string or a :keyword", token);
  }

  std::string_view s_;
  const std::string& source_;
  std::size_t n_;
  std::size_t pos_ = 0;
};

History parse_kv_edn(std::string_view text, std::string source) {
  History h;
  h.source = std::move(source);
  std::int64_t position = 0;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (blank(line)) return;
    json m = EdnLine(line, h.source, n).parse_map();
    auto get = [&](const char* key) -> const json& {
      auto it = m.find(key);
      if (it == m.end()) throw InputError(h.source, n, std::string(":") + key, line);
      return *it;
    };
    const json& process = get("process");
    const json& type = get("type");
    const json& f = get("f");
    ++position;
    if (process.is_string()) return;  // :nemesis
    if (!process.is_number_integer()) {
      throw InputError(h.source, n, ":process an integer", process.dump());
    }
    if (!type.is_string() || !parse_type(type.get<std::string>())) {
      throw InputError(h.source, n, ":type :invoke, :ok, :fail or :info", type.dump());
    }
    if (!f.is_string() || f.get<std::string>().size() < 2) {
      throw InputError(h.source, n, ":f a keyword", f.dump());
    }
    Operation op;
    op.process = process.get<std::int64_t>();
    op.type = *parse_type(type.get<std::string>());
    op.f = f.get<std::string>().substr(1);
    auto value = m.find("value");
    op.value = json::array({get("key"), value == m.end() ? json(nullptr) : *value});
    op.time_ns = position;
    op.line = n;
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
    case HistoryFormat::kv_edn:
      return "kv-edn";
  }
  return "?";
}

std::optional<HistoryFormat> parse_history_format(std::string_view name) {
  for (auto f : {HistoryFormat::automatic, HistoryFormat::jsonl, HistoryFormat::etcd,
                 HistoryFormat::kv_edn}) {
    if (name == to_string(f)) return f;
  }
  return std::nullopt;
}

HistoryFormat detect_history_format(std::string_view text, std::string_view source) {
  std::optional<HistoryFormat> found;
  std::size_t first = 0;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (found || first != 0 || blank(line)) return;
    first = n;
    if (line.find("jepsen.util - ") != std::string_view::npos) {
      found = HistoryFormat::etcd;
      return;
    }
    std::size_t start = line.find_first_not_of(" \t");
    if (line[start] != '{') return;
    std::size_t next = line.find_first_not_of(" \t", start + 1);
    found = next != std::string_view::npos && line[next] == ':' ? HistoryFormat::kv_edn
                                                                : HistoryFormat::jsonl;
  });
  if (found) return *found;
  if (first == 0) return HistoryFormat::jsonl;  // empty: every format reads it as no operations
  std::string_view line = text;
  for (std::size_t i = 1; i < first; ++i) line = line.substr(line.find('\n') + 1);
  throw InputError(source, first, "a JSON Lines, Jepsen etcd or EDN kv history",
                   line.substr(0, line.find('\n')));
}

History parse_history(std::string_view text, std::string source, HistoryFormat format) {
  if (format == HistoryFormat::automatic) format = detect_history_format(text, source);
  switch (format) {
    case HistoryFormat::etcd:
      return parse_etcd(text, std::move(source));
    case HistoryFormat::kv_edn:
      return parse_kv_edn(text, std::move(source));
    case HistoryFormat::jsonl:
    case HistoryFormat::automatic:
      break;
  }
  return parse_jsonl(text, std::move(source));
}

History read_history_file(const std::string& path, HistoryFormat format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "a readable history file", std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_history(buffer.str(), path, format);
}

}  // namespace faultline::checkers
