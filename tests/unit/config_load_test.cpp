// ParseConfig/LoadConfigFile on valid input: examples, defaults, the KubeVirt CR.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/load.h"
#include "tests/unit/test_directory.h"

namespace migmon::config {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;

// Verbatim from the product owner.
constexpr const char* kOwnExample = R"(listen: 127.0.0.1:9477
pollInterval: 500ms
dataDir: /var/lib/migration-monitor
nodes:
  - name: node-1
    uri: qemu+unix:///system?socket=/some/path/libvirt-sock
    migrationAddress: 127.0.0.1      # host a migration to this node connects to
    labels: {zone: a}
migration:                           # KubeVirt's MigrationConfiguration field names
  parallelMigrationsPerCluster: 5
  parallelOutboundMigrationsPerNode: 2
  bandwidthPerMigration: 64Mi
  completionTimeoutPerGiB: 800
  progressTimeout: 150
  unsafeMigrationOverride: false
  allowAutoConverge: false
  allowPostCopy: false
)";

// Verbatim from the product owner.
constexpr const char* kOwnerKubeVirtCr = R"(apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata:
  name: kubevirt
  namespace: kubevirt
spec:
  configuration:
    migration:
      parallelMigrationsPerCluster: 5
      parallelOutboundMigrationsPerNode: 2
      bandwidthPerMigration: "64Mi"
      completionTimeoutPerGiB: 800
      progressTimeout: 150
      unsafeMigrationOverride: false
      allowAutoConverge: false
      allowPostCopy: false
)";

constexpr const char* kMinimal = "nodes:\n  - name: node-1\n    uri: qemu:///system\n";

std::string CrWithMigrations(const std::string& block_key, const std::string& fields) {
  return "apiVersion: kubevirt.io/v1\nkind: KubeVirt\nmetadata:\n  name: kubevirt\nspec:\n  configuration:\n "
         "   " +
         block_key + ":\n" + fields;
}

void ExpectOwnExampleValues(const Config& config) {
  EXPECT_EQ(config.listen_host, "127.0.0.1");
  EXPECT_EQ(config.listen_port, 9477);
  EXPECT_EQ(config.poll_interval, 500ms);
  EXPECT_EQ(config.discovery_interval, 5s);
  EXPECT_EQ(config.data_dir, "/var/lib/migration-monitor");
  EXPECT_EQ(config.naming, Naming::kDomain);
  ASSERT_EQ(config.nodes.size(), 1u);
  EXPECT_EQ(config.nodes[0].name, "node-1");
  EXPECT_EQ(config.nodes[0].uri, "qemu+unix:///system?socket=/some/path/libvirt-sock");
  EXPECT_EQ(config.nodes[0].migration_address, "127.0.0.1");
  EXPECT_THAT(config.nodes[0].labels,
              ElementsAre(Pair("kubernetes.io/hostname", "node-1"), Pair("zone", "a")));
  const MigrationPolicy& policy = config.migration;
  EXPECT_EQ(policy.parallel_migrations_per_cluster, 5u);
  EXPECT_EQ(policy.parallel_outbound_migrations_per_node, 2u);
  EXPECT_EQ(policy.bandwidth_per_migration_bytes, 67108864u);
  EXPECT_EQ(policy.completion_timeout_per_gib_seconds, 800);
  EXPECT_EQ(policy.progress_timeout_seconds, 150);
  EXPECT_FALSE(policy.unsafe_migration_override);
  EXPECT_FALSE(policy.allow_auto_converge);
  EXPECT_FALSE(policy.allow_post_copy);
  EXPECT_FALSE(policy.disable_tls);
  EXPECT_EQ(policy.max_downtime_ms, 900u);  // KubeVirt's default
}

TEST(ParseConfigTest, OwnExampleGivesItsValues) {
  const Loaded loaded = ParseConfig(kOwnExample);
  ExpectOwnExampleValues(loaded.config);
  EXPECT_THAT(loaded.warnings, IsEmpty());
}

TEST(ParseConfigTest, OwnerCrAsSecondDocument) {
  const Loaded loaded = ParseConfig(std::string(kOwnExample) + "---\n" + kOwnerKubeVirtCr);
  ExpectOwnExampleValues(loaded.config);
  EXPECT_THAT(loaded.warnings, IsEmpty());
}

TEST(ParseConfigTest, OwnerCrAsKubeVirtText) {
  const Loaded loaded = ParseConfig(kOwnExample, kOwnerKubeVirtCr);
  ExpectOwnExampleValues(loaded.config);
  EXPECT_THAT(loaded.warnings, IsEmpty());
}

TEST(ParseConfigTest, CrMayPrecedeTheConfig) {
  const Loaded loaded = ParseConfig(std::string(kOwnerKubeVirtCr) + "---\n" + kOwnExample);
  ExpectOwnExampleValues(loaded.config);
}

TEST(ParseConfigTest, MissingKeysTakeDefaults) {
  const Config config = ParseConfig(kMinimal).config;
  const Config defaults;
  EXPECT_EQ(config.listen_host, "127.0.0.1");
  EXPECT_EQ(config.listen_port, 9477);
  EXPECT_EQ(config.poll_interval, 500ms);
  EXPECT_EQ(config.discovery_interval, 5s);
  EXPECT_EQ(config.data_dir, "/var/lib/migration-monitor");
  EXPECT_EQ(config.naming, Naming::kDomain);
  EXPECT_EQ(config.nodes[0].migration_address, "");
  EXPECT_THAT(config.nodes[0].labels, ElementsAre(Pair("kubernetes.io/hostname", "node-1")));
  EXPECT_EQ(config.migration.parallel_migrations_per_cluster, 5u);
  EXPECT_EQ(config.migration.parallel_outbound_migrations_per_node, 2u);
  EXPECT_EQ(config.migration.bandwidth_per_migration_bytes, 64u << 20);
  EXPECT_EQ(config.migration.completion_timeout_per_gib_seconds, 800);
  EXPECT_EQ(config.migration.progress_timeout_seconds, 150);
  EXPECT_FALSE(config.migration.unsafe_migration_override);
  EXPECT_FALSE(config.migration.allow_auto_converge);
  EXPECT_FALSE(config.migration.allow_post_copy);
  EXPECT_FALSE(config.migration.disable_tls);
  EXPECT_EQ(config.enforcement.mode, EnforcementMode::kEnforce);
  EXPECT_THAT(config.enforcement.exclude, IsEmpty());
  EXPECT_THAT(config.enforcement.max_downtime_steps, IsEmpty());
  EXPECT_EQ(config.nodes[0].peer_uri, "");
  EXPECT_EQ(config.nodes[0].memory_reserve_bytes, 0u);
  EXPECT_EQ(config.migration.parallel_inbound_migrations_per_node, 0u);
  EXPECT_THAT(config.migration.shared_storage_paths, IsEmpty());
  EXPECT_FALSE(config.api.enabled);
  EXPECT_EQ(config.api.token_file, "");
  EXPECT_EQ(config.api.token, "");
  EXPECT_EQ(config.api.tls_cert_file, "");
  EXPECT_EQ(config.api.tls_key_file, "");
  EXPECT_EQ(config.api.retention_per_vmi, 5u);
  EXPECT_EQ(config.api.retention_ttl, 1h);
  EXPECT_EQ(config.api.max_watches, 16u);
  EXPECT_EQ(config.api.max_request_bytes, 1u << 20);
}

TEST(ParseConfigTest, ReadsEveryKey) {
  const Config config = ParseConfig(R"(listen: "[::1]:8080"
pollInterval: 1s
discoveryInterval: 1m30s
dataDir: /tmp/mm
naming: kubevirt
nodes:
  - name: node-1
    uri: qemu:///system
    labels: {kubernetes.io/hostname: node-1, topology.kubernetes.io/zone: eu-1a}
  - name: node-2
    uri: qemu+ssh://node-2/system
migration:
  bandwidthPerMigration: 0
  completionTimeoutPerGiB: 0
  progressTimeout: 0
  unsafeMigrationOverride: true
  allowAutoConverge: True
  allowPostCopy: TRUE
  disableTLS: true
)")
                            .config;
  EXPECT_EQ(config.listen_host, "::1");
  EXPECT_EQ(config.listen_port, 8080);
  EXPECT_EQ(config.poll_interval, 1s);
  EXPECT_EQ(config.discovery_interval, 90s);
  EXPECT_EQ(config.data_dir, "/tmp/mm");
  EXPECT_EQ(config.naming, Naming::kKubeVirt);
  ASSERT_EQ(config.nodes.size(), 2u);
  EXPECT_THAT(config.nodes[0].labels, ElementsAre(Pair("kubernetes.io/hostname", "node-1"),
                                                  Pair("topology.kubernetes.io/zone", "eu-1a")));
  EXPECT_EQ(config.nodes[1].name, "node-2");
  EXPECT_EQ(config.migration.bandwidth_per_migration_bytes, 0u);
  EXPECT_EQ(config.migration.completion_timeout_per_gib_seconds, 0);
  EXPECT_EQ(config.migration.progress_timeout_seconds, 0);
  EXPECT_TRUE(config.migration.unsafe_migration_override);
  EXPECT_TRUE(config.migration.allow_auto_converge);
  EXPECT_TRUE(config.migration.allow_post_copy);
  EXPECT_TRUE(config.migration.disable_tls);
}

TEST(ParseConfigTest, ReadsTheEnforcementSection) {
  const EnforcementConfig enforcement = ParseConfig(std::string(kMinimal) + R"(enforcement:
  mode: observe            # observe logs and counts each action it would take, touches nothing
  exclude:                 # list of "namespace/name" globs
    - "kube-system/*"
    - "default/db-?"
  escalation:
    maxDowntimeSteps: [600ms, 1s, 2s]
migration: {maxDowntimeMs: 2000}
)")
                                            .config.enforcement;
  EXPECT_EQ(enforcement.mode, EnforcementMode::kObserve);
  EXPECT_THAT(enforcement.exclude, ElementsAre("kube-system/*", "default/db-?"));
  EXPECT_THAT(enforcement.max_downtime_steps, ElementsAre(600ms, 1s, 2s));
}

TEST(ParseConfigTest, EachEnforcementKeyIsOptional) {
  const auto parse = [](const std::string& section) {
    return ParseConfig(std::string(kMinimal) + "migration: {maxDowntimeMs: 600000}\nenforcement:" + section)
        .config.enforcement;
  };
  const EnforcementConfig mode_only = parse(" {mode: enforce}\n");
  EXPECT_EQ(mode_only.mode, EnforcementMode::kEnforce);
  EXPECT_THAT(mode_only.exclude, IsEmpty());
  EXPECT_THAT(mode_only.max_downtime_steps, IsEmpty());

  const EnforcementConfig exclude_only = parse(" {exclude: ['*/*']}\n");
  EXPECT_EQ(exclude_only.mode, EnforcementMode::kEnforce);
  EXPECT_THAT(exclude_only.exclude, ElementsAre("*/*"));

  const EnforcementConfig steps_only = parse(" {escalation: {maxDowntimeSteps: [1ms, 10m]}}\n");
  EXPECT_THAT(steps_only.exclude, IsEmpty());
  EXPECT_THAT(steps_only.max_downtime_steps, ElementsAre(1ms, 10min));

  for (const char* empty :
       {"\n", " {}\n", "\n  escalation:\n", " {exclude: [], escalation: {maxDowntimeSteps: []}}\n"}) {
    SCOPED_TRACE(empty);
    const EnforcementConfig enforcement = parse(empty);
    EXPECT_EQ(enforcement.mode, EnforcementMode::kEnforce);
    EXPECT_THAT(enforcement.exclude, IsEmpty());
    EXPECT_THAT(enforcement.max_downtime_steps, IsEmpty());
  }
}

TEST(ParseConfigTest, MaxDowntimeMsFromTheBlockOrTheCrIsTheCeilingOfEveryStep) {
  EXPECT_EQ(ParseConfig(std::string(kMinimal) + "migration: {maxDowntimeMs: 1}\n").config.migration.max_downtime_ms, 1u);
  const std::string cr = CrWithMigrations("migrations", "      maxDowntimeMs: 2000000\n");
  EXPECT_EQ(ParseConfig(kMinimal, cr).config.migration.max_downtime_ms, 2000000u);
  // A step at the ceiling is fine; one above it names the step and the ceiling.
  const std::string steps = "enforcement: {escalation: {maxDowntimeSteps: [500ms, 900ms, 1s]}}\n";
  EXPECT_THAT(ParseConfig(std::string(kMinimal) + "migration: {maxDowntimeMs: 1000}\n" + steps)
                  .config.enforcement.max_downtime_steps,
              ElementsAre(500ms, 900ms, 1s));
  try {
    ParseConfig(std::string(kMinimal) + steps);
    ADD_FAILURE() << "a step above the default 900 ms was accepted";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("enforcement.escalation.maxDowntimeSteps[2]"));
    EXPECT_THAT(e.what(), HasSubstr("1s is above maxDowntimeMs (900 ms)"));
  }
  // The CR's ceiling counts as much as the block's.
  EXPECT_THROW(ParseConfig(std::string(kMinimal) + "migration: {maxDowntimeMs: 2000}\n" + steps,
                           CrWithMigrations("migrations", "      maxDowntimeMs: 600\n")),
               ConfigError);
}

TEST(ParseConfigTest, DowntimeStepsRoundUpToMilliseconds) {
  EXPECT_THAT(
      ParseConfig(std::string(kMinimal) + "migration: {maxDowntimeMs: 1500}\n"
                                          "enforcement: {escalation: {maxDowntimeSteps: [100us, 1.5s]}}\n")
          .config.enforcement.max_downtime_steps,
      ElementsAre(1ms, 1500ms));
}

TEST(ParseConfigTest, AcceptsEveryGlobFeature) {
  const std::vector<std::string> globs{"default/db-1",    "*/*",           "kube-?/x", "ns/db-[0-9]",
                                       "ns/[!a-c]*",      "ns/[^a]",       "ns/[]x]",  "ns/[[:digit:]]x",
                                       "ns/[[.a.][=b=]]", "ns/\\*literal", "ns/[\\]]", "[[]ns]/x"};
  std::string yaml = std::string(kMinimal) + "enforcement:\n  exclude:\n";
  for (const std::string& glob : globs) yaml += "    - '" + glob + "'\n";
  EXPECT_EQ(ParseConfig(yaml).config.enforcement.exclude, globs);
}

TEST(ParseConfigTest, ReadsNodePeerUriAndMemoryReserve) {
  const Config config = ParseConfig(R"(nodes:
  - name: node-1
    uri: qemu+unix:///system?socket=/n1/libvirt-sock
    peerUri: qemu+tcp://10.0.0.1/system
    memoryReserve: 2Gi
  - name: node-2
    uri: qemu+unix:///system?socket=/n2/libvirt-sock
    memoryReserve: 500000000
)")
                            .config;
  ASSERT_EQ(config.nodes.size(), 2u);
  EXPECT_EQ(config.nodes[0].peer_uri, "qemu+tcp://10.0.0.1/system");
  EXPECT_EQ(config.nodes[0].memory_reserve_bytes, 2u << 30);
  EXPECT_EQ(config.nodes[1].peer_uri, "");
  EXPECT_EQ(config.nodes[1].memory_reserve_bytes, 500000000u);
}

TEST(ParseConfigTest, PeerUriFallsBackToUri) {
  NodeConfig node;
  node.uri = "qemu+unix:///system?socket=/n1/libvirt-sock";
  EXPECT_EQ(&PeerUri(node), &node.uri);
  EXPECT_EQ(PeerUri(node), "qemu+unix:///system?socket=/n1/libvirt-sock");
  node.peer_uri = "qemu+tcp://node-1/system";
  EXPECT_EQ(PeerUri(node), "qemu+tcp://node-1/system");

  const Config config = ParseConfig(std::string(kMinimal) + "    peerUri: qemu+ssh://node-1/system\n").config;
  EXPECT_EQ(PeerUri(config.nodes[0]), "qemu+ssh://node-1/system");
  EXPECT_EQ(PeerUri(ParseConfig(kMinimal).config.nodes[0]), "qemu:///system");
}

TEST(ParseConfigTest, ReadsOurMigrationExtensions) {
  const MigrationPolicy policy = ParseConfig(std::string(kMinimal) + R"(migration:
  parallelOutboundMigrationsPerNode: 3
  parallelInboundMigrationsPerNode: 1
  sharedStoragePaths:
    - /var/lib/nfs/
    - /mnt/ceph
)")
                                     .config.migration;
  EXPECT_EQ(policy.parallel_outbound_migrations_per_node, 3u);
  EXPECT_EQ(policy.parallel_inbound_migrations_per_node, 1u);
  EXPECT_THAT(policy.shared_storage_paths, ElementsAre("/var/lib/nfs/", "/mnt/ceph"));

  const MigrationPolicy unlimited = ParseConfig(std::string(kMinimal) +
                                                "migration: {parallelInboundMigrationsPerNode: 0, "
                                                "sharedStoragePaths: []}\n")
                                        .config.migration;
  EXPECT_EQ(unlimited.parallel_inbound_migrations_per_node, 0u);
  EXPECT_THAT(unlimited.shared_storage_paths, IsEmpty());
}

TEST(ParseConfigTest, ReadsTheApiSectionWithoutFiles) {
  const ApiConfig api = ParseConfig(std::string(kMinimal) + R"(api:
  enabled: true
  auth:
    tokenFile: ""
  tls:
    certFile: ""
    keyFile: ""
  finishedRetention:
    perVMI: 0
    ttl: 90s
  maxWatches: 1000
  maxRequestBytes: 1Ki
)")
                            .config.api;
  EXPECT_TRUE(api.enabled);
  EXPECT_EQ(api.token_file, "");
  EXPECT_EQ(api.token, "");
  EXPECT_EQ(api.tls_cert_file, "");
  EXPECT_EQ(api.tls_key_file, "");
  EXPECT_EQ(api.retention_per_vmi, 0u);
  EXPECT_EQ(api.retention_ttl, 90s);
  EXPECT_EQ(api.max_watches, 1000u);
  EXPECT_EQ(api.max_request_bytes, 1024u);
}

TEST(ParseConfigTest, EachApiKeyIsOptional) {
  const auto parse = [](const std::string& section) {
    return ParseConfig(std::string(kMinimal) + "api:" + section).config.api;
  };
  for (const char* empty : {"\n", " {}\n", "\n  auth:\n  tls:\n  finishedRetention:\n"}) {
    SCOPED_TRACE(empty);
    const ApiConfig api = parse(empty);
    EXPECT_FALSE(api.enabled);
    EXPECT_EQ(api.retention_per_vmi, 5u);
    EXPECT_EQ(api.retention_ttl, 1h);
    EXPECT_EQ(api.max_watches, 16u);
    EXPECT_EQ(api.max_request_bytes, 1u << 20);
  }
  const ApiConfig ttl_only = parse(" {finishedRetention: {ttl: 1s}}\n");
  EXPECT_EQ(ttl_only.retention_ttl, 1s);
  EXPECT_EQ(ttl_only.retention_per_vmi, 5u);
  EXPECT_EQ(parse(" {maxRequestBytes: 1048577}\n").max_request_bytes, 1048577u);
}

TEST(ParseConfigTest, BandwidthAcceptsPlainBytesAndQuotedQuantities) {
  EXPECT_EQ(ParseConfig(std::string(kMinimal) + "migration: {bandwidthPerMigration: 1000000}\n")
                .config.migration.bandwidth_per_migration_bytes,
            1000000u);
  EXPECT_EQ(ParseConfig(std::string(kMinimal) + "migration: {bandwidthPerMigration: \"1.5Gi\"}\n")
                .config.migration.bandwidth_per_migration_bytes,
            1610612736u);
}

TEST(ParseConfigTest, OmittedDiscoveryIntervalIsNeverShorterThanPollInterval) {
  EXPECT_EQ(ParseConfig(std::string("pollInterval: 20s\n") + kMinimal).config.discovery_interval, 20s);
}

TEST(ParseConfigTest, EmptySectionsAreEmptyMaps) {
  const Config config =
      ParseConfig("nodes:\n  - name: node-1\n    uri: qemu:///system\n    labels:\nmigration:\n").config;
  EXPECT_THAT(config.nodes[0].labels, ElementsAre(Pair("kubernetes.io/hostname", "node-1")));
  EXPECT_EQ(config.migration.progress_timeout_seconds, 150);
}

TEST(ParseConfigTest, EmptyDocumentsAreSkipped) {
  EXPECT_EQ(ParseConfig(std::string("---\n---\n") + kMinimal + "---\n").config.nodes.size(), 1u);
}

// Where the CR comes from must not change precedence.
enum class CrDelivery { kSecondDocument, kKubeVirtText };

class PrecedenceTest : public ::testing::TestWithParam<CrDelivery> {
 protected:
  Loaded Parse(const std::string& config, const std::string& cr) {
    if (GetParam() == CrDelivery::kSecondDocument) return ParseConfig(config + "---\n" + cr);
    return ParseConfig(config, cr);
  }
};

TEST_P(PrecedenceTest, DefaultsThenMigrationBlockThenCr) {
  const std::string config = std::string(kMinimal) +
                             "migration:\n"
                             "  bandwidthPerMigration: 32Mi\n"
                             "  progressTimeout: 100\n"
                             "  allowPostCopy: true\n";
  const std::string cr = CrWithMigrations("migrations",
                                          "      bandwidthPerMigration: 128Mi\n"
                                          "      allowPostCopy: false\n"
                                          "      disableTLS: true\n");
  const MigrationPolicy policy = Parse(config, cr).config.migration;
  EXPECT_EQ(policy.bandwidth_per_migration_bytes, 128u << 20);  // CR over block
  EXPECT_FALSE(policy.allow_post_copy);                         // CR over block
  EXPECT_TRUE(policy.disable_tls);                              // CR over default
  EXPECT_EQ(policy.progress_timeout_seconds, 100);              // block over default
  EXPECT_EQ(policy.parallel_migrations_per_cluster, 5u);        // default
  EXPECT_EQ(policy.completion_timeout_per_gib_seconds, 800);    // default
}

TEST_P(PrecedenceTest, UnimplementedAndUnknownCrFieldsWarn) {
  const std::string cr = CrWithMigrations("migrations",
                                          "      nodeDrainTaintKey: kubevirt.io/drain\n"
                                          "      network: migration-net\n"
                                          "      matchSELinuxLevelOnMigration: true\n"
                                          "      allowWorkloadDisruption: false\n"
                                          "      someFutureField: {a: 1}\n"
                                          "      progressTimeout: 60\n");
  const Loaded loaded = Parse(kMinimal, cr);
  EXPECT_EQ(loaded.config.migration.progress_timeout_seconds, 60);
  EXPECT_THAT(
      loaded.warnings,
      ElementsAre(
          "KubeVirt CR: spec.configuration.migrations.nodeDrainTaintKey is not implemented by "
          "migration-monitor and is ignored",
          "KubeVirt CR: spec.configuration.migrations.network is not implemented by migration-monitor and "
          "is ignored",
          "KubeVirt CR: spec.configuration.migrations.matchSELinuxLevelOnMigration is not implemented by "
          "migration-monitor and is ignored",
          "KubeVirt CR: spec.configuration.migrations.allowWorkloadDisruption is not implemented by "
          "migration-monitor and is ignored",
          "KubeVirt CR: spec.configuration.migrations.someFutureField is unknown to migration-monitor and "
          "is ignored"));
}

// Our extensions are not KubeVirt fields: a CR that has them is still accepted
// (as for any unknown field), but they do not touch the policy.
TEST_P(PrecedenceTest, OurExtensionsInACrWarnAndAreIgnored) {
  const std::string config = std::string(kMinimal) +
                             "migration: {parallelInboundMigrationsPerNode: 2, sharedStoragePaths: [/mnt]}\n";
  const std::string cr = CrWithMigrations("migrations",
                                          "      parallelInboundMigrationsPerNode: 7\n"
                                          "      sharedStoragePaths: [relative/is/not/checked]\n");
  const Loaded loaded = Parse(config, cr);
  EXPECT_EQ(loaded.config.migration.parallel_inbound_migrations_per_node, 2u);
  EXPECT_THAT(loaded.config.migration.shared_storage_paths, ElementsAre("/mnt"));
  EXPECT_THAT(loaded.warnings,
              ElementsAre("KubeVirt CR: spec.configuration.migrations.parallelInboundMigrationsPerNode is "
                          "unknown to migration-monitor and is ignored",
                          "KubeVirt CR: spec.configuration.migrations.sharedStoragePaths is unknown to "
                          "migration-monitor and is ignored"));
}

INSTANTIATE_TEST_SUITE_P(CrDeliveries, PrecedenceTest,
                         ::testing::Values(CrDelivery::kSecondDocument, CrDelivery::kKubeVirtText),
                         [](const ::testing::TestParamInfo<CrDelivery>& delivery) {
                           return delivery.param == CrDelivery::kSecondDocument ? "SecondDocument"
                                                                                : "KubeVirtText";
                         });

TEST(KubeVirtCrTest, SingularSpellingWarnsWithThatSpelling) {
  const Loaded loaded = ParseConfig(kMinimal, CrWithMigrations("migration", "      network: x\n"));
  EXPECT_THAT(loaded.warnings,
              ElementsAre(HasSubstr("spec.configuration.migration.network is not implemented")));
}

TEST(KubeVirtCrTest, EverythingOutsideTheMigrationBlockIsIgnoredSilently) {
  const Loaded loaded = ParseConfig(kMinimal, R"(apiVersion: kubevirt.io/v1alpha3
kind: KubeVirt
metadata: {name: kubevirt, namespace: kubevirt, labels: {a: b}}
spec:
  certificateRotateStrategy: {}
  imagePullPolicy: IfNotPresent
  configuration:
    developerConfiguration: {featureGates: [LiveMigration]}
    migrations: {parallelMigrationsPerCluster: 9}
status: {phase: Deployed}
)");
  EXPECT_EQ(loaded.config.migration.parallel_migrations_per_cluster, 9u);
  EXPECT_THAT(loaded.warnings, IsEmpty());
}

TEST(KubeVirtCrTest, CrWithoutMigrationBlockChangesNothing) {
  const Loaded loaded = ParseConfig(kMinimal, "apiVersion: kubevirt.io/v1\nkind: KubeVirt\nspec: {}\n");
  EXPECT_EQ(loaded.config.migration.bandwidth_per_migration_bytes, 64u << 20);
  EXPECT_THAT(loaded.warnings, IsEmpty());
}

ConfigError CatchConfigError(const std::string& config, const std::optional<std::string>& kubevirt) {
  try {
    if (kubevirt) {
      ParseConfig(config, *kubevirt);
    } else {
      ParseConfig(config);
    }
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted:\n" << config;
  return ConfigError("", "");
}

TEST(KubeVirtCrTest, BothSpellingsIsAnError) {
  const std::string cr = CrWithMigrations("migrations", "      progressTimeout: 1\n") +
                         "    migration:\n      progressTimeout: 2\n";
  const ConfigError error = CatchConfigError(kMinimal, cr);
  EXPECT_EQ(error.key_path(), "kubevirt.spec.configuration");
  EXPECT_THAT(error.what(), HasSubstr("both \"migrations\" and \"migration\" are set"));
}

TEST(KubeVirtCrTest, BadValueInAnAppliedFieldIsAnError) {
  const ConfigError bad_quantity =
      CatchConfigError(kMinimal, CrWithMigrations("migrations", "      bandwidthPerMigration: 64Mx\n"));
  EXPECT_EQ(bad_quantity.key_path(), "kubevirt.spec.configuration.migrations.bandwidthPerMigration");
  EXPECT_THAT(bad_quantity.what(), HasSubstr("\"64Mx\" is not a quantity"));

  const ConfigError quoted_integer = CatchConfigError(
      std::string(kMinimal) + "---\n" + CrWithMigrations("migration", "      progressTimeout: \"150\"\n"),
      {});
  EXPECT_EQ(quoted_integer.key_path(), "kubevirt.spec.configuration.migration.progressTimeout");
  EXPECT_THAT(quoted_integer.what(), HasSubstr("\"150\" is a quoted string"));

  const ConfigError bad_block = CatchConfigError(kMinimal, CrWithMigrations("migrations", "      - a\n"));
  EXPECT_EQ(bad_block.key_path(), "kubevirt.spec.configuration.migrations");
  EXPECT_THAT(bad_block.what(), HasSubstr("expected a map, got a list"));
}

TEST(KubeVirtCrTest, WrongApiVersionIsAnError) {
  const ConfigError error = CatchConfigError(kMinimal, "apiVersion: v1\nkind: KubeVirt\n");
  EXPECT_EQ(error.key_path(), "kubevirt.apiVersion");
  EXPECT_THAT(error.what(), HasSubstr("\"v1\" is not a KubeVirt apiVersion"));
}

TEST(KubeVirtCrTest, KubeVirtTextMustHoldOnlyOneKubeVirtCr) {
  const ConfigError config_map = CatchConfigError(kMinimal, "apiVersion: v1\nkind: ConfigMap\n");
  EXPECT_EQ(config_map.key_path(), "kubevirt.documents[0].kind");
  EXPECT_THAT(config_map.what(), HasSubstr("\"ConfigMap\""));

  const ConfigError empty = CatchConfigError(kMinimal, "# nothing\n");
  EXPECT_EQ(empty.key_path(), "kubevirt");
  EXPECT_THAT(empty.what(), HasSubstr("no KubeVirt CR"));

  const ConfigError two =
      CatchConfigError(std::string(kMinimal) + "---\n" + kOwnerKubeVirtCr, kOwnerKubeVirtCr);
  EXPECT_EQ(two.key_path(), "kubevirt");
  EXPECT_THAT(two.what(), HasSubstr("found 2 KubeVirt CRs"));

  const ConfigError syntax = CatchConfigError(kMinimal, "kind: [\n");
  EXPECT_EQ(syntax.key_path(), "");
  EXPECT_THAT(syntax.what(), HasSubstr("KubeVirt CR: YAML syntax error at line"));
}

class LoadConfigFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) { return scratch_.Write(name, text); }

  testing_support::TestDirectory scratch_;
  const std::filesystem::path& directory_ = scratch_.path();
};

TEST_F(LoadConfigFileTest, ReadsConfigAndKubeVirtFiles) {
  const Loaded loaded =
      LoadConfigFile(Write("config.yaml", kOwnExample), Write("kubevirt.yaml", kOwnerKubeVirtCr));
  ExpectOwnExampleValues(loaded.config);
}

TEST_F(LoadConfigFileTest, UnreadableFileIsNamed) {
  const std::string missing = (directory_ / "missing.yaml").string();
  try {
    LoadConfigFile(missing);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.key_path(), "");
    EXPECT_THAT(error.what(), HasSubstr("cannot read config file \"" + missing + "\": No such file"));
  }
  try {
    LoadConfigFile(Write("config.yaml", kMinimal), directory_.string());
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(),
                HasSubstr("cannot read KubeVirt CR file \"" + directory_.string() + "\": it is a directory"));
  }
}

TEST_F(LoadConfigFileTest, SyntaxErrorNamesFileAndLine) {
  const std::string path = Write("config.yaml", "pollInterval: 1s\nnodes: [\n");
  try {
    LoadConfigFile(path);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.key_path(), "");
    EXPECT_THAT(error.what(), HasSubstr(path + ": YAML syntax error at line 3, column 1"));
  }
}

// The API's files are read at load time.
class ApiFilesTest : public LoadConfigFileTest {
 protected:
  static std::string WithApi(const std::string& api) { return std::string(kMinimal) + "api: " + api + "\n"; }
};

TEST_F(ApiFilesTest, ReadsTheTokenWithoutSurroundingWhitespace) {
  const std::string token_file = Write("token", " \t s3cr3t.T0ken-_~+/=\r\n\n");
  const ApiConfig api =
      ParseConfig(WithApi("{enabled: true, auth: {tokenFile: '" + token_file + "'}}")).config.api;
  EXPECT_TRUE(api.enabled);
  EXPECT_EQ(api.token_file, token_file);
  EXPECT_EQ(api.token, "s3cr3t.T0ken-_~+/=");
}

TEST_F(ApiFilesTest, ReadsTheTokenEvenWhenTheApiIsDisabled) {
  const std::string token_file = Write("token", "abc\n");
  EXPECT_EQ(ParseConfig(WithApi("{auth: {tokenFile: '" + token_file + "'}}")).config.api.token, "abc");
}

TEST_F(ApiFilesTest, TokenViaLoadConfigFile) {
  const std::string token_file = Write("token", "abc");
  const std::string config = Write("config.yaml", WithApi("{auth: {tokenFile: '" + token_file + "'}}"));
  EXPECT_EQ(LoadConfigFile(config).config.api.token, "abc");
}

TEST_F(ApiFilesTest, ReadsCertAndKeyPaths) {
  const std::string cert = Write("tls.crt", "-----BEGIN CERTIFICATE-----\n");
  const std::string key = Write("tls.key", "-----BEGIN PRIVATE KEY-----\n");
  const ApiConfig api =
      ParseConfig(WithApi("{tls: {certFile: '" + cert + "', keyFile: '" + key + "'}}")).config.api;
  EXPECT_EQ(api.tls_cert_file, cert);
  EXPECT_EQ(api.tls_key_file, key);
}

TEST_F(ApiFilesTest, EmptyTokenFileIsAnError) {
  for (const char* content : {"", " \n\t\r\n"}) {
    SCOPED_TRACE(testing::PrintToString(content));
    const std::string token_file = Write("token", content);
    const ConfigError error = CatchConfigError(WithApi("{auth: {tokenFile: '" + token_file + "'}}"), {});
    EXPECT_EQ(error.key_path(), "api.auth.tokenFile");
    EXPECT_THAT(error.what(), HasSubstr("\"" + token_file + "\" is empty; it must hold the bearer token"));
  }
}

TEST_F(ApiFilesTest, UnreadableTokenFileIsAnError) {
  const ConfigError directory =
      CatchConfigError(WithApi("{auth: {tokenFile: '" + directory_.string() + "'}}"), {});
  EXPECT_EQ(directory.key_path(), "api.auth.tokenFile");
  EXPECT_THAT(directory.what(), HasSubstr("cannot read \"" + directory_.string() + "\": it is a directory"));

  const std::string missing = (directory_ / "missing").string();
  const ConfigError absent = CatchConfigError(WithApi("{auth: {tokenFile: '" + missing + "'}}"), {});
  EXPECT_EQ(absent.key_path(), "api.auth.tokenFile");
  EXPECT_THAT(absent.what(), HasSubstr("cannot read \"" + missing + "\": No such file or directory"));
}

TEST_F(ApiFilesTest, TokenWithInnerWhitespaceIsAnErrorThatDoesNotShowIt) {
  const std::string token_file = Write("token", "first-secret\nsecond-secret\n");
  const ConfigError error = CatchConfigError(WithApi("{auth: {tokenFile: '" + token_file + "'}}"), {});
  EXPECT_EQ(error.key_path(), "api.auth.tokenFile");
  EXPECT_THAT(error.what(), HasSubstr("holds more than one word"));
  EXPECT_THAT(error.what(), Not(HasSubstr("secret")));
}

TEST_F(ApiFilesTest, UnreadableOrEmptyTlsFileIsAnError) {
  const std::string cert = Write("tls.crt", "-----BEGIN CERTIFICATE-----\n");
  const std::string missing = (directory_ / "tls.key").string();
  const ConfigError absent_key =
      CatchConfigError(WithApi("{tls: {certFile: '" + cert + "', keyFile: '" + missing + "'}}"), {});
  EXPECT_EQ(absent_key.key_path(), "api.tls.keyFile");
  EXPECT_THAT(absent_key.what(), HasSubstr("cannot read \"" + missing + "\": No such file or directory"));

  const std::string empty = Write("empty.crt", "");
  const ConfigError empty_cert =
      CatchConfigError(WithApi("{tls: {certFile: '" + empty + "', keyFile: '" + cert + "'}}"), {});
  EXPECT_EQ(empty_cert.key_path(), "api.tls.certFile");
  EXPECT_THAT(empty_cert.what(), HasSubstr("\"" + empty + "\" is empty; expected a PEM file"));
}

}  // namespace
}  // namespace migmon::config
