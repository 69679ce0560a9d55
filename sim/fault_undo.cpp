#include "sim/fault_undo.hpp"

namespace faultline::sim {

std::optional<Fault::Kind> undo_kind(Fault::Kind kind) {
  switch (kind) {
    case Fault::Kind::kCrash:
      return Fault::Kind::kRestart;
    case Fault::Kind::kPause:
      return Fault::Kind::kResume;
    case Fault::Kind::kPartition:
      return Fault::Kind::kHeal;
    case Fault::Kind::kClockJump:
    case Fault::Kind::kClockDrift:
    case Fault::Kind::kNetwork:
      return kind;
    case Fault::Kind::kRestart:
    case Fault::Kind::kResume:
    case Fault::Kind::kHeal:
    case Fault::Kind::kDrop:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string_view> undo_kind(std::string_view kind) {
  static constexpr Fault::Kind kKinds[] = {
      Fault::Kind::kCrash,     Fault::Kind::kRestart,    Fault::Kind::kPause,
      Fault::Kind::kResume,    Fault::Kind::kPartition,  Fault::Kind::kHeal,
      Fault::Kind::kClockJump, Fault::Kind::kClockDrift, Fault::Kind::kNetwork,
      Fault::Kind::kDrop,
  };
  for (Fault::Kind k : kKinds) {
    if (to_string(k) != kind) continue;
    const std::optional<Fault::Kind> undo = undo_kind(k);
    if (!undo) return std::nullopt;
    return to_string(*undo);
  }
  return std::nullopt;
}

std::optional<Fault> undo_of(const Fault& fault, const NetworkOptions& configured_network,
                             Drift configured_drift) {
  const std::optional<Fault::Kind> kind = undo_kind(fault.kind);
  if (!kind) return std::nullopt;
  Fault undo;
  undo.kind = *kind;
  undo.node = fault.node;
  switch (fault.kind) {
    case Fault::Kind::kPartition:
      undo.partition_id = fault.partition_id;
      break;
    case Fault::Kind::kClockJump:
      undo.amount = -fault.amount;  // NTP steps the clock back
      break;
    case Fault::Kind::kClockDrift:
      undo.drift = configured_drift;
      break;
    case Fault::Kind::kNetwork:
      undo.network = configured_network;
      break;
    default:
      break;
  }
  return undo;
}

}  // namespace faultline::sim
