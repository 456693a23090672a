#include "enforcer/replay.h"

#include "enforcer/progress_rule.h"
#include "samples/level.h"

namespace migmon::enforcer {

ReplayResult Replay(const std::vector<ReplayStep>& steps, const Policy& policy, uint64_t memory_bytes) {
  ReplayResult out;
  ModelState model;
  bool started = false;
  for (const ReplayStep& step : steps) {
    const auto level = RemainingLevel(step.sample);
    if (!level) continue;
    if (!started) {
      out.history = StartHistory(step.sample, memory_bytes, step.t);
      started = true;
    }
    MigrationHistory& h = out.history;
    Observe(h, step.sample, step.at_event, policy.max_downtime_steps_seconds.size(), step.t);
    ReplayRow row;
    row.t = step.t;
    row.elapsed = step.sample.elapsed_seconds.value_or(step.t);
    row.iteration = h.passes.empty() ? 0 : h.passes.back().iteration;
    row.remaining_bytes = *level;
    row.sent_bytes = SentBytes(step.sample);
    row.prediction = UpdateModel(model, step.sample, step.t, step.at_event);
    if (!out.terminal) {
      for (Decision& d : Decide(h, step.sample, MigrationMode::kPreCopy, policy, step.t)) {
        if (d.action.kind == MigrationAction::Kind::kSetMaxDowntime) {
          ++h.downtime_steps_applied;
          h.downtime_step_due = false;
        } else {
          h.terminal_action_taken = true;
          h.postcopy_requested |= d.action.kind == MigrationAction::Kind::kStartPostCopy;
          out.terminal = out.rows.size();
        }
        row.action = std::move(d);
        break;  // one action a sample, as the enforcer takes them
      }
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

const char* BaselineName(Baseline b) {
  return b == Baseline::kLowerThanPrevious ? "lower-than-previous" : "running-minimum";
}

std::optional<double> BaselineAbort(Baseline b, const std::vector<ReplayStep>& steps, double progress_timeout) {
  std::optional<uint64_t> reference;  // the previous level, or the lowest so far
  double last_progress = 0;
  for (const ReplayStep& step : steps) {
    const auto level = RemainingLevel(step.sample);
    if (!level) continue;
    if (!reference) {
      reference = *level;
      last_progress = step.t;
      continue;
    }
    if (*level < *reference) last_progress = step.t;
    reference = b == Baseline::kLowerThanPrevious ? *level : std::min(*reference, *level);
    if (step.t - last_progress >= progress_timeout) return step.t;
  }
  return std::nullopt;
}

}  // namespace migmon::enforcer
