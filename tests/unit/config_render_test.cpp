// RenderEffective writes a config that reads back to the same values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/load.h"
#include "config/render.h"
#include "tests/unit/test_directory.h"

namespace migmon::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

void ExpectSameValues(const Config& actual, const Config& expected) {
  EXPECT_EQ(actual.listen_host, expected.listen_host);
  EXPECT_EQ(actual.listen_port, expected.listen_port);
  EXPECT_EQ(actual.poll_interval, expected.poll_interval);
  EXPECT_EQ(actual.discovery_interval, expected.discovery_interval);
  EXPECT_EQ(actual.data_dir, expected.data_dir);
  EXPECT_EQ(actual.naming, expected.naming);
  ASSERT_EQ(actual.nodes.size(), expected.nodes.size());
  for (size_t i = 0; i < actual.nodes.size(); ++i) {
    EXPECT_EQ(actual.nodes[i].name, expected.nodes[i].name);
    EXPECT_EQ(actual.nodes[i].uri, expected.nodes[i].uri);
    EXPECT_EQ(actual.nodes[i].migration_address, expected.nodes[i].migration_address);
    EXPECT_EQ(actual.nodes[i].peer_uri, expected.nodes[i].peer_uri);
    EXPECT_EQ(actual.nodes[i].memory_reserve_bytes, expected.nodes[i].memory_reserve_bytes);
    EXPECT_EQ(actual.nodes[i].labels, expected.nodes[i].labels);
  }
  const MigrationPolicy& a = actual.migration;
  const MigrationPolicy& e = expected.migration;
  EXPECT_EQ(a.parallel_migrations_per_cluster, e.parallel_migrations_per_cluster);
  EXPECT_EQ(a.parallel_outbound_migrations_per_node, e.parallel_outbound_migrations_per_node);
  EXPECT_EQ(a.bandwidth_per_migration_bytes, e.bandwidth_per_migration_bytes);
  EXPECT_EQ(a.completion_timeout_per_gib_seconds, e.completion_timeout_per_gib_seconds);
  EXPECT_EQ(a.progress_timeout_seconds, e.progress_timeout_seconds);
  EXPECT_EQ(a.unsafe_migration_override, e.unsafe_migration_override);
  EXPECT_EQ(a.allow_auto_converge, e.allow_auto_converge);
  EXPECT_EQ(a.allow_post_copy, e.allow_post_copy);
  EXPECT_EQ(a.disable_tls, e.disable_tls);
  EXPECT_EQ(a.parallel_inbound_migrations_per_node, e.parallel_inbound_migrations_per_node);
  EXPECT_EQ(a.shared_storage_paths, e.shared_storage_paths);
  EXPECT_EQ(actual.enforcement.mode, expected.enforcement.mode);
  EXPECT_EQ(actual.enforcement.exclude, expected.enforcement.exclude);
  EXPECT_EQ(actual.enforcement.max_downtime_steps, expected.enforcement.max_downtime_steps);
  EXPECT_EQ(actual.api.enabled, expected.api.enabled);
  EXPECT_EQ(actual.api.token_file, expected.api.token_file);
  EXPECT_EQ(actual.api.token, expected.api.token);
  EXPECT_EQ(actual.api.tls_cert_file, expected.api.tls_cert_file);
  EXPECT_EQ(actual.api.tls_key_file, expected.api.tls_key_file);
  EXPECT_EQ(actual.api.retention_per_vmi, expected.api.retention_per_vmi);
  EXPECT_EQ(actual.api.retention_ttl, expected.api.retention_ttl);
  EXPECT_EQ(actual.api.max_watches, expected.api.max_watches);
  EXPECT_EQ(actual.api.max_request_bytes, expected.api.max_request_bytes);
}

class RenderRoundTripTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderRoundTripTest, ParsesBackToTheSameValues) {
  const Config original = ParseConfig(GetParam()).config;
  const std::string rendered = RenderEffective(original);
  SCOPED_TRACE(rendered);
  const Loaded reparsed = ParseConfig(rendered);
  ExpectSameValues(reparsed.config, original);
  EXPECT_TRUE(reparsed.warnings.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Configs, RenderRoundTripTest,
    ::testing::Values(
        "nodes: [{name: node-1, uri: 'qemu:///system'}]\n",
        R"(listen: "[::1]:8080"
pollInterval: 1.5s
discoveryInterval: 1m30s
dataDir: "/data dir/with: colon"
naming: kubevirt
nodes:
  - name: node-1
    uri: qemu+unix:///system?socket=/some/path/libvirt-sock
    migrationAddress: 10.0.0.1
    peerUri: qemu+tcp://10.0.0.1/system?keepalive_interval=5
    memoryReserve: 1.5Gi
    labels: {zone: "true", rack: "1", example.com/role: worker, "on": "null"}
  - name: "123"
    uri: qemu+tcp://node-2/system
    memoryReserve: 1000001
migration:
  parallelMigrationsPerCluster: 4294967295
  parallelOutboundMigrationsPerNode: 1
  bandwidthPerMigration: 500M
  completionTimeoutPerGiB: 0
  progressTimeout: 9223372036854775807
  unsafeMigrationOverride: true
  allowAutoConverge: true
  allowPostCopy: true
  disableTLS: true
  maxDowntimeMs: 2000000
  parallelInboundMigrationsPerNode: 4294967295
  sharedStoragePaths: [/var/lib/nfs/, "/mnt/with space", "/true", /#x]
enforcement:
  mode: observe
  exclude:
    - "kube-system/*"
    - "default/db-?"
    - "*/*"
    - "[a-c]*/x"
    - "!ns/x"
    - "?s/[!x]"
    - "ns/\\*"
    - "ns/#x"
    - "true/1"
  escalation:
    maxDowntimeSteps: [1ms, 600ms, 1.5s, 1m, 10m]
api:
  enabled: true
  finishedRetention: {perVMI: 4294967295, ttl: 1.5s}
  maxWatches: 1000
  maxRequestBytes: 1025
)",
        "nodes: [{name: node-1, uri: 'qemu:///system'}]\n"
        "api: {finishedRetention: {perVMI: 0, ttl: 100h}, maxWatches: 1, maxRequestBytes: 1Ki}\n",
        // A CR-merged value renders as an ordinary value.
        "nodes: [{name: node-1, uri: 'qemu:///system'}]\n---\n"
        "apiVersion: kubevirt.io/v1\nkind: KubeVirt\nspec: {configuration: {migrations: "
        "{bandwidthPerMigration: 1Gi, nodeDrainTaintKey: x}}}\n",
        "nodes: [{name: node-1, uri: 'qemu:///system'}]\nmigration: {bandwidthPerMigration: 1500k}\n"));

TEST(RenderEffectiveTest, QuotesStringsThatWouldReadAsOtherTypes) {
  const std::string rendered =
      RenderEffective(ParseConfig("nodes: [{name: '123', uri: 'qemu:///system', migrationAddress: 10.0.0.1, "
                                  "labels: {zone: 'true', rack: '1.5', role: db}}]\n")
                          .config);
  EXPECT_THAT(rendered, HasSubstr("name: \"123\""));
  EXPECT_THAT(rendered, HasSubstr("zone: \"true\""));
  EXPECT_THAT(rendered, HasSubstr("rack: \"1.5\""));
  EXPECT_THAT(rendered, HasSubstr("role: db"));
  EXPECT_THAT(rendered, HasSubstr("migrationAddress: 10.0.0.1"));
}

TEST(RenderEffectiveTest, WritesEveryKeyWithInputSpelling) {
  const std::string rendered =
      RenderEffective(ParseConfig("nodes: [{name: node-1, uri: 'qemu:///system'}]\n").config);
  for (const char* expected :
       {"listen: 127.0.0.1:9477", "pollInterval: 500ms", "discoveryInterval: 5s",
        "dataDir: /var/lib/migration-monitor", "naming: domain", "name: node-1", "uri: qemu:///system",
        "kubernetes.io/hostname: node-1", "parallelMigrationsPerCluster: 5",
        "parallelOutboundMigrationsPerNode: 2", "bandwidthPerMigration: 64Mi", "completionTimeoutPerGiB: 800",
        "progressTimeout: 150", "unsafeMigrationOverride: false", "allowAutoConverge: false",
        "allowPostCopy: false", "disableTLS: false", "enforcement:", "mode: enforce", "exclude: []",
        "escalation:", "maxDowntimeSteps: []"}) {
    EXPECT_THAT(rendered, HasSubstr(expected));
  }
  for (const char* expected :
       {"memoryReserve: 0", "parallelInboundMigrationsPerNode: 0", "sharedStoragePaths: []"}) {
    EXPECT_THAT(rendered, HasSubstr(expected));
  }
  EXPECT_THAT(rendered, HasSubstr(R"(api:
  enabled: false
  auth:
    tokenFile: ""
  tls:
    certFile: ""
    keyFile: ""
  finishedRetention:
    perVMI: 5
    ttl: 1h
  maxWatches: 16
  maxRequestBytes: 1Mi
)"));
}

TEST(RenderEffectiveTest, WritesTheEnforcementSection) {
  const std::string rendered =
      RenderEffective(ParseConfig("nodes: [{name: node-1, uri: 'qemu:///system'}]\n"
                                  "migration: {maxDowntimeMs: 90000}\n"
                                  "enforcement: {mode: observe, exclude: [kube-system/x, 'default/db-?'], "
                                  "escalation: {maxDowntimeSteps: [0.6s, 1000ms, 90s]}}\n")
                          .config);
  EXPECT_THAT(rendered,
              HasSubstr("enforcement:\n  mode: observe\n  exclude:\n    - kube-system/x\n"
                        "    - default/db-?\n  escalation:\n    maxDowntimeSteps: [600ms, 1s, 1m30s]\n"));
}

TEST(RenderEffectiveTest, WritesPeerUriOnlyWhenSet) {
  const std::string rendered = RenderEffective(
      ParseConfig("nodes: [{name: node-1, uri: 'qemu:///system', peerUri: 'qemu+tcp://n1/system', "
                  "memoryReserve: 512Mi}, {name: node-2, uri: 'qemu:///session'}]\n")
          .config);
  EXPECT_THAT(rendered, HasSubstr("peerUri: qemu+tcp://n1/system\n    memoryReserve: 512Mi\n"));
  EXPECT_THAT(rendered, HasSubstr("uri: qemu:///session\n    memoryReserve: 0\n"));
  EXPECT_EQ(rendered.find("peerUri"), rendered.rfind("peerUri"));
}

// The token is a secret: the output names its file, and reading the output
// back reads the file again.
class RenderApiFilesTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) { return scratch_.Write(name, text); }

  testing_support::TestDirectory scratch_;
  const std::filesystem::path& directory_ = scratch_.path();
};

TEST_F(RenderApiFilesTest, RoundTripRereadsTheTokenFileAndNeverPrintsTheToken) {
  const std::string token_file = Write("token with space", "\n  the-secret-token\n");
  const std::string cert = Write("tls.crt", "-----BEGIN CERTIFICATE-----\n");
  const std::string key = Write("tls.key", "-----BEGIN PRIVATE KEY-----\n");
  const Config original =
      ParseConfig("nodes: [{name: node-1, uri: 'qemu:///system'}]\napi: {enabled: true, auth: {tokenFile: '" +
                  token_file + "'}, tls: {certFile: '" + cert + "', keyFile: '" + key + "'}}\n")
          .config;
  ASSERT_EQ(original.api.token, "the-secret-token");
  const std::string rendered = RenderEffective(original);
  SCOPED_TRACE(rendered);
  EXPECT_THAT(rendered, Not(HasSubstr("the-secret-token")));
  EXPECT_THAT(rendered, HasSubstr("tokenFile: " + token_file + "\n"));
  EXPECT_THAT(rendered, HasSubstr("certFile: " + cert + "\n"));
  EXPECT_THAT(rendered, HasSubstr("keyFile: " + key + "\n"));
  ExpectSameValues(ParseConfig(rendered).config, original);

  // The round trip reads the file again: a rotated token is picked up.
  Write("token with space", "rotated-token");
  EXPECT_EQ(ParseConfig(rendered).config.api.token, "rotated-token");
}

}  // namespace
}  // namespace migmon::config
