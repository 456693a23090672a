// What a launch asks libvirt for, from the nodes and the migration policy.
#include "migrations/launch_request.h"

#include <gtest/gtest.h>

namespace migmon::migrations {
namespace {

config::NodeConfig Node(const std::string& name) {
  config::NodeConfig n;
  n.name = name;
  n.uri = "qemu+tcp://" + name + "/system";
  return n;
}

TEST(LaunchRequest, StartsAtQemusDowntimeUnlessMaxDowntimeMsIsLower) {
  config::MigrationPolicy p;  // maxDowntimeMs 900, KubeVirt's default
  EXPECT_EQ(300u, BuildLaunchRequest(Node("a"), Node("b"), p, "u").max_downtime_ms);
  p.max_downtime_ms = 120;
  EXPECT_EQ(120u, BuildLaunchRequest(Node("a"), Node("b"), p, "u").max_downtime_ms);
  p.max_downtime_ms = 300;
  EXPECT_EQ(300u, BuildLaunchRequest(Node("a"), Node("b"), p, "u").max_downtime_ms);
}

TEST(LaunchRequest, CarriesThePolicysCapAndFlags) {
  config::MigrationPolicy p;
  p.bandwidth_per_migration_bytes = 8u << 20;
  p.allow_post_copy = true;
  p.disable_tls = true;
  const LaunchRequest r = BuildLaunchRequest(Node("a"), Node("b"), p, "uuid-1");
  EXPECT_EQ("qemu+tcp://a/system", r.source_uri);
  EXPECT_EQ("qemu+tcp://b/system", r.target_peer_uri);
  EXPECT_EQ("uuid-1", r.uuid);
  EXPECT_EQ(8u << 20, r.bandwidth_bytes_per_second);
  EXPECT_TRUE(r.post_copy);
  EXPECT_FALSE(r.tls);
}

}  // namespace
}  // namespace migmon::migrations
