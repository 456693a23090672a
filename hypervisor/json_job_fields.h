// Job statistics kept as JSON by libvirt's field names (traces, recordings:
// docs/traces.md) read through the same conversion as a live session's
// typed parameters (libvirt_codes.h). Needs no libvirt.
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "hypervisor/libvirt_codes.h"

namespace migmon::hv {

// Reads fields of a JSON object of job statistics; it must outlive the reader.
class JsonJobFields final : public JobFields {
 public:
  explicit JsonJobFields(const nlohmann::json& stats) : stats_(stats) {}
  std::optional<uint64_t> ULL(const char* name) const override;
  std::optional<int> Int(const char* name) const override;
  std::optional<bool> Bool(const char* name) const override;
  std::optional<std::string> String(const char* name) const override;

 private:
  const nlohmann::json& stats_;
};

// A JobSample from such an object; the job type is its "type" field (a
// libvirt virDomainJobType, kJobNone when absent).
JobSample JobSampleFromJson(const nlohmann::json& stats, SteadyTime sampled_at);

}  // namespace migmon::hv

namespace migmon::hv {

// The inverse, for recordings: a sample's figures back in libvirt's names
// and units (time in ms, dirty rate in pages/s of memory_page_size 4096),
// absent fields left out, so JobSampleFromJson(JobStatsJson(s)) == s up to
// rounding to libvirt's whole units.
nlohmann::json JobStatsJson(const JobSample& sample);

// The limits a sample carries, as libvirt reports them: max_downtime_ms and
// max_speed_mib (0: unlimited).
nlohmann::json LimitsJson(const JobSample& sample);

}  // namespace migmon::hv
