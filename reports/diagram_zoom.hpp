#pragma once
// The space-time diagram's zoom in the HTML report. A diagram wider than the page's column opens
// scaled to fit it (down to half size), so that every lifeline and the violation at the bottom
// right are in view at once; "actual size" shows it as drawn, scrolled sideways to the violation.
// A diagram scaled below half would be unreadable, so one that wide opens at actual size, at the
// violation. Inline style and script: the report fetches nothing.

#include <ostream>
#include <string_view>

namespace faultline::reports {

// CSS for the toolbar and the scaled diagram.
std::string_view diagram_zoom_style();

// The toolbar, written just before the diagram's box (id "diagram"), hidden until the script
// finds the diagram wider than its box.
void write_diagram_zoom_toolbar(std::ostream& out);

// The script, written after the box. It finds the violation through the story's link to it.
void write_diagram_zoom_script(std::ostream& out);

}  // namespace faultline::reports
