#pragma once
// A declared label format (sim/label_format.hpp) applied to a message's JSON payload. A string
// past 24 bytes keeps its head and its tail (`lock-106…0000000003`): a label stays short, and
// names differ at their ends (a ZooKeeper node's sequence number).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace faultline::reports {

// What `format` writes for `payload`, or nullopt when it does not fit it: a field it names is
// missing, + or - meets what is not an integer, `#` meets what has no length, or the format is
// malformed. Only the branch a choice takes must fit.
std::optional<std::string> render_label_format(std::string_view format,
                                               const nlohmann::json& payload);

}  // namespace faultline::reports
