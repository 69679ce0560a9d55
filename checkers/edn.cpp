#include "checkers/edn.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "checkers/input_error.hpp"

namespace faultline::checkers {
namespace {

using nlohmann::json;

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',';
}

bool ends_token(char c) {
  return is_blank(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' ||
         c == '"' || c == ';';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if ((c & 0xe0) == 0xc0) {
      extra = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}

void EdnReader::fail(std::string_view expected, std::string_view got) const {
  throw InputError(source_, line_, expected, got.empty() ? "end of file" : got);
}

void EdnReader::skip_blanks() {
  while (pos_ < s_.size()) {
    char c = s_[pos_];
    if (c == '\n') ++line_;
    if (is_blank(c)) {
      ++pos_;
    } else if (c == ';') {
      while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
    } else {
      return;
    }
  }
}

bool EdnReader::at_end() {
  for (;;) {
    skip_blanks();
    if (pos_ + 1 < s_.size() && s_[pos_] == '#' && s_[pos_ + 1] == '_') {
      pos_ += 2;
      read_value(0);  // a discarded form
      continue;
    }
    return pos_ == s_.size();
  }
}

std::string_view EdnReader::token() {
  std::size_t start = pos_;
  while (pos_ < s_.size() && !ends_token(s_[pos_])) ++pos_;
  return s_.substr(start, pos_ - start);
}

json EdnReader::number(std::string_view t) {
  std::string_view digits = t;
  if (!digits.empty() && (digits.back() == 'N' || digits.back() == 'M')) digits.remove_suffix(1);
  std::string_view unsigned_part = digits;
  if (!unsigned_part.empty() && unsigned_part.front() == '+') unsigned_part.remove_prefix(1);
  bool integral = t.back() != 'M' && digits.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    std::int64_t v = 0;
    auto [end, ec] =
        std::from_chars(unsigned_part.data(), unsigned_part.data() + unsigned_part.size(), v);
    if (ec == std::errc() && end == unsigned_part.data() + unsigned_part.size()) return json(v);
    std::uint64_t u = 0;
    auto [uend, uec] =
        std::from_chars(unsigned_part.data(), unsigned_part.data() + unsigned_part.size(), u);
    if (uec == std::errc() && uend == unsigned_part.data() + unsigned_part.size()) return json(u);
    if (ec == std::errc::result_out_of_range || uec == std::errc::result_out_of_range) {
      fail("an integer within 64 bits", t);
    }
    fail("a number", t);
  }
  double d = 0;
  auto [end, ec] =
      std::from_chars(unsigned_part.data(), unsigned_part.data() + unsigned_part.size(), d);
  if (ec != std::errc() || end != unsigned_part.data() + unsigned_part.size() ||
      !std::isfinite(d)) {
    fail("a finite number", t);
  }
  return json(d);
}

std::string EdnReader::read_string() {
  std::string out;
  ++pos_;  // the opening quote
  for (;;) {
    if (pos_ >= s_.size()) fail("a closing '\"'", "");
    char c = s_[pos_++];
    if (c == '"') break;
    if (c == '\n') ++line_;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (pos_ >= s_.size()) fail("a closing '\"'", "");
    char e = s_[pos_++];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        std::uint32_t cp = 0;
        auto hex = s_.substr(pos_, 4);
        auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
        if (hex.size() != 4 || ec != std::errc() || end != hex.data() + 4 ||
            (cp >= 0xd800 && cp <= 0xdfff)) {
          fail("\\u and four hex digits (not a surrogate)", s_.substr(pos_ - 2, 6));
        }
        pos_ += 4;
        append_utf8(out, cp);
        break;
      }
      default:
        out += e;  // \" \\ and any other escaped character stand for themselves
    }
  }
  if (!valid_utf8(out)) fail("a string of valid UTF-8", "invalid UTF-8 bytes");
  return out;
}

json EdnReader::read_sequence(char close, int depth) {
  json out = json::array();
  std::size_t opened = line_;  // an unclosed form is reported where it begins
  for (;;) {
    if (at_end()) throw InputError(source_, opened, std::string("'") + close + "'", "end of file");
    if (peek() == close) {
      ++pos_;
      return out;
    }
    out.push_back(read_value(depth + 1));
  }
}

json EdnReader::read_map(int depth) {
  json out = json::object();
  std::size_t opened = line_;
  for (;;) {
    if (at_end()) throw InputError(source_, opened, "'}'", "end of file");
    if (peek() == '}') {
      ++pos_;
      return out;
    }
    json key = read_value(depth + 1);
    if (at_end() || peek() == '}') fail("a value after the map key " + key.dump(), "'}'");
    json value = read_value(depth + 1);
    out[key.is_string() ? key.get<std::string>() : key.dump()] = std::move(value);
  }
}

json EdnReader::read_value(int depth) {
  if (depth > kMaxValueDepth) {
    fail("values nested at most " + std::to_string(kMaxValueDepth) + " deep", "deeper nesting");
  }
  if (at_end()) fail("a value", "");
  char c = peek();
  switch (c) {
    case '[':
      ++pos_;
      return read_sequence(']', depth);
    case '(':
      ++pos_;
      return read_sequence(')', depth);
    case '{':
      ++pos_;
      return read_map(depth);
    case '"':
      return read_string();
    case ']':
    case ')':
    case '}':
      fail("a value", std::string(1, c));
    case '#': {
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] == '{') {
        ++pos_;
        json set = read_sequence('}', depth);
        std::vector<std::pair<std::string, json>> items;
        for (json& v : set) items.emplace_back(v.dump(), std::move(v));
        std::sort(items.begin(), items.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        json sorted = json::array();
        for (auto& item : items) sorted.push_back(std::move(item.second));
        return sorted;
      }
      std::string_view tag = token();
      if (tag.empty()) fail("a tag, #{ or #_ after '#'", s_.substr(pos_, 20));
      return read_value(depth + 1);  // #jepsen.history.Op{...}, #inst "...": the value itself
    }
    case '\\': {
      ++pos_;
      std::string_view name = token();
      if (name.empty() && pos_ < s_.size()) name = s_.substr(pos_++, 1);  // \( \[ \" ...
      if (name == "newline") return json("\n");
      if (name == "space") return json(" ");
      if (name == "tab") return json("\t");
      if (name == "return") return json("\r");
      if (!valid_utf8(name)) fail("a character of valid UTF-8", "invalid UTF-8 bytes");
      return json(std::string(name));
    }
    default:
      break;
  }
  std::string_view t = token();
  if (t.empty()) fail("a value", s_.substr(pos_, 20));
  if (!valid_utf8(t)) fail("a symbol or keyword of valid UTF-8", "invalid UTF-8 bytes");
  bool numeric = (t[0] >= '0' && t[0] <= '9') ||
                 ((t[0] == '-' || t[0] == '+') && t.size() > 1 && t[1] >= '0' && t[1] <= '9');
  if (numeric) return number(t);
  if (t == "nil") return json(nullptr);
  if (t == "true") return json(true);
  if (t == "false") return json(false);
  if (t[0] == ':' && t.size() == 1) fail("a keyword name after ':'", t);
  return json(std::string(t));  // a :keyword keeps its colon; a symbol is its name
}

}  // namespace faultline::checkers
