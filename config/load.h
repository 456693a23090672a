// Reading the configuration: our YAML config, optionally with a KubeVirt CR.
//
// Input: one YAML text of one or more documents. The first document that is
// not a KubeVirt CR is our config; any other document must be a KubeVirt CR
// (kind: KubeVirt, apiVersion kubevirt.io/v1 or v1alpha3). The CR may instead
// (not additionally) come as a separate text/file; at most one CR in total.
//
// Precedence of the migration policy: defaults < our "migration:" block <
// the CR's spec.configuration.migrations. Our own file is strict: unknown
// keys, wrong types and out-of-range values are errors. The CR is lenient
// outside the fields we apply (see config/kubevirt_cr.h).
//
// Errors: ConfigError (config/config.h) with the key path and the value.
// Thread-safety: no shared state; safe to call concurrently.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace migmon::config {

// Parses YAML text. kubevirt_yaml, when given, must hold exactly one KubeVirt CR.
Loaded ParseConfig(std::string_view config_yaml,
                   std::optional<std::string_view> kubevirt_yaml = std::nullopt);

// ParseConfig on the files' contents. An unreadable file or a YAML syntax
// error throws ConfigError with an empty key path and a message naming the file.
Loaded LoadConfigFile(const std::string& path,
                      const std::optional<std::string>& kubevirt_path = std::nullopt);

}  // namespace migmon::config
