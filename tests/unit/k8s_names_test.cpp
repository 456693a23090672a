// Kubernetes name syntax (util/k8s_names.h): the one module config/, store/
// and api/k8s/ ask, checked against what k8s.io/apimachinery accepts.
#include <gtest/gtest.h>

#include <string>

#include "util/k8s_names.h"

namespace migmon::k8s_names {
namespace {

TEST(K8sNamesTest, Dns1123Label) {
  for (const char* good : {"a", "0", "node-1", "a-b-c", "123-abc"}) {
    EXPECT_TRUE(IsDns1123Label(good)) << good;
  }
  for (const char* bad : {"", "-a", "a-", "A", "a_b", "a.b", "a b", "é"}) {
    EXPECT_FALSE(IsDns1123Label(bad)) << bad;
  }
  EXPECT_TRUE(IsDns1123Label(std::string(63, 'a')));
  const Verdict long_one = CheckDns1123Label(std::string(64, 'a'));
  EXPECT_TRUE(long_one.too_long);
  EXPECT_FALSE(long_one.bad_syntax);
  const Verdict both = CheckDns1123Label(std::string(64, 'A'));
  EXPECT_TRUE(both.too_long);
  EXPECT_TRUE(both.bad_syntax);
}

TEST(K8sNamesTest, Dns1123Subdomain) {
  for (const char* good : {"a", "example.com", "a.b-c.0", "mig-1.ns"}) {
    EXPECT_TRUE(IsDns1123Subdomain(good)) << good;
  }
  for (const char* bad : {"", ".a", "a.", "a..b", "a.-b", "a-.b", "Example.com", "a_b.c", "a/b"}) {
    EXPECT_FALSE(IsDns1123Subdomain(bad)) << bad;
  }
  // 253 in all; a part is not held to 63 on its own (as in Kubernetes).
  EXPECT_TRUE(IsDns1123Subdomain(std::string(253, 'a')));
  EXPECT_TRUE(IsDns1123Subdomain(std::string(64, 'a') + ".b"));
  const Verdict long_one = CheckDns1123Subdomain(std::string(254, 'a'));
  EXPECT_TRUE(long_one.too_long);
  EXPECT_FALSE(long_one.bad_syntax);
}

TEST(K8sNamesTest, LabelValue) {
  for (const char* good : {"", "a", "MyValue", "my_value", "12345", "a.b-c_d", "A"}) {
    EXPECT_TRUE(IsLabelValue(good)) << good;
  }
  for (const char* bad : {"-a", "a-", "_a", "a.", ".a", "a b", "a/b", "a:b"}) {
    EXPECT_FALSE(IsLabelValue(bad)) << bad;
  }
  EXPECT_TRUE(IsLabelValue(std::string(63, 'x')));
  EXPECT_TRUE(CheckLabelValue(std::string(64, 'x')).too_long);
  EXPECT_FALSE(CheckLabelValue(std::string(64, 'x')).bad_syntax);
}

TEST(K8sNamesTest, QualifiedName) {
  for (const char* good : {"app", "App.Name_1", "example.com/app", "kubevirt.io/nodeName", "a/B"}) {
    EXPECT_TRUE(IsQualifiedName(good)) << good;
  }
  for (const char* bad : {"", "/", "/app", "example.com/", "a/b/c", "-app", "app-", "Bad_Prefix/app",
                          "a..b/app", ".a/app", "a./app", "example.com/-app", "a b"}) {
    EXPECT_FALSE(IsQualifiedName(bad)) << bad;
  }
  EXPECT_TRUE(IsQualifiedName(std::string(253, 'p') + "/" + std::string(63, 'n')));
  EXPECT_FALSE(IsQualifiedName(std::string(254, 'p') + "/n"));
  EXPECT_FALSE(IsQualifiedName("p/" + std::string(64, 'n')));
  EXPECT_FALSE(IsQualifiedName(std::string(64, 'n')));
}

TEST(K8sNamesTest, QualifiedNameSaysWhichPartIsWrong) {
  const QualifiedNameVerdict extra = CheckQualifiedName("a/b/c");
  EXPECT_TRUE(extra.extra_slash);

  const QualifiedNameVerdict empty_prefix = CheckQualifiedName("/app");
  EXPECT_TRUE(empty_prefix.has_prefix);
  EXPECT_TRUE(empty_prefix.prefix_empty);
  EXPECT_TRUE(empty_prefix.name.ok());

  const QualifiedNameVerdict dots = CheckQualifiedName("a..b/app");
  EXPECT_TRUE(dots.prefix.bad_syntax);
  EXPECT_FALSE(dots.prefix.too_long);
  EXPECT_TRUE(dots.name.ok());

  const QualifiedNameVerdict no_name = CheckQualifiedName("example.com/");
  EXPECT_TRUE(no_name.prefix.ok());
  EXPECT_TRUE(no_name.name_empty);

  const QualifiedNameVerdict long_name = CheckQualifiedName(std::string(64, 'n'));
  EXPECT_FALSE(long_name.has_prefix);
  EXPECT_TRUE(long_name.name.too_long);
  EXPECT_FALSE(long_name.name.bad_syntax);
}

}  // namespace
}  // namespace migmon::k8s_names
