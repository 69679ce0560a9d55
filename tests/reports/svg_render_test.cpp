#include "reports/svg_render.hpp"

#include <sstream>

#include <doctest/doctest.h>

#include "reports/spacetime_diagram.hpp"

using namespace faultline;
using namespace faultline::reports;

TEST_CASE("render_svg lays out DOT in-process and returns an SVG document") {
  const std::string svg = render_svg("digraph g { a -> b; }");
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("</svg>") != std::string::npos);
  // The same DOT gives the same bytes: the layout uses built-in font metrics.
  CHECK(render_svg("digraph g { a -> b; }") == svg);
}

TEST_CASE("render_svg renders a space-time diagram with its labels") {
  std::vector<TraceRecord> records(2);
  records[0].kind = sim::TraceKind::kSend;
  records[0].node = "client1";
  records[0].peer = "lock";
  records[0].message_id = 1;
  records[0].data = {{"type", "Acquire"}};
  records[1].index = 1;
  records[1].at_ns = 2000000;
  records[1].kind = sim::TraceKind::kDeliver;
  records[1].node = "lock";
  records[1].peer = "client1";
  records[1].message_id = 1;
  records[1].data = {{"type", "Acquire"}};
  std::ostringstream dot;
  write_spacetime_dot(dot, records, DiagramFocus{});
  const std::string svg = render_svg(dot.str());
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find(">client1</text>") != std::string::npos);
  CHECK(svg.find("Acquire → lock") != std::string::npos);
}

TEST_CASE("render_svg reports a DOT syntax error with Graphviz's message") {
  std::string error;
  try {
    render_svg("digraph g { a -> ; }");
  } catch (const RenderError& e) {
    error = e.what();
  }
  CHECK(error.rfind("Graphviz: could not parse the DOT text: ", 0) == 0);
  CHECK(error.find("syntax error") != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
  // The library is usable again after an error.
  CHECK(render_svg("digraph { x }").find("<svg") != std::string::npos);
}
