#include "tracker/vmi_name.h"

#include <gtest/gtest.h>

namespace migmon {
namespace {

TEST(VmiName, ANameAloneMatchesInAnyNamespaceANamespacedOneOnlyThere) {
  EXPECT_TRUE(IsNamedVmi({"prod", "web"}, "web"));
  EXPECT_TRUE(IsNamedVmi({"prod", "web"}, "prod/web"));
  EXPECT_FALSE(IsNamedVmi({"prod", "web"}, "default/web"));
  EXPECT_FALSE(IsNamedVmi({"prod", "web"}, "prod/we"));
  EXPECT_FALSE(IsNamedVmi({"prod", "web"}, "web2"));
  EXPECT_FALSE(IsNamedVmi({"prod", "web"}, "prod"));
}

TEST(VmiName, DomainSchemeUsesDefaultNamespace) {
  EXPECT_EQ((VmiName{"default", "web-1"}), MapDomainName("web-1", NamingScheme::kDomain));
  EXPECT_EQ((VmiName{"default", "prod_web-1"}), MapDomainName("prod_web-1", NamingScheme::kDomain));
}

TEST(VmiName, KubeVirtSchemeSplitsAtFirstUnderscore) {
  EXPECT_EQ((VmiName{"prod", "web-1"}), MapDomainName("prod_web-1", NamingScheme::kKubeVirt));
  // A VMI name cannot hold '_', but keep whatever follows the namespace.
  EXPECT_EQ((VmiName{"prod", "a_b"}), MapDomainName("prod_a_b", NamingScheme::kKubeVirt));
}

TEST(VmiName, KubeVirtSchemeWithoutNamespaceFallsBackToDefault) {
  EXPECT_EQ((VmiName{"default", "plain"}), MapDomainName("plain", NamingScheme::kKubeVirt));
  EXPECT_EQ((VmiName{"default", "_x"}), MapDomainName("_x", NamingScheme::kKubeVirt));
  EXPECT_EQ((VmiName{"default", "x_"}), MapDomainName("x_", NamingScheme::kKubeVirt));
}

TEST(VmiName, InvalidKubernetesNamesAreKeptAsTheyAre) {
  EXPECT_EQ((VmiName{"default", "Web Server #1"}), MapDomainName("Web Server #1", NamingScheme::kDomain));
}

}  // namespace
}  // namespace migmon
