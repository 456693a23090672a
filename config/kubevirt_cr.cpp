#include "config/kubevirt_cr.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "config/migration_block.h"
#include "config/quote.h"
#include "config/strict_yaml.h"

namespace migmon::config::detail {

namespace {

constexpr std::array<std::string_view, 2> kApiVersions{"kubevirt.io/v1", "kubevirt.io/v1alpha3"};

void CheckApiVersion(const YAML::Node& cr) {
  const std::string path = ChildPath(kKubeVirtPath, "apiVersion");
  const YAML::Node api_version = cr["apiVersion"];
  if (!api_version.IsDefined()) throw ConfigError(path, "missing; expected kubevirt.io/v1");
  const std::string text = ReadString(api_version, path);
  if (std::find(kApiVersions.begin(), kApiVersions.end(), text) == kApiVersions.end()) {
    throw ConfigError(path, Quoted(text) +
                                " is not a KubeVirt apiVersion (expected kubevirt.io/v1 or "
                                "kubevirt.io/v1alpha3)");
  }
}

// The map at parent[key]; nullopt when absent or null (nothing configured).
std::optional<YAML::Node> OptionalMap(const YAML::Node& parent, std::string_view key,
                                      const std::string& path) {
  const YAML::Node child = parent[std::string(key)];
  if (!child.IsDefined() || child.IsNull()) return std::nullopt;
  if (!child.IsMap()) ThrowWrongType(child, path, "a map");
  return child;
}

}  // namespace

bool IsKubeVirtCr(const YAML::Node& document) {
  if (!document.IsMap()) return false;
  const YAML::Node kind = document["kind"];
  // A missing key yields an invalid node whose type queries throw; ask IsDefined first.
  return kind.IsDefined() && kind.IsScalar() && kind.Scalar() == "KubeVirt";
}

void ApplyKubeVirtCr(const YAML::Node& cr, MigrationPolicy& policy, std::vector<std::string>& warnings) {
  CheckApiVersion(cr);
  const std::string spec_path = ChildPath(kKubeVirtPath, "spec");
  const std::optional<YAML::Node> spec = OptionalMap(cr, "spec", spec_path);
  if (!spec) return;
  const std::string configuration_path = ChildPath(spec_path, "configuration");
  const std::optional<YAML::Node> configuration = OptionalMap(*spec, "configuration", configuration_path);
  if (!configuration) return;

  // KubeVirt's API spells it "migrations"; "migration" is accepted because
  // it is a common spelling in hand-written CRs.
  const bool has_plural = (*configuration)["migrations"].IsDefined();
  const bool has_singular = (*configuration)["migration"].IsDefined();
  if (has_plural && has_singular) {
    throw ConfigError(
        configuration_path,
        "both \"migrations\" and \"migration\" are set; keep one (KubeVirt spells it migrations)");
  }
  const std::string_view block_key = has_singular ? "migration" : "migrations";
  const std::string block_path = ChildPath(configuration_path, block_key);
  const std::optional<YAML::Node> block = OptionalMap(*configuration, block_key, block_path);
  if (!block) return;

  const std::string cr_relative_path = "spec.configuration." + std::string(block_key);
  const auto warn = [&](const UnknownKey& unknown) {
    const std::string_view reason = IsUnimplementedKubeVirtField(unknown.key)
                                        ? " is not implemented by migration-monitor and is ignored"
                                        : " is unknown to migration-monitor and is ignored";
    warnings.push_back("KubeVirt CR: " + ChildPath(cr_relative_path, unknown.key) + std::string(reason));
  };
  ApplyMigrationBlock(*block, block_path, MigrationBlockSource::kKubeVirtCr, policy, warn);
}

}  // namespace migmon::config::detail
