// The SimGrid peer of bench/pingpong_bench: 100 pairs of S4U actors, each pair doing 2,000 round
// trips of a 64-byte message through two mailboxes (400,000 simulated messages), on the cluster
// of pingpong_platform.xml. Written against the S4U API of SimGrid 3.32 (Debian 12).
//
// A SimGrid engine lives once per process, so each repetition runs in a forked child that
// reports its wall time through a pipe; the parent prints the median.
//
// usage: pingpong_s4u [PLATFORM.xml] [--repeat N]

#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

// version.h relies on xbt/base.h for its declaration macros.
#include <xbt/base.h>

#include <simgrid/version.h>

namespace sg4 = simgrid::s4u;

namespace {

constexpr int kPairs = 100;
constexpr int kRoundTrips = 2000;
constexpr uint64_t kMessageBytes = 64;

int token = 0;  // what travels; SimGrid only passes the pointer

void pinger(sg4::Mailbox* out, sg4::Mailbox* in) {
  for (int i = 0; i < kRoundTrips; ++i) {
    out->put(&token, kMessageBytes);
    in->get<int>();
  }
}

void ponger(sg4::Mailbox* in, sg4::Mailbox* out) {
  for (int i = 0; i < kRoundTrips; ++i) {
    int* v = in->get<int>();
    out->put(v, kMessageBytes);
  }
}

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct Run {
  double wall = 0;  // seconds
  double cpu = 0;   // seconds of CPU time of the process during the run
  double simulated = 0;
};

Run run_once(const std::string& platform) {
  int argc = 2;
  char arg0[] = "pingpong_s4u";
  char arg1[] = "--log=root.thres:critical";
  char* argv[] = {arg0, arg1, nullptr};
  sg4::Engine engine(&argc, argv);
  engine.load_platform(platform);
  for (int p = 0; p < kPairs; ++p) {
    sg4::Host* a = engine.host_by_name("node-" + std::to_string(2 * p));
    sg4::Host* b = engine.host_by_name("node-" + std::to_string(2 * p + 1));
    sg4::Mailbox* ping = sg4::Mailbox::by_name("ping-" + std::to_string(p));
    sg4::Mailbox* pong = sg4::Mailbox::by_name("pong-" + std::to_string(p));
    sg4::Actor::create("pinger", a, pinger, ping, pong);
    sg4::Actor::create("ponger", b, ponger, ping, pong);
  }
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  engine.run();
  Run r;
  r.cpu = cpu_seconds() - c0;
  r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.simulated = sg4::Engine::get_clock();
  return r;
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  size_t n = xs.size();
  return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string platform = "bench/simgrid/pingpong_platform.xml";
  int repeat = 5;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      platform = a;
    }
  }
  std::vector<double> walls, cpus;
  double simulated = 0;
  for (int i = 0; i < repeat; ++i) {
    int fds[2];
    if (pipe(fds) != 0) return 3;
    pid_t child = fork();
    if (child == 0) {
      close(fds[0]);
      Run r = run_once(platform);
      if (write(fds[1], &r, sizeof r) != sizeof r) _exit(3);
      _exit(0);
    }
    close(fds[1]);
    Run r;
    ssize_t got = read(fds[0], &r, sizeof r);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (got != sizeof r || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "pingpong_s4u: run %d failed\n", i);
      return 3;
    }
    walls.push_back(r.wall);
    cpus.push_back(r.cpu);
    simulated = r.simulated;
  }
  const double messages = 2.0 * kPairs * kRoundTrips;
  double wall = median(walls), cpu = median(cpus);
  std::printf(
      "SimGrid %d.%d S4U ping-pong: %d pairs x %d round trips = %.0f messages, median of %d\n",
      SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR, kPairs, kRoundTrips, messages, repeat);
  std::printf("simulated time %.6f s, wall %.3f s, cpu %.3f s\n", simulated, wall, cpu);
  std::printf("%-58s %14.4g msg/s\n", "SimGrid actors, per wall second", messages / wall);
  std::printf("fig simgrid_pingpong_msgs_per_s %.6g msg/s\n", messages / wall);
  std::printf("%-58s %14.4g msg/s\n", "SimGrid actors, per CPU second", messages / cpu);
  std::printf("fig simgrid_pingpong_msgs_per_cpu_s %.6g msg/s\n", messages / cpu);
  return 0;
}
