// The migration-monitor configuration, as plain values.
//
// Contract: a Config returned by ParseConfig/LoadConfigFile (config/load.h) is
// complete and valid: every default is filled in, every range is checked, every
// node has the kubernetes.io/hostname label. Nothing downstream re-validates.
// Units are base units: bytes, bytes per second, seconds, milliseconds.
//
// Thread-safety: these are value types with no shared state; copy them freely
// between threads. ConfigError is immutable after construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace migmon::config {

// How a migrated domain is named in metrics and logs.
enum class Naming { kDomain, kKubeVirt };  // YAML: naming: domain (default) | kubevirt

// The label every node carries; its value is always the node name.
inline constexpr const char* kHostnameLabel = "kubernetes.io/hostname";

struct NodeConfig {
  std::string name;  // DNS-1123 label (lowercase alnum and '-', <= 63 chars)
  std::string uri;   // libvirt URI, e.g. qemu+unix:///system?socket=/x/libvirt-sock
  // "migrationAddress": host a migration to this node connects to; empty = unset.
  std::string migration_address;
  std::map<std::string, std::string> labels;  // always includes kHostnameLabel=<name>
};

// KubeVirt's MigrationConfiguration; the YAML uses KubeVirt's field names.
struct MigrationPolicy {
  uint32_t parallel_migrations_per_cluster = 5;          // parallelMigrationsPerCluster, >= 1
  uint32_t parallel_outbound_migrations_per_node = 2;    // parallelOutboundMigrationsPerNode, >= 1
  uint64_t bandwidth_per_migration_bytes = 64ull << 20;  // bandwidthPerMigration, bytes/s; 0 = unlimited
  int64_t completion_timeout_per_gib_seconds = 800;      // completionTimeoutPerGiB, >= 0; 0 disables
  int64_t progress_timeout_seconds = 150;                // progressTimeout, >= 0; 0 disables
  bool unsafe_migration_override = false;                // unsafeMigrationOverride
  bool allow_auto_converge = false;                      // allowAutoConverge
  bool allow_post_copy = false;                          // allowPostCopy
  bool disable_tls = false;                              // disableTLS
};

// What the monitor does about the migration policy. The daemon acts on it;
// config/ only reads and validates it.
enum class EnforcementMode {
  kEnforce,  // YAML: mode: enforce (default): act on libvirt
  kObserve,  // YAML: mode: observe: log and count each action it would take, touch nothing
};

struct EnforcementConfig {
  EnforcementMode mode = EnforcementMode::kEnforce;
  // "exclude": "namespace/name" globs (fnmatch syntax: * ? [..]); matching
  // migrations are only watched. Each has exactly one '/' with a non-empty
  // glob on both sides; see MatchesExclude (config/exclude.h).
  std::vector<std::string> exclude;
  // "escalation.maxDowntimeSteps": each unproductive memory pass raises
  // libvirt's allowed downtime one step. Strictly increasing, each 1ms..10m;
  // empty = escalation off.
  std::vector<std::chrono::milliseconds> max_downtime_steps;
};

struct Config {
  std::string listen_host = "127.0.0.1";  // listen: "HOST:PORT"; an IPv6 host is stored without brackets
  uint16_t listen_port = 9477;            // 1..65535
  std::chrono::milliseconds poll_interval{500};  // pollInterval, 50ms..60s
  // discoveryInterval, pollInterval..10m. When omitted it is 5s, or pollInterval
  // if that is longer (discovering more often than polling is pointless).
  std::chrono::milliseconds discovery_interval{5000};
  std::string data_dir = "/var/lib/migration-monitor";  // dataDir, non-empty
  Naming naming = Naming::kDomain;
  std::vector<NodeConfig> nodes;  // at least one; names unique; URIs unique
  MigrationPolicy migration;      // defaults < our migration: block < KubeVirt CR
  EnforcementConfig enforcement;  // "enforcement:"; every key optional
};

struct Loaded {
  Config config;
  // Things accepted but not acted on (e.g. KubeVirt CR fields this project does
  // not implement). Callers should log each one.
  std::vector<std::string> warnings;
};

// Thrown for every invalid input. key_path locates the value, e.g.
// "migration.bandwidthPerMigration", "nodes[1].uri", or
// "kubevirt.spec.configuration.migrations.progressTimeout"; it is empty when
// the input as a whole is unreadable or not YAML. why() always names the
// offending value. what() is "<key_path>: <why>" (just why() if key_path is empty).
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key_path, std::string why);
  const std::string& key_path() const { return key_path_; }
  const std::string& why() const { return why_; }

 private:
  std::string key_path_;
  std::string why_;
};

}  // namespace migmon::config
