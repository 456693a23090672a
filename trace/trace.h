// One migration's trace (docs/traces.md) as plain records: what the reader
// produces, what replay and explain consume. Job statistics stay the JSON
// object libvirt's names and units gave them: converting them to a JobSample
// is the hypervisor stage's one conversion (hypervisor/libvirt_codes.h).
// Value types; not thread-safe by themselves.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace migmon::trace {

struct TraceRecord {
  enum class Kind { kJobStats, kIterationEvent, kLimits, kCompletedJob, kDecision, kMark };
  Kind kind = Kind::kJobStats;
  double t = 0;                          // seconds since the recording started
  nlohmann::json stats;                  // kJobStats, kCompletedJob: libvirt's typed parameters
  uint64_t iteration = 0;                // kIterationEvent
  std::optional<uint64_t> max_downtime_ms;  // kLimits
  std::optional<uint64_t> max_speed_mib;    // kLimits (libvirt's report: 0 or huge = unlimited)
  std::string action, reason, text;      // kDecision (text: message); kMark (text: what)
  bool dry_run = false;                  // kDecision: decided in observe mode, not carried out
};

struct TraceMeta {
  std::string source;     // monitor, record, lab; empty for a bare trace
  std::string domain;     // name
  std::string uuid;
  std::optional<uint64_t> memory_bytes;
  std::string scenario, note;
  std::optional<bool> expect_converges;  // lab scenarios: what they were built to do
};

struct Trace {
  std::string path;  // as given, for messages
  bool bare = false; // job-stats lines only, no header
  TraceMeta meta;
  std::vector<TraceRecord> records;  // in time order (stable by t)
};

}  // namespace migmon::trace
