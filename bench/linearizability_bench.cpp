// Linearizability checker timings on Porcupine's published histories, single-threaded (thread CPU
// time, best of --repeat runs), with parsing measured apart from checking - the figures issue 3
// compares with Porcupine v1.3.0 (580 ms for the 102 etcd logs, median 0.12 ms, etcd_002 220 ms; kv
// c50-ok 233 ms partitioned; kv c10-ok 3.3 s and c10-bad 3.6 s as one partition).
//
// usage: linearizability_bench [SHARED_DIR] [--repeat N] [--quiet]

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "checkers/history_formats.hpp"
#include "checkers/models/registry.hpp"

namespace {

using namespace faultline::checkers;
namespace fs = std::filesystem;

// CPU time of this thread, not wall time: the check is single-threaded, so on an idle machine the
// two agree, and on a loaded one (CI, a laptop building) CPU time still measures the checker
// rather than the scheduler.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Timing {
  double parse_ms = 0;
  double check_ms = 0;  // best of `repeat` runs
  Verdict verdict = Verdict::ok;
};

Timing run(const fs::path& file, const char* model, bool partition, int repeat) {
  Timing t;
  double t0 = thread_cpu_ms();
  History h = read_history_file(file.string());
  std::vector<CallReturn> calls = pair_calls(h);
  t.parse_ms = thread_cpu_ms() - t0;
  CheckOptions options;
  options.threads = 1;
  options.partition = partition;
  const models::ModelInfo& info = *models::find_model(model);
  t.check_ms = 1e300;
  for (int i = 0; i < repeat; ++i) {
    t0 = thread_cpu_ms();
    CheckResult r = info.check(calls, options, h.source);
    t.check_ms = std::min(t.check_ms, thread_cpu_ms() - t0);
    t.verdict = r.verdict;
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef FAULTLINE_SHARED_DIR
  fs::path shared = FAULTLINE_SHARED_DIR;
#else
  fs::path shared = "../shared";
#endif
  int repeat = 3;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--quiet") == 0) {
      quiet = true;
    } else {
      shared = argv[i];
    }
  }
  fs::path data = shared / "data" / "porcupine";
  if (!fs::is_directory(data)) {
    std::fprintf(stderr, "%s: not found (pass the shared folder as the first argument)\n",
                 data.c_str());
    return 2;
  }

  std::vector<fs::path> etcd;
  for (const auto& e : fs::directory_iterator(data / "jepsen")) {
    if (e.path().extension() == ".log" && e.file_size() > 0) etcd.push_back(e.path());
  }
  std::sort(etcd.begin(), etcd.end());
  std::vector<double> checks;
  double parse_total = 0, check_total = 0, etcd_002 = 0;
  std::printf("%-16s %10s %10s  %s\n", "file", "parse ms", "check ms", "verdict");
  for (const fs::path& p : etcd) {
    Timing t = run(p, "cas-register", true, repeat);
    parse_total += t.parse_ms;
    check_total += t.check_ms;
    checks.push_back(t.check_ms);
    if (p.stem() == "etcd_002") etcd_002 = t.check_ms;
    if (!quiet) {
      std::printf("%-16s %10.3f %10.3f  %s\n", p.filename().c_str(), t.parse_ms, t.check_ms,
                  to_string(t.verdict));
    }
  }
  std::sort(checks.begin(), checks.end());
  double median = checks.empty() ? 0 : checks[checks.size() / 2];
  std::printf(
      "\netcd: %zu histories, check total %.1f ms (Porcupine 580), median %.3f ms "
      "(0.12), etcd_002 %.1f ms (220); parse total %.1f ms\n",
      etcd.size(), check_total, median, etcd_002, parse_total);

  struct Kv {
    const char* file;
    bool partition;
    double porcupine_ms;
  };
  for (Kv kv : {Kv{"c50-ok.txt", true, 233}, Kv{"c10-ok.txt", false, 3300},
                Kv{"c10-bad.txt", false, 3600}}) {
    Timing t = run(data / "kv" / kv.file, "kv", kv.partition, kv.partition ? repeat : 1);
    std::printf("kv %-12s %-14s parse %7.2f ms, check %9.1f ms (Porcupine %.0f), %s\n", kv.file,
                kv.partition ? "partitioned" : "one partition", t.parse_ms, t.check_ms,
                kv.porcupine_ms, to_string(t.verdict));
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak resident memory: %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024);
  return 0;
}
