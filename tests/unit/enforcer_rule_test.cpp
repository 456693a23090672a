// The progress rule and the decisions, on synthetic traces shaped like the
// ones measured in the lab (tests/lab), with a fake clock.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "enforcer/decide.h"
#include "enforcer/progress_rule.h"

namespace migmon::enforcer {
namespace {

constexpr uint64_t MiB = 1 << 20;
constexpr double kPoll = 0.5;

struct Pass {
  uint64_t iteration;
  double start_mib;
  double end_mib;
  double seconds;
  bool event = true;  // its start is announced by an iteration event
};

struct Step {
  double t;
  JobSample sample;
  bool at_event;
};

// Samples every kPoll seconds through the passes, sending what the level
// falls; the first sample of each pass is taken at its iteration event when
// `event` is set.
std::vector<Step> Trace(const std::vector<Pass>& passes) {
  std::vector<Step> steps;
  double t = 0;
  double sent_mib = 0;
  for (const Pass& p : passes) {
    for (double in = 0; in < p.seconds; in += kPoll) {
      const double mib = p.start_mib + (p.end_mib - p.start_mib) * (in / p.seconds);
      if (in > 0) sent_mib += (p.start_mib - p.end_mib) * (kPoll / p.seconds);
      JobSample s;
      s.data_processed_bytes = static_cast<uint64_t>(sent_mib * MiB);
      s.memory_iteration = p.iteration;
      s.data_remaining_bytes = static_cast<uint64_t>(mib * MiB);
      s.data_total_bytes = 256 * MiB;
      s.elapsed_seconds = t + in;
      steps.push_back({t + in, s, in == 0 && p.event});
    }
    t += p.seconds;
  }
  return steps;
}

// Runs the trace through Observe + Decide; returns the time of the first
// terminal decision (abort/post-copy), if any, and collects every decision.
struct Replayed {
  std::optional<double> terminal_at;
  std::optional<Decision> terminal;
  std::vector<Decision> steps;
  MigrationHistory history;
};

Replayed Replay(const std::vector<Step>& trace, const Policy& policy, uint64_t memory_bytes = 48 * MiB) {
  Replayed run;
  const double t0 = 1'000'000;  // wall clock of the first sample
  run.history = StartHistory(trace.front().sample, memory_bytes, t0);
  for (const Step& st : trace) {
    Observe(run.history, st.sample, st.at_event, policy.max_downtime_steps_seconds.size(), t0 + st.t);
    for (Decision& d : Decide(run.history, st.sample, MigrationMode::kPreCopy, policy, t0 + st.t)) {
      if (d.action.kind == MigrationAction::Kind::kSetMaxDowntime) {
        run.history.downtime_steps_applied++;
        run.history.downtime_step_due = false;
        run.steps.push_back(d);
        continue;
      }
      run.terminal_at = st.t;
      run.terminal = d;
      return run;
    }
  }
  return run;
}

Policy ProgressOnly(int64_t timeout) {
  Policy p;
  p.progress_timeout_seconds = timeout;
  p.completion_timeout_per_gib_seconds = 0;
  return p;
}

// Measured: 48 MiB guest dirtying all of memory at full speed, 4 MiB/s cap;
// passes start at 48, 41, 43, 42 ... MiB, about 10.5 s each.
std::vector<Pass> Stall() {
  return {{1, 48, 2, 11.5}, {2, 41, 5, 10.5}, {3, 43, 5, 10.5}, {4, 42, 5, 10.5},
          {5, 43, 5, 10.5}, {6, 42, 5, 10.5}};
}

TEST(ProgressRule, SawToothIsAStallCountedFromTheThirdPass) {
  const Replayed run = Replay(Trace(Stall()), ProgressOnly(8));
  ASSERT_TRUE(run.terminal_at);
  const double third_pass_start = 11.5 + 10.5;
  EXPECT_GT(*run.terminal_at, 11.5);  // never during the first pass
  EXPECT_GE(*run.terminal_at, third_pass_start + 8 - kPoll);
  EXPECT_LE(*run.terminal_at, third_pass_start + 8 + kPoll);
  EXPECT_EQ(MigrationAction::Kind::kAbort, run.terminal->action.kind);
  EXPECT_EQ(ActionReason::kProgressTimeout, run.terminal->action.reason);
  EXPECT_EQ("no progress for 8 s (passes started at 48, 41, 43 MiB)", run.terminal->action.message);
}

TEST(ProgressRule, ASawToothThatShrinksUnderTenPercentAPassIsAStall) {
  // Seen in the demo: 48 MiB rewritten at full speed under an 8 MiB/s cap;
  // passes start 7% lower each time and QEMU reads a dirty rate of 0.93 of
  // what each pass sent. Neither the levels nor the ratio call that progress.
  std::vector<Pass> passes = {{1, 48, 0.5, 6.0}, {2, 34.3, 0.5, 4.3}};
  double start = 46.2;
  for (uint64_t i = 3; i <= 8; ++i, start *= 0.93) passes.push_back({i, start, 0.5, start / 8});
  auto trace = Trace(passes);
  for (auto& st : trace) {
    st.sample.memory_bytes_per_second = 8.0 * MiB;
    if (*st.sample.memory_iteration >= 2) st.sample.dirty_bytes_per_second = 0.93 * 8 * MiB;
    // Around a pass boundary the bytes sent between two samples jitter (as
    // in every lab trace): the event's sample reads 1 MiB ahead, the next
    // one catches up. The ratio is taken against the whole previous pass,
    // where a smoothed rate would let one short interval move it.
    if (st.at_event && *st.sample.memory_iteration >= 3) *st.sample.data_processed_bytes += MiB;
  }
  const Replayed run = Replay(trace, ProgressOnly(15));
  ASSERT_TRUE(run.terminal_at);
  EXPECT_EQ(ActionReason::kProgressTimeout, run.terminal->action.reason);
  EXPECT_LE(*run.terminal_at, 6.0 + 4.3 + 15 + kPoll);  // 15 s after the third pass started
}

TEST(ProgressRule, SlowButSteadyFirstPassIsProgress) {
  // "fill once" 48 MiB at 2 MiB/s: one 24 s pass, timeout 5.
  EXPECT_FALSE(Replay(Trace({{1, 48, 0.5, 24}}), ProgressOnly(5)).terminal_at);
}

TEST(ProgressRule, ConvergingGuestWithALongSecondPassIsProgress) {
  // Measured: 32 MiB guest dirtying 1 MiB/s, 2 MiB/s cap; passes start near
  // 28, 13.3, 6.6, 3.3, 1.8, 0.9 MiB, the second lasting ~6.6 s.
  const std::vector<Pass> converging = {{1, 28, 0.2, 13.5}, {2, 13.3, 0.2, 6.6}, {3, 6.6, 0.2, 3.3},
                                        {4, 3.3, 0.1, 1.7}, {5, 1.8, 0.1, 1.0}, {6, 0.9, 0.05, 1.0}};
  EXPECT_FALSE(Replay(Trace(converging), ProgressOnly(4)).terminal_at);
}

TEST(ProgressRule, ANewAllTimeLowRuleWouldHaveAbortedTheConvergingGuest) {
  // Why the rule judges passes: on the converging trace the all-time low
  // stops moving for the whole second pass (it starts at 13.3 MiB, far above
  // the first pass's 0.2 MiB low) and most of the third.
  const auto trace = Trace({{1, 28, 0.2, 13.5}, {2, 13.3, 0.2, 6.6}, {3, 6.6, 0.2, 3.3}});
  double low = 1e18;
  double last_low_at = 0;
  double longest_gap = 0;
  for (const auto& st : trace) {
    const double level = static_cast<double>(*st.sample.data_remaining_bytes);
    if (level < low) {
      low = level;
      last_low_at = st.t;
    }
    longest_gap = std::max(longest_gap, st.t - last_low_at);
  }
  EXPECT_GT(longest_gap, 4.0);
}

TEST(ProgressRule, BlockMigrationDiskPhaseIsProgressWhileItFalls) {
  // Disk phase (iteration 0, no events) of 30 s, then memory; timeout 5.
  std::vector<Pass> block = {{0, 256, 64, 30, false}, {1, 64, 1, 16}, {2, 8, 0.5, 2}};
  EXPECT_FALSE(Replay(Trace(block), ProgressOnly(5), 64 * MiB).terminal_at);
}

TEST(ProgressRule, StuckDiskPhaseIsAStall) {
  std::vector<Pass> stuck = {{0, 256, 200, 5, false}, {0, 200, 200, 20, false}};
  // Same iteration twice in a row: one long phase that stops falling at 5 s.
  const Replayed run = Replay(Trace(stuck), ProgressOnly(5), 64 * MiB);
  ASSERT_TRUE(run.terminal_at);
  EXPECT_NEAR(10.0, *run.terminal_at, kPoll + 1e-9);
}

TEST(ProgressRule, ABurstCoversThePauseThatFollowsIt) {
  // Measured: QEMU's disk mirror under a 16 MiB/s cap copied 80 MiB of a
  // 128 MiB disk at once, then paused ~5 s to bring its average back.
  const double cap = 16.0 * MiB;
  auto sample = [&](double elapsed, double remaining_mib) {
    JobSample s;
    s.memory_iteration = 0;
    s.elapsed_seconds = elapsed;
    s.data_total_bytes = 128 * MiB;
    s.data_remaining_bytes = static_cast<uint64_t>(remaining_mib * MiB);
    s.data_processed_bytes = 128 * MiB - *s.data_remaining_bytes;
    s.bandwidth_limit_bytes_per_second = cap;
    return s;
  };
  const Policy p = ProgressOnly(5);
  const double t0 = 1000;
  // Found after the burst: nothing falls for 5.5 s, but 80 MiB at 16 MiB/s is 5 s of work.
  MigrationHistory h = StartHistory(sample(0.3, 48), 32 * MiB, t0 + 0.3);
  double last = 0;
  for (double t = 0.3; t < 5.8; t += 0.5) {
    last = t;
    Observe(h, sample(t, 48), false, 0, t0 + t);
    EXPECT_TRUE(Decide(h, sample(t, 48), MigrationMode::kPreCopy, p, t0 + t).empty()) << t;
  }
  // The next 16 MiB step covers another second; then a real stall is caught.
  Observe(h, sample(6.0, 32), false, 0, t0 + 6.0);
  // Credited from the previous sample's time: 16 MiB is one second of the cap.
  EXPECT_DOUBLE_EQ(t0 + last + 1.0, StallClockStart(h));
  EXPECT_TRUE(Decide(h, sample(11.2, 32), MigrationMode::kPreCopy, p, t0 + last + 5.9).empty());
  EXPECT_FALSE(Decide(h, sample(12.0, 32), MigrationMode::kPreCopy, p, t0 + last + 6.0).empty());
}

TEST(ProgressRule, TheZerosOfAJustStartedJobAreNoLevel) {
  MigrationHistory h;
  JobSample s;
  s.memory_iteration = 0;
  s.data_total_bytes = 0;
  s.data_remaining_bytes = 0;
  Observe(h, s, false, 0, 0);
  EXPECT_TRUE(h.passes.empty());
  s.data_total_bytes = 128 * MiB;
  s.data_remaining_bytes = 128 * MiB;
  Observe(h, s, false, 0, 1);
  s.data_remaining_bytes = 100 * MiB;
  Observe(h, s, false, 0, 2);
  EXPECT_DOUBLE_EQ(2, h.last_progress_at);
}

TEST(ProgressRule, WithoutALimitNothingIsCredited) {
  JobSample s;
  s.memory_iteration = 0;
  s.elapsed_seconds = 0.3;
  s.data_remaining_bytes = 48 * MiB;
  s.data_processed_bytes = 80 * MiB;
  MigrationHistory h = StartHistory(s, 32 * MiB, 1000.3);
  EXPECT_DOUBLE_EQ(1000.3, StallClockStart(h));
}

TEST(ProgressRule, PassesFoundByPollsAloneStillCount) {
  // A converging shape whose iteration events never arrived from the third
  // pass on: memory_iteration alone tells each new pass.
  std::vector<Pass> passes = {{1, 28, 0.2, 5}, {2, 13.3, 0.2, 5}, {3, 6.6, 0.2, 5, false},
                              {4, 3.3, 0.1, 5, false}};
  EXPECT_FALSE(Replay(Trace(passes), ProgressOnly(6)).terminal_at);
}

TEST(ProgressRule, APassFoundByAPollIsJudgedWithinItsBounds) {
  MigrationHistory h;
  JobSample s;
  s.memory_iteration = 2;
  s.data_remaining_bytes = 40 * MiB;
  s.data_processed_bytes = 100 * MiB;
  Observe(h, s, true, 0, 0);
  // Pass 3 found by a poll at 38 MiB: it started at 38 or more, not 10% under 40.
  s.memory_iteration = 3;
  s.data_remaining_bytes = 38 * MiB;
  s.data_processed_bytes = 102 * MiB;
  Observe(h, s, false, 0, 1);
  EXPECT_EQ(PassStart::kByPoll, h.passes.back().start);
  EXPECT_EQ(38 * MiB, h.passes.back().start_level);
  EXPECT_EQ(40 * MiB, h.passes.back().start_upper);
  EXPECT_FALSE(h.passes.back().productive);
  EXPECT_DOUBLE_EQ(0, h.last_progress_at);
}

TEST(ProgressRule, LateEventNarrowsAPassStartSeenFirstByAPoll) {
  MigrationHistory h;
  JobSample s;
  s.memory_iteration = 2;
  s.data_remaining_bytes = 40 * MiB;
  s.data_processed_bytes = 100 * MiB;
  Observe(h, s, true, 0, 0);
  // A poll sees pass 3 at 30 MiB, 8 MiB sent since: it started at 30 to 38 MiB.
  s.memory_iteration = 3;
  s.data_remaining_bytes = 30 * MiB;
  s.data_processed_bytes = 108 * MiB;
  Observe(h, s, false, 0, 1);
  EXPECT_EQ(38 * MiB, h.passes.back().start_upper);
  EXPECT_TRUE(h.passes.back().productive);  // undecided, no dirty rate: the benefit of the doubt
  // The event's sample: 1 MiB later, 1 MiB lower; the start was 30 MiB.
  s.data_remaining_bytes = 29 * MiB;
  s.data_processed_bytes = 109 * MiB;
  Observe(h, s, true, 0, 1.1);
  EXPECT_EQ(PassStart::kAtEvent, h.passes.back().start);
  EXPECT_EQ(30 * MiB, h.passes.back().start_level);
  EXPECT_EQ(30 * MiB, h.passes.back().start_upper);
  EXPECT_TRUE(h.passes.back().productive);  // 30 <= 0.9 x 40
  EXPECT_DOUBLE_EQ(1.1, h.last_progress_at);
}

TEST(ProgressRule, DirtyToTransferDecidesWhatTheLevelsCannot) {
  // Discovered in pass 5 of a saw tooth: no earlier start to compare with,
  // but QEMU's dirty rate equals the send rate.
  JobSample s;
  s.memory_iteration = 5;
  s.data_remaining_bytes = 30 * MiB;
  s.data_processed_bytes = 200 * MiB;
  s.memory_bytes_per_second = 4.0 * MiB;
  s.dirty_bytes_per_second = 4.1 * MiB;
  MigrationHistory h = StartHistory(s, 48 * MiB, 100);
  Observe(h, s, false, 0, 100);
  EXPECT_EQ(PassStart::kUnseen, h.passes.back().start);
  EXPECT_FALSE(h.passes.back().productive);
  // The same level with a guest dirtying half as fast: productive.
  s.dirty_bytes_per_second = 2.0 * MiB;
  MigrationHistory healthy = StartHistory(s, 48 * MiB, 100);
  Observe(healthy, s, false, 0, 100);
  EXPECT_TRUE(healthy.passes.back().productive);
}

TEST(ProgressRule, OneNoisySampleCannotMoveAPassStart) {
  MigrationHistory h;
  JobSample s;
  s.memory_bytes_per_second = 4.0 * MiB;
  s.memory_iteration = 2;
  s.data_remaining_bytes = 42 * MiB;
  s.data_processed_bytes = 100 * MiB;
  Observe(h, s, true, 0, 0);
  // Pass 3 starts at 42 again, but its event's sample reads 34 MiB (noise).
  s.memory_iteration = 3;
  s.data_remaining_bytes = 34 * MiB;
  s.data_processed_bytes = 142 * MiB;
  Observe(h, s, true, 0, 10.5);
  EXPECT_TRUE(h.passes.back().productive);
  // The next samples fall at the send rate from 42: the median says 42.
  for (int i = 1; i <= 3; ++i) {
    s.data_remaining_bytes = (42 - 2 * i) * MiB;
    s.data_processed_bytes = (142 + 2 * i) * MiB;
    Observe(h, s, false, 0, 10.5 + 0.5 * i);
  }
  EXPECT_EQ(42 * MiB, h.passes.back().start_level);
  EXPECT_FALSE(h.passes.back().productive);
}

TEST(ProgressRule, SampleWithoutOrWithLowerIterationStaysInTheCurrentPass) {
  MigrationHistory h;
  JobSample s;
  s.memory_iteration = 3;
  s.data_remaining_bytes = 40 * MiB;
  Observe(h, s, true, 0, 0);
  s.memory_iteration.reset();
  s.data_remaining_bytes = 30 * MiB;
  Observe(h, s, false, 0, 1);
  s.memory_iteration = 2;
  Observe(h, s, false, 0, 2);
  ASSERT_EQ(1u, h.passes.size());
  EXPECT_EQ(3u, h.passes.back().iteration);
  EXPECT_EQ(30 * MiB, h.passes.back().low);
}

TEST(ProgressRule, OldPassesAreCompactedButStillJudge) {
  // A long saw tooth: the best start of dropped passes still counts.
  std::vector<Pass> passes = {{1, 48, 2, 1}, {2, 20, 2, 1}};
  for (uint64_t i = 3; i < 3 + 2 * kPassesKept; ++i) passes.push_back({i, 40, 5, 1});
  const Replayed run = Replay(Trace(passes), ProgressOnly(0));
  EXPECT_EQ(kPassesKept, run.history.passes.size());
  EXPECT_EQ(20 * MiB, run.history.best_start_level);
  MigrationHistory h = run.history;
  JobSample s;
  s.memory_iteration = 100;
  s.data_remaining_bytes = 19 * MiB;  // not 10% below 20
  Observe(h, s, true, 0, 0);
  EXPECT_FALSE(h.passes.back().productive);
}

TEST(Escalation, EachUnproductivePassRaisesTheDowntimeOneStep) {
  // Measured: an 8 MiB working set at full speed in a 32 MiB guest, 2 MiB/s;
  // passes every ~3.8 s starting near 7.6-7.8 MiB.
  std::vector<Pass> passes = {{1, 32, 1, 14}, {2, 7.7, 1, 3.8}, {3, 7.6, 1, 3.8},
                              {4, 7.8, 1, 3.8}, {5, 7.7, 1, 3.8}, {6, 7.6, 1, 3.8}};
  Policy p = ProgressOnly(60);
  p.max_downtime_steps_seconds = {1, 2, 5};
  p.max_downtime_seconds = 5;
  const Replayed run = Replay(Trace(passes), p, 32 * MiB);
  EXPECT_FALSE(run.terminal_at);
  ASSERT_EQ(3u, run.steps.size());
  EXPECT_DOUBLE_EQ(1, run.steps[0].action.downtime_seconds);
  EXPECT_DOUBLE_EQ(2, run.steps[1].action.downtime_seconds);
  EXPECT_DOUBLE_EQ(5, run.steps[2].action.downtime_seconds);
  EXPECT_EQ(ActionReason::kEscalation, run.steps[0].action.reason);
}

TEST(Escalation, StopsAtMaxDowntimeMs) {
  std::vector<Pass> passes = {{1, 32, 1, 14}, {2, 7.7, 1, 3.8}, {3, 7.6, 1, 3.8},
                              {4, 7.8, 1, 3.8}, {5, 7.7, 1, 3.8}, {6, 7.6, 1, 3.8}};
  Policy p = ProgressOnly(60);
  p.max_downtime_steps_seconds = {0.5, 0.9, 2};
  p.max_downtime_seconds = 0.9;  // KubeVirt's default
  const Replayed run = Replay(Trace(passes), p, 32 * MiB);
  ASSERT_EQ(2u, run.steps.size());
  EXPECT_DOUBLE_EQ(0.5, run.steps[0].action.downtime_seconds);
  EXPECT_DOUBLE_EQ(0.9, run.steps[1].action.downtime_seconds);
}

TEST(Escalation, AStepIsNotProgress) {
  Policy p = ProgressOnly(8);
  p.max_downtime_steps_seconds = {0.6, 1, 2};
  p.max_downtime_seconds = 2;
  const Replayed run = Replay(Trace(Stall()), p);
  ASSERT_TRUE(run.terminal_at);
  EXPECT_NEAR(22.0 + 8.0, *run.terminal_at, kPoll + 1e-9);
  EXPECT_FALSE(run.steps.empty());
}

TEST(CompletionBudget, ExactGiBOfMemoryAndCopiedDisks) {
  MigrationHistory h;
  h.memory_bytes = 64 * MiB;
  Policy p;
  p.completion_timeout_per_gib_seconds = 100;
  EXPECT_DOUBLE_EQ(6.25, *CompletionBudgetSeconds(h, p));
  h.disk_bytes = 960 * MiB;
  EXPECT_DOUBLE_EQ(100.0, *CompletionBudgetSeconds(h, p));
  p.completion_timeout_per_gib_seconds = 0;
  EXPECT_FALSE(CompletionBudgetSeconds(h, p));
}

TEST(CompletionBudget, AbortsAtTheBudgetByJobElapsedTime) {
  Policy p;
  p.progress_timeout_seconds = 0;
  p.completion_timeout_per_gib_seconds = 100;
  MigrationHistory h;
  h.memory_bytes = 64 * MiB;
  JobSample s;
  s.elapsed_seconds = 6.2;
  EXPECT_TRUE(Decide(h, s, MigrationMode::kPreCopy, p, 0).empty());
  s.elapsed_seconds = 6.25;
  const auto d = Decide(h, s, MigrationMode::kPreCopy, p, 0);
  ASSERT_EQ(1u, d.size());
  EXPECT_EQ(MigrationAction::Kind::kAbort, d[0].action.kind);
  EXPECT_EQ(ActionReason::kCompletionTimeout, d[0].action.reason);
  EXPECT_EQ("not completed within 6 s budget (0.06 GiB)", d[0].action.message);
}

TEST(CompletionBudget, PostCopyFirstWhenAllowedThenAbort) {
  Policy p;
  p.progress_timeout_seconds = 0;
  p.completion_timeout_per_gib_seconds = 100;
  p.allow_post_copy = true;
  MigrationHistory h;
  h.memory_bytes = 1024 * MiB;
  JobSample s;
  s.elapsed_seconds = 101;
  auto d = Decide(h, s, MigrationMode::kPreCopy, p, 0);
  ASSERT_EQ(1u, d.size());
  EXPECT_EQ(MigrationAction::Kind::kStartPostCopy, d[0].action.kind);
  h.postcopy_requested = true;  // and libvirt refused: the caller decides again
  d = Decide(h, s, MigrationMode::kPreCopy, p, 0);
  ASSERT_EQ(1u, d.size());
  EXPECT_EQ(MigrationAction::Kind::kAbort, d[0].action.kind);
}

TEST(Decide, NothingInPostCopyOrAfterATerminalAction) {
  Policy p = ProgressOnly(1);
  MigrationHistory h;
  JobSample s;
  s.elapsed_seconds = 1e6;
  EXPECT_TRUE(Decide(h, s, MigrationMode::kPostCopy, p, 1e6).empty());
  EXPECT_TRUE(Decide(h, s, MigrationMode::kPostCopyFailed, p, 1e6).empty());
  EXPECT_FALSE(Decide(h, s, MigrationMode::kPreCopy, p, 1e6).empty());
  h.terminal_action_taken = true;
  EXPECT_TRUE(Decide(h, s, MigrationMode::kPreCopy, p, 1e6).empty());
}

TEST(Decide, ZeroDisablesBothTimeouts) {
  Policy p;
  p.progress_timeout_seconds = 0;
  p.completion_timeout_per_gib_seconds = 0;
  MigrationHistory h;
  h.memory_bytes = MiB;
  JobSample s;
  s.elapsed_seconds = 1e9;
  EXPECT_TRUE(Decide(h, s, MigrationMode::kPreCopy, p, 1e9).empty());
}

TEST(History, JsonRoundTrip) {
  const Replayed run = Replay(Trace(Stall()), ProgressOnly(0));
  MigrationHistory h = run.history;
  h.observed_actions = {"abort/progress_timeout"};
  h.best_start_level = 5;
  const nlohmann::json j = h;
  const MigrationHistory back = j.get<MigrationHistory>();
  EXPECT_EQ(nlohmann::json(back), j);
  EXPECT_EQ(h.passes.size(), back.passes.size());
  EXPECT_EQ(h.best_start_level, back.best_start_level);
}

}  // namespace
}  // namespace migmon::enforcer
