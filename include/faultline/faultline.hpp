#pragma once
// faultline's public surface, in one header (docs/library.md walks through it):
//   base/       what every layer speaks: the finding (a broken property), durations as text,
//               the hashes;
//   sim/        the kernel a protocol is written against: nodes and fiber nodes, their context
//               (send, timers, storage, random draws, fault sites), time, faults and the nemesis;
//   protocols/  what a protocol offers the runner (ProtocolInfo, Harness, VariantTable), its
//               strict parameter reader and history recording;
//   checkers/   linearizability with its models, and the safety and liveness checkers;
//   run/        scenario -> world -> verdict from C++, the registry (register_protocol), the
//               run's outputs, shrinking, and property tests over seeds (run/property.hpp);
//   reports/    the trace, the space-time diagram and the HTML report;
//   faultline::main, the whole command line for a program that registers its own protocols.
//
// The version is FAULTLINE_VERSION ("major.minor.patch"). From 1.0 on, within a major version
// these headers change only by addition; before 1.0 a minor version may rename or remove, and
// CHANGES.md lists each such change with what replaces it.

#define FAULTLINE_VERSION_MAJOR 0
#define FAULTLINE_VERSION_MINOR 2
#define FAULTLINE_VERSION_PATCH 0
#define FAULTLINE_VERSION "0.2.0"

#include "base/finding.hpp"
#include "base/format_ns.hpp"
#include "base/hash.hpp"
#include "checkers/history.hpp"
#include "checkers/linearizability.hpp"
#include "checkers/models/registry.hpp"
#include "checkers/safety/agreement.hpp"
#include "checkers/safety/atomic_commit.hpp"
#include "checkers/safety/bounded_liveness.hpp"
#include "checkers/safety/mutual_exclusion.hpp"
#include "checkers/safety/saga.hpp"
#include "cli/app.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/linearizable.hpp"
#include "protocols/liveness.hpp"
#include "protocols/params.hpp"
#include "protocols/protocol.hpp"
#include "protocols/variants.hpp"
#include "reports/html_report.hpp"
#include "reports/spacetime_diagram.hpp"
#include "reports/trace_jsonl.hpp"
#include "run/outputs.hpp"
#include "run/property.hpp"
#include "run/registry.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/spec_registry.hpp"
#include "run/spec_scenario.hpp"
#include "run/timeline_shrink.hpp"
#include "sim/fiber.hpp"
#include "sim/nemesis.hpp"
#include "sim/world.hpp"
#include "spec/model.hpp"
#include "spec/search.hpp"
