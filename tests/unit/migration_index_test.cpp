// The index's stage sets and its per-VMI links follow every Put, SetPhase
// and Erase: the loop walks them instead of the whole index, so an entry
// missing from its set would never be tracked, planned or removed.
#include <gtest/gtest.h>

#include "migrations/index.h"

namespace migmon::migrations {
namespace {

std::unique_ptr<Entry> Make(const std::string& name, const std::string& vmi, Phase phase = Phase::kPending) {
  auto e = std::make_unique<Entry>();
  e->ns = "default";
  e->name = name;
  e->vmi = vmi;
  e->phase = phase;
  return e;
}

std::set<Key> Keys(std::initializer_list<const char*> names) {
  std::set<Key> out;
  for (const char* n : names) out.insert({"default", n});
  return out;
}

TEST(MigrationIndex, StageSetsFollowPhaseChanges) {
  Index index;
  index.Put(Make("a", "vm-a"));
  index.Put(Make("b", "vm-b"));
  index.Put(Make("done", "vm-a", Phase::kSucceeded));
  EXPECT_EQ(index.In(Stage::kQueued), Keys({"a", "b"}));
  EXPECT_EQ(index.In(Stage::kFinished), Keys({"done"}));

  index.SetPhase(*index.Find({"default", "a"}), Phase::kScheduling);
  EXPECT_EQ(index.In(Stage::kQueued), Keys({"b"}));
  EXPECT_EQ(index.In(Stage::kInFlight), Keys({"a"}));
  index.SetPhase(*index.Find({"default", "a"}), Phase::kRunning);  // within the stage
  EXPECT_EQ(index.In(Stage::kInFlight), Keys({"a"}));
  index.SetPhase(*index.Find({"default", "a"}), Phase::kFailed);
  EXPECT_TRUE(index.In(Stage::kInFlight).empty());
  EXPECT_EQ(index.In(Stage::kFinished), Keys({"a", "done"}));

  index.Erase({"default", "done"});
  EXPECT_EQ(index.In(Stage::kFinished), Keys({"a"}));
  EXPECT_EQ(index.size(), 2u);
}

TEST(MigrationIndex, ActiveForFindsTheVmisUnfinishedEntryOnly) {
  Index index;
  index.Put(Make("old", "web", Phase::kSucceeded));
  EXPECT_EQ(index.ActiveFor("default", "web"), nullptr) << "a finished migration is not active";
  index.Put(Make("new", "web", Phase::kRunning));
  ASSERT_NE(index.ActiveFor("default", "web"), nullptr);
  EXPECT_EQ(index.ActiveFor("default", "web")->name, "new");
  EXPECT_EQ(index.ActiveFor("other", "web"), nullptr) << "VMIs are per namespace";
  index.Erase({"default", "new"});
  EXPECT_EQ(index.ActiveFor("default", "web"), nullptr);
}

TEST(MigrationIndex, PutOverAnEntryReplacesItsLinks) {
  Index index;
  index.Put(Make("m", "web", Phase::kRunning));
  index.Put(Make("m", "db"));  // the same key, as a reload would put it
  EXPECT_EQ(index.ActiveFor("default", "web"), nullptr);
  ASSERT_NE(index.ActiveFor("default", "db"), nullptr);
  EXPECT_TRUE(index.In(Stage::kInFlight).empty());
  EXPECT_EQ(index.In(Stage::kQueued), Keys({"m"}));
}

}  // namespace
}  // namespace migmon::migrations
