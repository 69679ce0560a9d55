#include "reports/text_width.hpp"

#include <algorithm>

namespace faultline::reports {

namespace {

// Helvetica advance widths in thousandths of an em for ' ' (32) to '~' (126), from Adobe's AFM.
constexpr int kHelvetica[95] = {
    278,  278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278,  // ' '..'/'
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // '0'..'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // '@'..'O'
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // 'P'..'_'
    222,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // '`'..'o'
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,       // 'p'..'~'
};
constexpr int kOtherCharacter = 1000;

constexpr double kPointsPerInch = 72;
constexpr double kMarginX = 0.06 * kPointsPerInch;  // each side, as the diagram's node default
constexpr double kMarginY = 0.02 * kPointsPerInch;
constexpr double kMinWidth = 0.75 * kPointsPerInch;  // Graphviz's default node width
constexpr double kMinHeight = 0.22 * kPointsPerInch;
constexpr double kLineSpacing = 1.2;  // Graphviz's line height in font sizes

// How much bigger than its label's box Graphviz draws a shape (measured with Graphviz 2.42: an
// ellipse by √2, a hexagon by 1/cos(30°)·√2, an octagon likewise; boxes, notes and cds as is).
double shape_scale(std::string_view shape) {
  if (shape == "ellipse") return 1.42;
  if (shape == "hexagon") return 1.64;
  if (shape == "octagon") return 1.54;
  return 1;
}

}  // namespace

double text_width(std::string_view line, double font_size) {
  int thousandths = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c >= 32 && c <= 126) {
      thousandths += kHelvetica[c - 32];
    } else if ((c & 0xC0) != 0x80 && c >= 0x80) {  // a sequence's lead byte; continuations add 0
      thousandths += kOtherCharacter;
    }
  }
  return thousandths * font_size / 1000;
}

NodeSize node_size(const std::string& label, double font_size, std::string_view shape) {
  if (shape == "point") return {0.08 * kPointsPerInch, 0.08 * kPointsPerInch};
  double widest = 0;
  size_t lines = 0;
  for (size_t begin = 0; begin <= label.size(); ++lines) {
    const size_t end = std::min(label.find('\n', begin), label.size());
    widest =
        std::max(widest, text_width(std::string_view(label).substr(begin, end - begin), font_size));
    begin = end + 1;
  }
  const double scale = shape_scale(shape);
  return {std::max(kMinWidth, (widest + 2 * kMarginX) * scale),
          std::max(kMinHeight, (lines * font_size * kLineSpacing + 2 * kMarginY) * scale)};
}

}  // namespace faultline::reports
