// The lifecycle stage after a restart (objects the last run left in the
// store), its limits when other tools migrate too, and its retention, ticked
// by hand with a fake clock (migrations_fixture.h).
#include <gtest/gtest.h>

#include "tests/unit/migrations_fixture.h"

namespace migmon::testing_support {
namespace {

TEST_F(MigrationsTest, ARunningMigrationIsAdoptedAndFinishedFromTheWatchersAccount) {
  StoreLaunched("m1", "Running");
  StartJob("u-web", "node-1", "node-2");
  Make();
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Running");
  EXPECT_EQ(launcher_.Count(), 0u);  // adopted, not launched again
  EXPECT_TRUE(State("m1").contains("progress"));
  EndJobs();
  outcomes_[{"node-1", "u-web"}] = {true, "libvirt reports the job completed", OutcomeCause::kCompleted, ""};
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Succeeded");
}

TEST_F(MigrationsTest, AnAboutToLaunchMigrationIsRequeuedWhenItsVmiIsStillOnTheSource) {
  StoreLaunched("m1", "Scheduled");
  Make();
  Tick();  // requeued, then planned and launched again in the same tick
  EXPECT_EQ(launcher_.Count(), 1u);
  EXPECT_EQ(StoredPhase("m1"), "Scheduled");
  const auto history = PhaseHistory("m1");
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history[0], "Pending");
  EXPECT_EQ(history[1], "Scheduling");
}

TEST_F(MigrationsTest, AnAboutToLaunchMigrationWaitsForTheSourcesInventory) {
  StoreLaunched("m1", "TargetReady");
  NodeNamed("node-1").sweeps = 0;
  Make();
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "TargetReady");
  EXPECT_EQ(launcher_.Count(), 0u);
  NodeNamed("node-1").sweeps = 1;
  Tick();
  EXPECT_EQ(launcher_.Count(), 1u);  // requeued and launched
}

TEST_F(MigrationsTest, AnAboutToLaunchMigrationBeingDeletedIsNotRequeued) {
  StoreLaunched("m1", "Scheduled");
  ASSERT_TRUE(store_->Update(Plural(), "default", "m1", [](nlohmann::json& o) {
                      o["status"]["migrationState"]["abortRequested"] = true;
                      return true;
                    }).ok());
  Make();
  Tick();
  EXPECT_EQ(launcher_.Count(), 0u);
  EXPECT_EQ(StoredPhase("m1"), "(absent)");  // finished and removed, as the DELETE asked
}

// "Requeued only when the VMI is still on the source": the migrate call may
// have been made just before the stop, so a VMI found elsewhere moved.
TEST_F(MigrationsTest, AnAboutToLaunchMigrationWhoseVmiIsOnTheTargetSucceededWithoutALaunch) {
  StoreLaunched("m1", "TargetReady");
  MoveVmi("node-2");
  Make();
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Succeeded");
  EXPECT_EQ(launcher_.Count(), 0u);
}

TEST_F(MigrationsTest, AnAboutToLaunchMigrationWhoseVmiIsOnAThirdNodeFailedWithoutALaunch) {
  config::NodeConfig third;
  third.name = "node-3";
  third.uri = "test:///node-3";
  third.labels = {{"kubernetes.io/hostname", "node-3"}};
  settings_.nodes.push_back(third);
  snap_.nodes.push_back(Node("node-3", {}));
  StoreLaunched("m1", "Scheduled");
  MoveVmi("node-3");
  Make();
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  EXPECT_NE(State("m1").value("failureReason", "").find("node-3"), std::string::npos) << State("m1");
  Tick();
  EXPECT_EQ(launcher_.Count(), 0u);  // it may have run once: never queued again
}

TEST_F(MigrationsTest, AMigrationThatEndedWhileDownOnTheTargetSucceeded) {
  StoreLaunched("m1", "Running");
  MoveVmi("node-2");
  Make();
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Succeeded");
}

TEST_F(MigrationsTest, AMigrationThatEndedWhileDownOnTheSourceFailedSayingWhereTheVmiRuns) {
  StoreLaunched("m1", "Running");
  Make();
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  EXPECT_EQ(State("m1")["failureReason"],
            "the migration ended while migration-monitor was down; the VMI runs on node-1");
  EXPECT_EQ(launcher_.Count(), 0u);  // it ran once: never queued again
}

TEST_F(MigrationsTest, AMigrationWhoseVmiIsGoneFailed) {
  StoreLaunched("m1", "Running");
  for (auto& n : snap_.nodes) n.domains.clear();
  Make();
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Failed");
  EXPECT_EQ(State("m1")["failureReason"], "the VMI runs on no managed node");
}

TEST_F(MigrationsTest, AMigrationStartedElsewhereCountsAgainstTheOutboundLimit) {
  settings_.policy.parallel_outbound_migrations_per_node = 1;
  snap_.nodes[0].domains.push_back(Domain("u-db", "db"));
  StartJob("u-db", "node-1", "node-2", 5, "db");  // not ours: virsh migrate, say
  Make();
  ASSERT_TRUE(Create("m1").ok());
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Pending");
  EXPECT_EQ(WaitReason("m1"), "OutboundLimitReached");
  EXPECT_EQ(launcher_.Count(), 0u);
  EndJobs();
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Scheduled");
  EXPECT_FALSE(Stored("m1")["status"].contains("conditions"));
}

TEST_F(MigrationsTest, AMigrationStartedElsewhereCountsAgainstTheClusterLimit) {
  settings_.policy.parallel_migrations_per_cluster = 1;
  snap_.nodes.push_back(Node("node-3", {Domain("u-db", "db")}));
  StartJob("u-db", "node-3", "node-2", 5, "db");
  Make();
  ASSERT_TRUE(Create("m1").ok());
  Tick();
  EXPECT_EQ(WaitReason("m1"), "ClusterLimitReached");
  EXPECT_EQ(launcher_.Count(), 0u);
}

TEST_F(MigrationsTest, OurLaunchNotYetReportedHoldsItsSlot) {
  settings_.policy.parallel_migrations_per_cluster = 1;
  snap_.nodes[0].domains.push_back(Domain("u-db", "db"));
  Make();
  ASSERT_TRUE(Create("m1").ok());
  ASSERT_TRUE(Create("m2", "db").ok());
  Tick();
  EXPECT_EQ(launcher_.Count(), 1u);
  Tick();  // libvirt does not show m1's job yet: m2 still waits
  EXPECT_EQ(launcher_.Count(), 1u);
  EXPECT_EQ(WaitReason("m2"), "ClusterLimitReached");
}

class RetentionTest : public MigrationsTest {
 protected:
  // Runs one migration of `web` from its create to Succeeded.
  void RunToSuccess(const std::string& name) {
    const size_t call = launcher_.Count();
    ASSERT_TRUE(Create(name).ok());
    Tick();
    ASSERT_EQ(launcher_.Count(), call + 1);
    ASSERT_TRUE(launcher_.Ready(call));
    launcher_.Done(call, true);
    Tick();
    ASSERT_EQ(StoredPhase(name), "Succeeded");
  }
};

TEST_F(RetentionTest, RetentionKeepsTheNewestFinishedPerVmi) {
  settings_.retention_per_vmi = 2;
  Make();
  for (const char* name : {"m1", "m2", "m3"}) {
    RunToSuccess(name);
    clock_.Advance(10);
  }
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
  EXPECT_EQ(StoredPhase("m2"), "Succeeded");
  EXPECT_EQ(StoredPhase("m3"), "Succeeded");
  EXPECT_EQ(controller_->GetCounts().by_phase["Succeeded"], 2u);
}

TEST_F(RetentionTest, RetentionRemovesAFinishedMigrationAfterItsTtl) {
  settings_.retention_ttl_seconds = 60;
  Make();
  RunToSuccess("m1");
  clock_.Advance(59);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Succeeded");
  clock_.Advance(1);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

TEST_F(RetentionTest, RetentionOfObjectsFoundAtStartCountsFromTheStart) {
  settings_.retention_ttl_seconds = 60;
  StoreLaunched("old", "Succeeded");
  Make();
  clock_.Advance(30);
  Tick();
  EXPECT_EQ(StoredPhase("old"), "Succeeded");
  clock_.Advance(30);
  Tick();
  EXPECT_EQ(StoredPhase("old"), "(absent)");
}

}  // namespace
}  // namespace migmon::testing_support
