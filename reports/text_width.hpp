#pragma once
// How big Graphviz draws a node's label, known before Graphviz sees it: the space-time diagram
// places every node itself (spacetime_diagram.cpp), so it must know how wide each column and how
// tall each row will be. The in-process renderer has no text-layout plugin (svg_render.cpp), so
// Graphviz sizes labels from Helvetica's standard (AFM) advance widths; so does this estimate.

#include <string>
#include <string_view>

namespace faultline::reports {

// Width in points of one line of text in Helvetica at `font_size` points. ASCII characters use
// their AFM advance widths; any other character (UTF-8 sequence) one em, a little more than the
// arrows and symbols the diagram uses.
double text_width(std::string_view line, double font_size);

// The size in points of a node of `shape` ("box", "ellipse", "hexagon", ...) holding `label`
// (lines separated by '\n') at `font_size`, with the diagram's node margins (0.06 by 0.02 inches)
// and Graphviz's minimum width (0.75 inches) and the diagram's minimum height (0.22 inches).
struct NodeSize {
  double width = 0;
  double height = 0;
};
NodeSize node_size(const std::string& label, double font_size, std::string_view shape = "box");

}  // namespace faultline::reports
