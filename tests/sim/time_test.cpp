#include "sim/time.hpp"

#include <string>

#include <doctest/doctest.h>

using namespace faultline::sim;

namespace {

Duration parsed(const std::string& text) {
  Duration d = nanoseconds(-424242);
  REQUIRE_MESSAGE(parse_duration(text, d), "did not parse: " << text);
  return d;
}

bool rejects(const std::string& text) {
  Duration d = nanoseconds(-424242);
  bool ok = parse_duration(text, d);
  // A rejected text leaves the output alone.
  return !ok && d == nanoseconds(-424242);
}

}  // namespace

TEST_CASE("durations parse from an integer or decimal with a unit") {
  CHECK(parsed("150ms") == milliseconds(150));
  CHECK(parsed("1.5s") == milliseconds(1500));
  CHECK(parsed("20us") == microseconds(20));
  CHECK(parsed("7ns") == nanoseconds(7));
  CHECK(parsed("2m") == seconds(120));
  CHECK(parsed("1h") == seconds(3600));
  CHECK(parsed("0s") == Duration{});
  CHECK(parsed("-20us") == -microseconds(20));
  CHECK(parsed("+3ms") == milliseconds(3));
  CHECK(parsed("1.250ms") == microseconds(1250));
  CHECK(parsed(".5s") == milliseconds(500));
}

TEST_CASE("decimal durations are exact, never rounded through floating point") {
  // 0.1 has no exact binary representation; 0.1 * 1e9 in double is 100000000.00000001.
  CHECK(parsed("0.1s").ns() == 100'000'000);
  CHECK(parsed("0.3s").ns() == 300'000'000);
  CHECK(parsed("1.000000001s").ns() == 1'000'000'001);
  CHECK(parsed("0.001us").ns() == 1);
  CHECK(parsed("1.5m").ns() == 90'000'000'000);
}

TEST_CASE("duration parsing rejects a missing unit, a bare sign, sub-nanosecond values, overflow") {
  CHECK(rejects("5"));
  CHECK(rejects("-"));
  CHECK(rejects(""));
  CHECK(rejects("ms"));
  CHECK(rejects("."));
  CHECK(rejects(".s"));
  CHECK(rejects("1.0001ns"));
  CHECK(rejects("0.5ns"));
  CHECK(rejects("0.0000000001s"));
  CHECK(rejects("5 ms"));
  CHECK(rejects(" 5ms"));
  CHECK(rejects("5ms "));
  CHECK(rejects("5sec"));
  CHECK(rejects("1e3ms"));
  CHECK(rejects("5MS"));
  CHECK(rejects("--5ms"));
  // Duration::max() is about 73 years (640,512 hours); beyond it is an error, not a wrap.
  CHECK(rejects("1000000h"));
  CHECK(rejects("99999999999999999999999999ns"));
  CHECK(rejects("18446744073709551617ns"));
  CHECK(parsed("600000h") == seconds(3600) * 600000);
}

TEST_CASE("durations format as the shortest exact rendering") {
  CHECK(format_duration(Duration{}) == "0s");
  CHECK(format_duration(milliseconds(1500)) == "1.5s");
  CHECK(format_duration(milliseconds(150)) == "150ms");
  CHECK(format_duration(-microseconds(20)) == "-20us");
  CHECK(format_duration(nanoseconds(7)) == "7ns");
  CHECK(format_duration(seconds(120)) == "120s");
  CHECK(format_duration(nanoseconds(1'500'001)) == "1500.001us");
  CHECK(format_duration(nanoseconds(1'000'000'001)) == "1000000.001us");
  CHECK(format_duration(microseconds(90'909)) == "90.909ms");
}

TEST_CASE("formatting then parsing a duration gives it back, up to Duration::max()") {
  const int64_t samples[] = {1,
                             999,
                             1'000,
                             1'001,
                             123'456'789,
                             90'909'091,
                             3'600'000'000'000,
                             18'446'744'073'709'552,  // above 2^64 / 1000: products overflow
                             Duration::max().ns() / 3,
                             Duration::max().ns() - 1,
                             Duration::max().ns()};
  for (int64_t n : samples) {
    for (int64_t sign : {1, -1}) {
      Duration d = nanoseconds(n * sign);
      std::string text = format_duration(d);
      CAPTURE(text);
      Duration back;
      REQUIRE(parse_duration(text, back));
      CHECK(back == d);
    }
  }
}

TEST_CASE("true time and local time points move by durations") {
  TrueTime t = TrueTime::from_ns(5);
  t += milliseconds(1);
  CHECK(t.ns() == 1'000'005);
  CHECK((t - TrueTime::from_ns(5)) == milliseconds(1));
  LocalTime l = LocalTime{} + seconds(2) - milliseconds(500);
  CHECK(l.since_epoch() == milliseconds(1500));
  CHECK(TrueTime::max().ns() == Duration::max().ns());
}
