// The monitor's own traces (daemon/trace_recorder.h): what a migration's
// file holds, that replay reads it back to the same samples, and retention.
#include <gtest/gtest.h>

#include <filesystem>

#include "daemon/trace_recorder.h"
#include "daemon/trace_steps.h"
#include "tests/unit/fake_clock.h"
#include "tests/unit/test_directory.h"
#include "trace/reader.h"

namespace migmon::app {
namespace {

using testing_support::FakeClock;
using testing_support::TestDirectory;
constexpr uint64_t MiB = 1 << 20;

JobSample Sample(double elapsed, uint64_t remaining, uint64_t iteration) {
  JobSample s;
  s.type = JobType::kUnbounded;
  s.operation = JobOperation::kMigrationOut;
  s.elapsed_seconds = elapsed;
  s.data_total_bytes = 48 * MiB;
  s.data_remaining_bytes = remaining;
  s.data_processed_bytes = 48 * MiB - remaining;
  s.memory_iteration = iteration;
  s.memory_bytes_per_second = 4.0 * MiB;
  s.dirty_bytes_per_second = 1024.0 * 4096;
  s.allowed_downtime_seconds = 0.3;
  s.bandwidth_limit_bytes_per_second = 4.0 * MiB;
  return s;
}

std::vector<std::filesystem::path> Files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

TEST(TraceRecorder, AMigrationsTraceReadsBackAsItsSamples) {
  TestDirectory dir;
  FakeClock clock;
  std::string ended;
  TraceRecorderSettings settings;
  settings.folder = (dir.path() / "traces").string();
  TraceRecorder recorder(settings, clock, [&](const std::string& path) { ended = path; });
  const DomainRef vm{"node-1", "uuid-1", "web"};
  const DomainFacts facts{48 * MiB, false};
  recorder.OutgoingSample(vm, facts, Sample(1.0, 40 * MiB, 1), MigrationMode::kPreCopy, false);
  clock.Advance(0.5);
  recorder.OutgoingSample(vm, facts, Sample(1.5, 30 * MiB, 2), MigrationMode::kPreCopy, true);
  MigrationAction abort;
  abort.message = "no progress for 3 s";
  recorder.ActionDone(vm, abort, true, "");
  MigrationAction would;
  would.kind = MigrationAction::Kind::kStartPostCopy;
  would.reason = ActionReason::kCompletionTimeout;
  would.message = "over its budget";
  recorder.WouldAct(vm, would);
  JobSample end = Sample(2.0, 0, 2);
  end.type = JobType::kCompleted;
  EndEvidence evidence;
  evidence.completed = end;
  recorder.OutgoingEnded(vm, evidence);

  const auto files = Files(settings.folder);
  ASSERT_EQ(1u, files.size());
  EXPECT_EQ(files[0].string(), ended);
  const trace::Trace t = trace::ReadTraceFile(ended);
  EXPECT_EQ("monitor", t.meta.source);
  EXPECT_EQ(48 * MiB, *t.meta.memory_bytes);
  const TraceRun run = StepsOf(t, {});
  ASSERT_EQ(2u, run.steps.size());
  EXPECT_FALSE(run.steps[0].at_event);
  EXPECT_TRUE(run.steps[1].at_event);
  const JobSample& back = run.steps[1].sample;
  EXPECT_EQ(30 * MiB, *back.data_remaining_bytes);
  EXPECT_DOUBLE_EQ(1.5, *back.elapsed_seconds);
  EXPECT_DOUBLE_EQ(1024.0 * 4096, *back.dirty_bytes_per_second);
  EXPECT_DOUBLE_EQ(4.0 * MiB, *back.bandwidth_limit_bytes_per_second);
  EXPECT_DOUBLE_EQ(0.3, *back.allowed_downtime_seconds);
  EXPECT_DOUBLE_EQ(1.5, run.steps[1].t);  // the trace's clock starts at the job's start
  EXPECT_DOUBLE_EQ(2.0, *run.end_elapsed_seconds);
  EXPECT_TRUE(*run.completed);
  ASSERT_EQ(2u, run.decisions.size());
  EXPECT_EQ("no progress for 3 s", run.decisions[0].text);
  EXPECT_FALSE(run.decisions[0].dry_run);
  EXPECT_EQ("postcopy", run.decisions[1].action);
  EXPECT_EQ("completion_timeout", run.decisions[1].reason);
  EXPECT_TRUE(run.decisions[1].dry_run);
}

TEST(TraceRecorder, KeepsAtMostMaxFilesNewestFirst) {
  TestDirectory dir;
  FakeClock clock;
  TraceRecorderSettings settings;
  settings.folder = (dir.path() / "traces").string();
  settings.max_files = 2;
  TraceRecorder recorder(settings, clock);
  for (int i = 0; i < 4; ++i) {
    const DomainRef vm{"node-1", "uuid-" + std::to_string(i), "vm" + std::to_string(i)};
    recorder.OutgoingSample(vm, DomainFacts{48 * MiB, false}, Sample(1, 40 * MiB, 1), MigrationMode::kPreCopy, false);
    recorder.OutgoingEnded(vm, EndEvidence{});
    // Distinct modification times, oldest first.
    const auto path = Files(settings.folder);
    for (const auto& p : path) {
      if (p.filename().string().rfind("node-1_vm" + std::to_string(i) + "_", 0) == 0) {
        std::filesystem::last_write_time(p, std::filesystem::file_time_type::clock::now() - std::chrono::hours(10 - i));
      }
    }
    clock.Advance(60);
  }
  const auto files = Files(settings.folder);
  ASSERT_EQ(2u, files.size());
  for (const auto& f : files) {
    const std::string name = f.filename().string();
    EXPECT_TRUE(name.rfind("node-1_vm2_", 0) == 0 || name.rfind("node-1_vm3_", 0) == 0) << name;
  }
}

TEST(TraceRecorder, RecordModeWritesOnlyItsDomainIntoItsFile) {
  TestDirectory dir;
  FakeClock clock;
  TraceRecorderSettings settings;
  settings.only_domain = "web";
  settings.output_file = (dir.path() / "web.jsonl").string();
  TraceRecorder recorder(settings, clock);
  recorder.OutgoingSample({"node", "u2", "db"}, DomainFacts{48 * MiB, false}, Sample(1, 40 * MiB, 1),
                          MigrationMode::kPreCopy, false);
  EXPECT_FALSE(std::filesystem::exists(*settings.output_file));
  recorder.OutgoingSample({"node", "u1", "web"}, DomainFacts{48 * MiB, false}, Sample(1, 40 * MiB, 1),
                          MigrationMode::kPreCopy, false);
  EXPECT_EQ("record", trace::ReadTraceFile(*settings.output_file).meta.source);
}

}  // namespace
}  // namespace migmon::app
