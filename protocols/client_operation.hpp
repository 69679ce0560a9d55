#pragma once
// A client operation as the trace shows it (Jepsen's invoke/ok/fail/info with f and value), so the
// diagram can label what each client was doing. Histories for checkers are recorded beside it.

#include <string>

#include <nlohmann/json.hpp>

#include "sim/node.hpp"
#include "sim/world.hpp"

namespace faultline::protocols {

inline void trace_operation(sim::Context& ctx, const char* type, const std::string& f,
                            nlohmann::json value) {
  if (!ctx.world().tracing()) return;
  ctx.world().trace_operation(
      ctx.self(), {{"process", ctx.name()}, {"type", type}, {"f", f}, {"value", std::move(value)}});
}

}  // namespace faultline::protocols
