// Conversion of virDomainGetJobStats' typed parameters into a JobSample in
// base units. This is the single place that knows libvirt's units:
//   time_elapsed, time_remaining, downtime, setup_time: milliseconds -> seconds
//   memory_dirty_rate: pages/s -> bytes/s (x memory_page_size, 4096 if absent)
//   auto_converge_throttle: percent -> ratio
//   sizes stay bytes, memory_bps/disk_bps stay bytes/s.
// Pure function; thread-safe.
#pragma once

#include <libvirt/libvirt.h>

#include "samples/job_sample.h"

namespace migmon::hv {

JobSample ConvertJobStats(int job_type, const virTypedParameter* params, int count,
                          SteadyTime sampled_at);

}  // namespace migmon::hv
