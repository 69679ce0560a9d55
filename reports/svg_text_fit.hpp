#pragma once
// Text that keeps to the width its box was made for, in any font. Graphviz sizes every box from
// Helvetica's metrics (text_width.hpp), but a browser draws "Helvetica" with whatever it has:
// on a Linux machine without Helvetica or a metric-compatible font, DejaVu Sans, about a tenth
// wider, and labels run past their boxes. Each text element of the SVG is given that width as its
// `textLength` (with lengthAdjust="spacingAndGlyphs"), so every viewer draws it exactly as wide
// as the layout assumed: slightly narrowed in a wider font, never past its outline.

#include <string>

namespace faultline::reports {

// `svg` with textLength set on every <text> element that has a font-size and non-blank content.
std::string fit_svg_text(const std::string& svg);

}  // namespace faultline::reports
