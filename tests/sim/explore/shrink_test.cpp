// The tape shrinker, on runs made up as functions of the tape: it keeps a candidate only when the
// same failure shows and the run is no larger, whatever the tape's own order says.
#include <doctest/doctest.h>

#include "sim/explore/shrink.hpp"

namespace faultline::sim::explore {
namespace {

ChoiceTape tape_of(std::vector<uint64_t> values) {
  ChoiceTape t;
  t.values = std::move(values);
  return t;
}

uint64_t at(const ChoiceTape& t, size_t i) {
  return i < t.values.size() ? t.values[i] : 0;
}

}  // namespace

TEST_CASE("a tape shrinks to the simplest that still fails when the run does not grow") {
  // Fails while some value is at least 3; every run is the same size.
  ReplayFailure replay = [](const ChoiceTape& t) -> std::optional<FailingRun> {
    for (uint64_t v : t.values) {
      if (v >= 3) return FailingRun{{1, 10, 5, 100}, t};
    }
    return std::nullopt;
  };
  ShrinkResult r = shrink_tape({{1, 10, 5, 100}, tape_of({0, 8, 0, 9, 4, 1, 7, 2})}, replay);
  REQUIRE(r.run.tape.values.size() == 1);
  CHECK(r.run.tape.values[0] >= 3);
  CHECK(r.run.tape.values[0] <= 4);  // halving from 9 or 8 stops at 4
  CHECK(r.accepted > 0);
  CHECK(r.accepted <= r.attempts);
}

TEST_CASE("a simpler tape that makes a larger run is not kept") {
  // Value 0 must stay at least 5 for the failure; value 1 is like a nemesis's interval: the lower
  // it is, the more faults the run injects. Lowering it simplifies the tape and grows the run.
  auto size_of = [](const ChoiceTape& t) {
    return RunSize{.faults = 1000 - at(t, 1), .events = 5000 - 4 * at(t, 1)};
  };
  ReplayFailure replay = [&](const ChoiceTape& t) -> std::optional<FailingRun> {
    if (at(t, 0) < 5) return std::nullopt;
    return FailingRun{size_of(t), t};
  };
  ChoiceTape failing = tape_of({40, 600, 3, 9, 12, 0, 5});
  ShrinkResult r = shrink_tape({size_of(failing), failing}, replay);
  CHECK(r.run.size == size_of(failing));
  CHECK(at(r.run.tape, 1) == 600);  // kept, though 0 would be "simpler"
  CHECK(at(r.run.tape, 0) >= 5);
  CHECK(at(r.run.tape, 0) < 40);
  CHECK(r.run.tape.values.size() == 2);  // what did not matter is gone
}

TEST_CASE("the run is never larger than the one the shrink started from, on any measure it reads") {
  // Fewer faults but more events is not smaller: a person reads both.
  ReplayFailure replay = [](const ChoiceTape& t) -> std::optional<FailingRun> {
    if (at(t, 0) == 0) return std::nullopt;
    return FailingRun{{.faults = at(t, 1), .events = 100 - at(t, 1)}, t};
  };
  ChoiceTape failing = tape_of({1, 50});
  ShrinkResult r = shrink_tape({{50, 50}, failing}, replay);
  CHECK(r.run.size.faults <= 50);
  CHECK(r.run.size.events <= 50);
  CHECK(r.run.tape == failing);
  CHECK(no_larger({1, 2, 3, 4}, {1, 2, 3, 4}));
  CHECK_FALSE(no_larger({1, 2, 3, 5}, {1, 2, 3, 4}));
  CHECK(no_larger({0, 2, 9, 9}, {1, 2, 3, 4}));
  CHECK_FALSE(no_larger({0, 3, 0, 0}, {1, 2, 3, 4}));
}

TEST_CASE("the tape kept is the one the run drew: values it never read are dropped") {
  // The run reads two values; the rest of any tape is ignored.
  ReplayFailure replay = [](const ChoiceTape& t) -> std::optional<FailingRun> {
    if (at(t, 0) + at(t, 1) < 10) return std::nullopt;
    return FailingRun{{}, tape_of({at(t, 0), at(t, 1)})};
  };
  ShrinkResult r = shrink_tape({{}, tape_of({9, 9, 5, 5, 5, 5})}, replay, {.max_attempts = 3});
  // The first candidate (half the tape) fails and is kept as the run drew it.
  CHECK(r.run.tape == tape_of({9, 9}));
}

TEST_CASE("the rarest stream's values are lowered first") {
  // Twenty values of a busy stream (0) and one of a rare one (1), which comes last. The run fails
  // only with all twenty-one values; the rare value sets its fault count.
  auto recorded = [](const ChoiceTape& t) {
    ChoiceTape r = t;
    r.streams.assign(r.values.size(), 0);
    if (r.streams.size() == 21) r.streams[20] = 1;
    return r;
  };
  ReplayFailure replay = [&](const ChoiceTape& t) -> std::optional<FailingRun> {
    if (t.values.size() != 21) return std::nullopt;
    return FailingRun{{.faults = t.values[20]}, recorded(t)};
  };
  ChoiceTape failing = recorded(tape_of(std::vector<uint64_t>(21, 3)));
  failing.values[20] = 100;
  // Cutting the tail costs four replays; the next two lower the rare value (0 fails, half is
  // kept), not the first one; the seventh tries 0 again.
  ShrinkResult r = shrink_tape({{.faults = 100}, failing}, replay, {.max_attempts = 7});
  CHECK(r.attempts == 7);
  CHECK(r.run.tape.values[20] == 50);
  CHECK(r.run.tape.values[0] == 3);
  CHECK(r.run.size.faults == 50);
}

TEST_CASE("the budget bounds the replays, and an unshrinkable run comes back as it was") {
  size_t calls = 0;
  ReplayFailure never = [&](const ChoiceTape&) -> std::optional<FailingRun> {
    ++calls;
    return std::nullopt;
  };
  ChoiceTape failing = tape_of({5, 4, 3, 2, 1, 6, 7, 8});
  ShrinkResult r = shrink_tape({{3, 3, 3, 3}, failing}, never, {.max_attempts = 10});
  CHECK(r.attempts == 10);
  CHECK(calls == 10);
  CHECK(r.accepted == 0);
  CHECK(r.run.tape == failing);
  CHECK(r.run.size == RunSize{3, 3, 3, 3});
}

}  // namespace faultline::sim::explore
