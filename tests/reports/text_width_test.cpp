#include "reports/text_width.hpp"

#include <doctest/doctest.h>

using namespace faultline::reports;

TEST_CASE("text widths are Helvetica's AFM advance widths, as Graphviz's built-in metrics") {
  // Measured with Graphviz 2.42 without a text-layout plugin: 10 × 'a' at 10pt is 55.6pt wide.
  CHECK(text_width("aaaaaaaaaa", 10) == doctest::Approx(55.6));
  CHECK(text_width("WWWWWWWWWW", 10) == doctest::Approx(94.4));
  CHECK(text_width("il", 9) == doctest::Approx(0.444 * 9));
  CHECK(text_width("", 9) == 0);
  // Any other character is one em, however many bytes its UTF-8 takes: Graphviz's widest
  // estimate of the diagram's symbols ("→", "✗", "…") is about 1.1 em, its typical 0.83.
  CHECK(text_width("→", 10) == doctest::Approx(10));
  CHECK(text_width("a → b", 9) == doctest::Approx((0.556 * 2 + 0.278 * 2 + 1) * 9));
}

TEST_CASE("node sizes add the diagram's margins, lines and shape to the text") {
  // One line of 40 × 'a' at 9pt in a box: 200.16pt of text and 0.06in margins each side.
  const NodeSize box = node_size(std::string(40, 'a'), 9);
  CHECK(box.width == doctest::Approx(200.16 + 8.64));
  CHECK(box.height == doctest::Approx(15.84));  // the minimum: 10.8pt of text
  // Short labels are as wide as Graphviz's default node, 0.75in.
  CHECK(node_size("a", 9).width == doctest::Approx(54));
  // Four lines are four line heights tall; a hexagon is larger than its box.
  const NodeSize four = node_size("aaaaaaaaaaaaaaaaaaaa\na\na\na", 9);
  CHECK(four.height == doctest::Approx(4 * 10.8 + 2.88));
  CHECK(node_size("aaaaaaaaaaaaaaaaaaaa\na\na\na", 9, "hexagon").width > four.width * 1.6);
  CHECK(node_size("", 9, "point").width == doctest::Approx(5.76));
}
