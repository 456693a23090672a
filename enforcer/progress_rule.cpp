#include "enforcer/progress_rule.h"

#include <algorithm>
#include <cstdint>

#include "samples/level.h"
#include "tracker/model.h"

namespace migmon::enforcer {
namespace {

constexpr uint64_t kUnbounded = UINT64_MAX;

struct Bounds {
  std::optional<uint64_t> low;   // the lowest the best earlier start can be
  std::optional<uint64_t> high;  // the highest it can be
};

// Bounds of the best (lowest) start among the passes from the second on
// before `pass`, dropped ones included.
Bounds BestEarlierStart(const MigrationHistory& h, const PassRecord& pass) {
  Bounds b{h.best_start_level, h.best_start_upper};
  for (const auto& p : h.passes) {
    if (&p == &pass || p.iteration < 2) continue;
    b.low = b.low ? std::min(*b.low, p.start_level) : p.start_level;
    b.high = b.high ? std::min(*b.high, p.start_upper) : p.start_upper;
  }
  return b;
}

// kClearly: at least twice the drop under the best earlier start, which a
// dirty/transfer ratio of kNoConvergeRatio or more does not overrule.
enum class LevelsSay { kClearly, kProductive, kUnproductive, kUndecided };

bool Under(uint64_t start, uint64_t earlier, double drop) {
  return static_cast<double>(start) <= (1.0 - drop) * static_cast<double>(earlier);
}

LevelsSay JudgeByLevels(const MigrationHistory& h, const PassRecord& pass) {
  const Bounds best = BestEarlierStart(h, pass);
  if (!best.low) return LevelsSay::kUndecided;
  if (pass.start_upper != kUnbounded && Under(pass.start_upper, *best.low, kProductiveDrop)) {
    return Under(pass.start_level, *best.low, 2 * kProductiveDrop) ? LevelsSay::kClearly : LevelsSay::kProductive;
  }
  if (*best.high != kUnbounded && !Under(pass.start_level, *best.high, kProductiveDrop)) return LevelsSay::kUnproductive;
  return LevelsSay::kUndecided;
}

// dirty / transfer for the current pass: QEMU's dirty rate over the previous
// pass's average send rate (what tracker/model.h uses too), or over QEMU's
// own send rate when that pass was not seen from its start.
std::optional<double> DirtyToTransfer(const MigrationHistory& h, const JobSample& s) {
  if (!s.dirty_bytes_per_second) return std::nullopt;
  std::optional<double> rate = h.transfer_bps;
  if (!rate && s.memory_bytes_per_second) rate = *s.memory_bytes_per_second;
  if (!rate || *rate <= 0) return std::nullopt;
  return *s.dirty_bytes_per_second / *rate;
}

bool Productive(const MigrationHistory& h, const PassRecord& pass, std::optional<double> ratio) {
  if (pass.iteration <= 2) return true;
  switch (JudgeByLevels(h, pass)) {
    case LevelsSay::kClearly: return true;
    case LevelsSay::kProductive: return !ratio || *ratio < kNoConvergeRatio;
    case LevelsSay::kUnproductive: return ratio && *ratio < kNoConvergeRatio;
    case LevelsSay::kUndecided: break;
  }
  return !ratio || *ratio < kNoConvergeRatio;
}

uint64_t Median(std::vector<uint64_t> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

void Trim(MigrationHistory& h) {
  while (h.passes.size() > kPassesKept) {
    const PassRecord& gone = h.passes.front();
    if (gone.iteration >= 2) {
      h.best_start_level = h.best_start_level ? std::min(*h.best_start_level, gone.start_level) : gone.start_level;
      h.best_start_upper = h.best_start_upper ? std::min(*h.best_start_upper, gone.start_upper) : gone.start_upper;
    }
    h.passes.erase(h.passes.begin());
  }
}

// Judges `pass` again; a change of mind is applied to the stall clock and
// the escalation as if judged so from the start.
void Judge(MigrationHistory& h, PassRecord& pass, std::optional<double> ratio, size_t steps_available, double now) {
  const bool productive = Productive(h, pass, ratio);
  pass.productive = productive;
  if (productive) {
    h.last_progress_at = now;  // a productive start is progress
    h.downtime_step_due = false;
  } else if (pass.iteration >= 3 && h.downtime_steps_applied < steps_available) {
    h.downtime_step_due = true;
  }
}

}  // namespace

double StallClockStart(const MigrationHistory& h) { return std::max(h.last_progress_at, h.covered_until); }

MigrationHistory StartHistory(const JobSample& first, uint64_t memory_bytes, double now) {
  MigrationHistory h;
  h.discovered_at = now;
  h.last_progress_at = now;
  h.job_started_at = now - first.elapsed_seconds.value_or(0.0);
  h.memory_bytes = memory_bytes;
  h.last_sample_at = now;
  h.last_sent = SentBytes(first);
  // What was sent before discovery counts like a burst (rule 5): a disk
  // mirror found right after it copied a large first chunk is pausing, not stuck.
  if (first.bandwidth_limit_bytes_per_second && *first.bandwidth_limit_bytes_per_second > 0) {
    h.covered_until = h.job_started_at + static_cast<double>(h.last_sent) / *first.bandwidth_limit_bytes_per_second;
  }
  return h;
}

void Observe(MigrationHistory& h, const JobSample& s, bool at_iteration_event,
             size_t steps_available, double now) {
  h.disk_bytes = std::max(h.disk_bytes, s.disk_total_bytes.value_or(0));
  const auto level = RemainingLevel(s);
  if (!level) return;
  const uint64_t sent_total = SentBytes(s);
  const bool have_previous = h.last_sample_at.has_value();
  const uint64_t sent = have_previous && sent_total >= h.last_sent ? sent_total - h.last_sent : 0;
  const double previous_at = h.last_sample_at.value_or(now);
  h.last_sample_at = now;
  h.last_sent = sent_total;

  // A sample without an iteration (e.g. read while the job is torn down) or
  // with a lower one than seen belongs to the current pass: passes only go up.
  const uint64_t current = h.passes.empty() ? 0 : h.passes.back().iteration;
  const uint64_t iteration = std::max(current, s.memory_iteration.value_or(current));
  if (!h.passes.empty() && iteration != current) {
    // The pass that just ended, from its first sample to this one.
    const PassRecord& ended = h.passes.back();
    h.transfer_bps.reset();
    if (ended.first_seen_at > 0 && now > ended.first_seen_at && sent_total >= ended.sent_at_first) {
      h.transfer_bps = static_cast<double>(sent_total - ended.sent_at_first) / (now - ended.first_seen_at);
    }
  }
  const auto ratio = DirtyToTransfer(h, s);

  if (h.passes.empty() || iteration != h.passes.back().iteration) {
    PassRecord pass;
    pass.iteration = iteration;
    pass.low = *level;
    pass.sent_at_first = sent_total;
    pass.first_seen_at = now;
    pass.estimates = {*level};
    pass.start_level = *level;
    if (at_iteration_event) {
      pass.start = PassStart::kAtEvent;
      pass.start_upper = *level;
    } else if (!h.passes.empty() && iteration == current + 1 && have_previous) {
      pass.start = PassStart::kByPoll;
      pass.start_upper = *level + sent;
    } else {
      pass.start = PassStart::kUnseen;
      pass.start_upper = kUnbounded;
    }
    h.passes.push_back(pass);
    Judge(h, h.passes.back(), ratio, steps_available, now);
    Trim(h);
    return;
  }

  PassRecord& pass = h.passes.back();
  if (at_iteration_event && pass.start != PassStart::kAtEvent) {
    // A poll saw this pass before its event did: the event's sample, read
    // right after the pass began, bounds its start from below as well.
    pass.start = PassStart::kAtEvent;
    pass.estimates.push_back(*level + (sent_total - std::min(sent_total, pass.sent_at_first)));
    pass.start_level = std::max(pass.start_level, Median(pass.estimates));
    pass.start_upper = std::max(pass.start_level, std::min(pass.start_upper, *level + sent));
    Judge(h, pass, ratio, steps_available, now);
  } else if (pass.estimates.size() < kStartSamples && s.data_processed_bytes) {
    const uint64_t since_first = sent_total >= pass.sent_at_first ? sent_total - pass.sent_at_first : 0;
    pass.estimates.push_back(*level + since_first);
    const uint64_t width = pass.start_upper == kUnbounded ? kUnbounded : pass.start_upper - pass.start_level;
    pass.start_level = Median(pass.estimates);
    pass.start_upper = width == kUnbounded ? kUnbounded : pass.start_level + width;
    const bool was = pass.productive;
    pass.productive = Productive(h, pass, ratio);
    if (pass.productive != was) Judge(h, pass, ratio, steps_available, now);
  }
  // A productive pass is bounded, so what it sends brings the end nearer
  // however the level reads (rule 1): bytes sent count as much as a fall.
  const bool fell = *level < pass.low;
  if (fell) pass.low = *level;
  if (pass.productive && (fell || sent > 0)) {
    h.last_progress_at = now;
    if (s.bandwidth_limit_bytes_per_second && *s.bandwidth_limit_bytes_per_second > 0) {
      h.covered_until = std::max(h.covered_until, previous_at) + static_cast<double>(sent) / *s.bandwidth_limit_bytes_per_second;
    }
  }
}

}  // namespace migmon::enforcer
