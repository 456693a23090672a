#include "enforcer/decide.h"

#include "enforcer/progress_rule.h"

#include <cstdio>

namespace migmon::enforcer {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

std::string Format(const char* fmt, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

Decision Make(MigrationAction::Kind kind, ActionReason reason, std::string message,
              std::string log_message, double downtime = 0) {
  MigrationAction a;
  a.kind = kind;
  a.reason = reason;
  a.message = std::move(message);
  a.downtime_seconds = downtime;
  return Decision{std::move(a), std::move(log_message)};
}

std::string Remaining(const JobSample& s) {
  return Format("%.1f MiB remaining", static_cast<double>(s.data_remaining_bytes.value_or(0)) / (1 << 20));
}

}  // namespace

std::optional<double> CompletionBudgetSeconds(const MigrationHistory& h, const Policy& p) {
  if (p.completion_timeout_per_gib_seconds <= 0) return std::nullopt;
  const double gib = static_cast<double>(h.memory_bytes + h.disk_bytes) / kGiB;
  return static_cast<double>(p.completion_timeout_per_gib_seconds) * gib;
}

std::vector<Decision> Decide(const MigrationHistory& h, const JobSample& s, MigrationMode mode,
                             const Policy& p, double now) {
  if (mode != MigrationMode::kPreCopy || h.terminal_action_taken) return {};
  using K = MigrationAction::Kind;

  if (const auto budget = CompletionBudgetSeconds(h, p); budget && s.elapsed_seconds &&
                                                         *s.elapsed_seconds >= *budget) {
    const double gib = static_cast<double>(h.memory_bytes + h.disk_bytes) / kGiB;
    const std::string why = Format("not completed within %.0f s budget (%.2f GiB)", *budget, gib);
    const std::string numbers = why + Format(", elapsed %.1f s, ", *s.elapsed_seconds) +
                                Remaining(s) + ", passes started at " + DescribePassStarts(h);
    if (p.allow_post_copy && !h.postcopy_requested) {
      return {Make(K::kStartPostCopy, ActionReason::kCompletionTimeout, why + "; switched to post-copy", numbers)};
    }
    return {Make(K::kAbort, ActionReason::kCompletionTimeout, why, numbers)};
  }

  if (p.progress_timeout_seconds > 0 &&
      now - StallClockStart(h) >= static_cast<double>(p.progress_timeout_seconds)) {
    const std::string why = Format("no progress for %.0f s", static_cast<double>(p.progress_timeout_seconds)) +
                            " (passes started at " + DescribePassStarts(h) + ")";
    const std::string numbers = why + Format(", elapsed %.1f s, ", s.elapsed_seconds.value_or(0)) + Remaining(s);
    return {Make(K::kAbort, ActionReason::kProgressTimeout, why, numbers)};
  }

  if (h.downtime_step_due && h.downtime_steps_applied < p.max_downtime_steps_seconds.size() &&
      p.max_downtime_steps_seconds[h.downtime_steps_applied] <= p.max_downtime_seconds) {
    const double step = p.max_downtime_steps_seconds[h.downtime_steps_applied];
    const std::string why = Format("pass not 10%% below the earlier ones; allowed downtime raised to %.3g s", step);
    return {Make(K::kSetMaxDowntime, ActionReason::kEscalation, why,
                 why + " (passes started at " + DescribePassStarts(h) + ", " + Remaining(s) + ")", step)};
  }
  return {};
}

}  // namespace migmon::enforcer
