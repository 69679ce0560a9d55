#include "reports/message_label.hpp"

#include <optional>

#include "base/format_ns.hpp"
#include "reports/label_format.hpp"
#include "sim/message_labels.hpp"

namespace faultline::reports {

namespace {

// Cut at a UTF-8 character boundary.
std::string cut(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "…";
}

// A field's value as a label shows it; empty: not shown.
std::string value_text(const nlohmann::json& value) {
  if (value.is_string()) return cut(value.get<std::string>(), 16);
  if (value.is_boolean() || value.is_number()) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  if (value.is_array()) return "[" + std::to_string(value.size()) + "]";
  return "";
}

// The label its type declares, cut at a word's end within `width`; nullopt when no declared
// format fits the payload.
std::optional<std::string> declared_label(const std::string& type, const nlohmann::json& payload,
                                          size_t width) {
  for (const std::string& format : sim::message_label_formats(type)) {
    auto text = render_label_format(format, payload);
    if (!text) continue;
    std::string label = text->empty() ? type : type + " " + *text;
    if (label.size() <= width) return label;
    const size_t space = label.rfind(' ', width);
    if (space != std::string::npos && space >= type.size()) return label.substr(0, space) + " …";
    return cut(label, width);
  }
  return std::nullopt;
}

}  // namespace

std::string message_type(const nlohmann::json& payload) {
  if (payload.is_object()) {
    auto it = payload.find("type");
    if (it != payload.end() && it->is_string()) return it->get<std::string>();
  }
  return "message";
}

std::string message_label(const nlohmann::json& payload, size_t width) {
  std::string label = message_type(payload);
  if (!payload.is_object()) return label;
  if (auto declared = declared_label(label, payload, width)) return *declared;
  for (const auto& [key, value] : payload.items()) {
    if (key == "type") continue;
    const bool duration =
        key.size() > 3 && key.compare(key.size() - 3, 3, "_ns") == 0 && value.is_number_integer();
    const std::string text = duration ? format_ns(value.get<int64_t>()) : value_text(value);
    if (text.empty()) continue;
    const std::string field = " " + (duration ? key.substr(0, key.size() - 3) : key) + "=" + text;
    if (label.size() + field.size() > width) return label + " …";
    label += field;
  }
  return label;
}

}  // namespace faultline::reports
