// The lifecycle stage when the store refuses writes (a full disk, made by
// triggers that fail every write): a removal that fails keeps the object
// and is retried until it lands, whether a DELETE's migration ended or the
// retention let an object go. Ticked by hand with a fake clock.
#include <gtest/gtest.h>

#include "tests/unit/migrations_fixture.h"

namespace migmon::testing_support {
namespace {

class StoreFailureTest : public MigrationsTest {};

TEST_F(StoreFailureTest, ADeletedMigrationThatEndsWhileTheDiskIsFullIsRemovedOnceSpaceIsBack) {
  StoreLaunched("m1", "Running");
  StartJob("u-web", "node-1", "node-2");
  Make();
  Tick();
  ASSERT_TRUE(controller_->Delete("default", "m1").abort_requested);
  FillDisk();
  EndJobs();
  MoveVmi("node-1");
  outcomes_[{"node-1", "u-web"}] = {false, "aborted by migration-monitor: abort requested by deleting migration default/m1",
                                    OutcomeCause::kAbortedByMonitor, "abort requested by deleting migration default/m1"};
  Tick();
  EXPECT_NE(StoredPhase("m1"), "(absent)");  // the removal failed: still stored...
  EXPECT_EQ(controller_->GetCounts().by_phase["Failed"], 0u);  // ...but gone for clients
  const auto again = controller_->Delete("default", "m1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error->code, migrations::ErrorCode::kNotFound);
  FreeDisk();
  clock_.Advance(1);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

TEST_F(StoreFailureTest, ARetentionRemovalThatFailsIsTriedAgain) {
  settings_.retention_ttl_seconds = 60;
  StoreLaunched("old", "Failed");
  Make();
  FillDisk();
  clock_.Advance(60);
  Tick();
  EXPECT_EQ(StoredPhase("old"), "Failed");
  EXPECT_EQ(controller_->GetCounts().by_phase["Failed"], 1u);  // still in the index: tried again
  FreeDisk();
  Tick();
  EXPECT_EQ(StoredPhase("old"), "(absent)");
  EXPECT_EQ(controller_->GetCounts().by_phase["Failed"], 0u);
}

TEST_F(StoreFailureTest, AWriteAheadStepThatCannotBeStoredIsNotTaken) {
  Make();
  ASSERT_TRUE(Create("m1").ok());
  FillDisk();
  Tick();
  EXPECT_EQ(launcher_.Count(), 0u);  // Scheduling could not be stored: no launch
  EXPECT_EQ(controller_->GetCounts().by_phase["Pending"], 1u);
  FreeDisk();
  Tick();
  EXPECT_EQ(launcher_.Count(), 1u);
  EXPECT_EQ(StoredPhase("m1"), "Scheduled");
}

}  // namespace
}  // namespace migmon::testing_support
