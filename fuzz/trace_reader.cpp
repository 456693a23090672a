// Traces (docs/traces.md) as replay and explain read them: any bytes either
// parse or throw TraceError naming the line; what parses goes through the
// conversion to samples, the enforcer's rule and the model without a crash
// or undefined behaviour, whatever the numbers in it.
#include <sstream>
#include <string>

#include "daemon/trace_steps.h"
#include "enforcer/replay.h"
#include "fuzz/fuzz_text.h"
#include "trace/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in{std::string(migmon::fuzz::AsText(data, size))};
  try {
    const migmon::trace::Trace trace = migmon::trace::ReadTrace(in, "fuzz.jsonl");
    migmon::app::TraceOptions options;
    options.memory_bytes = 64u << 20;  // so that a bare trace without memory_total still runs
    const migmon::app::TraceRun run = migmon::app::StepsOf(trace, options);
    migmon::enforcer::Policy policy;
    policy.max_downtime_steps_seconds = {0.5, 1.0};
    const auto result = migmon::enforcer::Replay(run.steps, policy, run.memory_bytes);
    if (result.rows.size() > run.steps.size()) migmon::fuzz::Violated("more rows than steps");
    (void)migmon::enforcer::BaselineAbort(migmon::enforcer::Baseline::kRunningMinimum, run.steps, 3);
  } catch (const migmon::trace::TraceError&) {
    return 0;
  }
  return 0;
}
