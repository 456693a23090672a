// Derived per-migration figures: pure functions of samples, tested alone.
#pragma once

#include <optional>

#include "samples/job_sample.h"

namespace migmon {

// Progress of a migration, 0..1, that never goes backwards.
//
//   expected = guest memory + disk_total            (disk_total when a block migration reports it)
//   left     = memory_remaining + disk_remaining    (all of memory while the memory copy has
//                                                    not started, i.e. memory_total is 0 or absent)
//   raw      = clamp(1 - left / expected, 0, 1)
//   progress = max(previous progress, raw)
//
// Why not data_processed / data_total: libvirt's data_total covers only the
// disks during a block migration's disk phase and grows when the memory copy
// starts, and memory passes after the first resend dirty pages, so processed
// exceeds total. Counting the guest's memory from the start keeps the
// denominator stable; the max() keeps a later pass (which re-sends dirtied
// pages, so `left` jumps up) from moving the ratio back.
double NextProgressRatio(double previous, const JobSample& sample, uint64_t guest_memory_bytes);

// Disk copy rate: libvirt's disk_bps when it reports one, otherwise derived
// from disk_processed between two samples (the disk phase of a block
// migration reports no disk_bps). nullopt when neither is possible.
std::optional<double> DiskRate(const JobSample* previous, const JobSample& current);

}  // namespace migmon
