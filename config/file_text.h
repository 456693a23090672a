// Internal to config/: reading a whole file named by the user (the config,
// the KubeVirt CR, the API's token and TLS files), with one set of failure
// reasons for all of them.
//
// Thread-safety: stateless function.
#pragma once

#include <functional>
#include <string>

#include "config/config.h"

namespace migmon::config::detail {

// Builds the error for a file that cannot be read, from the reason
// ("No such file or directory", "it is a directory", "read error").
using FileErrorBuilder = std::function<ConfigError(const std::string& why)>;

// The file's bytes. Throws fail(why) when it cannot be opened or read, or is
// a directory (which would otherwise read as empty).
std::string ReadFileText(const std::string& path, const FileErrorBuilder& fail);

}  // namespace migmon::config::detail
