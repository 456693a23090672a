// The lifecycle stage's answers to the API: creates for a VMI whose node is
// down or unlisted, DELETE with dryRun and preconditions, and store writes
// that fail (a full disk) and must land once space is back. Ticked by hand
// with a fake clock; the only real wait is the bounded one for a sweep that
// a silent node never answers.
#include <gtest/gtest.h>

#include "tests/unit/migrations_fixture.h"

namespace migmon::testing_support {
namespace {

using migrations::ErrorCode;

class ControllerTest : public MigrationsTest {
 protected:
  void SetNode(const std::string& name, bool up, uint64_t sweeps = 1) {
    std::lock_guard lock(mutex_);
    NodeView& n = NodeNamed(name);
    n.up = up;
    n.detail = up ? "connected" : "cannot connect: Connection refused";
    n.sweeps = sweeps;
  }
  // No node has room for the VMI: a tick schedules nothing.
  void NoRoom() {
    for (auto& n : snap_.nodes) n.available_memory_bytes = 0;
  }
};

TEST_F(ControllerTest, CreateForAVmiOnANodeThatIsDownIs503NamingTheNode) {
  Make();
  SetNode("node-1", false);
  const auto r = Create("m1");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kUnavailable) << r.error->message;
  EXPECT_NE(r.error->message.find("node-1 is not connected (cannot connect: Connection refused)"), std::string::npos)
      << r.error->message;
  EXPECT_EQ(store_->List(Plural(), std::nullopt).items.size(), 0u);
}

TEST_F(ControllerTest, CreateForAnUnknownVmiWhileANodeIsDownOrUnlistedIs503) {
  Make();
  SetNode("node-2", false);
  auto r = Create("m1", "elsewhere");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kUnavailable) << r.error->message;
  EXPECT_NE(r.error->message.find("node-2 is not connected"), std::string::npos) << r.error->message;
  SetNode("node-2", true, 0);  // connected, but its domains not listed yet...
  {
    std::lock_guard lock(mutex_);
    silent_.insert("node-2");  // ...and the sweep asked for does not come in time
  }
  r = Create("m1", "elsewhere");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kUnavailable) << r.error->message;
  EXPECT_NE(r.error->message.find("node-2 has not been listed yet"), std::string::npos) << r.error->message;
}

TEST_F(ControllerTest, CreateForAnUnknownVmiWithEveryNodeListedIs404) {
  Make();
  const auto r = Create("m1", "elsewhere");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kNotFound) << r.error->message;
  EXPECT_EQ(r.error->message, "virtualmachineinstances.kubevirt.io \"elsewhere\" not found");
  EXPECT_TRUE(Create("m1").ok());
  const auto again = Create("m1");
  ASSERT_TRUE(again.error);
  EXPECT_EQ(again.error->code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error->message, "virtualmachineinstancemigrations.kubevirt.io \"m1\" already exists");
}

TEST_F(ControllerTest, DryRunDeleteOfAQueuedMigrationRemovesNothing) {
  NoRoom();
  Make();
  ASSERT_TRUE(Create("m1").ok());
  api::k8s::DeleteOptions dry;
  dry.dry_run = true;
  const auto r = controller_->Delete("default", "m1", dry);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.abort_requested);
  EXPECT_EQ(r.object["metadata"]["name"], "m1");
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Pending");
  EXPECT_EQ(controller_->GetCounts().by_phase["Pending"], 1u);
  EXPECT_TRUE(controller_->Delete("default", "m1").ok());
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

TEST_F(ControllerTest, DryRunDeleteOfARunningMigrationAbortsNothing) {
  StoreLaunched("m1", "Running");
  StartJob("u-web", "node-1", "node-2");
  Make();
  Tick();
  api::k8s::DeleteOptions dry;
  dry.dry_run = true;
  const auto r = controller_->Delete("default", "m1", dry);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.abort_requested);
  EXPECT_EQ(r.object["status"]["migrationState"]["abortRequested"], true);
  Tick();  // the ticks after it must not submit an abort either
  Tick();
  EXPECT_TRUE(actions_.Submitted().empty());
  EXPECT_FALSE(State("m1").contains("abortRequested"));

  EXPECT_TRUE(controller_->Delete("default", "m1").abort_requested);
  Tick();  // the tick the DELETE wakes submits the abort
  const auto submitted = actions_.Submitted();
  ASSERT_EQ(submitted.size(), 1u);
  EXPECT_EQ(submitted[0].first, "node-1");
  EXPECT_EQ(submitted[0].second.uuid, "u-web");
  EXPECT_EQ(submitted[0].second.kind, MigrationAction::Kind::kAbort);
}

TEST_F(ControllerTest, DeletePreconditionsAreCheckedAgainstTheStoredObject) {
  NoRoom();
  Make();
  ASSERT_TRUE(Create("m1").ok());
  Tick();  // writes why it waits: the object changes once more
  const auto stored = Stored("m1");
  const std::string uid = stored["metadata"]["uid"];
  const std::string rv = stored["metadata"]["resourceVersion"];

  api::k8s::DeleteOptions stale;
  stale.preconditions.resource_version = "1";
  ASSERT_NE(rv, "1");
  auto r = controller_->Delete("default", "m1", stale);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kConflict);
  EXPECT_EQ(r.error->message, "Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in meta: " + rv);
  api::k8s::DeleteOptions other_uid;
  other_uid.preconditions.uid = "not-" + uid;
  EXPECT_EQ(controller_->Delete("default", "m1", other_uid).error->code, ErrorCode::kConflict);
  EXPECT_EQ(StoredPhase("m1"), "Pending");

  api::k8s::DeleteOptions current;
  current.preconditions = {uid, rv};
  EXPECT_TRUE(controller_->Delete("default", "m1", current).ok());
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

TEST_F(ControllerTest, AStatusWriteThatFailsIsWrittenOnceSpaceIsBack) {
  // Left in Scheduled by a monitor stopped before the migrate call; the VMI
  // still runs on the source, so this start queues it again.
  StoreLaunched("m1", "Scheduled");
  NoRoom();
  FillDisk();
  Make();
  Tick();
  EXPECT_EQ(controller_->GetCounts().by_phase["Pending"], 1u);
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Scheduled");  // the write failed...
  FreeDisk();
  clock_.Advance(1);  // a failed write is tried again a second later
  Tick();
  EXPECT_EQ(StoredPhase("m1"), "Pending");  // ...and landed
  EXPECT_FALSE(Stored("m1")["status"].contains("migrationState"));
}

TEST_F(ControllerTest, ADeleteThatFailsKeepsTheMigrationQueued) {
  NoRoom();
  Make();
  ASSERT_TRUE(Create("m1").ok());
  FillDisk();
  const auto failed = controller_->Delete("default", "m1");
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(failed.error->code, ErrorCode::kStoreFailed);
  EXPECT_NE(failed.error->message.find("database or disk is full"), std::string::npos) << failed.error->message;
  EXPECT_EQ(controller_->GetCounts().by_phase["Pending"], 1u);
  FreeDisk();
  EXPECT_TRUE(controller_->Delete("default", "m1").ok());
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

}  // namespace
}  // namespace migmon::testing_support
