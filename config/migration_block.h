// Internal to config/: a KubeVirt MigrationConfiguration block, shared by our
// own "migration:" block and the KubeVirt CR's spec.configuration.migrations,
// so both accept exactly the same field spellings, types and ranges.
//
// Thread-safety: stateless functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "config/config.h"
#include "config/strict_yaml.h"

namespace migmon::config::detail {

// Where a block comes from, which decides whether our extensions
// (parallelInboundMigrationsPerNode, sharedStoragePaths) are fields.
enum class MigrationBlockSource {
  kOurConfig,   // our "migration:" block: KubeVirt's fields and our extensions
  kKubeVirtCr,  // a CR's block: KubeVirt's fields only; extensions go to on_unknown
};

// Sets each field present in `block` on `policy` and leaves absent fields
// untouched, so callers layer sources by applying them in precedence order.
// Keys that are not policy fields of `source` go to `on_unknown`. Throws
// ConfigError for a non-map block or a bad value.
void ApplyMigrationBlock(const YAML::Node& block, const std::string& path, MigrationBlockSource source,
                         MigrationPolicy& policy, const UnknownKeyHandler& on_unknown);

// True for MigrationConfiguration fields KubeVirt has but this project does
// not act on (nodeDrainTaintKey, network, ...).
bool IsUnimplementedKubeVirtField(std::string_view key);

}  // namespace migmon::config::detail
