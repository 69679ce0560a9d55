#pragma once
// What 2PC and 3PC share (Bernstein, Hadzilacos & Goodman, "Concurrency Control and Recovery in
// Database Systems", ch. 7): the client that drives a sequence of transactions through a
// coordinator, the ghost record of votes and decisions that the atomic-commit checker judges, and
// the end-of-run judgement (atomic commit, then bounded liveness of the participants in doubt).
// The ghost lives in the harness, outside the nodes, so it survives their crashes.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/format_ns.hpp"
#include "checkers/safety/atomic_commit.hpp"
#include "checkers/safety/client_answers.hpp"
#include "protocols/client_operation.hpp"
#include "protocols/liveness.hpp"
#include "sim/fiber.hpp"
#include "sim/retry.hpp"
#include "sim/world.hpp"

namespace faultline::protocols {

// The client's wire vocabulary, the same for every commit protocol: run this transaction.
struct BeginTransaction {
  static constexpr const char* kName = "BeginTransaction";
  static constexpr const char* kLabel = "{txn}";
  std::string txn;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BeginTransaction, txn)

struct TransactionResult {
  static constexpr const char* kName = "TransactionResult";
  static constexpr const char* kLabel = "{committed?committed:aborted} {txn}";
  std::string txn;
  bool committed = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TransactionResult, txn, committed)

// The client's progress on its own disk, so that a restarted client goes on with the next
// transaction instead of starting over.
struct ClientProgress {
  static constexpr const char* kName = "ClientProgress";
  int64_t next = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ClientProgress, next)

class AtomicCommitGhost {
 public:
  void vote(sim::Context& ctx, const std::string& txn, bool yes) {
    votes_.push_back({txn, ctx.name(), yes, ctx.observer_time().ns()});
  }
  void decide(sim::Context& ctx, const std::string& txn, bool commit) {
    outcomes_.push_back({txn, ctx.name(), commit, ctx.observer_time().ns()});
  }
  void begin(const std::string& txn, std::vector<std::string> participants) {
    if (begun_.insert(txn).second) transactions_.push_back({txn, std::move(participants)});
  }
  // The client's requests, one per transaction from its first send to the answer. A request
  // left open by a client crash is abandoned: the restarted client asks again, as a new request.
  void client_asked(sim::Context& ctx, const std::string& txn) {
    if (!requests_.empty() && requests_.back().answered_at_ns == kNever) {
      requests_.pop_back();
    }
    requests_.push_back({ctx.name(), "commit " + txn, ctx.observer_time().ns()});
  }
  void client_saw(sim::Context& ctx, bool committed) {
    ++(committed ? committed_ : aborted_);
    if (!requests_.empty()) requests_.back().answered_at_ns = ctx.observer_time().ns();
  }

  // Participants that voted yes (at or before `voted_by_ns`) and never decided: blocked, as 2PC's
  // participants are while their coordinator is down.
  std::vector<std::pair<std::string, std::string>> in_doubt(
      int64_t voted_by_ns = std::numeric_limits<int64_t>::max()) const {
    std::set<std::pair<std::string, std::string>> decided;
    for (const auto& o : outcomes_) decided.insert({o.txn, o.participant});
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& v : votes_) {
      if (v.yes && v.at_ns <= voted_by_ns && !decided.count({v.txn, v.participant})) {
        out.insert({v.txn, v.participant});
      }
    }
    return {out.begin(), out.end()};
  }
  // What the atomic-commit checker's verdict can depend on, for fingerprints
  // (World::add_ghost_state): the votes, the decisions and the transactions begun, as sets. Not
  // their times: every state is judged as it is reached, so a verdict that compares a record
  // with a later one compares one made before the state with one made after it. The client's
  // requests and counts are the client's own (its inputs tell them), and only timed checkers read
  // them.
  void hash(sim::StateHasher& hasher) const {
    std::set<std::tuple<std::string, std::string, bool>> votes, outcomes;
    for (const auto& v : votes_) votes.insert({v.txn, v.participant, v.yes});
    for (const auto& o : outcomes_) outcomes.insert({o.txn, o.participant, o.commit});
    const auto record = [](sim::StateHasher& h, const auto& r) {
      h.add(std::get<0>(r)).add(std::get<1>(r)).add(std::get<2>(r));
    };
    hasher.add_range(votes, record).add_range(outcomes, record);
    hasher.add_range(transactions_, [](sim::StateHasher& h, const checkers::Transaction& t) {
      h.add(t.txn).add_range(t.participants,
                             [](sim::StateHasher& p, const std::string& name) { p.add(name); });
    });
  }
  const std::vector<checkers::Vote>& votes() const { return votes_; }
  const std::vector<checkers::Outcome>& outcomes() const { return outcomes_; }
  const std::vector<checkers::Transaction>& transactions() const { return transactions_; }
  const std::vector<checkers::ClientRequest>& client_requests() const { return requests_; }
  int64_t committed() const { return committed_; }
  int64_t aborted() const { return aborted_; }

 private:
  std::vector<checkers::Vote> votes_;
  std::vector<checkers::Outcome> outcomes_;
  std::vector<checkers::Transaction> transactions_;
  std::set<std::string> begun_;
  std::vector<checkers::ClientRequest> requests_;
  int64_t committed_ = 0;
  int64_t aborted_ = 0;
};

struct TransactionClientOptions {
  int transactions = 10;
  std::vector<std::string> participants;  // whose yes votes a commit needs
  sim::Duration call_timeout = sim::milliseconds(500);
  sim::Duration think = sim::milliseconds(20);
};

// Runs transactions t1..tN one after the other, each retried until the coordinator answers.
inline void run_transaction_client(sim::Process& co, const TransactionClientOptions& options,
                                   sim::NodeId coordinator, AtomicCommitGhost& ghost) {
  sim::Storage& disk = co.ctx().storage();
  int64_t next =
      disk.get<ClientProgress>("progress") ? disk.get<ClientProgress>("progress")->next : 1;
  ClientOperations ops(co);
  sim::RetryTargets to_coordinator({coordinator}, 0);
  const sim::RetryPolicy until_answered = sim::RetryPolicy::until_answered(options.call_timeout);
  for (; next <= options.transactions; ++next) {
    std::string txn = "t" + std::to_string(next);
    ghost.begin(txn, options.participants);
    ghost.client_asked(co.ctx(), txn);
    ops.invoke("commit", txn);
    // An answer about an earlier transaction (a late reply to one this client retried) is no
    // answer to this one.
    const auto result_of = [&txn](const std::optional<sim::Message>& reply) {
      const auto* result = reply ? reply->payload.as<TransactionResult>() : nullptr;
      return result && result->txn == txn ? result : nullptr;
    };
    const std::optional<sim::Message> reply = to_coordinator.call(
        co, BeginTransaction{txn}, until_answered, [&](const std::optional<sim::Message>& r) {
          return result_of(r) ? sim::RetryStep::done() : sim::RetryStep::next();
        });
    const bool committed = result_of(reply)->committed;
    ghost.client_saw(co.ctx(), committed);
    ops.record(committed ? checkers::OpType::ok : checkers::OpType::fail, "commit", txn);
    disk.put("progress", ClientProgress{next + 1});
    disk.sync();
    co.sleep(options.think);
  }
}

// A coordinator's answer to BeginTransaction, the same in every commit protocol: a decided
// transaction is answered at once; an open one keeps the client waiting for its decision (a
// client retrying while the votes are collected). Returns the transaction's state when this
// request opened it, so the caller starts the protocol; else nullptr. `Txn` holds
// `std::optional<bool> decision` and `std::vector<sim::Message> waiting_clients`.
template <class Txn>
Txn* admit_transaction(sim::Context& ctx, const sim::Message& request,
                       std::map<std::string, Txn>& txns) {
  const std::string& txn = request.payload.as<BeginTransaction>()->txn;
  auto [it, fresh] = txns.try_emplace(txn);
  Txn& state = it->second;
  if (state.decision) {
    ctx.reply(request, TransactionResult{txn, *state.decision});
    return nullptr;
  }
  state.waiting_clients.push_back(request);
  return fresh ? &state : nullptr;
}

// Tells every client waiting on `txn` its decision, once there is one.
template <class Txn>
void answer_waiting_clients(sim::Context& ctx, const std::string& txn, Txn& state) {
  for (const sim::Message& request : state.waiting_clients) {
    // Fault site: the answer is lost. The client asks again, and a decided transaction is
    // answered at once with the same decision.
    if (ctx.buggify(0.2)) continue;
    ctx.reply(request, TransactionResult{txn, *state.decision});
  }
  state.waiting_clients.clear();
}

// Fault site of every commit coordinator, placed where the decision is logged (if the protocol
// logs it) and nobody has heard it yet: the coordinator crashes there and restarts a little
// later, the moment 2PC's recovery and 3PC's termination protocol exist for. True when it
// crashes: the caller then does nothing more in this handler.
inline bool crashes_before_sending_decision(sim::Context& ctx) {
  if (!ctx.buggify(0.05)) return false;
  ctx.note("fault site: crash after deciding, before sending the decision");
  ctx.crash_after_handler(ctx.random_duration(sim::milliseconds(10), sim::seconds(1)));
  return true;
}

// Judges a commit run: "atomic-commit" (agreement, validity, no reversal, from
// checkers/safety/atomic_commit), "liveness" (participants in doubt at the end must have
// decided within `bound` after the last fault) and "clients-answered" (the client's transaction
// answered within `bound` after the last fault). A client whose coordinator is down at the end
// cannot be answered by any commit protocol (it talks to nobody else), and a client down at the
// end waits for nothing: the request then open is not judged. So 2PC's blocking (the
// coordinator down for good) is a "liveness" finding only; once the coordinator is back, its
// client must be answered.
inline std::vector<Finding> judge_atomic_commit(const AtomicCommitGhost& ghost,
                                                const std::vector<std::string>& enabled,
                                                sim::World& world, sim::Duration bound,
                                                bool client_answerable) {
  auto on = [&](const char* name) {
    return std::find(enabled.begin(), enabled.end(), name) != enabled.end();
  };
  std::vector<Finding> findings;
  if (on("atomic-commit")) {
    for (auto& f :
         checkers::check_atomic_commit(ghost.votes(), ghost.outcomes(), ghost.transactions())) {
      // The kind (agreement, validity, reversal) stays in the message; `expect` names the checker.
      f.message = f.checker.substr(f.checker.find('.') + 1) + ": " + f.message;
      f.checker = "atomic-commit";
      findings.push_back(std::move(f));
    }
  }
  // A vote cast less than `bound` before the end (a transaction the workload began late) has
  // not had its time to be decided yet: it is not evidence of blocking.
  auto blocked = ghost.in_doubt(world.now().ns() - bound.ns());
  if (on("liveness") && !blocked.empty()) {
    std::string who;
    std::vector<std::string> involved;
    for (const auto& [txn, participant] : blocked) {
      who += (who.empty() ? "" : ", ") + participant + " on " + txn;
      involved.push_back(participant);
    }
    // They never decided (that is what blocked means): the finding fires once the bound passed.
    // A participant down for good is a crash-stop failure, which a non-blocking protocol must
    // survive, so the window opens at its crash instead of never.
    if (auto f = bounded_liveness_finding(
            world, {.progress = "a decision by the participants in doubt: " + who,
                    .bound = bound,
                    .involved = std::move(involved),
                    .window = LivenessWindow::kLastFaultChange})) {
      findings.push_back(std::move(*f));
    }
  }
  if (on("clients-answered")) {
    checkers::ClientAnswersInput input;
    input.requests = ghost.client_requests();
    if (!client_answerable && !input.requests.empty() &&
        input.requests.back().answered_at_ns == kNever) {
      input.requests.pop_back();
    }
    input.healed_at_ns = liveness_window_opens_ns(world, LivenessWindow::kLastFaultChange);
    input.bound_ns = bound.ns();
    input.run_end_ns = world.now().ns();
    if (auto f = checkers::check_clients_answered(input)) findings.push_back(std::move(*f));
  }
  return findings;
}

}  // namespace faultline::protocols
