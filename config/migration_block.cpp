#include "config/migration_block.h"

#include <algorithm>
#include <array>
#include <limits>

namespace migmon::config::detail {

void ApplyMigrationBlock(const YAML::Node& block, const std::string& path, MigrationPolicy& policy,
                         const UnknownKeyHandler& on_unknown) {
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max();
  using Node = YAML::Node;
  using Path = std::string;
  const std::array<Field, 9> fields{{
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
  }};
  ReadFields(block, path, fields, on_unknown);
}

bool IsUnimplementedKubeVirtField(std::string_view key) {
  static constexpr std::array<std::string_view, 4> kUnimplemented{
      "nodeDrainTaintKey", "network", "matchSELinuxLevelOnMigration", "allowWorkloadDisruption"};
  return std::find(kUnimplemented.begin(), kUnimplemented.end(), key) != kUnimplemented.end();
}

}  // namespace migmon::config::detail
