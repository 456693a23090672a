// Internal to config/: the "api:" section.
//
// Thread-safety: stateless functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "config/config.h"

namespace migmon::config::detail {

inline constexpr std::chrono::milliseconds kMinRetentionTtl = std::chrono::seconds(1);
inline constexpr uint32_t kMinWatches = 1;
inline constexpr uint32_t kMaxWatches = 1000;
inline constexpr uint64_t kMinRequestBytes = 1024;

// Reads the map at `path` (an empty value is an empty map); absent keys keep
// ApiConfig's defaults, and file keys may be "" (their default, unset).
// Checks ranges, that tls.certFile and tls.keyFile are both set or neither,
// and reads the files now: the token (trimmed; empty is an error) and the
// TLS files (must be readable and non-empty). Throws ConfigError; no message
// ever contains the token.
ApiConfig ReadApi(const YAML::Node& map, const std::string& path);

}  // namespace migmon::config::detail
