// A model of one pre-copy migration, updated with every sample: how fast it
// sends, how fast the guest dirties memory, where the passes are heading,
// when it will end and whether it can end at all at the current speed and
// allowed downtime.
//
// The physics it rests on (QEMU's pre-copy):
//  - Within a memory pass the level (data_remaining) falls by what is sent;
//    pages dirtied meanwhile wait for the next pass. So the next pass starts
//    at what the guest dirtied during this one.
//  - QEMU's dirty rate is the pages dirtied between two bitmap syncs over
//    the time between them; syncs happen at pass boundaries. So from pass 2
//    on, dirty rate / transfer rate = (start of this pass) / (bytes sent in
//    the previous one): r = D / B is the factor by which pass starts shrink,
//    with B the previous pass's average send rate.
//    r stays near 1 when the guest dirties as fast as the link sends (or its
//    working set exceeds what one pass can drain), and passes stop shrinking.
//  - QEMU switches over when what is pending fits the allowed downtime:
//    pending <= B x downtime (the threshold below).
// Prediction from pass k at level L, start S: finish this pass at the rate
// the level falls, then passes S' = D x (length of the previous pass) until
// one starts under the threshold; that one is sent while the guest is
// paused. With r >= kNoConvergeRatio the passes do not shrink enough to
// matter: the verdict is "will not converge" and there is no ETA.
//
// Pure functions over plain values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "samples/job_sample.h"

namespace migmon {

// dirty / transfer at or above this: the verdict is "will not converge".
// Matches the progress rule's 10% (a pass must start 10% lower).
inline constexpr double kNoConvergeRatio = 0.9;
// QEMU's default allowed downtime, used when the sample carries none.
inline constexpr double kDefaultAllowedDowntimeSeconds = 0.3;
// Smoothing of the measured transfer rate (KubeVirt's detector uses 0.4).
inline constexpr double kTransferRateAlpha = 0.4;
// r must stay at or above kNoConvergeRatio this long, from the start of the
// pass that first reported it, for the verdict: a short pass of a small
// working set can read high and still end.
inline constexpr double kNoConvergeSustainSeconds = 2.0;

enum class Verdict { kUnknown, kConverges, kWillNotConverge };
const char* VerdictName(Verdict v);  // "unknown", "converges", "will_not_converge"

// What the model keeps between samples. Value type.
struct ModelState {
  bool started = false;
  double last_t = 0;               // time of the previous sample, seconds
  uint64_t last_processed = 0;     // memory_processed (+ disk) at it
  std::optional<double> transfer_bps;  // smoothed rate of bytes sent
  uint64_t iteration = 0;          // current pass
  double pass_first_t = 0;         // when the current pass was first seen
  uint64_t pass_start_level = 0;   // its start (the highest level seen in it)
  double pass_start_t = 0;         // estimated start time
  std::optional<uint64_t> previous_start_level;  // start of the previous pass (from pass 2 on)
  std::optional<uint64_t> floor_level;           // lowest start once starts stopped shrinking
  uint64_t pass_first_sent = 0;    // bytes sent when the current pass was first seen
  // The previous pass's average send rate: what its dirtied pages are
  // measured against (the smoothed rate dips at every pass boundary).
  std::optional<double> previous_pass_rate;
  std::optional<double> high_ratio_since;  // r >= kNoConvergeRatio on every sample since
};

struct Prediction {
  std::optional<double> transfer_bps;  // smoothed bytes/s sent (memory + disk)
  std::optional<double> dirty_bps;     // QEMU's dirty rate, bytes/s (from pass 2 on)
  std::optional<double> ratio;         // dirty / transfer
  std::optional<uint64_t> floor_bytes; // where pass starts stopped shrinking
  std::optional<double> eta_seconds;   // from this sample to the predicted end
  std::optional<uint64_t> total_bytes; // predicted data sent by the end, all passes
  std::optional<double> switchover_seconds;  // downtime if it switched over now: remaining / rate
  double allowed_downtime_seconds = kDefaultAllowedDowntimeSeconds;
  Verdict verdict = Verdict::kUnknown;
};

// Folds a sample taken at `now` (seconds, any monotonic origin) into the
// state and predicts from it. Samples without a level (the job's first
// zeros) change nothing and predict nothing.
// at_iteration_event: the sample was read right after libvirt's iteration
// event, so a new pass it shows started just now.
Prediction UpdateModel(ModelState& state, const JobSample& sample, double now, bool at_iteration_event);

}  // namespace migmon
