// What counts as real progress of a migration: the rule behind progressTimeout.
//
// The level of a sample is data_remaining (memory AND disk). Within a memory
// pass it falls towards zero; at the next pass it jumps back up to the set of
// pages dirtied meanwhile, whether the migration converges or not. So neither
// "lower than the previous sample" (never sees a stall) nor "a new all-time
// low" (aborts a healthy guest whose second pass outlasts the timeout) nor
// "compare pass starts only" (aborts a slow first pass) works. The rule:
//
//  1. The disk phase of a block migration (memory_iteration 0) and the first
//     two memory passes are progress while they fall or send: each copies a
//     bounded amount (the disks once; all of memory; then what the first pass
//     let be dirtied), so every byte sent there leads to the end, whatever a
//     noisy level reads meanwhile. (The first pass starts from all of memory,
//     untouched pages included, and the second from the dirty set only, so the
//     second always starts lower: it proves nothing.)
//  2. From the third pass on, a pass is productive when it started at least
//     10% lower than every earlier pass from the second on. A saw tooth that
//     keeps coming back to the same level (the guest dirties memory as fast
//     as the link sends it) fails this. A productive pass's start is progress,
//     and so are its fall and what it sends.
//  3. A new pass is known from memory_iteration, event or not. Its start is
//     known within bounds (enforcer/history.h, PassStart): exact at its event;
//     between the level a poll first saw and that plus what was sent since
//     the previous sample; only from below when found at discovery or after a
//     gap. The lower bound is the median of what the pass's first samples say
//     (each sample's level plus what was sent since the first), so one noisy
//     sample cannot move it. The comparison is made with the bounds: a pass
//     is surely unproductive when even its lowest possible start is not 10%
//     under the highest possible best earlier start, surely productive when
//     its highest possible start is; otherwise it is undecided.
//  4. QEMU's own figures arbitrate: its dirty rate at a pass is what the
//     guest dirtied during the previous pass over that pass's length, so
//     dirty / transfer rate is the ratio of this pass's start to what the
//     previous pass sent, measured without our sampling. An undecided pass is
//     productive when that ratio is under kNoConvergeRatio (0.9, the same 10%)
//     and unproductive when it is not; where the two disagree the ratio wins,
//     unless the levels are clear: a start at least 20% under the best
//     earlier one is productive whatever the ratio (the last short passes of
//     a converging guest read odd ratios; noisy levels rarely fake a 20%
//     drop). Without a dirty rate the levels decide, and an undecided pass
//     gets the benefit of the doubt.
//  5. Progress that comes in bursts is credited for the time the migration's
//     speed limit needs to send it: QEMU's disk mirror copies in 16 MiB steps
//     and may send tens of MiB at once, then pause until its average is back
//     at the cap; the pause is not a stall. The bytes actually sent since the
//     previous sample (data_processed: skipped zero pages do not count) under
//     a limit of B bytes/s cover sent / B seconds from the later of that
//     sample's time and the time already covered.
//  6. The migration stalls when nothing was progress, and no burst covers
//     the time, for progressTimeout seconds, counted from its discovery.
//
// Pure functions over plain values; thread-safe.
#pragma once

#include <optional>

#include "enforcer/history.h"
#include "samples/job_sample.h"

namespace migmon::enforcer {

// A later pass must start this much lower than the best earlier start.
inline constexpr double kProductiveDrop = 0.10;
// Pass records kept for logs; the judgement only needs the best start.
inline constexpr size_t kPassesKept = 16;
// A pass's start is re-estimated from this many of its first samples.
inline constexpr size_t kStartSamples = 9;

// The time from which a stall is counted: the last progress, or the end of
// the time a burst covers, whichever is later.
double StallClockStart(const MigrationHistory& h);

// A fresh history for a migration discovered now.
MigrationHistory StartHistory(const JobSample& first, uint64_t memory_bytes, double now);

// Folds one sample into the history: records and judges passes, moves
// last_progress_at on progress, and marks a downtime step due when a pass
// from the third on is not productive and steps_available (the escalation
// steps configured) are not used up.
void Observe(MigrationHistory& h, const JobSample& sample, bool at_iteration_event,
             size_t steps_available, double now);

}  // namespace migmon::enforcer
