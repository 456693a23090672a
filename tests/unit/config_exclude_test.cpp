// MatchesExclude: "namespace/name" against enforcement.exclude globs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/exclude.h"

namespace migmon::config {
namespace {

TEST(MatchesExcludeTest, ExactName) {
  const std::vector<std::string> globs{"default/db-1"};
  EXPECT_TRUE(MatchesExclude(globs, "default", "db-1"));
  EXPECT_FALSE(MatchesExclude(globs, "default", "db-10"));
  EXPECT_FALSE(MatchesExclude(globs, "default", "db"));
  EXPECT_FALSE(MatchesExclude(globs, "other", "db-1"));
}

TEST(MatchesExcludeTest, StarMatchesAnyRunWithinOneSide) {
  const std::vector<std::string> globs{"kube-system/*", "*/cache-*"};
  EXPECT_TRUE(MatchesExclude(globs, "kube-system", "coredns"));
  EXPECT_TRUE(MatchesExclude(globs, "kube-system", "x"));
  EXPECT_TRUE(MatchesExclude(globs, "tenant-a", "cache-"));
  EXPECT_TRUE(MatchesExclude(globs, "tenant-b", "cache-redis"));
  EXPECT_FALSE(MatchesExclude(globs, "kube-public", "coredns"));
  EXPECT_FALSE(MatchesExclude(globs, "tenant-a", "redis-cache"));
}

TEST(MatchesExcludeTest, StarNeverCrossesTheSlash) {
  EXPECT_FALSE(MatchesExclude({"kube*"}, "kube-system", "coredns"));
  EXPECT_FALSE(MatchesExclude({"*"}, "default", "vm"));
  EXPECT_FALSE(MatchesExclude({"*db"}, "default", "db"));
  EXPECT_FALSE(MatchesExclude({"de?ault/vm"}, "de", "ault/vm"));
  EXPECT_TRUE(MatchesExclude({"*/*"}, "default", "vm"));
}

TEST(MatchesExcludeTest, QuestionMarkIsExactlyOneCharacter) {
  const std::vector<std::string> globs{"default/db-?"};
  EXPECT_TRUE(MatchesExclude(globs, "default", "db-1"));
  EXPECT_TRUE(MatchesExclude(globs, "default", "db-a"));
  EXPECT_FALSE(MatchesExclude(globs, "default", "db-"));
  EXPECT_FALSE(MatchesExclude(globs, "default", "db-12"));
}

TEST(MatchesExcludeTest, BracketsMatchOneCharacterOfASet) {
  const std::vector<std::string> range{"default/db-[0-2]"};
  EXPECT_TRUE(MatchesExclude(range, "default", "db-0"));
  EXPECT_TRUE(MatchesExclude(range, "default", "db-2"));
  EXPECT_FALSE(MatchesExclude(range, "default", "db-3"));
  EXPECT_FALSE(MatchesExclude(range, "default", "db-"));

  const std::vector<std::string> negated{"ns-[!ab]/vm"};
  EXPECT_TRUE(MatchesExclude(negated, "ns-c", "vm"));
  EXPECT_FALSE(MatchesExclude(negated, "ns-a", "vm"));

  EXPECT_TRUE(MatchesExclude({"ns/vm-[[:digit:]]"}, "ns", "vm-7"));
  EXPECT_FALSE(MatchesExclude({"ns/vm-[[:digit:]]"}, "ns", "vm-x"));
}

TEST(MatchesExcludeTest, BackslashEscapes) {
  EXPECT_TRUE(MatchesExclude({"ns/\\*"}, "ns", "*"));
  EXPECT_FALSE(MatchesExclude({"ns/\\*"}, "ns", "vm"));
}

TEST(MatchesExcludeTest, AnyGlobOfTheListMatches) {
  const std::vector<std::string> globs{"kube-system/*", "default/db-?", "monitoring/prometheus"};
  EXPECT_TRUE(MatchesExclude(globs, "monitoring", "prometheus"));
  EXPECT_TRUE(MatchesExclude(globs, "default", "db-9"));
  EXPECT_FALSE(MatchesExclude(globs, "default", "web-1"));
  EXPECT_FALSE(MatchesExclude(globs, "monitoring", "grafana"));
}

TEST(MatchesExcludeTest, EmptyListMatchesNothing) {
  EXPECT_FALSE(MatchesExclude({}, "kube-system", "coredns"));
  EXPECT_FALSE(MatchesExclude({}, "", ""));
}

TEST(MatchesExcludeTest, EmptyNamespaceMatchesOnlyAGlobThatAllowsIt) {
  EXPECT_TRUE(MatchesExclude({"*/db"}, "", "db"));
  EXPECT_FALSE(MatchesExclude({"?*/db"}, "", "db"));
  EXPECT_FALSE(MatchesExclude({"default/db"}, "", "db"));
}

}  // namespace
}  // namespace migmon::config
