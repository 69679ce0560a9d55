#pragma once
// The run as a ShiViz log (https://bestchai.bitbucket.io/shiviz/): every event of every node with
// its vector clock, which ShiViz lays out as a space-time diagram a person can filter by node,
// collapse and search, and on which it shows which events could have influenced which. The
// file starts with its own parsing expression, so it opens as it is: ShiViz's "upload a file".
//
// Each node counts its own events from 1; a delivery takes the sender's clock at the send, so
// ShiViz draws the message. World events (partitions, heals, network changes, lost messages) are
// events of a host named "world"; a violation is one too, after every event of the nodes it
// involves.
// Timer bookkeeping (armed, cancelled) and the configuration record are left out: a timer's
// firing is the event.

#include <ostream>
#include <vector>

#include "base/finding.hpp"
#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

// The host of events that belong to no node.
inline constexpr const char* kShivizWorldHost = "world";

// ShiViz's parsing expression, the file's first line: a line "TIME EVENT", then "HOST CLOCK".
inline constexpr const char* kShivizRegex =
    R"((?<time>\S+) (?<event>.*)\n(?<host>\S*) (?<clock>{.*}))";

// `violations` places each violation's record after the events of the nodes it involves (a
// record it does not name is placed after nothing but the world's own events).
void write_shiviz_log(std::ostream& out, const std::vector<TraceRecord>& records,
                      const std::vector<Finding>& violations);

}  // namespace faultline::reports
