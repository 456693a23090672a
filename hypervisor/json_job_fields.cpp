#include "hypervisor/json_job_fields.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace migmon::hv {
namespace {

// A number a field may hold: finite, >= 0, and within the type.
template <typename T>
std::optional<T> Whole(const nlohmann::json& v) {
  if (!v.is_number()) return std::nullopt;
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < 0 || d > static_cast<double>(std::numeric_limits<T>::max())) return std::nullopt;
  return v.is_number_float() ? static_cast<T>(std::llround(d)) : v.get<T>();
}

}  // namespace

std::optional<uint64_t> JsonJobFields::ULL(const char* name) const {
  auto it = stats_.find(name);
  return it == stats_.end() ? std::nullopt : Whole<uint64_t>(*it);
}

std::optional<int> JsonJobFields::Int(const char* name) const {
  auto it = stats_.find(name);
  return it == stats_.end() ? std::nullopt : Whole<int>(*it);
}

std::optional<bool> JsonJobFields::Bool(const char* name) const {
  auto it = stats_.find(name);
  if (it == stats_.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (const auto n = Whole<int>(*it)) return *n != 0;
  return std::nullopt;
}

std::optional<std::string> JsonJobFields::String(const char* name) const {
  auto it = stats_.find(name);
  if (it == stats_.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

JobSample JobSampleFromJson(const nlohmann::json& stats, SteadyTime sampled_at) {
  const JsonJobFields fields(stats);
  return JobSampleFrom(fields.Int("type").value_or(code::kJobNone), fields, sampled_at);
}

}  // namespace migmon::hv

namespace migmon::hv {
namespace {

constexpr double kPageSize = 4096;

int TypeCode(JobType t) {
  switch (t) {
    case JobType::kBounded: return code::kJobBounded;
    case JobType::kUnbounded: return code::kJobUnbounded;
    case JobType::kCompleted: return code::kJobCompleted;
    case JobType::kFailed: return code::kJobFailed;
    case JobType::kCancelled: return code::kJobCancelled;
    case JobType::kNone: break;
  }
  return code::kJobNone;
}

int OperationCode(JobOperation op) {
  switch (op) {
    case JobOperation::kMigrationOut: return code::kOperationMigrationOut;
    case JobOperation::kMigrationIn: return code::kOperationMigrationIn;
    case JobOperation::kUnknown:
    case JobOperation::kOther: break;
  }
  return code::kOperationUnknown;
}

uint64_t Whole(double v) { return v <= 0 ? 0 : static_cast<uint64_t>(std::llround(std::min(v, 9.2e18))); }

}  // namespace

nlohmann::json JobStatsJson(const JobSample& s) {
  using namespace code;
  nlohmann::json j;
  j["type"] = TypeCode(s.type);
  if (s.operation != JobOperation::kUnknown) j[kOperation] = OperationCode(s.operation);
  const auto millis = [&](const char* name, const std::optional<double>& seconds) {
    if (seconds) j[name] = Whole(*seconds * 1000.0);
  };
  const auto bytes = [&](const char* name, const std::optional<uint64_t>& v) {
    if (v) j[name] = *v;
  };
  const auto rate = [&](const char* name, const std::optional<double>& v) {
    if (v) j[name] = Whole(*v);
  };
  millis(kTimeElapsed, s.elapsed_seconds);
  millis(kDowntime, s.expected_downtime_seconds);
  millis(kSetupTime, s.setup_seconds);
  millis(kDowntimeNet, s.downtime_net_seconds);
  bytes(kDataTotal, s.data_total_bytes);
  bytes(kDataProcessed, s.data_processed_bytes);
  bytes(kDataRemaining, s.data_remaining_bytes);
  bytes(kMemoryTotal, s.memory_total_bytes);
  bytes(kMemoryProcessed, s.memory_processed_bytes);
  bytes(kMemoryRemaining, s.memory_remaining_bytes);
  bytes(kDiskTotal, s.disk_total_bytes);
  bytes(kDiskProcessed, s.disk_processed_bytes);
  bytes(kDiskRemaining, s.disk_remaining_bytes);
  rate(kMemoryBps, s.memory_bytes_per_second);
  rate(kDiskBps, s.disk_bytes_per_second);
  if (s.dirty_bytes_per_second) {
    j[kMemoryDirtyRate] = Whole(*s.dirty_bytes_per_second / kPageSize);
    j[kMemoryPageSize] = static_cast<uint64_t>(kPageSize);
  }
  bytes(kMemoryIteration, s.memory_iteration);
  bytes(kPostCopyRequests, s.postcopy_requests);
  if (s.auto_converge_throttle_ratio) j[kAutoConvergeThrottle] = Whole(*s.auto_converge_throttle_ratio * 100.0);
  if (s.success) j[kSuccess] = *s.success;
  if (s.error_message) j[kErrorMessage] = *s.error_message;
  return j;
}

nlohmann::json LimitsJson(const JobSample& s) {
  nlohmann::json j = nlohmann::json::object();
  if (s.allowed_downtime_seconds) j["max_downtime_ms"] = Whole(*s.allowed_downtime_seconds * 1000.0);
  j["max_speed_mib"] = s.bandwidth_limit_bytes_per_second ? Whole(*s.bandwidth_limit_bytes_per_second / (1 << 20)) : 0;
  return j;
}

}  // namespace migmon::hv
