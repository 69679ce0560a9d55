#include "reports/diagram_zoom.hpp"

namespace faultline::reports {

namespace {

constexpr const char* kStyle = R"(
.diagram-zoom { display: flex; gap: 0.4em; align-items: center; margin: 0.3em 0; }
.diagram-zoom[hidden] { display: none; }
.diagram-zoom button { font: inherit; font-size: 12px; padding: 0.15em 0.7em; cursor: pointer;
                       border: 1px solid #d0d7de; border-radius: 6px; background: #f6f8fa; }
.diagram-zoom button[aria-pressed="true"] { background: #dbe9f6; border-color: #0969da; }
.diagram svg.fit { width: 100%; height: auto; }
)";

constexpr const char* kScript = R"JS(
(() => {
  const box = document.getElementById('diagram');
  const svg = box && box.querySelector('svg');
  const tools = document.getElementById('diagram-zoom');
  if (!svg || !tools) return;
  const kSmallest = 0.5;  // below this a fitted diagram's text is too small to read
  const fitButton = document.getElementById('diagram-fit');
  const fullButton = document.getElementById('diagram-full');
  const scale = document.getElementById('diagram-scale');
  // Graphviz gives the size in points; the page lays out in CSS pixels.
  const natural = parseFloat(svg.getAttribute('width')) * 96 / 72;
  const link = document.querySelector('#story li.violation a[href^="#ev_"]');
  const violation = link && document.getElementById(link.getAttribute('href').slice(1));
  const room = () => {
    const style = getComputedStyle(box);
    return box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };
  function show(fit) {
    svg.classList.toggle('fit', fit);
    fitButton.setAttribute('aria-pressed', String(fit));
    fullButton.setAttribute('aria-pressed', String(!fit));
    scale.textContent = fit ? Math.round(100 * room() / natural) + '% of actual size' : '';
    if (fit || !violation) return;
    // Sideways only: the page itself stays where the reader is.
    const outer = box.getBoundingClientRect(), inner = violation.getBoundingClientRect();
    box.scrollLeft += inner.left - outer.left - (outer.width - inner.width) / 2;
  }
  if (natural <= room()) return;  // it fits as drawn: no zoom to offer
  tools.hidden = false;
  fitButton.addEventListener('click', () => show(true));
  fullButton.addEventListener('click', () => show(false));
  show(room() / natural >= kSmallest);
})();
)JS";

}  // namespace

std::string_view diagram_zoom_style() {
  return kStyle;
}

void write_diagram_zoom_toolbar(std::ostream& out) {
  out << "<div class=\"diagram-zoom\" id=\"diagram-zoom\" hidden>"
         "<button type=\"button\" id=\"diagram-fit\">fit to width</button>"
         "<button type=\"button\" id=\"diagram-full\">actual size</button>"
         "<span class=\"muted\" id=\"diagram-scale\"></span></div>\n";
}

void write_diagram_zoom_script(std::ostream& out) {
  out << "<script>" << kScript << "</script>\n";
}

}  // namespace faultline::reports
