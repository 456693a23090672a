#include "api/k8s/discovery.h"

#include <gtest/gtest.h>

#include "api/k8s/media_type.h"

namespace migmon::api::k8s {
namespace {

TEST(K8sDiscovery, VersionHasEveryFieldKubectlDecodes) {
  nlohmann::json v = VersionInfo();
  EXPECT_EQ(v["gitVersion"], "v1.32.3");
  EXPECT_EQ(v["major"], "1");
  EXPECT_EQ(v["minor"], "32");
  EXPECT_EQ(v["platform"], "linux/amd64");
  for (const char* key : {"buildDate", "goVersion", "compiler", "gitCommit", "gitTreeState"}) {
    EXPECT_TRUE(v[key].is_string()) << key;
  }
}

TEST(K8sDiscovery, CoreGroupIsEmpty) {
  nlohmann::json api = CoreApiVersions("127.0.0.1:9477");
  EXPECT_EQ(api["kind"], "APIVersions");
  EXPECT_EQ(api["versions"], nlohmann::json::array());
  EXPECT_EQ(api["serverAddressByClientCIDRs"][0]["serverAddress"], "127.0.0.1:9477");
  nlohmann::json v1 = CoreV1Resources();
  EXPECT_EQ(v1["kind"], "APIResourceList");
  EXPECT_EQ(v1["groupVersion"], "v1");
  EXPECT_EQ(v1["resources"], nlohmann::json::array());
}

TEST(K8sDiscovery, GroupListAndGroupNameKubevirtV1) {
  nlohmann::json expected_version = {{"groupVersion", "kubevirt.io/v1"}, {"version", "v1"}};
  nlohmann::json list = ApiGroupList();
  EXPECT_EQ(list["kind"], "APIGroupList");
  ASSERT_EQ(list["groups"].size(), 1u);
  EXPECT_EQ(list["groups"][0]["name"], "kubevirt.io");
  EXPECT_EQ(list["groups"][0]["versions"], nlohmann::json::array({expected_version}));
  EXPECT_EQ(list["groups"][0]["preferredVersion"], expected_version);
  nlohmann::json group = KubevirtApiGroup();
  EXPECT_EQ(group["kind"], "APIGroup");
  EXPECT_EQ(group["name"], "kubevirt.io");
  EXPECT_EQ(group["preferredVersion"], expected_version);
}

TEST(K8sDiscovery, ResourceListDescribesMigrationsAndVmis) {
  nlohmann::json list = KubevirtV1Resources();
  EXPECT_EQ(list["kind"], "APIResourceList");
  EXPECT_EQ(list["groupVersion"], "kubevirt.io/v1");
  ASSERT_EQ(list["resources"].size(), 2u);
  const nlohmann::json& vmim = list["resources"][0];
  EXPECT_EQ(vmim["name"], "virtualmachineinstancemigrations");
  EXPECT_EQ(vmim["singularName"], "virtualmachineinstancemigration");
  EXPECT_EQ(vmim["namespaced"], true);
  EXPECT_EQ(vmim["kind"], "VirtualMachineInstanceMigration");
  EXPECT_EQ(vmim["shortNames"], nlohmann::json({"vmim", "vmims"}));
  EXPECT_EQ(vmim["verbs"], nlohmann::json({"create", "delete", "get", "list", "watch"}));
  EXPECT_EQ(vmim["categories"], nlohmann::json::array({"all"}));
  const nlohmann::json& vmi = list["resources"][1];
  EXPECT_EQ(vmi["name"], "virtualmachineinstances");
  EXPECT_EQ(vmi["kind"], "VirtualMachineInstance");
  EXPECT_EQ(vmi["shortNames"], nlohmann::json({"vmi", "vmis"}));
  EXPECT_EQ(vmi["verbs"], nlohmann::json({"get", "list", "watch"}));
}

TEST(K8sDiscovery, AggregatedDocumentsMirrorTheResourceList) {
  nlohmann::json apis = AggregatedApisDiscovery();
  EXPECT_EQ(apis["kind"], "APIGroupDiscoveryList");
  EXPECT_EQ(apis["apiVersion"], "apidiscovery.k8s.io/v2");
  const nlohmann::json& group = apis["items"][0];
  EXPECT_EQ(group["metadata"]["name"], "kubevirt.io");
  const nlohmann::json& version = group["versions"][0];
  EXPECT_EQ(version["version"], "v1");
  EXPECT_EQ(version["freshness"], "Current");
  const nlohmann::json& vmim = version["resources"][0];
  EXPECT_EQ(vmim["resource"], "virtualmachineinstancemigrations");
  EXPECT_EQ(vmim["scope"], "Namespaced");
  EXPECT_EQ(vmim["responseKind"],
            (nlohmann::json{{"group", "kubevirt.io"}, {"version", "v1"}, {"kind", "VirtualMachineInstanceMigration"}}));
  EXPECT_EQ(vmim["shortNames"], nlohmann::json({"vmim", "vmims"}));
  nlohmann::json core = AggregatedCoreDiscovery();
  EXPECT_EQ(core["items"][0]["versions"][0]["version"], "v1");
  EXPECT_EQ(core["items"][0]["versions"][0]["resources"], nlohmann::json::array());
}

TEST(K8sDiscovery, AggregatedDiscoveryIsRecognisedInKubectlsAcceptHeader) {
  EXPECT_TRUE(AcceptsAggregatedDiscovery(kAggregatedDiscoveryAccept));
  EXPECT_TRUE(AcceptsAggregatedDiscovery("application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io"));
  EXPECT_FALSE(AcceptsAggregatedDiscovery("application/json, */*"));
  EXPECT_FALSE(AcceptsAggregatedDiscovery("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"));
}

TEST(K8sMediaType, ParsesTypeAndParameters) {
  MediaType m = ParseMediaType(" Application/YAML ; charset=\"utf-8\" ;x");
  EXPECT_EQ(m.type, "application/yaml");
  EXPECT_EQ(m.params.at("charset"), "utf-8");
  EXPECT_EQ(m.params.size(), 1u);
  std::vector<MediaType> all = ParseAccept("application/json;as=Table;v=v1;g=meta.k8s.io, application/json");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].params.at("as"), "Table");
  EXPECT_TRUE(all[1].params.empty());
  EXPECT_EQ(ParseMediaType("").type, "");
}

}  // namespace
}  // namespace migmon::api::k8s
