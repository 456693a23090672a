// The read-only VMI objects (api/vmi_objects.h): one per domain, with the
// migration's state while it runs; its startTimestamp is the start the
// tracker fixed (MigrationView::started_at), so the same snapshot always
// gives the same objects and a VMI watch reports no change when nothing
// changed.
#include "api/vmi_objects.h"

#include <gtest/gtest.h>

#include "util/time_format.h"

namespace migmon::api {
namespace {

Snapshot Migrating(double started_at, double elapsed) {
  Snapshot s;
  NodeView n;
  n.name = "node-1";
  n.up = true;
  n.sweeps = 1;
  n.domains = {{"u-web", "web", 1ull << 30, true, false, "running"}};
  s.nodes = {n};
  MigrationView m;
  m.source = {"node-1", "u-web", "web"};
  m.vmi = {"default", "web"};
  m.target_node = "node-2";
  m.block_migration = true;
  m.last.elapsed_seconds = elapsed;
  m.started_at = started_at;
  s.migrations = {m};
  return s;
}

nlohmann::json StateOf(const std::vector<VmiText>& vmis) {
  EXPECT_EQ(vmis.size(), 1u);
  return nlohmann::json::parse(vmis.at(0).text)["status"]["migrationState"];
}

TEST(VmiObjects, AMigratingVmiCarriesTheTrackersStartAndItsMethod) {
  const auto state = StateOf(VmiTexts(Migrating(1'699'999'990.6, 10), NamingScheme::kDomain, std::nullopt));
  EXPECT_EQ(state["startTimestamp"], Rfc3339(1'699'999'990.6));
  EXPECT_EQ(state["migrationMethod"], "BlockMigration");
  EXPECT_EQ(state["sourceNode"], "node-1");
  EXPECT_EQ(state["targetNode"], "node-2");
  // A later sample (more elapsed) of the same job: the object does not change.
  EXPECT_EQ(StateOf(VmiTexts(Migrating(1'699'999'990.6, 11.3), NamingScheme::kDomain, std::nullopt)), state);
}

// Two nodes, a paused migration target among them: one VMI each, sorted by
// (namespace, name), the running copy's node named; a filter sees each tree.
Snapshot Fleet() {
  Snapshot s;
  NodeView a;
  a.name = "node-a";
  a.domains = {{"u-2", "zeta", 1ull << 30, true, false, "running"}, {"u-1", "web", 1ull << 30, false, false, "paused"}};
  NodeView b;
  b.name = "node-b";
  b.domains = {{"u-1", "web", 1ull << 30, true, false, "running"}, {"u-3", "alpha", 2ull << 30, true, false, "running"},
               {"u-4", "bad\xff", 1ull << 30, true, false, "running"}};
  s.nodes = {a, b};
  return s;
}

TEST(VmiObjects, ListsEachVmiOnceSortedWithItsRunningNodeAsText) {
  const auto vmis = VmiTexts(Fleet(), NamingScheme::kDomain, std::nullopt);
  ASSERT_EQ(vmis.size(), 4u);
  EXPECT_EQ(vmis[0].name, "alpha");
  EXPECT_EQ(vmis[1].name, "bad\xff");
  EXPECT_EQ(vmis[2].name, "web");
  EXPECT_EQ(vmis[3].name, "zeta");
  const auto web = nlohmann::json::parse(vmis[2].text);
  EXPECT_EQ(web["status"]["nodeName"], "node-b");
  EXPECT_EQ(web["spec"]["domain"]["memory"]["guest"], "1024Mi");
  // Invalid UTF-8 is replaced in the text, never thrown on.
  EXPECT_NE(nlohmann::json::parse(vmis[1].text)["metadata"]["name"].get<std::string>().find("\xef\xbf\xbd"),
            std::string::npos);
  EXPECT_TRUE(VmiTexts(Fleet(), NamingScheme::kDomain, std::string("other")).empty());
}

TEST(VmiObjects, TheFilterSeesEachObjectAndOneVmiIsFoundByName) {
  const auto on_a = VmiTexts(Fleet(), NamingScheme::kDomain, std::nullopt,
                             [](const nlohmann::json& v) { return v["status"]["nodeName"] == "node-a"; });
  ASSERT_EQ(on_a.size(), 1u);
  EXPECT_EQ(on_a[0].name, "zeta");
  const auto alpha = VmiObject(Fleet(), NamingScheme::kDomain, "default", "alpha");
  ASSERT_TRUE(alpha.has_value());
  EXPECT_EQ((*alpha)["status"]["nodeName"], "node-b");
  EXPECT_EQ((*alpha)["metadata"]["uid"], "u-3");
  EXPECT_FALSE(VmiObject(Fleet(), NamingScheme::kDomain, "default", "missing").has_value());
}

TEST(VmiObjects, ADiffReportsAddedChangedAndGoneInKeyOrder) {
  const std::vector<VmiText> before = {{"a", "x", "1"}, {"default", "gone", "2"}, {"default", "same", "3"},
                                       {"default", "web", "4"}, {"z", "last", "5"}};
  const std::vector<VmiText> after = {{"a", "new", "9"}, {"a", "x", "1"}, {"default", "same", "3"},
                                      {"default", "web", "4b"}};
  std::vector<std::string> seen;
  DiffVmis(before, after, [&](VmiChange c, const VmiText& v) {
    const char* what = c == VmiChange::kAdded ? "+" : c == VmiChange::kModified ? "~" : "-";
    seen.push_back(what + v.name_space + "/" + v.name + "=" + v.text);
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"+a/new=9", "-default/gone=2", "~default/web=4b", "-z/last=5"}));
  seen.clear();
  DiffVmis({}, after, [&](VmiChange c, const VmiText& v) { seen.push_back((c == VmiChange::kAdded ? "+" : "?") + v.name); });
  EXPECT_EQ(seen, (std::vector<std::string>{"+new", "+x", "+same", "+web"}));
}

TEST(VmiObjects, AGetFindsTheRunningCopyOfAMigratingVmi) {
  const auto web = VmiObject(Fleet(), NamingScheme::kDomain, "default", "web");
  ASSERT_TRUE(web.has_value());
  EXPECT_EQ((*web)["status"]["nodeName"], "node-b");  // node-a holds the paused target copy
}

}  // namespace
}  // namespace migmon::api
