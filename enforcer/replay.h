// Runs a migration's samples through the enforcer's own rule and decisions
// and the model, as the monitor would have run them, and says what each
// sample led to. What `migration-monitor replay` and `explain` print, and
// what the trace corpus tests assert. Also the rules of the anchors as
// baselines, to show where each would have fired.
//
// Pure functions of plain values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "enforcer/decide.h"
#include "enforcer/history.h"
#include "enforcer/policy.h"
#include "samples/job_sample.h"
#include "tracker/model.h"

namespace migmon::enforcer {

struct ReplayStep {
  double t = 0;              // seconds on the trace's clock (monotonic)
  JobSample sample;          // base units; limits already filled in
  bool at_event = false;     // read right after its pass's iteration event
};

struct ReplayRow {
  double t = 0;              // the step's clock
  double elapsed = 0;        // the job's time_elapsed, seconds
  uint64_t iteration = 0;
  uint64_t remaining_bytes = 0;
  uint64_t sent_bytes = 0;   // data_processed
  Prediction prediction;
  std::optional<Decision> action;  // none after a terminal action
};

struct ReplayResult {
  std::vector<ReplayRow> rows;       // one per step with a level
  std::optional<size_t> terminal;    // index of the row with the abort / post-copy
  MigrationHistory history;          // at the end
};

// memory_bytes: the guest's memory, for the completion budget.
ReplayResult Replay(const std::vector<ReplayStep>& steps, const Policy& policy, uint64_t memory_bytes);

// The anchors' progress rules, each with the same progressTimeout clock.
enum class Baseline {
  kLowerThanPrevious,  // progress when the level is below the previous sample's (KubeVirt today)
  kRunningMinimum,     // progress when the level is a new low (Nova, KubeVirt before v1.x)
};
const char* BaselineName(Baseline b);  // "lower-than-previous", "running-minimum"

// When `b` would have aborted (seconds on the trace's clock), or nullopt.
std::optional<double> BaselineAbort(Baseline b, const std::vector<ReplayStep>& steps, double progress_timeout);

}  // namespace migmon::enforcer
