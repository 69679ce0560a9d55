#pragma once
// The seeded nemesis (options: sim/nemesis_options.hpp), a driver of the world: it acts on a
// World only through its public fault operations and lookups, woken at the true times it chooses
// through World::wake_at, and keeps its own bookkeeping (the undo of each fault it injected, the
// drifts and loss bursts in force). Each undo comes from sim/fault_undo, as the timeline's `for`
// does, and ends its own fault only: not a later crash, pause, drift or burst of the same node or
// network, not another partition. At `stop` it asks the world to heal everything.
//
// Its draws come from the world's "faults" stream, which the partitions it asks for draw from
// too: the same seed gives the same faults at the same times, whoever else runs in the world.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/choices.hpp"
#include "sim/faults.hpp"
#include "sim/nemesis_options.hpp"

namespace faultline::sim {

class World;

class Nemesis : public std::enable_shared_from_this<Nemesis> {
 public:
  // Starts a nemesis on `world` before its run: draws this seed's nemesis (NemesisOptions::swarm)
  // and the time of its first fault, and wakes for that fault and for its `stop`. The world's
  // pending wake-ups hold the nemesis, so the caller may drop what this returns. Null (and nothing
  // scheduled, nothing drawn) when `options` is not enabled or names no targets.
  static std::shared_ptr<Nemesis> start(World& world, const NemesisOptions& options);

  Nemesis(World& world, const NemesisOptions& options);
  Nemesis(const Nemesis&) = delete;
  Nemesis& operator=(const Nemesis&) = delete;

  // The options it runs with: under swarm testing, those drawn for this seed.
  const NemesisOptions& options() const { return options_; }

 private:
  // A fault's undo (sim/fault_undo) and what identifies the fault it undoes, so that it undoes
  // only that fault: the node's incarnation after a crash, the pause's number, the drift's or
  // burst's token.
  struct Undo {
    Fault fault;
    uint64_t token = 0;
  };

  uint64_t draw(uint64_t bound);
  // This seed's nemesis under swarm testing, and its description for the trace.
  NemesisOptions draw_swarm(const NemesisOptions& options);
  // One fault, then the wake-ups for its undo and for the next fault.
  void tick();
  // Injects one fault of `kind` at `target`; the fault that undoes it, if it took effect.
  std::optional<Undo> strike(NemesisOptions::Kind kind, NodeId target, bool aimed);
  PartitionSpec partition_around(NodeId target, bool aimed);
  void undo(uint32_t index);
  void end_drift(const Undo& ending);
  void end_loss_burst(const Undo& ending);
  // At `stop`: the world back to its configured fault state.
  void heal_everything();

  World& world_;
  StreamId stream_;  // the world's "faults" stream
  NemesisOptions options_;
  std::string swarm_description_;  // the swarm's draw, noted in the trace at the first fault
  std::vector<Undo> undos_;        // what undoes each fault, by index
  uint64_t next_token_ = 1;
  // Its drifts in force per node, oldest first, each with its token: the newest rules the clock,
  // and when it is undone the one before it does again (or the configured drift).
  std::vector<std::vector<std::pair<uint64_t, Drift>>> drifts_;
  std::vector<uint64_t> loss_bursts_;  // its loss bursts in force, by token
};

}  // namespace faultline::sim
