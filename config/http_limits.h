// Internal to config/: the "http:" section, the bounds of the HTTP server.
//
// Thread-safety: stateless functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "config/config.h"

namespace migmon::config::detail {

// Reads the map at `path` (an empty value is an empty map); absent keys keep
// HttpConfig's defaults. Checks every range, and that
// maxConnectionsPerClient is not above maxConnections. Throws ConfigError.
HttpConfig ReadHttp(const YAML::Node& map, const std::string& path);

}  // namespace migmon::config::detail
