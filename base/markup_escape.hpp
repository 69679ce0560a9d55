#pragma once
// Text made safe for HTML and XML, the one escaping every markup output uses (the HTML report,
// the linearizability picture of checkers/, the JUnit XML of explore and merge): inside elements
// and in single- or double-quoted attributes. What either language forbids cannot pass through: a
// C0 control other than tab, newline and carriage return becomes '?', and bytes that are not UTF-8
// become U+FFFD, so that a run's error message quoting anything still leaves a well-formed
// document.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace faultline {

namespace markup_detail {

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// The length of the well-formed UTF-8 sequence at `at` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when the byte there starts none.
inline size_t utf8_sequence(std::string_view text, size_t at, uint32_t& code_point) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  size_t length = 0;
  uint32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, min = 0x80, code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, min = 0x800, code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, min = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(at + i) & 0x3F);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  return code_point < min || surrogate || code_point > 0x10FFFF ? 0 : length;
}

}  // namespace markup_detail

inline std::string markup_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const char c = text[at];
    uint32_t code_point = 0;
    const size_t length = markup_detail::utf8_sequence(text, at, code_point);
    if (length == 0) {
      out += markup_detail::kReplacement;
      ++at;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";  // &apos; is XML's and HTML5's, not HTML 4's; a reference is all three's
        break;
      default:
        if (code_point < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';  // XML 1.0 allows no other C0 control, not even as a reference
        } else if (code_point == 0xFFFE || code_point == 0xFFFF) {
          out += markup_detail::kReplacement;  // not XML characters either
        } else {
          out.append(text.substr(at, length));
        }
    }
    at += length;
  }
  return out;
}

}  // namespace faultline
