#include "api/k8s/openapi.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace migmon::api::k8s {
namespace {

const nlohmann::json& Doc() {
  static const nlohmann::json doc = *OpenApiV3Document(kKubevirtV1OpenApiPath);
  return doc;
}

const nlohmann::json& Schema(const std::string& name) { return Doc()["components"]["schemas"].at(name); }

nlohmann::json Gvk(const char* kind) {
  return nlohmann::json::array({{{"group", "kubevirt.io"}, {"version", "v1"}, {"kind", kind}}});
}

TEST(K8sOpenApi, IndexPointsAtTheGroupDocumentWithItsHash) {
  nlohmann::json index = OpenApiV3Index();
  const std::string url = index["paths"]["apis/kubevirt.io/v1"]["serverRelativeURL"];
  EXPECT_EQ(url, "/openapi/v3/apis/kubevirt.io/v1?hash=" + OpenApiHash(Doc()));
  EXPECT_EQ(OpenApiHash(Doc()).size(), 16u);
  EXPECT_EQ(OpenApiHash(Doc()), OpenApiHash(*OpenApiV3Document("/apis/kubevirt.io/v1")));
  EXPECT_NE(OpenApiHash(nlohmann::json{{"a", 1}}), OpenApiHash(nlohmann::json{{"a", 2}}));
  EXPECT_FALSE(OpenApiV3Document("api/v1").has_value());
}

TEST(K8sOpenApi, DocumentIsOpenApi3WithPathsAndSchemas) {
  EXPECT_EQ(Doc()["openapi"], "3.0.0");
  EXPECT_TRUE(Doc()["paths"].is_object());
  EXPECT_TRUE(Doc()["components"]["schemas"].is_object());
}

TEST(K8sOpenApi, TopLevelKindsCarryTheirGroupVersionKind) {
  EXPECT_EQ(Schema("io.kubevirt.v1.VirtualMachineInstanceMigration")["x-kubernetes-group-version-kind"],
            Gvk("VirtualMachineInstanceMigration"));
  EXPECT_EQ(Schema("io.kubevirt.v1.VirtualMachineInstanceMigrationList")["x-kubernetes-group-version-kind"],
            Gvk("VirtualMachineInstanceMigrationList"));
  EXPECT_EQ(Schema("io.kubevirt.v1.VirtualMachineInstance")["x-kubernetes-group-version-kind"],
            Gvk("VirtualMachineInstance"));
  EXPECT_EQ(Schema("io.kubevirt.v1.VirtualMachineInstanceList")["x-kubernetes-group-version-kind"],
            Gvk("VirtualMachineInstanceList"));
}

TEST(K8sOpenApi, MigrationSpecRequiresVmiNameAndListsPriorities) {
  const nlohmann::json& spec = Schema("io.kubevirt.v1.VirtualMachineInstanceMigrationSpec");
  EXPECT_EQ(spec["required"], nlohmann::json::array({"vmiName"}));
  EXPECT_EQ(spec["properties"]["vmiName"]["type"], "string");
  EXPECT_EQ(spec["properties"]["addedNodeSelector"]["additionalProperties"]["type"], "string");
  EXPECT_EQ(spec["properties"]["priority"]["enum"],
            nlohmann::json({"system-critical", "user-triggered", "system-maintenance"}));
  EXPECT_EQ(Schema("io.kubevirt.v1.VirtualMachineInstanceMigration")["required"], nlohmann::json::array({"spec"}));
}

TEST(K8sOpenApi, MigrationStateHasKubevirtFieldsAndProgress) {
  const nlohmann::json& state = Schema("io.kubevirt.v1.VirtualMachineInstanceMigrationState")["properties"];
  for (const char* field : {"startTimestamp", "endTimestamp", "sourceNode", "targetNode", "targetNodeAddress",
                            "completed", "failed", "abortRequested", "abortStatus", "mode", "migrationMethod",
                            "failureReason", "progress"}) {
    EXPECT_TRUE(state.contains(field)) << field;
  }
  const nlohmann::json& progress = Schema("io.kubevirt.v1.VirtualMachineInstanceMigrationProgress")["properties"];
  EXPECT_EQ(progress["progressRatio"]["type"], "number");
  const nlohmann::json& status = Schema("io.kubevirt.v1.VirtualMachineInstanceMigrationStatus")["properties"];
  for (const char* field : {"phase", "phaseTransitionTimestamps", "conditions", "migrationState"}) {
    EXPECT_TRUE(status.contains(field)) << field;
  }
  const nlohmann::json& vmi = Schema("io.kubevirt.v1.VirtualMachineInstanceStatus")["properties"];
  for (const char* field : {"nodeName", "phase", "migrationState"}) EXPECT_TRUE(vmi.contains(field)) << field;
}

TEST(K8sOpenApi, EveryReferenceResolvesInsideTheDocument) {
  const std::string prefix = "#/components/schemas/";
  int refs = 0;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& node) {
    if (node.is_object()) {
      if (node.contains("$ref")) {
        const std::string ref = node["$ref"];
        ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
        EXPECT_TRUE(Doc()["components"]["schemas"].contains(ref.substr(prefix.size()))) << ref;
        ++refs;
      }
      for (const auto& [key, value] : node.items()) walk(value);
    } else if (node.is_array()) {
      for (const auto& value : node) walk(value);
    }
  };
  walk(Doc());
  EXPECT_GT(refs, 20);
  EXPECT_TRUE(Doc()["components"]["schemas"].contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
  EXPECT_TRUE(Doc()["components"]["schemas"].contains("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"));
}

// kubectl 1.32 sends fieldValidation=Strict only when a PATCH operation of
// the kind declares that query parameter; otherwise it fetches /openapi/v2.
TEST(K8sOpenApi, PatchOperationDeclaresFieldValidationForMigrations) {
  const nlohmann::json& item =
      Doc()["paths"]["/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachineinstancemigrations/{name}"];
  const nlohmann::json& patch = item["patch"];
  EXPECT_EQ(patch["x-kubernetes-group-version-kind"],
            (nlohmann::json{{"group", "kubevirt.io"}, {"version", "v1"}, {"kind", "VirtualMachineInstanceMigration"}}));
  bool found = false;
  for (const auto& param : patch["parameters"]) found |= param["name"] == "fieldValidation" && param["in"] == "query";
  EXPECT_TRUE(found);
  const nlohmann::json& collection =
      Doc()["paths"]["/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachineinstancemigrations"];
  EXPECT_EQ(collection["post"]["x-kubernetes-action"], "post");
  EXPECT_EQ(collection["get"]["x-kubernetes-action"], "list");
  EXPECT_FALSE(Doc()["paths"]["/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachineinstances"].contains("post"));
}

}  // namespace
}  // namespace migmon::api::k8s
