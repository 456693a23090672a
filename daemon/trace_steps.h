// A trace (trace/trace.h) turned into the steps a replay runs: job-stats
// records through the hypervisor stage's one conversion, with the speed
// limit and allowed downtime in force at each, and which samples count as
// read at their pass's iteration event. What the replay, explain and the
// corpus tests share.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "enforcer/replay.h"
#include "trace/trace.h"

namespace migmon::app {

struct TraceOptions {
  // How iteration events are taken: kSeen uses the recorded events, or in a
  // trace without any the first sample of each new memory_iteration; kNone
  // derives passes from the polls alone.
  enum class Events { kSeen, kNone };
  Events events = Events::kSeen;
  std::optional<uint64_t> memory_bytes;           // --memory: wins over the trace
  std::optional<double> bandwidth_bytes_per_second;  // --bandwidth: the speed limit
  std::optional<double> max_downtime_seconds;     // --max-downtime: the allowed downtime
};

// QEMU's allowed downtime when neither the trace nor the flags give one.
inline constexpr double kQemuDefaultDowntimeSeconds = 0.3;

struct TraceRun {
  std::vector<enforcer::ReplayStep> steps;  // active outgoing job samples, in time order
  uint64_t memory_bytes = 0;
  // The end as libvirt recorded it: the completed job's time_elapsed, and
  // whether it succeeded (absent when the trace holds no completed job).
  std::optional<double> end_elapsed_seconds;
  std::optional<bool> completed;
  std::vector<trace::TraceRecord> decisions;  // the monitor's, when it recorded them
};

// Throws trace::TraceError naming the file and what is missing (e.g. the
// guest's memory in a bare trace without --memory).
TraceRun StepsOf(const trace::Trace& trace, const TraceOptions& options);

}  // namespace migmon::app
