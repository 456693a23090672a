#include "hypervisor/job_stats.h"

namespace migmon::hv {
namespace {

constexpr uint64_t kDefaultPageSize = 4096;

// virTypedParamsGet* take a non-const pointer but do not modify the array.
virTypedParameterPtr Mutable(const virTypedParameter* p) {
  return const_cast<virTypedParameterPtr>(p);
}

std::optional<uint64_t> GetULL(const virTypedParameter* p, int n, const char* name) {
  unsigned long long value = 0;
  if (virTypedParamsGetULLong(Mutable(p), n, name, &value) == 1) return value;
  return std::nullopt;
}

std::optional<int> GetInt(const virTypedParameter* p, int n, const char* name) {
  int value = 0;
  if (virTypedParamsGetInt(Mutable(p), n, name, &value) == 1) return value;
  return std::nullopt;
}

std::optional<double> MillisToSeconds(std::optional<uint64_t> ms) {
  if (!ms) return std::nullopt;
  return static_cast<double>(*ms) / 1000.0;
}

std::optional<double> AsDouble(std::optional<uint64_t> v) {
  if (!v) return std::nullopt;
  return static_cast<double>(*v);
}

JobType ConvertType(int job_type) {
  switch (job_type) {
    case VIR_DOMAIN_JOB_BOUNDED: return JobType::kBounded;
    case VIR_DOMAIN_JOB_UNBOUNDED: return JobType::kUnbounded;
    case VIR_DOMAIN_JOB_COMPLETED: return JobType::kCompleted;
    case VIR_DOMAIN_JOB_FAILED: return JobType::kFailed;
    case VIR_DOMAIN_JOB_CANCELLED: return JobType::kCancelled;
    default: return JobType::kNone;
  }
}

JobOperation ConvertOperation(std::optional<int> op) {
  if (!op) return JobOperation::kUnknown;
  switch (*op) {
    case VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT: return JobOperation::kMigrationOut;
    case VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN: return JobOperation::kMigrationIn;
    case VIR_DOMAIN_JOB_OPERATION_UNKNOWN: return JobOperation::kUnknown;
    default: return JobOperation::kOther;
  }
}

}  // namespace

JobSample ConvertJobStats(int job_type, const virTypedParameter* p, int n, SteadyTime sampled_at) {
  JobSample s;
  s.sampled_at = sampled_at;
  s.type = ConvertType(job_type);
  s.operation = ConvertOperation(GetInt(p, n, VIR_DOMAIN_JOB_OPERATION));

  s.elapsed_seconds = MillisToSeconds(GetULL(p, n, VIR_DOMAIN_JOB_TIME_ELAPSED));
  s.expected_downtime_seconds = MillisToSeconds(GetULL(p, n, VIR_DOMAIN_JOB_DOWNTIME));
  s.setup_seconds = MillisToSeconds(GetULL(p, n, VIR_DOMAIN_JOB_SETUP_TIME));

  s.data_total_bytes = GetULL(p, n, VIR_DOMAIN_JOB_DATA_TOTAL);
  s.data_processed_bytes = GetULL(p, n, VIR_DOMAIN_JOB_DATA_PROCESSED);
  s.data_remaining_bytes = GetULL(p, n, VIR_DOMAIN_JOB_DATA_REMAINING);
  s.memory_total_bytes = GetULL(p, n, VIR_DOMAIN_JOB_MEMORY_TOTAL);
  s.memory_processed_bytes = GetULL(p, n, VIR_DOMAIN_JOB_MEMORY_PROCESSED);
  s.memory_remaining_bytes = GetULL(p, n, VIR_DOMAIN_JOB_MEMORY_REMAINING);
  s.disk_total_bytes = GetULL(p, n, VIR_DOMAIN_JOB_DISK_TOTAL);
  s.disk_processed_bytes = GetULL(p, n, VIR_DOMAIN_JOB_DISK_PROCESSED);
  s.disk_remaining_bytes = GetULL(p, n, VIR_DOMAIN_JOB_DISK_REMAINING);

  s.memory_bytes_per_second = AsDouble(GetULL(p, n, VIR_DOMAIN_JOB_MEMORY_BPS));
  s.disk_bytes_per_second = AsDouble(GetULL(p, n, VIR_DOMAIN_JOB_DISK_BPS));
  if (const auto pages = GetULL(p, n, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE)) {
    const uint64_t page_size = GetULL(p, n, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE).value_or(kDefaultPageSize);
    s.dirty_bytes_per_second = static_cast<double>(*pages) * static_cast<double>(page_size);
  }
  s.memory_iteration = GetULL(p, n, VIR_DOMAIN_JOB_MEMORY_ITERATION);
  s.postcopy_requests = GetULL(p, n, VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS);
  if (const auto percent = GetInt(p, n, VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE)) {
    s.auto_converge_throttle_ratio = static_cast<double>(*percent) / 100.0;
  }

  int success = 0;
  if (virTypedParamsGetBoolean(Mutable(p), n, VIR_DOMAIN_JOB_SUCCESS, &success) == 1) {
    s.success = success != 0;
  }
  const char* errmsg = nullptr;
  if (virTypedParamsGetString(Mutable(p), n, VIR_DOMAIN_JOB_ERRMSG, &errmsg) == 1 && errmsg) {
    s.error_message = errmsg;
  }
  return s;
}

}  // namespace migmon::hv
