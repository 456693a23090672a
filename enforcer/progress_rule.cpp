#include "enforcer/progress_rule.h"

#include <algorithm>

namespace migmon::enforcer {
namespace {

// The best (lowest) seen start among passes from the second on, excluding `skip`.
std::optional<uint64_t> BestEarlierStart(const MigrationHistory& h, const PassRecord* skip) {
  std::optional<uint64_t> best = h.best_start_level;
  for (const auto& p : h.passes) {
    if (&p == skip || p.iteration < 2 || !p.start_seen) continue;
    best = best ? std::min(*best, p.start_level) : p.start_level;
  }
  return best;
}

bool Productive(const MigrationHistory& h, const PassRecord& pass) {
  if (pass.iteration <= 2) return true;
  if (!pass.start_seen) return false;
  const auto best = BestEarlierStart(h, &pass);
  if (!best) return true;
  return static_cast<double>(pass.start_level) <= (1.0 - kProductiveDrop) * static_cast<double>(*best);
}

void Trim(MigrationHistory& h) {
  while (h.passes.size() > kPassesKept) {
    const PassRecord& gone = h.passes.front();
    if (gone.iteration >= 2 && gone.start_seen) {
      h.best_start_level = h.best_start_level ? std::min(*h.best_start_level, gone.start_level)
                                              : gone.start_level;
    }
    h.passes.erase(h.passes.begin());
  }
}

}  // namespace

double StallClockStart(const MigrationHistory& h) { return std::max(h.last_progress_at, h.covered_until); }

std::optional<uint64_t> RemainingLevel(const JobSample& s) {
  // Right after the job starts libvirt reports zeros: no level yet, or
  // every later level would look like a step back from 0.
  if (s.data_total_bytes && *s.data_total_bytes == 0) return std::nullopt;
  if (s.data_remaining_bytes) return s.data_remaining_bytes;
  if (!s.memory_remaining_bytes && !s.disk_remaining_bytes) return std::nullopt;
  return s.memory_remaining_bytes.value_or(0) + s.disk_remaining_bytes.value_or(0);
}

MigrationHistory StartHistory(const JobSample& first, uint64_t memory_bytes, double now) {
  MigrationHistory h;
  h.discovered_at = now;
  h.last_progress_at = now;
  h.job_started_at = now - first.elapsed_seconds.value_or(0.0);
  h.memory_bytes = memory_bytes;
  // What was sent before discovery counts like a burst (rule 4): a disk
  // mirror found right after it copied a large first chunk is pausing, not stuck.
  if (first.bandwidth_limit_bytes_per_second && *first.bandwidth_limit_bytes_per_second > 0) {
    h.covered_until = h.job_started_at + static_cast<double>(first.data_processed_bytes.value_or(0)) /
                                             *first.bandwidth_limit_bytes_per_second;
  }
  return h;
}

void Observe(MigrationHistory& h, const JobSample& s, bool at_iteration_event,
             size_t steps_available, double now) {
  h.disk_bytes = std::max(h.disk_bytes, s.disk_total_bytes.value_or(0));
  const auto level = RemainingLevel(s);
  if (!level) return;
  // A sample without an iteration (e.g. read while the job is torn down) or
  // with a lower one than seen belongs to the current pass: passes only go up.
  const uint64_t current = h.passes.empty() ? 0 : h.passes.back().iteration;
  const uint64_t iteration = std::max(current, s.memory_iteration.value_or(current));

  if (h.passes.empty() || iteration != h.passes.back().iteration) {
    PassRecord pass{iteration, *level, at_iteration_event, *level, false};
    pass.productive = Productive(h, pass);
    h.passes.push_back(pass);
    if (iteration >= 3 && !pass.productive && h.downtime_steps_applied < steps_available) {
      h.downtime_step_due = true;
    }
    Trim(h);
    return;
  }

  PassRecord& pass = h.passes.back();
  if (at_iteration_event && !pass.start_seen) {
    // A poll saw this pass before its event did: the event proves the start.
    pass.start_seen = true;
    pass.start_level = std::max(pass.start_level, *level);
    pass.productive = Productive(h, pass);
    if (pass.productive) h.downtime_step_due = false;
  }
  if (*level < pass.low) {
    const uint64_t fell = pass.low - *level;
    pass.low = *level;
    if (pass.productive) {
      h.last_progress_at = now;
      if (s.bandwidth_limit_bytes_per_second && *s.bandwidth_limit_bytes_per_second > 0) {
        h.covered_until = std::max(h.covered_until, now) + static_cast<double>(fell) / *s.bandwidth_limit_bytes_per_second;
      }
    }
  }
}

}  // namespace migmon::enforcer
