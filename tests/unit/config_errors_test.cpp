// Every invalid input is a ConfigError naming where (key_path) and what (the value).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/load.h"

namespace migmon::config {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A valid config to which each case adds one mistake.
const std::string kNode = "nodes:\n  - name: node-1\n    uri: qemu:///system\n";

struct ErrorCase {
  std::string name;  // test name
  std::string yaml;
  std::string key_path;
  std::string message;  // a substring of what(); names the offending value
};

void PrintTo(const ErrorCase& error_case, std::ostream* out) { *out << error_case.name; }

class ConfigErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigErrorTest, ReportsKeyPathAndValue) {
  const ErrorCase& expected = GetParam();
  try {
    ParseConfig(expected.yaml);
    FAIL() << "accepted:\n" << expected.yaml;
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.key_path(), expected.key_path) << error.what();
    EXPECT_THAT(error.what(), HasSubstr(expected.message));
    if (!expected.key_path.empty()) {
      EXPECT_THAT(error.what(), StartsWith(expected.key_path + ": "));
    }
  }
}

std::string CaseName(const ::testing::TestParamInfo<ErrorCase>& case_info) { return case_info.param.name; }

std::string WithMigration(const std::string& field) { return kNode + "migration:\n  " + field + "\n"; }

INSTANTIATE_TEST_SUITE_P(
    UnknownKeys, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"TopLevel", "colour: red\n" + kNode, "colour",
                  "unknown key \"colour\" (expected one of: listen,"},
        ErrorCase{"InNode", kNode + "    colour: red\n", "nodes[0].colour", "unknown key \"colour\""},
        ErrorCase{"InMigration", WithMigration("fooBar: 1"), "migration.fooBar", "unknown key \"fooBar\""},
        ErrorCase{"UnimplementedKubeVirtFieldInOurFile", WithMigration("nodeDrainTaintKey: x"),
                  "migration.nodeDrainTaintKey",
                  "\"nodeDrainTaintKey\" is not implemented by migration-monitor"},
        ErrorCase{"RepeatedKey", "pollInterval: 1s\npollInterval: 2s\n" + kNode, "pollInterval",
                  "key \"pollInterval\" appears twice"}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    WrongTypes, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"NodesIsAMap", "nodes: {name: node-1}\n", "nodes", "expected a list, got a map"},
        ErrorCase{"NodeIsAString", "nodes: [node-1]\n", "nodes[0]", "expected a map, got \"node-1\""},
        ErrorCase{"MigrationIsAList", kNode + "migration: [1]\n", "migration", "expected a map, got a list"},
        ErrorCase{"LabelsIsAList", kNode + "    labels: [a]\n", "nodes[0].labels",
                  "expected a map, got a list"},
        ErrorCase{"DurationIsAList", "pollInterval: [1s]\n" + kNode, "pollInterval", "got a list"},
        ErrorCase{"StringIsAMap", "dataDir: {a: b}\n" + kNode, "dataDir", "expected a string, got a map"},
        ErrorCase{"EmptyValue", "dataDir:\n" + kNode, "dataDir", "got an empty value"},
        ErrorCase{"EmptyString", "dataDir: ''\n" + kNode, "dataDir", "\"\" is empty"},
        ErrorCase{"QuotedInteger", WithMigration("progressTimeout: \"150\""), "migration.progressTimeout",
                  "\"150\" is a quoted string; write the integer without quotes"},
        ErrorCase{"FractionalInteger", WithMigration("progressTimeout: 1.5"), "migration.progressTimeout",
                  "\"1.5\" is not an integer"},
        ErrorCase{"HexInteger", WithMigration("progressTimeout: 0x10"), "migration.progressTimeout",
                  "\"0x10\" is not an integer"},
        ErrorCase{"WordForInteger", WithMigration("parallelMigrationsPerCluster: five"),
                  "migration.parallelMigrationsPerCluster", "\"five\" is not an integer"},
        ErrorCase{"YesForBool", WithMigration("allowPostCopy: yes"), "migration.allowPostCopy",
                  "\"yes\" is not a boolean (use true or false)"},
        ErrorCase{"QuotedBool", WithMigration("allowAutoConverge: \"true\""), "migration.allowAutoConverge",
                  "\"true\" is a quoted string"},
        ErrorCase{"NumberForBool", WithMigration("disableTLS: 1"), "migration.disableTLS",
                  "\"1\" is not a boolean"},
        ErrorCase{"ConfigIsAScalar", "hello\n", "", "the config must be a map of keys"},
        ErrorCase{"BadNaming", "naming: names\n" + kNode, "naming", "\"names\" is not a naming"}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    BadValues, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"BadQuantity", WithMigration("bandwidthPerMigration: 64Mx"),
                  "migration.bandwidthPerMigration",
                  "migration.bandwidthPerMigration: \"64Mx\" is not a quantity (e.g. 64Mi, 1Gi, 500M)"},
        ErrorCase{"NegativeQuantity", WithMigration("bandwidthPerMigration: -1"),
                  "migration.bandwidthPerMigration", "\"-1\" is negative"},
        ErrorCase{"HugeQuantity", WithMigration("bandwidthPerMigration: 17Ei"),
                  "migration.bandwidthPerMigration", "\"17Ei\" is too large"},
        ErrorCase{"DurationWithoutUnit", "pollInterval: 5\n" + kNode, "pollInterval", "\"5\" needs a unit"},
        ErrorCase{"DurationUnknownUnit", "pollInterval: 5x\n" + kNode, "pollInterval", "unknown unit \"x\""},
        ErrorCase{"NegativeDuration", "pollInterval: -1s\n" + kNode, "pollInterval", "\"-1s\" is negative"},
        ErrorCase{"DurationTrailingNumber", "discoveryInterval: 1h2\n" + kNode, "discoveryInterval",
                  "\"1h2\" needs a unit after \"2\""},
        ErrorCase{"BadNodeName", "nodes:\n  - name: Node_1\n    uri: qemu:///system\n", "nodes[0].name",
                  "\"Node_1\" is not a DNS-1123 label"},
        ErrorCase{"LongNodeName", "nodes:\n  - name: " + std::string(64, 'a') + "\n    uri: qemu:///system\n",
                  "nodes[0].name", "is not a DNS-1123 label"},
        ErrorCase{"BadUri", "nodes:\n  - name: node-1\n    uri: /run/libvirt-sock\n", "nodes[0].uri",
                  "\"/run/libvirt-sock\" is not a libvirt URI"},
        ErrorCase{"BadMigrationAddress", kNode + "    migrationAddress: tcp://10.0.0.1\n",
                  "nodes[0].migrationAddress", "\"tcp://10.0.0.1\" is not a host name or IP address"},
        ErrorCase{"BadLabelKey", kNode + "    labels: {\"bad key\": a}\n", "nodes[0].labels[\"bad key\"]",
                  "\"bad key\" is not a Kubernetes label key"},
        ErrorCase{"BadLabelValue", kNode + "    labels: {zone: \"a b\"}\n", "nodes[0].labels.zone",
                  "\"a b\" is not a Kubernetes label value"},
        ErrorCase{"HostnameLabelOverridden", kNode + "    labels: {kubernetes.io/hostname: other}\n",
                  "nodes[0].labels[\"kubernetes.io/hostname\"]",
                  "\"other\" differs from the node name \"node-1\""}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    OutOfRange, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"PollTooShort", "pollInterval: 10ms\n" + kNode, "pollInterval",
                  "\"10ms\" is out of range (must be between 50ms and 1m)"},
        ErrorCase{"PollTooLong", "pollInterval: 61s\n" + kNode, "pollInterval", "\"61s\" is out of range"},
        ErrorCase{"DiscoveryShorterThanPoll", "discoveryInterval: 1s\npollInterval: 2s\n" + kNode,
                  "discoveryInterval", "\"1s\" is shorter than pollInterval (2s)"},
        ErrorCase{"DiscoveryTooLong", "discoveryInterval: 11m\n" + kNode, "discoveryInterval",
                  "\"11m\" is out of range"},
        ErrorCase{"ZeroParallelPerCluster", WithMigration("parallelMigrationsPerCluster: 0"),
                  "migration.parallelMigrationsPerCluster",
                  "\"0\" is out of range (must be between 1 and 4294967295)"},
        ErrorCase{"ZeroParallelPerNode", WithMigration("parallelOutboundMigrationsPerNode: 0"),
                  "migration.parallelOutboundMigrationsPerNode", "\"0\" is out of range"},
        ErrorCase{"ParallelAboveUint32", WithMigration("parallelMigrationsPerCluster: 4294967296"),
                  "migration.parallelMigrationsPerCluster", "\"4294967296\" is out of range"},
        ErrorCase{"NegativeProgressTimeout", WithMigration("progressTimeout: -1"),
                  "migration.progressTimeout", "\"-1\" is out of range (must be >= 0)"},
        ErrorCase{"NegativeCompletionTimeout", WithMigration("completionTimeoutPerGiB: -5"),
                  "migration.completionTimeoutPerGiB", "\"-5\" is out of range"},
        ErrorCase{"MaxDowntimeZero", WithMigration("maxDowntimeMs: 0"), "migration.maxDowntimeMs",
                  "\"0\" is out of range (must be between 1 and 2000000)"},
        ErrorCase{"MaxDowntimeAboveKubeVirtsBound", WithMigration("maxDowntimeMs: 2000001"),
                  "migration.maxDowntimeMs", "\"2000001\" is out of range"},
        ErrorCase{"TimeoutAboveInt64", WithMigration("progressTimeout: 99999999999999999999"),
                  "migration.progressTimeout", "\"99999999999999999999\" is out of range"}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    Listen, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"NoPort", "listen: localhost\n" + kNode, "listen", "\"localhost\" is not HOST:PORT"},
        ErrorCase{"PortZero", "listen: 127.0.0.1:0\n" + kNode, "listen", "\"127.0.0.1:0\" has no valid port"},
        ErrorCase{"PortTooLarge", "listen: 127.0.0.1:65536\n" + kNode, "listen",
                  "\"127.0.0.1:65536\" has no valid port"},
        ErrorCase{"PortNotANumber", "listen: 127.0.0.1:http\n" + kNode, "listen", "has no valid port"},
        ErrorCase{"NoHost", "listen: \":9477\"\n" + kNode, "listen", "\":9477\" has no host"},
        ErrorCase{"BareIpv6", "listen: \"::1:9477\"\n" + kNode, "listen", "IPv6 host without brackets"},
        ErrorCase{"UnclosedBracket", "listen: \"[::1:9477\"\n" + kNode, "listen", "is not [IPV6]:PORT"},
        ErrorCase{"JustAPort", "listen: 9477\n" + kNode, "listen", "\"9477\" is not HOST:PORT"}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    Nodes, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"Missing", "pollInterval: 1s\n", "nodes", "missing; list at least one node"},
        ErrorCase{"EmptyFile", "", "nodes", "missing"},
        ErrorCase{"Empty", "nodes: []\n", "nodes", "the list is empty"},
        ErrorCase{"MissingUri", "nodes:\n  - name: node-1\n", "nodes[0].uri", "missing"},
        ErrorCase{"MissingName", "nodes:\n  - uri: qemu:///system\n", "nodes[0].name", "missing"},
        ErrorCase{"DuplicateName",
                  kNode + "  - name: node-1\n    uri: qemu+unix:///system?socket=/b/libvirt-sock\n",
                  "nodes[1].name", "\"node-1\" is already used by nodes[0]"},
        ErrorCase{"DuplicateUri", kNode + "  - name: node-2\n    uri: qemu:///system\n", "nodes[1].uri",
                  "\"qemu:///system\" is already used by nodes[0]"}),
    CaseName);

std::string WithEnforcement(const std::string& fields) { return kNode + "enforcement:\n" + fields; }

INSTANTIATE_TEST_SUITE_P(
    Enforcement, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"BadMode", WithEnforcement("  mode: enforcing\n"), "enforcement.mode",
                  "\"enforcing\" is not an enforcement mode (use enforce or observe)"},
        ErrorCase{"ModeIsCaseSensitive", WithEnforcement("  mode: Observe\n"), "enforcement.mode",
                  "\"Observe\" is not an enforcement mode"},
        ErrorCase{"ModeIsAList", WithEnforcement("  mode: [observe]\n"), "enforcement.mode",
                  "expected a string, got a list"},
        ErrorCase{"EnforcementIsAList", kNode + "enforcement: [observe]\n", "enforcement",
                  "expected a map, got a list"},
        ErrorCase{"UnknownKey", WithEnforcement("  dryRun: true\n"), "enforcement.dryRun",
                  "unknown key \"dryRun\" (expected one of: mode, exclude, escalation)"},
        ErrorCase{"UnknownKeyInEscalation", WithEnforcement("  escalation: {steps: [1s]}\n"),
                  "enforcement.escalation.steps",
                  "unknown key \"steps\" (expected one of: maxDowntimeSteps)"},
        ErrorCase{"EscalationIsAString", WithEnforcement("  escalation: 1s\n"), "enforcement.escalation",
                  "expected a map, got \"1s\""},
        ErrorCase{"ExcludeIsAString", WithEnforcement("  exclude: kube-system/*\n"), "enforcement.exclude",
                  "expected a list, got \"kube-system/*\""},
        ErrorCase{"ExcludeIsAMap", WithEnforcement("  exclude: {kube-system: \"*\"}\n"),
                  "enforcement.exclude", "expected a list, got a map"},
        ErrorCase{"ExcludeItemIsAMap", WithEnforcement("  exclude: [{kube-system: db}]\n"),
                  "enforcement.exclude[0]", "expected a string, got a map"},
        ErrorCase{"ExcludeItemIsEmpty", WithEnforcement("  exclude: [\"\"]\n"), "enforcement.exclude[0]",
                  "\"\" is empty"},
        ErrorCase{"GlobWithoutSlash", WithEnforcement("  exclude: [a/b, db-1]\n"), "enforcement.exclude[1]",
                  "\"db-1\" is not \"namespace/name\": it needs exactly one '/'"},
        ErrorCase{"GlobWithTwoSlashes", WithEnforcement("  exclude: [a/b/c]\n"), "enforcement.exclude[0]",
                  "\"a/b/c\" is not \"namespace/name\": it needs exactly one '/'"},
        ErrorCase{"GlobWithEmptyNamespace", WithEnforcement("  exclude: [/db]\n"), "enforcement.exclude[0]",
                  "\"/db\" has an empty namespace; write * to match any"},
        ErrorCase{"GlobWithEmptyName", WithEnforcement("  exclude: [default/]\n"), "enforcement.exclude[0]",
                  "\"default/\" has an empty name"},
        ErrorCase{"GlobWithUnclosedBracket", WithEnforcement("  exclude: [\"default/db-[12\"]\n"),
                  "enforcement.exclude[0]",
                  "\"default/db-[12\" is not a valid glob: it has a '[' that is never closed"},
        ErrorCase{"GlobWithBracketClosedOnlyAcrossSlash", WithEnforcement("  exclude: [\"kube-[a/b]\"]\n"),
                  "enforcement.exclude[0]",
                  "\"kube-[a/b]\" is not a valid glob: it has a '[' that is never closed"},
        ErrorCase{"GlobWithOnlyALiteralCloseBracket", WithEnforcement("  exclude: [\"default/[]\"]\n"),
                  "enforcement.exclude[0]", "has a '[' that is never closed"},
        ErrorCase{"GlobWithUnknownCharacterClass", WithEnforcement("  exclude: [\"default/[[:nope:]]\"]\n"),
                  "enforcement.exclude[0]", "has an unknown character class \"[:nope:]\""},
        ErrorCase{"GlobWithTrailingBackslash", WithEnforcement("  exclude: ['default/db\\']\n"),
                  "enforcement.exclude[0]", "has a '\\' with no character after it to escape"},
        ErrorCase{"StepsIsADuration", WithEnforcement("  escalation: {maxDowntimeSteps: 1s}\n"),
                  "enforcement.escalation.maxDowntimeSteps", "expected a list, got \"1s\""},
        ErrorCase{"StepWithoutUnit", WithEnforcement("  escalation: {maxDowntimeSteps: [500ms, 600]}\n"),
                  "enforcement.escalation.maxDowntimeSteps[1]", "\"600\" needs a unit"},
        ErrorCase{"StepNotADuration", WithEnforcement("  escalation: {maxDowntimeSteps: [fast]}\n"),
                  "enforcement.escalation.maxDowntimeSteps[0]", "\"fast\" is not a duration"},
        ErrorCase{"StepIsAList", WithEnforcement("  escalation: {maxDowntimeSteps: [[1s]]}\n"),
                  "enforcement.escalation.maxDowntimeSteps[0]", "got a list"},
        ErrorCase{"StepZero", WithEnforcement("  escalation: {maxDowntimeSteps: [0s]}\n"),
                  "enforcement.escalation.maxDowntimeSteps[0]",
                  "\"0s\" is out of range (must be between 1ms and 10m)"},
        ErrorCase{"StepTooLong", WithEnforcement("  escalation: {maxDowntimeSteps: [1s, 10m1ms]}\n"),
                  "enforcement.escalation.maxDowntimeSteps[1]", "\"10m1ms\" is out of range"},
        ErrorCase{"StepsRepeat", WithEnforcement("  escalation: {maxDowntimeSteps: [600ms, 1s, 1s]}\n"),
                  "enforcement.escalation.maxDowntimeSteps[2]",
                  "\"1s\" is not longer than the step before it (1s); steps must strictly increase"},
        ErrorCase{"StepsDecrease", WithEnforcement("  escalation: {maxDowntimeSteps: [2s, 1s]}\n"),
                  "enforcement.escalation.maxDowntimeSteps[1]",
                  "\"1s\" is not longer than the step before it (2s)"},
        ErrorCase{"StepsEqualInAnotherSpelling",
                  WithEnforcement("  escalation: {maxDowntimeSteps: [600ms, 0.6s]}\n"),
                  "enforcement.escalation.maxDowntimeSteps[1]",
                  "\"0.6s\" is not longer than the step before it (600ms)"}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    NodeExtensions, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"BadPeerUri", kNode + "    peerUri: node-1.example.com\n", "nodes[0].peerUri",
                  "\"node-1.example.com\" is not a libvirt URI"},
        ErrorCase{"EmptyPeerUri", kNode + "    peerUri: ''\n", "nodes[0].peerUri", "\"\" is empty"},
        ErrorCase{"PeerUriIsAList", kNode + "    peerUri: [qemu+tcp://a/system]\n", "nodes[0].peerUri",
                  "expected a string, got a list"},
        ErrorCase{"DuplicatePeerUri",
                  kNode + "    peerUri: qemu+tcp://n/system\n  - name: node-2\n    uri: qemu:///session\n" +
                      "    peerUri: qemu+tcp://n/system\n",
                  "nodes[1].peerUri", "\"qemu+tcp://n/system\" is already used by nodes[0].peerUri"},
        ErrorCase{"PeerUriIsAnotherNodesUri",
                  kNode + "  - name: node-2\n    uri: qemu:///session\n    peerUri: qemu:///system\n",
                  "nodes[1].peerUri", "\"qemu:///system\" is already used by nodes[0].uri"},
        ErrorCase{"NegativeMemoryReserve", kNode + "    memoryReserve: -1Gi\n", "nodes[0].memoryReserve",
                  "\"-1Gi\" is negative"},
        ErrorCase{"GarbageMemoryReserve", kNode + "    memoryReserve: lots\n", "nodes[0].memoryReserve",
                  "\"lots\" is not a quantity"},
        ErrorCase{"MemoryReserveIsAMap", kNode + "    memoryReserve: {a: 1}\n", "nodes[0].memoryReserve",
                  "expected a quantity (e.g. 64Mi), got a map"}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    MigrationExtensions, ConfigErrorTest,
    ::testing::Values(ErrorCase{"NegativeInbound", WithMigration("parallelInboundMigrationsPerNode: -1"),
                                "migration.parallelInboundMigrationsPerNode",
                                "\"-1\" is out of range (must be between 0 and 4294967295)"},
                      ErrorCase{"WordForInbound", WithMigration("parallelInboundMigrationsPerNode: many"),
                                "migration.parallelInboundMigrationsPerNode", "\"many\" is not an integer"},
                      ErrorCase{"RelativeSharedPath",
                                WithMigration("sharedStoragePaths: [/mnt/nfs, var/lib/images]"),
                                "migration.sharedStoragePaths[1]",
                                "\"var/lib/images\" is not an absolute path (it must start with '/')"},
                      ErrorCase{"EmptySharedPath", WithMigration("sharedStoragePaths: [\"\"]"),
                                "migration.sharedStoragePaths[0]", "\"\" is empty"},
                      ErrorCase{"SharedPathsIsAString", WithMigration("sharedStoragePaths: /mnt/nfs"),
                                "migration.sharedStoragePaths", "expected a list, got \"/mnt/nfs\""},
                      ErrorCase{"UnknownKeyListsExtensions", WithMigration("sharedStorage: [/mnt]"),
                                "migration.sharedStorage",
                                "disableTLS, maxDowntimeMs, parallelInboundMigrationsPerNode, sharedStoragePaths)"}),
    CaseName);

std::string WithApi(const std::string& fields) { return kNode + "api:\n" + fields; }

INSTANTIATE_TEST_SUITE_P(
    Api, ConfigErrorTest,
    ::testing::Values(
        ErrorCase{"ApiIsAList", kNode + "api: [true]\n", "api", "expected a map, got a list"},
        ErrorCase{"UnknownKey", WithApi("  port: 8443\n"), "api.port",
                  "unknown key \"port\" (expected one of: enabled, auth, tls, finishedRetention, maxWatches, "
                  "maxRequestBytes)"},
        ErrorCase{"UnknownAuthKey", WithApi("  auth: {token: s3cret}\n"), "api.auth.token",
                  "unknown key \"token\" (expected one of: tokenFile)"},
        ErrorCase{"UnknownTlsKey", WithApi("  tls: {caFile: /ca.pem}\n"), "api.tls.caFile",
                  "unknown key \"caFile\" (expected one of: certFile, keyFile)"},
        ErrorCase{"UnknownRetentionKey", WithApi("  finishedRetention: {count: 1}\n"),
                  "api.finishedRetention.count", "unknown key \"count\" (expected one of: perVMI, ttl)"},
        ErrorCase{"EnabledYes", WithApi("  enabled: yes\n"), "api.enabled", "\"yes\" is not a boolean"},
        ErrorCase{"CertWithoutKey", WithApi("  tls: {certFile: /etc/mm/tls.crt}\n"), "api.tls.keyFile",
                  "missing; api.tls.certFile is set, so set both api.tls.certFile and api.tls.keyFile"},
        ErrorCase{"CertWithEmptyKey", WithApi("  tls: {certFile: /etc/mm/tls.crt, keyFile: \"\"}\n"),
                  "api.tls.keyFile", "missing; api.tls.certFile is set"},
        ErrorCase{"KeyWithoutCert", WithApi("  tls: {keyFile: /etc/mm/tls.key}\n"), "api.tls.certFile",
                  "missing; api.tls.keyFile is set, so set both api.tls.certFile and api.tls.keyFile"},
        ErrorCase{"TokenFileWithoutValue", WithApi("  auth: {tokenFile: }\n"), "api.auth.tokenFile",
                  "expected a string, got an empty value"},
        ErrorCase{"MissingTokenFile", WithApi("  auth: {tokenFile: /nonexistent/migmon/token}\n"),
                  "api.auth.tokenFile",
                  "cannot read \"/nonexistent/migmon/token\": No such file or directory"},
        ErrorCase{"MissingCertFile",
                  WithApi("  tls: {certFile: /nonexistent/migmon/tls.crt, keyFile: /nonexistent/k}\n"),
                  "api.tls.certFile", "cannot read \"/nonexistent/migmon/tls.crt\""},
        ErrorCase{"NegativePerVmi", WithApi("  finishedRetention: {perVMI: -1}\n"),
                  "api.finishedRetention.perVMI", "\"-1\" is out of range (must be between 0 and"},
        ErrorCase{"TtlZero", WithApi("  finishedRetention: {ttl: 0s}\n"), "api.finishedRetention.ttl",
                  "\"0s\" is out of range (must be >= 1s)"},
        ErrorCase{"TtlBelowASecond", WithApi("  finishedRetention: {ttl: 999ms}\n"),
                  "api.finishedRetention.ttl", "\"999ms\" is out of range (must be >= 1s)"},
        ErrorCase{"TtlWithoutUnit", WithApi("  finishedRetention: {ttl: 3600}\n"),
                  "api.finishedRetention.ttl", "\"3600\" needs a unit"},
        ErrorCase{"MaxWatchesZero", WithApi("  maxWatches: 0\n"), "api.maxWatches",
                  "\"0\" is out of range (must be between 1 and 1000)"},
        ErrorCase{"MaxWatchesTooMany", WithApi("  maxWatches: 1001\n"), "api.maxWatches",
                  "\"1001\" is out of range (must be between 1 and 1000)"},
        ErrorCase{"MaxRequestBytesOne", WithApi("  maxRequestBytes: \"1\"\n"), "api.maxRequestBytes",
                  "\"1\" is out of range (must be >= 1Ki)"},
        ErrorCase{"MaxRequestBytesBelowKi", WithApi("  maxRequestBytes: 1023\n"), "api.maxRequestBytes",
                  "\"1023\" is out of range (must be >= 1Ki)"},
        ErrorCase{"MaxRequestBytesGarbage", WithApi("  maxRequestBytes: 1MB\n"), "api.maxRequestBytes",
                  "\"1MB\" is not a quantity"}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    Documents, ConfigErrorTest,
    ::testing::Values(ErrorCase{"NotKubeVirt", kNode + "---\napiVersion: v1\nkind: ConfigMap\n",
                                "documents[1].kind", "\"ConfigMap\" is not a kind migration-monitor reads"},
                      ErrorCase{"SecondConfig", kNode + "---\n" + kNode, "documents[1]",
                                "a second config document"},
                      ErrorCase{"SyntaxError", "pollInterval: 1s\nnodes: [\n", "",
                                "config: YAML syntax error at line 3, column 1"},
                      ErrorCase{"SyntaxErrorBadIndent", "nodes:\n  - name: a\n   uri: b\n", "",
                                "YAML syntax error at line 3"}),
    CaseName);

}  // namespace
}  // namespace migmon::config
