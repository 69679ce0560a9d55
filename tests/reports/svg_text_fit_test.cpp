// Text held to the width the layout gave it: every viewer draws a label as wide as its box was
// made for, whatever font stands in for Helvetica.
#include "reports/svg_text_fit.hpp"

#include <cstdio>
#include <string>

#include <doctest/doctest.h>

#include "reports/svg_render.hpp"
#include "reports/text_width.hpp"

using namespace faultline::reports;

namespace {

std::string length_of(const std::string& text, double font_size) {
  char out[32];
  std::snprintf(out, sizeof out, "%.2f", text_width(text, font_size));
  return out;
}

}  // namespace

TEST_CASE("each text element gets the width its font size and decoded text have in Helvetica") {
  const std::string svg =
      "<svg><g><text text-anchor=\"middle\" x=\"1\" y=\"2\" font-size=\"9.00\">Write token=1 "
      "&#45;&gt; &quot;file&quot; &amp; more</text>\n"
      "<text x=\"0\" y=\"0\" font-size=\"11.00\">→ lock</text></g></svg>";
  const std::string fitted = fit_svg_text(svg);
  CHECK(fitted ==
        "<svg><g><text text-anchor=\"middle\" x=\"1\" y=\"2\" font-size=\"9.00\" textLength=\"" +
            length_of("Write token=1 -> \"file\" & more", 9) +
            "\" lengthAdjust=\"spacingAndGlyphs\">Write token=1 &#45;&gt; &quot;file&quot; &amp; "
            "more</text>\n<text x=\"0\" y=\"0\" font-size=\"11.00\" textLength=\"" +
            length_of("→ lock", 11) +
            "\" lengthAdjust=\"spacingAndGlyphs\">→ lock</text></g></svg>");
}

TEST_CASE("text without a font size, blank text and text with markup inside are left as they are") {
  const std::string svg =
      "<svg><text x=\"0\">a</text><text font-size=\"9\"> </text>"
      "<text font-size=\"9\">a<tspan>b</tspan></text><text font-size=\"9\" "
      "textLength=\"3\">c</text></svg>";
  CHECK(fit_svg_text(svg) == svg);
  CHECK(fit_svg_text("") == "");
  CHECK(fit_svg_text("<text font-size=\"9\">unclosed") == "<text font-size=\"9\">unclosed");
}

TEST_CASE("a rendered diagram's every label carries its width") {
  const std::string svg = render_svg(
      "digraph g { node [fontname=\"Helvetica\", fontsize=9, shape=box]; "
      "a [label=\"Granted token=2 → client2\"]; b [label=\"x\"]; a -> b; }");
  auto count = [&](const std::string& part) {
    size_t n = 0;
    for (size_t at = svg.find(part); at != std::string::npos; at = svg.find(part, at + 1)) ++n;
    return n;
  };
  const size_t texts = count("<text "), fitted = count(" textLength=\"");
  CHECK(texts >= 2);
  CHECK(fitted == texts);
  CHECK(svg.find("textLength=\"" + length_of("Granted token=2 → client2", 9) + "\"") !=
        std::string::npos);
}
