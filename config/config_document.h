// Internal to config/: our own config document (listen, nodes, migration, api, ...),
// without the KubeVirt CR.
//
// Thread-safety: stateless functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <string_view>

#include "config/config.h"

namespace migmon::config::detail {

inline constexpr std::chrono::milliseconds kMinPollInterval{50};
inline constexpr std::chrono::milliseconds kMaxPollInterval = std::chrono::seconds(60);
inline constexpr std::chrono::milliseconds kMaxDiscoveryInterval = std::chrono::minutes(10);

// Reads a whole config document (a map; keys at the root). Every key is
// checked, missing keys take Config's defaults, "nodes" is required.
// Throws ConfigError with the key path of the first problem.
Config ReadConfigDocument(const YAML::Node& document);

// The YAML spelling of `naming`: "domain" or "kubevirt".
std::string_view NamingName(Naming naming);

}  // namespace migmon::config::detail
