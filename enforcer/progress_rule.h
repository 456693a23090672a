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
//     two memory passes are progress while they fall: each copies a bounded
//     amount (the disks once; all of memory; then what the first pass let be
//     dirtied), so falling there always leads to the end. (The first pass
//     starts from all of memory, untouched pages included, and the second from
//     the dirty set only, so the second always starts lower: it proves nothing.)
//  2. From the third pass on, a pass is progress while it falls only if it
//     started at least 10% lower than every earlier pass from the second on
//     whose start was seen. A saw tooth that keeps coming back to the same
//     level (the guest dirties memory as fast as the link sends it) fails this.
//  3. A pass's start level is taken at its iteration event; a poll that sees
//     the new pass first is corrected when the event's sample arrives (the
//     higher level wins: the level only falls during a pass). A pass from the
//     third on whose start was not seen (found by a sweep, or begun while the
//     monitor was down) is not progress. When no earlier start was seen to
//     compare with, a seen pass gets the benefit of the doubt once.
//  4. Progress that comes in bursts is credited for the time the migration's
//     speed limit needs to send it: QEMU's disk mirror copies in 16 MiB steps
//     and may send tens of MiB at once, then pause until its average is back
//     at the cap; the pause is not a stall. A fall of D bytes under a limit of
//     B bytes/s covers D / B seconds from the later of now and the time
//     already covered.
//  5. The migration stalls when nothing was progress, and no burst covers
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

// data_remaining, or memory + disk remaining when libvirt leaves it out;
// nullopt while data_total is still 0 (the job has just started).
std::optional<uint64_t> RemainingLevel(const JobSample& sample);

// The time from which a stall is counted: the last progress, or the end of
// the time a burst covers, whichever is later.
double StallClockStart(const MigrationHistory& h);

// A fresh history for a migration discovered now.
MigrationHistory StartHistory(const JobSample& first, uint64_t memory_bytes, double now);

// Folds one sample into the history: records pass starts, judges new passes,
// moves last_progress_at when the level falls in a productive pass, and marks
// a downtime step due when a pass from the third on is not productive and
// steps_available (the escalation steps configured) are not used up.
void Observe(MigrationHistory& h, const JobSample& sample, bool at_iteration_event,
             size_t steps_available, double now);

}  // namespace migmon::enforcer
