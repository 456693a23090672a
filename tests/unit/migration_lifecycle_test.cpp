// The lifecycle stage's loop, driven tick by tick with fakes
// (migrations_fixture.h): every phase path to Succeeded and to Failed, a
// launch libvirt refuses, an enforcer abort, DELETE at each stage.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/migrations_fixture.h"

namespace migmon::testing_support {
namespace {

using migrations::Phase;

// Creates m1 and ticks it to Scheduled: the launch is with the fake launcher.
class LifecycleTest : public MigrationsTest {
 protected:
  void Launched() {
    Make();
    ASSERT_TRUE(Create("m1").ok());
    ASSERT_EQ(StoredPhase("m1"), "Pending");
    Tick();
    ASSERT_EQ(StoredPhase("m1"), "Scheduled");
    ASSERT_EQ(launcher_.Count(), 1u);
  }
  // Through TargetReady and libvirt's job to Running.
  void Running() {
    Launched();
    ASSERT_TRUE(launcher_.Ready(0));
    ASSERT_EQ(StoredPhase("m1"), "TargetReady");
    StartJob("u-web", "node-1", "node-2");
    Tick();
    ASSERT_EQ(StoredPhase("m1"), "Running");
  }
};

TEST_F(LifecycleTest, EveryPhaseOnTheWayToSucceeded) {
  Running();
  const LaunchRequest req = launcher_.Request(0);
  EXPECT_EQ(req.source_uri, "test:///node-1");
  EXPECT_EQ(req.target_peer_uri, "test:///node-2");
  EXPECT_EQ(req.uuid, "u-web");
  EXPECT_EQ(State("m1")["sourceNode"], "node-1");
  EXPECT_EQ(State("m1")["targetNode"], "node-2");
  EXPECT_EQ(State("m1")["migrationMethod"], "LiveMigration");
  EXPECT_EQ(State("m1")["startTimestamp"], Rfc3339(clock_.Now() - 2));
  EXPECT_TRUE(State("m1").contains("progress"));

  EndJobs();
  MoveVmi("node-2");
  launcher_.Done(0, true);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Succeeded");
  EXPECT_EQ(State("m1")["completed"], true);
  EXPECT_EQ(State("m1")["failed"], false);
  EXPECT_EQ(PhaseHistory("m1"), (std::vector<std::string>{"Pending", "Scheduling", "Scheduled", "PreparingTarget",
                                                           "TargetReady", "Running", "Succeeded"}));
  EXPECT_EQ(controller_->GetCounts().by_phase["Succeeded"], 1u);
}

TEST_F(LifecycleTest, ABlockMigrationSaysSo) {
  Launched();
  ASSERT_TRUE(launcher_.Ready(0, LaunchPlan{true, {"vda"}, false}));
  EXPECT_EQ(State("m1")["migrationMethod"], "BlockMigration");
}

TEST_F(LifecycleTest, ALaunchLibvirtRefusesFailsWithItsErrorAndCountsAgainstTheSource) {
  Launched();
  ASSERT_TRUE(launcher_.Ready(0));
  launcher_.Done(0, false, "migrate: unsupported configuration: target CPU is missing features");
  Tick();  // never seen running: no grace period for the watcher's account
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  // As KubeVirt writes it: a failed migration has ended, so completed too.
  EXPECT_EQ(State("m1")["completed"], true);
  EXPECT_EQ(State("m1")["failed"], true);
  EXPECT_EQ(State("m1")["failureReason"], "migrate: unsupported configuration: target CPU is missing features");
  EXPECT_EQ(PhaseHistory("m1").back(), "Failed");
  EXPECT_EQ(controller_->GetCounts().launch_failures["node-1"], 1u);
  EXPECT_EQ(controller_->GetCounts().launch_failures["node-2"], 0u);
}

TEST_F(LifecycleTest, ALaunchThatFailsBeforeTheMigrateCallFailsFromScheduled) {
  Launched();
  launcher_.Done(0, false, "cannot connect to node-2: Connection refused");  // on_ready never came
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  EXPECT_EQ(State("m1")["failureReason"], "cannot connect to node-2: Connection refused");
  const auto history = PhaseHistory("m1");
  EXPECT_EQ(std::count(history.begin(), history.end(), "PreparingTarget"), 0) << ::testing::PrintToString(history);
  EXPECT_EQ(controller_->GetCounts().launch_failures["node-1"], 1u);
}

TEST_F(LifecycleTest, APhaseThatCannotBeStoredCancelsTheLaunch) {
  Launched();
  FillDisk();
  EXPECT_FALSE(launcher_.Ready(0));  // the launcher must not call migrate
  FreeDisk();
  launcher_.Done(0, false, "cancelled before the migration started");  // what the launcher then reports
  Tick();
  clock_.Advance(1);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  EXPECT_EQ(State("m1")["failureReason"], "cancelled before the migration started");
  const auto history = PhaseHistory("m1");
  EXPECT_EQ(std::count(history.begin(), history.end(), "PreparingTarget"), 0) << ::testing::PrintToString(history);
  EXPECT_EQ(launcher_.Count(), 1u);
}

TEST_F(LifecycleTest, AJobThatFailsWaitsBrieflyForTheWatchersAccountThenTakesLibvirts) {
  Running();
  EndJobs();
  launcher_.Done(0, false, "migrate: operation failed: job 'migration out' failed");
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Running");  // the watcher may still say why
  clock_.Advance(migrations::kOutcomeGraceSeconds);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  EXPECT_EQ(State("m1")["failureReason"], "migrate: operation failed: job 'migration out' failed");
  EXPECT_EQ(controller_->GetCounts().launch_failures["node-1"], 0u);  // it ran: not a launch failure
}

TEST_F(LifecycleTest, AnEnforcerAbortFailsWithTheRuleInFailureReason) {
  Running();
  EndJobs();
  EndEvidence evidence;
  evidence.source_state = EndEvidence::SourceState::kRunning;
  evidence.aborted_by_monitor = "progress_timeout: no progress for 150s";
  outcomes_[{"node-1", "u-web"}] = DecideOutcome(evidence, false);
  launcher_.Done(0, false, "migrate: operation aborted: migration out job: canceled by client");
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  EXPECT_EQ(State("m1")["failureReason"], "aborted by migration-monitor: progress_timeout: no progress for 150s");
}

TEST_F(LifecycleTest, APendingMigrationWhoseVmiWentAwayFails) {
  Make();
  ASSERT_TRUE(Create("m1").ok());
  snap_.nodes[0].domains.clear();  // every node listed, the VMI on none
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  EXPECT_FALSE(State("m1").value("failureReason", "").empty());
  EXPECT_EQ(launcher_.Count(), 0u);
}

TEST_F(LifecycleTest, AQueuedMigrationWaitsWhileANodeIsUnlistedAndTheVmiUnknown) {
  Make();
  ASSERT_TRUE(Create("m1").ok());
  snap_.nodes[0].domains.clear();
  snap_.nodes[1].sweeps = 0;
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Pending");
  EXPECT_EQ(WaitReason("m1"), "VMIUnknown");
}

TEST_F(LifecycleTest, AWaitAlreadyGivenIsNotRewrittenWhileANodeIsUnlisted) {
  // As after a restart: the nodes are not all listed yet, and every queued
  // object already says why it waits. Rewriting each (and again once the
  // nodes are listed) would cost a write and an event per stored object.
  NodeNamed("node-2").available_memory_bytes = 0;
  Make();
  ASSERT_TRUE(Create("m1").ok());
  Tick();
  ASSERT_EQ(WaitReason("m1"), "NoTargetNode");
  const std::string rv = Stored("m1")["metadata"]["resourceVersion"];
  snap_.nodes[0].domains.clear();
  snap_.nodes[0].sweeps = 0;
  Tick();
  EXPECT_EQ(WaitReason("m1"), "NoTargetNode");
  EXPECT_EQ(Stored("m1")["metadata"]["resourceVersion"], rv);
}

TEST_F(LifecycleTest, ATickWithNothingNewWritesNothing) {
  NodeNamed("node-2").available_memory_bytes = 0;
  Make();
  ASSERT_TRUE(Create("m1").ok());
  Tick();
  const uint64_t rv = store_->CurrentResourceVersion();
  for (int i = 0; i < 5; ++i) Tick();
  EXPECT_EQ(store_->CurrentResourceVersion(), rv);
  NodeNamed("node-2").available_memory_bytes = 8 * kGiB;  // room again: planned, launched
  Tick();
  EXPECT_EQ(launcher_.Count(), 1u);
}

TEST_F(LifecycleTest, DeleteOfAQueuedMigrationRemovesItAtOnce) {
  Make();
  ASSERT_TRUE(Create("m1").ok());
  const auto r = controller_->Delete("default", "m1");
  ASSERT_TRUE(r.ok()) << r.error->message;
  EXPECT_FALSE(r.abort_requested);
  EXPECT_EQ(r.object["metadata"]["name"], "m1");
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
  Tick();
  EXPECT_EQ(launcher_.Count(), 0u);
  const auto again = controller_->Delete("default", "m1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error->code, migrations::ErrorCode::kNotFound);
  EXPECT_EQ(again.error->message, "virtualmachineinstancemigrations.kubevirt.io \"m1\" not found");
}

TEST_F(LifecycleTest, DeleteOfAScheduledMigrationCancelsTheLaunchAndRemovesIt) {
  Launched();
  const auto r = controller_->Delete("default", "m1");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.abort_requested);
  EXPECT_EQ(State("m1")["abortRequested"], true);
  EXPECT_TRUE(actions_.Submitted().empty());  // nothing runs yet: nothing to abort
  EXPECT_FALSE(launcher_.Ready(0));            // the launch is called off before the migrate call
  launcher_.Done(0, false, "launch cancelled");
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
  EXPECT_EQ(controller_->GetCounts().launch_failures["node-1"], 0u);
}

TEST_F(LifecycleTest, DeleteOfARunningMigrationAbortsItOnceAndRemovesItWhenItEnded) {
  Running();
  const auto r = controller_->Delete("default", "m1");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.abort_requested);
  Tick();
  Tick();
  const auto submitted = actions_.Submitted();
  ASSERT_EQ(submitted.size(), 1u);
  EXPECT_EQ(submitted[0].first, "node-1");
  EXPECT_EQ(submitted[0].second.kind, MigrationAction::Kind::kAbort);
  EXPECT_EQ(submitted[0].second.reason, ActionReason::kUserRequest);
  EXPECT_EQ(submitted[0].second.uuid, "u-web");
  EXPECT_EQ(StoredPhase("m1"), "Running");  // until libvirt says it ended
  EndJobs();
  launcher_.Done(0, false, "migrate: operation aborted");
  clock_.Advance(migrations::kOutcomeGraceSeconds);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
  EXPECT_EQ(controller_->GetCounts().by_phase["Failed"], 0u);
}

TEST_F(LifecycleTest, DeleteOfARunningMigrationThatSucceededAnywayStillRemovesIt) {
  Running();
  ASSERT_TRUE(controller_->Delete("default", "m1").ok());
  EndJobs();
  launcher_.Done(0, true);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

}  // namespace
}  // namespace migmon::testing_support
