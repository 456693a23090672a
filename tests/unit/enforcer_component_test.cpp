// The enforcer component with a fake clock, a fake action port and an
// in-memory history store: what it submits, counts, persists and restores.
#include "enforcer/enforcer.h"

#include <gtest/gtest.h>

#include "tests/unit/fake_clock.h"

namespace migmon::enforcer {
namespace {

constexpr uint64_t MiB = 1 << 20;

class FakePort : public ActionPort {
 public:
  explicit FakePort(HistoryStore& store) : store_(store) {}
  void Submit(const std::string& node, MigrationAction action) override {
    // The history must already be on disk when an action is submitted.
    persisted_before_submit.push_back(store_.LoadAll().count({node, action.uuid}) == 1);
    submitted.push_back({node, std::move(action)});
  }
  std::vector<std::pair<std::string, MigrationAction>> submitted;
  std::vector<bool> persisted_before_submit;

 private:
  HistoryStore& store_;
};

class FakeDryRuns : public DryRunSink {
 public:
  void WouldAct(const DomainRef& domain, const MigrationAction& action) override {
    told.push_back({domain.uuid, action});
  }
  std::vector<std::pair<std::string, MigrationAction>> told;
};

class EnforcerTest : public ::testing::Test {
 protected:
  EnforcerSettings Settings(bool observe = false) {
    EnforcerSettings s;
    s.policy.progress_timeout_seconds = 8;
    s.policy.completion_timeout_per_gib_seconds = 0;
    s.observe = observe;
    s.nodes = {"node-1", "node-2"};
    return s;
  }
  // A stalled migration: pass 1 falls, then every pass restarts at 40 MiB.
  // The clock moves with the samples: it reads 1e6 + now.
  void FeedStall(Enforcer& e, double seconds) {
    for (; now < seconds; now += 0.5, clock.Advance(0.5)) {
      JobSample s;
      const uint64_t pass = static_cast<uint64_t>(now / 4) + 1;
      const double in_pass = now - static_cast<double>(pass - 1) * 4;
      s.memory_iteration = pass;
      s.elapsed_seconds = now;
      s.data_remaining_bytes = static_cast<uint64_t>((40 - 8 * in_pass) * MiB);
      e.OutgoingSample(domain, facts, s, MigrationMode::kPreCopy, in_pass == 0);
    }
  }
  double now = 0;
  MemoryHistoryStore store;
  FakePort port{store};
  DomainRef domain{"node-1", "uuid-1", "web"};
  DomainFacts facts{48 * MiB, false};
  testing_support::FakeClock clock{1e6};
};

TEST_F(EnforcerTest, AbortsAStallOnceAndPersistsFirst) {
  Enforcer e(Settings(), store, port, clock);
  FeedStall(e, 40);
  ASSERT_EQ(1u, port.submitted.size());
  EXPECT_EQ("node-1", port.submitted[0].first);
  EXPECT_EQ("uuid-1", port.submitted[0].second.uuid);
  EXPECT_EQ(MigrationAction::Kind::kAbort, port.submitted[0].second.kind);
  EXPECT_EQ(ActionReason::kProgressTimeout, port.submitted[0].second.reason);
  EXPECT_TRUE(port.persisted_before_submit[0]);
}

std::vector<EnforcerFigures::Actions> ActionsOf(const EnforcerFigures& f, const std::string& node) {
  std::vector<EnforcerFigures::Actions> out;
  for (const auto& a : f.actions) {
    if (a.node == node) out.push_back(a);
  }
  return out;
}

TEST_F(EnforcerTest, CountersStartAtZeroAndCountDoneActions) {
  Enforcer e(Settings(), store, port, clock);
  const EnforcerFigures before = e.Figures();
  ASSERT_EQ(8u, before.actions.size());
  EXPECT_EQ("node-1", before.actions.front().node);  // nodes in configuration order
  EXPECT_EQ("node-2", before.actions.back().node);
  for (const auto& a : ActionsOf(before, "node-2")) {
    EXPECT_EQ(0u, a.count);
    EXPECT_FALSE(a.dry_run);
  }
  EXPECT_TRUE(before.migrations.empty());
  FeedStall(e, 40);
  e.ActionDone(domain, port.submitted[0].second, true, "");
  uint64_t aborts = 0;
  for (const auto& a : ActionsOf(e.Figures(), "node-1")) {
    if (a.action == "abort" && a.reason == "progress_timeout") aborts = a.count;
  }
  EXPECT_EQ(1u, aborts);
}

TEST_F(EnforcerTest, ObserveModeCountsOnceAndTouchesNothing) {
  FakeDryRuns dry_runs;
  Enforcer e(Settings(/*observe=*/true), store, port, clock, &dry_runs);
  FeedStall(e, 60);
  EXPECT_TRUE(port.submitted.empty());
  // The recorder is told of the one decision, once, though later samples decide it again.
  ASSERT_EQ(1u, dry_runs.told.size());
  EXPECT_EQ(MigrationAction::Kind::kAbort, dry_runs.told[0].second.kind);
  EXPECT_EQ(ActionReason::kProgressTimeout, dry_runs.told[0].second.reason);
  EXPECT_FALSE(dry_runs.told[0].second.message.empty());
  const auto actions = ActionsOf(e.Figures(), "node-1");
  ASSERT_EQ(4u, actions.size());
  for (const auto& a : actions) {
    EXPECT_TRUE(a.dry_run);
    EXPECT_EQ(a.action == "abort" && a.reason == "progress_timeout" ? 1u : 0u, a.count) << a.action << a.reason;
  }
}

TEST_F(EnforcerTest, FiguresOfAJudgedMigrationUntilItEnds) {
  EnforcerSettings s = Settings();
  s.policy.completion_timeout_per_gib_seconds = 100;
  Enforcer e(s, store, port, clock);
  FeedStall(e, 2);
  const EnforcerFigures f = e.Figures();
  ASSERT_EQ(1u, f.migrations.size());
  EXPECT_EQ("node-1", f.migrations[0].node);
  EXPECT_EQ("web", f.migrations[0].name);
  ASSERT_TRUE(f.migrations[0].completion_budget_seconds.has_value());
  EXPECT_NEAR(100.0 * 48 / 1024, *f.migrations[0].completion_budget_seconds, 1e-9);  // 48 MiB of memory
  EXPECT_GE(f.migrations[0].last_progress_timestamp_seconds, 1e6);
  EXPECT_LE(f.migrations[0].last_progress_timestamp_seconds, clock.Now());

  e.UpdateSettings(Settings());  // completion timeout off: no budget
  ASSERT_EQ(1u, e.Figures().migrations.size());
  EXPECT_FALSE(e.Figures().migrations[0].completion_budget_seconds.has_value());

  e.OutgoingEnded(domain, EndEvidence{});
  EXPECT_TRUE(e.Figures().migrations.empty());
}

TEST_F(EnforcerTest, ExcludedMigrationsAreOnlyWatched) {
  EnforcerSettings s = Settings();
  s.exclude = {"default/w*"};
  Enforcer e(s, store, port, clock);
  FeedStall(e, 60);
  EXPECT_TRUE(port.submitted.empty());
}

TEST_F(EnforcerTest, RefusedPostCopyFallsBackToAbort) {
  EnforcerSettings s = Settings();
  s.policy.progress_timeout_seconds = 0;
  s.policy.completion_timeout_per_gib_seconds = 100;  // 48 MiB: 4.69 s
  s.policy.allow_post_copy = true;
  Enforcer e(s, store, port, clock);
  FeedStall(e, 6);
  ASSERT_EQ(1u, port.submitted.size());
  EXPECT_EQ(MigrationAction::Kind::kStartPostCopy, port.submitted[0].second.kind);
  e.ActionDone(domain, port.submitted[0].second, false, "post-copy not enabled");
  ASSERT_EQ(2u, port.submitted.size());
  EXPECT_EQ(MigrationAction::Kind::kAbort, port.submitted[1].second.kind);
  EXPECT_NE(std::string::npos, port.submitted[1].second.message.find("refused post-copy"));
}

TEST_F(EnforcerTest, RestartResumesTheSameJobsHistory) {
  {
    Enforcer first(Settings(), store, port, clock);
    FeedStall(first, 14);  // into the fourth pass: no progress since ~8 s
  }
  ASSERT_EQ(1u, store.LoadAll().size());
  ASSERT_TRUE(port.submitted.empty());
  Enforcer second(Settings(), store, port, clock);
  FeedStall(second, 40);
  ASSERT_EQ(1u, port.submitted.size());
  // Aborted as the first would have: 8 s after the last progress (end of
  // pass 2, ~8 s), not 8 s after the restart.
  const auto history = store.LoadAll().begin()->second;
  EXPECT_LE(history.last_progress_at, 1e6 + 8.0);
}

TEST_F(EnforcerTest, StoredHistoryOfAnotherJobIsDiscarded) {
  MigrationHistory old;
  old.job_started_at = 1e6 - 1000;  // a job that started long before
  old.last_progress_at = 1e6 - 900;
  std::string error;
  store.Put({"node-1", "uuid-1"}, old, error);
  Enforcer e(Settings(), store, port, clock);
  FeedStall(e, 2);
  EXPECT_TRUE(port.submitted.empty());  // judged afresh, not as 900 s stalled
}

TEST_F(EnforcerTest, SweepDropsHistoriesOfMigrationsThatEndedWhileDown) {
  MigrationHistory old;
  std::string error;
  store.Put({"node-1", "gone"}, old, error);
  store.Put({"node-2", "other"}, old, error);
  Enforcer e(Settings(), store, port, clock);
  e.SweepDone("node-1", NodeInventory{});
  const auto rows = store.LoadAll();
  EXPECT_EQ(0u, rows.count({"node-1", "gone"}));
  EXPECT_EQ(1u, rows.count({"node-2", "other"}));
}

TEST_F(EnforcerTest, EndedMigrationLeavesNoHistory) {
  Enforcer e(Settings(), store, port, clock);
  FeedStall(e, 2);
  e.OutgoingEnded(domain, EndEvidence{});
  EXPECT_TRUE(store.LoadAll().empty());
}

}  // namespace
}  // namespace migmon::enforcer
