#include "checkers/history_timeline.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "base/format_ns.hpp"

namespace faultline::checkers {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string label_of(const CallReturn& c) {
  std::string s = c.f + "(" + (c.input.is_null() ? "" : c.input.dump()) + ")";
  if (c.output_known && !c.output.is_null() && c.output != c.input) s += " -> " + c.output.dump();
  if (!c.output_known) s += " -> ?";
  return s;
}

}  // namespace

void write_history_timeline(std::ostream& out, const std::vector<CallReturn>& calls,
                            const CheckResult& result, const std::string& title) {
  // Rows: one per process, in numeric order. x: event order, not raw time, so that dense and
  // sparse stretches of a history are equally readable; "never returned" bars run to the edge.
  std::map<std::int64_t, int> rows;
  std::vector<std::int64_t> times;
  for (const CallReturn& c : calls) {
    rows.emplace(c.process, 0);
    times.push_back(c.call);
    if (c.ret != kNever) times.push_back(c.ret);
  }
  int row = 0;
  for (auto& [process, r] : rows) r = row++;
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  auto x_of = [&](std::int64_t t) {
    if (t == kNever) return 0.0;
    auto it = std::lower_bound(times.begin(), times.end(), t);
    return 120.0 + 14.0 * static_cast<double>(it - times.begin());
  };
  const double width = 120.0 + 14.0 * static_cast<double>(times.size() + 4);
  const double row_height = 34;
  const double height = 40 + row_height * static_cast<double>(rows.size());

  // Position in the linearization (1-based) and descriptions from the checker, by call id.
  std::map<std::size_t, std::size_t> position;
  std::map<std::size_t, std::string> described;
  std::optional<std::size_t> broken;
  if (result.explanation) {
    for (std::size_t i = 0; i < result.explanation->prefix.size(); ++i) {
      position[result.explanation->prefix[i].id] = i + 1;
      described[result.explanation->prefix[i].id] = result.explanation->prefix[i].description;
    }
    if (result.explanation->unplaceable) {
      broken = result.explanation->unplaceable->id;
      described[*broken] = result.explanation->unplaceable->description;
    }
  } else {
    for (const auto& order : result.linearizations) {
      for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i + 1;
    }
  }

  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" << escape(title)
      << "</title>\n<style>\nbody{font:13px sans-serif;margin:16px}\n"
         ".op{fill:#cfe3f7;stroke:#4a7fb5}.lin{fill:#bfe6c3;stroke:#3c8d48}"
         ".broken{fill:#f6b5b5;stroke:#c0392b;stroke-width:2}.open{fill:#eee;stroke:#999;"
         "stroke-dasharray:4 2}\ntext{font:11px monospace}.row{font:12px sans-serif}\n"
         "</style></head><body>\n<h3>"
      << escape(title) << ": " << to_string(result.verdict) << " (" << escape(result.model)
      << ")</h3>\n<p>Bars run from invoke to return; green bars are in the linearization the "
         "checker found, numbered in its order";
  if (broken) out << "; the red bar is the operation that cannot be placed after them";
  out << ". Hover a bar for details.</p>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
      << width << "\" height=\"" << height << "\">\n";
  for (const auto& [process, r] : rows) {
    double y = 30 + row_height * r;
    out << "<text class=\"row\" x=\"4\" y=\"" << y + 16 << "\">process " << process
        << "</text>\n<line x1=\"110\" x2=\"" << width << "\" y1=\"" << y + 24 << "\" y2=\""
        << y + 24 << "\" stroke=\"#eee\"/>\n";
  }
  for (const CallReturn& c : calls) {
    double y = 30 + row_height * rows[c.process];
    double x0 = x_of(c.call);
    double x1 = c.ret == kNever ? width - 10 : x_of(c.ret);
    std::string cls = "op";
    if (c.ret == kNever) cls = "open";
    auto pos = position.find(c.id);
    if (pos != position.end()) cls = "lin";
    if (broken && *broken == c.id) cls = "broken";
    std::string text = described.count(c.id) ? described[c.id] : label_of(c);
    out << "<g><title>" << escape(text) << " | process " << c.process << ", lines " << c.call_line
        << "-" << (c.ret == kNever ? std::string("never") : std::to_string(c.ret_line))
        << (pos != position.end() ? ", linearized #" + std::to_string(pos->second) : "")
        << "</title><rect class=\"" << cls << "\" x=\"" << x0 << "\" y=\"" << y << "\" width=\""
        << std::max(6.0, x1 - x0) << "\" height=\"20\" rx=\"3\"/><text x=\"" << x0 + 3 << "\" y=\""
        << y + 14 << "\">" << (pos != position.end() ? std::to_string(pos->second) + ". " : "")
        << escape(text.size() > 28 ? text.substr(0, 27) + "…" : text) << "</text></g>\n";
  }
  out << "</svg>\n</body></html>\n";
}

}  // namespace faultline::checkers
