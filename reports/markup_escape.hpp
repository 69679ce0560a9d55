#pragma once
// Text made safe for HTML and XML, the one escaping every markup output uses (the HTML report,
// the JUnit XML of explore and merge): inside elements and in single- or double-quoted
// attributes. What either language forbids cannot pass through: a C0 control other than tab,
// newline and carriage return becomes '?', and bytes that are not UTF-8 become U+FFFD, so that a
// run's error message quoting anything still leaves a well-formed document.

#include <string>
#include <string_view>

namespace faultline::reports {

std::string markup_escape(std::string_view text);

}  // namespace faultline::reports
