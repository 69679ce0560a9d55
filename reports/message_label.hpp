#pragma once
// What a diagram writes on a message: its type and the fields that tell the story, taken from
// the payload the send record carries. A message type may declare its label as a format over its
// fields (`kLabel`, sim/payload.hpp and sim/label_format.hpp): `AppendEntries t3 i5..5 c4`,
// `Vote yes t1`, `Decision commit t1`, `Write file token=1 value=1`. A type that declares none is
// labelled generically: `type field=value ...`, scalars as they are (long strings shortened),
// arrays by their length, objects not at all. Either way the label is kept within a width so that
// a column of the diagram stays readable. Shared by the DOT and Mermaid diagrams, the ShiViz log
// and the story.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::reports {

// The message's `type`, or "message" when the payload has none.
std::string message_type(const nlohmann::json& payload);

// `type` and the first of the type's declared label formats (sim/message_labels.hpp) that fits
// the payload, cut at a word's end (then " …") past `width` bytes. Without one: `type
// field=value ...` in the payload's key order (sorted), cut at a field's end (then " …"); an
// integer field named `*_ns` is a duration: `retry_after=1.955174964s`.
std::string message_label(const nlohmann::json& payload, size_t width = 56);

}  // namespace faultline::reports
