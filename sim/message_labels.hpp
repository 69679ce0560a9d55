#pragma once
// The process's table of declared message labels: type name -> the label formats declared for it
// (sim/label_format.hpp). A message type with a `kLabel` enters it when it is first used as a
// Payload anywhere in the program (at static initialisation, sim/payload.hpp), so the reports of
// a trace read from a file label its messages as the run that wrote it did.
//
// Names are not unique across protocols (2PC's and Paxos's `Prepare`, Raft's and 3PC's
// `VoteReply`): a name keeps every format declared for it, in byte order, and a payload takes the
// first that fits its fields. The table's content, and so every label, does not depend on the
// order in which types were registered.

#include <string>
#include <string_view>
#include <vector>

namespace faultline::sim {

// Messages named `name` may be labelled by `format` (well-formed). Returns true, for use as a
// static initialiser; declaring the same pair twice changes nothing.
bool declare_message_label(std::string_view name, std::string_view format);

// The formats declared for messages named `name`, in byte order; empty when none.
std::vector<std::string> message_label_formats(std::string_view name);

}  // namespace faultline::sim
