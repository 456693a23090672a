// Hostile YAML in the config file and the KubeVirt CR: the limited reader
// turns each into a ConfigError naming the place, never a hang or a crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/load.h"

namespace migmon::config {
namespace {

using ::testing::HasSubstr;

constexpr const char* kMinimal = "nodes:\n  - name: node-1\n    uri: qemu:///system\n";

std::string ErrorOf(const std::string& config, std::optional<std::string> kubevirt = std::nullopt) {
  try {
    if (kubevirt) {
      ParseConfig(config, std::string_view(*kubevirt));
    } else {
      ParseConfig(config);
    }
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigError for: " << config.substr(0, 200);
  return "";
}

std::string AliasBomb() {
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 8; ++level) {
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ", *a" : "*a") + std::to_string(level - 1);
    text += "]\n";
  }
  return text;
}

TEST(ConfigYamlLimits, InputsThatHungOrCrashedTheOldParserAreSyntaxErrors) {
  EXPECT_THAT(ErrorOf(","), HasSubstr("config: YAML syntax error at line 1, column 1"));
  EXPECT_THAT(ErrorOf("&a [*a]"), HasSubstr("refers to a node that contains it"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "migration: &m {x: *m}\n"), HasSubstr("alias *m"));
  EXPECT_THAT(ErrorOf(AliasBomb()), HasSubstr("aliases expand to more than 20000 nodes"));
  EXPECT_THAT(ErrorOf("nodes: " + std::string(50'000, '[')), HasSubstr("nested deeper than 1000"));
  EXPECT_THAT(ErrorOf("dataDir: \xff\n"), HasSubstr("YAML syntax error"));
}

TEST(ConfigYamlLimits, TheKubeVirtCrIsReadTheSameWay) {
  EXPECT_THAT(ErrorOf(kMinimal, AliasBomb()), HasSubstr("KubeVirt CR: YAML syntax error"));
  EXPECT_THAT(ErrorOf(kMinimal, ","), HasSubstr("KubeVirt CR: YAML syntax error at line 1"));
}

TEST(ConfigYamlLimits, AnEmptyViewOfNoTextIsNoCr) {
  // std::string_view() has a null data(); libyaml asserted on it.
  EXPECT_THAT(ErrorOf(kMinimal, std::string()), HasSubstr("no KubeVirt CR"));
  try {
    ParseConfig(kMinimal, std::string_view());
    ADD_FAILURE() << "no ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr("no KubeVirt CR"));
  }
}

TEST(ConfigYamlLimits, AFleetSharingOneLabelBlockStaysWithinTheAliasBudget) {
  std::string text = "nodes:\n";
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    text += "  - {name: node-" + n + ", uri: \"qemu+tcp://h" + n + "/system\", labels: " +
            (i == 0 ? "&l {zone: a, rack: r1, tier: gold}" : "*l") + "}\n";
  }
  const Loaded loaded = ParseConfig(text);
  ASSERT_EQ(loaded.config.nodes.size(), 1000u);
  EXPECT_EQ(loaded.config.nodes[999].labels.at("tier"), "gold");
}

TEST(ConfigYamlLimits, AliasesWithinTheLimitsStillWork) {
  const Loaded loaded = ParseConfig(
      "nodes:\n  - &n {name: node-1, uri: \"qemu:///system\", labels: &l {zone: a}}\n"
      "  - {name: node-2, uri: \"qemu+tcp://h/system\", labels: *l}\n");
  ASSERT_EQ(loaded.config.nodes.size(), 2u);
  EXPECT_EQ(loaded.config.nodes[1].labels.at("zone"), "a");
}

}  // namespace
}  // namespace migmon::config
