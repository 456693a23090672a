#include "api/k8s/table.h"

#include <gtest/gtest.h>

namespace migmon::api::k8s {
namespace {

using nlohmann::json;
using std::chrono::seconds;

json Running() {
  return json::parse(R"({"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceMigration",
    "metadata":{"name":"mig-a","namespace":"prod","uid":"u1","creationTimestamp":"2025-01-01T00:00:00Z",
                "labels":{"team":"x"}},
    "spec":{"vmiName":"vm-a","priority":"user-triggered"},
    "status":{"phase":"Running","migrationState":{"sourceNode":"node-1","targetNode":"node-2",
                                                  "progress":{"progressRatio":0.42}}}})");
}

TEST(K8sTable, KubectlsAcceptHeaderAsksForATable) {
  EXPECT_TRUE(WantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
                         "g=meta.k8s.io,application/json"));
  EXPECT_FALSE(WantsTable("application/json"));
  EXPECT_FALSE(WantsTable("application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
}

TEST(K8sTable, ShapeColumnsAndRows) {
  auto now = *ParseTimestamp("2025-01-01T01:02:03Z");
  json pending = {{"metadata", {{"name", "mig-b"}, {"namespace", "prod"}}}, {"spec", {{"vmiName", "vm-b"}}}};
  ListMeta meta;
  meta.resource_version = "17";
  json table = MakeTable({Running(), pending}, now, meta);
  EXPECT_EQ(table["kind"], "Table");
  EXPECT_EQ(table["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(table["metadata"]["resourceVersion"], "17");

  std::vector<std::string> names;
  for (const json& column : table["columnDefinitions"]) names.push_back(column["name"]);
  EXPECT_EQ(names,
            (std::vector<std::string>{"Name", "Phase", "VMI", "Source", "Target", "Progress", "Age", "Priority"}));
  EXPECT_EQ(table["columnDefinitions"][0]["format"], "name");
  EXPECT_EQ(table["columnDefinitions"][6]["type"], "date");
  EXPECT_EQ(table["columnDefinitions"][7]["priority"], 1);  // -o wide only

  ASSERT_EQ(table["rows"].size(), 2u);
  EXPECT_EQ(table["rows"][0]["cells"],
            json::parse(R"(["mig-a","Running","vm-a","node-1","node-2","42%","62m","user-triggered"])"));
  EXPECT_EQ(table["rows"][1]["cells"], json::parse(R"(["mig-b",null,"vm-b",null,null,null,"<unknown>",null])"));
  const json& object = table["rows"][0]["object"];
  EXPECT_EQ(object["kind"], "PartialObjectMetadata");
  EXPECT_EQ(object["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(object["metadata"]["namespace"], "prod");
  EXPECT_EQ(object["metadata"]["labels"]["team"], "x");
  EXPECT_FALSE(object.contains("spec"));
}

TEST(K8sTable, APageCarriesTheContinueTokenKubectlFollows) {
  // kubectl get asks for limit=500 and fetches the next page while the
  // Table's metadata has `continue`: without it only 500 rows are printed.
  json table = MakeTable({Running()}, std::chrono::system_clock::now(), ListMeta{"9", "prod/mig-a", 1500});
  EXPECT_EQ(table["metadata"], json::parse(R"({"resourceVersion":"9","continue":"prod/mig-a","remainingItemCount":1500})"));
  EXPECT_EQ(MakeTable({})["metadata"], json::object()) << "the last page has no continue";
}

TEST(K8sTable, EmptyListStillHasColumns) {
  json table = MakeTable({});
  EXPECT_EQ(table["rows"], json::array());
  EXPECT_EQ(table["columnDefinitions"].size(), 8u);
  EXPECT_EQ(table["metadata"], json::object());
}

TEST(K8sTable, WatchEvents) {
  auto now = *ParseTimestamp("2025-01-01T00:00:30Z");
  json first = MakeWatchTable(Running(), true, now);
  EXPECT_EQ(first["columnDefinitions"].size(), 8u);
  EXPECT_EQ(first["rows"].size(), 1u);
  json later = MakeWatchTable(Running(), false, now);
  EXPECT_EQ(later["columnDefinitions"], json::array());
  EXPECT_EQ(later["rows"][0]["cells"][6], "30s");
  json event = MakeWatchEvent("MODIFIED", later);
  EXPECT_EQ(event["type"], "MODIFIED");
  EXPECT_EQ(event["object"], later);
}

TEST(K8sTable, HumanDurationMatchesKubectl) {
  EXPECT_EQ(HumanDuration(seconds(-5)), "<invalid>");
  EXPECT_EQ(HumanDuration(seconds(-1)), "0s");
  EXPECT_EQ(HumanDuration(seconds(0)), "0s");
  EXPECT_EQ(HumanDuration(seconds(119)), "119s");
  EXPECT_EQ(HumanDuration(seconds(120)), "2m");
  EXPECT_EQ(HumanDuration(seconds(200)), "3m20s");
  EXPECT_EQ(HumanDuration(seconds(600)), "10m");
  EXPECT_EQ(HumanDuration(seconds(179 * 60)), "179m");
  EXPECT_EQ(HumanDuration(seconds(3 * 3600)), "3h");
  EXPECT_EQ(HumanDuration(seconds(3 * 3600 + 5 * 60)), "3h5m");
  EXPECT_EQ(HumanDuration(seconds(47 * 3600)), "47h");
  EXPECT_EQ(HumanDuration(seconds(50 * 3600)), "2d2h");
  EXPECT_EQ(HumanDuration(seconds(72 * 3600)), "3d");
  EXPECT_EQ(HumanDuration(seconds(30 * 86400)), "30d");
  EXPECT_EQ(HumanDuration(seconds(800 * 86400)), "2y70d");
  EXPECT_EQ(HumanDuration(seconds(365 * 3 * 86400)), "3y");
  EXPECT_EQ(HumanDuration(seconds(365 * 9 * 86400)), "9y");
}

TEST(K8sTable, ParseTimestampAcceptsRfc3339) {
  auto base = *ParseTimestamp("2025-03-11T19:52:21Z");
  EXPECT_EQ(std::chrono::duration_cast<seconds>(base.time_since_epoch()).count(), 1741722741);
  EXPECT_EQ(*ParseTimestamp("2025-03-11T21:52:21.123456+02:00"), base);
  EXPECT_EQ(*ParseTimestamp("2025-03-11T18:52:21-01:00"), base);
  EXPECT_FALSE(ParseTimestamp("2025-03-11 19:52:21Z").has_value());
  EXPECT_FALSE(ParseTimestamp("2025-02-30T00:00:00Z").has_value());
  EXPECT_FALSE(ParseTimestamp("2025-03-11T19:52:21").has_value());
  EXPECT_FALSE(ParseTimestamp("").has_value());
}

}  // namespace
}  // namespace migmon::api::k8s
