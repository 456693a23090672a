// Typed-parameter conversion: libvirt units in, base units out.
#include "hypervisor/job_stats.h"

#include <gtest/gtest.h>

namespace migmon::hv {
namespace {

class Params {
 public:
  // libvirt's per-thread error state needs the library initialised first.
  Params() { EXPECT_EQ(0, virInitialize()); }
  ~Params() { virTypedParamsFree(params_, count_); }
  Params& ULL(const char* name, unsigned long long v) {
    EXPECT_EQ(0, virTypedParamsAddULLong(&params_, &count_, &max_, name, v));
    return *this;
  }
  Params& Int(const char* name, int v) {
    EXPECT_EQ(0, virTypedParamsAddInt(&params_, &count_, &max_, name, v));
    return *this;
  }
  Params& Bool(const char* name, bool v) {
    EXPECT_EQ(0, virTypedParamsAddBoolean(&params_, &count_, &max_, name, v ? 1 : 0));
    return *this;
  }
  Params& Str(const char* name, const char* v) {
    EXPECT_EQ(0, virTypedParamsAddString(&params_, &count_, &max_, name, v));
    return *this;
  }
  JobSample Convert(int type) const { return ConvertJobStats(type, params_, count_, SteadyTime{}); }

 private:
  virTypedParameterPtr params_ = nullptr;
  int count_ = 0;
  int max_ = 0;
};

TEST(JobStats, TimesAreConvertedFromMillisecondsToSeconds) {
  Params p;
  p.ULL(VIR_DOMAIN_JOB_TIME_ELAPSED, 12345).ULL(VIR_DOMAIN_JOB_DOWNTIME, 300).ULL(VIR_DOMAIN_JOB_SETUP_TIME, 7);
  const JobSample s = p.Convert(VIR_DOMAIN_JOB_UNBOUNDED);
  EXPECT_DOUBLE_EQ(12.345, *s.elapsed_seconds);
  EXPECT_DOUBLE_EQ(0.3, *s.expected_downtime_seconds);
  EXPECT_DOUBLE_EQ(0.007, *s.setup_seconds);
  EXPECT_EQ(JobType::kUnbounded, s.type);
}

TEST(JobStats, DirtyRateIsPagesTimesPageSize) {
  Params p;
  p.ULL(VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, 1000).ULL(VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 4096);
  EXPECT_DOUBLE_EQ(4096000.0, *p.Convert(VIR_DOMAIN_JOB_UNBOUNDED).dirty_bytes_per_second);

  Params huge;
  huge.ULL(VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, 3).ULL(VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 2 << 20);
  EXPECT_DOUBLE_EQ(3.0 * (2 << 20), *huge.Convert(VIR_DOMAIN_JOB_UNBOUNDED).dirty_bytes_per_second);
}

TEST(JobStats, DirtyRateAssumesFourKibPagesWhenPageSizeIsMissing) {
  Params p;
  p.ULL(VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, 256);
  EXPECT_DOUBLE_EQ(256.0 * 4096, *p.Convert(VIR_DOMAIN_JOB_UNBOUNDED).dirty_bytes_per_second);
}

TEST(JobStats, ThrottlePercentBecomesRatio) {
  Params p;
  p.Int(VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE, 30);
  EXPECT_DOUBLE_EQ(0.3, *p.Convert(VIR_DOMAIN_JOB_UNBOUNDED).auto_converge_throttle_ratio);
}

TEST(JobStats, SizesAndRatesStayInBytes) {
  Params p;
  p.ULL(VIR_DOMAIN_JOB_DATA_TOTAL, 100).ULL(VIR_DOMAIN_JOB_DATA_PROCESSED, 60)
      .ULL(VIR_DOMAIN_JOB_DATA_REMAINING, 40).ULL(VIR_DOMAIN_JOB_MEMORY_TOTAL, 90)
      .ULL(VIR_DOMAIN_JOB_MEMORY_PROCESSED, 50).ULL(VIR_DOMAIN_JOB_MEMORY_REMAINING, 40)
      .ULL(VIR_DOMAIN_JOB_DISK_TOTAL, 10).ULL(VIR_DOMAIN_JOB_DISK_PROCESSED, 10)
      .ULL(VIR_DOMAIN_JOB_DISK_REMAINING, 0).ULL(VIR_DOMAIN_JOB_MEMORY_BPS, 8388608)
      .ULL(VIR_DOMAIN_JOB_DISK_BPS, 1024).ULL(VIR_DOMAIN_JOB_MEMORY_ITERATION, 3)
      .ULL(VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS, 5).Int(VIR_DOMAIN_JOB_OPERATION, VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT);
  const JobSample s = p.Convert(VIR_DOMAIN_JOB_UNBOUNDED);
  EXPECT_EQ(100u, *s.data_total_bytes);
  EXPECT_EQ(60u, *s.data_processed_bytes);
  EXPECT_EQ(40u, *s.data_remaining_bytes);
  EXPECT_EQ(90u, *s.memory_total_bytes);
  EXPECT_EQ(50u, *s.memory_processed_bytes);
  EXPECT_EQ(40u, *s.memory_remaining_bytes);
  EXPECT_EQ(10u, *s.disk_total_bytes);
  EXPECT_EQ(10u, *s.disk_processed_bytes);
  EXPECT_EQ(0u, *s.disk_remaining_bytes);
  EXPECT_DOUBLE_EQ(8388608.0, *s.memory_bytes_per_second);
  EXPECT_DOUBLE_EQ(1024.0, *s.disk_bytes_per_second);
  EXPECT_EQ(3u, *s.memory_iteration);
  EXPECT_EQ(5u, *s.postcopy_requests);
  EXPECT_EQ(JobOperation::kMigrationOut, s.operation);
}

TEST(JobStats, MissingFieldsStayAbsent) {
  Params p;
  p.ULL(VIR_DOMAIN_JOB_TIME_ELAPSED, 1);
  const JobSample s = p.Convert(VIR_DOMAIN_JOB_UNBOUNDED);
  EXPECT_FALSE(s.data_total_bytes);
  EXPECT_FALSE(s.disk_total_bytes);
  EXPECT_FALSE(s.dirty_bytes_per_second);
  EXPECT_FALSE(s.auto_converge_throttle_ratio);
  EXPECT_EQ(JobOperation::kUnknown, s.operation);
}

TEST(JobStats, CompletedJobCarriesVerdict) {
  Params p;
  p.Bool(VIR_DOMAIN_JOB_SUCCESS, false).Str(VIR_DOMAIN_JOB_ERRMSG, "operation aborted")
      .Int(VIR_DOMAIN_JOB_OPERATION, VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN);
  const JobSample s = p.Convert(VIR_DOMAIN_JOB_FAILED);
  EXPECT_EQ(JobType::kFailed, s.type);
  EXPECT_EQ(false, s.success);
  EXPECT_EQ("operation aborted", s.error_message);
  EXPECT_EQ(JobOperation::kMigrationIn, s.operation);
}

TEST(JobStats, JobTypes) {
  Params p;
  EXPECT_EQ(JobType::kNone, p.Convert(VIR_DOMAIN_JOB_NONE).type);
  EXPECT_EQ(JobType::kBounded, p.Convert(VIR_DOMAIN_JOB_BOUNDED).type);
  EXPECT_EQ(JobType::kCompleted, p.Convert(VIR_DOMAIN_JOB_COMPLETED).type);
  EXPECT_EQ(JobType::kCancelled, p.Convert(VIR_DOMAIN_JOB_CANCELLED).type);
}

}  // namespace
}  // namespace migmon::hv
