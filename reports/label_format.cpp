#include "reports/label_format.hpp"

#include "base/format_ns.hpp"
#include "sim/label_format.hpp"

namespace faultline::reports {

namespace {

using sim::label_format::Operand;
using sim::label_format::Piece;

bool is_duration(std::string_view path, const nlohmann::json& value) {
  return path.size() > 3 && path.substr(path.size() - 3) == "_ns" && value.is_number_integer();
}

// The value at a dotted path, or nullptr when a step of it is missing.
const nlohmann::json* find(const nlohmann::json& payload, std::string_view path) {
  const nlohmann::json* at = &payload;
  while (at) {
    const size_t dot = path.find('.');
    const std::string name(path.substr(0, dot));
    if (at->is_object()) {
      auto it = at->find(name);
      at = it == at->end() ? nullptr : &*it;
    } else if (at->is_array() && name.find_first_not_of("0123456789") == std::string::npos &&
               name.size() < 10 && std::stoul(name) < at->size()) {
      at = &(*at)[std::stoul(name)];
    } else {
      at = nullptr;
    }
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  return at;
}

// An operand's value: the field itself, or a number (a length, a literal).
std::optional<nlohmann::json> operand_value(const Operand& operand, const nlohmann::json& payload) {
  if (operand.kind == Operand::Kind::kNumber) return nlohmann::json(operand.number);
  const nlohmann::json* value = find(payload, operand.path);
  if (!value) return std::nullopt;
  if (operand.kind == Operand::Kind::kField) return *value;
  if (value->is_array() || value->is_object()) return nlohmann::json(value->size());
  if (value->is_string()) return nlohmann::json(value->get_ref<const std::string&>().size());
  return std::nullopt;
}

std::optional<nlohmann::json> expression_value(const Piece& piece, const nlohmann::json& payload) {
  auto left = operand_value(piece.left, payload);
  if (!left || piece.op == 0) return left;
  auto right = operand_value(piece.right, payload);
  if (!right || !left->is_number_integer() || !right->is_number_integer()) return std::nullopt;
  const int64_t a = left->get<int64_t>();
  const int64_t b = right->get<int64_t>();
  return nlohmann::json(piece.op == '+' ? a + b : a - b);
}

bool truthy(const nlohmann::json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number()) return value.get<double>() != 0;
  // json::empty() is false for every string: a string is a scalar to it.
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_array() || value.is_object()) return !value.empty();
  return false;
}

// A long string keeps its head and its tail, where names say what differs (a ZooKeeper node's
// sequence number, a request's step): `lock-106…0000000003`.
std::string middle_cut(const std::string& text) {
  constexpr size_t kLong = 24, kHead = 8, kTail = 10;
  if (text.size() <= kLong) return text;
  auto continuation = [&](size_t at) {
    return (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
  };
  size_t head = kHead, tail = text.size() - kTail;
  while (head > 0 && continuation(head)) --head;
  while (tail < text.size() && continuation(tail)) ++tail;
  return text.substr(0, head) + "…" + text.substr(tail);
}

std::string value_text(const nlohmann::json& value, const Piece& piece) {
  if (piece.op == 0 && piece.left.kind == Operand::Kind::kField &&
      is_duration(piece.left.path, value)) {
    return format_ns(value.get<int64_t>());
  }
  if (value.is_string()) return middle_cut(value.get<std::string>());
  if (value.is_null()) return "-";
  if (value.is_array()) return "[" + std::to_string(value.size()) + "]";
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::optional<std::string> render_label_format(std::string_view format,
                                               const nlohmann::json& payload) {
  std::string out;
  while (!format.empty()) {
    const Piece piece = sim::label_format::next_piece(format);
    if (piece.kind == Piece::Kind::kError) return std::nullopt;
    if (piece.kind == Piece::Kind::kText) {
      out += piece.text;
      continue;
    }
    const auto value = expression_value(piece, payload);
    if (!value) return std::nullopt;
    if (piece.kind == Piece::Kind::kValue) {
      out += value_text(*value, piece);
      continue;
    }
    const auto branch =
        render_label_format(truthy(*value) ? piece.then_format : piece.else_format, payload);
    if (!branch) return std::nullopt;
    out += *branch;
  }
  return out;
}

}  // namespace faultline::reports
