// virDomainGetJobStats' typed parameters -> JobSample in base units, through
// the one conversion in libvirt_codes.h. Private to hypervisor/ (and its
// tests): it names libvirt types.
// Pure function; thread-safe.
#pragma once

#include <libvirt/libvirt.h>

#include "samples/job_sample.h"

namespace migmon::hv {

JobSample ConvertJobStats(int job_type, const virTypedParameter* params, int count,
                          SteadyTime sampled_at);

}  // namespace migmon::hv
