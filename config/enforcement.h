// Internal to config/: the "enforcement:" section.
//
// Thread-safety: stateless functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <string>
#include <string_view>

#include "config/config.h"

namespace migmon::config::detail {

inline constexpr std::chrono::milliseconds kMinDowntimeStep{1};
inline constexpr std::chrono::milliseconds kMaxDowntimeStep = std::chrono::minutes(10);

// Reads the map at `path` (an empty value is an empty map); absent keys keep
// EnforcementConfig's defaults. Checks the mode's spelling, each exclude glob
// (see config/exclude.h) and that the downtime steps are in range and
// strictly increasing. Throws ConfigError.
EnforcementConfig ReadEnforcement(const YAML::Node& map, const std::string& path);

// The YAML spelling of `mode`: "enforce" or "observe".
std::string_view EnforcementModeName(EnforcementMode mode);

}  // namespace migmon::config::detail
