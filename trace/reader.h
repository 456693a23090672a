// Reads a trace file: the monitor's recordings, the lab's, or a bare list of
// job-stats objects (docs/traces.md). Unknown kinds and fields are skipped,
// as the format promises; anything else malformed is an error that names the
// file, the line and what is wrong.
// Pure functions; thread-safe.
#pragma once

#include <istream>
#include <stdexcept>
#include <string>

#include "trace/trace.h"

namespace migmon::trace {

struct TraceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The latest time a record may carry, in seconds since the recording started.
inline constexpr double kMaxTraceSeconds = 1e9;
// Lines longer than this are refused: no sample comes near it.
inline constexpr size_t kMaxLineBytes = 64 * 1024;

Trace ReadTrace(std::istream& in, const std::string& path);
Trace ReadTraceFile(const std::string& path);  // throws TraceError when it cannot be opened

}  // namespace migmon::trace
