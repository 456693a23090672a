#include <gtest/gtest.h>

#include <string>

#include "api/k8s/vmim.h"

namespace migmon::api::k8s {
namespace {

constexpr const char* kSeed = R"(apiVersion: kubevirt.io/v1
kind: VirtualMachineInstanceMigration
metadata:
  name: test-vmi-migration
spec:
  vmiName: test-vmi
)";

nlohmann::json Ok(std::string_view body, std::string_view type) {
  ParsedBody parsed = ParseBody(body, type);
  EXPECT_FALSE(parsed.error.has_value()) << parsed.error.value_or(nullptr).dump();
  return parsed.object;
}

nlohmann::json Error(std::string_view body, std::string_view type) {
  ParsedBody parsed = ParseBody(body, type);
  EXPECT_TRUE(parsed.error.has_value()) << parsed.object.dump();
  return parsed.error.value_or(nullptr);
}

TEST(K8sBody, SeedYamlDecodesToTheSameObjectAsItsJson) {
  nlohmann::json expected = {{"apiVersion", "kubevirt.io/v1"},
                             {"kind", "VirtualMachineInstanceMigration"},
                             {"metadata", {{"name", "test-vmi-migration"}}},
                             {"spec", {{"vmiName", "test-vmi"}}}};
  for (const char* type : {"application/yaml", "application/x-yaml", "text/yaml", "application/yaml; charset=utf-8"}) {
    EXPECT_EQ(Ok(kSeed, type), expected) << type;
  }
  EXPECT_EQ(Ok(expected.dump(), "application/json"), expected);
  EXPECT_EQ(Ok(expected.dump(), "application/json; charset=UTF-8"), expected);
  EXPECT_EQ(Ok(expected.dump(), ""), expected);  // kube-apiserver reads a missing type as JSON
}

TEST(K8sBody, YamlScalarsGetJsonTypes) {
  nlohmann::json o = Ok(R"(
quoted: "123"
single: 'true'
int: 42
negative: -7
hex: 0x1F
octal: 0o17
float: 1.5
exp: 1e3
yes: true
no: False
nothing: null
tilde: ~
empty:
word: yes
version: 1.32.3
list: [1, "a", null]
nested: {a: {b: 2}}
1: numeric key
big: 18446744073709551615
)",
                     "application/yaml");
  EXPECT_EQ(o["quoted"], "123");
  EXPECT_EQ(o["single"], "true");
  EXPECT_EQ(o["int"], 42);
  EXPECT_TRUE(o["int"].is_number_integer());
  EXPECT_EQ(o["negative"], -7);
  EXPECT_EQ(o["hex"], 31);
  EXPECT_EQ(o["octal"], 15);
  EXPECT_EQ(o["float"], 1.5);
  EXPECT_EQ(o["exp"], 1000.0);
  EXPECT_EQ(o["yes"], true);
  EXPECT_EQ(o["no"], false);
  EXPECT_TRUE(o["nothing"].is_null());
  EXPECT_TRUE(o["tilde"].is_null());
  EXPECT_TRUE(o["empty"].is_null());
  EXPECT_EQ(o["word"], "yes");  // YAML 1.2: only true/false are booleans
  EXPECT_EQ(o["version"], "1.32.3");
  EXPECT_EQ(o["list"], nlohmann::json::parse(R"([1, "a", null])"));
  EXPECT_EQ(o["nested"]["a"]["b"], 2);
  EXPECT_EQ(o["1"], "numeric key");
  EXPECT_EQ(o["big"], 18446744073709551615ULL);
}

TEST(K8sBody, UnsupportedContentTypeIs415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/vnd.kubernetes.protobuf",
                           "application/merge-patch+json"}) {
    nlohmann::json status = Error(kSeed, type);
    EXPECT_EQ(status["code"], 415) << type;
    EXPECT_EQ(status["reason"], "UnsupportedMediaType");
  }
}

TEST(K8sBody, BadYamlNamesLineAndColumn) {
  nlohmann::json status = Error("apiVersion: kubevirt.io/v1\nkind: X\nspec:\n  vmiName: [a, b\n", "application/yaml");
  EXPECT_EQ(status["code"], 400);
  EXPECT_EQ(status["reason"], "BadRequest");
  const std::string message = status["message"];
  EXPECT_EQ(message.rfind("error converting YAML to JSON: yaml: line ", 0), 0u) << message;

  nlohmann::json tabs = Error("a: 1\nb: 2\n c: 3\n", "application/yaml");
  EXPECT_NE(std::string(tabs["message"]).find("line 3"), std::string::npos) << tabs["message"];
}

TEST(K8sBody, BadJsonNamesLineAndColumn) {
  nlohmann::json status = Error("{\n  \"a\": 1,\n  \"b\": }\n", "application/json");
  EXPECT_EQ(status["code"], 400);
  const std::string message = status["message"];
  EXPECT_NE(message.find("json parse error: line 3, column 8"), std::string::npos) << message;
  EXPECT_EQ(message.find("[json.exception"), std::string::npos) << message;
}

TEST(K8sBody, EmptyNonObjectAndMultiDocumentBodiesAre400) {
  EXPECT_EQ(Error("", "application/json")["code"], 400);
  EXPECT_EQ(Error("  \n", "application/yaml")["code"], 400);
  EXPECT_EQ(Error("[1, 2]", "application/json")["code"], 400);
  EXPECT_EQ(Error("- a\n- b\n", "application/yaml")["code"], 400);
  EXPECT_EQ(Error("just text", "application/yaml")["code"], 400);
  nlohmann::json two = Error("a: 1\n---\nb: 2\n", "application/yaml");
  EXPECT_NE(std::string(two["message"]).find("2 YAML documents"), std::string::npos) << two["message"];
  // A leading or trailing "---" alone is not a second document.
  EXPECT_EQ(Ok("---\na: 1\n---\n", "application/yaml"), (nlohmann::json{{"a", 1}}));
}

TEST(K8sBody, ValuesJsonCannotHoldAre400) {
  EXPECT_EQ(Error("a: .inf\n", "application/yaml")["code"], 400);
  EXPECT_EQ(Error("a: .nan\n", "application/yaml")["code"], 400);
  EXPECT_EQ(Error("? [a, b]\n: 1\n", "application/yaml")["code"], 400);
}

}  // namespace
}  // namespace migmon::api::k8s
