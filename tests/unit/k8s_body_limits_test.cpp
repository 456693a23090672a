// Hostile request bodies: each once crashed, hung or exhausted the process
// (issue 8). Each must come back as a 400 Status naming what is wrong.
#include <gtest/gtest.h>

#include <string>

#include "api/k8s/vmim.h"

namespace migmon::api::k8s {
namespace {

constexpr const char* kYaml = "application/yaml";
constexpr const char* kJson = "application/json";

std::string MessageOf400(std::string_view body, std::string_view type) {
  ParsedBody parsed = ParseBody(body, type);
  EXPECT_TRUE(parsed.error.has_value()) << parsed.object.dump();
  if (!parsed.error) return "";
  EXPECT_EQ((*parsed.error)["code"], 400) << parsed.error->dump();
  EXPECT_EQ((*parsed.error)["kind"], "Status");
  return (*parsed.error)["message"];
}

void ExpectMessageHas(std::string_view body, std::string_view type, std::string_view part) {
  const std::string message = MessageOf400(body, type);
  EXPECT_NE(message.find(part), std::string::npos) << message;
}

// The CVE-2019-11253 shape: 9 levels of anchors, each a list of 9 aliases
// of the one before: 9^9 (387 million) leaves in under 400 bytes.
std::string AliasBomb() {
  std::string text = "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (int level = 1; level <= 8; ++level) {
    const std::string prev = "*a" + std::to_string(level - 1);
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) text += (i ? "," : "") + prev;
    text += "]\n";
  }
  return text;
}

TEST(K8sBodyLimits, AliasOfAnEnclosingNodeIs400) {
  ExpectMessageHas("&a [*a]", kYaml, "contains it");
  ExpectMessageHas("spec: &s {vmiName: x, x: *s}", kYaml, "alias *s refers to a node that contains it");
}

TEST(K8sBodyLimits, AliasBombStopsAtTheNodeBudget) {
  const std::string bomb = AliasBomb();
  EXPECT_LT(bomb.size(), 512u);
  ExpectMessageHas(bomb, kYaml, "aliases expand to more than 20000 nodes");
}

TEST(K8sBodyLimits, AliasesOfLargeScalarsStopAtTheByteBudget) {
  std::string text = "a: &big " + std::string(64 * 1024, 'x') + "\nb: [";
  for (int i = 0; i < 300; ++i) text += (i ? "," : "") + std::string("*big");
  text += "]\n";
  ExpectMessageHas(text, kYaml, "bytes of values (aliases expanded)");
}

TEST(K8sBodyLimits, AliasesWithinTheBudgetExpand) {
  ParsedBody parsed = ParseBody("base: &b {x: 1, y: [2, 3]}\ncopy: *b\nn: &n 5\nm: *n\n", kYaml);
  ASSERT_FALSE(parsed.error) << parsed.error->dump();
  EXPECT_EQ(parsed.object["copy"], parsed.object["base"]);
  EXPECT_EQ(parsed.object["m"], 5);
  ExpectMessageHas("a: *nowhere\n", kYaml, "unknown anchor");
}

TEST(K8sBodyLimits, DeepNestingIs400InBothSyntaxes) {
  const size_t deep = 70'000;
  ExpectMessageHas(std::string(deep, '[') + std::string(deep, ']'), kJson, "nested deeper than 1000");
  ExpectMessageHas("{\"a\":" + std::string(deep, '[') + std::string(deep, ']') + "}", kJson, "nested deeper");
  ExpectMessageHas("a: " + std::string(deep, '[') + std::string(deep, ']'), kYaml, "nested deeper than 1000");
}

TEST(K8sBodyLimits, NestingUpToTheLimitIsKeptAndCopies) {
  // 1000 levels: the object itself plus 999 nested arrays.
  const std::string json = "{\"a\":" + std::string(999, '[') + std::string(999, ']') + "}";
  ParsedBody parsed = ParseBody(json, kJson);
  ASSERT_FALSE(parsed.error) << parsed.error->dump();
  const nlohmann::json copy = parsed.object;  // the recursive copy the limit protects
  EXPECT_EQ(copy, parsed.object);
  ParsedBody yaml = ParseBody("a: " + std::string(999, '[') + std::string(999, ']'), kYaml);
  ASSERT_FALSE(yaml.error) << yaml.error->dump();
  EXPECT_EQ(yaml.object, parsed.object);
}

TEST(K8sBodyLimits, OneByteAndBadBytesAre400) {
  ExpectMessageHas(",", kYaml, "error converting YAML to JSON: yaml: line 1");
  ExpectMessageHas("metadata:\n  name: \xff\n", kYaml, "error converting YAML to JSON");
  ExpectMessageHas("{\"name\": \"\xff\"}", kJson, "json parse error");
  ExpectMessageHas(std::string("a: \"x\0y\"", 9), kYaml, "control characters");
}

TEST(K8sBodyLimits, NumbersBeyondADoubleAre400) {
  ExpectMessageHas("{\"spec\": {\"x\": 1e400}}", kJson, "number overflow");
  ExpectMessageHas("{\"x\": -1e400}", kJson, "number overflow");
  ExpectMessageHas("x: 1e400\n", kYaml, "unsupported value");
}

}  // namespace
}  // namespace migmon::api::k8s
