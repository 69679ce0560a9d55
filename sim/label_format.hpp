#pragma once
// The small language in which a message type declares what a diagram writes on it
// (`static constexpr const char* kLabel`, sim/payload.hpp). A label is read from the message's
// JSON rendering, the only form a trace read from a file has, so a format names JSON fields:
//
//   text             written as it is (any character but `{`, `}`)
//   {term}           a field's value: a string as it is, a number, true/false, an array as
//                    `[length]`, null as `-`; an integer field named `*_ns` as a duration (`1.5s`)
//   {command.op}     a nested field (a number between dots indexes an array: `{entries.0.term}`)
//   {#entries}       the length of an array, object or string
//   {prev_log_index+1}, {prev_log_index+#entries}
//                    integer arithmetic: two operands (field, `#field` or a number) and + or -
//   {granted?yes:no} a choice on one expression: its truthy branch (true, a number other than 0,
//                    a non-empty string, array or object) or the other (`:no` may be left out);
//                    each branch is a format itself: `{#entries?i{prev_log_index+1}:heartbeat}`
//
// No other code. A format that does not fit a payload (a field missing, arithmetic on what is
// not an integer, `#` of a number) is not used for it (reports/label_format.hpp). A malformed
// format is a compile error where the type is first made a Payload (`valid_label_format`).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace faultline::sim::label_format {

// One operand of an expression: a field, the length of one (`#field`), or a number.
struct Operand {
  enum class Kind { kNone, kField, kLength, kNumber };
  Kind kind = Kind::kNone;
  std::string_view path;  // kField, kLength: dotted names
  int64_t number = 0;     // kNumber
};

// One piece of a format, as next_piece reads it.
struct Piece {
  enum class Kind { kText, kValue, kChoice, kError };
  Kind kind = Kind::kText;
  std::string_view text;  // kText: the text; kError: what is wrong
  Operand left;
  char op = 0;  // '+', '-', or 0: `left` alone
  Operand right;
  std::string_view then_format;  // kChoice: the branches, formats themselves
  std::string_view else_format;
};

namespace detail {

constexpr bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

constexpr bool digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A field, `#field` or a number; kNone when `text` is none of them.
constexpr Operand operand(std::string_view text) {
  Operand result;
  if (digits(text)) {
    result.kind = Operand::Kind::kNumber;
    for (char c : text) result.number = result.number * 10 + (c - '0');
    return result;
  }
  const bool length = !text.empty() && text[0] == '#';
  if (length) text.remove_prefix(1);
  if (text.empty() || text.front() == '.' || text.back() == '.') return result;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!name_char(text[i]) && !(text[i] == '.' && text[i + 1] != '.')) return result;
  }
  result.kind = length ? Operand::Kind::kLength : Operand::Kind::kField;
  result.path = text;
  return result;
}

// Where the brace group opening at `open` closes, or npos.
constexpr size_t closing(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

constexpr Piece error(const char* what) {
  Piece piece;
  piece.kind = Piece::Kind::kError;
  piece.text = what;
  return piece;
}

}  // namespace detail

// Reads the piece at the start of `rest` (not empty) and moves `rest` past it.
constexpr Piece next_piece(std::string_view& rest) {
  Piece piece;
  if (rest[0] == '}') return detail::error("a `}` without its `{`");
  if (rest[0] != '{') {
    size_t end = 0;
    while (end < rest.size() && rest[end] != '{' && rest[end] != '}') ++end;
    piece.text = rest.substr(0, end);
    rest.remove_prefix(end);
    return piece;
  }
  const size_t close = detail::closing(rest, 0);
  if (close == std::string_view::npos) return detail::error("a `{` without its `}`");
  std::string_view inside = rest.substr(1, close - 1);
  rest.remove_prefix(close + 1);
  // The expression ends at the choice's `?`, if any.
  size_t question = 0;
  while (question < inside.size() && inside[question] != '?' && inside[question] != '{') {
    ++question;
  }
  std::string_view expression = inside.substr(0, question);
  piece.kind = Piece::Kind::kValue;
  if (question < inside.size()) {
    if (inside[question] != '?') return detail::error("a `{` inside an expression");
    piece.kind = Piece::Kind::kChoice;
    std::string_view branches = inside.substr(question + 1);
    // The truthy branch ends at the first `:` outside its own braces.
    size_t colon = 0;
    int depth = 0;
    for (; colon < branches.size(); ++colon) {
      const char c = branches[colon];
      if (c == '{') ++depth;
      if (c == '}') --depth;
      if (c == ':' && depth == 0) break;
    }
    piece.then_format = branches.substr(0, colon);
    if (colon < branches.size()) piece.else_format = branches.substr(colon + 1);
  }
  size_t op = 1;  // an operator after the first character: `#` and digits cannot hold one
  while (op < expression.size() && expression[op] != '+' && expression[op] != '-') ++op;
  piece.left = detail::operand(expression.substr(0, std::min(op, expression.size())));
  if (op < expression.size()) {
    piece.op = expression[op];
    piece.right = detail::operand(expression.substr(op + 1));
    if (piece.right.kind == Operand::Kind::kNone)
      return detail::error("a bad operand after + or -");
  }
  if (piece.left.kind == Operand::Kind::kNone) {
    return detail::error("an expression that is not a field, #field or number");
  }
  return piece;
}

// What is wrong with `format`, or an empty view when it is well-formed (branches too).
constexpr std::string_view format_error(std::string_view format) {
  while (!format.empty()) {
    const Piece piece = next_piece(format);
    if (piece.kind == Piece::Kind::kError) return piece.text;
    if (piece.kind == Piece::Kind::kChoice) {
      for (std::string_view branch : {piece.then_format, piece.else_format}) {
        const std::string_view inner = format_error(branch);
        if (!inner.empty()) return inner;
      }
    }
  }
  return {};
}

constexpr bool valid_label_format(std::string_view format) {
  return format_error(format).empty();
}

}  // namespace faultline::sim::label_format
