#include "api/k8s/vmim.h"

#include <gtest/gtest.h>

#include <string>

namespace migmon::api::k8s {
namespace {

using nlohmann::json;

json Seed() {
  return {{"apiVersion", "kubevirt.io/v1"},
          {"kind", "VirtualMachineInstanceMigration"},
          {"metadata", {{"name", "test-vmi-migration"}, {"namespace", "default"}}},
          {"spec", {{"vmiName", "test-vmi"}}}};
}

// The error of validating `obj` in namespace "default", strict unless said.
json ErrorOf(const json& obj, bool strict = true) {
  MigrationValidation v = ValidateMigration(obj, "default", strict);
  EXPECT_TRUE(v.error.has_value()) << obj.dump();
  return v.error.value_or(json::object());
}

// Expects a 422 whose only cause has this reason and field.
void ExpectOneCause(const json& obj, const char* reason, const char* field) {
  json status = ErrorOf(obj);
  EXPECT_EQ(status["code"], 422) << status.dump();
  EXPECT_EQ(status["reason"], "Invalid");
  ASSERT_EQ(status["details"]["causes"].size(), 1u) << status.dump();
  EXPECT_EQ(status["details"]["causes"][0]["reason"], reason) << status.dump();
  EXPECT_EQ(status["details"]["causes"][0]["field"], field) << status.dump();
}

TEST(K8sVmim, SeedIsValid) {
  MigrationValidation v = ValidateMigration(Seed(), "default", true);
  EXPECT_FALSE(v.error.has_value()) << v.error->dump();
  EXPECT_TRUE(v.warnings.empty());
}

TEST(K8sVmim, FullSpecIsValid) {
  json obj = Seed();
  obj["apiVersion"] = "kubevirt.io/v1alpha3";
  obj["metadata"]["labels"] = {{"app.kubernetes.io/name", "web"}, {"tier", ""}};
  obj["metadata"]["annotations"] = {{"example.com/note", "any text at all!"}};
  obj["spec"]["priority"] = "system-critical";
  obj["spec"]["addedNodeSelector"] = {{"kubernetes.io/hostname", "node-2"}};
  obj["status"] = {{"phase", "Running"}, {"whatever", 1}};  // the server's, ignored
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value());
  obj.erase("apiVersion");
  obj.erase("kind");
  obj["metadata"].erase("namespace");
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value());  // defaulted from the URL
}

TEST(K8sVmim, TheVmiNameLabelIsAddedAsKubeVirtsWebhookDoes) {
  json bare = Seed();
  AddVmiNameLabel(bare);
  EXPECT_EQ(bare["metadata"]["labels"], json({{"kubevirt.io/vmi-name", "test-vmi"}}));
  json labelled = Seed();
  labelled["metadata"]["labels"] = {{"tier", "web"}, {"kubevirt.io/vmi-name", "another-vmi"}};
  AddVmiNameLabel(labelled);
  // The other labels stay; a wrong vmi-name is corrected to the spec's.
  EXPECT_EQ(labelled["metadata"]["labels"], json({{"tier", "web"}, {"kubevirt.io/vmi-name", "test-vmi"}}));
}

TEST(K8sVmim, WrongApiVersionOrKindIs400) {
  for (const json& version : {json("kubevirt.io/v2"), json("v1"), json(1)}) {
    json obj = Seed();
    obj["apiVersion"] = version;
    json status = ErrorOf(obj);
    EXPECT_EQ(status["code"], 400);
    EXPECT_EQ(status["reason"], "BadRequest");
    EXPECT_NE(std::string(status["message"]).find("expected API version (kubevirt.io/v1)"), std::string::npos);
  }
  json obj = Seed();
  obj["kind"] = "VirtualMachineInstance";
  json status = ErrorOf(obj);
  EXPECT_EQ(status["code"], 400);
  EXPECT_NE(std::string(status["message"]).find("VirtualMachineInstance"), std::string::npos);
  EXPECT_EQ(ErrorOf(json::array())["code"], 400);
}

TEST(K8sVmim, VmiNameMissingWrongTypeOrEmpty) {
  json obj = Seed();
  obj["spec"].erase("vmiName");
  ExpectOneCause(obj, "FieldValueRequired", "spec.vmiName");
  obj["spec"]["vmiName"] = nullptr;
  ExpectOneCause(obj, "FieldValueRequired", "spec.vmiName");
  obj["spec"]["vmiName"] = "";
  ExpectOneCause(obj, "FieldValueRequired", "spec.vmiName");
  obj["spec"]["vmiName"] = 5;
  ExpectOneCause(obj, "FieldValueTypeInvalid", "spec.vmiName");
  json status = ErrorOf(obj);
  EXPECT_EQ(status["message"],
            "VirtualMachineInstanceMigration.kubevirt.io \"test-vmi-migration\" is invalid: spec.vmiName: Invalid "
            "value: \"integer\": spec.vmiName in body must be of type string: \"integer\"");
}

TEST(K8sVmim, SpecMissingOrNotAnObject) {
  json obj = Seed();
  obj.erase("spec");
  ExpectOneCause(obj, "FieldValueRequired", "spec");
  obj["spec"] = "x";
  ExpectOneCause(obj, "FieldValueTypeInvalid", "spec");
}

TEST(K8sVmim, NameMustBeADns1123Subdomain) {
  for (const char* bad : {"Upper", "under_score", "-start", "end-", "a..b", ".a"}) {
    json obj = Seed();
    obj["metadata"]["name"] = bad;
    ExpectOneCause(obj, "FieldValueInvalid", "metadata.name");
  }
  json obj = Seed();
  obj["metadata"]["name"] = std::string(254, 'a');
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.name");
  obj["metadata"]["name"] = std::string(253, 'a');
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value());
  obj["metadata"]["name"] = "a.b-c.0";
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value());
  obj["metadata"]["name"] = 3;
  ExpectOneCause(obj, "FieldValueTypeInvalid", "metadata.name");
}

TEST(K8sVmim, NameOrGenerateNameIsRequired) {
  json obj = Seed();
  obj["metadata"].erase("name");
  ExpectOneCause(obj, "FieldValueRequired", "metadata.name");
  EXPECT_EQ(ErrorOf(obj)["details"]["causes"][0]["message"], "Required value: name or generateName is required");
  obj.erase("metadata");
  ExpectOneCause(obj, "FieldValueRequired", "metadata.name");
  obj["metadata"] = {{"generateName", "mig-"}};
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value());
  obj["metadata"] = {{"generateName", "Mig-"}};
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.generateName");
  EXPECT_EQ(ErrorOf(obj)["details"]["name"], "Mig-");
  obj["metadata"] = {{"generateName", "mig--"}};  // only one trailing dash is masked
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value());
  obj["metadata"] = {{"generateName", "-"}};
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.generateName");
  obj["metadata"] = "x";
  ExpectOneCause(obj, "FieldValueTypeInvalid", "metadata");
}

TEST(K8sVmim, NamespaceMustMatchTheUrl) {
  json obj = Seed();
  obj["metadata"]["namespace"] = "other";
  json status = ErrorOf(obj);
  EXPECT_EQ(status["code"], 400);
  EXPECT_EQ(status["message"], "the namespace of the provided object does not match the namespace sent on the request");
  EXPECT_FALSE(ValidateMigration(obj, "other", true).error.has_value());
  obj["metadata"]["namespace"] = 7;
  ExpectOneCause(obj, "FieldValueTypeInvalid", "metadata.namespace");
}

TEST(K8sVmim, PriorityMustBeKnown) {
  json obj = Seed();
  for (const char* good : {"system-critical", "user-triggered", "system-maintenance"}) {
    obj["spec"]["priority"] = good;
    EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value()) << good;
  }
  obj["spec"]["priority"] = nullptr;
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value());
  obj["spec"]["priority"] = "high";
  ExpectOneCause(obj, "FieldValueNotSupported", "spec.priority");
  EXPECT_EQ(ErrorOf(obj)["details"]["causes"][0]["message"],
            "Unsupported value: \"high\": supported values: \"system-critical\", \"user-triggered\", "
            "\"system-maintenance\"");
  obj["spec"]["priority"] = "";
  ExpectOneCause(obj, "FieldValueNotSupported", "spec.priority");
  obj["spec"]["priority"] = 3;
  ExpectOneCause(obj, "FieldValueTypeInvalid", "spec.priority");
}

TEST(K8sVmim, AddedNodeSelectorMustMapStringsToStrings) {
  json obj = Seed();
  obj["spec"]["addedNodeSelector"] = json::array({"a"});
  ExpectOneCause(obj, "FieldValueTypeInvalid", "spec.addedNodeSelector");
  obj["spec"]["addedNodeSelector"] = {{"zone", 1}};
  ExpectOneCause(obj, "FieldValueTypeInvalid", "spec.addedNodeSelector[zone]");
  obj["spec"]["addedNodeSelector"] = {{"bad key", "a"}};
  ExpectOneCause(obj, "FieldValueInvalid", "spec.addedNodeSelector");
  obj["spec"]["addedNodeSelector"] = {{"zone", "not valid!"}};
  ExpectOneCause(obj, "FieldValueInvalid", "spec.addedNodeSelector");
}

TEST(K8sVmim, LabelsMustBeValidKeysAndValues) {
  json obj = Seed();
  obj["metadata"]["labels"] = {{"-bad", "v"}};
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.labels");
  obj["metadata"]["labels"] = {{"Example.com/x", "v"}};  // the prefix is a lowercase subdomain
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.labels");
  obj["metadata"]["labels"] = {{"a/b/c", "v"}};
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.labels");
  obj["metadata"]["labels"] = {{std::string(64, 'k'), "v"}};
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.labels");
  obj["metadata"]["labels"] = {{"k", std::string(64, 'v')}};
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.labels");
  obj["metadata"]["labels"] = {{"k", "v v"}};
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.labels");
  obj["metadata"]["labels"] = {{"k", true}};
  ExpectOneCause(obj, "FieldValueTypeInvalid", "metadata.labels[k]");
  obj["metadata"]["labels"] = "k=v";
  ExpectOneCause(obj, "FieldValueTypeInvalid", "metadata.labels");
  obj["metadata"]["labels"] = {{"k", std::string(63, 'v')}, {"a.b/C_d-1", "X.y_z-0"}};
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error.has_value());
}

TEST(K8sVmim, AnnotationsAreBoundedInTotalSize) {
  json obj = Seed();
  obj["metadata"]["annotations"] = {{"note", std::string(256 * 1024, 'x')}};
  ExpectOneCause(obj, "FieldValueTooLong", "metadata.annotations");
  obj["metadata"]["annotations"] = {{"bad key", "x"}};
  ExpectOneCause(obj, "FieldValueInvalid", "metadata.annotations");
}

TEST(K8sVmim, SeveralProblemsAreReportedTogether) {
  json obj = Seed();
  obj["metadata"]["name"] = "Bad";
  obj["spec"] = {{"priority", "high"}};
  json status = ErrorOf(obj);
  EXPECT_EQ(status["code"], 422);
  ASSERT_EQ(status["details"]["causes"].size(), 3u);
  EXPECT_EQ(status["details"]["causes"][0]["field"], "metadata.name");
  EXPECT_EQ(status["details"]["causes"][1]["field"], "spec.vmiName");
  EXPECT_EQ(status["details"]["causes"][2]["field"], "spec.priority");
}

TEST(K8sVmim, UnknownFieldsFailStrictDecoding) {
  json obj = Seed();
  obj["spec"]["x"] = 1;
  obj["metadata"]["clusterName"] = "c";
  obj["extra"] = true;
  json status = ErrorOf(obj, /*strict=*/true);
  EXPECT_EQ(status["code"], 400);
  EXPECT_EQ(status["reason"], "BadRequest");
  EXPECT_EQ(status["message"],
            "VirtualMachineInstanceMigration in version \"v1\" cannot be handled as a VirtualMachineInstanceMigration: "
            "strict decoding error: unknown field \"extra\", unknown field \"metadata.clusterName\", unknown field "
            "\"spec.x\"");
}

TEST(K8sVmim, UnknownFieldsAreWarningsWhenNotStrict) {
  json obj = Seed();
  obj["spec"]["x"] = 1;
  MigrationValidation v = ValidateMigration(obj, "default", false);
  EXPECT_FALSE(v.error.has_value());
  ASSERT_EQ(v.warnings.size(), 1u);
  EXPECT_EQ(v.warnings[0], "unknown field \"spec.x\"");
  EXPECT_EQ(WarningHeaderValue(v.warnings[0]), "299 - \"unknown field \\\"spec.x\\\"\"");
  // Warnings come with field errors too; the Status is what fails the request.
  obj["spec"].erase("vmiName");
  v = ValidateMigration(obj, "default", false);
  EXPECT_EQ(v.error.value()["code"], 422);
  EXPECT_EQ(v.warnings.size(), 1u);
}

TEST(K8sVmim, PriorityRankOrdersTheQueue) {
  EXPECT_EQ(PriorityRank("system-critical"), 3);
  EXPECT_EQ(PriorityRank("user-triggered"), 2);
  EXPECT_EQ(PriorityRank("system-maintenance"), 1);
  EXPECT_EQ(PriorityRank(""), 0);
  EXPECT_EQ(PriorityRank("System-Critical"), 0);
  ASSERT_EQ(MigrationPriorities().size(), 3u);
  EXPECT_EQ(MigrationPriorities().front(), "system-critical");
}

}  // namespace
}  // namespace migmon::api::k8s
