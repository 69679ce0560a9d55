#pragma once
// What a diagram writes on a message: its type and the fields that tell the story
// (`AppendEntries term=3 prev_log_index=4 leader_commit=4 entries=[2]`, `Vote granted=true`,
// `Write token=1`), taken from the payload the send record carries. Scalars are shown as they
// are (long strings shortened), arrays by their length, objects not at all; the whole label is
// kept within a width so that a column of the diagram stays readable. Shared by the DOT and the
// Mermaid diagrams.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::reports {

// The message's `type`, or "message" when the payload has none.
std::string message_type(const nlohmann::json& payload);

// `type field=value ...` in the payload's key order (sorted), at most `width` bytes (cut at a
// field's end, then "…"). An integer field named `*_ns` is a duration: `retry_after=1.955174964s`.
std::string message_label(const nlohmann::json& payload, size_t width = 56);

}  // namespace faultline::reports
