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
  // "peerUri": libvirt URI the source's libvirtd uses to reach this node in a
  // peer-to-peer migration; empty = unset (use uri, see PeerUri).
  std::string peer_uri;
  // "memoryReserve" (quantity): memory kept free on this node when choosing
  // it as a migration target; 0 = none.
  uint64_t memory_reserve_bytes = 0;
  std::map<std::string, std::string> labels;  // always includes kHostnameLabel=<name>
};

// The URI a source's libvirtd uses to reach `node` in a peer-to-peer
// migration: peer_uri when set, else uri.
inline const std::string& PeerUri(const NodeConfig& node) {
  return node.peer_uri.empty() ? node.uri : node.peer_uri;
}

// KubeVirt's MigrationConfiguration; the YAML uses KubeVirt's field names.
// The last two fields are our extensions: accepted in our own "migration:"
// block only (in a KubeVirt CR they are unknown fields, warned about).
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
  // maxDowntimeMs, 1..2,000,000: the most a switchover may pause the guest.
  // A launch starts at min(this, 300 ms), QEMU's default; escalation steps
  // may raise it up to this and no further.
  uint32_t max_downtime_ms = 900;
  // Extension parallelInboundMigrationsPerNode: migrations arriving at one node; 0 = unlimited.
  uint32_t parallel_inbound_migrations_per_node = 0;
  // Extension sharedStoragePaths: absolute path prefixes (each starts with '/').
  // A writable disk whose source path starts with one of them is on shared
  // storage and not copied; every other writable disk is copied in a block
  // migration. Empty = no shared storage.
  std::vector<std::string> shared_storage_paths;
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

// The "api:" section: the KubeVirt-compatible migration API.
struct ApiConfig {
  // "enabled": serve the API and own the migration queue for these nodes.
  bool enabled = false;
  // "auth.tokenFile": file holding the bearer token; empty = no auth.
  std::string token_file;
  // The token file's content with surrounding whitespace trimmed, read at load
  // time (never empty when token_file is set). Secret: never rendered or logged.
  std::string token;
  // "tls.certFile" / "tls.keyFile": PEM files, both set or both empty
  // (= plain HTTP); readable at load time.
  std::string tls_cert_file;
  std::string tls_key_file;
  uint32_t retention_per_vmi = 5;                    // "finishedRetention.perVMI", >= 0
  std::chrono::milliseconds retention_ttl{3600000};  // "finishedRetention.ttl", >= 1s
  uint32_t max_watches = 16;                         // "maxWatches", 1..1000; more get 429
  uint64_t max_request_bytes = 1 << 20;              // "maxRequestBytes" (quantity), >= 1Ki; larger get 413
};

// The "http:" section: bounds the HTTP server puts on every client (see
// http/limits.h for what each one does). The body size is api.maxRequestBytes.
struct HttpConfig {
  std::chrono::milliseconds header_timeout{10000};  // "headerTimeout": the whole request head, 100ms..1h
  std::chrono::milliseconds body_timeout{30000};    // "bodyTimeout", 100ms..1h
  std::chrono::milliseconds idle_timeout{120000};   // "idleTimeout": keep-alive between requests, 100ms..1h
  std::chrono::milliseconds write_timeout{30000};   // "writeTimeout": each response or stream chunk, 100ms..1h
  uint64_t max_header_bytes = 16384;                // "maxHeaderBytes" (quantity), 1Ki..1Mi; more get 431
  uint32_t max_connections = 1024;                  // "maxConnections", >= 1; more are closed at once
  uint32_t max_connections_per_client = 64;         // "maxConnectionsPerClient" (per address), <= maxConnections
  uint32_t max_monitoring_requests = 40;            // "maxMonitoringRequests" (/metrics, /healthz, ...); more get 503
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
  ApiConfig api;                  // "api:"; every key optional
  HttpConfig http;                // "http:"; every key optional
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
