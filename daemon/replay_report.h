// What replay and explain print for one trace: a table or JSON lines of
// every sample, a summary of what would have been done and when, and the
// story of the passes. Pure functions of the replay's values; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "daemon/trace_steps.h"
#include "enforcer/replay.h"

namespace migmon::app {

struct ReplayReport {
  std::string path;
  const TraceRun& run;
  const enforcer::ReplayResult& result;
  double progress_timeout_seconds = 0;
  bool compare = false;  // add the anchors' rules to the summary
};

// One object per sample: t, iteration, remaining_bytes, eta_seconds,
// converges, action, and the model's figures; "trace" when `name_trace`.
std::string ReplayJsonl(const ReplayReport& report, bool name_trace);
std::string ReplayTable(const ReplayReport& report);
std::string Explain(const ReplayReport& report);

// "aborted at 25.1 s by the progress rule: no progress for 3 s (...)": the
// terminal decision in one sentence, or what the trace did without one.
std::string Outcome(const ReplayReport& report);

}  // namespace migmon::app
