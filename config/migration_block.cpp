#include "config/migration_block.h"

#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <vector>

#include "config/quote.h"

namespace migmon::config::detail {

namespace {

// The number of leading entries of ApplyMigrationBlock's field table that are
// KubeVirt's; the rest are our extensions.
constexpr size_t kKubeVirtFieldCount = 10;

std::string ReadSharedStoragePath(const YAML::Node& value, const std::string& path) {
  std::string prefix = ReadString(value, path);
  if (prefix.front() != '/') {
    throw ConfigError(path, Quoted(prefix) + " is not an absolute path (it must start with '/')");
  }
  return prefix;
}

std::vector<std::string> ReadSharedStoragePaths(const YAML::Node& list, const std::string& path) {
  const std::vector<YAML::Node> items = ListItems(list, path);
  std::vector<std::string> prefixes;
  prefixes.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    prefixes.push_back(ReadSharedStoragePath(items[i], IndexPath(path, i)));
  }
  return prefixes;
}

}  // namespace

void ApplyMigrationBlock(const YAML::Node& block, const std::string& path, MigrationBlockSource source,
                         MigrationPolicy& policy, const UnknownKeyHandler& on_unknown) {
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMaxDowntimeMs = 2'000'000;  // KubeVirt's bound
  using Node = YAML::Node;
  using Path = std::string;
  const std::array<Field, kKubeVirtFieldCount + 2> fields{{
      {"parallelMigrationsPerCluster",
       [&](const Node& v, const Path& p) { policy.parallel_migrations_per_cluster = ReadUint32(v, p, 1); }},
      {"parallelOutboundMigrationsPerNode",
       [&](const Node& v, const Path& p) {
         policy.parallel_outbound_migrations_per_node = ReadUint32(v, p, 1);
       }},
      {"bandwidthPerMigration",
       [&](const Node& v, const Path& p) { policy.bandwidth_per_migration_bytes = ReadQuantity(v, p); }},
      {"completionTimeoutPerGiB",
       [&](const Node& v, const Path& p) {
         policy.completion_timeout_per_gib_seconds = ReadInteger(v, p, 0, kMaxSeconds);
       }},
      {"progressTimeout",
       [&](const Node& v, const Path& p) {
         policy.progress_timeout_seconds = ReadInteger(v, p, 0, kMaxSeconds);
       }},
      {"unsafeMigrationOverride",
       [&](const Node& v, const Path& p) { policy.unsafe_migration_override = ReadBool(v, p); }},
      {"allowAutoConverge",
       [&](const Node& v, const Path& p) { policy.allow_auto_converge = ReadBool(v, p); }},
      {"allowPostCopy", [&](const Node& v, const Path& p) { policy.allow_post_copy = ReadBool(v, p); }},
      {"disableTLS", [&](const Node& v, const Path& p) { policy.disable_tls = ReadBool(v, p); }},
      {"maxDowntimeMs",
       [&](const Node& v, const Path& p) {
         policy.max_downtime_ms = static_cast<uint32_t>(ReadInteger(v, p, 1, kMaxDowntimeMs));
       }},
      // Our extensions; keep them after KubeVirt's fields (kKubeVirtFieldCount).
      {"parallelInboundMigrationsPerNode",
       [&](const Node& v, const Path& p) {
         policy.parallel_inbound_migrations_per_node = ReadUint32(v, p, 0);
       }},
      {"sharedStoragePaths",
       [&](const Node& v, const Path& p) { policy.shared_storage_paths = ReadSharedStoragePaths(v, p); }},
  }};
  const std::span<const Field> all_fields(fields);
  ReadFields(block, path,
             source == MigrationBlockSource::kOurConfig ? all_fields : all_fields.first(kKubeVirtFieldCount),
             on_unknown);
}

bool IsUnimplementedKubeVirtField(std::string_view key) {
  static constexpr std::array<std::string_view, 4> kUnimplemented{
      "nodeDrainTaintKey", "network", "matchSELinuxLevelOnMigration", "allowWorkloadDisruption"};
  return std::find(kUnimplemented.begin(), kUnimplemented.end(), key) != kUnimplemented.end();
}

}  // namespace migmon::config::detail
