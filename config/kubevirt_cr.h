// Internal to config/: the KubeVirt custom resource (kind: KubeVirt).
//
// Only spec.configuration.migrations (or KubeVirt's older singular spelling
// spec.configuration.migration) is read; the rest of the CR belongs to
// KubeVirt and is ignored without comment. Inside that block, fields this
// project does not act on produce warnings, not errors, so a CR copied from a
// cluster is accepted as is.
//
// Thread-safety: stateless functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/config.h"

namespace migmon::config::detail {

// The key path prefix of every error in a CR, wherever the CR came from.
inline constexpr const char* kKubeVirtPath = "kubevirt";

// True when `document` is a map with kind: KubeVirt (apiVersion is checked
// by ApplyKubeVirtCr, so a wrong one is reported rather than misclassified).
bool IsKubeVirtCr(const YAML::Node& document);

// Sets the policy fields the CR sets, leaving the others untouched; appends a
// warning per unimplemented or unknown field. Throws ConfigError with a path
// under "kubevirt." for a bad apiVersion, a bad value in a field we apply,
// or both spellings of the block.
void ApplyKubeVirtCr(const YAML::Node& cr, MigrationPolicy& policy, std::vector<std::string>& warnings);

}  // namespace migmon::config::detail
