// A list or watch served from the objects' stored texts must be byte for
// byte what building the JSON and dumping it gives: clients (kubectl,
// client-go) cannot tell which path answered.
#include <gtest/gtest.h>

#include "api/request_parts.h"
#include "api/watch_stream.h"

namespace migmon::api {
namespace {

using nlohmann::json;

std::vector<json> Objects() {
  return {json::parse(R"({"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceMigration",
                         "metadata":{"name":"a","namespace":"ns","resourceVersion":"4"},"spec":{"vmiName":"vm"},
                         "status":{"phase":"Pending","note":"caf\u00e9 \"quoted\""}})"),
          json::parse(R"({"metadata":{"name":"b","namespace":"ns"},"spec":{}})")};
}

std::vector<store::StoredObject> AsStored(const std::vector<json>& objects) {
  std::vector<store::StoredObject> out;
  for (const auto& o : objects) {
    store::StoredObject s;
    s.body = o.dump();  // as the store writes a row
    out.push_back(std::move(s));
  }
  return out;
}

TEST(ListText, MatchesTheDumpedList) {
  k8s::ListMeta meta;
  meta.resource_version = "17";
  meta.continue_token = "ns/b";
  meta.remaining = 3;
  const std::string expected = ListOf("VirtualMachineInstanceMigrationList", Objects(), meta).dump();
  EXPECT_EQ(ListBodyOf("VirtualMachineInstanceMigrationList", AsStored(Objects()), meta), expected);
}

TEST(ListText, AnEmptyListToo) {
  k8s::ListMeta meta;
  meta.resource_version = "1";
  EXPECT_EQ(ListBodyOf("VirtualMachineInstanceMigrationList", std::vector<store::StoredObject>{}, meta),
            ListOf("VirtualMachineInstanceMigrationList", {}, meta).dump());
}

TEST(ListText, AWatchLineFromTextMatchesTheDumpedEvent) {
  for (const auto& o : Objects()) EXPECT_EQ(WatchLineOfText("ADDED", o.dump()), WatchLine("ADDED", o));
}

TEST(ListText, VmisBuiltAsTextSpliceTheSame) {
  k8s::ListMeta meta;
  meta.resource_version = "0";
  meta.continue_token = "default/b";
  meta.remaining = 3;
  const std::vector<VmiText> vmis = {{"default", "a", R"({"kind":"VirtualMachineInstance","metadata":{"name":"a"}})"},
                                     {"default", "b", R"({"kind":"VirtualMachineInstance","metadata":{"name":"b"}})"}};
  std::vector<nlohmann::json> trees;
  for (const auto& v : vmis) trees.push_back(nlohmann::json::parse(v.text));
  EXPECT_EQ(ListBodyOf("VirtualMachineInstanceList", vmis, meta),
            ListOf("VirtualMachineInstanceList", trees, meta).dump());
}

}  // namespace
}  // namespace migmon::api
