#pragma once
// Temporary output files (NAME.tmp, run/output_file.hpp) that must not outlive a process stopped
// by a signal: a trace being written can be gigabytes. A fixed table of the live paths, which the
// signal handler can walk without allocating or locking (async-signal-safe), unlinks them and
// then lets the signal end the process as it would have.

#include <string>

namespace faultline::run {

// Installs the handler for SIGINT, SIGTERM and SIGHUP (the executable calls it once at start).
void remove_temporaries_on_signal();

// Records a live temporary file; returns its slot, or -1 when the table is full or the path too
// long (the file is then only removed by its owner, as before).
int register_temporary(const std::string& path);
void unregister_temporary(int slot);

}  // namespace faultline::run
