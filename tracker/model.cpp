#include "tracker/model.h"

#include <algorithm>
#include <cmath>

#include "samples/level.h"

namespace migmon {
namespace {

// Passes simulated ahead at most: with r < kNoConvergeRatio the starts fall
// by 10% a pass, so a few hundred reach any threshold from any size.
constexpr int kMaxPassesAhead = 400;
// The fall of the level is measured over at least this long, else the
// transfer rate stands in for it.
constexpr double kMinFallSeconds = 1.0;
// No prediction past this many bytes (2^62: far beyond any guest).
constexpr double kMaxPredictedBytes = 4.6e18;
// What a pass sends in this long no longer matters to the end.
constexpr double kNegligibleSeconds = 0.01;

struct Ahead {
  double seconds = 0;
  double bytes = 0;
};

// The rest of the migration from a pass at `level`, per the header: send
// this pass down to `threshold` at `fall` bytes/s; meanwhile the guest dirties
// `dirty` bytes/s, which the next pass sends at `rate`, and so on until what
// a pass must send is negligible; then the last `threshold` bytes go while
// the guest is paused. nullopt when the passes do not shrink.
std::optional<Ahead> Simulate(double level, double pass_seconds_so_far, double fall, double rate, double dirty,
                              double threshold) {
  if (level <= threshold) return Ahead{level / rate, level};
  Ahead a;
  double excess = level - threshold;
  double length = excess / fall;
  double dirtied = dirty * (pass_seconds_so_far + length);
  const double negligible = rate * kNegligibleSeconds;
  for (int i = 0; i < kMaxPassesAhead; ++i) {
    a.seconds += length;
    a.bytes += excess;
    if (dirtied <= negligible) {
      a.seconds += threshold / rate;
      a.bytes += threshold;
      return a;
    }
    if (dirtied >= excess && i > 0) return std::nullopt;
    excess = dirtied;
    length = excess / rate;
    dirtied = dirty * length;
  }
  return std::nullopt;
}

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kConverges: return "converges";
    case Verdict::kWillNotConverge: return "will_not_converge";
    case Verdict::kUnknown: break;
  }
  return "unknown";
}

Prediction UpdateModel(ModelState& st, const JobSample& s, double now, bool at_iteration_event) {
  const auto level = RemainingLevel(s);
  if (!level) return {};
  const uint64_t sent = SentBytes(s);
  Prediction p;
  if (s.allowed_downtime_seconds && *s.allowed_downtime_seconds > 0) p.allowed_downtime_seconds = *s.allowed_downtime_seconds;

  // QEMU's own rate (memory_bps, over its last bandwidth window) is steady
  // where bytes sent between two samples jump at every pass boundary; the
  // latter stands in when libvirt reports no rate.
  if (s.memory_bytes_per_second && *s.memory_bytes_per_second > 0) {
    const double reported = *s.memory_bytes_per_second + s.disk_bytes_per_second.value_or(0);
    st.transfer_bps = st.transfer_bps ? kTransferRateAlpha * reported + (1 - kTransferRateAlpha) * *st.transfer_bps
                                      : reported;
  } else if (st.started && sent >= st.last_processed) {
    st.transfer_bps = SmoothRate(st.transfer_bps, sent - st.last_processed, now - st.last_t, kTransferRateAlpha);
  }

  const uint64_t iteration = std::max(st.iteration, s.memory_iteration.value_or(st.iteration));
  if (!st.started || iteration != st.iteration) {
    // A pass seen at its event starts now; one a poll found started between
    // the previous sample and this one.
    const double start_t = at_iteration_event || !st.started ? now : (st.last_t + now) / 2;
    const bool next_of_seen = st.started && iteration == st.iteration + 1;
    st.previous_start_level.reset();
    st.previous_pass_rate.reset();
    if (next_of_seen && now > st.pass_first_t && sent >= st.pass_first_sent) {
      st.previous_pass_rate = static_cast<double>(sent - st.pass_first_sent) / (now - st.pass_first_t);
    }
    if (next_of_seen && st.iteration >= 2) st.previous_start_level = st.pass_start_level;
    if (st.previous_start_level && iteration >= 3 &&
        static_cast<double>(*level) >= kNoConvergeRatio * static_cast<double>(*st.previous_start_level)) {
      const uint64_t low = std::min(*level, *st.previous_start_level);
      st.floor_level = st.floor_level ? std::min(*st.floor_level, low) : low;
    }
    st.iteration = iteration;
    st.pass_first_t = now;
    st.pass_first_sent = sent;
    st.pass_start_level = *level;
    st.pass_start_t = start_t;
  } else {
    st.pass_start_level = std::max(st.pass_start_level, *level);
  }
  st.started = true;
  st.last_t = now;
  st.last_processed = sent;

  p.transfer_bps = st.transfer_bps;
  p.floor_bytes = st.floor_level;
  if (!st.transfer_bps || *st.transfer_bps <= 0) return p;
  const double rate = *st.transfer_bps;
  p.switchover_seconds = static_cast<double>(*level) / rate;
  const double threshold = rate * p.allowed_downtime_seconds;

  // QEMU reports a dirty rate from the first bitmap sync on, i.e. pass 2.
  if (iteration >= 2 && s.dirty_bytes_per_second) {
    p.dirty_bps = *s.dirty_bytes_per_second;
    const double against = st.previous_pass_rate && *st.previous_pass_rate > 0 ? *st.previous_pass_rate : rate;
    p.ratio = *p.dirty_bps / against;
  }
  if (p.ratio && *p.ratio >= kNoConvergeRatio) {
    // QEMU reports the ratio at a pass's start (it describes the pass
    // before): it holds from then, not from when a poll first read it.
    if (!st.high_ratio_since) st.high_ratio_since = std::min(now, st.pass_start_t);
  } else {
    st.high_ratio_since.reset();
  }

  const double in_pass = now - st.pass_start_t;
  const double fell = static_cast<double>(st.pass_start_level) - static_cast<double>(*level);
  const double fall = in_pass >= kMinFallSeconds && fell > 0 ? fell / in_pass : rate;
  if (iteration == 0) return p;  // a block migration's disk phase: the memory is still to come
  const double dirty = p.dirty_bps.value_or(0);
  const auto ahead = Simulate(static_cast<double>(*level), in_pass, fall, rate, dirty, threshold);
  // Absurd figures (a trace's, say) give no prediction rather than one out of range.
  if (ahead && std::isfinite(ahead->seconds) && ahead->bytes >= 0 && ahead->bytes < kMaxPredictedBytes) {
    p.eta_seconds = ahead->seconds;
    p.total_bytes = sent + static_cast<uint64_t>(ahead->bytes);
  }
  // The level dips under the threshold at the end of every pass, stalling
  // or not: with a dirty rate the verdict rests on what the next pass will
  // start at, so it does not flip at each pass boundary.
  if (p.ratio) {
    const bool next_fits = *p.ratio * static_cast<double>(st.pass_start_level) <= threshold;
    const bool sustained = st.high_ratio_since && now - *st.high_ratio_since >= kNoConvergeSustainSeconds;
    if (sustained && !next_fits) {
      p.verdict = Verdict::kWillNotConverge;
    } else if (*p.ratio < kNoConvergeRatio || next_fits) {
      p.verdict = Verdict::kConverges;
    }
  } else if (static_cast<double>(*level) <= threshold) {
    p.verdict = Verdict::kConverges;
  }
  if (p.verdict == Verdict::kWillNotConverge) p.eta_seconds.reset(), p.total_bytes.reset();
  return p;
}

}  // namespace migmon
