#include "config/render.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_document.h"
#include "config/duration.h"
#include "config/enforcement.h"
#include "config/listen_address.h"
#include "config/quantity.h"

namespace migmon::config {

namespace {

// True when a YAML reader would take `text`, written plain, for a null, a
// bool or a number. Our own reader accepts any scalar as a string, but the
// rendered file is also read by people and other tools.
bool ReadsAsNonString(std::string_view text) {
  static constexpr std::array<std::string_view, 33> kReservedWords{
      "~",   "null", "Null", "NULL", "true", "True", "TRUE",  "false", "False", "FALSE", "yes",
      "Yes", "YES",  "no",   "No",   "NO",   "on",   "On",    "ON",    "off",   "Off",   "OFF",
      "y",   "Y",    "n",    "N",    ".inf", ".Inf", "-.inf", "+.inf", ".nan",  ".NaN",  ".NAN"};
  if (text.empty() || std::find(kReservedWords.begin(), kReservedWords.end(), text) != kReservedWords.end()) {
    return true;
  }
  std::string_view number = text;
  if (number[0] == '+') number.remove_prefix(1);  // from_chars takes '-' only
  if (number.starts_with("0x") || number.starts_with("0o")) return true;
  double ignored = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), ignored);
  return error != std::errc::invalid_argument && end == number.data() + number.size();
}

// A free-form string, quoted only when it would not read back as a string.
void EmitString(YAML::Emitter& out, std::string_view text) {
  if (ReadsAsNonString(text)) out << YAML::DoubleQuoted;
  out << std::string(text);
}

void EmitNode(YAML::Emitter& out, const NodeConfig& node) {
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value;
  EmitString(out, node.name);
  out << YAML::Key << "uri" << YAML::Value;
  EmitString(out, node.uri);
  if (!node.migration_address.empty()) {
    out << YAML::Key << "migrationAddress" << YAML::Value;
    EmitString(out, node.migration_address);
  }
  if (!node.peer_uri.empty()) {
    out << YAML::Key << "peerUri" << YAML::Value;
    EmitString(out, node.peer_uri);
  }
  out << YAML::Key << "memoryReserve" << YAML::Value << FormatQuantity(node.memory_reserve_bytes);
  out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
  for (const auto& [key, value] : node.labels) {
    out << YAML::Key;
    EmitString(out, key);
    out << YAML::Value;
    EmitString(out, value);
  }
  out << YAML::EndMap;
  out << YAML::EndMap;
}

// A list of free-form strings; an empty one stays on the key's line ("key: []").
void EmitStringList(YAML::Emitter& out, const std::vector<std::string>& items) {
  if (items.empty()) out << YAML::Flow;
  out << YAML::BeginSeq;
  for (const std::string& item : items) EmitString(out, item);
  out << YAML::EndSeq;
}

void EmitMigration(YAML::Emitter& out, const MigrationPolicy& policy) {
  out << YAML::BeginMap;
  out << YAML::Key << "parallelMigrationsPerCluster" << YAML::Value << policy.parallel_migrations_per_cluster;
  out << YAML::Key << "parallelOutboundMigrationsPerNode" << YAML::Value
      << policy.parallel_outbound_migrations_per_node;
  out << YAML::Key << "bandwidthPerMigration" << YAML::Value
      << FormatQuantity(policy.bandwidth_per_migration_bytes);
  out << YAML::Key << "completionTimeoutPerGiB" << YAML::Value << policy.completion_timeout_per_gib_seconds;
  out << YAML::Key << "progressTimeout" << YAML::Value << policy.progress_timeout_seconds;
  out << YAML::Key << "unsafeMigrationOverride" << YAML::Value << policy.unsafe_migration_override;
  out << YAML::Key << "allowAutoConverge" << YAML::Value << policy.allow_auto_converge;
  out << YAML::Key << "allowPostCopy" << YAML::Value << policy.allow_post_copy;
  out << YAML::Key << "disableTLS" << YAML::Value << policy.disable_tls;
  out << YAML::Key << "maxDowntimeMs" << YAML::Value << policy.max_downtime_ms;
  out << YAML::Key << "parallelInboundMigrationsPerNode" << YAML::Value
      << policy.parallel_inbound_migrations_per_node;
  out << YAML::Key << "sharedStoragePaths" << YAML::Value;
  EmitStringList(out, policy.shared_storage_paths);
  out << YAML::EndMap;
}

void EmitEnforcement(YAML::Emitter& out, const EnforcementConfig& enforcement) {
  out << YAML::BeginMap;
  out << YAML::Key << "mode" << YAML::Value << std::string(detail::EnforcementModeName(enforcement.mode));
  out << YAML::Key << "exclude" << YAML::Value;
  EmitStringList(out, enforcement.exclude);
  out << YAML::Key << "escalation" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "maxDowntimeSteps" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const std::chrono::milliseconds step : enforcement.max_downtime_steps) out << FormatDuration(step);
  out << YAML::EndSeq;
  out << YAML::EndMap;
  out << YAML::EndMap;
}

// The token itself is a secret: only where it comes from is written, and
// reading the output back reads the file again.
void EmitApi(YAML::Emitter& out, const ApiConfig& api) {
  out << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << api.enabled;
  out << YAML::Key << "auth" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "tokenFile" << YAML::Value;
  EmitString(out, api.token_file);
  out << YAML::EndMap;
  out << YAML::Key << "tls" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "certFile" << YAML::Value;
  EmitString(out, api.tls_cert_file);
  out << YAML::Key << "keyFile" << YAML::Value;
  EmitString(out, api.tls_key_file);
  out << YAML::EndMap;
  out << YAML::Key << "finishedRetention" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "perVMI" << YAML::Value << api.retention_per_vmi;
  out << YAML::Key << "ttl" << YAML::Value << FormatDuration(api.retention_ttl);
  out << YAML::EndMap;
  out << YAML::Key << "maxWatches" << YAML::Value << api.max_watches;
  out << YAML::Key << "maxRequestBytes" << YAML::Value << FormatQuantity(api.max_request_bytes);
  out << YAML::EndMap;
}

void EmitHttp(YAML::Emitter& out, const HttpConfig& http) {
  out << YAML::BeginMap;
  out << YAML::Key << "headerTimeout" << YAML::Value << FormatDuration(http.header_timeout);
  out << YAML::Key << "bodyTimeout" << YAML::Value << FormatDuration(http.body_timeout);
  out << YAML::Key << "idleTimeout" << YAML::Value << FormatDuration(http.idle_timeout);
  out << YAML::Key << "writeTimeout" << YAML::Value << FormatDuration(http.write_timeout);
  out << YAML::Key << "maxHeaderBytes" << YAML::Value << FormatQuantity(http.max_header_bytes);
  out << YAML::Key << "maxConnections" << YAML::Value << http.max_connections;
  out << YAML::Key << "maxConnectionsPerClient" << YAML::Value << http.max_connections_per_client;
  out << YAML::Key << "maxMonitoringRequests" << YAML::Value << http.max_monitoring_requests;
  out << YAML::EndMap;
}

}  // namespace

std::string RenderEffective(const Config& config) {
  YAML::Emitter out;
  out << YAML::Comment("effective configuration: defaults applied, KubeVirt CR merged");
  out << YAML::BeginMap;
  out << YAML::Key << "listen" << YAML::Value
      << detail::FormatListenAddress(config.listen_host, config.listen_port);
  out << YAML::Key << "pollInterval" << YAML::Value << FormatDuration(config.poll_interval);
  out << YAML::Key << "discoveryInterval" << YAML::Value << FormatDuration(config.discovery_interval);
  out << YAML::Key << "dataDir" << YAML::Value;
  EmitString(out, config.data_dir);
  out << YAML::Key << "naming" << YAML::Value << std::string(detail::NamingName(config.naming));
  out << YAML::Key << "nodes" << YAML::Value << YAML::BeginSeq;
  for (const NodeConfig& node : config.nodes) EmitNode(out, node);
  out << YAML::EndSeq;
  out << YAML::Key << "migration" << YAML::Value;
  EmitMigration(out, config.migration);
  out << YAML::Key << "enforcement" << YAML::Value;
  EmitEnforcement(out, config.enforcement);
  out << YAML::Key << "api" << YAML::Value;
  EmitApi(out, config.api);
  out << YAML::Key << "http" << YAML::Value;
  EmitHttp(out, config.http);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace migmon::config
