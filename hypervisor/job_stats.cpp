#include "hypervisor/job_stats.h"

#include <string_view>

#include "hypervisor/libvirt_codes.h"

namespace migmon::hv {
namespace {

constexpr bool Same(const char* a, const char* b) { return std::string_view(a) == std::string_view(b); }
static_assert(Same(code::kOperation, VIR_DOMAIN_JOB_OPERATION));
static_assert(Same(code::kTimeElapsed, VIR_DOMAIN_JOB_TIME_ELAPSED));
static_assert(Same(code::kDowntime, VIR_DOMAIN_JOB_DOWNTIME));
static_assert(Same(code::kSetupTime, VIR_DOMAIN_JOB_SETUP_TIME));
static_assert(Same(code::kDowntimeNet, VIR_DOMAIN_JOB_DOWNTIME_NET));
static_assert(Same(code::kDataTotal, VIR_DOMAIN_JOB_DATA_TOTAL));
static_assert(Same(code::kDataProcessed, VIR_DOMAIN_JOB_DATA_PROCESSED));
static_assert(Same(code::kDataRemaining, VIR_DOMAIN_JOB_DATA_REMAINING));
static_assert(Same(code::kMemoryTotal, VIR_DOMAIN_JOB_MEMORY_TOTAL));
static_assert(Same(code::kMemoryProcessed, VIR_DOMAIN_JOB_MEMORY_PROCESSED));
static_assert(Same(code::kMemoryRemaining, VIR_DOMAIN_JOB_MEMORY_REMAINING));
static_assert(Same(code::kDiskTotal, VIR_DOMAIN_JOB_DISK_TOTAL));
static_assert(Same(code::kDiskProcessed, VIR_DOMAIN_JOB_DISK_PROCESSED));
static_assert(Same(code::kDiskRemaining, VIR_DOMAIN_JOB_DISK_REMAINING));
static_assert(Same(code::kMemoryBps, VIR_DOMAIN_JOB_MEMORY_BPS));
static_assert(Same(code::kDiskBps, VIR_DOMAIN_JOB_DISK_BPS));
static_assert(Same(code::kMemoryDirtyRate, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE));
static_assert(Same(code::kMemoryPageSize, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE));
static_assert(Same(code::kMemoryIteration, VIR_DOMAIN_JOB_MEMORY_ITERATION));
static_assert(Same(code::kPostCopyRequests, VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS));
static_assert(Same(code::kAutoConvergeThrottle, VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE));
static_assert(Same(code::kSuccess, VIR_DOMAIN_JOB_SUCCESS));
static_assert(Same(code::kErrorMessage, VIR_DOMAIN_JOB_ERRMSG));
static_assert(code::kJobNone == VIR_DOMAIN_JOB_NONE && code::kJobBounded == VIR_DOMAIN_JOB_BOUNDED &&
              code::kJobUnbounded == VIR_DOMAIN_JOB_UNBOUNDED && code::kJobCompleted == VIR_DOMAIN_JOB_COMPLETED &&
              code::kJobFailed == VIR_DOMAIN_JOB_FAILED && code::kJobCancelled == VIR_DOMAIN_JOB_CANCELLED);
static_assert(code::kOperationUnknown == VIR_DOMAIN_JOB_OPERATION_UNKNOWN &&
              code::kOperationMigrationIn == VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN &&
              code::kOperationMigrationOut == VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT);

// virTypedParamsGet* take a non-const pointer but do not modify the array.
class TypedFields final : public JobFields {
 public:
  TypedFields(const virTypedParameter* p, int n) : p_(const_cast<virTypedParameterPtr>(p)), n_(n) {}
  std::optional<uint64_t> ULL(const char* name) const override {
    unsigned long long v = 0;
    if (virTypedParamsGetULLong(p_, n_, name, &v) == 1) return v;
    return std::nullopt;
  }
  std::optional<int> Int(const char* name) const override {
    int v = 0;
    if (virTypedParamsGetInt(p_, n_, name, &v) == 1) return v;
    return std::nullopt;
  }
  std::optional<bool> Bool(const char* name) const override {
    int v = 0;
    if (virTypedParamsGetBoolean(p_, n_, name, &v) == 1) return v != 0;
    return std::nullopt;
  }
  std::optional<std::string> String(const char* name) const override {
    const char* v = nullptr;
    if (virTypedParamsGetString(p_, n_, name, &v) == 1 && v) return std::string(v);
    return std::nullopt;
  }

 private:
  virTypedParameterPtr p_;
  int n_;
};

}  // namespace

JobSample ConvertJobStats(int job_type, const virTypedParameter* p, int n, SteadyTime sampled_at) {
  return JobSampleFrom(job_type, TypedFields(p, n), sampled_at);
}

}  // namespace migmon::hv
