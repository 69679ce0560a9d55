#include "reports/svg_text_fit.hpp"

#include <charconv>
#include <cstdio>
#include <string_view>

#include "reports/text_width.hpp"

namespace faultline::reports {

namespace {

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// The text an XML character-data run stands for: the entities Graphviz writes (&amp; &lt; &gt;
// &quot; &#39; &#NNN; &#xHH;) decoded, so that it is measured as drawn.
std::string unescaped(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t end = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (end == std::string_view::npos) {
      out += text[i];
      continue;
    }
    const std::string_view entity = text.substr(i + 1, end - i - 1);
    unsigned long code = 0;
    if (entity == "amp") {
      code = '&';
    } else if (entity == "lt") {
      code = '<';
    } else if (entity == "gt") {
      code = '>';
    } else if (entity == "quot") {
      code = '"';
    } else if (entity == "apos") {
      code = '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
    }
    if (code == 0) {  // not an entity we know: as written
      out += text[i];
      continue;
    }
    append_utf8(out, code);
    i = end;
  }
  return out;
}

// The value of attribute `name` in a start tag, or "" when it has none.
std::string_view attribute(std::string_view tag, std::string_view name) {
  const std::string key = " " + std::string(name) + "=\"";
  const size_t at = tag.find(key);
  if (at == std::string_view::npos) return {};
  const size_t begin = at + key.size();
  const size_t end = tag.find('"', begin);
  return end == std::string_view::npos ? std::string_view() : tag.substr(begin, end - begin);
}

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

std::string fit_svg_text(const std::string& svg) {
  std::string out;
  out.reserve(svg.size() + svg.size() / 8);
  size_t from = 0;
  while (true) {
    const size_t open = svg.find("<text ", from);
    const size_t tag_end = open == std::string::npos ? open : svg.find('>', open);
    const size_t close = tag_end == std::string::npos ? tag_end : svg.find("</text>", tag_end);
    if (close == std::string::npos) break;
    const std::string_view tag(svg.data() + open, tag_end - open);
    const std::string_view content(svg.data() + tag_end + 1, close - tag_end - 1);
    double font_size = 0;
    const std::string_view size = attribute(tag, "font-size");
    std::from_chars(size.data(), size.data() + size.size(), font_size);
    out.append(svg, from, tag_end - from);
    if (font_size > 0 && !blank(content) && attribute(tag, "textLength").empty() &&
        content.find('<') == std::string_view::npos) {
      char length[32];
      std::snprintf(length, sizeof length, "%.2f", text_width(unescaped(content), font_size));
      out += " textLength=\"";
      out += length;
      out += "\" lengthAdjust=\"spacingAndGlyphs\"";
    }
    from = tag_end;
  }
  out.append(svg, from, std::string::npos);
  return out;
}

}  // namespace faultline::reports
