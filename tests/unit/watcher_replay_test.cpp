// Replays migrations recorded in the lab (tests/fixtures/watcher/, made by
// tests/lab/record_watcher.py) through the real watcher: WatcherCore stepped
// as NodeWatcher's thread steps it, on a fake clock, against the recorded
// node. Asserts what the sink hears: the migration seen, its samples, how it
// ended and the node's connectivity. No libvirt, no sleeping.
#include <gtest/gtest.h>

#include "hypervisor/watcher_core.h"
#include "tests/unit/fake_clock.h"
#include "tests/unit/recorded_node.h"
#include "tests/unit/recording_sink.h"

namespace migmon::testing_support {
namespace {

using hv::WatcherCore;
using hv::WatchSettings;
using Source = EndEvidence::SourceState;

constexpr uint64_t kMiB = 1 << 20;

double Seconds(SteadyTime t) { return std::chrono::duration<double>(t - SteadyTime{}).count(); }

// One node's watcher replayed over a whole recording.
struct Replay {
  Replay(const std::string& fixture, const std::string& node)
      : recording(LoadRecording(fixture)), recorded(recording, node, clock),
        core(node, "recorded://" + fixture, sink, recorded.Opener(), clock) {
    Run();
  }

  void Run() {
    const WatchSettings settings;  // the defaults: poll every 0.5 s, sweep every 5 s
    recorded.AdvanceTo(clock, recorded.Start());
    SteadyTime deadline = clock.SteadyNow();
    // Past the end by one discovery interval: the last sweep sees the end state.
    for (int steps = 0; recorded.Now() < recorded.End() + 6.0; ++steps) {
      ASSERT_LT(steps, 10000) << "the watcher does not get on with time";
      recorded.AdvanceTo(clock, std::min(Seconds(deadline), recorded.NextEventTime()));
      recorded.DeliverEvents();
      deadline = core.Step(core.queue()->WaitUntil(SteadyTime{}), settings, false);
    }
  }

  const std::vector<RecordingSink::Sample>& samples() const { return sink.samples; }
  const EndEvidence& OnlyEnd() const {
    EXPECT_EQ(1u, sink.ended.size());
    return sink.ended.at(0).evidence;
  }

  FakeClock clock;
  RecordingSink sink;
  std::vector<json> recording;
  RecordedNode recorded;
  WatcherCore core;
};

// How the target saw the migration: IncomingActive first, an
// IncomingEnded(resumed) once, and its last sweep finds the domain running
// and nothing incoming. libvirt still refuses job statistics for a moment
// after the resume, so a sweep right then reports the domain incoming again
// (as it was recorded); the next sweep's inventory ends that.
void ExpectArrivedOnTarget(const Replay& dst, const std::string& uuid) {
  const auto& incoming = dst.sink.incoming;
  ASSERT_FALSE(incoming.empty());
  EXPECT_TRUE(incoming.front().active);
  EXPECT_EQ(uuid, incoming.front().domain.uuid);
  EXPECT_EQ(1, std::count_if(incoming.begin(), incoming.end(), [](const auto& i) { return !i.active && i.resumed; }));
  EXPECT_EQ(0, std::count_if(incoming.begin(), incoming.end(), [](const auto& i) { return !i.active && !i.resumed; }));
  ASSERT_FALSE(dst.sink.sweeps.empty());
  const auto& last = dst.sink.sweeps.back();
  ASSERT_EQ(1u, last.domains.size());
  EXPECT_EQ(uuid, last.domains[0].uuid);
  EXPECT_TRUE(last.domains[0].running);
  EXPECT_TRUE(last.incoming_uuids.empty());
}

// Samples of one pass, in order, have less and less left to send.
void ExpectFirstPassDrains(const std::vector<RecordingSink::Sample>& samples) {
  std::optional<uint64_t> last;
  int in_pass = 0;
  for (const auto& s : samples) {
    if (s.sample.memory_iteration != 1u || !s.sample.data_remaining_bytes) continue;
    if (last) {
      EXPECT_LE(*s.sample.data_remaining_bytes, *last);
    }
    last = s.sample.data_remaining_bytes;
    ++in_pass;
  }
  EXPECT_GE(in_pass, 3) << "too few samples of the first pass";
}

TEST(WatcherReplay, ConvergingMigrationIsSampledAndEndsMigrated) {
  Replay src("converge", "src");
  ASSERT_FALSE(src.sink.connectivity.empty());
  EXPECT_TRUE(src.sink.connectivity.front().up);
  EXPECT_EQ(1u, src.sink.connectivity.size()) << "the connection never dropped";

  // About 6 s at 8 MiB/s, polled every 0.5 s: a sample per poll, in order.
  ASSERT_GE(src.samples().size(), 8u);
  const auto& first = src.samples().front();
  EXPECT_EQ("converge", first.domain.name);
  EXPECT_EQ(48 * kMiB, first.facts.memory_bytes);
  EXPECT_TRUE(first.facts.persistent);
  for (size_t i = 1; i < src.samples().size(); ++i) {
    EXPECT_EQ(JobOperation::kMigrationOut, src.samples()[i].sample.operation);
    EXPECT_GE(*src.samples()[i].sample.elapsed_seconds, *src.samples()[i - 1].sample.elapsed_seconds);
    EXPECT_EQ(MigrationMode::kPreCopy, src.samples()[i].mode);
  }
  ExpectFirstPassDrains(src.samples());
  // Limits read from the domain: the 8 MiB/s cap and libvirt's default 300 ms.
  const auto& late = src.samples().back();
  EXPECT_DOUBLE_EQ(8.0 * kMiB, late.sample.bandwidth_limit_bytes_per_second.value_or(0));
  EXPECT_DOUBLE_EQ(0.3, late.sample.allowed_downtime_seconds.value_or(0));
  // The later passes were announced by events and sampled right then.
  EXPECT_TRUE(std::any_of(src.samples().begin(), src.samples().end(),
                          [](const auto& s) { return s.at_iteration_event; }));

  // The end: the source's STOPPED/MIGRATED event, the domain gone from the
  // source (persistent there before, undefined by --undefinesource).
  const EndEvidence& end = src.OnlyEnd();
  EXPECT_TRUE(end.stopped_migrated_event);
  EXPECT_FALSE(end.aborted_by_monitor);
  EXPECT_TRUE(end.source_state == Source::kGone || end.source_state == Source::kShutOffMigrated)
      << end.source_state_detail;
  EXPECT_EQ("ended", src.sink.order.back());

  Replay dst("converge", "dst");
  EXPECT_TRUE(dst.samples().empty()) << "the target has no outgoing migration";
  EXPECT_TRUE(dst.sink.ended.empty());
  ExpectArrivedOnTarget(dst, src.sink.ended.at(0).domain.uuid);
  EXPECT_TRUE(dst.sink.sweeps.back().domains[0].persistent) << "--persistent defined it on the target";
}

TEST(WatcherReplay, AbortedMigrationEndsRunningOnTheSourceWithoutCompletedStats) {
  Replay src("abort", "src");
  ASSERT_GE(src.samples().size(), 4u);
  ExpectFirstPassDrains(src.samples());
  EXPECT_DOUBLE_EQ(4.0 * kMiB, src.samples().back().sample.bandwidth_limit_bytes_per_second.value_or(0));

  // virsh domjobabort: no lifecycle event on the source, the next poll finds
  // no job; libvirt 9.0 keeps no completed record of an aborted migration.
  const EndEvidence& end = src.OnlyEnd();
  EXPECT_FALSE(end.stopped_migrated_event);
  EXPECT_FALSE(end.completed.has_value());
  EXPECT_EQ(Source::kRunning, end.source_state) << end.source_state_detail;
  EXPECT_FALSE(end.aborted_by_monitor) << "the monitor did not abort it";

  Replay dst("abort", "dst");
  ASSERT_GE(dst.sink.incoming.size(), 2u);
  EXPECT_TRUE(dst.sink.incoming.front().active);
  EXPECT_FALSE(dst.sink.incoming.back().active);
  EXPECT_FALSE(dst.sink.incoming.back().resumed) << "the guest never ran on the target";
}

TEST(WatcherReplay, SourceLibvirtdRestartedMidJobIsDownThenUpAndTheJobEnds) {
  Replay src("restart", "src");
  // Up, down when libvirtd was killed, up again when it came back.
  ASSERT_EQ(3u, src.sink.connectivity.size());
  EXPECT_TRUE(src.sink.connectivity[0].up);
  EXPECT_FALSE(src.sink.connectivity[1].up);
  EXPECT_NE(std::string::npos, src.sink.connectivity[1].detail.find("closed")) << src.sink.connectivity[1].detail;
  EXPECT_TRUE(src.sink.connectivity[2].up);
  EXPECT_GE(src.recorded.opened(), 2);

  // Sampled before the restart, and the migration still known after it:
  // it ends once, after the reconnect, with the guest still on the source.
  ASSERT_GE(src.samples().size(), 2u);
  const std::vector<std::string> expected{"up", "sample", "down", "up", "ended"};
  EXPECT_EQ(expected, src.sink.order);
  const EndEvidence& end = src.OnlyEnd();
  EXPECT_FALSE(end.stopped_migrated_event);
  EXPECT_EQ(Source::kRunning, end.source_state) << end.source_state_detail;

  Replay dst("restart", "dst");
  ASSERT_GE(dst.sink.incoming.size(), 2u);
  EXPECT_FALSE(dst.sink.incoming.back().resumed);
}

TEST(WatcherReplay, TransientDomainSucceedsAndOnlyTheTargetStillKnowsIt) {
  Replay src("transient", "src");
  ASSERT_GE(src.samples().size(), 4u);
  EXPECT_FALSE(src.samples().front().facts.persistent);
  EXPECT_EQ(32 * kMiB, src.samples().front().facts.memory_bytes);
  const EndEvidence& end = src.OnlyEnd();
  EXPECT_TRUE(end.stopped_migrated_event);
  EXPECT_NE(Source::kRunning, end.source_state);
  // After the end the source lists no domain of that UUID at all.
  ASSERT_FALSE(src.sink.sweeps.empty());
  for (const auto& d : src.sink.sweeps.back().domains) EXPECT_NE(src.sink.ended[0].domain.uuid, d.uuid);

  // The target: an incoming migration that ended by running there.
  Replay dst("transient", "dst");
  ExpectArrivedOnTarget(dst, src.sink.ended.at(0).domain.uuid);
  EXPECT_FALSE(dst.sink.sweeps.back().domains[0].persistent);
}

// An action on the replayed migration goes to the session and is reported;
// a successful abort is remembered as the monitor's in the end evidence.
TEST(WatcherReplay, MonitorAbortIsExecutedAndNamedInTheEvidence) {
  FakeClock clock;
  RecordingSink sink;
  const auto recording = LoadRecording("abort");
  RecordedNode recorded(recording, "src", clock);
  WatcherCore core("src", "recorded://abort", sink, recorded.Opener(), clock);
  const WatchSettings settings;
  recorded.AdvanceTo(clock, recorded.Start());
  SteadyTime deadline = clock.SteadyNow();
  std::string uuid;
  for (int steps = 0; recorded.Now() < recorded.End() + 6.0; ++steps) {
    ASSERT_LT(steps, 10000);
    recorded.AdvanceTo(clock, std::min(Seconds(deadline), recorded.NextEventTime()));
    recorded.DeliverEvents();
    if (uuid.empty() && !sink.samples.empty() && recorded.Now() > 3.0) {
      uuid = sink.samples.back().domain.uuid;
      core.queue()->PushAction({MigrationAction::Kind::kAbort, ActionReason::kProgressTimeout, uuid, 0,
                                "no progress for 150 s"});
    }
    deadline = core.Step(core.queue()->WaitUntil(SteadyTime{}), settings, false);
  }
  ASSERT_EQ(1u, recorded.executed().size());
  EXPECT_EQ(MigrationAction::Kind::kAbort, recorded.executed()[0].kind);
  ASSERT_EQ(1u, sink.actions.size());
  EXPECT_TRUE(sink.actions[0].ok);
  EXPECT_EQ("abort", sink.actions[0].domain.name);
  ASSERT_EQ(1u, sink.ended.size());
  EXPECT_EQ("no progress for 150 s", sink.ended[0].evidence.aborted_by_monitor.value_or(""));
}

}  // namespace
}  // namespace migmon::testing_support
