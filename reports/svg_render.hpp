#pragma once
// Renders DOT to SVG in-process with libgvc (Graphviz's library), so a run needs no `dot` binary
// and no temporary files. The DOT itself is written and tested as text (spacetime_diagram.hpp);
// this is the thin step after it.

#include <stdexcept>
#include <string>

namespace faultline::reports {

class RenderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Lays out `dot` with the engine its graph names in `layout` ("nop2": the positions given), else
// with "dot", and returns the SVG document, its text held to the widths the layout assumed
// (svg_text_fit.hpp). Throws RenderError with Graphviz's own message on a
// syntax error, or if the layout/renderer plugins cannot be found.
// Thread-safe: libgvc keeps global state, so calls are serialised.
std::string render_svg(const std::string& dot);

}  // namespace faultline::reports
