// Any bytes as a results.json, merged as `faultline merge` merges it (streamed from a file): once,
// with the merged document written out, then twice (which must be refused when it has runs: its
// seeds are taken).
#include <stdlib.h>
#include <unistd.h>

#include <sstream>
#include <string>

#include "fuzz/fuzz_input.hpp"
#include "protocols/params.hpp"
#include "run/results_file.hpp"

namespace {

// The input's file, the same one for every input of the process.
const std::string& input_file() {
  static const std::string path = [] {
    const char* tmpdir = getenv("TMPDIR");
    std::string p = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/results-fuzz-XXXXXX";
    int fd = mkstemp(p.data());
    if (fd >= 0) close(fd);
    return p;
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  const std::string& file = input_file();
  {
    FILE* f = fopen(file.c_str(), "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
  }
  try {
    run::MergedResults merged({file});
    std::ostringstream out;
    merged.write(out);
    try {
      run::MergedResults twice({file, file});
    } catch (const protocols::ScenarioError&) {
    }
  } catch (const protocols::ScenarioError&) {
  }
  return 0;
}
