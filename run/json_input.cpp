#include "run/json_input.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "protocols/params.hpp"

namespace faultline::run {

using protocols::ScenarioError;

namespace {

// A bound broken while parsing, where (a field path) and how.
struct BoundBroken {
  std::string path;
  std::string expected;
  std::string got;
};

std::string join(const std::string& field, const std::string& path) {
  if (field.empty()) return path;
  if (path.empty()) return field;
  return field + (path.front() == '[' ? "" : ".") + path;
}

// Follows the parser through the document: the path of the container being read (for errors),
// its depth, and the keys each open object has seen.
class BoundsWatch {
 public:
  bool operator()(int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        if (static_cast<size_t>(depth) >= kMaxJsonDepth) {
          throw BoundBroken{
              child_path(),
              "at most " + std::to_string(kMaxJsonDepth) + " levels of nested arrays and objects",
              "deeper nesting"};
        }
        frames_.push_back(Frame{event == Event::object_start, child_path(), 0, {}, ""});
        break;
      case Event::key: {
        Frame& top = frames_.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second) {
          throw BoundBroken{child_path(), "each key once in an object",
                            "a second \"" + top.key + "\""};
        }
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        next_element();
        break;
      case Event::value:
        next_element();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool object;
    std::string path;
    size_t index;  // in an array: of the element being read
    std::set<std::string> keys;
    std::string key;  // in an object: of the value being read
  };

  std::string child_path() const {
    if (frames_.empty()) return "";
    const Frame& top = frames_.back();
    if (top.object) return top.path.empty() ? top.key : top.path + "." + top.key;
    return top.path + "[" + std::to_string(top.index) + "]";
  }
  void next_element() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }

  std::vector<Frame> frames_;
};

// "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> from "at line" on.
std::string parser_message(const nlohmann::json::exception& e) {
  std::string what = e.what();
  size_t at = what.find("at line");
  if (at != std::string::npos) return "a syntax error " + what.substr(at);
  size_t close = what.find("] ");
  return close == std::string::npos ? what : what.substr(close + 2);
}

}  // namespace

std::ifstream open_input_file(const std::string& file, const std::string& what) {
  std::error_code error;
  std::filesystem::file_status status = std::filesystem::status(file, error);
  if (error || !std::filesystem::exists(status)) {
    throw ScenarioError(file, "", what, "no such file");
  }
  if (std::filesystem::is_directory(status)) throw ScenarioError(file, "", what, "a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScenarioError(file, "", what, "a file that cannot be read");
  return in;
}

std::string read_input_file(const std::string& file, const std::string& what) {
  std::ifstream in = open_input_file(file, what);
  std::string text;
  char buffer[65536];
  // Read to the bound, not to the end: /dev/zero or a FIFO has no end.
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes) {
      throw ScenarioError(
          file, "", what + " of at most " + std::to_string(kMaxInputBytes >> 20) + " MiB", "more");
    }
  }
  if (in.bad()) throw ScenarioError(file, "", what, "a file that cannot be read");
  return text;
}

namespace {

// Parses within the bounds; a syntax error is std::nullopt when `syntax_error_is_no_json`.
std::optional<nlohmann::json> parse_bounded(const std::string& text, const std::string& file,
                                            const std::string& field,
                                            bool syntax_error_is_no_json) {
  try {
    BoundsWatch watch;
    return nlohmann::json::parse(text, std::ref(watch));
  } catch (const BoundBroken& broken) {
    throw ScenarioError(file, join(field, broken.path), broken.expected, broken.got);
  } catch (const nlohmann::json::parse_error& e) {
    if (syntax_error_is_no_json) return std::nullopt;
    throw ScenarioError(file, field, "valid JSON (UTF-8)", parser_message(e));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range.406: a number such as 1e400 that no double holds.
    throw ScenarioError(file, field, "a number a double can hold", parser_message(e));
  }
}

}  // namespace

std::optional<nlohmann::json> parse_json_if_json(const std::string& text, const std::string& file,
                                                 const std::string& field) {
  return parse_bounded(text, file, field, true);
}

nlohmann::json parse_json(const std::string& text, const std::string& file,
                          const std::string& field) {
  return *parse_bounded(text, file, field, false);
}

nlohmann::json read_json_file(const std::string& file, const std::string& what) {
  return parse_json(read_input_file(file, what), file, "");
}

namespace {

// Length of the UTF-8 sequence at `s[i]`, or 0 when it is not well-formed (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF).
size_t utf8_sequence(const std::string& s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char second = byte(i + 1);
  if (c == 0xE0 && second < 0xA0) return 0;  // overlong
  if (c == 0xED && second > 0x9F) return 0;  // surrogate
  if (c == 0xF0 && second < 0x90) return 0;  // overlong
  if (c == 0xF4 && second > 0x8F) return 0;  // above U+10FFFF
  return n;
}

}  // namespace

void require_utf8(const std::string& text, const std::string& file, const std::string& field) {
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_sequence(text, i);
    if (n == 0) {
      throw ScenarioError(file, field, "UTF-8 text",
                          "an invalid byte at offset " + std::to_string(i));
    }
    i += n;
  }
}

}  // namespace faultline::run
